"""Rolling 7- and 28-day sums and the 7-day mean of daily arrivals.

A window that contains a day not recorded has no sum (``<NA>``): a gap is unknown, not zero.
"""
from __future__ import annotations

import pandas as pd

from ._frame import prepare_daily, require_rows

WINDOWS_DAYS = (7, 28)


def _window_sum(s: pd.Series, days: int) -> pd.Series:
    # min_periods=days: every day of the window must be recorded, otherwise the sum is unknown.
    return s.astype("float64").rolling(days, min_periods=days).sum().round().astype("Int64")


def rolling(daily: pd.DataFrame) -> pd.DataFrame:
    """For each day: people and boats that day, their 7- and 28-day sums ending that day, and the 7-day mean of people.

    Columns: date, people, boats, people_7d, people_28d, boats_7d, boats_28d, people_7d_mean.
    """
    df = prepare_daily(daily)
    require_rows(df, "daily")
    out = pd.DataFrame({"date": df["date"], "people": df["migrants_arrived"], "boats": df["boats_arrived"]})
    for d in WINDOWS_DAYS:
        out[f"people_{d}d"] = _window_sum(out["people"], d)
    for d in WINDOWS_DAYS:
        out[f"boats_{d}d"] = _window_sum(out["boats"], d)
    out["people_7d_mean"] = (out["people_7d"].astype("Float64") / 7).round(1)
    return out
