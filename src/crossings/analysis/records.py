"""Record days, weeks and months: the most people and the most boats."""
from __future__ import annotations

import pandas as pd

from ._frame import prepare_daily, require_rows
from .totals import totals

MEASURES = {"people": "migrants_arrived", "boats": "boats_arrived"}


def _ranked(df: pd.DataFrame, measure: str, top: int) -> pd.DataFrame:
    k = df.dropna(subset=[measure]).sort_values([measure, "start"], ascending=[False, True]).head(top).copy()
    k.insert(0, "rank", k[measure].rank(method="min", ascending=False).astype("int64").to_numpy())
    return k


def record_days(daily: pd.DataFrame, by: str = "people", top: int = 10) -> pd.DataFrame:
    """The ``top`` days with the most people (``by='people'``) or boats (``by='boats'``) arrived.

    Columns: rank (ties share a rank; earlier day listed first), date, people, boats, people_per_boat.
    """
    if by not in MEASURES:
        raise ValueError(f"by must be one of {', '.join(MEASURES)}")
    df = prepare_daily(daily)
    require_rows(df, "daily")
    d = pd.DataFrame({"start": df["date"], "people": df["migrants_arrived"], "boats": df["boats_arrived"]})
    d["people_per_boat"] = (d["people"].astype("Float64") / d["boats"].astype("Float64").where(d["boats"] > 0)).round(1)
    return _ranked(d, by, top).rename(columns={"start": "date"}).reset_index(drop=True)


def records(daily: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Record day, week (Monday to Sunday) and month, by people and by boats: the ``top`` of each.

    Columns: period ('day', 'week', 'month'), measure ('people', 'boats'), rank, label, start, end, people, boats.
    """
    df = prepare_daily(daily)
    require_rows(df, "daily")
    day = pd.DataFrame({"label": df["date"].dt.strftime("%Y-%m-%d"), "start": df["date"], "end": df["date"],
                        "people": df["migrants_arrived"], "boats": df["boats_arrived"]})
    frames = {"day": day}
    for by in ("week", "month"):
        t = totals(df, by)
        frames[by] = pd.DataFrame({"label": t["period"] if by == "month" else
                                   t["start"].dt.strftime("%Y-%m-%d") + " to " + t["end"].dt.strftime("%Y-%m-%d"),
                                   "start": t["start"], "end": t["end"], "people": t["people"],
                                   "boats": t["boats"]})
    out = []
    for period, f in frames.items():
        for measure in MEASURES:
            k = _ranked(f, measure, top)
            k.insert(0, "measure", measure)
            k.insert(0, "period", period)
            out.append(k)
    return pd.concat(out, ignore_index=True)[["period", "measure", "rank", "label", "start", "end", "people",
                                              "boats"]]
