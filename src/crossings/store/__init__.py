"""The DuckDB store: every release kept, latest views, revisions."""
from .db import connect, transaction, register_schema  # noqa: F401
