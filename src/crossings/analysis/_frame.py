"""Checking and normalising the daily and weekly tables before any statistic is computed."""
from __future__ import annotations

import pandas as pd

from ..errors import InputError

COUNTS = ["migrants_arrived", "boats_arrived", "uncontrolled_landings"]
WEEKLY_COUNTS = COUNTS + ["migrants_prevented", "events_prevented"]
PERIODS = ("year", "month", "week")


def _check(df: pd.DataFrame, key: str, counts: list[str], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{what} table must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in [key, *counts] if c not in df.columns]
    if missing:
        raise InputError(f"{what} table lacks column(s) {', '.join(missing)}")


def prepare_daily(daily: pd.DataFrame) -> pd.DataFrame:
    """The daily table on a complete calendar, one row per day, counts as nullable ``Int64``.

    Days absent from the input (a gap between releases) are added with ``<NA>`` counts: unknown, not zero.
    Duplicate dates are an error because a statistic would silently double count them.
    """
    _check(daily, "date", COUNTS, "daily")
    df = daily[["date", *COUNTS]].copy()
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]").dt.normalize()
    if df["date"].duplicated().any():
        dup = df.loc[df["date"].duplicated(), "date"].iloc[0]
        raise InputError(f"daily table has more than one row for {dup:%Y-%m-%d}")
    for c in COUNTS:
        df[c] = df[c].astype("Int64")
    df = df.sort_values("date")
    if df.empty:
        return df.reset_index(drop=True)
    full = pd.date_range(df["date"].iloc[0], df["date"].iloc[-1], freq="D")
    if len(full) != len(df):
        df = df.set_index("date").reindex(full).rename_axis("date").reset_index()
    return df.reset_index(drop=True)


def prepare_weekly(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weekly table sorted by week ending, counts as nullable ``Int64``."""
    _check(weekly, "week_ending", WEEKLY_COUNTS, "weekly")
    df = weekly[["week_ending", *WEEKLY_COUNTS]].copy()
    df["week_ending"] = pd.to_datetime(df["week_ending"]).astype("datetime64[ns]").dt.normalize()
    for c in WEEKLY_COUNTS:
        df[c] = df[c].astype("Int64")
    return df.sort_values("week_ending").reset_index(drop=True)


def require_rows(df: pd.DataFrame, what: str) -> None:
    """Raise a clear error instead of returning statistics of nothing."""
    if df.empty:
        raise InputError(f"{what} table is empty: ingest a release first (crossings ingest)")


def period_start(dates: pd.Series, by: str) -> pd.Series:
    """First day of the year, month or week (Monday to Sunday, as the official weekly table) of each date."""
    if by == "year":
        return dates.dt.to_period("Y").dt.start_time
    if by == "month":
        return dates.dt.to_period("M").dt.start_time
    if by == "week":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    raise InputError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")


def period_end(starts: pd.Series, by: str) -> pd.Series:
    """Last day of the period that begins on each of ``starts``."""
    if by == "year":
        return starts + pd.offsets.YearEnd(0)
    if by == "month":
        return starts + pd.offsets.MonthEnd(0)
    return starts + pd.Timedelta(days=6)


def period_label(starts: pd.Series, ends: pd.Series, by: str) -> pd.Series:
    """Readable period names: ``2024``, ``2024-05``, or for weeks the week-ending date ``2024-05-12``."""
    if by == "year":
        return starts.dt.strftime("%Y")
    if by == "month":
        return starts.dt.strftime("%Y-%m")
    return ends.dt.strftime("%Y-%m-%d")
