"""The ``crossings`` command group: a thin layer that turns package errors into one-line messages."""
from __future__ import annotations

import sys
from datetime import date

import click

from ..errors import CrossingsError, parse_day


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CrossingsError as exc:
            click.echo(f"crossings: error: {exc}", err=True)
            sys.exit(1)
        except click.UsageError as exc:  # a bad option or value: one line, as for every other error
            where = exc.ctx.command_path if exc.ctx is not None else "crossings"
            click.echo(f"crossings: error: {exc.format_message()} (see '{where} --help')", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crossings")
def main() -> None:
    """crossings: observatory and simulator of small-boat crossings of the English Channel."""


db_option = click.option("--db", "db", type=click.Path(dir_okay=False), default=None, envvar="CROSSINGS_DB",
                         help="DuckDB store (default: user data dir; env CROSSINGS_DB).")


def parse_date(value: str | None) -> date | None:
    """A YYYY-MM-DD option value as a date (None stays None); a usage error otherwise."""
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=_option_of(value)) from None


def _option_of(value: str) -> str | None:
    """The option (e.g. ``'--as-of'``) of the running command whose value is ``value``, for error messages."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    for p in ctx.command.params:
        if ctx.params.get(p.name) == value and isinstance(p, click.Option):
            return f"'{p.opts[0]}'"
    return None


def emit(df, fmt: str, title: str | None = None) -> None:
    """Print a DataFrame as an aligned table, JSON records or CSV."""
    import pandas as pd
    if fmt == "json":
        click.echo(df.to_json(orient="records", date_format="iso", indent=1))
    elif fmt == "csv":
        click.echo(df.to_csv(index=False), nl=False)
    else:
        if title:
            click.secho(title, bold=True)
        with pd.option_context("display.max_rows", 200, "display.max_columns", 30, "display.width", 160):
            click.echo(df.to_string(index=False))
        click.echo()


fmt_option = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                          show_default=True)
