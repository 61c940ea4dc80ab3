"""Forecasts of crossing activity (next days and weeks) and their rolling-origin backtest.

A model and its results are separate objects: ``HurdleModel().fit(series)`` returns results whose
``simulate(horizon, n_paths, rng)`` gives :class:`Paths`, from which daily probabilities, quantiles and weekly totals
(weeks ending Sunday) are read. ``forecast_from_store`` is what ``crossings forecast`` runs; ``run_backtest`` what
``crossings backtest`` runs.
"""
from .api import Forecast, forecast, forecast_from_store
from .backtest import BacktestResult, run_backtest
from .baselines import Climatology, Persistence
from .hurdle import HurdleModel, HurdleResults
from .paths import Paths
from .series import Series, daily_series

__all__ = ["Forecast", "forecast", "forecast_from_store", "BacktestResult", "run_backtest", "Climatology",
           "Persistence", "HurdleModel", "HurdleResults", "Paths", "Series", "daily_series"]
