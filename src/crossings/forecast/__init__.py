"""Forecasts of crossing activity (next days and weeks) and their rolling-origin backtest.

A model and its results are separate objects: ``HurdleModel().fit(series)`` returns results whose
``simulate(horizon, n_paths, rng)`` gives :class:`Paths`, from which daily probabilities, quantiles and weekly totals
(weeks ending Sunday) are read. ``forecast_from_store`` is what ``crossings forecast`` runs; ``run_backtest`` what
``crossings backtest`` runs.
"""
_EXPORTS = {"Forecast": ".api", "forecast": ".api", "forecast_from_store": ".api", "BacktestResult": ".backtest",
            "run_backtest": ".backtest", "Climatology": ".baselines", "Persistence": ".baselines",
            "HurdleModel": ".hurdle", "HurdleResults": ".hurdle", "Paths": ".paths", "Series": ".series",
            "daily_series": ".series"}

__all__ = ["Forecast", "forecast", "forecast_from_store", "BacktestResult", "run_backtest", "Climatology",
           "Persistence", "HurdleModel", "HurdleResults", "Paths", "Series", "daily_series"]


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
