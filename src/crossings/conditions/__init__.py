"""Sea conditions in the Dover Strait: marine weather, tides and a daily crossability rating.

- :mod:`.weather`: fetch hourly wind, gusts and waves from Open-Meteo for the strait points into the store;
- :mod:`.store`: the ``conditions_hourly`` table, hourly rows and daily night aggregates;
- :mod:`.rating`: the red/amber/green daily crossability rating (red = crossings likely);
- :mod:`.tides`: tide predictions, high and low waters, and the Aa canal windows at Gravelines.
"""
_EXPORTS = {"RatingThresholds": ".rating", "rate_days": ".rating", "rate_stored_days": ".rating",
            "daily_conditions": ".store", "hourly_conditions": ".store", "STRAIT_POINTS": ".weather",
            "FetchResult": ".weather", "fetch_forecast": ".weather", "fetch_history": ".weather"}

__all__ = ["fetch_history", "fetch_forecast", "hourly_conditions", "daily_conditions", "FetchResult",
           "STRAIT_POINTS", "RatingThresholds", "rate_days", "rate_stored_days"]


def __getattr__(name: str):
    """Import a public name's module on first use, so importing the package (as the CLI does) stays cheap."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
