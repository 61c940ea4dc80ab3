"""Downloads have a wall-clock deadline and a size cap, and the HTTP cache keeps only answers that were read.

Real local servers on 127.0.0.1: one that sends a byte every second (in the body, or in the status line itself),
one that streams more than the cap with or without announcing it, and the GOV.UK and Open-Meteo stand-ins serving a
truncated workbook or garbage JSON once, then the good answer.
"""
from __future__ import annotations

import json
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crossings.errors import CrossingsError, InputError, NetworkError
from crossings.fetch import downloads_dir, fetch_latest
from crossings.sources import govuk as govuk_source, http, openmeteo
from crossings.sources.http import TooLargeError
from crossings.store import Store
from govuk_server import CONTENT_PATH
from localserver import serving
from paths import OPENMETEO, WB_19DEC

WB19_PATH = "/media/6944b7a2c8d9e0f1a2b3c402/19_December_2025_Small_boats_-_time_series.ods"


class _Misbehaving(BaseHTTPRequestHandler):
    """Answers according to ``self.server.mode``; counts the body bytes it managed to send."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        srv.hits += 1
        try:
            if srv.mode == "drip_body":  # headers at once, then one byte a second of an announced 1000
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    srv.sent += 1
                    time.sleep(1)
            elif srv.mode == "drip_status":  # even the status line comes a byte a second
                for b in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(1)
            elif srv.mode in ("flood", "flood_announced"):  # 64 KiB chunks, up to 64 MiB
                self.send_response(200)
                if srv.mode == "flood_announced":
                    self.send_header("Content-Length", str(600 * 1024 * 1024))
                else:
                    self.send_header("Connection", "close")  # body delimited by closing, length unknown
                self.end_headers()
                chunk = b"y" * 65536
                for _ in range(1024):
                    self.wfile.write(chunk)
                    srv.sent += len(chunk)
                self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what is wanted

    def log_message(self, *args) -> None:
        pass


@contextmanager
def _server(mode: str) -> Iterator[ThreadingHTTPServer]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    srv.daemon_threads = True
    srv.mode, srv.hits, srv.sent = mode, 0, 0
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}/file.ods"
    with serving(srv):
        yield srv


@pytest.mark.parametrize("mode", ["drip_body", "drip_status"])
def test_a_server_sending_a_byte_a_second_is_abandoned_at_the_deadline(db_path, mode):
    with _server(mode) as srv:
        t0 = time.monotonic()
        with pytest.raises(NetworkError, match=r"did not finish answering .* within 2 s: nothing changed"):
            http.get(srv.url, deadline_s=2)
        elapsed = time.monotonic() - t0
    # Each byte comes well within the 60 s read timeout, so only the overall deadline can stop it.
    assert 2 <= elapsed < 4, elapsed
    assert srv.hits == 1


def test_fetch_from_a_dripping_gov_uk_fails_in_one_line_within_the_deadline(govuk, db_path, monkeypatch):
    monkeypatch.setattr(http, "DEADLINE_S", 2.0)
    with _server("drip_body") as srv:
        item = json.loads(govuk.routes[CONTENT_PATH][0])
        for a in item["details"]["attachments"]:
            if a.get("filename") == WB_19DEC.name:
                a["url"] = srv.url.replace("file.ods", WB_19DEC.name)
        govuk.routes[CONTENT_PATH] = (json.dumps(item).encode(), "application/json")
        t0 = time.monotonic()
        with pytest.raises(NetworkError, match="within 2 s"):
            fetch_latest(db_path)
        assert time.monotonic() - t0 < 5
    assert not db_path.exists()
    assert list(downloads_dir(db_path).iterdir()) == []


@pytest.mark.parametrize("mode", ["flood", "flood_announced"])
def test_an_answer_beyond_the_cap_is_refused_without_holding_it_in_memory(db_path, mode):
    cap = 1024 * 1024
    with _server(mode) as srv:
        tracemalloc.start()
        try:
            with pytest.raises(TooLargeError, match=r"file\.ods: the answer .* \(limit 1\.0 MiB\): refused"):
                http.get(srv.url, max_bytes=cap)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        time.sleep(0.2)
        sent = srv.sent
    assert peak < 4 * cap, peak  # the body is not kept beyond the cap
    assert sent < 64 * 1024 * 1024  # the client stopped reading long before the server's 64 MiB
    if mode == "flood_announced":
        assert sent < 16 * cap  # refused on the announced length, before reading the body


def test_fetch_refuses_an_oversized_workbook_and_changes_nothing(govuk, db_path, monkeypatch):
    with Store(db_path) as s:
        s.ingest(WB_19DEC)
        before = len(s.releases())
    monkeypatch.setattr(govuk_source, "FILE_MAX_BYTES", WB_19DEC.stat().st_size - 1)
    with pytest.raises(TooLargeError, match=WB_19DEC.name):
        fetch_latest(db_path)
    with Store(db_path, read_only=True) as s:
        assert len(s.releases()) == before


def test_a_truncated_workbook_is_not_cached_and_is_asked_for_again(govuk, db_path):
    good = govuk.routes[WB19_PATH]
    govuk.routes[WB19_PATH] = (good[0][: len(good[0]) // 2], good[1])  # cut in the middle of the zip
    with pytest.raises(InputError, match=WB19_PATH):
        fetch_latest(db_path)
    assert govuk.requested(WB19_PATH) == 1
    govuk.routes[WB19_PATH] = good  # the server is fixed
    result = fetch_latest(db_path)
    assert govuk.requested(WB19_PATH) == 2  # asked the server again: the bad answer was not kept
    assert [r.added for r in result.ingested] == [True, True]
    hits = govuk.requested(WB19_PATH)
    fetch_latest(db_path)
    assert govuk.requested(WB19_PATH) == hits  # the good answer was kept


def test_garbage_from_the_content_api_is_not_cached(govuk, db_path):
    good = govuk.routes[CONTENT_PATH]
    govuk.routes[CONTENT_PATH] = (b'{"details": {"attachments": [', "application/json")  # cut-off JSON
    with pytest.raises(CrossingsError, match="not JSON"):
        fetch_latest(db_path)
    govuk.routes[CONTENT_PATH] = good
    fetch_latest(db_path)
    assert govuk.requested(CONTENT_PATH) == 2


class _OpenMeteoOnce(BaseHTTPRequestHandler):
    """Answers garbage to the first request, then the archive file for the mid-strait point."""

    def do_GET(self) -> None:  # noqa: N802
        self.server.hits += 1
        body = b"<html>Bad gateway</html>" if self.server.hits == 1 else \
            (OPENMETEO / "archive_mid_strait.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_garbage_json_from_open_meteo_is_not_cached(db_path, monkeypatch):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _OpenMeteoOnce)
    srv.hits = 0
    monkeypatch.setenv("CROSSINGS_OPENMETEO_ARCHIVE_URL", f"http://127.0.0.1:{srv.server_address[1]}/v1/archive")
    point = openmeteo.STRAIT_POINTS[0]
    kw = dict(start=date(2025, 1, 1), end=date(2025, 1, 2))
    with serving(srv):
        with pytest.raises(InputError, match="not JSON"):
            openmeteo.fetch_point("archive", point, **kw)
        df = openmeteo.fetch_point("archive", point, **kw)
        expected = json.loads((OPENMETEO / "archive_mid_strait.json").read_text())["hourly"]
        assert len(df) == len(expected["time"])
        openmeteo.fetch_point("archive", point, **kw)  # the good answer is now cached
    assert srv.hits == 2


def test_a_cached_answer_that_no_longer_parses_is_evicted(govuk, db_path):
    url = govuk.base + WB19_PATH
    calls = []

    def picky(data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == 2:
            raise InputError("refused on the second read", file=url)
        return len(data)

    size = len(govuk.routes[WB19_PATH][0])
    assert govuk_source.download(url, parse=picky) == size  # from the server, then cached
    assert govuk.requested(WB19_PATH) == 1
    # The cached copy is refused: it is evicted and the server asked again, whose answer is read and kept.
    assert govuk_source.download(url, parse=picky) == size
    assert calls == [size, size, size] and govuk.requested(WB19_PATH) == 2
    govuk_source.download(url, parse=picky)
    assert govuk.requested(WB19_PATH) == 2


def test_threads_of_abandoned_downloads_end(db_path):
    with _server("drip_body") as srv:
        with pytest.raises(NetworkError):
            http.get(srv.url, deadline_s=1)
        time.sleep(0.5)  # the body had started: its socket was shut down, so the blocked read returned
        name = f"crossings-http-127.0.0.1:{srv.server_address[1]}"
        assert not [t for t in threading.enumerate() if t.name == name and t.is_alive()]
