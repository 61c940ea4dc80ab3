"""Archived weather forecasts as they were issued, and the daily conditions a forecaster had on a given day.

Source: Open-Meteo's Previous Runs API (``previous-runs-api.open-meteo.com/v1/forecast``). Its variable
``wind_speed_10m_previous_dayN`` is, per its documentation, "the value that was predicted 24 hours [x N] before
valid time", N = 1..7, and ``wind_speed_10m`` (N = 0) the newest run before the hour; most models are archived
from January 2024. That is what a forecast issued on day D could have read for day D + h, so it is what the
backtest uses. Open-Meteo's Historical Forecast API was not chosen: it stitches the *first hours* of every run
into one series, close to observed weather at every hour, so scoring day D + 6 with it would leak weather nobody
knew at D. Waves: the Marine API documents no archive of earlier runs (its past days are the same stitched first
hours), so archived forecasts carry wind only; the wave and gust columns stay missing.

Rules (named constants below):

- a backtest forecast for origin D is issued at ``ISSUE_HOUR_UTC`` on D; a run is usable ``RUN_DELAY_H`` hours
  after the time it is valid N x 24 h before (global models are published 4-6 h after initialisation), so the hour
  t is read at the smallest stored lead N with ``t - N x 24 h <= issue - RUN_DELAY_H``. With the defaults the night
  ending on D + k (k = 0..6) is read at lead k + 1; nights after D + 6 are beyond the archive's 7 days;
- reanalysis history (``openmeteo-history``) was known at D only for hours up to ``REANALYSIS_DELAY_DAYS``
  before the issue (the Historical Weather API runs 5 days behind).

Nights are aggregated by :func:`crossings.conditions.store.night_aggregates` with the one night window of
:class:`crossings.conditions.thresholds.Thresholds`, as for stored history.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from ..errors import InputError
from ..sources import openmeteo
from ..sources.openmeteo import STRAIT_POINTS, Point
from .store import (MEASURES, _hourly, _naive_utc, connection, night_aggregates, night_bounds, replace_window,
                    utc_naive_time)
from .thresholds import Thresholds

TABLE = "conditions_issued"  # created by the store's migration 6 (crossings.store.migrations)
SOURCE = "openmeteo-previous-runs"
ISSUE_HOUR_UTC = 0  # a backtest forecast is issued at midnight UTC starting its origin day
RUN_DELAY_H = 6  # hours from a run's valid-minus-lead time to its publication (global models: 4-6 h)
REANALYSIS_DELAY_DAYS = 5  # the reanalysis archive runs this many days behind
MAX_LEAD_DAYS = openmeteo.MAX_LEAD_DAYS
COLUMNS = ("point", "time_utc", "lead_days", *MEASURES, "source", "fetched_at")


@dataclass(frozen=True)
class ArchivedDownload:
    """Checked archived forecasts of one fetch (``point``, ``time_utc``, ``lead_days``, ``wind_speed_ms``), not
    yet stored."""
    frame: pd.DataFrame
    points: tuple[Point, ...]
    start: date
    end: date
    fetched_at: datetime


@dataclass(frozen=True)
class ArchivedResult:
    """What one fetch of archived forecasts stored."""
    rows: int
    values: int
    points: tuple[str, ...]
    start: date
    end: date

    def describe(self) -> str:
        return (f"{SOURCE}: {self.values} of {self.rows} point-hour-leads with a wind speed (leads 0-"
                f"{MAX_LEAD_DAYS} days) at {', '.join(self.points)}, {self.start} to {self.end} UTC")


def download_archived_forecasts(start: date, end: date, points: Sequence[Point] = STRAIT_POINTS) -> ArchivedDownload:
    """Archived hourly wind forecasts (leads 0-7 days) for the hours of ``start`` to ``end``, checked, unstored."""
    from .weather import _as_date, _now
    s, e = _as_date(start, "start"), _as_date(end, "end")
    if e < s:
        raise InputError(f"end {e} is before start {s}")
    frames = []
    for p in points:
        f = openmeteo.fetch_previous_runs(p, s, e)
        f.insert(0, "point", p.name)
        frames.append(f)
    return ArchivedDownload(pd.concat(frames, ignore_index=True), tuple(points), s, e, _now())


def store_archived_forecasts(store_or_con, download: ArchivedDownload) -> ArchivedResult:
    """Write a download in one transaction, replacing the stored leads of its points and hours."""
    con = connection(store_or_con)
    df = download.frame.copy()
    df["time_utc"] = _naive_utc(df["time_utc"])
    if df[["point", "time_utc", "lead_days"]].duplicated().any():
        raise InputError("repeated point, hour and lead", file="archived forecasts")
    for col in MEASURES:
        if col not in df.columns:
            df[col] = np.nan
    df["source"] = SOURCE
    df["fetched_at"] = utc_naive_time(download.fetched_at)
    df = df.loc[:, list(COLUMNS)]
    replace_window(con, TABLE, COLUMNS, df, SOURCE)
    return ArchivedResult(len(df), int(df["wind_speed_ms"].notna().sum()), tuple(p.name for p in download.points),
                          download.start, download.end)


def issue_time(origin: date | pd.Timestamp) -> pd.Timestamp:
    """When a forecast for ``origin`` is issued (naive UTC)."""
    return pd.Timestamp(origin).normalize() + pd.Timedelta(hours=ISSUE_HOUR_UTC)


def required_lead_days(times: pd.Series | pd.DatetimeIndex, issued: pd.Timestamp) -> np.ndarray:
    """Smallest lead (days) at which the hour ``t`` was forecast by a run published by ``issued``:
    the smallest N >= 0 with ``t - N x 24 h <= issued - RUN_DELAY_H``."""
    t = pd.DatetimeIndex(times)
    hours = (t - (issued - pd.Timedelta(hours=RUN_DELAY_H))) / pd.Timedelta(hours=1)
    return np.maximum(0, np.ceil(np.asarray(hours, float) / 24.0)).astype(np.int64)


def issued_hourly(store_or_con, issued: pd.Timestamp, t0: pd.Timestamp, t1: pd.Timestamp,
                  points: list[str] | None = None) -> pd.DataFrame:
    """Per point and hour in [t0, t1): the archived forecast known at ``issued`` (the shortest stored lead at or
    beyond :func:`required_lead_days`; rows with no wind speed do not count). Columns: ``point``, ``time_utc``
    (naive UTC), ``lead_days``, the measures. Nothing issued later is read."""
    con = connection(store_or_con)
    where, args = "source = ? AND time_utc >= ? AND time_utc < ? AND wind_speed_ms IS NOT NULL", \
        [SOURCE, t0.to_pydatetime(), t1.to_pydatetime()]
    if points:
        where += f" AND point IN ({', '.join('?' * len(points))})"
        args += list(points)
    df = con.execute(f"SELECT point, time_utc, lead_days, {', '.join(MEASURES)} FROM {TABLE} WHERE {where}",
                     args).df()
    if df.empty:
        return df
    df["time_utc"] = pd.to_datetime(df["time_utc"])
    df = df[df["lead_days"].to_numpy() >= required_lead_days(df["time_utc"], issued)]
    return df.sort_values(["point", "time_utc", "lead_days"]).drop_duplicates(["point", "time_utc"]) \
        .sort_values(["time_utc", "point"], ignore_index=True)


def daily_as_issued(store_or_con, origin: date | pd.Timestamp, start: date, end: date,
                    limits: Thresholds | None = None) -> pd.DataFrame:
    """The daily conditions table (:func:`crossings.conditions.store.night_aggregates`) of ``start`` to ``end``
    from the archived forecasts known when the forecast for ``origin`` was issued; adds ``lead_days_max``."""
    t = limits or Thresholds()
    t0, t1 = night_bounds(start, end, t.night_start_h, t.night_end_h)
    h = issued_hourly(store_or_con, issue_time(origin), t0, t1)
    if h.empty:
        h = pd.DataFrame({c: pd.Series(dtype=float) for c in ("time_utc", "lead_days", *MEASURES)})
        h["time_utc"] = pd.to_datetime(h["time_utc"])
    out = night_aggregates(h, start, end, night_start_h=t.night_start_h, night_end_h=t.night_end_h)
    out["lead_days_max"] = _max_lead(h, start, end, t) if len(h) else np.nan
    return out


def _max_lead(h: pd.DataFrame, start: date, end: date, t: Thresholds) -> np.ndarray:
    """Largest lead read in each night (NaN for a night with nothing)."""
    as_gust = h.assign(wind_gust_ms=h["lead_days"].astype(float))
    return night_aggregates(as_gust, start, end, night_start_h=t.night_start_h,
                            night_end_h=t.night_end_h)["wind_gust_ms"].to_numpy()


def daily_history_known(store_or_con, origin: date | pd.Timestamp, start: date, end: date,
                        limits: Thresholds | None = None) -> pd.DataFrame:
    """The daily conditions table of ``start`` to ``end`` from the stored reanalysis history alone, as far as it
    was published when the forecast for ``origin`` was issued (hours up to ``REANALYSIS_DELAY_DAYS`` before)."""
    t = limits or Thresholds()
    t0, t1 = night_bounds(start, end, t.night_start_h, t.night_end_h)
    known_until = issue_time(origin) - pd.Timedelta(days=REANALYSIS_DELAY_DAYS)
    h = _hourly(connection(store_or_con), t0.to_pydatetime(), min(t1, known_until).to_pydatetime(), None,
                ("openmeteo-history",))
    return night_aggregates(h, start, end, night_start_h=t.night_start_h, night_end_h=t.night_end_h)


def stored_span(store_or_con) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last hour with a stored archived wind forecast, or None."""
    con = connection(store_or_con)
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [TABLE]).fetchone()[0]:
        return None  # a store written before migration 6, opened read-only
    lo, hi = con.execute(f"SELECT min(time_utc), max(time_utc) FROM {TABLE} WHERE source = ? "
                         "AND wind_speed_ms IS NOT NULL", [SOURCE]).fetchone()
    return None if lo is None else (pd.Timestamp(lo), pd.Timestamp(hi))
