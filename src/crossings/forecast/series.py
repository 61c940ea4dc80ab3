"""The daily series a forecast is fitted on: a complete calendar of whole-number counts, checked once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..errors import InputError

REQUIRED = ("date", "migrants_arrived", "boats_arrived")


@dataclass(frozen=True)
class Series:
    """Daily boats and people as numpy arrays on consecutive days starting at ``start``."""

    start: pd.Timestamp
    boats: np.ndarray  # int64
    people: np.ndarray  # int64

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=len(self.boats), freq="D")

    @property
    def end(self) -> pd.Timestamp:
        return self.start + pd.Timedelta(days=len(self.boats) - 1)

    def upto(self, origin: date | pd.Timestamp) -> "Series":
        """The series cut at ``origin`` (inclusive): all a forecast made on that day may see."""
        n = (pd.Timestamp(origin) - self.start).days + 1
        if n < 1:
            raise InputError(f"no data on or before {pd.Timestamp(origin).date()}")
        return Series(self.start, self.boats[:n].copy(), self.people[:n].copy())

    def index_of(self, day: date | pd.Timestamp) -> int:
        return (pd.Timestamp(day) - self.start).days


def daily_series(daily: pd.DataFrame, as_of: date | pd.Timestamp | None = None) -> Series:
    """Turn the official daily table (``sources.read(...).daily`` or ``Store.daily()``) into a :class:`Series`.

    Days up to ``as_of`` (inclusive) are kept. Every calendar day must be present and recorded, since a missing day
    would silently shift the lags the models use.
    """
    missing = [c for c in REQUIRED if c not in daily.columns]
    if missing:
        raise InputError(f"daily table lacks column(s) {', '.join(missing)}")
    df = daily.loc[:, list(REQUIRED)].copy()
    df["date"] = pd.to_datetime(df["date"]).dt.normalize()
    if as_of is not None:
        df = df[df["date"] <= pd.Timestamp(as_of)]
    df = df.sort_values("date").drop_duplicates("date", keep="last")
    if len(df) < 60:
        raise InputError(f"need at least 60 days of daily data to forecast, got {len(df)}")
    full = pd.date_range(df["date"].iloc[0], df["date"].iloc[-1], freq="D")
    if len(full) != len(df):
        gaps = full.difference(pd.DatetimeIndex(df["date"]))
        raise InputError(f"daily table has {len(gaps)} missing day(s), first {gaps[0].date()}")
    for col in ("boats_arrived", "migrants_arrived"):
        v = pd.to_numeric(df[col], errors="coerce")
        if v.isna().any():
            bad = df.loc[v.isna(), "date"].iloc[0].date()
            raise InputError(f"{col} not recorded on {bad}", column=col)
        if (v < 0).any():
            raise InputError(f"{col} negative on {df.loc[v < 0, 'date'].iloc[0].date()}", column=col)
    return Series(df["date"].iloc[0], df["boats_arrived"].to_numpy("int64"),
                  df["migrants_arrived"].to_numpy("int64"))
