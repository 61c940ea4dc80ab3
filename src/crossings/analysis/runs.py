"""Longest runs of consecutive crossing days and of consecutive days without crossings.

A day whose boat count was not recorded ('-' in the file, ``<NA>`` here) belongs to neither kind: it ends the run in
progress, because we do not know whether boats crossed that day.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._frame import prepare_daily, require_rows

KINDS = {"crossing": "days with crossings", "quiet": "days without crossings"}


def _state(daily: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The prepared table and each day's state: 1 crossing day, 0 day without crossings, -1 not recorded."""
    df = prepare_daily(daily)
    require_rows(df, "daily")
    boats = df["boats_arrived"]
    state = np.where(boats.isna(), -1, np.where(boats.fillna(0) >= 1, 1, 0))
    return df, state


def run_table(daily: pd.DataFrame) -> pd.DataFrame:
    """Every maximal run of identical state, in date order.

    Columns: kind ('crossing', 'quiet' or 'not_recorded'), start, end, days, people (arrived during the run).
    """
    df, state = _state(daily)
    # A new run starts wherever the state differs from the previous day's.
    starts = np.flatnonzero(np.r_[True, state[1:] != state[:-1]])
    ends = np.r_[starts[1:], len(state)] - 1
    people = np.r_[0, np.cumsum(df["migrants_arrived"].fillna(0).to_numpy(dtype="int64"))]
    names = np.array(["not_recorded", "quiet", "crossing"])
    dates = df["date"].to_numpy()
    return pd.DataFrame({
        "kind": names[state[starts] + 1],
        "start": dates[starts],
        "end": dates[ends],
        "days": (ends - starts + 1).astype("int64"),
        "people": (people[ends + 1] - people[starts]).astype("int64"),
    })


def runs(daily: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The ``top`` longest runs of crossing days and of days without crossings.

    Columns: kind ('crossing' or 'quiet'), rank (1 = longest; ties share a rank), start, end, days, people
    (arrived during the run; 0 for a quiet run), ongoing (the run reaches the latest day in the data).
    Ties in length are listed most recent first.
    """
    t = run_table(daily)
    last = t["end"].max()
    out = []
    for kind in KINDS:
        k = t[t["kind"] == kind].sort_values(["days", "start"], ascending=[False, False]).head(top).copy()
        k["rank"] = k["days"].rank(method="min", ascending=False).astype("int64")
        out.append(k)
    res = pd.concat(out, ignore_index=True)
    res["ongoing"] = res["end"] == last
    return res[["kind", "rank", "start", "end", "days", "people", "ongoing"]]


def current_run(daily: pd.DataFrame) -> dict:
    """The run the latest day belongs to: kind, start, days."""
    t = run_table(daily)
    r = t.iloc[-1]
    return {"kind": r["kind"], "start": r["start"], "days": int(r["days"])}
