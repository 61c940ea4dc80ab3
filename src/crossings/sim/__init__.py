"""The Monte Carlo simulator: scenarios (YAML, validated), calendar-anchored inputs, sea-state drivers, the compiled
daily kernel (numba), parameter batches, and ensembles of replicate blocks (in process or on Ray) with their
results and doctrine comparisons. See :mod:`crossings.sim.model` for the batch API used by calibration."""
from .compare import Comparison, compare
from .ensemble import run_ensemble
from .model import (OUTCOMES, SERIES, STATES, UNIDENTIFIED, identifiable, parameter_names, parameter_sizes,
                    simulate_block, simulate_detail, simulate_params)
from .scenario import Scenario, load_scenario, shipped_scenarios
from .results import SimulationResult, load_daily
from .seastate import WeatherGenerator, crossable, fit_weather_generator

__all__ = ["Comparison", "OUTCOMES", "SERIES", "STATES", "Scenario", "SimulationResult", "UNIDENTIFIED",
           "WeatherGenerator", "compare", "crossable", "fit_weather_generator", "identifiable", "load_daily",
           "load_scenario", "parameter_names", "parameter_sizes", "run_ensemble", "shipped_scenarios",
           "simulate_block", "simulate_detail", "simulate_params"]
