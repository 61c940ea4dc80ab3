"""Sea conditions in the Dover Strait: marine weather, tides and a daily crossability rating.

- :mod:`.thresholds`: the one definition of crossable limits and the night window (rating, forecast, simulator);
- :mod:`.weather`: fetch hourly wind, gusts and waves from Open-Meteo for the strait points into the store;
- :mod:`.store`: the ``conditions_hourly`` table, hourly rows and the one daily conditions table (night aggregates);
- :mod:`.archive`: archived weather forecasts as issued (``conditions_issued``) and what was known on a day;
- :mod:`.rating`: the red/amber/green daily crossability rating (red = crossings likely);
- :mod:`.tides`: tide predictions, high and low waters, and the Aa canal windows at Gravelines.

Names are imported lazily, so ``crossings.conditions.thresholds`` does not pull in the network or tide libraries.
"""
from __future__ import annotations

import importlib

_WHERE = {"fetch_history": "weather", "fetch_forecast": "weather", "FetchResult": "weather",
          "STRAIT_POINTS": "weather", "hourly_conditions": "store", "daily_conditions": "store",
          "RatingThresholds": "rating", "rate_days": "rating", "rate_stored_days": "rating",
          "Thresholds": "thresholds", "crossable": "thresholds"}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
