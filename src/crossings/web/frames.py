"""DataFrames to JSON rows and download files, the same bytes as ``crossings export`` writes."""
from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

from ..export import table_frame, write_frame

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
               "parquet": "application/vnd.apache.parquet"}


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: days as YYYY-MM-DD, ``<NA>`` as null (as ``crossings stats --format json``)."""
    df = df.copy()
    for c in df.columns:
        if str(df[c].dtype).startswith("datetime64"):
            df[c] = df[c].dt.strftime("%Y-%m-%d")
        elif df[c].dtype == object and len(df) and isinstance(df[c].dropna().iloc[0] if df[c].notna().any()
                                                                else None, date):
            df[c] = df[c].map(lambda v: v.isoformat() if isinstance(v, date) else v)
        elif df[c].dtype == object and len(df) and df[c].map(lambda v: isinstance(v, tuple)).any():
            df[c] = df[c].map(lambda v: list(v) if isinstance(v, tuple) else v)
    return json.loads(df.to_json(orient="records", date_format="iso"))


class SnapshotTables:
    """A read-only stand-in for :class:`crossings.store.Store` over a snapshot (its tables and its in-memory copy),
    for the package functions that take a store (exports, incidents, deaths tables, the forecast)."""

    def __init__(self, snap, con=None):
        self._snap = snap
        self.con = con if con is not None else snap.cursor()

    def daily(self, as_of: date | None = None) -> pd.DataFrame:
        if as_of is None:
            return self._snap.daily
        from ..store.views import latest_daily
        return latest_daily(self.con, as_of)

    def weekly(self, as_of: date | None = None) -> pd.DataFrame:
        if as_of is None:
            return self._snap.weekly
        from ..store.views import latest_weekly
        return latest_weekly(self.con, as_of)

    def releases(self) -> pd.DataFrame:
        return self._snap.releases

    def is_empty(self) -> bool:
        return self._snap.empty


def store_table(snap, table: str) -> pd.DataFrame:
    """A table exactly as ``crossings export --table`` selects it (daily, weekly, releases, incidents, places,
    events)."""
    return table_frame(SnapshotTables(snap), table)


def file_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """``df`` written by :func:`crossings.export.write_frame` (the CLI's writer), as bytes."""
    with tempfile.TemporaryDirectory(prefix="crossings-web-") as tmp:
        path = write_frame(df, Path(tmp) / f"table.{fmt}", fmt)
        return path.read_bytes()
