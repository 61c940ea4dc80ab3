"""CLI commands (forecasting)."""
from ._app import main  # noqa: F401
