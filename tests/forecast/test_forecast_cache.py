"""The forecast cache: a hit prints the bytes a computation prints; any change of the inputs (releases, their
digests, as-of, seed, model, paths, the code) is a miss; a corrupt entry is recomputed; ingest warms the cache."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import crossings.forecast.cache as cache
from crossings.cli import main
from crossings.store import Store
from paths import WB_12DEC, WB_19DEC

SMALL = ["--paths", "200", "--days", "3", "--weeks", "2"]  # the default model, a small run


@pytest.fixture()
def store(tmp_path, monkeypatch, wb19):
    """A store with the 19 December release (CROSSINGS_DB), in a folder of this test alone (and its cache)."""
    p = tmp_path / "store.duckdb"
    with Store(p) as s:
        s.ingest(wb19)
    monkeypatch.setenv("CROSSINGS_DB", str(p))
    return p


@pytest.fixture()
def computed(monkeypatch) -> list:
    """The requests the forecast was computed for (not read from the cache), in order."""
    calls = []
    real = cache.compute

    def counting(store, req, target=None, folder=None):
        calls.append(req)
        return real(store, req, target, folder)
    monkeypatch.setattr(cache, "compute", counting)
    return calls


def _run(*args: str) -> tuple[str, str]:
    r = CliRunner().invoke(main, ["forecast", *args])
    assert r.exit_code == 0, r.output + r.stderr + repr(r.exception)
    return r.stdout, r.stderr


def _entries() -> list[Path]:
    return sorted(cache.folder_beside(os.environ["CROSSINGS_DB"]).glob("*.json"))


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_hit_prints_the_bytes_of_a_recomputation(store, computed, tmp_path, fmt):
    outs = [tmp_path / f"{i}.json" for i in range(3)]
    first = _run(*SMALL, "--format", fmt, "--out", str(outs[0]))
    assert len(computed) == 1 and len(_entries()) == 1
    hit = _run(*SMALL, "--format", fmt, "--out", str(outs[1]))
    assert len(computed) == 1  # read back, not computed
    fresh = _run(*SMALL, "--format", fmt, "--out", str(outs[2]), "--no-cache")
    assert len(computed) == 2
    assert hit[0] == fresh[0] == first[0] and hit[1].replace(str(outs[1]), "") == fresh[1].replace(str(outs[2]), "")
    assert outs[0].read_bytes() == outs[1].read_bytes() == outs[2].read_bytes()


def test_the_output_is_what_the_forecast_api_gives(store, computed):
    """Against the forecast computed here (not through the cache): the JSON form and the table's heading."""
    from crossings.forecast.api import forecast_from_store
    from crossings.forecast.tables import forecast_tables
    _run(*SMALL, "--format", "json")  # stores the entry
    with Store(store, read_only=True) as s:
        fc = forecast_from_store(s, None, 3, 2, 200, 0)
    assert _run(*SMALL, "--format", "json")[0] == json.dumps(fc.to_dict(), indent=1) + "\n"
    daily, weekly = forecast_tables(fc)
    table = _run(*SMALL)[0]
    assert table.startswith(f"Forecast as of 2025-12-19 ({fc.note})\n") and "published" in fc.note
    assert daily in table and weekly in table and len(computed) == 1


@pytest.mark.parametrize("change", [["--as-of", "2025-12-20"], ["--seed", "1"], ["--model", "climatology"],
                                    ["--paths", "300"], ["--days", "4"], ["--weeks", "3"]])
def test_another_request_is_a_miss(store, computed, change):
    base = ["--paths", "200", "--days", "3", "--weeks", "2", "--model", "persistence"]
    a = _run(*base)[0]
    args = base + change
    b = _run(*args)[0]
    assert len(computed) == 2 and len(_entries()) == 2
    assert _run(*args)[0] == b and len(computed) == 2  # that one is a hit now
    assert a != b or change[0] == "--seed"  # persistence draws no random numbers: a seed changes no number


def test_a_new_release_is_a_miss(store, computed, shared_homeoffice):
    args = ["--as-of", "2025-12-19", "--model", "persistence", *SMALL]
    _run(*args)
    with Store(store) as s:
        s.ingest(WB_12DEC)  # published 12 December: read by a forecast as of 19 December
    _run(*args)
    assert len(computed) == 2
    _run(*args)
    assert len(computed) == 2


def test_a_changed_release_digest_is_a_miss(store, computed):
    args = ["--model", "persistence", *SMALL]
    _run(*args)
    with Store(store) as s:
        s.con.execute("UPDATE releases SET content_sha256 = 'another' WHERE kind = 'workbook'")
    _run(*args)
    assert len(computed) == 2


def test_a_release_published_after_as_of_is_not_an_input(store, computed):
    """The key holds the releases up to as-of: one published later leaves an earlier forecast a hit."""
    args = ["--as-of", "2025-12-12", "--model", "persistence", *SMALL]
    with Store(store) as s:
        s.con.execute("DELETE FROM daily_obs; DELETE FROM weekly_obs; DELETE FROM releases")
        s.ingest(WB_12DEC if WB_12DEC.exists() else pytest.skip("12 December workbook not beside the checkout"))
    _run(*args)
    with Store(store) as s:
        s.ingest(WB_19DEC)
    _run(*args)
    assert len(computed) == 1


@pytest.mark.parametrize("damage", ["truncate", "edit a number", "another key", "not utf-8"])
def test_a_corrupt_entry_is_recomputed_not_shown(store, computed, damage):
    args = ["--model", "persistence", *SMALL, "--format", "json"]
    good = _run(*args)[0]
    (entry,) = _entries()
    raw = entry.read_text()
    data = json.loads(raw)
    if damage == "truncate":
        entry.write_text(raw[: len(raw) // 2])
    elif damage == "edit a number":
        data["doc"]["daily"][0]["boats"]["0.5"] += 1000
        entry.write_text(json.dumps(data))
    elif damage == "another key":
        shutil.copy(entry, entry.with_name("0" * 64 + ".json"))
        data["key"] = "0" * 64
        entry.write_text(json.dumps(data))
    else:
        entry.write_bytes(b"\xff\xfe" + raw.encode())
    assert _run(*args)[0] == good and len(computed) == 2
    (again,) = [p for p in _entries() if p.name == entry.name]
    assert json.loads(again.read_text())["key"] == entry.stem  # rewritten whole
    _run(*args)
    assert len(computed) == 2


def test_no_cache_neither_reads_nor_writes(store, computed):
    args = ["--model", "persistence", *SMALL]
    _run(*args, "--no-cache")
    assert _entries() == [] and len(computed) == 1
    _run(*args)
    before = _entries()[0].read_bytes()
    _run(*args, "--no-cache")
    assert len(computed) == 3 and [p.read_bytes() for p in _entries()] == [before]


def test_a_code_change_is_a_miss(store, computed, tmp_path, monkeypatch):
    """The key digests the forecast's source files: editing one (here a copy of the package) changes it."""
    pkg = tmp_path / "pkg"
    for pattern in cache.CODE:
        for p in cache._PACKAGE.glob(pattern):
            dest = pkg / p.relative_to(cache._PACKAGE)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, dest)
    monkeypatch.setattr(cache, "_PACKAGE", pkg)
    args = ["--model", "persistence", *SMALL]
    _run(*args)
    _run(*args)
    assert len(computed) == 1
    with open(pkg / "forecast" / "paths.py", "a") as f:
        f.write("# an edit\n")
    _run(*args)
    assert len(computed) == 2


def test_the_cache_keeps_the_most_recently_used(store, computed, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    args = ["--model", "persistence", *SMALL]
    for seed in ("1", "2", "3"):
        _run(*args, "--seed", seed)
    assert len(_entries()) == 2 and len(computed) == 3
    _run(*args, "--seed", "3")  # kept
    _run(*args, "--seed", "1")  # the oldest: evicted
    assert len(computed) == 4


def test_other_requests_never_evict_the_default_forecast(store, computed, monkeypatch):
    """The dashboard's requests (each a new entry) fill the cache past its capacity: the least recently used of them
    go, the default forecast (``crossings forecast`` without options), older than all of them, stays."""
    pytest.importorskip("fastapi")
    from crossings.web.api_lab import _forecast
    from crossings.web.state import StoreView
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    _run()  # the default forecast
    default = _entries()
    assert len(default) == 1 and len(computed) == 1
    snap = StoreView(store).snapshot()
    for seed in range(5):
        _forecast(snap, store, cache.ForecastRequest(days=1, weeks=1, n_paths=100, seed=seed, model="persistence"))
    assert len(computed) == 6
    kept = _entries()
    assert set(default) <= set(kept) and len(kept) == 3 + 1
    _run()
    assert len(computed) == 6  # the default forecast: still a hit
    _forecast(snap, store, cache.ForecastRequest(days=1, weeks=1, n_paths=100, seed=0, model="persistence"))
    assert len(computed) == 7  # the least recently used of the others was evicted


def test_ingest_warms_the_default_forecast(tmp_path, monkeypatch, computed, wb19):
    monkeypatch.setenv("CROSSINGS_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.delenv("CROSSINGS_NO_FORECAST", raising=False)
    r = CliRunner().invoke(main, ["ingest", str(wb19)])
    assert r.exit_code == 0 and "forecast as of 2025-12-19 (default options) computed" in r.stderr
    assert len(computed) == 1 and len(_entries()) == 1
    _run()
    assert len(computed) == 1  # the default forecast: a hit
    again = CliRunner().invoke(main, ["ingest", str(wb19)])  # nothing new: nothing computed
    assert again.exit_code == 0 and "forecast" not in again.stderr and len(computed) == 1


def test_no_forecast_skips_the_warming(tmp_path, monkeypatch, computed, wb19):
    monkeypatch.setenv("CROSSINGS_DB", str(tmp_path / "store.duckdb"))
    r = CliRunner().invoke(main, ["ingest", "--no-forecast", str(wb19)])
    assert r.exit_code == 0 and computed == [] and _entries() == []


def test_the_dashboard_forecast_reads_the_same_cache(store, computed):
    pytest.importorskip("fastapi")
    from crossings.web.api_lab import FORECAST_DAYS, FORECAST_WEEKS, _forecast
    from crossings.web.state import StoreView
    cli = json.loads(_run("--days", str(FORECAST_DAYS), "--weeks", str(FORECAST_WEEKS), "--format", "json")[0])
    web = _forecast(StoreView(store).snapshot(), store)
    assert len(computed) == 1  # the dashboard read the CLI's entry
    assert {k: web[k] for k in cli} == cli and web["caveats"]


def test_a_failed_warm_up_is_one_line_and_the_ingest_succeeds(tmp_path, monkeypatch, wb19):
    monkeypatch.setenv("CROSSINGS_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.delenv("CROSSINGS_NO_FORECAST", raising=False)

    def failing(store, req, target=None, folder=None):
        raise FloatingPointError("the fit did not converge")
    monkeypatch.setattr(cache, "compute", failing)
    r = CliRunner().invoke(main, ["ingest", str(wb19)])
    assert r.exit_code == 0 and r.exception is None
    line = [ln for ln in r.stderr.splitlines() if "forecast" in ln]
    assert line == ["crossings: the default forecast was not computed (FloatingPointError: the fit did not "
                    "converge); 'crossings forecast' will compute it"]
    with Store(tmp_path / "store.duckdb", read_only=True) as s:
        assert len(s.releases()) == 1 and _entries() == []


def test_stored_conditions_are_an_input_of_the_hurdle_model_only(store, computed):
    def add_hour(hour: int) -> None:
        with Store(store) as s:
            s.con.execute("INSERT INTO conditions_hourly VALUES ('calais', TIMESTAMP '2025-12-18 00:00:00' + "
                          "INTERVAL (?) HOUR, 5.0, 8.0, 180.0, 1.0, 'openmeteo-history', TIMESTAMP '2025-12-19')",
                          [hour])
    runs = [["--model", "hurdle", *SMALL], ["--model", "hurdle", "--no-conditions", *SMALL],
            ["--model", "persistence", *SMALL]]
    for args in runs:
        _run(*args)
    assert len(computed) == 3
    add_hour(0)
    for args in runs:
        _run(*args)
    assert [r.model for r in computed[3:]] == ["hurdle"] and computed[3].use_conditions
    add_hour(400)  # 2026-01-03, after the last forecast day (28 December): the model never reads it
    _run(*runs[0])
    assert len(computed) == 4
