"""Commands that only read never create a store, and ``export --as-of`` before the first release or in the future
is an error."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.errors import InputError, check_not_future
from crossings.store import Store, StoreMissingError

READERS = [["stats"], ["releases"], ["revisions"], ["export", "--table", "daily", "--out", "OUT/daily.csv"],
           ["report", "--out", "OUT/report.html"], ["forecast"]]


def _one_error_line(res) -> str:
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("crossings: error: "), res.output
    return lines[0]


@pytest.mark.parametrize("args", READERS, ids=[a[0] for a in READERS])
def test_a_misspelled_db_is_an_error_and_creates_nothing(tmp_path, args):
    wrong = tmp_path / "sub" / "crossigns.duckdb"
    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    line = _one_error_line(CliRunner().invoke(main, [*args, "--db", str(wrong)]))
    assert line == (f"crossings: error: no store at {wrong}: run 'crossings ingest --bundled' (or 'crossings fetch') "
                    "first, or check the --db path")
    assert not wrong.exists() and not wrong.parent.exists()
    assert not (tmp_path / "out").exists()


def test_the_python_api_refuses_a_missing_store_read_only_and_creates_one_to_write(tmp_path):
    with pytest.raises(StoreMissingError):
        Store(tmp_path / "none.duckdb", read_only=True)
    assert not (tmp_path / "none.duckdb").exists()
    with Store(tmp_path / "new" / "s.duckdb") as s:
        assert s.is_empty()
    assert (tmp_path / "new" / "s.duckdb").is_file()


@pytest.fixture()
def filled(db_path, wb19) -> Path:
    with Store(db_path) as s:
        s.ingest(wb19)
    return db_path


@pytest.mark.parametrize("table", ["daily", "weekly"])
def test_export_before_the_first_release_is_an_error_and_writes_no_file(filled, tmp_path, table):
    out = tmp_path / f"{table}.csv"
    line = _one_error_line(CliRunner().invoke(main, ["export", "--table", table, "--out", str(out),
                                                      "--as-of", "2017-06-01"]))
    assert line == ("crossings: error: nothing was published on or before 2017-06-01: the first stored release is "
                    "dated 2025-12-19; give a later --as-of")
    assert not out.exists()


@pytest.mark.parametrize("table", ["daily", "weekly", "releases", "events"])
def test_export_in_the_future_is_an_error_and_leaves_the_file_as_it_was(filled, tmp_path, table):
    out = tmp_path / f"{table}.csv"
    out.write_text("an earlier export\n")
    today = date.today()
    tomorrow = today + timedelta(days=1)
    files = sorted(tmp_path.rglob("*"))
    line = _one_error_line(CliRunner().invoke(main, ["export", "--table", table, "--out", str(out),
                                                      "--as-of", tomorrow.isoformat()]))
    assert line == (f"crossings: error: --as-of {tomorrow} is in the future (today is {today}): an export can "
                    "only hold values already published")
    assert out.read_text() == "an earlier export\n" and sorted(tmp_path.rglob("*")) == files  # nothing written


def test_export_as_of_today_is_accepted(filled, tmp_path):
    out = tmp_path / "weekly.csv"
    res = CliRunner().invoke(main, ["export", "--table", "weekly", "--out", str(out), "--as-of",
                                    date.today().isoformat()])
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("week_ending")


def test_the_future_begins_the_day_after_today():
    today = date(2025, 12, 19)
    check_not_future(today, "--as-of", "why", today=today)
    check_not_future(today - timedelta(days=3000), "--as-of", "why", today=today)
    with pytest.raises(InputError, match=r"^as_of 2025-12-20 is in the future \(today is 2025-12-19\): why$"):
        check_not_future(today + timedelta(days=1), "as_of", "why", today=today)


def test_export_on_the_day_of_the_first_release_writes_every_day(filled, tmp_path, wb19):
    out = tmp_path / "daily.csv"
    res = CliRunner().invoke(main, ["export", "--table", "daily", "--out", str(out), "--as-of", "2025-12-19"])
    assert res.exit_code == 0, res.output
    lines = out.read_text().splitlines()
    # 1 January 2018 to 18 December 2025, one row a day, plus the heading.
    assert len(lines) - 1 == (date(2025, 12, 18) - date(2018, 1, 1)).days + 1


def test_a_reader_brings_an_older_store_up_to_date_then_reads_only(tmp_path, monkeypatch):
    import duckdb

    from crossings.store import connect, current_version, migrations
    path = tmp_path / "s.duckdb"
    Store(path).close()  # a store of the current schema...
    newer = migrations.Migration(99, "a table of a later version", ("CREATE TABLE t99 (x INTEGER)",))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, newer))  # ...which a newer version extends
    monkeypatch.setattr(migrations, "LATEST_VERSION", 99)
    con = connect(path, read_only=True)
    try:
        assert current_version(con) == 99
        assert con.execute("SELECT count(*) FROM t99").fetchone()[0] == 0
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("INSERT INTO t99 VALUES (1)")
    finally:
        con.close()
