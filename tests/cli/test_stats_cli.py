"""``crossings stats``: the key figures by default, JSON, CSV (one table at a time) and table output, --only, the
registry of tables, and the empty-store error."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from crossings.cli import main
from crossings.store import Store


@pytest.fixture()
def filled(db_path, wb19):
    with Store(db_path) as s:  # closed again before the CLI opens the file
        s.ingest(wb19)
    return db_path


def _run(*args):
    res = CliRunner().invoke(main, ["stats", *args])
    return res


def test_json_has_every_table_and_the_published_totals(filled):
    res = _run("--only", "all", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)  # tables this store lacks (deaths: no IOM release) are named on stderr
    assert list(data)[:2] == ["key", "totals_by_year"]
    years = {r["period"]: r for r in data["totals_by_year"]}
    assert (years["2024"]["people"], years["2024"]["boats"]) == (36816, 695)
    assert (years["2022"]["people"], years["2022"]["boats"]) == (45755, 1110)
    assert years["2018"]["uncontrolled_landings"] is None  # not recorded before 2023: null, not 0
    assert data["key"]["latest_day"] == "2025-12-18"
    assert data["preventions"][0]["week_ending"] == "2024-05-05"


def test_only_selects_tables_and_csv_parses(filled):
    res = _run("--only", "totals_by_year", "--format", "csv")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.output))
    assert df.set_index("period").loc[2022, "boats"] == 1110
    both = _run("--only", "key", "--only", "runs", "--format", "json")
    assert set(json.loads(both.output)) == {"key", "runs"}


@pytest.mark.parametrize("only", [("runs", "records"), ("all",)])
def test_csv_of_several_tables_is_a_usage_error(filled, only):
    res = _run(*[a for o in only for a in ("--only", o)], "--format", "csv")
    assert res.exit_code == 2
    assert "CSV holds one table at a time: give one --only NAME" in res.output


def test_csv_without_only_is_the_key_figures(filled, wb19):
    res = _run("--format", "csv")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.output))
    assert list(df.columns) == ["figure", "value"]
    assert df.set_index("figure").loc["Latest day", "value"] == "2025-12-18"


def test_no_option_prints_the_key_figures_with_labels_and_separators(filled, wb19):
    res = _run()
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0] == "Key figures"
    assert len(lines) < 40  # the headline figures, not every table
    # 2025 to 18 December, summed independently from the daily sheet of the official file.
    sheet = CalamineWorkbook.from_path(str(wb19)).get_sheet_by_name("SB_01").to_python()
    people_2025 = sum(int(r[1]) for r in sheet[1:] if hasattr(r[0], "year") and r[0].year == 2025)
    assert people_2025 > 1000
    line = next(ln for ln in lines if ln.startswith("People this year to date"))
    assert line.split()[-1] == f"{people_2025:,}"  # with thousands separators
    assert next(ln for ln in lines if ln.startswith("Latest day")).split()[-1] == "2025-12-18"


def test_the_registry_takes_a_new_table_without_changing_the_cli(filled, monkeypatch):
    from crossings.analysis import registry
    monkeypatch.setattr(registry, "_TABLES", dict(registry._TABLES))  # leave the real registry as it was
    registry.register_table(registry.StatsTable(
        "release_count", "Stored releases",
        lambda i: pd.DataFrame({"releases": [len(i.store.releases())]}), needs_store=True))
    res = _run("--only", "release_count", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert pd.read_csv(io.StringIO(res.output))["releases"].tolist() == [1]
    listed = _run("--only", "nonsense")
    assert "release_count" in listed.output


def test_table_output_is_readable(filled):
    res = _run("--only", "totals_by_year")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0] == "Totals by year"
    row = next(line for line in lines if line.strip().startswith("2024"))
    assert "36816" in row and "695" in row


def test_unknown_table_is_a_usage_error(filled):
    res = _run("--only", "nonsense")
    assert res.exit_code == 2
    assert "unknown table(s) nonsense" in res.output and "totals_by_year" in res.output and "all" in res.output


def test_empty_store_is_a_one_line_error(db_path):
    Store(db_path).close()  # a store with no release yet
    res = CliRunner().invoke(main, ["stats", "--db", str(db_path)])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        "crossings: error: the store is empty: run 'crossings ingest --bundled' or 'crossings fetch' first"]


def test_a_store_of_daily_pages_only_shows_preventions_as_not_known(db_path):
    from datetime import date

    from paths import TESTS_DATA
    page = TESTS_DATA / "homeoffice" / "last_7_days" / "fetched_2025-12-16.html"
    with Store(db_path) as s:  # a daily page has no weekly table, so no preventions
        s.ingest(page, release_date=date(2025, 12, 16))
    res = _run()
    assert res.exit_code == 0, res.output
    shown = {label.strip(): value.strip() for label, value in
             (ln.rsplit("  ", 1) for ln in res.output.strip().splitlines()[1:])}
    assert shown["Crossings prevented this year (people)"] == "not known"
    assert shown["Latest release"] == "2025-12-16"
