"""Totals by year, month or week; people per boat; crossing days; uncontrolled landings; year to date.

A *crossing day* is a day on which at least one small boat was detected arriving (``boats_arrived >= 1``).
Counts the file marks '-' (not recorded) stay ``<NA>``: they are never summed as zero.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from ._frame import period_end, period_label, period_start, prepare_daily, require_rows


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den as Float64, ``<NA>`` where the denominator is 0 or unknown."""
    num, den = num.astype("Float64"), den.astype("Float64")
    return (num / den.where(den > 0)).astype("Float64")


def _grouped(daily: pd.DataFrame, by: str) -> tuple[pd.DataFrame, pd.core.groupby.DataFrameGroupBy]:
    df = prepare_daily(daily)
    require_rows(df, "daily")
    df["start"] = period_start(df["date"], by)
    df["recorded"] = df["boats_arrived"].notna()
    df["crossing"] = (df["boats_arrived"] >= 1).fillna(False).astype(bool)
    df["ul_recorded"] = df["uncontrolled_landings"].notna()
    df["boats_ul_recorded"] = df["boats_arrived"].where(df["ul_recorded"])
    return df, df.groupby("start", sort=True)


def _frame(g, by: str) -> pd.DataFrame:
    out = pd.DataFrame({"start": g.size().index})
    out["end"] = period_end(out["start"], by)
    out.insert(0, "period", period_label(out["start"], out["end"], by))
    out["days"] = g["recorded"].sum().to_numpy().astype("int64")
    out["complete"] = (out["days"] == (out["end"] - out["start"]).dt.days + 1).to_numpy()
    return out


def totals(daily: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """People and boats arrived per year, month or week (Monday-Sunday), with derived rates.

    Columns: period, start, end, days (days with a recorded count), complete (every day of the period
    recorded), people, boats, people_per_boat, crossing_days (days with >= 1 boat), share_crossing_days
    (crossing_days / days), uncontrolled_landings (``<NA>`` where no day of the period recorded them).
    """
    _, g = _grouped(daily, by)
    out = _frame(g, by)
    out["people"] = g["migrants_arrived"].sum(min_count=1).astype("Int64").array
    out["boats"] = g["boats_arrived"].sum(min_count=1).astype("Int64").array
    out["people_per_boat"] = _ratio(out["people"], out["boats"]).round(1)
    out["crossing_days"] = g["crossing"].sum().to_numpy().astype("int64")
    out["share_crossing_days"] = _ratio(out["crossing_days"], out["days"]).round(3)
    out["uncontrolled_landings"] = g["uncontrolled_landings"].sum(min_count=1).astype("Int64").array
    return out


def people_per_boat(daily: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """Average people per boat in each period: total people / total boats (``<NA>`` if no boat arrived)."""
    t = totals(daily, by)
    return t[["period", "start", "end", "days", "people", "boats", "people_per_boat"]]


def crossing_days(daily: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """Days with at least one boat arrived, and their share of the recorded days of each period."""
    t = totals(daily, by)
    return t[["period", "start", "end", "days", "crossing_days", "share_crossing_days"]]


def uncontrolled(daily: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """Boats that landed without interception, over the days on which they were recorded (from 2023).

    Columns: period, start, end, days_recorded (days with an uncontrolled-landings count), boats (boats arrived
    on those days), uncontrolled_landings, share_uncontrolled (uncontrolled_landings / boats). Periods with no
    recorded day are left out rather than shown as zero.
    """
    _, g = _grouped(daily, by)
    out = _frame(g, by).drop(columns=["days", "complete"])
    out["days_recorded"] = g["ul_recorded"].sum().to_numpy().astype("int64")
    out["boats"] = g["boats_ul_recorded"].sum(min_count=1).astype("Int64").array
    out["uncontrolled_landings"] = g["uncontrolled_landings"].sum(min_count=1).astype("Int64").array
    out["share_uncontrolled"] = _ratio(out["uncontrolled_landings"], out["boats"]).round(3)
    return out[out["days_recorded"] > 0].reset_index(drop=True)


def _same_day(year: int, month: int, day: int) -> pd.Timestamp:
    """The same calendar day in ``year``; 29 February becomes 28 February in a common year."""
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return pd.Timestamp(year=year, month=month, day=28)


def year_to_date(daily: pd.DataFrame, as_of: date | str | None = None) -> pd.DataFrame:
    """Each year from 1 January through the same calendar day as ``as_of`` (default: the latest day in the data).

    Only data up to ``as_of`` is used. Columns: year, through, days (recorded days in the window), people, boats,
    people_per_boat, crossing_days, people_change and boats_change (against the previous year's same window),
    people_change_pct and boats_change_pct (percent, ``<NA>`` when the previous year had 0).
    """
    df = prepare_daily(daily)
    require_rows(df, "daily")
    last = pd.Timestamp(as_of).normalize() if as_of is not None else df["date"].iloc[-1]
    df = df[df["date"] <= last]
    require_rows(df, f"daily (up to {last:%Y-%m-%d})")
    years = range(int(df["date"].dt.year.iloc[0]), last.year + 1)
    through = pd.Series([_same_day(y, last.month, last.day) for y in years])
    # Cheap window test: the day's cutoff in its own year, looked up by year.
    cutoff = df["date"].dt.year.map(dict(zip(years, through)))
    w = df[df["date"] <= cutoff]
    g = w.groupby(w["date"].dt.year)
    out = pd.DataFrame({"year": list(years), "through": through.to_numpy()})
    out = out.set_index("year")
    out["days"] = g["boats_arrived"].count().astype("int64")
    out["people"] = g["migrants_arrived"].sum(min_count=1).astype("Int64")
    out["boats"] = g["boats_arrived"].sum(min_count=1).astype("Int64")
    out["people_per_boat"] = _ratio(out["people"], out["boats"]).round(1)
    out["crossing_days"] = g["boats_arrived"].apply(lambda s: int((s >= 1).sum())).astype("Int64")
    out = out.reset_index()
    out["days"] = out["days"].fillna(0).astype("int64")
    for c in ("people", "boats"):
        prev = out[c].shift(1)
        out[f"{c}_change"] = (out[c] - prev).astype("Int64")
        out[f"{c}_change_pct"] = (100 * _ratio(out[c] - prev, prev)).round(1)
    return out
