"""One HTTP session for every remote source: timeouts, retries with backoff, and an on-disk cache."""
from __future__ import annotations

from functools import lru_cache

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__
from ..config import cache_dir
from ..errors import NetworkError

TIMEOUT_S = (10, 60)  # connect, read
USER_AGENT = f"crossings/{__version__} (+https://pypi.org/project/crossings)"


@lru_cache(maxsize=4)
def session(expire_after_s: int = 3600) -> requests.Session:
    """A cached session (SQLite cache in the user cache dir) that retries connection errors and 429/5xx."""
    path = cache_dir() / "http_cache"
    path.parent.mkdir(parents=True, exist_ok=True)
    s = requests_cache.CachedSession(str(path), backend="sqlite", expire_after=expire_after_s,
                                     stale_if_error=False, allowable_codes=(200,))
    retry = Retry(total=4, connect=3, read=3, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504),
                  allowed_methods=("GET", "HEAD"), raise_on_status=False)
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = USER_AGENT
    return s


def get(url: str, *, params: dict | None = None, expire_after_s: int = 3600) -> requests.Response:
    """GET with the shared session; any network failure or HTTP error becomes a one-line ``NetworkError``."""
    try:
        r = session(expire_after_s).get(url, params=params, timeout=TIMEOUT_S)
        r.raise_for_status()
        return r
    except requests.HTTPError as exc:
        raise NetworkError(f"{url}: HTTP {exc.response.status_code}") from None
    except requests.RequestException as exc:
        reason = type(exc).__name__
        raise NetworkError(f"cannot reach {requests.utils.urlparse(url).netloc} ({reason}); "
                           "no network? nothing was changed") from None
