"""The 19 December 2025 workbook ingested once into a temporary store, and the same file read directly with pandas."""
from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def store19(tmp_path_factory, wb19):
    from crossings.store import Store
    s = Store(tmp_path_factory.mktemp("store") / "store.duckdb")
    s.ingest(wb19)
    yield s
    s.close()


@pytest.fixture(scope="module")
def daily19(store19):
    return store19.daily()


@pytest.fixture(scope="module")
def weekly19(store19):
    return store19.weekly()


def _sheet(path, name: str, cols: list[str]) -> pd.DataFrame:
    """A sheet read straight from the ODS with pandas + calamine, '-' turned into NaN: independent of crossings."""
    raw = pd.read_excel(path, sheet_name=name, engine="calamine", header=0)
    raw.columns = cols
    raw = raw[pd.to_datetime(raw[cols[0]], errors="coerce").notna()].copy()
    raw[cols[0]] = pd.to_datetime(raw[cols[0]])
    for c in cols[1:-1]:
        raw[c] = pd.to_numeric(raw[c].replace("-", None), errors="coerce")
    return raw.reset_index(drop=True)


@pytest.fixture(scope="module")
def raw_daily(wb19) -> pd.DataFrame:
    return _sheet(wb19, "SB_01", ["date", "people", "boats", "ul", "note"])


@pytest.fixture(scope="module")
def raw_weekly(wb19) -> pd.DataFrame:
    return _sheet(wb19, "SB_02", ["week_ending", "people", "boats", "ul", "prevented", "events", "note"])
