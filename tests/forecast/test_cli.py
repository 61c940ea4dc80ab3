"""The forecast and backtest commands: JSON shape, as-of uses only releases published by then, markdown report."""
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
    assert set(doc) == {"as_of", "daily", "weekly"}
    assert doc["as_of"] == "2025-12-18"  # last day of the 19 December release
    days = [d["date"] for d in doc["daily"]]
    assert days == [str(d.date()) for d in pd.date_range("2025-12-19", periods=14)]
    for d in doc["daily"]:
        assert set(d) == {"date", "p_crossing_day", "boats", "people"} and 0 <= d["p_crossing_day"] <= 1
        for t in ("boats", "people"):
            assert list(d[t]) == LEVELS
            assert d[t]["0.05"] <= d[t]["0.25"] <= d[t]["0.5"] <= d[t]["0.75"] <= d[t]["0.95"]
    ends = [pd.Timestamp(w["week_ending"]) for w in doc["weekly"]]
    assert len(ends) == 8 and all(e.day_of_week == 6 for e in ends) and ends[0] == pd.Timestamp("2025-12-21")
    assert all(set(w) == {"week_ending", "boats", "people"} and list(w["boats"]) == LEVELS for w in doc["weekly"])
    # the first week holds observed Mon 15 - Thu 18 December: no path can total less than those days
    obs = Store(both).daily().set_index("date").loc["2025-12-15":"2025-12-18", "boats_arrived"].sum()
    assert doc["weekly"][0]["boats"]["0.05"] >= obs > 0


def test_as_of_uses_only_releases_published_by_then(both, tmp_path, shared_homeoffice):
    only_nov = tmp_path / "nov.duckdb"
    _store(only_nov, WB_14NOV)
    args = ["forecast", "--as-of", "2025-11-20", "--format", "json", "--paths", "300"]
    a = json.loads(_run(*args, "--db", str(both)).stdout)
    b = json.loads(_run(*args, "--db", str(only_nov)).stdout)
    assert a == b and a["as_of"] == "2025-11-20" and a["daily"][0]["date"] == "2025-11-21"
    # while with the December release known the forecast differs
    c = json.loads(_run("forecast", "--as-of", "2025-12-19", "--format", "json", "--paths", "300",
                        "--db", str(both)).stdout)
    assert c["daily"][0]["date"] == "2025-12-20" and c["daily"] != a["daily"]


def test_forecast_table_says_which_model(both):
    r = _run("forecast", "--db", str(both), "--paths", "200", "--days", "3", "--weeks", "2")
    assert "no-weather model" in r.stdout and "falls back" in r.stdout
    assert "2025-12-21" in r.stdout and "p_crossing_day" in r.stdout


def test_forecast_on_an_empty_store_is_a_one_line_error(tmp_path):
    r = CliRunner().invoke(main, ["forecast", "--db", str(tmp_path / "empty.duckdb")])
    assert r.exit_code == 1 and "no store at" in r.output  # a missing store is never created by a reader


def test_backtest_writes_markdown(both, tmp_path):
    md = tmp_path / "forecast.md"
    r = _run("backtest", "--db", str(both), "--start", "2025-06-01", "--end", "2025-06-15", "--paths", "200",
             "--out", str(md))
    assert "3 weekly origins" in r.stdout and "Verdict" in r.stdout
    text = md.read_text()
    assert "2025-06-01 to 2025-06-15" in text and "### brier" in text
    assert "| kind | target | horizon | n | hurdle | climatology | persistence | hurdle beats both |" in text


def test_backtest_json(both):
    r = _run("backtest", "--db", str(both), "--start", "2025-06-01", "--end", "2025-06-01", "--paths", "200",
             "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["origins"] == ["2025-06-01"] and {s["metric"] for s in doc["scores"]} >= {"brier", "auc", "crps"}


def test_api_forecast_cuts_the_series_at_as_of(official):
    from crossings.forecast import forecast
    a = forecast(official, "2025-06-04", n_paths=300, days=3, weeks=2).to_dict()
    b = forecast(official.upto(pd.Timestamp("2025-06-04")), "2025-06-04", n_paths=300, days=3, weeks=2).to_dict()
    assert a == b
    # Wednesday as-of: the first week (ending Sunday 8 June) holds the observed Monday-Wednesday
    assert [w["week_ending"] for w in a["weekly"]] == ["2025-06-08", "2025-06-15"]
    seen = int(official.boats[official.index_of(pd.Timestamp("2025-06-02")):][:3].sum())
    assert a["weekly"][0]["boats"]["0.05"] >= seen


def test_as_of_after_the_last_published_day_simulates_the_gap(official):
    from crossings.forecast import forecast
    fc = forecast(official.upto(pd.Timestamp("2025-06-01")), "2025-06-05", n_paths=300, days=2, weeks=1)
    d = fc.to_dict()
    assert [x["date"] for x in d["daily"]] == ["2025-06-06", "2025-06-07"]
    assert d["weekly"][0]["week_ending"] == "2025-06-08" and "data to 2025-06-01" in fc.note


def test_as_of_before_any_release_is_a_one_line_error(both):
    r = CliRunner().invoke(main, ["forecast", "--db", str(both), "--as-of", "2025-11-01"])
    assert r.exit_code == 1 and "no release in the store was published on or before 2025-11-01" in r.output


def test_a_bad_date_is_refused(both):
    r = CliRunner().invoke(main, ["forecast", "--db", str(both), "--as-of", "20-11-2025"])
    assert r.exit_code == 2 and "is not a date" in r.output
