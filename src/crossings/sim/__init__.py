"""The Monte Carlo simulator: scenarios (YAML, validated), calendar-anchored inputs, sea-state drivers, the compiled
daily kernel (numba), parameter batches, and ensembles of replicate blocks (in process or on Ray) with their
results and doctrine comparisons. See :mod:`crossings.sim.model` for the batch API used by calibration.

The names below are imported from their modules when first used, so importing one module of the package (as a
small ``crossings simulate`` does) does not import the others and their libraries (startup time)."""
from __future__ import annotations

import importlib
import sys
import types

_WHERE = {"Comparison": "compare", "compare": "compare", "run_ensemble": "ensemble",
          **{n: "model" for n in ("OUTCOMES", "SERIES", "STATES", "UNIDENTIFIED", "identifiable", "parameter_names",
                                  "parameter_sizes", "simulate_block", "simulate_detail", "simulate_params")},
          "Scenario": "scenario", "load_scenario": "scenario", "shipped_scenarios": "scenario",
          "SimulationResult": "results", "load_daily": "results",
          "WeatherGenerator": "seastate", "crossable": "seastate", "fit_weather_generator": "seastate"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


class _Package(types.ModuleType):
    """Keeps a re-exported name (``compare``, the function) from being replaced by the submodule of the same name
    when that submodule is imported, as the eager ``from .compare import compare`` did."""

    def __setattr__(self, name: str, value) -> None:
        if name in _WHERE and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
