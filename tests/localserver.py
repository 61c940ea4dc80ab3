"""Running a real local HTTP server for the duration of a test (stand-ins for GOV.UK and Open-Meteo)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from crossings.sources import http


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """Serve on a daemon thread inside the block, with a fresh HTTP session (so its own cache) before and after."""
    http.session.cache_clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        http.session.cache_clear()
