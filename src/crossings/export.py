"""Writing store tables to CSV, Parquet or JSON, atomically (a temporary file renamed into place).

In CSV, a text field that a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is written with a leading apostrophe, so opening the export never runs anything; numbers and
dates are written as they are. Parquet and JSON keep text unchanged.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .errors import CrossingsError
from .store import Store

OBSERVATORY_TABLES = ("daily", "weekly", "releases")
SHIPPED_TABLES = ("places", "events")  # files shipped with the package, not store tables
TABLES = (*OBSERVATORY_TABLES, "incidents", *SHIPPED_TABLES)
FORMATS = ("csv", "parquet", "json", "geojson")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text value a spreadsheet would treat as a formula, prefixed with ``'``; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text_safe(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
            df[c] = df[c].map(neutralise_formula)
    return df


def table_frame(store: Store, table: str, as_of: date | None = None) -> pd.DataFrame:
    """The latest view of ``daily`` or ``weekly`` (as known on ``as_of``), the list of ``releases`` (those published
    on or before ``as_of``), or a map table (:func:`crossings.geo_export.geo_table`)."""
    if table == "daily":
        return store.daily(as_of).drop(columns=["release_id"])
    if table == "weekly":
        return store.weekly(as_of).drop(columns=["release_id"])
    if table == "releases":
        rel = store.releases()
        if as_of is not None:
            rel = rel[pd.to_datetime(rel["release_date"]) <= pd.Timestamp(as_of)].reset_index(drop=True)
        return rel
    if table in ("incidents", "places", "events"):
        from .geo_export import geo_table
        return geo_table(store, table, as_of)
    raise CrossingsError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def write_frame(df: pd.DataFrame, out: str | Path, fmt: str | None = None) -> Path:
    """Write ``df`` to ``out`` in ``fmt`` (default: from the suffix). Dates are written as ISO dates."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise CrossingsError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "geojson":
        from .geo_export import write_geojson
        return write_geojson(df, out)
    df = df.copy()
    for c in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[c]) and c != "ingested_at":
            df[c] = df[c].dt.date
    with atomic_path(out) as tmp:
        if fmt == "csv":
            _text_safe(df).to_csv(tmp, index=False)
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            for c in df.columns:  # ISO dates, not epoch timestamps
                if len(df) and isinstance(df[c].iloc[0], date):
                    df[c] = df[c].map(lambda v: v.isoformat() if v is not None and v == v else None)
            df.to_json(tmp, orient="records", indent=1)
    return out
