"""Fetch marine conditions (wind, gusts, waves) for the strait points from Open-Meteo into the store.

Everything is downloaded and checked first, then written in one transaction: offline or a bad answer raises
before the store is touched, so it is left exactly as it was.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd

from ..errors import InputError
from ..sources import openmeteo
from ..sources.openmeteo import STRAIT_POINTS, Point
from .store import connection, daily_conditions, hourly_conditions, save_hourly

__all__ = ["FetchResult", "fetch_history", "fetch_forecast", "hourly_conditions", "daily_conditions",
           "STRAIT_POINTS", "Point"]

MAX_FORECAST_DAYS = 8  # the marine API documents up to 8 forecast days (wind goes to 16)


@dataclass(frozen=True)
class FetchResult:
    """What one fetch stored."""
    source: str
    rows: int
    points: tuple[str, ...]
    first_utc: pd.Timestamp | None
    last_utc: pd.Timestamp | None
    fetched_at: datetime

    def describe(self) -> str:
        span = f"{self.first_utc:%Y-%m-%d %H:%M} to {self.last_utc:%Y-%m-%d %H:%M} UTC" if self.rows else "no hours"
        return f"{self.source}: {self.rows} point-hours at {', '.join(self.points)}, {span}"


def _merge(point: Point, wind: pd.DataFrame, waves: pd.DataFrame) -> pd.DataFrame:
    """Wind and waves of one point on the union of their hours (a value missing from one API stays NaN)."""
    df = wind.merge(waves, on="time_utc", how="outer").sort_values("time_utc")
    df.insert(0, "point", point.name)
    return df


def _fetch(source: str, points: Sequence[Point], wind_api: str, **kw) -> pd.DataFrame:
    frames = [_merge(p, openmeteo.fetch_point(wind_api, p, **kw), openmeteo.fetch_point("marine", p, **kw))
              for p in points]
    return pd.concat(frames, ignore_index=True)


def _store(store_or_con, source: str, frame: pd.DataFrame, points: Sequence[Point]) -> FetchResult:
    fetched_at = datetime.now(timezone.utc).replace(microsecond=0)
    rows = save_hourly(connection(store_or_con), frame, source, fetched_at)
    t = frame["time_utc"]
    return FetchResult(source, rows, tuple(p.name for p in points), t.min() if rows else None,
                       t.max() if rows else None, fetched_at)


def _as_date(d, name: str) -> date:
    try:
        return pd.Timestamp(d).date()
    except (ValueError, TypeError):
        raise InputError(f"{name} {d!r} is not a date") from None


def fetch_history(store_or_con, start: date, end: date, points: Sequence[Point] = STRAIT_POINTS) -> FetchResult:
    """Hourly wind (Open-Meteo archive) and waves (marine API) from ``start`` to ``end`` inclusive, stored.

    The archive runs a few days behind today; hours it does not have yet are stored as missing values.
    """
    s, e = _as_date(start, "start"), _as_date(end, "end")
    if e < s:
        raise InputError(f"end {e} is before start {s}")
    frame = _fetch("openmeteo-history", points, "archive", start=s, end=e)
    return _store(store_or_con, "openmeteo-history", frame, points)


def fetch_forecast(store_or_con, days: int = 7, points: Sequence[Point] = STRAIT_POINTS) -> FetchResult:
    """Hourly wind (forecast API) and waves (marine API) for today and the next ``days - 1`` days, stored."""
    if not 1 <= int(days) <= MAX_FORECAST_DAYS:
        raise InputError(f"days must be 1-{MAX_FORECAST_DAYS}, got {days}")
    frame = _fetch("openmeteo-forecast", points, "forecast", forecast_days=int(days))
    return _store(store_or_con, "openmeteo-forecast", frame, points)
