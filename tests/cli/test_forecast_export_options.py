"""Forecast, backtest and export options: numbers out of range, a backtest with no origin to score and export --as-of
are one-line errors or filters, never tracebacks."""
from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.forecast import limits


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("args, option", [
    (("forecast", "--seed", -1), "--seed"), (("backtest", "--seed", -1), "--seed"),
    (("forecast", "--seed", 2**32), "--seed"), (("backtest", "--seed", 2**32), "--seed"),
    (("forecast", "--paths", 99), "--paths"), (("backtest", "--paths", 100_001), "--paths"),
    (("forecast", "--days", 0), "--days"), (("forecast", "--weeks", 27), "--weeks"),
])
def test_numbers_out_of_range_are_one_line_usage_errors(args, option, tmp_path):
    r = _run(*args, "--db", tmp_path / "none.duckdb")  # refused before the store is looked at
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and f"Invalid value for '{option}'" in lines[0], r.output


def test_the_web_api_and_the_cli_share_the_lower_bounds_and_the_seed_range():
    from crossings.web import settings
    assert settings.MIN_FORECAST_PATHS == limits.MIN_PATHS and settings.MAX_SEED == limits.MAX_SEED == 2**32 - 1
    assert settings.MAX_FORECAST_PATHS <= limits.CLI_MAX_PATHS and settings.MAX_FORECAST_DAYS <= limits.CLI_MAX_DAYS


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """A store of the files shipped with the package (workbook, IOM incidents, prefecture figures)."""
    p = tmp_path_factory.mktemp("store") / "bundled.duckdb"
    r = _run("ingest", "--bundled", "--no-forecast", "--db", p)
    assert r.exit_code == 0, r.output
    return p


def _data_span(db):
    from crossings.store import Store
    s = Store(db, read_only=True)
    d = s.daily()["date"]
    s.close()
    return pd.Timestamp(d.min()).date(), pd.Timestamp(d.max()).date()


def _one_error_line(r, code=1):
    assert r.exit_code == code, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crossings: error: "), r.output
    return lines[0]


def test_backtest_with_no_origin_a_complete_week_before_the_data_end_is_one_line_and_writes_nothing(bundled, tmp_path):
    _, end = _data_span(bundled)
    out = tmp_path / "new" / "report.md"
    for start in (end + timedelta(days=10), end - timedelta(days=end.weekday() + 1)):  # after the end; its last week
        line = _one_error_line(_run("backtest", "--db", bundled, "--start", start, "--paths", 100, "--out", out))
        assert line.endswith(f"no forecast origin from {start} has a complete week of data after it "
                             f"(the data end on {end})"), line
        assert not out.exists() and not out.parent.exists()


def test_backtest_start_after_end_and_end_before_the_data(bundled):
    line = _one_error_line(_run("backtest", "--db", bundled, "--start", "2024-06-03", "--end", "2024-01-01"), 2)
    assert "'--end': 2024-01-01 is before --start 2024-06-03" in line
    begin, _ = _data_span(bundled)
    line = _one_error_line(_run("backtest", "--db", bundled, "--start", "2010-01-04", "--end", "2015-01-05"))
    assert "no forecast origin up to 2015-01-05 has four years of data before it" in line
    assert f"(the data begin on {begin};" in line


def test_backtest_from_the_last_monday_with_a_complete_week_runs(bundled):
    _, end = _data_span(bundled)
    start = end - timedelta(days=6 + (end - timedelta(days=6)).weekday())  # a Monday whose week ends by the end
    assert start.weekday() == 0 and start + timedelta(days=6) <= end
    r = _run("backtest", "--db", bundled, "--start", start, "--paths", 100, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["origins"][0] == start.isoformat()


@pytest.fixture(scope="module")
def three_releases(tmp_path_factory):
    """A store of three workbooks published 14 November, 12 December and 19 December 2025."""
    from crossings.store import Store
    from paths import WB_12DEC, WB_14NOV, WB_19DEC
    p = tmp_path_factory.mktemp("store") / "three.duckdb"
    s = Store(p)
    for wb in (WB_14NOV, WB_12DEC, WB_19DEC):
        s.ingest(wb)
    s.close()
    return p


def test_export_releases_as_of_keeps_those_published_by_then(three_releases, tmp_path):
    import duckdb
    con = duckdb.connect(str(three_releases), read_only=True)
    dates = [r[0] for r in con.execute("SELECT release_date FROM releases").fetchall()]
    con.close()
    out = tmp_path / "rel.csv"
    for day in ("2025-11-14", "2025-12-11", "2025-12-12", "2025-12-31"):
        expected = sum(d.isoformat() <= day for d in dates)
        r = _run("export", "--db", three_releases, "--table", "releases", "--as-of", day, "--out", out)
        assert r.exit_code == 0, r.output
        got = pd.read_csv(out)
        assert len(got) == expected and (got["release_date"] <= day).all(), (day, got)
    assert expected == 3 and {len(pd.read_csv(out))} == {3}
    line = _one_error_line(_run("export", "--db", three_releases, "--table", "releases", "--as-of", "2025-11-13",
                                "--out", tmp_path / "none.csv"))
    assert "nothing was published on or before 2025-11-13" in line and "2025-11-14" in line
    assert not (tmp_path / "none.csv").exists()


def test_export_events_as_of_keeps_those_dated_by_then(tmp_path):
    import yaml

    from crossings.config import bundled_path
    raw = yaml.safe_load(bundled_path("events.yaml").read_text())["events"]
    out = tmp_path / "ev.csv"
    for day in ("2019-12-31", "2023-06-30"):
        expected = sum(str(e["date"]) <= day for e in raw)
        r = _run("export", "--table", "events", "--as-of", day, "--out", out)
        assert r.exit_code == 0, r.output
        got = pd.read_csv(out)
        assert 0 < len(got) == expected < len(raw) and (got["date"] <= day).all(), (day, len(got), expected)
    first = min(str(e["date"]) for e in raw)
    line = _one_error_line(_run("export", "--table", "events", "--as-of", "2017-01-01", "--out", tmp_path / "n.csv"))
    assert line.endswith(f"no event is dated on or before 2017-01-01: the first is dated {first}"), line


def test_export_incidents_before_the_first_iom_release_names_it(bundled, tmp_path):
    import duckdb
    con = duckdb.connect(str(bundled), read_only=True)
    first = con.execute("SELECT min(release_date) FROM source_releases WHERE kind = 'iom_incidents'").fetchone()[0]
    con.close()
    out = tmp_path / "inc.csv"
    line = _one_error_line(_run("export", "--db", bundled, "--table", "incidents", "--as-of", "2020-01-01",
                                "--out", out))
    assert line == (f"crossings: error: no IOM release was published on or before 2020-01-01: the first stored one "
                    f"is dated {first}; give a later --as-of"), line
    assert not out.exists()
    r = _run("export", "--db", bundled, "--table", "incidents", "--as-of", first, "--out", out)
    assert r.exit_code == 0 and len(pd.read_csv(out)) > 0, r.output


def test_the_forecast_json_note_names_the_model_once_and_out_creates_missing_folders(bundled, tmp_path):
    out = tmp_path / "a" / "b" / "fc.json"
    r = _run("forecast", "--db", bundled, "--format", "json", "--paths", 100, "--model", "locallevel", "--no-cache",
             "--out", out)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert json.loads(out.read_text()) == doc
    note = r.stderr.splitlines()[0]
    assert note == doc["note"] and note.startswith("model locallevel; data to "), r.stderr
    assert note.count("locallevel") == 1 and "model: model" not in r.stderr and "model model" not in r.stderr


@pytest.mark.parametrize("command", ["forecast", "backtest", "export"])
def test_out_help_says_missing_folders_are_created(command):
    r = _run(command, "--help")
    assert r.exit_code == 0 and "missing folders are created" in " ".join(r.output.split()), r.output


def test_the_readme_usage_lines_name_every_numeric_option_of_forecast_and_backtest_with_its_default():
    import re
    from pathlib import Path

    import click

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in ("forecast", "backtest"):
        m = re.search(rf"^crossings {name} \[.*?(?=^crossings |^```)", readme, re.S | re.M)
        assert m, name
        shown = dict(re.findall(r"\[(--[a-z-]+)(?: ([^\]|]+))?\]", m[0]))
        cmd = main.commands[name]
        numeric = {p.opts[0]: p.default for p in cmd.params if isinstance(p.type, click.types._NumberParamTypeBase)}
        assert set(numeric) <= set(shown), (name, set(numeric) - set(shown))
        for opt, value in shown.items():
            assert opt in {o for p in cmd.params for o in p.opts}, (name, opt)
            if opt in numeric and value.isdigit():
                assert int(value) == numeric[opt], (name, opt, value)
