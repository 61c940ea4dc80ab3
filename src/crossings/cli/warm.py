"""After ``ingest`` or ``fetch`` stores a new release: compute the default forecast for it, so the next
``crossings forecast`` reads it from the cache instead of computing it (see :mod:`crossings.forecast.cache`)."""
from __future__ import annotations

import time
from collections.abc import Iterable

import click

NO_FORECAST_ENV = "CROSSINGS_NO_FORECAST"

no_forecast_option = click.option(
    "--no-forecast", is_flag=True, envvar=NO_FORECAST_ENV,
    help=f"Do not compute the default forecast after a new release is stored (env {NO_FORECAST_ENV}=1); the next "
         "'crossings forecast' then computes it (3-5 s instead of about 0.3 s).")


def adds_arrivals(results: Iterable) -> bool:
    """Whether an ingest stored a new release of daily or weekly arrivals (incident and yearly-figure releases do not
    change a forecast)."""
    from ..store.incidents import TableIngestResult
    return any(r.added and not isinstance(r, TableIngestResult) for r in results)


def warm_forecast(db: str | None) -> None:
    """Compute and cache the default forecast (newest release, default options); say so on stderr in one line.

    The releases are stored already: a failure here is reported and the command still succeeds."""
    from ..errors import CrossingsError
    from ..forecast.cache import ForecastRequest, get_or_compute
    from ..store import Store
    t0 = time.perf_counter()
    try:
        with Store(db, read_only=True) as store:  # the writer is closed: other commands can read meanwhile
            entry, hit = get_or_compute(store, ForecastRequest())
    except Exception as exc:  # noqa: BLE001 - the releases are stored: a failed forecast must not fail the command
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not isinstance(exc, CrossingsError):
            why = f"{type(exc).__name__}: {why}"
        click.echo(f"crossings: the default forecast was not computed ({why}); 'crossings forecast' will compute it",
                   err=True)
        return
    what = "was cached already" if hit else f"computed in {time.perf_counter() - t0:.1f} s and cached"
    click.echo(f"forecast as of {entry.doc['as_of']} (default options) {what}: 'crossings forecast' reads it",
               err=True)
