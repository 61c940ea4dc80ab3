"""Checking that the timeline's source addresses still answer: each address is asked once (GET, redirects
followed, only the status line and headers read), a few at a time, with short timeouts.

A link is *ok* when the final answer is 2xx; otherwise its result says what came back (``HTTP 404``, ``cannot reach
host (reason)``, ``no answer within N s``). Nothing is cached and nothing is stored.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlparse

from . import Event

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
PARALLEL_REQUESTS = 8


@dataclass(frozen=True)
class LinkCheck:
    """The answer to one source address."""

    url: str
    ok: bool
    result: str  # "ok", "HTTP 404", "cannot reach host (Connection refused)", ...
    final_url: str  # after redirects ('' when nothing answered)
    events: tuple[str, ...]  # ids of the events citing it


def _check(url: str, read_timeout_s: float) -> tuple[bool, str, str]:
    import requests

    from ..sources import http
    host = urlparse(url).netloc
    try:
        with http.network().get(url, timeout=(CONNECT_TIMEOUT_S, read_timeout_s), stream=True,
                                allow_redirects=True) as r:
            if 200 <= r.status_code < 300:
                return True, "ok", r.url
            return False, f"HTTP {r.status_code}", r.url
    except requests.Timeout:
        return False, f"no answer from {host} within {read_timeout_s:g} s", ""
    except requests.RequestException as exc:
        return False, f"cannot reach {host} ({http._reason(exc)})", ""


def check_links(events: list[Event], read_timeout_s: float = READ_TIMEOUT_S) -> list[LinkCheck]:
    """Ask every distinct source address of ``events`` once; results in the order the addresses first appear."""
    cited: dict[str, list[str]] = {}
    for ev in events:
        for url in ev.sources:
            cited.setdefault(url, []).append(ev.id)
    urls = list(cited)
    with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
        answers = list(pool.map(lambda u: _check(u, read_timeout_s), urls))
    return [LinkCheck(u, ok, res, final, tuple(cited[u])) for u, (ok, res, final) in zip(urls, answers)]


def links_frame(checks: list[LinkCheck]):
    """The checks as a table."""
    import pandas as pd
    return pd.DataFrame({"url": [c.url for c in checks], "result": [c.result for c in checks],
                         "final_url": [c.final_url for c in checks],
                         "events": [" ".join(c.events) for c in checks]},
                        columns=["url", "result", "final_url", "events"])
