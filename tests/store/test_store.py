"""The store keeps every release, dedupes files, shows revisions, and never half-writes."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.sources import read
from crossings.store import Store, add_release
from odsedit import OdsEditor
from paths import LAST7, WB_12DEC, WB_14NOV


def test_same_file_twice_adds_nothing(db_path, wb19):
    s = Store(db_path)
    first = s.ingest(wb19)
    again = s.ingest(wb19)
    assert first.added and not again.added and again.release_id == first.release_id
    assert s.con.execute("SELECT count(*) FROM daily_obs").fetchone()[0] == first.n_daily == 2909
    assert len(s.releases()) == 1


def test_latest_view_takes_the_newest_release(db_path, wb19, shared_homeoffice):
    s = Store(db_path)
    for p in [WB_14NOV, WB_12DEC, wb19, *LAST7]:
        s.ingest(p)
    d = s.daily()
    assert d["date"].is_unique
    assert d["date"].iloc[-1] == pd.Timestamp("2025-12-29")  # from the page published 30 December
    # As known on 30 November 2025, the newest release was the 14 November workbook.
    old = s.daily(as_of=date(2025, 11, 30))
    assert old["date"].iloc[-1] == pd.Timestamp("2025-11-13")
    assert set(old["release_date"]) == {date(2025, 11, 14)}
    # Weekly values come only from workbooks.
    assert s.weekly()["release_date"].max() == date(2025, 12, 19)


def test_revision_keeps_both_values_and_is_listed(db_path, wb19, tmp_path):
    ed = OdsEditor(wb19)
    row = 2800  # a 2025 day
    old_value = int(ed.get_number("SB_01", row, 1))
    revised = ed.set("SB_01", row, 1, old_value + 40).set("SB_01", row, 4, "Revised").save(
        tmp_path / "26_December_2025_Small_boats_-_time_series.ods")
    day = read(wb19).daily["date"].iloc[row - 1]

    s = Store(db_path)
    s.ingest(wb19)
    s.ingest(revised)
    both = s.con.execute("SELECT r.release_date, o.migrants_arrived FROM daily_obs o JOIN releases r "
                         "USING (release_id) WHERE o.date = ? ORDER BY 1", [day.date()]).fetchall()
    assert both == [(date(2025, 12, 19), old_value), (date(2025, 12, 26), old_value + 40)]

    rev = s.revisions()
    assert len(rev) == 1
    r = rev.iloc[0]
    assert (pd.Timestamp(r["date"]), r["field"], r["old_value"], r["new_value"]) == \
        (day, "migrants_arrived", old_value, old_value + 40)
    assert pd.Timestamp(r["prev_release_date"]) == pd.Timestamp("2025-12-19")
    assert s.daily().set_index("date").loc[day, "migrants_arrived"] == old_value + 40
    assert s.daily(as_of=date(2025, 12, 20)).set_index("date").loc[day, "migrants_arrived"] == old_value

    out = CliRunner().invoke(main, ["revisions", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert f"{day.date().isoformat()},migrants_arrived,{old_value},{old_value + 40}" in out.output


def test_a_failed_insert_leaves_nothing_behind(db_path, wb19):
    s = Store(db_path)
    rel = read(wb19)
    rel.daily = pd.concat([rel.daily, rel.daily.tail(1)], ignore_index=True)  # a duplicate key mid-insert
    with pytest.raises(duckdb.ConstraintException):
        add_release(s.con, rel)
    assert s.con.execute("SELECT count(*) FROM releases").fetchone()[0] == 0
    assert s.con.execute("SELECT count(*) FROM daily_obs").fetchone()[0] == 0


# Each kind of bad file (truncated, not ODS, missing sheet or column, text, negative, duplicate or impossible
# date, page without the table, a bad file after good ones) is refused through the CLI in
# tests/cli/test_ingest_cli.py, which checks the message's file, sheet, row and column and that the store is
# byte-identical afterwards.


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_cli_error_is_one_line_on_stderr_with_nonzero_exit(db_path, tmp_path):
    bad = _write(tmp_path / "notes.ods", b"\x00\x01garbage")
    proc = subprocess.run([sys.executable, "-m", "crossings", "ingest", "--db", str(db_path), str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0 and "notes.ods" in proc.stderr


def test_export_tables(db_path, wb19, tmp_path):
    Store(db_path).ingest(wb19)
    runner = CliRunner()
    for fmt in ("csv", "parquet", "json"):
        out = tmp_path / f"daily.{fmt}"
        r = runner.invoke(main, ["export", "--table", "daily", "--format", fmt, "--out", str(out)])
        assert r.exit_code == 0, r.output
    csv = pd.read_csv(tmp_path / "daily.csv")
    pq = pd.read_parquet(tmp_path / "daily.parquet")
    js = pd.read_json(tmp_path / "daily.json")
    for df in (csv, pq, js):
        assert {"date", "migrants_arrived", "boats_arrived", "uncontrolled_landings", "release_date"} <= set(df)
        assert len(df) == 2909
        assert int(df["migrants_arrived"].sum()) == int(read(wb19).daily["migrants_arrived"].sum())
    assert csv["uncontrolled_landings"].isna().sum() == pq["uncontrolled_landings"].isna().sum() > 1000
    assert str(csv["date"].iloc[0]) == "2018-01-01"
