"""A local stand-in for GOV.UK: a real HTTP server answering the content API and serving the official files.

Imported by the tests of ``crossings fetch`` (a module, not conftest, so that no other conftest shadows it).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlparse

from crossings.sources.govuk import PUBLICATION_PATH

DATA = Path(__file__).resolve().parents[1] / "data" / "govuk"
CONTENT_PATH = f"/api/content{PUBLICATION_PATH}"
REAL_HOSTS = ("https://assets.publishing.service.gov.uk", "https://www.gov.uk")
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class FakeGovUK:
    """Routes (path -> (body, content type)) and a log of every path requested."""

    base: str = ""
    routes: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to answer before the file
    stalls: dict[str, list[float]] = field(default_factory=dict)  # path -> seconds to wait before answering

    def set_content_item(self, item: dict) -> None:
        """Serve ``item`` as the publication's content API answer, its GOV.UK links pointing at this server."""
        text = json.dumps(item)
        for host in REAL_HOSTS:
            text = text.replace(host, self.base)
        self.routes[CONTENT_PATH] = (text.encode(), "application/json")

    def serve_file(self, path: str, file: Path, content_type: str) -> None:
        self.routes[path] = (file.read_bytes(), content_type)

    def fail(self, path: str, *statuses: int) -> None:
        """Answer the next requests for ``path`` with these HTTP statuses, then serve it normally."""
        self.failures[path] = list(statuses)

    def stall(self, path: str, *seconds: float) -> None:
        """Wait this long before answering the next requests for ``path`` (a server that hangs)."""
        self.stalls[path] = list(seconds)

    def requested(self, suffix: str) -> int:
        return sum(1 for h in self.hits if h.endswith(suffix))


def handler(state: FakeGovUK) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            path = unquote(urlparse(self.path).path)
            state.hits.append(path)
            if state.stalls.get(path):
                time.sleep(state.stalls[path].pop(0))
            pending = state.failures.get(path)
            if pending:
                status, body, ctype = pending.pop(0), b"Server error", "text/plain"
            elif path in state.routes:
                status, (body, ctype) = 200, state.routes[path]
            else:
                status, body, ctype = 404, b"Not found", "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            try:
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, *args) -> None:
            pass

    return Handler


def publication_item() -> dict:
    """The publication's content item as the content API documents it (schema 'publication')."""
    return json.loads((DATA / "publication.json").read_text())
