"""CLI commands of the observatory: ingest, fetch, releases, revisions, stats, export, report."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ._app import db_option, emit as _emit, fmt_option, main, parse_date as _date


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
@click.option("--bundled", is_flag=True, help="Also ingest the workbook shipped with the package.")
@click.option("--release-date", default=None, help="Publication date (YYYY-MM-DD) if the file name lacks it.")
@db_option
def ingest(files: tuple[str, ...], bundled: bool, release_date: str | None, db: str | None) -> None:
    """Ingest official workbooks (ODS) and saved 'last 7 days' pages.

    Every file is checked before anything is stored; each is then stored in its own transaction.
    """
    from ..config import bundled_workbooks
    from ..sources import read
    from ..store import add_release
    paths = [str(p) for p in (bundled_workbooks() if bundled else [])] + list(files)
    if not paths:
        raise click.UsageError("give one or more files, or --bundled")
    parsed = [read(p, release_date=_date(release_date)) for p in paths]  # raises before anything is written
    with _store(db) as store:
        for p, rel in zip(paths, parsed):
            click.echo(add_release(store.con, rel, path=p).describe())


@main.command()
@db_option
def fetch(db: str | None) -> None:
    """Download the newest workbook and daily page from GOV.UK and ingest them."""
    from ..fetch import fetch_latest
    result = fetch_latest(db_path=db)
    click.echo(result.describe())


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
@click.option("--table", type=click.Choice(["daily", "weekly", "releases"]), default="daily", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "json"]), default=None,
              help="Default: from the file suffix.")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--as-of", default=None, help="Values as published on or before this date (YYYY-MM-DD).")
@db_option
def export(table: str, fmt: str | None, out: str, as_of: str | None, db: str | None) -> None:
    """Export a table to CSV, Parquet or JSON."""
    from ..errors import CrossingsError
    from ..export import table_frame, write_frame
    day = _date(as_of)
    with _reading(db) as store:
        _require_data(store)
        df = table_frame(store, table, day)
        first = store.con.execute("SELECT min(release_date) FROM releases").fetchone()[0]
    if day is not None and table != "releases" and df.empty:
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
    from ..analysis import KEY, build_tables, key_figures, key_figures_table, tables
    registry = tables()
    names = [KEY, *registry]
    if list_tables:
        width = max(map(len, names))
        for name in names:
            click.echo(f"{name:<{width}}  {'Key figures (the default)' if name == KEY else registry[name].title}")
        return
    unknown = [o for o in only if o not in names and o != ALL]
    if unknown:
        raise click.BadParameter(f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(names)} or {ALL}",
                                 param_hint="--only")
    chosen = names if ALL in only else [n for n in names if n in (only or (KEY,))]
    if fmt == "csv" and len(chosen) > 1:
        raise click.BadParameter("CSV holds one table at a time: give one --only NAME", param_hint="--only")
    with _reading(db) as store:
        _require_data(store)
        daily, weekly = store.daily(), store.weekly()
        built = build_tables(daily, weekly, [n for n in chosen if n != KEY], store=store)
    out = {}
    for name in chosen:
        if name == KEY:
            figures = key_figures(daily, weekly)
            out[name] = figures if fmt == "json" else key_figures_table(figures)
        else:
            out[name] = built[name]
    if fmt == "json":
        click.echo(json.dumps({k: v if isinstance(v, dict) else _records(v) for k, v in out.items()}, indent=1))
        return
    for name, df in out.items():
        if name == KEY and fmt == "table":
            _echo_figures(df)
        else:
            _emit(df, fmt, registry[name].title if name in registry else "Key figures")


def _echo_figures(df) -> None:
    """The headline figures as 'label   value' lines, labels left and values right aligned."""
    click.secho("Key figures", bold=True)
    wl, wv = max(map(len, df["figure"])), max(map(len, df["value"]))
    for label, value in zip(df["figure"], df["value"]):
        click.echo(f"{label:<{wl}}  {value:>{wv}}")
    click.echo()


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@db_option
def report(out: str, db: str | None) -> None:
    """Write the self-contained HTML report (works offline: no external files, fonts or scripts)."""
    from ..report import build_report
    daily, weekly, rels = _load(db)
    path = build_report(daily, weekly, releases=rels, out_path=Path(out))
    click.echo(f"wrote {path}")
