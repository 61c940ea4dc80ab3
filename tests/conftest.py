"""Shared fixtures: the official sample files and a fresh store per test."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from paths import HOMEOFFICE, WB_19DEC


# ``ingest`` and ``fetch`` compute the default forecast after storing a new release (2-3 s each); the suite's many
# ingests skip it (their subprocesses inherit this), the tests of that step turn it back on.
os.environ.setdefault("CROSSINGS_NO_FORECAST", "1")


def _bundled_19dec() -> Path:
    from crossings.config import bundled_workbooks
    return bundled_workbooks()[0]


@pytest.fixture(scope="session")
def wb19() -> Path:
    """The 19 December 2025 workbook: from shared/ when present, else the copy shipped in the package."""
    return WB_19DEC if WB_19DEC.exists() else _bundled_19dec()


@pytest.fixture(scope="session")
def shared_homeoffice() -> Path:
    if not HOMEOFFICE.exists():
        pytest.skip("shared/data/homeoffice not beside the checkout")
    return HOMEOFFICE


@pytest.fixture()
def db_path(tmp_path, monkeypatch) -> Path:
    """A new store file, also set as CROSSINGS_DB so CLI calls use it; the HTTP cache goes to tmp too."""
    p = tmp_path / "store.duckdb"
    monkeypatch.setenv("CROSSINGS_DB", str(p))
    monkeypatch.setenv("CROSSINGS_CACHE", str(tmp_path / "cache"))
    return p
