"""Archived weather forecasts (Open-Meteo Previous Runs API) end to end: recorded answers served on 127.0.0.1,
fetched and stored by the CLI, read as issued by each origin, and scored by ``crossings backtest --conditions``."""
from __future__ import annotations

import json
import shutil
import socket
from http.server import ThreadingHTTPServer

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from archived_server import State, handler, recorded
from crossings.cli import main
from crossings.conditions import archive
from crossings.config import bundled_workbooks
from crossings.forecast.conditions_backtest import NoArchivedForecastsError, origin_conditions, run_conditions_backtest
from crossings.forecast.series import daily_series
from crossings.sources import http
from crossings.sources.openmeteo import PREVIOUS_RUN_VARIABLES, STRAIT_POINTS
from crossings.store import Store
from localserver import serving

PERIOD = ("2025-11-30", "2025-12-14")  # archived forecasts fetched
HISTORY = ("2025-07-15", "2025-12-21")  # reanalysis history fetched
ORIGINS = ("2025-11-24", "2025-12-15")  # backtest range: Mondays 24 Nov, 1, 8 and 15 Dec 2025
COVERED = ["2025-12-01", "2025-12-08"]


def _env(mp: pytest.MonkeyPatch, base: str) -> None:
    mp.setenv("CROSSINGS_OPENMETEO_ARCHIVE_URL", f"{base}/v1/archive")
    mp.setenv("CROSSINGS_OPENMETEO_MARINE_URL", f"{base}/v1/marine")
    mp.setenv("CROSSINGS_OPENMETEO_PREVIOUS_RUNS_URL", f"{base}/previous-runs/v1/forecast")


@pytest.fixture(scope="module")
def stocked(tmp_path_factory):
    """A store filled through the CLI from the local server: history, then archived forecasts. Returns
    (store path, server state)."""
    tmp = tmp_path_factory.mktemp("archived")
    db = tmp / "store.duckdb"
    state = State()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    with pytest.MonkeyPatch.context() as mp, serving(server):
        mp.setenv("CROSSINGS_DB", str(db))
        mp.setenv("CROSSINGS_CACHE", str(tmp / "cache"))
        _env(mp, state.base)
        r = CliRunner().invoke(main, ["conditions", "fetch", "--start", HISTORY[0], "--end", HISTORY[1]])
        assert r.exit_code == 0, r.output
        r = CliRunner().invoke(main, ["conditions", "fetch", "--archived-forecasts", "--start", PERIOD[0],
                                      "--end", PERIOD[1]])
        assert r.exit_code == 0, r.output
        state.fetch_output = r.output
    return db, state


@pytest.fixture()
def store_copy(stocked, tmp_path, monkeypatch):
    """A copy of the stocked store for one test (so edits stay in the test), set as CROSSINGS_DB."""
    p = tmp_path / "store.duckdb"
    shutil.copy(stocked[0], p)
    monkeypatch.setenv("CROSSINGS_DB", str(p))
    monkeypatch.setenv("CROSSINGS_CACHE", str(tmp_path / "cache"))
    return p


@pytest.fixture(scope="module")
def series():
    mem = Store(":memory:")
    mem.ingest(bundled_workbooks()[0])
    s = daily_series(mem.daily())
    mem.close()
    return s


def test_fetch_stores_every_lead_as_served(stocked):
    db, state = stocked
    asked = [q for p, q in state.requests if p == "/previous-runs/v1/forecast"]
    assert len(asked) == 3 and all(q["start_date"] == PERIOD[0] and q["end_date"] == PERIOD[1] for q in asked)
    with Store(db, read_only=True) as store:
        df = store.con.execute("SELECT * FROM conditions_issued ORDER BY point, time_utc, lead_days").df()
    hours = 15 * 24
    assert len(df) == 3 * hours * 8 and set(df["source"]) == {"openmeteo-previous-runs"}
    for p in STRAIT_POINTS:
        served = recorded("/previous-runs/v1/forecast", p.name)["hourly"]
        mine = df[df["point"] == p.name]
        for lead, var in PREVIOUS_RUN_VARIABLES.items():
            got = mine[mine["lead_days"] == lead]
            assert [t.strftime("%Y-%m-%dT%H:%M") for t in got["time_utc"]] == served["time"]
            want = np.array([np.nan if v is None else v for v in served[var]], float)
            np.testing.assert_array_equal(got["wind_speed_ms"].to_numpy(), want)
    assert df["wave_height_m"].isna().all() and df["wind_gust_ms"].isna().all()  # not archived by the API
    nulls = sum(v is None for p in STRAIT_POINTS for var in PREVIOUS_RUN_VARIABLES.values()
                for v in recorded("/previous-runs/v1/forecast", p.name)["hourly"][var])
    assert f"{3 * hours * 8 - nulls} of {3 * hours * 8} point-hour-leads" in state.fetch_output


@pytest.mark.parametrize("hour, lead", [("2025-12-07 18:00", 0), ("2025-12-07 19:00", 1), ("2025-12-08 18:00", 1),
                                        ("2025-12-08 19:00", 2), ("2025-12-14 18:00", 7), ("2025-12-14 19:00", 8)])
def test_required_lead_by_hand(hour, lead):
    # issued 8 Dec 00:00 UTC; a run counts 6 h after (valid time - lead): t - 24 N <= 7 Dec 18:00
    assert archive.required_lead_days(pd.DatetimeIndex([hour]), archive.issue_time("2025-12-08"))[0] == lead


def _night(point_var: str, day: str) -> list[float]:
    """Recorded values of ``point_var`` in the night ending on ``day`` (20:00 the day before to 07:00), all points."""
    lo = (pd.Timestamp(day) - pd.Timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    hi = (pd.Timestamp(day) + pd.Timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    out = []
    for p in STRAIT_POINTS:
        h = recorded("/previous-runs/v1/forecast", p.name)["hourly"]
        out += [v for t, v in zip(h["time"], h[point_var]) if lo <= t < hi and v is not None]
    return out


def test_night_as_issued_is_the_mean_of_the_right_lead(store_copy):
    with Store(store_copy) as store:
        got = archive.daily_as_issued(store, "2025-12-08", pd.Timestamp("2025-12-08").date(),
                                      pd.Timestamp("2025-12-14").date())
        # the night ending on 8 Dec + k is read from the forecast made k + 1 days before each hour
        for k in range(7):
            day = (pd.Timestamp("2025-12-08") + pd.Timedelta(days=k)).strftime("%Y-%m-%d")
            want = _night(f"wind_speed_10m_previous_day{k + 1}", day)
            row = got.iloc[k]
            assert len(want) == 36 and row["n_hours"] == 36 and row["lead_days_max"] == k + 1
            assert row["wind_speed_ms"] == pytest.approx(sum(want) / 36, abs=1e-12)
        # a lead missing from the store: the next older forecast (also issued before the origin) is read
        store.con.execute("UPDATE conditions_issued SET wind_speed_ms = NULL WHERE lead_days = 3")
        again = archive.daily_as_issued(store, "2025-12-08", pd.Timestamp("2025-12-10").date(),
                                        pd.Timestamp("2025-12-10").date())
    want = _night("wind_speed_10m_previous_day4", "2025-12-10")
    assert again.iloc[0]["wind_speed_ms"] == pytest.approx(sum(want) / len(want), abs=1e-12)
    assert again.iloc[0]["lead_days_max"] == 4


def test_backtest_conditions_cli_scores_covered_origins_paired(store_copy):
    r = CliRunner().invoke(main, ["backtest", "--conditions", "--start", ORIGINS[0], "--end", ORIGINS[1],
                                  "--paths", "200", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output[r.output.index("{"):])
    assert doc["origins_asked"] == 4 and doc["origins"] == COVERED
    # 24 Nov: its nights from 24 Nov are before the first stored hour; 15 Dec: its nights after the last
    assert set(doc["skipped"]) == {"2025-11-24", "2025-12-15"}
    assert all(why.startswith("no archived forecast issued by") for why in doc["skipped"].values())
    assert doc["conditions"] == ["wind_speed_ms"]
    for row in doc["weekly"] + doc["daily"]:
        assert {"locallevel", "hurdle", "hurdle+conditions", "climatology", "persistence"} <= set(row)
    week1 = [row for row in doc["weekly"] if row["horizon"] == "1w"]
    assert week1 and all(row["n"] == 2 for row in week1)  # one week 1 per covered origin, every model
    assert {row["horizon"] for row in doc["daily"]} == {"1-3d", "4-7d"}
    r = CliRunner().invoke(main, ["backtest", "--conditions", "--start", ORIGINS[0], "--end", ORIGINS[1],
                                  "--paths", "200"])
    assert r.exit_code == 0, r.output
    assert "2 of 4 weekly origins" in r.output and "Skipped 2 origin(s)" in r.output
    assert "night mean wind only" in r.output


def _cond_cases(series, db) -> pd.DataFrame:
    with Store(db, read_only=True) as store:
        cb = run_conditions_backtest(series, store, ORIGINS[0], ORIGINS[1], n_paths=200, seed=3)
    c = cb.result.cases
    return c[c["model"] == "hurdle+conditions"].reset_index(drop=True)


def test_nothing_issued_after_the_origin_is_read(series, store_copy):
    before = _cond_cases(series, store_copy)
    with Store(store_copy) as store:
        con = store.con
        # every archived value a covered origin may not read: leads shorter than its required lead, and hours
        # outside the nights it simulates; and reanalysis hours within 5 days of the later origin's issue
        rows = con.execute("SELECT point, time_utc, lead_days FROM conditions_issued").df()
        reader = np.where(rows["time_utc"] >= pd.Timestamp("2025-12-07 20:00"), "2025-12-08", "2025-12-01")
        req = np.array([archive.required_lead_days(pd.DatetimeIndex([t]), archive.issue_time(o))[0]
                        for t, o in zip(rows["time_utc"], reader)])
        late = rows[(rows["lead_days"].to_numpy() < req) | (rows["time_utc"] >= pd.Timestamp("2025-12-14 08:00"))
                    | (rows["time_utc"] < pd.Timestamp("2025-11-30 20:00"))]
        assert len(late) > 1000
        con.register("late", late)
        con.execute("UPDATE conditions_issued c SET wind_speed_ms = 40.0 FROM late l WHERE c.point = l.point "
                    "AND c.time_utc = l.time_utc AND c.lead_days = l.lead_days")
        con.execute("UPDATE conditions_hourly SET wind_speed_ms = 40.0 WHERE time_utc >= TIMESTAMP '2025-12-03'")
    after = _cond_cases(series, store_copy)
    pd.testing.assert_frame_equal(before, after)
    # the test can fail: values an origin does read are in its table and change its scores
    with Store(store_copy) as store:
        store.con.execute("UPDATE conditions_issued SET wind_speed_ms = 40.0 WHERE time_utc "
                          "BETWEEN TIMESTAMP '2025-11-30 20:00' AND TIMESTAMP '2025-12-07 07:00'")
        table, why, _ = origin_conditions(store.con, pd.Timestamp("2025-12-01"), pd.Timestamp("2025-11-30"),
                                          3 * 365)
    assert why == "" and (table.set_index("date").loc[pd.Timestamp("2025-12-01").date():, "wind_speed_ms"] == 40).all()
    changed = _cond_cases(series, store_copy)
    o1 = changed["origin"] == pd.Timestamp("2025-12-01")
    assert not np.allclose(changed.loc[o1, "p"], before.loc[o1, "p"])
    pd.testing.assert_frame_equal(changed[~o1], before[~o1])


def test_no_archived_forecasts_is_one_line(tmp_path, monkeypatch, stocked):
    p = tmp_path / "store.duckdb"
    shutil.copy(stocked[0], p)
    with Store(p) as store:
        store.con.execute("DELETE FROM conditions_issued")
    r = CliRunner().invoke(main, ["backtest", "--conditions", "--db", str(p), "--start", ORIGINS[0],
                                  "--end", ORIGINS[1], "--paths", "200"])
    assert r.exit_code == 1
    assert r.output.startswith("crossings: error: no archived weather forecasts are stored")
    assert "fetch --archived-forecasts" in r.output and r.output.count("\n") == 1


def test_archived_forecasts_outside_the_origins_are_an_error_naming_the_span(series, store_copy):
    with Store(store_copy, read_only=True) as store, pytest.raises(NoArchivedForecastsError) as exc:
        run_conditions_backtest(series, store, "2025-10-06", "2025-10-20", n_paths=200)
    msg = str(exc.value)
    assert "2025-11-30 to 2025-12-14" in msg and "none covers any of the 3 origins" in msg and "\n" not in msg


def test_offline_fetch_leaves_the_store_unchanged(store_copy, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _env(monkeypatch, f"http://127.0.0.1:{port}")
    http.session.cache_clear()
    with Store(store_copy, read_only=True) as store:
        before = store.con.execute("SELECT count(*), sum(wind_speed_ms) FROM conditions_issued").fetchone()
    r = CliRunner().invoke(main, ["conditions", "fetch", "--archived-forecasts", "--start", PERIOD[0],
                                  "--end", PERIOD[1]])
    http.session.cache_clear()
    assert r.exit_code == 1 and r.output.startswith("crossings: error: cannot reach 127.0.0.1")
    with Store(store_copy, read_only=True) as store:
        assert store.con.execute("SELECT count(*), sum(wind_speed_ms) FROM conditions_issued").fetchone() == before


def test_a_malformed_answer_stores_nothing_and_names_the_field(store_copy, monkeypatch):
    state = State(edit={"/previous-runs/v1/forecast": lambda a: a["hourly"].pop("wind_speed_10m_previous_day7")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    _env(monkeypatch, f"http://127.0.0.1:{server.server_address[1]}")
    with Store(store_copy, read_only=True) as store:
        before = store.con.execute("SELECT count(*), sum(wind_speed_ms) FROM conditions_issued").fetchone()
    with serving(server):
        r = CliRunner().invoke(main, ["conditions", "fetch", "--archived-forecasts", "--start", "2025-12-01",
                                      "--end", "2025-12-02"])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "'hourly.wind_speed_10m_previous_day7'" in r.output and "mid_strait" in r.output
    with Store(store_copy, read_only=True) as store:
        assert store.con.execute("SELECT count(*), sum(wind_speed_ms) FROM conditions_issued").fetchone() == before


def test_refetch_replaces_rather_than_duplicates(store_copy, monkeypatch):
    state = State()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    _env(monkeypatch, f"http://127.0.0.1:{server.server_address[1]}")
    with Store(store_copy) as store:
        n = store.con.execute("SELECT count(*) FROM conditions_issued").fetchone()[0]
        store.con.execute("UPDATE conditions_issued SET wind_speed_ms = -1 WHERE time_utc >= TIMESTAMP '2025-12-05'")
    with serving(server):
        r = CliRunner().invoke(main, ["conditions", "fetch", "--archived-forecasts", "--start", "2025-12-05",
                                      "--end", "2025-12-14"])
    assert r.exit_code == 0, r.output
    with Store(store_copy, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM conditions_issued").fetchone()[0] == n
        assert store.con.execute("SELECT count(*) FROM conditions_issued WHERE wind_speed_ms < 0").fetchone()[0] == 0
