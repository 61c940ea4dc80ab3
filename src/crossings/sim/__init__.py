"""The Monte Carlo simulator: scenarios (YAML, validated), sea-state drivers, the vectorised daily kernel, and
ensembles of replicate blocks (in process or on Ray) with their results and doctrine comparisons."""
from .compare import Comparison, compare
from .ensemble import run_ensemble
from .model import OUTCOMES, STATES, simulate_block, simulate_detail
from .scenario import Scenario, load_scenario, shipped_scenarios
from .results import SimulationResult, load_daily
from .seastate import WeatherGenerator, crossable, fit_weather_generator

__all__ = ["Comparison", "OUTCOMES", "STATES", "Scenario", "SimulationResult", "WeatherGenerator", "compare",
           "crossable", "fit_weather_generator", "load_daily", "load_scenario", "run_ensemble", "shipped_scenarios",
           "simulate_block", "simulate_detail"]
