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
    return json.loads(df.to_json(orient="records", date_format="iso"))


class SnapshotTables:
    """The store interface :func:`crossings.export.table_frame` expects, over a snapshot's tables."""

    def __init__(self, snap):
        self._snap = snap

    def daily(self, as_of: date | None = None) -> pd.DataFrame:
        return self._snap.daily

    def weekly(self, as_of: date | None = None) -> pd.DataFrame:
        return self._snap.weekly

    def releases(self) -> pd.DataFrame:
        return self._snap.releases


def store_table(snap, table: str) -> pd.DataFrame:
    """``daily``, ``weekly`` or ``releases`` exactly as ``crossings export --table`` selects them."""
    return table_frame(SnapshotTables(snap), table)


def file_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """``df`` written by :func:`crossings.export.write_frame` (the CLI's writer), as bytes."""
    with tempfile.TemporaryDirectory(prefix="crossings-web-") as tmp:
        path = write_frame(df, Path(tmp) / f"table.{fmt}", fmt)
        return path.read_bytes()
