"""Small daily tables built by hand, where every statistic is obvious by construction."""
from __future__ import annotations

import pandas as pd


def synthetic(people: list, boats: list | None = None, start: str = "2024-01-01") -> pd.DataFrame:
    """A daily table built by hand; ``None`` is a day not recorded."""
    boats = [None if p is None else (1 if p else 0) for p in people] if boats is None else boats
    return pd.DataFrame({
        "date": pd.date_range(start, periods=len(people), freq="D"),
        "migrants_arrived": pd.array(people, dtype="Int64"),
        "boats_arrived": pd.array(boats, dtype="Int64"),
        "uncontrolled_landings": pd.array([None] * len(people), dtype="Int64"),
    })
