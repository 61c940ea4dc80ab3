"""``events check-links`` against a local server: what answers 2xx (after redirects) is ok, the rest is named."""
from __future__ import annotations

import json
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from click.testing import CliRunner

from crossings.cli import main
from crossings.events import read_events
from crossings.events.links import check_links
from tests.localserver import serving


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        if self.path == "/ok":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            body = b"<html>an article</html>"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _events_file(tmp_path, base: str, dead: str):
    f = tmp_path / "ev.yaml"
    f.write_text("events:\n"
                 f"  - {{id: a, date: 2024-01-02, title: First, kind: policy, description: Something,"
                 f" sources: [{base}/ok, {base}/moved]}}\n"
                 f"  - {{id: b, date: 2024-01-03, title: Second, kind: policy, description: Something,"
                 f" sources: [{base}/ok, {base}/gone, {dead}/x]}}\n", encoding="utf-8")
    return f


def test_each_address_is_asked_once_and_judged_by_its_final_answer(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    dead = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    _Handler.hits = []
    with serving(server):
        checks = {c.url: c for c in check_links(read_events(_events_file(tmp_path, base, dead)), read_timeout_s=5)}
    assert _Handler.hits.count("/ok") == 2  # once for /ok itself (cited twice), once at the end of /moved
    assert checks[f"{base}/ok"].ok and checks[f"{base}/ok"].events == ("a", "b")
    moved = checks[f"{base}/moved"]
    assert moved.ok and moved.final_url == f"{base}/ok"
    assert not checks[f"{base}/gone"].ok and checks[f"{base}/gone"].result == "HTTP 404"
    assert not checks[f"{dead}/x"].ok and checks[f"{dead}/x"].result.startswith("cannot reach 127.0.0.1")


def test_the_command_lists_every_address_and_fails_when_one_is_broken(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    f = _events_file(tmp_path, base, f"http://127.0.0.1:{_free_port()}")
    with serving(server):
        out = CliRunner().invoke(main, ["events", "check-links", "--events", str(f), "--timeout", "5",
                                        "--format", "json"])
        good = tmp_path / "good.yaml"
        good.write_text("events:\n  - {id: a, date: 2024-01-02, title: First, kind: policy, description: Some,"
                        f" sources: [{base}/ok]}}\n", encoding="utf-8")
        fine = CliRunner().invoke(main, ["events", "check-links", "--events", str(good)])
    assert out.exit_code == 1
    rows = json.loads(out.output[:out.output.rindex("]") + 1])
    assert len(rows) == 4 and {r["result"] for r in rows} >= {"ok", "HTTP 404"}
    assert "2 of 4 source addresses did not answer with success" in out.output
    assert fine.exit_code == 0 and "all 1 source addresses answered with success" in fine.output
