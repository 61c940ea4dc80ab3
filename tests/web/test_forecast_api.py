"""``/api/forecast`` with parameters, against the live server: the numbers are ``forecast_from_store``'s, bad values
and unknown parameters are refused with a one-line 422 naming the parameter, and the cache is the CLI's."""
from __future__ import annotations

import json
import shlex
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import cli, start_server, stop_server

pytestmark = pytest.mark.slow

# The store holds the releases of 14 November, 12 December and 19 December 2025 (data to 13 Nov, 11 Dec, 18 Dec).
FIRST_RELEASE = date(2025, 11, 14)


def _error(r, status: int = 422) -> str:
    assert r.status_code == status, (r.status_code, r.text[:300])
    err = r.json()["error"]
    assert isinstance(err, str) and "\n" not in err
    return err


def test_an_as_of_forecast_is_forecast_from_store_on_that_day(server):
    from crossings.forecast.api import forecast_from_store
    from crossings.store import Store
    r = server.get("/api/forecast", params={"as_of": "2025-12-10", "days": 5, "weeks": 2, "paths": 300, "seed": 7,
                                            "model": "seasonal"})
    assert r.status_code == 200, r.text[:300]
    web = r.json()
    with Store(server.db, read_only=True) as store:
        own = forecast_from_store(store, as_of=date(2025, 12, 10), days=5, weeks=2, n_paths=300, seed=7,
                                  model="seasonal").to_dict()
    assert {k: web[k] for k in own} == own
    # On 10 December only the 14 November release was published: data to 13 November, forecast from 10 December,
    # five days, and the weeks ending Sunday 14 and 21 December.
    assert web["as_of"] == "2025-12-10" and web["data_end"] == "2025-11-13" and web["model"] == "seasonal"
    assert [d["date"] for d in web["daily"]] == [f"2025-12-{d}" for d in range(10, 15)]
    assert [w["week_ending"] for w in web["weekly"]] == ["2025-12-14", "2025-12-21"]
    newest = server.get("/api/forecast", params={"days": 5, "weeks": 2, "paths": 300, "seed": 7,
                                                 "model": "seasonal"}).json()
    assert newest["data_end"] == "2025-12-18" and newest["daily"] != web["daily"]


def test_the_command_it_names_prints_the_same_forecast(server):
    r = server.get("/api/forecast", params={"as_of": "2025-12-15", "days": 3, "weeks": 1, "paths": 200, "seed": 11,
                                            "model": "climatology"})
    web = r.json()
    args = shlex.split(web["command"])
    assert args[:2] == ["crossings", "forecast"]
    printed = json.loads(cli(*args[1:], db=server.db).stdout)
    assert {k: web[k] for k in printed} == printed


def test_no_parameters_is_the_default_forecast_of_the_cli(server):
    plain = server.get("/api/forecast", headers={"Accept-Encoding": "identity"})
    spelled = server.get("/api/forecast", params={"days": 14, "weeks": 8, "paths": 2000, "seed": 0,
                                                  "model": "ensemble"}, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.content == spelled.content
    web = plain.json()
    printed = json.loads(cli("forecast", "--format", "json", db=server.db).stdout)
    assert {k: web[k] for k in printed} == printed and web["as_of"] == "2025-12-19"
    assert len(web["daily"]) == 14 and len(web["weekly"]) == 8


def _bad_cases() -> list[tuple[dict, str, str]]:
    tomorrow = date.today() + timedelta(days=1)
    before = FIRST_RELEASE - timedelta(days=1)
    return [({"as_of": tomorrow.isoformat()}, "as_of", f"as_of {tomorrow} is in the future"),
            ({"as_of": before.isoformat()}, "as_of", f"as_of {before} is before the first stored release "
                                                     f"(published {FIRST_RELEASE})"),
            ({"as_of": "2025-02-30"}, "as_of", "query.as_of"),
            ({"model": "prophet"}, "model", "'persistence'"),
            ({"model": ""}, "model", "query.model"),
            ({"days": 0}, "days", "greater than or equal to 1"),
            ({"days": 29}, "days", "less than or equal to 28"),
            ({"weeks": 13}, "weeks", "less than or equal to 12"),
            ({"paths": 99}, "paths", "greater than or equal to 100"),
            ({"paths": 5001}, "paths", "less than or equal to 5000"),
            ({"seed": -1}, "seed", "greater than or equal to 0"),
            ({"seed": "x"}, "seed", "query.seed")]


#: Not a day written YYYY-MM-DD, though date.fromisoformat or pydantic would take some of them.
BAD_DAYS = ["20251201", "1733000000", "2025-13-01", "2025-1-1", "", "2025-W49-1", "2025-12-01T00:00", "2025-12-01 "]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_a_day_not_written_yyyy_mm_dd_is_refused_as_the_cli_refuses_it(server, day):
    from crossings.cli import main
    says = f"{day!r} is not a date (YYYY-MM-DD)"
    assert _error(server.get("/api/forecast", params={"as_of": day})) == f"query.as_of: {says}"
    r = CliRunner().invoke(main, ["forecast", "--db", str(server.db), "--as-of", day])
    assert r.exit_code == 2 and f"Invalid value for '--as-of': {says}" in r.output, r.output


@pytest.mark.parametrize("params,name,says", _bad_cases(),
                         ids=[f"{c[1]}={next(iter(c[0].values()))}" for c in _bad_cases()])
def test_a_bad_value_is_a_one_line_422_naming_the_parameter(server, params, name, says):
    err = _error(server.get("/api/forecast", params=params))
    assert name in err and says in err


def test_the_limits_themselves_are_accepted(server):
    r = server.get("/api/forecast", params={"as_of": FIRST_RELEASE.isoformat(), "days": 28, "weeks": 12,
                                            "paths": 100, "model": "persistence"})
    assert r.status_code == 200, r.text[:300]
    assert len(r.json()["daily"]) == 28 and len(r.json()["weekly"]) == 12


def test_every_get_endpoint_refuses_an_unknown_query_parameter(server):
    spec = server.get("/openapi.json").json()
    paths = [p for p, ops in spec["paths"].items() if "get" in ops and p.startswith("/api/") and "{" not in p]
    paths += ["/api/stats/totals_by_year", "/api/tables/daily.csv"]
    assert "/api/forecast" in paths and len(paths) >= 10
    for path in paths:
        err = _error(server.get(path, params={"asof": "2024-06-01"}))
        assert err.startswith("unknown query parameter 'asof'"), (path, err)


def test_the_refusal_lists_what_the_endpoint_takes_and_comes_before_other_checks(server):
    err = _error(server.get("/api/forecast", params={"as-of": "2024-06-01"}))
    assert err == "unknown query parameter 'as-of': /api/forecast takes as_of, days, model, paths, seed, weeks"
    # /api/releases/diff requires a and b: the unknown parameter is what is reported
    err = _error(server.get("/api/releases/diff", params={"c": 1}))
    assert err == "unknown query parameter 'c': /api/releases/diff takes a, b"
    assert _error(server.get("/api/health?x=1")) == "unknown query parameter 'x': /api/health takes no query parameters"


def test_the_refusal_names_the_path_asked_not_its_route_template(server):
    for path in ("/api/stats/totals_by_year", "/api/tables/daily.csv"):
        assert _error(server.get(path, params={"x": 1})) == f"unknown query parameter 'x': {path} takes no query " \
                                                            "parameters"


def test_an_empty_store_refuses_a_bad_request_422_before_saying_it_is_empty(tmp_path):
    from crossings.store import Store
    db = tmp_path / "empty.duckdb"
    Store(db).close()  # created, no release
    tomorrow = date.today() + timedelta(days=1)
    s = start_server(db)
    try:
        assert _error(s.get("/api/forecast", params={"as_of": tomorrow.isoformat()})).startswith(
            f"as_of {tomorrow} is in the future")
        assert _error(s.get("/api/forecast", params={"as_of": "20251201"})) == \
            "query.as_of: '20251201' is not a date (YYYY-MM-DD)"
        too_few = s.get("/api/forecast", params={"days": 0, "as_of": tomorrow.isoformat()})
        assert _error(too_few).startswith("query.days")
        for params in ({}, {"as_of": "2025-12-01"}):  # a valid request: now the store is looked at
            assert "the store is empty" in _error(s.get("/api/forecast", params=params), 503)
    finally:
        stop_server(s)


def test_a_parameter_given_twice_is_refused(server):
    err = _error(server.get("/api/forecast?days=3&days=4"))
    assert "'days'" in err and "2 times" in err


def test_pages_still_ignore_a_query_string(server):
    assert server.get("/forecast?utm_source=newsletter").status_code == 200


def _entries(folder: Path) -> set[Path]:
    return set(folder.glob("*.json"))


def _mark(entry_file: Path) -> str:
    """Rewrite a cache entry (through the cache's own writer, so it stays valid) with a note no computation gives;
    return that note."""
    from crossings.forecast import cache
    data = json.loads(entry_file.read_text())
    note = data["doc"]["note"] + "; MARKED IN THE CACHE"
    entry = cache.Entry({**data["doc"], "note": note}, data["daily_table"], data["weekly_table"])
    cache.save(entry_file.parent, data["key"], data["inputs"], entry)
    return note


OPTIONS = {"as_of": "2025-12-12", "days": 4, "weeks": 2, "paths": 200, "model": "locallevel"}


def _cli_args(seed: int) -> list[str]:
    return ["forecast", "--as-of", OPTIONS["as_of"], "--days", "4", "--weeks", "2", "--paths", "200", "--seed",
            str(seed), "--model", "locallevel", "--format", "json"]


def test_a_request_equal_to_a_cli_run_reads_the_cli_entry(server):
    folder = server.db.parent / "forecasts"
    before = _entries(folder)
    printed = json.loads(cli(*_cli_args(987), db=server.db).stdout)
    new = _entries(folder) - before
    assert len(new) == 1
    note = _mark(new.pop())
    web = server.get("/api/forecast", params={**OPTIONS, "seed": 987}).json()
    assert web["note"] == note  # read from the CLI's entry, not computed
    assert {k: web[k] for k in printed if k != "note"} == {k: v for k, v in printed.items() if k != "note"}
    assert len(_entries(folder) - before) == 1


def test_a_cli_run_equal_to_a_request_reads_the_server_entry(server):
    folder = server.db.parent / "forecasts"
    before = _entries(folder)
    web = server.get("/api/forecast", params={**OPTIONS, "seed": 988}).json()
    new = _entries(folder) - before
    assert len(new) == 1
    note = _mark(new.pop())
    printed = json.loads(cli(*_cli_args(988), db=server.db).stdout)
    assert printed["note"] == note
    assert {k: printed[k] for k in printed if k != "note"} == {k: web[k] for k in printed if k != "note"}
