"""Sea conditions in the Dover Strait: marine weather, tides and a daily crossability rating.

- :mod:`.weather`: fetch hourly wind, gusts and waves from Open-Meteo for the strait points into the store;
- :mod:`.store`: the ``conditions_hourly`` table, hourly rows and daily night aggregates;
- :mod:`.rating`: the red/amber/green daily crossability rating (red = crossings likely);
- :mod:`.tides`: tide predictions, high and low waters, and the Aa canal windows at Gravelines.
"""
from .rating import RatingThresholds, rate_days, rate_stored_days
from .store import daily_conditions, hourly_conditions
from .weather import STRAIT_POINTS, FetchResult, fetch_forecast, fetch_history

__all__ = ["fetch_history", "fetch_forecast", "hourly_conditions", "daily_conditions", "FetchResult",
           "STRAIT_POINTS", "RatingThresholds", "rate_days", "rate_stored_days"]
