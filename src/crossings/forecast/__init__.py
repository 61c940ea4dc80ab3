"""Forecasts of crossing activity (next days and weeks) and their rolling-origin backtest.

A model and its results are separate objects: ``LocalLevelModel().fit(series)`` returns results whose
``simulate(horizon, n_paths, rng)`` gives :class:`Paths`, from which daily probabilities, quantiles and weekly totals
(weeks ending Sunday) are read. ``forecast_from_store`` is what ``crossings forecast`` runs (through the cache of
computed forecasts, ``get_or_compute`` in :mod:`.cache`); ``run_backtest`` what ``crossings backtest`` runs. Names
are imported lazily (the scoring library is slow to import and a forecast does not need it).
"""
from __future__ import annotations

import importlib

_WHERE = {"Forecast": "api", "forecast": "api", "forecast_from_store": "api", "BacktestResult": "backtest",
          "run_backtest": "backtest", "Climatology": "baselines", "Persistence": "baselines",
          "HurdleModel": "hurdle", "HurdleResults": "hurdle", "LocalLevelModel": "locallevel",
          "LocalLevelResults": "locallevel", "Paths": "paths", "Schedule": "schedule", "Series": "series",
          "daily_series": "series", "ForecastRequest": "cache", "get_or_compute": "cache"}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
