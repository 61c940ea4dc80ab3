"""One HTTP session for every remote source: timeouts, retries with backoff, and an on-disk cache."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__
from ..config import cache_dir
from ..errors import NetworkError

TIMEOUT_S = (10, 60)  # connect, read
USER_AGENT = f"crossings/{__version__} (+https://pypi.org/project/crossings)"
_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^)\"'\]]+)")


def retry_policy() -> Retry:
    """Retry refused/failed connections and 429/5xx answers a few times with exponential backoff."""
    return Retry(total=4, connect=3, read=3, status=3, backoff_factor=0.5,
                 status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET", "HEAD"),
                 respect_retry_after_header=True, raise_on_status=False)


@lru_cache(maxsize=4)
def session(expire_after_s: int = 3600) -> requests.Session:
    """A cached session (SQLite cache in the cache dir) that retries connection errors and 429/5xx.

    Only 200 answers are cached; ``expire_after_s`` is the default lifetime, which :func:`get` can override.
    """
    path = cache_dir() / "http_cache"
    path.parent.mkdir(parents=True, exist_ok=True)
    s = requests_cache.CachedSession(str(path), backend="sqlite", expire_after=expire_after_s,
                                     stale_if_error=False, allowable_codes=(200,))
    adapter = HTTPAdapter(max_retries=retry_policy())
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = USER_AGENT
    return s


def _reason(exc: requests.RequestException) -> str:
    """A short cause: 'Connection refused', 'Name or service not known', 'ReadTimeout'..."""
    m = _ERRNO_TEXT.search(str(exc))
    return m[1].strip() if m else type(exc).__name__


def get(url: str, *, params: dict | None = None, expire_after_s: int = 3600) -> requests.Response:
    """GET with the shared session; any network failure or HTTP error becomes a one-line ``NetworkError``."""
    host = urlparse(url).netloc
    try:
        r = session().get(url, params=params, timeout=TIMEOUT_S, expire_after=expire_after_s)
        r.raise_for_status()
        return r
    except requests.HTTPError as exc:
        raise NetworkError(f"{host} answered HTTP {exc.response.status_code} for {url}: nothing changed") from None
    except requests.RequestException as exc:
        raise NetworkError(f"cannot reach {host} ({_reason(exc)}): nothing changed") from None
