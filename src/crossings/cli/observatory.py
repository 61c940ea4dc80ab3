"""CLI commands of the observatory: ingest, fetch, releases, revisions, stats, export, report."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ._app import db_option, emit as _emit, fmt_option, main, parse_date as _date
from .warm import adds_arrivals, no_forecast_option, warm_forecast


def _store(db: str | None, read_only: bool = False):
    """The store at ``db``: writable for commands that add to it, else read-only (it must then exist)."""
    from ..store import Store
    return Store(db, read_only=read_only)


@contextmanager
def _reading(db: str | None) -> Iterator:
    """The store opened read-only for the block and closed after it, so writers wait as little as possible."""
    store = _store(db, read_only=True)
    try:
        yield store
    finally:
        store.close()


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--bundled", is_flag=True, help="Also ingest the files shipped with the package (workbook, IOM "
              "incidents, prefecture figures).")
@click.option("--release-date", default=None, help="Publication date (YYYY-MM-DD) if the file name lacks it.")
@no_forecast_option
@db_option
def ingest(files: tuple[str, ...], bundled: bool, release_date: str | None, no_forecast: bool,
           db: str | None) -> None:
    """Ingest official workbooks (ODS) and saved 'last 7 days' pages.

    Every file is checked before anything is stored; each is then stored in its own transaction. When a new
    release of arrivals was stored, the default forecast is then computed and cached (unless --no-forecast).
    """
    from ..config import bundled_workbooks
    from ..sources import read
    from ..store import add_release
    from ..store.incidents import bundled_table_files
    paths = [str(p) for p in ([*bundled_workbooks(), *bundled_table_files()] if bundled else [])] + list(files)
    if not paths:
        raise click.UsageError("give one or more files, or --bundled")
    parsed = [read(p, release_date=_date(release_date)) for p in paths]  # raises before anything is written
    results = []
    with _store(db) as store:
        for p, rel in zip(paths, parsed):
            results.append(add_release(store.con, rel, path=p))
            click.echo(results[-1].describe())
    if not no_forecast and adds_arrivals(results):
        warm_forecast(db)


@main.command()
@db_option
@click.option("--incidents", is_flag=True, help="Fetch IOM's current Missing Migrants export instead "
              "(address: $CROSSINGS_IOM_URL or IOM's).")
@no_forecast_option
def fetch(db: str | None, incidents: bool, no_forecast: bool) -> None:
    """Download the newest workbook and daily page from GOV.UK and ingest them.

    When a new release was stored, the default forecast is then computed and cached (unless --no-forecast)."""
    if incidents:
        from .incidents import fetch_incidents_cmd
        return fetch_incidents_cmd(db)
    from ..fetch import fetch_latest
    result = fetch_latest(db_path=db)
    click.echo(result.describe())
    if not no_forecast and adds_arrivals(result.ingested):
        warm_forecast(db)


@main.command("releases")
@db_option
@fmt_option
def releases_cmd(db: str | None, fmt: str) -> None:
    """List the stored releases."""
    with _reading(db) as store:
        df = store.releases()
    _emit(df, fmt, "Releases")


@main.command()
@db_option
@fmt_option
@click.option("--table", type=click.Choice(["daily", "weekly"]), default="daily", show_default=True)
def revisions(db: str | None, fmt: str, table: str) -> None:
    """List values that changed between successive releases."""
    with _reading(db) as store:
        df = store.revisions(table)
    if df.empty and fmt == "table":
        click.echo("No revisions between the stored releases.")
        return
    _emit(df, fmt, f"Revisions ({table})")


@main.command()
@click.option("--table", type=click.Choice(["daily", "weekly", "releases", "incidents", "places", "events"]),
              default="daily", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "json", "geojson"]), default=None,
              help="Default: from the file suffix.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="File to write (missing folders are created).")
@click.option("--as-of", default=None, help="As published on or before this date (YYYY-MM-DD; not after today): "
              "daily and weekly values as known then, the releases published by then, the incidents of the newest "
              "IOM release by then, the events dated on or before it; places are not dated.")
@db_option
def export(table: str, fmt: str | None, out: str, as_of: str | None, db: str | None) -> None:
    """Export a table to CSV, Parquet, JSON or (incidents, places, events) GeoJSON."""
    from ..errors import CrossingsError, check_not_future
    from ..export import OBSERVATORY_TABLES, SHIPPED_TABLES, table_frame, write_frame
    day = _date(as_of)
    if day is not None:  # before the store is opened: nothing is read, nothing written
        check_not_future(day, "--as-of", "an export can only hold values already published")
    if table in SHIPPED_TABLES:  # shipped with the package: no store needed
        df, first = table_frame(None, table, day), None
    else:
        with _reading(db) as store:
            if table in OBSERVATORY_TABLES:
                _require_data(store)
            df = table_frame(store, table, day)
            first = store.con.execute("SELECT min(release_date) FROM releases").fetchone()[0]
    if day is not None and table in OBSERVATORY_TABLES and df.empty:
        raise CrossingsError(f"nothing was published on or before {day}: the first stored release is dated "
                             f"{first}; give a later --as-of")
    path = write_frame(df, out, fmt)
    click.echo(f"wrote {len(df)} rows of {table} to {path}")


def _require_data(store) -> None:
    from ..errors import CrossingsError
    if store.is_empty():
        raise CrossingsError("the store is empty: run 'crossings ingest --bundled' or 'crossings fetch' first")


def _load(db: str | None):
    """The latest daily and weekly tables and the release list (the store is closed again on return)."""
    with _reading(db) as store:
        _require_data(store)
        return store.daily(), store.weekly(), store.releases()


def _records(df) -> list[dict]:
    """Rows as JSON-ready dicts, days as YYYY-MM-DD, ``<NA>`` as null."""
    df = df.copy()
    for c in df.columns:
        if str(df[c].dtype).startswith("datetime64"):
            df[c] = df[c].dt.strftime("%Y-%m-%d")
    return json.loads(df.to_json(orient="records"))


ALL = "all"


@main.command()
@db_option
@fmt_option
@click.option("--only", "only", multiple=True, metavar="NAME",
              help="Show this table (repeatable): 'key' (the headline figures, the default), a table name, or "
                   "'all'. CSV takes one table at a time.")
@click.option("--list", "list_tables", is_flag=True, help="List the tables --only can show, and stop.")
def stats(db: str | None, fmt: str, only: tuple[str, ...], list_tables: bool) -> None:
    """Answer the usual questions: the headline figures by default; totals, year to date, people per boat,
    crossing days, runs, records... with --only NAME (see the list in the error for an unknown name).

    With --format json, one object: table name -> list of rows ('key' -> the headline figures).
    """
    from ..headline import KEY
    if not list_tables and fmt != "csv" and all(o == KEY for o in only):  # the default: no DataFrame, no pandas
        from ..headline import figure_rows, key_figures_from_store
        with _reading(db) as store:
            _require_data(store)
            figures = key_figures_from_store(store.con)
        if fmt == "json":
            click.echo(json.dumps({KEY: figures}, indent=1))
        else:
            _echo_figures(figure_rows(figures))
        return
    from ..analysis import GROUPS, build_tables, key_figures, key_figures_table, tables
    registry = tables()
    names = [KEY, *registry]
    if list_tables:
        width = max(map(len, [*names, *GROUPS]))
        for name in names:
            click.echo(f"{name:<{width}}  {'Key figures (the default)' if name == KEY else registry[name].title}")
        for name, members in GROUPS.items():
            click.echo(f"{name:<{width}}  {', '.join(members)}")
        return
    unknown = [o for o in only if o not in names and o != ALL and o not in GROUPS]
    if unknown:
        raise click.BadParameter(f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(names)}, "
                                 f"{', '.join(GROUPS)} or {ALL}", param_hint="--only")
    wanted = [t for o in (only or (KEY,)) for t in GROUPS.get(o, (o,))]
    chosen = names if ALL in only else [n for n in names if n in wanted]
    if fmt == "csv" and len(chosen) > 1:
        if len(only) == 1 and only[0] in GROUPS:  # a group in CSV: its first table, the others named on stderr
            chosen = chosen[:1]
            click.echo(f"crossings: CSV holds one table: {chosen[0]} (the group also has "
                       f"{', '.join(GROUPS[only[0]][1:])}: give --only NAME)", err=True)
        else:
            raise click.BadParameter("CSV holds one table at a time: give one --only NAME", param_hint="--only")
    with _reading(db) as store:
        _require_data(store)
        daily, weekly = store.daily(), store.weekly()
        if ALL in only:  # every table that this store can answer; the others are named, not failed
            from ..errors import CrossingsError
            built = {}
            for n in chosen[1:]:
                try:
                    built.update(build_tables(daily, weekly, [n], store=store))
                except CrossingsError as exc:
                    click.echo(f"crossings: skipped {n}: {exc}", err=True)
            chosen = [KEY, *built]
        else:
            built = build_tables(daily, weekly, [n for n in chosen if n != KEY], store=store)
    notes = list(dict.fromkeys(registry[n].note for n in chosen if n != KEY and registry[n].note))
    out = {}
    if notes and fmt == "json":
        out["about"] = [{"note": n} for n in notes]
    for name in chosen:
        if name == KEY:
            figures = key_figures(daily, weekly)
            out[name] = figures if fmt == "json" else key_figures_table(figures)
        else:
            out[name] = built[name]
    if fmt == "json":
        click.echo(json.dumps({k: v if isinstance(v, (dict, list)) else _records(v) for k, v in out.items()},
                              indent=1))
        return
    for note in notes:  # said plainly whatever the format (on stderr for CSV, which holds one table only)
        click.echo(f"Note: {note}", err=(fmt == "csv"))
    if notes and fmt == "table":
        click.echo()
    for name, df in out.items():
        if name == KEY and fmt == "table":
            _echo_figures(list(zip(df["figure"], df["value"])))
        else:
            _emit(df, fmt, registry[name].title if name in registry else "Key figures")


def _echo_figures(rows: list[tuple[str, str]]) -> None:
    """The headline figures, (label, value) pairs, as 'label   value' lines: labels left, values right aligned."""
    click.secho("Key figures", bold=True)
    wl, wv = max(len(label) for label, _ in rows), max(len(value) for _, value in rows)
    for label, value in rows:
        click.echo(f"{label:<{wl}}  {value:>{wv}}")
    click.echo()


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--model-page/--no-model-page", default=True, show_default=True,
              help="Also write the simulator's model page next to the report (<name>-model.html) and link it.")
@db_option
def report(out: str, db: str | None, model_page: bool) -> None:
    """Write the self-contained HTML report (works offline: no external files, fonts or scripts)."""
    from ..errors import InputError
    from ..report import build_report, report_path
    from ..report.deaths import report_extras
    with _reading(db) as store:
        _require_data(store)
        daily, weekly, rels = store.daily(), store.weekly(), store.releases()
        extras = report_extras(store, daily)  # deaths-and-incidents section, event markers
    path = report_path(out)
    if model_page:
        from ..report.model_page import write_beside
        try:
            page = write_beside(path, daily, weekly)
            extras["model_page"] = page.name
        except InputError as exc:
            click.echo(f"crossings: model page not written ({exc}); the report does not link it", err=True)
    path = build_report(daily, weekly, releases=rels, out_path=path, **extras)
    click.echo(f"wrote {path}")
    if extras.get("model_page"):
        click.echo(f"wrote {page} (the simulator's model page, linked from the report)")
