"""The forecast and backtest commands: JSON shape, --as-of uses only releases published by then, one-line errors for
impossible dates, stale data said, the model named, markdown report."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.store import Store
from paths import WB_14NOV, WB_19DEC

LEVELS = ["0.05", "0.25", "0.5", "0.75", "0.95"]


def _store(path, *workbooks):
    s = Store(path)
    for wb in workbooks:
        s.ingest(wb)
    s.close()


def _run(*args):
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, r.output + str(r.exception)
    return r


@pytest.fixture()
def both(tmp_path, shared_homeoffice):
    p = tmp_path / "both.duckdb"
    _store(p, WB_14NOV, WB_19DEC)
    return p


def test_forecast_json_shape(both, tmp_path):
    out = tmp_path / "fc.json"
    r = _run("forecast", "--db", str(both), "--format", "json", "--paths", "300", "--out", str(out))
    doc = json.loads(r.stdout)
    assert doc == json.loads(out.read_text())
    assert set(doc) == {"as_of", "model", "data_end", "note", "daily", "weekly"}
    assert doc["as_of"] == "2025-12-19" and doc["data_end"] == "2025-12-18"  # the 19 December release
    days = [d["date"] for d in doc["daily"]]
    assert days == [str(d.date()) for d in pd.date_range("2025-12-19", periods=14)]
    for d in doc["daily"]:
        assert set(d) == {"date", "p_crossing_day", "boats", "people"} and 0 <= d["p_crossing_day"] <= 1
        for t in ("boats", "people"):
            assert list(d[t]) == LEVELS
            assert d[t]["0.05"] <= d[t]["0.25"] <= d[t]["0.5"] <= d[t]["0.75"] <= d[t]["0.95"]
    ends = [pd.Timestamp(w["week_ending"]) for w in doc["weekly"]]
    assert len(ends) == 8 and all(e.day_of_week == 6 for e in ends) and ends[0] == pd.Timestamp("2025-12-21")
    # the first week holds observed Mon 15 - Thu 18 December: no path can total less than those days
    obs = Store(both).daily().set_index("date").loc["2025-12-15":"2025-12-18", "boats_arrived"].sum()
    assert doc["weekly"][0]["boats"]["0.05"] >= obs > 0


@pytest.mark.parametrize("model", ["locallevel", "hurdle", "seasonal", "ensemble", "climatology", "persistence"])
def test_later_releases_do_not_change_an_as_of_forecast(both, tmp_path, shared_homeoffice, model):
    """A store that also holds the 19 December release (rewriting every day it covers) forecasts 20 November
    exactly as a store holding only the 14 November release."""
    only_nov = tmp_path / "nov.duckdb"
    _store(only_nov, WB_14NOV)
    args = ["forecast", "--as-of", "2025-11-20", "--format", "json", "--paths", "200", "--model", model,
            "--no-cache"]  # computed from each store (the cache would read the first back: the same releases)
    a = json.loads(_run(*args, "--db", str(both)).stdout)
    b = json.loads(_run(*args, "--db", str(only_nov)).stdout)
    assert a == b and a["as_of"] == "2025-11-20" and a["daily"][0]["date"] == "2025-11-20"
    assert a["model"] == model


def test_stale_data_say_how_stale(both):
    # 2025-12-10: the newest release then is 14 November with data to 13 November, 27 days before
    r = _run("forecast", "--db", str(both), "--as-of", "2025-12-10", "--paths", "200", "--days", "2", "--weeks", "1")
    assert "data to 2025-11-13" in r.stdout and "data end 27 days before 2025-12-10" in r.stdout


def test_as_of_in_the_future_is_a_one_line_error(both):
    r = CliRunner().invoke(main, ["forecast", "--db", str(both), "--as-of", "2030-01-01"])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "--as-of 2030-01-01 is in the future" in r.output


def test_as_of_before_the_first_release_is_a_one_line_error(both):
    r = CliRunner().invoke(main, ["forecast", "--db", str(both), "--as-of", "2025-11-01"])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "before the first stored release (published 2025-11-14)" in r.output


def test_an_unknown_model_lists_the_names(both):
    r = CliRunner().invoke(main, ["forecast", "--db", str(both), "--model", "prophet"])
    assert r.exit_code == 2 and "locallevel, hurdle, seasonal, ensemble, climatology, persistence" in r.output


def test_forecast_table_says_which_model(both):
    r = _run("forecast", "--db", str(both), "--paths", "200", "--days", "3", "--weeks", "2", "--model", "locallevel")
    assert "model locallevel; data to 2025-12-18" in r.stdout
    assert "2025-12-21" in r.stdout and "p_crossing_day" in r.stdout


def test_forecast_on_an_empty_store_is_a_one_line_error(tmp_path):
    r = CliRunner().invoke(main, ["forecast", "--db", str(tmp_path / "empty.duckdb")])
    assert r.exit_code == 1 and "no store at" in r.output  # a missing store is never created by a reader


def test_backtest_writes_markdown_from_the_run(both, tmp_path):
    md = tmp_path / "forecast.md"
    r = _run("backtest", "--db", str(both), "--start", "2025-06-01", "--end", "2025-06-16", "--paths", "100",
             "--out", str(md))
    assert "3 weekly origins (Mondays) 2025-06-02 to 2025-06-16" in r.stdout
    text = md.read_text()
    assert "3 Mondays from 2025-06-02 to 2025-06-16" in text
    assert "Publication lag assumed (days from the data end to the origin): 1 to 1" in text
    assert "## Targets" in text and "weekly people, weeks 1-4" in text


def test_backtest_json(both):
    r = _run("backtest", "--db", str(both), "--start", "2025-06-02", "--end", "2025-06-02", "--paths", "100",
             "--format", "json", "--information", "workbooks")
    doc = json.loads(r.stdout)
    assert doc["origins"] == ["2025-06-02"] and doc["information"] == "weekly workbooks only"
    assert {s["metric"] for s in doc["daily"]} == {"brier", "auc"}
    assert {s["metric"] for s in doc["weekly"]} == {"pinball", "crps"}


def test_api_forecast_cuts_the_series_before_as_of(official):
    from crossings.forecast import forecast
    a = forecast(official, "2025-06-04", n_paths=300, days=3, weeks=2, model="climatology").to_dict()
    b = forecast(official.upto(pd.Timestamp("2025-06-03")), "2025-06-04", n_paths=300, days=3, weeks=2,
                 model="climatology").to_dict()
    assert a == b and a["data_end"] == "2025-06-03"
    # Wednesday as-of: the first week (ending Sunday 8 June) holds the observed Monday and Tuesday
    assert [w["week_ending"] for w in a["weekly"]] == ["2025-06-08", "2025-06-15"]
    seen = int(official.boats[official.index_of(pd.Timestamp("2025-06-02")):][:2].sum())
    assert a["weekly"][0]["boats"]["0.05"] >= seen


def test_a_bad_date_is_refused(both):
    r = CliRunner().invoke(main, ["forecast", "--db", str(both), "--as-of", "20-11-2025"])
    assert r.exit_code == 2 and "is not a date" in r.output
