"""``crossings fetch --incidents`` against a real local HTTP server standing in for IOM's export address."""
from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from incident_snapshot import snapshot
from crossings.cli import main
from crossings.sources.iom import URL_ENV
from crossings.store import Store
from crossings.store.incidents import latest_incidents, source_releases
from localserver import serving


class _IOM:
    def __init__(self, body: bytes):
        self.body, self.hits = body, 0


def _server(state: _IOM) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            state.hits += 1
            if self.path != "/export.csv":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args):
            pass
    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture()
def iom_server(db_path, iom_csv, monkeypatch):
    state = _IOM(iom_csv.read_bytes())
    server = _server(state)
    monkeypatch.setenv(URL_ENV, f"http://127.0.0.1:{server.server_address[1]}/export.csv")
    with serving(server):
        yield state


def _fetch():
    return CliRunner().invoke(main, ["fetch", "--incidents"])


def test_fetch_incidents_stores_the_export_once_and_keeps_the_file(iom_server, db_path, iom_csv):
    first = _fetch()
    assert first.exit_code == 0, first.output
    assert "added: iom_incidents" in first.output
    second = _fetch()
    assert second.exit_code == 0 and "already stored" in second.output
    assert iom_server.hits == 1  # the second answer came from the HTTP cache
    with Store(db_path) as s:
        rels = source_releases(s.con)
        assert len(rels) == 1 and rels["origin"].iloc[0].endswith("/export.csv")
        assert len(latest_incidents(s.con)) == len(iom_csv.read_text(encoding="utf-8").strip().splitlines()) - 1
    kept = list((db_path.parent / "downloads").glob("iom_missing_migrants_*.csv"))
    assert len(kept) == 1 and kept[0].read_bytes() == iom_csv.read_bytes()


def _refused_line(store_path) -> str:
    """Run the fetch, check it failed with one line and left the store as it was; the line."""
    before = snapshot(store_path)
    result = _fetch()
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert snapshot(store_path) == before
    return lines[0]


def test_an_unreadable_export_changes_nothing(iom_server, loaded):
    iom_server.body = b"Main ID,Incident date,No. dead\n1,2024-01-01,two\n"
    line = _refused_line(loaded)
    assert "/export.csv" in line and "crossings: error:" in line
    assert not list((loaded.parent / "downloads").glob("iom_*.csv"))


def test_offline_is_one_line_and_changes_nothing(loaded, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(URL_ENV, f"http://127.0.0.1:{port}/export.csv")
    line = _refused_line(loaded)
    assert "cannot reach 127.0.0.1" in line and "nothing changed" in line
