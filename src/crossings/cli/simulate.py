"""CLI commands (simulate)."""
from ._app import main  # noqa: F401
