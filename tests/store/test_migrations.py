"""The schema comes from explicit migrations owned by the store, and an old store is upgraded in place."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys

import duckdb

from crossings.sources import read
from crossings.store import LATEST_VERSION, MIGRATIONS, connect, current_version, latest_daily
from paths import HOMEOFFICE, TESTS_DATA

LEGACY = TESTS_DATA / "store" / "store_v0.1.0.duckdb.gz"


def _unpack(tmp_path):
    out = tmp_path / "old.duckdb"
    with gzip.open(LEGACY, "rb") as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


def test_versions_are_increasing_and_unique():
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions))


def test_new_store_records_every_migration(tmp_path):
    con = connect(tmp_path / "new.duckdb")
    rows = con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
    assert current_version(con) == LATEST_VERSION


def test_upgrade_of_a_store_written_by_0_1_0_keeps_its_data(tmp_path):
    path = _unpack(tmp_path)
    raw = duckdb.connect(str(path), read_only=True)
    tables_before = {r[0] for r in raw.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    raw.close()
    assert "schema_version" not in tables_before and "releases" in tables_before
    con = connect(path)
    assert current_version(con) == LATEST_VERSION
    # The stored days equal the page read afresh (the file the old store was made from).
    page = read(HOMEOFFICE / "last_7_days" / "fetched_2025-12-16.html")
    got = latest_daily(con)
    assert len(got) == len(page.daily)
    assert int(got["migrants_arrived"].sum()) == int(page.daily["migrants_arrived"].sum())
    # Opening again applies nothing more.
    con.close()
    con = connect(path)
    n = con.execute("SELECT count(*) FROM schema_version").fetchone()[0]
    assert n == len({m.version for m in MIGRATIONS})


def test_tables_exist_without_importing_the_areas_that_use_them(tmp_path):
    """No table is created as a side effect of importing a module: a fresh process that imports only the store
    gets the conditions table too."""
    db = tmp_path / "s.duckdb"
    code = ("import sys; from crossings.store import connect; con = connect(sys.argv[1]); "
            "assert 'crossings.conditions' not in sys.modules; "
            "print(con.execute(\"SELECT count(*) FROM information_schema.tables WHERE table_name = "
            "'conditions_hourly'\").fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
