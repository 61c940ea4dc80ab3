"""The ``conditions_hourly`` table: hourly wind and waves at the strait points, and the daily night aggregates.

Each row is one point and hour from one source (``openmeteo-history`` or ``openmeteo-forecast``) with the time it
was fetched. A fetch is written in one transaction and replaces, for its source and points, every stored row in the
hours it covers, so re-fetching a period gives the newest values and never duplicates. History and forecast rows are
kept apart; when both exist for an hour, readers use the history row (observed reanalysis beats a forecast).
"""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from ..errors import InputError
from ..store.db import transaction
from .thresholds import NIGHT_END_H, NIGHT_START_H

TABLE = "conditions_hourly"
SOURCES = ("openmeteo-history", "openmeteo-forecast")  # in order of preference
MEASURES = ("wind_speed_ms", "wind_gust_ms", "wind_direction_deg", "wave_height_m")
COLUMNS = ("point", "time_utc", *MEASURES, "source", "fetched_at")

# The table is created by the store's migration 1 (crossings.store.migrations).


def connection(store_or_con) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection of a :class:`crossings.store.Store`, a connection, or a store path."""
    if isinstance(store_or_con, duckdb.DuckDBPyConnection):
        return store_or_con
    if hasattr(store_or_con, "con"):
        return store_or_con.con
    from ..store.db import connect
    return connect(store_or_con)


def _naive_utc(s: pd.Series) -> pd.Series:
    s = pd.to_datetime(s)
    return s.dt.tz_convert("UTC").dt.tz_localize(None) if s.dt.tz is not None else s


def save_hourly(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, source: str,
                fetched_at: datetime) -> int:
    """Store one fetch (columns ``point``, ``time_utc`` and the measures) in one transaction; returns rows stored.

    Rows of ``source`` for the same points within the fetch's first and last hour are replaced.
    """
    if source not in SOURCES:
        raise InputError(f"unknown conditions source {source!r}; known: {', '.join(SOURCES)}")
    missing = [c for c in ("point", "time_utc", *MEASURES) if c not in frame.columns]
    if missing:
        raise InputError(f"missing columns {missing}", file="conditions frame")
    df = frame.loc[:, ["point", "time_utc", *MEASURES]].copy()
    df["time_utc"] = _naive_utc(df["time_utc"])
    if df[["point", "time_utc"]].duplicated().any():
        raise InputError("repeated point and hour", file="conditions frame")
    df["source"] = source
    df["fetched_at"] = utc_naive_time(fetched_at)
    replace_window(con, TABLE, COLUMNS, df, source)
    return len(df)


def utc_naive_time(t) -> pd.Timestamp:
    """A time as naive UTC (the store's convention); a naive time is taken to be UTC already."""
    ts = pd.Timestamp(t)
    return ts if ts.tz is None else ts.tz_convert("UTC").tz_localize(None)


def replace_window(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], df: pd.DataFrame,
                   source: str) -> None:
    """In one transaction, delete ``source``'s rows of ``table`` in each point's span of ``df`` hours, then insert
    ``df``: a re-fetch of a window replaces it instead of adding to it."""
    with transaction(con):
        for point, g in df.groupby("point"):
            con.execute(f"DELETE FROM {table} WHERE source = ? AND point = ? AND time_utc BETWEEN ? AND ?",
                        [source, point, g["time_utc"].min().to_pydatetime(), g["time_utc"].max().to_pydatetime()])
        con.register("_conditions_new", df)
        try:
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} "
                        "FROM _conditions_new")
        finally:
            con.unregister("_conditions_new")


def _bounds(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if e < s:
        raise InputError(f"end {end} is before start {start}")
    return s, e


def hourly_conditions(store_or_con, start: date, end: date, points: list[str] | None = None) -> pd.DataFrame:
    """Hourly rows from ``start`` 00:00 to ``end`` 23:00 UTC, one per point and hour (history preferred).

    Columns: ``point``, ``time_utc`` (UTC, tz-aware), the measures, ``source``, ``fetched_at``.
    """
    con = connection(store_or_con)
    s, e = _bounds(start, end)
    e = e.normalize() + pd.Timedelta(days=1)
    return _hourly(con, s.to_pydatetime(), e.to_pydatetime(), points)


def _hourly(con, t0: datetime, t1: datetime, points: list[str] | None,
            sources: tuple[str, ...] = SOURCES) -> pd.DataFrame:
    where, args = "time_utc >= ? AND time_utc < ?", [t0, t1]
    if points:
        where += f" AND point IN ({', '.join('?' * len(points))})"
        args += list(points)
    where += f" AND source IN ({', '.join('?' * len(sources))})"
    args += list(sources)
    rank = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SOURCES))
    df = con.execute(f"""
        SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE {where}
        QUALIFY row_number() OVER (PARTITION BY point, time_utc
                                   ORDER BY CASE source {rank} END, fetched_at DESC) = 1
        ORDER BY time_utc, point""", args).df()
    df["time_utc"] = pd.to_datetime(df["time_utc"]).dt.tz_localize("UTC")
    return df


def night_bounds(start: date, end: date, night_start_h: int = NIGHT_START_H,
                 night_end_h: int = NIGHT_END_H) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First hour of the night of ``start`` and the hour after the last of the night of ``end`` (naive UTC)."""
    if not (0 <= night_start_h <= 24 and 0 <= night_end_h <= 24):
        raise InputError("night_start_h and night_end_h must be hours 0-24 (UTC)")
    if night_end_h > night_start_h:
        raise InputError(f"night window {night_start_h}:00 (previous day) to {night_end_h}:00 is longer than 24 h")
    s, e = _bounds(start, end)
    s, e = s.normalize(), e.normalize()
    return s - pd.Timedelta(days=1) + pd.Timedelta(hours=night_start_h), e + pd.Timedelta(hours=night_end_h)


def night_aggregates(hourly: pd.DataFrame, start: date, end: date, *, night_start_h: int = NIGHT_START_H,
                     night_end_h: int = NIGHT_END_H) -> pd.DataFrame:
    """The daily conditions table from hourly rows (``time_utc`` and the measures, any points): see
    :func:`daily_conditions`. The one place nights are aggregated, for stored history and archived forecasts alike."""
    night_bounds(start, end, night_start_h, night_end_h)  # checks the window
    s, e = _bounds(start, end)
    s, e = s.normalize(), e.normalize()
    t = pd.to_datetime(hourly["time_utc"])
    t = t.dt.tz_convert("UTC").dt.tz_localize(None) if t.dt.tz is not None else t
    # a row belongs to the date whose window holds it: shift so the window start falls on midnight
    window_day = (t - pd.Timedelta(hours=night_start_h) + pd.Timedelta(days=1)).dt.normalize()
    in_window = (t - (window_day - pd.Timedelta(days=1) + pd.Timedelta(hours=night_start_h))) \
        < pd.Timedelta(hours=24 - night_start_h + night_end_h)
    h = hourly[in_window.to_numpy()].assign(date=window_day[in_window].dt.date)
    agg = h.groupby("date").agg(wind_speed_ms=("wind_speed_ms", "mean"), wind_gust_ms=("wind_gust_ms", "max"),
                                wave_height_m=("wave_height_m", "max"), n_hours=("wind_speed_ms", "count"))
    days = pd.Index(pd.date_range(s, e, freq="D").date, name="date")
    out = agg.reindex(days).reset_index()
    out["n_hours"] = out["n_hours"].fillna(0).astype(np.int64)
    return out


def daily_conditions(store_or_con, start: date, end: date, *, night_start_h: int = NIGHT_START_H,
                     night_end_h: int = NIGHT_END_H, points: list[str] | None = None,
                     sources: tuple[str, ...] = SOURCES) -> pd.DataFrame:
    """One row per date from ``start`` to ``end``: night/early-morning conditions over the strait points.

    The window of a date runs from ``night_start_h`` UTC on the previous day to ``night_end_h`` UTC on the date
    (the hours when most boats leave, so a night counts towards the day boats arrive in the UK). Columns:
    ``date``, ``wind_speed_ms`` (mean over points and hours), ``wind_gust_ms`` (max), ``wave_height_m`` (max),
    ``n_hours`` (point-hours with a wind speed). Dates without data have NaN measures and ``n_hours`` 0.
    ``sources``: which stored sources to read (default both, history preferred).
    """
    con = connection(store_or_con)
    t0, t1 = night_bounds(start, end, night_start_h, night_end_h)
    h = _hourly(con, t0.to_pydatetime(), t1.to_pydatetime(), points, sources)
    return night_aggregates(h, start, end, night_start_h=night_start_h, night_end_h=night_end_h)
