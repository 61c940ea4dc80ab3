"""The ``crossings`` command group: a thin layer that turns package errors into one-line messages."""
from __future__ import annotations

import sys

import click

from ..errors import CrossingsError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CrossingsError as exc:
            click.echo(f"crossings: error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crossings")
def main() -> None:
    """crossings: observatory and simulator of small-boat crossings of the English Channel."""


db_option = click.option("--db", "db", type=click.Path(dir_okay=False), default=None, envvar="CROSSINGS_DB",
                         help="DuckDB store (default: user data dir; env CROSSINGS_DB).")
