"""What the dashboard server may do: where the store is, and the limits that keep it safe to expose."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..forecast import limits as _fl

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

#: Limits of one doctrine comparison requested through the web (the CLI has none).
MAX_REPLICATES = 2000
MAX_DOCTRINES = 4
MAX_PERIOD_DAYS = 3 * 366
FIRST_SIMULATED_DAY = date(2018, 1, 1)
MAX_DAYS_AHEAD = 2 * 366
#: Limits of one forecast requested through the web (``/api/forecast``); the CLI allows more (its --help says).
#: All forecast limits are kept in :mod:`crossings.forecast.limits`.
MAX_FORECAST_DAYS = _fl.WEB_MAX_DAYS
MAX_FORECAST_WEEKS = _fl.WEB_MAX_WEEKS
MIN_FORECAST_PATHS = _fl.MIN_PATHS  # as the CLI
MAX_FORECAST_PATHS = _fl.WEB_MAX_PATHS
MAX_SEED = _fl.MAX_SEED  # as the CLI
#: Largest request body accepted, in bytes (a comparison request is well under 1 KiB).
MAX_BODY_BYTES = 16 * 1024


def _env_int(name: str, default: int) -> int:
    v = os.environ.get(name)
    return int(v) if v and v.strip().isdigit() else default


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, ""))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    """Server settings; ``from_env`` reads ``CROSSINGS_WEB_*`` overrides (for systemd units and containers)."""

    db_path: Path
    #: Simulations (doctrine comparisons, backtests) running at once; one more is answered 429.
    max_simulations: int = 1
    #: Seconds a simulation may run before its worker process is stopped and the answer is 504.
    simulation_timeout_s: float = 120.0
    #: Seconds a backtest may run (it scores many forecasts).
    backtest_timeout_s: float = 600.0

    @classmethod
    def from_env(cls, db_path: str | Path) -> "Settings":
        return cls(db_path=Path(db_path),
                   max_simulations=max(1, _env_int("CROSSINGS_WEB_MAX_SIMULATIONS", cls.max_simulations)),
                   simulation_timeout_s=_env_float("CROSSINGS_WEB_SIMULATION_TIMEOUT", cls.simulation_timeout_s),
                   backtest_timeout_s=_env_float("CROSSINGS_WEB_BACKTEST_TIMEOUT", cls.backtest_timeout_s))
