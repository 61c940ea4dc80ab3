"""CLI commands (conditions)."""
from ._app import main  # noqa: F401
