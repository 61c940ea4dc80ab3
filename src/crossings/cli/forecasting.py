"""CLI commands of forecasting: ``forecast`` (next days and weeks) and ``backtest`` (rolling-origin evaluation)."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import click

from ..atomic import write_text
from ..forecast import limits as L
from ._app import db_option, main, parse_date as _day

_SEED = click.IntRange(0, L.MAX_SEED)
_PATHS = click.IntRange(L.MIN_PATHS, L.CLI_MAX_PATHS)


@main.command()
@click.option("--as-of", "as_of", default=None,
              help="Forecast from this date using only releases published on or before it (YYYY-MM-DD). "
                   "Default: the newest release's publication date.")
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, L.CLI_MAX_DAYS),
              help="Days to forecast.")
@click.option("--weeks", default=8, show_default=True, type=click.IntRange(1, L.CLI_MAX_WEEKS),
              help="Weeks to forecast.")
@click.option("--paths", "n_paths", default=2000, show_default=True, type=_PATHS,
              help="Simulated sample paths.")
@click.option("--seed", default=0, show_default=True, type=_SEED, help="Random seed (same seed and data, same numbers).")
@click.option("--model", "model", default=None,
              help="locallevel, hurdle, seasonal, ensemble, climatology or persistence (default: the backtest "
                   "winner, see docs/forecast.md).")
@click.option("--no-conditions", is_flag=True, help="Hurdle model: no weather even if conditions are stored.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Also write the JSON form to this file (missing folders are created).")
@click.option("--no-cache", is_flag=True,
              help="Compute the forecast again instead of reusing the one computed from the same releases, options "
                   "and code (kept in forecasts/ beside the store; see docs/performance.md).")
@db_option
def forecast(as_of: str | None, days: int, weeks: int, n_paths: int, seed: int, model: str | None,
             no_conditions: bool, fmt: str, out: str | None, no_cache: bool, db: str | None) -> None:
    """Forecast crossing days, boats and people for the next days and weeks.

    Prints the probability of a crossing day and the median with 50% and 90% intervals of boats and people per day,
    and weekly totals for weeks ending on Sunday. Uses stored sea conditions when they cover the days to forecast,
    else the no-weather model (and says so). A forecast computed before from the same stored releases, options and
    code is read back instead of computed again (--no-cache computes it).
    """
    from ..errors import CrossingsError
    from ..forecast.cache import ForecastRequest, get_or_compute
    from ..forecast.names import DEFAULT_MODEL, MODEL_NAMES
    from ..store import Store
    model = DEFAULT_MODEL if model is None else model
    if model not in MODEL_NAMES:
        raise click.BadParameter(f"{model!r}: choose one of {', '.join(MODEL_NAMES)}", param_hint="--model")
    day = _day(as_of)  # a malformed date is a usage error before the store is looked at
    store = Store(db, read_only=True)  # a reader: other commands may read at the same time
    if store.is_empty():
        raise CrossingsError("the store is empty: run 'crossings ingest --bundled' or 'crossings fetch' first")
    req = ForecastRequest(day, days, weeks, n_paths, seed, model, not no_conditions)
    entry, _ = get_or_compute(store, req, use_cache=not no_cache)
    store.close()
    doc = entry.json_doc(day)
    if out:
        write_text(out, json.dumps(doc, indent=1) + "\n")
    if fmt == "json":
        click.echo(json.dumps(doc, indent=1))
        click.echo(doc["note"], err=True)  # the note names the model (model ensemble; data to ...)
    else:
        click.echo(entry.table(day))
    if out:
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.option("--start", default="2023-01-01", show_default=True,
              help="First origin (YYYY-MM-DD; the first Monday on or after it, with four years of data before it).")
@click.option("--end", default=None, help="Last origin (default: the last Monday on or before the data end; each "
              "origin is scored on the days and weeks observed after it).")
@click.option("--paths", "n_paths", default=1000, show_default=True, type=_PATHS,
              help="Sample paths per forecast.")
@click.option("--seed", default=0, show_default=True, type=_SEED)
@click.option("--information", type=click.Choice(["pages", "workbooks"]), default="pages", show_default=True,
              help="What a forecaster had at each origin: workbooks and daily pages, or weekly workbooks only.")
@click.option("--conditions", "with_conditions", is_flag=True,
              help="Score hurdle+conditions with the archived weather forecasts in the store (see 'crossings "
                   "conditions fetch --archived-forecasts'), next to every model on the same origins, days 1-7.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the report as markdown to this file (e.g. docs/forecast.md; missing folders are created).")
@db_option
def backtest(start: str, end: str | None, n_paths: int, seed: int, information: str, with_conditions: bool,
             fmt: str, out: str | None, db: str | None) -> None:
    """Rolling-origin backtest of the forecast models against climatology and persistence.

    At every Monday from START to END the models are fitted on the days published by then (the publication schedule
    of the workbooks and daily pages) and scored on the 14 days and 8 weeks from it: pinball loss and CRPS of
    weekly people and boats, Brier score and AUC of crossing days, interval coverage, PIT histograms, yearly bias.
    Uses the store's daily series, or the bundled workbook if the store is empty.
    """
    from ..forecast.backtest import check_complete_week, run_backtest
    from ..forecast.report import markdown, text
    from ..forecast.schedule import Schedule
    from ..forecast.summary import daily_scores, targets, weekly_scores, winner
    if end is not None and _day(start) > _day(end):
        raise click.BadParameter(f"{end} is before --start {start}", param_hint="'--end'")
    typed = click.get_current_context().get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE
    if with_conditions:
        from .conditions_backtest import backtest_conditions_cmd
        return backtest_conditions_cmd(lambda: _backtest_series(db, typed)[0], db, start, end, n_paths, seed,
                                       information, fmt, out)
    series, source = _backtest_series(db, typed)
    check_complete_week(series, _day(start), _day(end))  # the report's weekly scores need one week observed
    res = run_backtest(series, _day(start), _day(end), n_paths=n_paths, seed=seed,
                       schedule=Schedule(daily_pages=information == "pages"))
    if fmt == "json":
        def rec(df):
            return json.loads(df.map(lambda v: list(v) if isinstance(v, tuple) else v).to_json(orient="records"))
        click.echo(json.dumps({"origins": [d.date().isoformat() for d in res.origins], "n_paths": res.n_paths,
                               "seconds": round(res.seconds, 2), "data_end": res.data_end.date().isoformat(),
                               "information": res.schedule.label, "weekly": rec(weekly_scores(res)),
                               "daily": rec(daily_scores(res)), "winner": winner(res),
                               "targets": {f: [dict(target=t, met=ok, numbers=n) for t, ok, n in targets(res, f)]
                                           for f in res.forecasters}}, indent=1))
    else:
        click.echo(text(res))
    if out:
        cmd = f"crossings backtest --start {start}" + (f" --end {end}" if end else "") + \
            f" --paths {n_paths} --seed {seed} --information {information} --out {shlex.quote(out)}"
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        write_text(out, markdown(res, source, cmd))
        click.echo(f"wrote {out}", err=True)


def _backtest_series(db: str | None, typed: bool = False):
    """The store's daily series and a description of it; with no store yet (and none named with --db, ``typed``)
    or an empty one, the bundled workbook's."""
    from ..config import bundled_workbooks
    from ..forecast.series import daily_series
    from ..store import Store, StoreMissingError
    try:
        store = Store(db, read_only=True)
    except StoreMissingError:  # no store yet: as for an empty one, the bundled workbook
        if typed:              # a path typed with --db that holds nothing is a mistake, not "an empty store"
            raise
        store = Store(":memory:")
    if not store.is_empty():
        rel = store.releases()
        last = rel["release_date"].max()
        last = last.date().isoformat() if hasattr(last, "date") else str(last)
        return daily_series(store.daily()), f"newest stored values (releases up to {last})"
    wb = bundled_workbooks()[0]
    click.echo(f"the store is empty: backtesting on the bundled workbook {wb.name}", err=True)
    mem = Store(":memory:")
    mem.ingest(wb)
    return daily_series(mem.daily()), f"release {wb.name} (bundled)"
