"""One HTTP session for every remote source: timeouts, retries with backoff, a size cap, an overall deadline, and
an on-disk cache that keeps only answers that were read successfully.

- Every answer is streamed with a running byte count and refused once it passes ``max_bytes`` (an announced
  ``Content-Length`` beyond it is refused before the body is read), so a huge answer never fills the memory.
- Every request has a wall-clock deadline (``deadline_s``) for the whole exchange, retries included, on top of the
  per-read socket timeout: a server that sends a byte every few seconds is abandoned at the deadline.
- An answer enters the cache only after the caller's ``parse`` accepted it; a cached answer that no longer parses
  is evicted. A truncated workbook or garbage JSON served once is therefore asked for again on the next fetch.
"""
from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeVar
from urllib.parse import urlparse

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__
from ..config import cache_dir
from ..errors import CrossingsError, NetworkError

T = TypeVar("T")

TIMEOUT_S = (10, 60)  # connect, read (each socket operation)
DEADLINE_S = 180.0  # the whole request, retries included
MAX_BYTES = 32 * 1024 * 1024  # an official workbook is about 100 KB, an Open-Meteo answer a few hundred KB
CHUNK_BYTES = 64 * 1024
USER_AGENT = f"crossings/{__version__} (+https://pypi.org/project/crossings)"
_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^)\"'\]]+)")


class TooLargeError(NetworkError):
    """An answer larger than the size cap; nothing was kept."""


def retry_policy() -> Retry:
    """Retry refused/failed connections and 429/5xx answers a few times with exponential backoff."""
    return Retry(total=4, connect=3, read=3, status=3, backoff_factor=0.5,
                 status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET", "HEAD"),
                 respect_retry_after_header=True, raise_on_status=False)


@lru_cache(maxsize=4)
def session(expire_after_s: int = 3600) -> requests_cache.CachedSession:
    """The shared cache: a requests-cache session whose ``cache`` (SQLite in the cache dir) holds the answers
    :func:`get` saved. Requests themselves go out through :func:`network`, so nothing is cached unread."""
    path = cache_dir() / "http_cache"
    path.parent.mkdir(parents=True, exist_ok=True)
    s = requests_cache.CachedSession(str(path), backend="sqlite", expire_after=expire_after_s,
                                     stale_if_error=False, allowable_codes=(200,))
    s.headers["User-Agent"] = USER_AGENT
    return s


@lru_cache(maxsize=1)
def network() -> requests.Session:
    """The plain session that talks to servers (redirects included): retries connection errors and 429/5xx."""
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry_policy())
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = USER_AGENT
    return s


def _reason(exc: requests.RequestException) -> str:
    """A short cause: 'Connection refused', 'Name or service not known', 'ReadTimeout'..."""
    m = _ERRNO_TEXT.search(str(exc))
    return m[1].strip() if m else type(exc).__name__


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


class _Download:
    """One streamed download on a worker thread, so the caller can abandon it at the deadline."""

    def __init__(self, s: requests.Session, prepared: requests.PreparedRequest, max_bytes: int):
        self.s, self.prepared, self.max_bytes = s, prepared, max_bytes
        self.response: requests.Response | None = None
        self.error: BaseException | None = None
        self.cancelled = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        try:
            # The plain session, not the cache's: nothing is saved before the caller's parse accepted it.
            r = self.s.send(self.prepared, timeout=TIMEOUT_S, stream=True, allow_redirects=True)
            self.response = r
            r.raise_for_status()
            announced = r.headers.get("Content-Length")
            if announced and announced.isdigit() and int(announced) > self.max_bytes:
                raise TooLargeError(f"announces {_mib(int(announced))}")
            body = bytearray()
            for chunk in r.iter_content(CHUNK_BYTES):
                if self.cancelled.is_set():
                    return
                body += chunk
                if len(body) > self.max_bytes:
                    raise TooLargeError(f"sent more than {_mib(self.max_bytes)}")
            r._content = bytes(body)  # the body is read: .content, .json() and the cache use it
            r._content_consumed = True
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        finally:
            if self.response is not None:
                self.response.close()
            self.done.set()

    def abandon(self) -> None:
        """Stop: shut the socket of a started answer down, so a read blocked on a slow server returns now."""
        self.cancelled.set()
        r = self.response
        if r is None:
            return  # still waiting for the status line: the thread ends at the read timeout or the server's end
        sock = getattr(getattr(r.raw, "_connection", None), "sock", None)
        try:
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        r.close()


def _download(s: requests.Session, prepared: requests.PreparedRequest, max_bytes: int,
              deadline_s: float) -> requests.Response:
    host = urlparse(prepared.url).netloc
    job = _Download(s, prepared, max_bytes)
    threading.Thread(target=job.run, name=f"crossings-http-{host}", daemon=True).start()
    if not job.done.wait(deadline_s):
        job.abandon()
        raise NetworkError(f"{host} did not finish answering {prepared.url} within {deadline_s:g} s: "
                           "nothing changed") from None
    exc = job.error
    if isinstance(exc, TooLargeError):
        raise TooLargeError(f"{prepared.url}: the answer {exc} (limit {_mib(max_bytes)}): refused, nothing "
                            "changed") from None
    if isinstance(exc, requests.HTTPError):
        raise NetworkError(f"{host} answered HTTP {exc.response.status_code} for {prepared.url}: "
                           "nothing changed") from None
    if isinstance(exc, requests.RequestException):
        raise NetworkError(f"cannot reach {host} ({_reason(exc)}): nothing changed") from None
    if exc is not None:
        raise exc
    return job.response


def _fresh(s: requests_cache.CachedSession, key: str):
    cached = s.cache.get_response(key)
    if cached is None or cached.is_expired:
        return None
    return cached


def forget(url: str, *, params: dict | None = None) -> None:
    """Remove the cached answer for ``url`` (and ``params``), so that the next request asks the server."""
    s = session()
    s.cache.delete(_key(s, url, params))


def _key(s: requests_cache.CachedSession, url: str, params: dict | None) -> str:
    return s.cache.create_key(s.prepare_request(requests.Request("GET", url, params=params)))


def get(url: str, *, params: dict | None = None, expire_after_s: int = 3600,
        parse: Callable[[requests.Response], T] | None = None, max_bytes: int | None = None,
        deadline_s: float | None = None):
    """GET ``url`` through the shared session and return ``parse(response)`` (the response if ``parse`` is None).

    A fresh cached answer is used without asking the server. An answer from the server is kept in the cache (for
    ``expire_after_s``) only after ``parse`` returned without raising; a cached answer that ``parse`` refuses is
    evicted and the server is asked again. Network failures, HTTP errors, an answer beyond ``max_bytes`` (default
    :data:`MAX_BYTES`) or one not finished within ``deadline_s`` (default :data:`DEADLINE_S`) become a one-line
    :class:`NetworkError`; what ``parse`` raises is passed on.
    """
    s = session()
    prepared = s.prepare_request(requests.Request("GET", url, params=params))
    key = s.cache.create_key(prepared)
    cached = _fresh(s, key)
    if cached is not None:
        try:
            return parse(cached) if parse else cached
        except CrossingsError:
            s.cache.delete(key)  # it was kept by an earlier version, or the format changed: ask again
    r = _download(network(), prepared, MAX_BYTES if max_bytes is None else max_bytes,
                  DEADLINE_S if deadline_s is None else deadline_s)
    result = parse(r) if parse else r  # raises before anything is cached
    s.cache.save_response(r, key, datetime.now(timezone.utc) + timedelta(seconds=expire_after_s))
    return result
