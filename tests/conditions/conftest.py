"""A local stand-in for Open-Meteo: a real HTTP server answering /v1/archive, /v1/marine and /v1/forecast with
small response files in the APIs' documented JSON shape (tests/data/openmeteo)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from crossings.sources import http
from localserver import serving
from crossings.sources.openmeteo import STRAIT_POINTS

from paths import OPENMETEO as DATA
WIND = {"wind_speed_10m", "wind_gusts_10m", "wind_direction_10m"}


def response_file(path: str, query: dict[str, str]) -> Path | None:
    """The file that answers a request, as the real API would choose its data: by endpoint, point and period."""
    point = next((p.name for p in STRAIT_POINTS
                  if abs(float(query.get("latitude", "nan")) - p.latitude) < 1e-6
                  and abs(float(query.get("longitude", "nan")) - p.longitude) < 1e-6), None)
    if point is None:
        return None
    kind = {"/v1/archive": "archive", "/v1/forecast": "forecast",
            "/v1/marine": "marine_forecast" if "forecast_days" in query else "marine"}.get(path)
    return DATA / f"{kind}_{point}.json" if kind else None


@dataclass
class FakeOpenMeteo:
    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    override: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # path -> (status, body)

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(state: FakeOpenMeteo) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            state.requests.append((url.path, query))
            status, body = self._answer(url.path, query)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
            if path in state.override:
                return state.override[path]
            asked = set(query.get("hourly", "").split(","))
            problems = []
            if query.get("timezone") != "UTC":
                problems.append("timezone must be UTC for these tests")
            if path != "/v1/marine" and (query.get("wind_speed_unit") != "ms" or asked != WIND):
                problems.append(f"expected hourly={sorted(WIND)} in m/s")
            if path == "/v1/marine" and asked != {"wave_height"}:
                problems.append("expected hourly=wave_height")
            f = response_file(path, query)
            if f is None:
                problems.append("unknown endpoint or point")
            if problems:
                return 400, json.dumps({"error": True, "reason": "; ".join(problems)}).encode()
            return 200, f.read_bytes()

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture()
def openmeteo(db_path, monkeypatch) -> Iterator[FakeOpenMeteo]:
    """A running server standing in for the three Open-Meteo APIs; CROSSINGS_OPENMETEO_* point at it."""
    state = FakeOpenMeteo()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    for api in ("archive", "marine", "forecast"):
        monkeypatch.setenv(f"CROSSINGS_OPENMETEO_{api.upper()}_URL", f"{state.base}/v1/{api}")
    with serving(server):  # a session per test, so each test has its own HTTP cache (CROSSINGS_CACHE)
        yield state


@pytest.fixture()
def offline(db_path, monkeypatch) -> None:
    """Every Open-Meteo URL points at a closed local port: connections are refused, as with no network."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for api in ("archive", "marine", "forecast"):
        monkeypatch.setenv(f"CROSSINGS_OPENMETEO_{api.upper()}_URL", f"http://127.0.0.1:{port}/v1/{api}")
    http.session.cache_clear()
    yield
    http.session.cache_clear()
