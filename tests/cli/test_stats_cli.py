"""``crossings stats``: JSON, CSV and table output, --only, and the empty-store error."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

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
    res = _run("--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
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
    several = _run("--only", "runs", "--only", "records", "--format", "csv")
    assert "# runs" in several.output and "# records" in several.output


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
    assert "unknown table(s) nonsense" in res.output and "totals_by_year" in res.output


def test_empty_store_is_a_one_line_error(db_path):
    res = CliRunner().invoke(main, ["stats", "--db", str(db_path)])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        "crossings: error: the store is empty: run 'crossings ingest --bundled' or 'crossings fetch' first"]
