"""The daily and weekly tables ``crossings forecast`` prints (rendered once, with pandas, and kept in the cache)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import Forecast

BAND_LEVELS = ("0.05", "0.25", "0.5", "0.75", "0.95")


def _band(row: dict, target: str) -> tuple[str, str, str]:
    q = {k: row[f"{target}_{k}"] for k in BAND_LEVELS}
    f = (lambda v: f"{v:.0f}")  # whole boats and people on screen; the JSON keeps one decimal
    return f(q["0.5"]), f"{f(q['0.25'])}-{f(q['0.75'])}", f"{f(q['0.05'])}-{f(q['0.95'])}"


def forecast_tables(fc: Forecast) -> tuple[str, str]:
    """The daily table (probability of a crossing day; median, 50% and 90% intervals of boats and people) and the
    weekly totals table, as aligned text."""
    import pandas as pd
    d = pd.DataFrame([{"date": r["date"].date(), "p_crossing_day": f"{r['p_crossing_day']:.2f}",
                       **{f"{t}_{k}": v for t in ("boats", "people")
                          for k, v in zip(("median", "50%", "90%"), _band(r, t))}}
                      for r in fc.daily.to_dict("records")])
    w = pd.DataFrame([{"week_ending": r["week_ending"].date(),
                       **{f"{t}_{k}": v for t in ("boats", "people")
                          for k, v in zip(("median", "50%", "90%"), _band(r, t))}}
                      for r in fc.weekly.to_dict("records")])
    return d.to_string(index=False), w.to_string(index=False)
