"""Fixtures of the calibration tests: the bundled official tables (read once)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def tables():
    """(daily, weekly, release dates, source) of the workbook shipped with the package."""
    from crossings.sim.summaries import official_tables
    return official_tables(":memory:")
