"""Several ``crossings`` processes on one store at once: readers open it read-only, and a command that meets a lock
held by another process waits for it (saying so on stderr) instead of failing, up to a timeout.

Real processes (``python -m crossings``) on a real DuckDB file; the figures are checked against the official files
read independently with python-calamine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from crossings.store import Store
from paths import WB_12DEC, WB_14NOV, WB_19DEC

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("held", flush=True)
if sys.argv[3] == "until-told":
    sys.stdin.readline()
else:
    time.sleep(float(sys.argv[3]))
con.close()
"""


def _crossings(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crossings", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _env(db_path: Path, **extra: str) -> dict:
    env = {**os.environ, "CROSSINGS_DB": str(db_path), "OMP_NUM_THREADS": "1", **extra}
    return env


def _hold(db_path: Path, mode: str, seconds: float | str) -> subprocess.Popen:
    """Another process holding the store (``rw``: as a writer, ``ro``: as a reader) for ``seconds``, or until a line
    is written to its stdin (``"until-told"``)."""
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path), mode, str(seconds)], stdout=subprocess.PIPE,
                         stdin=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def _year_people(path: Path, year: int) -> int:
    """People arrived in ``year`` summed from the daily sheet (SB_01) of an official workbook."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("SB_01").to_python()
    head = next(i for i, r in enumerate(rows) if r and str(r[0]).strip().lower() == "date")
    total = 0
    for r in rows[head + 1:]:
        d = r[0]
        if hasattr(d, "year") and d.year == year and isinstance(r[1], (int, float)):
            total += int(r[1])
    return total


@pytest.fixture()
def seeded(db_path) -> Path:
    with Store(db_path) as s:
        s.ingest(WB_14NOV)
    return db_path


def _finish(procs: list[subprocess.Popen], timeout: float = 120) -> list[tuple[int, str, str]]:
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=timeout)
        out.append((p.returncode, stdout, stderr))
    return out


def test_two_ingests_a_stats_and_a_releases_at_the_same_moment_all_succeed(seeded):
    env = _env(seeded)
    procs = [_crossings("ingest", str(WB_12DEC), env=env), _crossings("ingest", str(WB_19DEC), env=env),
             _crossings("stats", "--only", "totals_by_year", "--format", "json", env=env),
             _crossings("releases", "--format", "json", env=env)]
    results = _finish(procs)
    for rc, out, err in results:
        assert rc == 0, err
        assert "Could not set lock" not in err
    con = duckdb.connect(str(seeded), read_only=True)
    dates = sorted(str(r[0]) for r in con.execute("SELECT release_date FROM releases").fetchall())
    con.close()
    assert dates == ["2025-11-14", "2025-12-12", "2025-12-19"]
    # stats read a consistent store: before, between or after the ingests, never half of one.
    years = {r["period"]: r["people"] for r in json.loads(results[2][1])["totals_by_year"]}
    assert years["2024"] in {_year_people(WB_14NOV, 2024), _year_people(WB_12DEC, 2024),
                             _year_people(WB_19DEC, 2024)}
    listed = json.loads(results[3][1])
    assert 1 <= len(listed) <= 3 and "2025-11-14" in {str(r["release_date"])[:10] for r in listed}


def test_readers_and_a_writer_wait_for_a_held_write_lock(seeded):
    holder = _hold(seeded, "rw", "until-told")
    env = _env(seeded)
    procs = [_crossings("stats", env=env), _crossings("releases", env=env),
             _crossings("ingest", str(WB_19DEC), env=env)]
    # Each says it waits (its first line on stderr) while the lock is held; then the lock is released.
    first = [p.stderr.readline() for p in procs]
    assert all(p.poll() is None for p in procs)  # all still waiting
    holder.stdin.write("release\n")
    holder.stdin.close()
    holder.wait()
    results = _finish(procs)
    for line, (rc, out, err) in zip(first, results):
        assert line.startswith("crossings: store is busy, waiting"), line
        assert rc == 0, err
    assert "People this year to date" in results[0][1]
    assert "2025-12-19" in results[2][1]


def test_readers_do_not_wait_for_each_other(seeded):
    holder = _hold(seeded, "ro", "until-told")
    try:
        rc, out, err = _finish([_crossings("releases", env=_env(seeded))])[0]
        assert holder.poll() is None  # the other reader held the store open all along
    finally:
        holder.communicate("release\n")
    assert rc == 0, err
    assert "store is busy" not in err and "2025-11-14" in out


def test_a_lock_held_too_long_is_a_one_line_error_and_changes_nothing(seeded):
    holder = _hold(seeded, "rw", "until-told")
    try:
        rc, out, err = _finish([_crossings("ingest", str(WB_19DEC), env=_env(seeded, CROSSINGS_LOCK_TIMEOUT="1"))])[0]
    finally:
        holder.communicate("release\n")
    assert rc == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines[0].startswith("crossings: store is busy, waiting (up to 1 s)")
    assert lines[1:] == [f"crossings: error: the store {seeded} is still in use by another process after 1 s; "
                         "nothing was changed (set CROSSINGS_LOCK_TIMEOUT to wait longer)"]
    with Store(seeded, read_only=True) as s:
        assert [str(d)[:10] for d in s.releases()["release_date"]] == ["2025-11-14"]
