"""French preventions against UK arrivals, week by week, from the first week with a prevention count (May 2024).

*Share prevented* is migrants prevented / (migrants prevented + migrants arrived): of the people seen trying to
cross that week, the share stopped on the French side. Preventions are French operational estimates (the
official file's note 7), so the share is indicative.
"""
from __future__ import annotations

import pandas as pd

from ._frame import prepare_weekly, require_rows
from .totals import _ratio


def preventions(weekly: pd.DataFrame, since: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per week (ending Sunday) from ``since`` (default: the first week with a prevention count).

    Columns: week_ending, arrived, boats_arrived, prevented, events_prevented, attempted (arrived + prevented),
    share_prevented, uncontrolled_landings, arrived_cum and prevented_cum (running totals from the first week).
    Weeks whose preventions were not recorded keep ``<NA>`` and do not enter the share.
    """
    w = prepare_weekly(weekly)
    require_rows(w, "weekly")
    if since is None:
        has = w["migrants_prevented"].notna()
        if not has.any():
            return _empty()
        since = w.loc[has.idxmax(), "week_ending"]
    w = w[w["week_ending"] >= pd.Timestamp(since)].reset_index(drop=True)
    out = pd.DataFrame({
        "week_ending": w["week_ending"],
        "arrived": w["migrants_arrived"],
        "boats_arrived": w["boats_arrived"],
        "prevented": w["migrants_prevented"],
        "events_prevented": w["events_prevented"],
    })
    out["attempted"] = (out["arrived"] + out["prevented"]).astype("Int64")
    out["share_prevented"] = _ratio(out["prevented"], out["attempted"]).round(3)
    out["uncontrolled_landings"] = w["uncontrolled_landings"]
    out["arrived_cum"] = out["arrived"].cumsum().astype("Int64")
    out["prevented_cum"] = out["prevented"].cumsum().astype("Int64")
    return out


def preventions_by_year(weekly: pd.DataFrame) -> pd.DataFrame:
    """Preventions and arrivals per year (by week ending), over the weeks where both were recorded.

    Columns: year, weeks, through (the last week ending counted), arrived, prevented, share_prevented.
    """
    p = preventions(weekly)
    p = p.dropna(subset=["arrived", "prevented"])
    g = p.groupby(p["week_ending"].dt.year)
    out = pd.DataFrame({"weeks": g.size(), "through": g["week_ending"].max(), "arrived": g["arrived"].sum(),
                        "prevented": g["prevented"].sum()})
    out = out.rename_axis("year").reset_index()
    out["arrived"] = out["arrived"].astype("Int64")
    out["prevented"] = out["prevented"].astype("Int64")
    out["share_prevented"] = _ratio(out["prevented"], out["arrived"] + out["prevented"]).round(3)
    return out


def _empty() -> pd.DataFrame:
    cols = ["week_ending", "arrived", "boats_arrived", "prevented", "events_prevented", "attempted",
            "share_prevented", "uncontrolled_landings", "arrived_cum", "prevented_cum"]
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "week_ending" else "Int64") for c in cols})
