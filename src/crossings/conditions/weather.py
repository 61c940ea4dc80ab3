"""Fetch marine conditions (wind, gusts, waves) for the strait points from Open-Meteo into the store.

Everything is downloaded and checked first (:func:`download_history`, :func:`download_forecast`), then written in
one transaction (:func:`store_download`): offline or a bad answer raises before the store is touched, so it is left
exactly as it was, and the CLI opens the store only after the download, so no write lock is held while waiting on
the network.
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

__all__ = ["FetchResult", "Download", "download_history", "download_forecast", "store_download", "fetch_history", "fetch_forecast", "hourly_conditions", "daily_conditions",
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


@dataclass(frozen=True)
class Download:
    """Checked hourly rows of one fetch, not yet stored."""
    source: str
    frame: pd.DataFrame
    points: tuple[Point, ...]
    fetched_at: datetime


def store_download(store_or_con, download: Download) -> FetchResult:
    """Write a :class:`Download` in one transaction (see :func:`crossings.conditions.store.save_hourly`)."""
    frame = download.frame
    rows = save_hourly(connection(store_or_con), frame, download.source, download.fetched_at)
    t = frame["time_utc"]
    return FetchResult(download.source, rows, tuple(p.name for p in download.points), t.min() if rows else None,
                       t.max() if rows else None, download.fetched_at)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _as_date(d, name: str) -> date:
    try:
        return pd.Timestamp(d).date()
    except (ValueError, TypeError):
        raise InputError(f"{name} {d!r} is not a date") from None


def download_history(start: date, end: date, points: Sequence[Point] = STRAIT_POINTS) -> Download:
    """Hourly wind (Open-Meteo archive) and waves (marine API) from ``start`` to ``end`` inclusive, checked.

    The archive runs a few days behind today; hours it does not have yet are missing values.
    """
    s, e = _as_date(start, "start"), _as_date(end, "end")
    if e < s:
        raise InputError(f"end {e} is before start {s}")
    frame = _fetch("openmeteo-history", points, "archive", start=s, end=e)
    return Download("openmeteo-history", frame, tuple(points), _now())


def download_forecast(days: int = 7, points: Sequence[Point] = STRAIT_POINTS) -> Download:
    """Hourly wind (forecast API) and waves (marine API) for today and the next ``days - 1`` days, checked."""
    if not 1 <= int(days) <= MAX_FORECAST_DAYS:
        raise InputError(f"days must be 1-{MAX_FORECAST_DAYS}, got {days}")
    frame = _fetch("openmeteo-forecast", points, "forecast", forecast_days=int(days))
    return Download("openmeteo-forecast", frame, tuple(points), _now())


def fetch_history(store_or_con, start: date, end: date, points: Sequence[Point] = STRAIT_POINTS) -> FetchResult:
    """:func:`download_history`, then :func:`store_download` (nothing is written unless all was downloaded)."""
    return store_download(store_or_con, download_history(start, end, points))


def fetch_forecast(store_or_con, days: int = 7, points: Sequence[Point] = STRAIT_POINTS) -> FetchResult:
    """:func:`download_forecast`, then :func:`store_download`."""
    return store_download(store_or_con, download_forecast(days, points))
