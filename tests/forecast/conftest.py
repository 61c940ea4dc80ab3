"""The official daily series (19 December 2025 release), read once for the forecast tests."""
from __future__ import annotations

import pytest

from crossings.forecast.series import Series, daily_series
from crossings.store import Store


@pytest.fixture(scope="session")
def official(wb19) -> Series:
    store = Store(":memory:")
    store.ingest(wb19)
    s = daily_series(store.daily())
    store.close()
    return s


@pytest.fixture(scope="session")
def official_frame(wb19):
    """The same days as a pandas frame read straight from the workbook, for independent hand checks."""
    from crossings.sources import read
    return read(wb19).daily
