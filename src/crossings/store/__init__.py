"""The DuckDB store: every release kept, latest views, revisions.

Functions take a DuckDB connection; :class:`Store` is a thin wrapper that owns one, for notebooks and the CLI.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from ..config import bundled_workbook
from .db import StoreBusyError, StoreMissingError, connect, transaction
from .migrations import LATEST_VERSION, MIGRATIONS, current_version, migrate
from .releases import IngestResult, add_release, ingest_file
from .views import latest_daily, latest_weekly, releases, revisions

__all__ = ["Store", "StoreBusyError", "StoreMissingError", "bundled_workbook", "connect", "transaction", "migrate", "current_version", "MIGRATIONS",
           "LATEST_VERSION", "IngestResult", "add_release", "ingest_file",
           "latest_daily", "latest_weekly", "releases", "revisions"]


class Store:
    """A DuckDB file holding every ingested release. ``Store()`` opens the default location (or ``$CROSSINGS_DB``).

    ``read_only=True`` opens an existing store for reading only (several processes may read at once; a missing file
    is an error, never a new empty store). A store held by another process is waited for (see ``store.db``).
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.con: duckdb.DuckDBPyConnection = connect(path, read_only=read_only)

    def ingest(self, path: str | Path, origin: str | None = None, release_date: date | None = None) -> IngestResult:
        return ingest_file(self.con, path, origin=origin, release_date=release_date)

    def daily(self, as_of: date | None = None) -> pd.DataFrame:
        return latest_daily(self.con, as_of)

    def weekly(self, as_of: date | None = None) -> pd.DataFrame:
        return latest_weekly(self.con, as_of)

    def releases(self) -> pd.DataFrame:
        return releases(self.con)

    def revisions(self, table: str = "daily") -> pd.DataFrame:
        return revisions(self.con, table)

    def is_empty(self) -> bool:
        return self.con.execute("SELECT count(*) FROM releases").fetchone()[0] == 0

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
