"""Safe to expose: traversal, oversize and malformed bodies, limits, headers, and a store no endpoint can write."""
from __future__ import annotations

import hashlib
import json
import socket

import duckdb
import pytest
import requests

pytestmark = pytest.mark.slow

SECRET_MARKERS = ("root:", "[project]", "import ", "BEGIN")


def _raw(server, request: bytes) -> bytes:
    """Send bytes as they are (no client-side path normalisation) and return the raw answer."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


@pytest.mark.parametrize("path", [
    "/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2f%2e%2e%2fweb%2fapp.py", "/static//etc/passwd", "/assets/swagger/..%2f..%2f__init__.py",
    "/assets/swagger/../../../../etc/passwd", "/static/....//....//etc/passwd", "/embed/..%2f..%2fetc%2fpasswd",
    "/api/tables/..%2f..%2fetc%2fpasswd.csv", "/static/app.css%00.py",
])
def test_path_traversal_reads_nothing(server, path):
    raw = _raw(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    status = int(raw.split(b" ", 2)[1])
    assert status in (400, 404, 422), raw[:200]
    body = raw.split(b"\r\n\r\n", 1)[1].decode(errors="replace")
    assert not any(m in body for m in SECRET_MARKERS)


def test_static_files_are_served_with_nosniff(server):
    r = server.get("/static/app.css")
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
    assert server.get("/assets/plotly.min.js").status_code == 200
    css = server.get("/assets/plotly.css").text
    assert ".js-plotly-plot .plotly .modebar" in css  # plotly's own rules, read from the installed package


def test_oversize_bodies_are_refused(server):
    big = {"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-31", "pad": "x" * 40_000}
    r = server.post("/api/compare", data=json.dumps(big), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["error"]

    def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(40):
            yield b"x" * 1024
    r = requests.post(server.url + "/api/compare", data=chunks(), headers={"Content-Type": "application/json"},
                      timeout=30)
    assert r.status_code == 413


@pytest.mark.parametrize("body,field", [
    ('{"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-31", "replicates": 5000}', "replicates"),
    ('{"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-31", "replicates": -1}', "replicates"),
    ('{"doctrines": ["../../etc/passwd"], "start": "2025-01-01", "end": "2025-01-31"}', "doctrines"),
    ('{"doctrines": ["/tmp/x.yaml"], "start": "2025-01-01", "end": "2025-01-31"}', "doctrines"),
    ('{"doctrines": [], "start": "2025-01-01", "end": "2025-01-31"}', "doctrines"),
    ('{"doctrines": ["status_quo","status_quo","status_quo","status_quo","status_quo"], "start": "2025-01-01", '
     '"end": "2025-01-31"}', "doctrines"),
    ('{"doctrines": ["status_quo"], "start": "2020-01-01", "end": "2025-01-31"}', "period"),
    ('{"doctrines": ["status_quo"], "start": "2025-02-01", "end": "2025-01-01"}', "before start"),
    ('{"doctrines": ["status_quo"], "start": "2010-01-01", "end": "2010-02-01"}', "before 2018"),
    ('{"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-31", "seed": 1e40}', "seed"),
    ('{"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-31", "unknown": 1}', "unknown"),
    ('{"doctrines": ["status_quo"], "start": "not a date", "end": "2025-01-31"}', "start"),
    ('{"doctrines": ["status_quo"], "start": "20250101", "end": "2025-01-31"}', "start"),
    ('{"doctrines": ["status_quo"], "start": "2025-01-01", "end": 1738281600}', "end"),
    ('{"doctrines": ', "json"),
    ('[1, 2, 3]', "body"),
])
def test_invalid_compare_requests_get_a_one_line_4xx(server, body, field):
    r = server.post("/api/compare", data=body, headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    err = r.json()["error"]
    assert "\n" not in err and field.split()[0].lower() in err.lower(), err


@pytest.mark.parametrize("path,params", [
    ("/api/series/daily", {"start": "2025-13-01"}), ("/api/series/daily", {"start": "2025-02-01", "end": "2025-01-01"}),
    ("/api/series/daily", {"start": "20250101"}), ("/api/tides/gravelines", {"day": "20250101"}),
    ("/api/tides/gravelines", {"day": "1200-01-01"}), ("/api/tides/gravelines", {}),
    ("/api/releases/diff", {"a": -1, "b": 2}), ("/api/releases/diff", {"a": "x", "b": 2}),
    ("/api/series/cumulative", {"years": "2024;DROP TABLE releases"}), ("/api/incidents", {"year": 3000}),
    ("/api/stats/no_such_table", {}), ("/api/tables/daily.exe", {}), ("/embed/nothing", {}),
])
def test_out_of_range_parameters_get_a_one_line_4xx(server, path, params):
    r = server.get(path, params=params)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])
    assert "\n" not in r.json()["error"]


def test_security_headers(server):
    page = server.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and " style=" not in page.text  # no inline code for the CSP to refuse
    embed = server.get("/embed/daily")
    assert embed.status_code == 200 and "frame-ancestors 'none'" not in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_endpoint_writes_the_store(server):
    before = _sha256(server.db)
    paths = []
    spec = server.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        concrete = (path.replace("{table}.{fmt}", "daily.csv").replace("{table}", "year_to_date"))
        for method in ("get", "post", "put", "delete", "patch"):
            kw = {"params": {"day": "2025-12-19", "a": 1, "b": 3}}
            if method == "post":
                kw["json"] = {"doctrines": ["status_quo"], "start": "2025-01-01", "end": "2025-01-10",
                              "replicates": 10}
            r = requests.request(method.upper(), server.url + concrete, timeout=300, **kw)
            paths.append((method, concrete, r.status_code))
            assert r.status_code < 500, (method, concrete, r.text[:200])
            if method not in ops:
                assert r.status_code == 405
    assert _sha256(server.db) == before


def test_the_store_file_is_only_ever_attached_read_only(store3):
    from crossings.web.state import SOURCE_ALIAS, StoreView, attach_read_only
    before = _sha256(store3)
    con = duckdb.connect(":memory:")
    attach_read_only(con, store3)
    assert con.execute(f"SELECT count(*) FROM {SOURCE_ALIAS}.releases").fetchone()[0] == 3
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute(f"CREATE TABLE {SOURCE_ALIAS}.evil (i INTEGER)")
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute(f"DELETE FROM {SOURCE_ALIAS}.daily_obs")
    con.close()
    with StoreView(store3).connection() as cur:  # what the endpoints query: a copy in memory
        cur.execute("DELETE FROM daily_obs")
    assert _sha256(store3) == before


def test_serve_binds_loopback_by_default():
    from crossings.cli.web import serve
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
