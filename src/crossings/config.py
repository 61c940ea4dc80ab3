"""Where things live: the store, the HTTP cache, the bundled data."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP = "crossings"


def default_db_path() -> Path:
    """The DuckDB store: ``$CROSSINGS_DB`` if set, else ``<user data dir>/crossings/crossings.duckdb``."""
    env = os.environ.get("CROSSINGS_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP)) / "crossings.duckdb"


def cache_dir() -> Path:
    """HTTP cache and other disposable files: ``$CROSSINGS_CACHE`` or the user cache dir."""
    env = os.environ.get("CROSSINGS_CACHE")
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir(APP))


def bundled_path(name: str) -> Path:
    """Path to a file shipped in ``crossings/data``."""
    return Path(str(resources.files("crossings") / "data" / name))


def bundled_workbook() -> Path:
    """Path of the official workbook shipped with the package (the newest, if several): ``Store().ingest(...)``."""
    return bundled_workbooks()[-1]


def bundled_workbooks() -> list[Path]:
    """The official workbook(s) shipped as the offline default."""
    return sorted(Path(str(resources.files("crossings") / "data")).glob("*.ods"))
