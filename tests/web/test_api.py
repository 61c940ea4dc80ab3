"""The JSON API against the CLI and against sums computed here from the store's tables."""
from __future__ import annotations

import io
import json
import threading
import time

import numpy as np
import pandas as pd
import pytest

from conftest import build_store, cli, start_server, stop_server
from paths import WB_12DEC, WB_14NOV, WB_19DEC

pytestmark = pytest.mark.slow


def test_health_lists_store_and_layers(server):
    h = server.get("/api/health").json()
    assert h["status"] == "ok" and h["releases"] == 3 and h["latest_release"] == "2025-12-19"
    assert set(h["layers"]) >= {"incidents", "events", "sensitivity", "forecast", "tides"}


def test_stats_key_equals_the_cli(server):
    api = server.get("/api/stats/key").json()
    out = json.loads(cli("stats", "--only", "key", "--format", "json", db=server.db).stdout)
    assert api == out["key"]


def test_daily_csv_is_the_cli_export_and_its_totals_match_the_store(server, tmp_path):
    r = server.get("/api/daily.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    out = tmp_path / "daily.csv"
    cli("export", "--table", "daily", "--format", "csv", "--out", str(out), db=server.db)
    assert r.content == out.read_bytes()
    from crossings.store import Store
    with Store(server.db, read_only=True) as s:
        daily = s.daily()
    web = pd.read_csv(io.BytesIO(r.content))
    assert int(web["migrants_arrived"].sum()) == int(daily["migrants_arrived"].sum())
    assert len(web) == len(daily) and web["migrants_arrived"].isna().sum() == daily["migrants_arrived"].isna().sum()


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_every_table_downloads_in_every_format(server, fmt):
    names = ["daily", "weekly", "releases", "year_to_date", "preventions", "places"]
    for name in names:
        r = server.get(f"/api/tables/{name}.{fmt}")
        assert r.status_code == 200, (name, r.text[:200])
        assert f'filename="crossings-{name}.{fmt}"' in r.headers["content-disposition"]
        assert "Open Government Licence" in r.headers["x-crossings-attribution"]
        buf = io.BytesIO(r.content)
        df = pd.read_csv(buf) if fmt == "csv" else pd.read_json(buf) if fmt == "json" else pd.read_parquet(buf)
        assert len(df) > 0, name


def test_stats_table_equals_the_cli(server):
    api = server.get("/api/stats/year_to_date").json()
    out = json.loads(cli("stats", "--only", "year_to_date", "--format", "json", db=server.db).stdout)
    assert api == out["year_to_date"]


def test_series_daily_period_and_seven_day_mean(server):
    d = server.get("/api/series/daily", params={"start": "2025-03-01", "end": "2025-03-31"}).json()
    assert d["date"][0] == "2025-03-01" and d["date"][-1] == "2025-03-31" and len(d["date"]) == 31
    people = np.array(server.get("/api/series/daily").json()["people"], dtype=float)
    allday = server.get("/api/series/daily").json()
    k = allday["date"].index("2025-03-31")
    assert d["people_7d_mean"][-1] == pytest.approx(round(people[k - 6:k + 1].sum() / 7, 1))


def test_release_diff_counts_days_added(server):
    rels = server.get("/api/releases").json()
    n = {r["release_id"]: r["n_daily"] for r in rels}
    d = server.get("/api/releases/diff", params={"a": 2, "b": 3}).json()
    assert d["daily"]["added"] == n[3] - n[2] and d["daily"]["dropped"] == 0
    assert d["daily"]["common"] == n[2]
    assert server.get("/api/releases/diff", params={"a": 1, "b": 99}).status_code == 404


def test_tide_window_lies_around_high_water(server):
    t = server.get("/api/tides/gravelines", params={"day": "2025-12-19"}).json()
    assert t["windows"] and len(t["high_low"]) >= 3
    for w in t["windows"]:
        assert w["open_utc"] <= w["high_water_utc"] <= w["close_utc"] and 0 < w["open_hours"] <= 6
    assert 0 < t["open_hours"] <= 24


@pytest.mark.parametrize("seed, ok", [(2**32 - 1, True), (2**32, False), (-1, False)])
def test_compare_seed_has_the_forecast_bounds(server, seed, ok):
    """The simulator's seed takes the same 0..2**32-1 as the forecast's (numpy's seeds are unsigned 32-bit here)."""
    body = {"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-03", "replicates": 10, "seed": seed}
    r = server.post("/api/compare", json=body)
    if ok:
        assert r.status_code == 200, r.text
    else:
        assert r.status_code == 422 and "seed" in r.text


def test_compare_is_reproducible_and_paired(server):
    body = {"doctrines": ["status_quo", "sea_interception"], "start": "2025-01-01", "end": "2025-02-28",
            "replicates": 20, "seed": 5}
    a = server.post("/api/compare", json=body)
    assert a.status_code == 200, a.text
    r = a.json()
    assert r["label"] == "simulated, not observed" and r["names"] == ["status_quo", "sea_interception"]
    assert r["days"] == 59 and len(r["dates"]) == 59
    diff = r["differences"]["sea_interception - status_quo"]["deaths"]
    paired = np.array(r["paired"]["sea_interception"]["deaths"])
    assert len(paired) == 20 and diff["median"] == pytest.approx(np.median(paired), abs=1e-6)
    b = server.post("/api/compare", json=body).json()
    assert b["paired"] == r["paired"] and b["scenarios"] == r["scenarios"]


def test_cache_follows_a_new_release(tmp_path):
    db = build_store(tmp_path / "store.duckdb", [WB_14NOV, WB_12DEC])
    s = start_server(db)
    try:
        before = s.get("/api/stats/key").json()
        assert before["latest_release"] == "2025-12-12"
        cli("ingest", str(WB_19DEC), db=db)  # a writer, while the dashboard runs
        after = s.get("/api/stats/key").json()
        assert after["latest_release"] == "2025-12-19" and after["latest_day"] == "2025-12-18"
        assert s.get("/api/health").json()["releases"] == 3
    finally:
        stop_server(s)


def test_simulations_are_limited_timed_and_do_not_block_other_pages(fresh_store):
    s = start_server(fresh_store, env={"CROSSINGS_WEB_MAX_SIMULATIONS": "1",
                                       "CROSSINGS_WEB_SIMULATION_TIMEOUT": "4"})
    try:
        s.post("/api/compare", json={"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-10",
                                      "replicates": 10, "seed": 0})  # warm the worker
        big = {"doctrines": ["status_quo", "sea_interception", "enhanced_beach", "no_intervention"],
               "start": "2024-01-01", "end": "2026-12-31", "replicates": 2000, "seed": 1}
        result = {}
        t = threading.Thread(target=lambda: result.setdefault("r", s.post("/api/compare", json=big)))
        t.start()
        time.sleep(1.0)
        second = s.post("/api/compare", json=big)
        assert second.status_code == 429 and "limit is 1" in second.json()["error"]
        t0 = time.perf_counter()
        assert s.get("/api/stats/key").status_code == 200
        assert time.perf_counter() - t0 < 2.0  # the event loop is free while the simulation runs
        t.join(timeout=120)
        assert result["r"].status_code == 504 and "time limit" in result["r"].json()["error"]
        ok = s.post("/api/compare", json={"doctrines": ["status_quo"], "start": "2025-01-01",
                                          "end": "2025-01-10", "replicates": 10, "seed": 0})
        assert ok.status_code == 200  # the stopped worker was replaced
    finally:
        stop_server(s)


def test_incidents_layer_matches_the_raw_iom_file(server):
    from conftest import bundled_layer_files
    raw = [p for p in bundled_layer_files() if "iom" in p.name]
    if not raw:
        pytest.skip("no incidents layer in this version")
    assert server.get("/api/health").json()["layers"]["incidents"] is True
    r = server.get("/api/incidents", params={"year": 2024}).json()
    df = pd.read_csv(raw[0])
    # the year's dead and missing, summed here from IOM's own columns (independently of the package's reader)
    sub = df[pd.to_datetime(df["Incident date"]).dt.year == 2024]
    assert len(r["incidents"]) == len(sub) > 0
    assert sum(i["dead"] or 0 for i in r["incidents"]) == int(pd.to_numeric(sub["No. dead"]).fillna(0).sum())
    assert sum(i["missing"] or 0 for i in r["incidents"]) == int(pd.to_numeric(sub["No. missing"]).fillna(0).sum())
    assert "minimum estimates" in r["note"]


def test_events_come_from_the_shipped_timeline(server):
    r = server.get("/api/events")
    if r.status_code == 404:
        pytest.skip("no events layer in this version")
    events = r.json()["events"]
    assert len(events) >= 10 and all(e["date"][:2] in ("19", "20") and e["sources"] for e in events)
    assert any("one in, one out" in e["title"].lower() for e in events)


def test_sensitivity_names_the_unidentified_parameters(server):
    if not server.get("/api/health").json()["layers"]["sensitivity"]:
        pytest.skip("no sensitivity in this version")
    from crossings.sim.sensitivity import UNIDENTIFIED
    r = server.post("/api/sensitivity", json={"baseline": "status_quo", "doctrine": "sea_interception",
                                               "outcome": "migrants_prevented", "seed": 2})
    assert r.status_code == 200, r.text
    d = r.json()
    assert set(d["indices"]) <= set(UNIDENTIFIED) and d["indices"]
    assert all({"S1", "S1_conf", "ST", "ST_conf"} <= set(v) for v in d["indices"].values())
    assert d["label"] == "simulated, not observed" and d["statement"]
    same = server.post("/api/sensitivity", json={"baseline": "status_quo", "doctrine": "status_quo"})
    assert same.status_code == 422


def test_every_page_links_an_icon_that_is_served(server):
    """No page asks the browser for an icon it does not have (/favicon.ico was a 404): the icon, decoded by Pillow,
    is 32x32, navy with an orange rule (the colours of static/app.css)."""
    import re

    from PIL import Image
    from crossings.web.pages import PAGES
    for path in [p for p, _, _ in PAGES] + ["/embed/daily"]:
        html = server.get(path).text
        assert re.findall(r'<link rel="icon" href="([^"]+)">', html) == ["/favicon.ico"], path
    r = server.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(r.content))
    assert icon.format == "ICO" and icon.size == (32, 32)
    rgb = icon.convert("RGB")
    assert rgb.getpixel((0, 0)) == (0x1F, 0x4E, 0x79) and rgb.getpixel((16, 23)) == (0xD9, 0x62, 0x2B)
