"""A local stand-in for the Open-Meteo archive, marine and Previous Runs APIs, answering from recorded responses
(tests/data/openmeteo/archived) cut to the dates asked, as the real APIs do."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from crossings.sources.openmeteo import PREVIOUS_RUN_VARIABLES, STRAIT_POINTS

DATA = Path(__file__).resolve().parents[1] / "data" / "openmeteo" / "archived"
FILES = {"/v1/archive": "history_{}.json.gz", "/v1/marine": "marine_{}.json.gz",
         "/previous-runs/v1/forecast": "previous_runs_{}.json"}
ASKED = {"/v1/archive": {"wind_speed_10m", "wind_gusts_10m", "wind_direction_10m"}, "/v1/marine": {"wave_height"},
         "/previous-runs/v1/forecast": set(PREVIOUS_RUN_VARIABLES.values())}


@lru_cache(maxsize=None)
def recorded(path: str, point: str) -> dict:
    """One recorded answer (the whole period) for an endpoint path and point."""
    f = DATA / FILES[path].format(point)
    raw = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
    return json.loads(raw)


def cut(payload: dict, start: str, end: str) -> dict:
    """The answer restricted to the days ``start`` to ``end`` (inclusive)."""
    keep = [i for i, t in enumerate(payload["hourly"]["time"]) if start <= t[:10] <= end]
    hourly = {k: [v[i] for i in keep] for k, v in payload["hourly"].items()}
    return {**payload, "hourly": hourly}


@dataclass
class State:
    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    edit: dict = field(default_factory=dict)  # path -> function changing the answer before it is sent


def handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            q = {k: v[-1] for k, v in parse_qs(url.query).items()}
            state.requests.append((url.path, q))
            status, body = self._answer(url.path, q)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, path: str, q: dict[str, str]) -> tuple[int, bytes]:
            point = next((p.name for p in STRAIT_POINTS if abs(float(q.get("latitude", "nan")) - p.latitude) < 1e-6
                          and abs(float(q.get("longitude", "nan")) - p.longitude) < 1e-6), None)
            problems = []
            if path not in FILES or point is None:
                problems.append("unknown endpoint or point")
            elif set(q.get("hourly", "").split(",")) != ASKED[path]:
                problems.append(f"expected hourly={sorted(ASKED[path])}")
            if q.get("timezone") != "UTC" or (path != "/v1/marine" and q.get("wind_speed_unit") != "ms"):
                problems.append("expected timezone=UTC and wind_speed_unit=ms")
            if "start_date" not in q or "end_date" not in q:
                problems.append("expected start_date and end_date")
            if problems:
                return 400, json.dumps({"error": True, "reason": "; ".join(problems)}).encode()
            answer = cut(recorded(path, point), q["start_date"], q["end_date"])
            if path in state.edit:
                answer = json.loads(json.dumps(answer))
                state.edit[path](answer)
            return 200, json.dumps(answer).encode()

        def log_message(self, *args) -> None:
            pass

    return Handler
