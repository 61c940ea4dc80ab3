"""CLI commands (observatory)."""
from ._app import main  # noqa: F401
