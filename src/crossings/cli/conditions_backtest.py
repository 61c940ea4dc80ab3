"""``crossings backtest --conditions``: the CLI side of :mod:`crossings.forecast.conditions_backtest`."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import click

from ..atomic import write_text
from ._app import parse_date as _day


def backtest_conditions_cmd(load_series, db: str | None, start: str, end: str | None, n_paths: int, seed: int,
                            information: str, fmt: str, out: str | None) -> None:
    """Run the conditions backtest (series from ``load_series()``) on the store's archived forecasts; print it, and
    with ``out`` write it as markdown."""
    from ..conditions import archive
    from ..errors import CrossingsError
    from ..forecast import conditions_backtest as C
    from ..forecast.schedule import Schedule
    from ..forecast.summary import daily_scores
    from ..store import Store, StoreMissingError
    try:
        store = Store(db, read_only=True)
    except StoreMissingError:
        raise CrossingsError("no store, so no archived weather forecasts: run 'crossings conditions fetch "
                             "--archived-forecasts --start D --end D' first") from None
    try:
        if archive.stored_span(store) is None:  # before the series is loaded: the one line the user needs
            raise C.NoArchivedForecastsError(C.NONE_STORED)
        cb = C.run_conditions_backtest(load_series(), store, _day(start), _day(end), n_paths=n_paths, seed=seed,
                                       schedule=Schedule(daily_pages=information == "pages"))
    finally:
        store.close()
    if fmt == "json":
        def rec(df):
            return json.loads(df.map(lambda v: list(v) if isinstance(v, tuple) else v).to_json(orient="records"))
        click.echo(json.dumps({
            "origins_asked": len(cb.asked), "origins": [d.date().isoformat() for d in cb.covered],
            "skipped": {o.date().isoformat(): why for o, why in cb.skipped.items()},
            "conditions": list(cb.columns), "n_paths": n_paths, "information": cb.result.schedule.label,
            "weekly": rec(C.weekly_table(cb)), "daily": rec(daily_scores(cb.result)),
            "versus_hurdle": rec(C.versus_hurdle(cb))}, indent=1))
    else:
        click.echo(C.text(cb))
    if out:
        cmd = f"crossings backtest --conditions --start {start}" + (f" --end {end}" if end else "") + \
            f" --paths {n_paths} --seed {seed} --information {information} --out {shlex.quote(out)}"
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        write_text(out, C.markdown(cb, cmd) + "\n")
        click.echo(f"wrote {out}", err=True)
