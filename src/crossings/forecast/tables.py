"""The daily and weekly tables ``crossings forecast`` prints (rendered once, with pandas, and kept in the cache)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .paths import LEVELS

if TYPE_CHECKING:
    from .api import Forecast


def _bands(row: dict) -> dict[str, str]:
    """Median, 50% and 90% intervals of boats and people of one row, in whole boats and people (the JSON keeps one
    decimal)."""
    out = {}
    for target in ("boats", "people"):
        q05, q25, q50, q75, q95 = (f"{row[f'{target}_{lv:g}']:.0f}" for lv in LEVELS)
        out.update({f"{target}_median": q50, f"{target}_50%": f"{q25}-{q75}", f"{target}_90%": f"{q05}-{q95}"})
    return out


def forecast_tables(fc: Forecast) -> tuple[str, str]:
    """The daily table (probability of a crossing day; median, 50% and 90% intervals of boats and people) and the
    weekly totals table, as aligned text."""
    import pandas as pd
    d = pd.DataFrame([{"date": r["date"].date(), "p_crossing_day": f"{r['p_crossing_day']:.2f}", **_bands(r)}
                      for r in fc.daily.to_dict("records")])
    w = pd.DataFrame([{"week_ending": r["week_ending"].date(), **_bands(r)} for r in fc.weekly.to_dict("records")])
    return d.to_string(index=False), w.to_string(index=False)
