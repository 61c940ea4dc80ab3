"""The forecast models by name, importable without the numerical libraries (the CLI checks ``--model`` with them)."""
from __future__ import annotations

DEFAULT_MODEL = "ensemble"  # the winner of the backtest in docs/forecast.md (rule: crossings.forecast.summary.winner)
MODEL_NAMES = ("locallevel", "hurdle", "seasonal", "ensemble", "climatology", "persistence")
