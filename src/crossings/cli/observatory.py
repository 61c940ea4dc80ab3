"""CLI commands of the observatory: ingest, fetch, releases, revisions, stats, export, report."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ._app import db_option, emit as _emit, fmt_option, main, parse_date as _date


def _store(db: str | None, read_only: bool = False):
    from ..store import Store
    return Store(db, read_only=read_only)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--bundled", is_flag=True, help="Also ingest the files shipped with the package (workbook, IOM "
              "incidents, prefecture figures).")
@click.option("--release-date", default=None, help="Publication date (YYYY-MM-DD) if the file name lacks it.")
@db_option
def ingest(files: tuple[str, ...], bundled: bool, release_date: str | None, db: str | None) -> None:
    """Ingest official workbooks (ODS) and saved 'last 7 days' pages.

    Every file is checked before anything is stored; each is then stored in its own transaction.
    """
    from ..config import bundled_workbooks
    from ..sources import read
    from ..store import add_release
    from ..store.incidents import bundled_table_files
    paths = [str(p) for p in ([*bundled_workbooks(), *bundled_table_files()] if bundled else [])] + list(files)
    if not paths:
        raise click.UsageError("give one or more files, or --bundled")
    parsed = [read(p, release_date=_date(release_date)) for p in paths]  # raises before anything is written
    store = _store(db)
    for p, rel in zip(paths, parsed):
        click.echo(add_release(store.con, rel, path=p).describe())


@main.command()
@db_option
@click.option("--incidents", is_flag=True, help="Fetch IOM's current Missing Migrants export instead "
              "(address: $CROSSINGS_IOM_URL or IOM's).")
def fetch(db: str | None, incidents: bool) -> None:
    """Download the newest workbook and daily page from GOV.UK and ingest them."""
    if incidents:
        from .incidents import fetch_incidents_cmd
        return fetch_incidents_cmd(db)
    from ..fetch import fetch_latest
    result = fetch_latest(db_path=db)
    click.echo(result.describe())


@main.command("releases")
@db_option
@fmt_option
def releases_cmd(db: str | None, fmt: str) -> None:
    """List the stored releases."""
    _emit(_store(db).releases(), fmt, "Releases")


@main.command()
@db_option
@fmt_option
@click.option("--table", type=click.Choice(["daily", "weekly"]), default="daily", show_default=True)
def revisions(db: str | None, fmt: str, table: str) -> None:
    """List values that changed between successive releases."""
    df = _store(db).revisions(table)
    if df.empty and fmt == "table":
        click.echo("No revisions between the stored releases.")
        return
    _emit(df, fmt, f"Revisions ({table})")


@main.command()
@click.option("--table", type=click.Choice(["daily", "weekly", "releases", "incidents", "places", "events"]),
              default="daily", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "json", "geojson"]), default=None,
              help="Default: from the file suffix.")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--as-of", default=None, help="Values as published on or before this date (YYYY-MM-DD).")
@db_option
def export(table: str, fmt: str | None, out: str, as_of: str | None, db: str | None) -> None:
    """Export a table to CSV, Parquet, JSON or (incidents, places, events) GeoJSON."""
    from ..export import table_frame, write_frame
    store = _store(db)
    if table in ("daily", "weekly", "releases"):
        _require_data(store)
    df = table_frame(store, table, _date(as_of))
    path = write_frame(df, out, fmt)
    click.echo(f"wrote {len(df)} rows of {table} to {path}")


def _require_data(store) -> None:
    from ..errors import CrossingsError
    if store.is_empty():
        raise CrossingsError("the store is empty: run 'crossings ingest --bundled' or 'crossings fetch' first")


def _load(db: str | None):
    """The latest daily and weekly tables and the release list."""
    store = _store(db)
    _require_data(store)
    return store.daily(), store.weekly(), store.releases()


def _records(df) -> list[dict]:
    """Rows as JSON-ready dicts, days as YYYY-MM-DD, ``<NA>`` as null."""
    df = df.copy()
    for c in df.columns:
        if str(df[c].dtype).startswith("datetime64"):
            df[c] = df[c].dt.strftime("%Y-%m-%d")
    return json.loads(df.to_json(orient="records"))


@main.command()
@db_option
@fmt_option
@click.option("--only", "only", multiple=True,
              help="Show only these tables (repeatable); 'key' for the headline figures. Default: all.")
def stats(db: str | None, fmt: str, only: tuple[str, ...]) -> None:
    """Answer the usual questions: totals, year to date, people per boat, crossing days, runs, records...

    With --format json, one object: table name -> list of rows ('key' -> the headline figures).
    """
    import pandas as pd
    from ..analysis import all_stats, key_figures
    daily, weekly, _ = _load(db)
    tables = all_stats(daily, weekly)
    from .incidents import death_stats  # deaths, incidents and rescues tables (IOM, prefecture)
    tables, only = death_stats(db, daily, tables, only)
    names = ["key", *tables]
    unknown = [o for o in only if o not in names]
    if unknown:
        raise click.BadParameter(f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(names)}",
                                 param_hint="--only")
    chosen = [n for n in names if (n in only if only else True)]
    out = {}
    for name in chosen:
        if name == "key":
            figures = key_figures(daily, weekly)
            out[name] = figures if fmt == "json" else pd.DataFrame(
                {"figure": list(figures), "value": ["" if v is None else str(v) for v in figures.values()]})
        else:
            out[name] = tables[name]
    if fmt == "json":
        click.echo(json.dumps({k: v if isinstance(v, dict) else _records(v) for k, v in out.items()}, indent=1))
        return
    for name, df in out.items():
        if fmt == "csv" and len(out) > 1:
            click.echo(f"# {name}")
        _emit(df, fmt, name.replace("_", " ").capitalize())


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@db_option
def report(out: str, db: str | None) -> None:
    """Write the self-contained HTML report (works offline: no external files, fonts or scripts)."""
    from ..report import build_report
    from ..report.deaths import report_extras
    daily, weekly, rels = _load(db)
    extras = report_extras(_store(db), daily)  # deaths-and-incidents section, event markers
    path = build_report(daily, weekly, releases=rels, out_path=Path(out), **extras)
    click.echo(f"wrote {path}")
