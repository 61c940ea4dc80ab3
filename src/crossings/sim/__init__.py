"""The Monte Carlo simulator: scenarios (YAML, validated), sea-state drivers and the vectorised daily kernel."""
from .model import OUTCOMES, STATES, simulate_block, simulate_detail
from .scenario import Scenario, load_scenario, shipped_scenarios
from .seastate import WeatherGenerator, crossable, fit_weather_generator

__all__ = ["OUTCOMES", "STATES", "Scenario", "WeatherGenerator", "crossable", "fit_weather_generator",
           "load_scenario", "shipped_scenarios", "simulate_block", "simulate_detail"]
