"""Marine conditions from Open-Meteo: fetched from a local server serving documented-format responses, stored,
aggregated per night; offline and bad answers leave the store unchanged."""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timezone

import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.conditions import daily_conditions, fetch_forecast, fetch_history, hourly_conditions
from crossings.conditions.store import save_hourly
from crossings.errors import InputError, NetworkError
from crossings.sources.openmeteo import STRAIT_POINTS, WIND_VARIABLES, parse_hourly
from crossings.store import Store

from paths import OPENMETEO as DATA


def _load(kind: str, point: str) -> dict:
    return json.loads((DATA / f"{kind}_{point}.json").read_text())


def _table(store: Store) -> pd.DataFrame:
    return store.con.execute("SELECT * FROM conditions_hourly ORDER BY point, time_utc, source").df()


def test_history_stores_every_hour_as_served(openmeteo, db_path):
    with Store(db_path) as store:
        before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
        res = fetch_history(store, date(2025, 1, 1), date(2025, 1, 3))
        df = _table(store)
    assert res.rows == len(df) == 3 * 72
    assert set(df["source"]) == {"openmeteo-history"}
    assert (df["fetched_at"] >= before).all()
    # every value equals the served file's value at the same point and hour
    for p in STRAIT_POINTS:
        wind, waves = _load("archive", p.name)["hourly"], _load("marine", p.name)["hourly"]
        got = df[df["point"] == p.name].reset_index(drop=True)
        assert [t.strftime("%Y-%m-%dT%H:%M") for t in got["time_utc"]] == wind["time"]
        assert got["wind_speed_ms"].tolist() == wind["wind_speed_10m"]
        assert got["wind_gust_ms"].tolist() == wind["wind_gusts_10m"]
        assert got["wind_direction_deg"].tolist() == wind["wind_direction_10m"]
        for v, w in zip(got["wave_height_m"], waves["wave_height"]):
            assert (math.isnan(v) and w is None) or v == w
    # the requests asked for the period, in m/s and UTC (the server refuses anything else)
    archive = [q for path, q in openmeteo.requests if path == "/v1/archive"]
    assert len(archive) == 3 and all(q["start_date"] == "2025-01-01" and q["end_date"] == "2025-01-03" for q in archive)


def test_daily_night_aggregates_match_a_hand_computation(openmeteo, db_path):
    with Store(db_path) as store:
        fetch_history(store, date(2025, 1, 1), date(2025, 1, 3))
        daily = daily_conditions(store, date(2025, 1, 1), date(2025, 1, 3))
    assert daily["date"].tolist() == [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)]
    for day in (date(2025, 1, 2), date(2025, 1, 3)):
        # the night of ``day``: 20:00-23:00 the day before and 00:00-07:00 on the day, at every point
        lo = f"{day.replace(day=day.day - 1).isoformat()}T20:00"
        hi = f"{day.isoformat()}T08:00"
        speeds, gusts, waves = [], [], []
        for p in STRAIT_POINTS:
            w, m = _load("archive", p.name)["hourly"], _load("marine", p.name)["hourly"]
            for i, t in enumerate(w["time"]):
                if lo <= t < hi:
                    speeds.append(w["wind_speed_10m"][i])
                    gusts.append(w["wind_gusts_10m"][i])
                    if m["wave_height"][i] is not None:
                        waves.append(m["wave_height"][i])
        assert len(speeds) == 36
        row = daily[daily["date"] == day].iloc[0]
        assert row["wind_speed_ms"] == pytest.approx(sum(speeds) / len(speeds), abs=1e-12)
        assert row["wind_gust_ms"] == max(gusts)
        assert row["wave_height_m"] == max(waves)
        assert row["n_hours"] == 36
    # 1 January's night starts on 31 December, not fetched: only 00:00-07:00 counts
    assert daily.loc[0, "n_hours"] == 3 * 8


def test_refetch_replaces_rather_than_duplicates(openmeteo, db_path):
    with Store(db_path) as store:
        fetch_history(store, date(2025, 1, 1), date(2025, 1, 3))
        first = _table(store)
        store.con.execute("UPDATE conditions_hourly SET wind_speed_ms = -1, fetched_at = TIMESTAMP '2000-01-01'")
        fetch_history(store, date(2025, 1, 1), date(2025, 1, 3))
        second = _table(store)
    assert len(second) == len(first)
    assert (second["wind_speed_ms"] >= 0).all()
    # the second fetch was answered from the HTTP cache: the server saw each request once
    assert openmeteo.count("/v1/archive") == 3 and openmeteo.count("/v1/marine") == 3
    assert (second["fetched_at"] > pd.Timestamp("2000-01-01")).all()


def test_offline_is_one_line_and_store_unchanged(offline, db_path):
    with Store(db_path) as store:
        save_hourly(store.con, pd.DataFrame({"point": ["mid_strait"], "time_utc": [pd.Timestamp("2025-01-01 03:00")],
                                             "wind_speed_ms": [4.0], "wind_gust_ms": [6.0],
                                             "wind_direction_deg": [180.0], "wave_height_m": [0.5]}),
                    "openmeteo-history", datetime(2025, 1, 5))
        before = _table(store)
        with pytest.raises(NetworkError) as exc:
            fetch_history(store, date(2025, 1, 1), date(2025, 1, 3))
        assert "\n" not in str(exc.value) and str(exc.value).startswith("cannot reach 127.0.0.1")
        pd.testing.assert_frame_equal(_table(store), before)
    result = CliRunner().invoke(main, ["conditions", "forecast", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.startswith("crossings: error: cannot reach") and result.output.count("\n") == 1


def test_bad_answer_for_one_point_stores_nothing(openmeteo, db_path):
    bad = _load("marine", "off_boulogne")
    del bad["hourly"]
    openmeteo.override["/v1/marine"] = (200, json.dumps(bad).encode())
    with Store(db_path) as store:
        with pytest.raises(InputError, match="'hourly'"):
            fetch_history(store, date(2025, 1, 1), date(2025, 1, 3))
        assert store.con.execute("SELECT count(*) FROM conditions_hourly").fetchone()[0] == 0


def test_api_refusal_is_a_network_error_naming_the_status(openmeteo, db_path):
    openmeteo.override["/v1/archive"] = (400, b'{"error": true, "reason": "Parameter \'start_date\' is out of range"}')
    with Store(db_path) as store, pytest.raises(NetworkError, match="HTTP 400"):
        fetch_history(store, date(1900, 1, 1), date(1900, 1, 2))


@pytest.mark.parametrize("edit, field", [
    (lambda p: p.pop("hourly"), "'hourly'"),
    (lambda p: p["hourly"].pop("wind_gusts_10m"), "'hourly.wind_gusts_10m'"),
    (lambda p: p["hourly"]["wind_speed_10m"].pop(), "'hourly.wind_speed_10m'"),
    (lambda p: p["hourly_units"].update(wind_speed_10m="km/h"), "'hourly_units.wind_speed_10m'"),
    (lambda p: p.update(utc_offset_seconds=3600), "'utc_offset_seconds'"),
    (lambda p: p["hourly"]["time"].__setitem__(3, "yesterday"), "'hourly.time'"),
])
def test_parse_refuses_malformed_answers_naming_the_field(edit, field):
    payload = _load("archive", "mid_strait")
    edit(payload)
    with pytest.raises(InputError) as exc:
        parse_hourly(payload, WIND_VARIABLES, origin="archive_mid_strait.json")
    assert field in str(exc.value) and "archive_mid_strait.json" in str(exc.value)


def test_api_error_object_is_reported():
    with pytest.raises(InputError, match="out of allowed range"):
        parse_hourly({"error": True, "reason": "Parameter 'end_date' is out of allowed range"}, WIND_VARIABLES)


def test_forecast_is_stored_apart_and_history_wins_where_both_exist(openmeteo, db_path):
    with Store(db_path) as store:
        res = fetch_forecast(store, days=4)
        assert res.rows == 3 * 96 and res.source == "openmeteo-forecast"
        assert [q["forecast_days"] for p, q in openmeteo.requests] == ["4"] * 6
        t = pd.Timestamp("2026-11-25 02:00")
        row = dict(point=["mid_strait"], time_utc=[t], wind_speed_ms=[1.5], wind_gust_ms=[2.0],
                   wind_direction_deg=[90.0], wave_height_m=[0.2])
        save_hourly(store.con, pd.DataFrame(row), "openmeteo-history", datetime(2026, 11, 27))
        h = hourly_conditions(store, date(2026, 11, 25), date(2026, 11, 25), points=["mid_strait"])
        assert len(h) == 24
        at = h[h["time_utc"] == t.tz_localize("UTC")].iloc[0]
        assert at["source"] == "openmeteo-history" and at["wind_speed_ms"] == 1.5
        served = _load("forecast", "mid_strait")["hourly"]
        other = h[h["time_utc"] == pd.Timestamp("2026-11-25 03:00", tz="UTC")].iloc[0]
        assert other["source"] == "openmeteo-forecast" and other["wind_speed_ms"] == served["wind_speed_10m"][3]


def test_cli_fetch_then_rate(openmeteo, db_path):
    r = CliRunner().invoke(main, ["conditions", "fetch", "--start", "2025-01-01", "--end", "2025-01-03"])
    assert r.exit_code == 0, r.output
    assert "216 point-hours" in r.output
    r = CliRunner().invoke(main, ["conditions", "rate", "--start", "2025-01-01", "--end", "2025-01-03",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [row["date"][:10] for row in rows] == ["2025-01-01", "2025-01-02", "2025-01-03"]
    # served files: a calm first night (wind 1.8-4.2 m/s, gusts under 7 m/s, waves under 0.5 m) and a gale on the
    # third (wind 12.8-15.2 m/s, waves about 2.6 m)
    assert rows[0]["category"] == "red" and rows[0]["crossability_index"] == 1.0
    assert rows[2]["category"] == "green" and rows[2]["crossability_index"] == 0.0


def test_cli_forecast_fetches_and_rates_the_coming_days(openmeteo, db_path):
    r = CliRunner().invoke(main, ["conditions", "forecast", "--days", "4", "--format", "json",
                                  "--set", "likely_wind_speed_ms=6"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [row["date"][:10] for row in rows] == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"]
    # served forecast: calm first night, gale on the third day
    assert rows[0]["category"] == "red" and rows[2]["category"] == "green"
    with Store(db_path) as store:
        assert store.con.execute("SELECT count(*), min(source), max(source) FROM conditions_hourly").fetchone() == \
            (3 * 96, "openmeteo-forecast", "openmeteo-forecast")


def test_cli_rejects_a_bad_limit(db_path):
    r = CliRunner().invoke(main, ["conditions", "rate", "--start", "2025-01-01", "--end", "2025-01-02",
                                  "--set", "likely_wind_speed_ms=20"])
    assert r.exit_code == 1 and "likely_wind_speed_ms" in r.output and r.output.count("\n") == 1


def test_fetch_holds_no_store_lock_while_waiting_on_the_network(openmeteo, db_path):
    """A `conditions fetch` in another process waits on a slow server; meanwhile this process writes to the store.
    If the fetch had opened the store first, DuckDB's file lock would refuse the write."""
    import os
    import subprocess
    import sys
    import threading
    import time

    import duckdb
    gate = threading.Event()
    original = openmeteo.override
    served = threading.Event()

    class Slow(dict):
        def __contains__(self, path):
            served.set()
            gate.wait(60)
            return dict.__contains__(original, path)
    openmeteo.override = Slow()
    Store(db_path).close()  # an existing store with its tables
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "crossings", "conditions", "fetch", "--start", "2025-01-01",
                             "--end", "2025-01-03", "--db", str(db_path)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert served.wait(120), "the fetch never reached the server"
        time.sleep(0.5)
        con = duckdb.connect(str(db_path))  # read-write: fails if another process holds the lock
        con.execute("CREATE TABLE lock_probe AS SELECT 1 AS x")
        con.close()
    finally:
        gate.set()
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "216 point-hours" in out
