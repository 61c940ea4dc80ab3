"""Fixtures for the incident, deaths and events tests: the raw IOM and prefecture files and a loaded store."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from crossings.config import bundled_path
from paths import SHARED

IOM_SHARED = SHARED / "iom" / "missing_migrants_mainland_europe_to_uk_2014_2025.csv"
PREF_SHARED = SHARED / "prefecture" / "annual_figures.csv"


@pytest.fixture(scope="session")
def iom_csv() -> Path:
    """The IOM route extract: from shared/ when present, else the copy shipped in the package."""
    return IOM_SHARED if IOM_SHARED.exists() else bundled_path("iom_missing_migrants.csv")


@pytest.fixture(scope="session")
def pref_csv() -> Path:
    return PREF_SHARED if PREF_SHARED.exists() else bundled_path("prefecture_annual_figures.csv")


@pytest.fixture(scope="session")
def _loaded_template(tmp_path_factory, wb19, iom_csv, pref_csv) -> Path:
    from crossings.store import Store
    path = tmp_path_factory.mktemp("incidents") / "template.duckdb"
    with Store(path) as s:
        for p in (wb19, iom_csv, pref_csv):
            s.ingest(p)
    return path


@pytest.fixture()
def loaded(db_path, _loaded_template):
    """A store file (a fresh copy per test) holding the 19 December workbook, the IOM extract and the prefecture
    figures."""
    shutil.copyfile(_loaded_template, db_path)
    return db_path


def snapshot(db_path: Path) -> tuple[dict, str]:
    """Every row of the incident tables and the file hash, to compare after a refused ingest."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = {t: con.execute(f"SELECT * EXCLUDE (ingested_at) FROM {t} ORDER BY ALL").fetchall()
                if t == "source_releases" else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("source_releases", "incidents", "prefecture_annual", "releases", "daily_obs")}
    finally:
        con.close()
    return rows, hashlib.sha256(db_path.read_bytes()).hexdigest()
