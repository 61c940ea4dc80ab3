"""Headline figures: a small dict of plain Python values (JSON-ready) for the report and ``crossings stats --only key``."""
from __future__ import annotations

import pandas as pd

from ._frame import prepare_daily, require_rows
from .preventions import preventions_by_year
from .records import record_days
from .runs import current_run
from .totals import year_to_date


def _py(v):
    """A plain int, float, ISO date string or None (for ``<NA>``)."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "item"):
        v = v.item()
    return v


def key_figures(daily: pd.DataFrame, weekly: pd.DataFrame | None = None) -> dict:
    """The latest day, this year to date against the same window of last year, people per boat, share of crossing
    days, the last 7 days, the record day, the current run, and this year's preventions; ``None`` where unknown.
    """
    df = prepare_daily(daily)
    require_rows(df, "daily")
    last = df["date"].iloc[-1]
    ytd = year_to_date(df).set_index("year")
    this, prev = ytd.loc[last.year], (ytd.loc[last.year - 1] if last.year - 1 in ytd.index else None)
    last7 = df.tail(7)
    rec = record_days(df, "people", top=1).iloc[0]
    run = current_run(df)
    days_this_year = int(this["days"])
    f = {
        "latest_day": last.date().isoformat(),
        "latest_day_people": _py(df["migrants_arrived"].iloc[-1]),
        "latest_day_boats": _py(df["boats_arrived"].iloc[-1]),
        "year": int(last.year),
        "ytd_through": last.strftime("%d %B").lstrip("0"),
        "ytd_people": _py(this["people"]),
        "ytd_boats": _py(this["boats"]),
        "ytd_people_previous_year": _py(prev["people"]) if prev is not None else None,
        "ytd_boats_previous_year": _py(prev["boats"]) if prev is not None else None,
        "ytd_people_change_pct": _py(this["people_change_pct"]),
        "ytd_boats_change_pct": _py(this["boats_change_pct"]),
        "people_per_boat_ytd": _py(this["people_per_boat"]),
        "people_per_boat_previous_year_ytd": _py(prev["people_per_boat"]) if prev is not None else None,
        "crossing_days_ytd": _py(this["crossing_days"]),
        "recorded_days_ytd": days_this_year,
        "share_crossing_days_ytd": round(int(this["crossing_days"]) / days_this_year, 3) if days_this_year else None,
        # The last 7 days are unknown as a whole if any of them was not recorded.
        "last_7_days_people": _py(last7["migrants_arrived"].sum()) if last7["migrants_arrived"].notna().all()
        else None,
        "last_7_days_boats": _py(last7["boats_arrived"].sum()) if last7["boats_arrived"].notna().all() else None,
        "record_day": _py(rec["date"]),
        "record_day_people": _py(rec["people"]),
        "current_run_kind": run["kind"],
        "current_run_days": run["days"],
        "total_people": _py(df["migrants_arrived"].sum()),
        "total_boats": _py(df["boats_arrived"].sum()),
        "first_day": df["date"].iloc[0].date().isoformat(),
    }
    if weekly is not None:
        # Weeks are counted in the year of their last day (Sunday), as in the official weekly table.
        p = preventions_by_year(weekly).set_index("year")
        has = last.year in p.index
        f["prevented_through"] = _py(p.at[last.year, "through"]) if has else None
        f["prevented_year"] = _py(p.at[last.year, "prevented"]) if has else None
        f["arrived_prevention_weeks_year"] = _py(p.at[last.year, "arrived"]) if has else None
        f["share_prevented_year"] = _py(p.at[last.year, "share_prevented"]) if has else None
    if "release_date" in daily.columns and len(daily):
        f["latest_release"] = _py(pd.Timestamp(max(daily["release_date"])))
    return f
