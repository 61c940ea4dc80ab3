"""Finding and downloading the current Home Office release on GOV.UK.

The workbook's file address changes every week, so it is discovered from the publication's content item
(``<base>/api/content/<publication path>``, content-store schema "publication"): the ODS attachment titled
"time series" in ``details.attachments`` (the newest if several). The daily "last 7 days" page is the publication's
HTML attachment. Nothing here touches the store; functions return URLs, bytes and paths.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlparse

import lxml.html

from ..errors import CrossingsError
from . import http
from .homeoffice_ods import release_date_from_name

DEFAULT_BASE_URL = "https://www.gov.uk"
BASE_ENV = "CROSSINGS_GOVUK_BASE"
PUBLICATION_PATH = "/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"
LAST7_PATH = f"{PUBLICATION_PATH}/migrants-detected-crossing-the-english-channel-in-small-boats-last-7-days"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
CONTENT_EXPIRE_S = 600  # the content item says which workbook is current: re-ask often
PAGE_EXPIRE_S = 1800  # the daily page changes once a day
FILE_EXPIRE_S = 7 * 24 * 3600  # a workbook's address is new for every release, its bytes never change
CONTENT_MAX_BYTES = 4 * 1024 * 1024  # the content item is about 20 KB
FILE_MAX_BYTES = 32 * 1024 * 1024  # a workbook is about 100 KB, the daily page about 100 KB

T = TypeVar("T")
_TIME_SERIES = re.compile(r"time[\s_-]*series", re.IGNORECASE)
_LAST7 = re.compile(r"last[\s_-]*7[\s_-]*days", re.IGNORECASE)


class DiscoveryError(CrossingsError):
    """The publication on GOV.UK does not list what crossings expects; nothing was changed."""


@dataclass(frozen=True)
class Remote:
    """A file to download: its absolute URL and the name to save it under."""

    url: str
    filename: str
    title: str = ""


@dataclass(frozen=True)
class Discovery:
    """What the publication currently offers."""

    content_url: str
    public_updated_at: str | None
    workbook: Remote
    last7: Remote


def base_url(override: str | None = None) -> str:
    """The GOV.UK address: ``override``, else ``$CROSSINGS_GOVUK_BASE``, else https://www.gov.uk (no trailing /).

    Tests and mirrors point this elsewhere; every other address is discovered from the content item.
    """
    return (override or os.environ.get(BASE_ENV) or DEFAULT_BASE_URL).rstrip("/")


def content_api_url(base: str | None = None) -> str:
    """The content API address of the publication."""
    return f"{base_url(base)}/api/content{PUBLICATION_PATH}"


def absolute(url: str, base: str | None = None) -> str:
    """A link from the content item as an absolute URL: site paths (``/government/...``) are taken under ``base``."""
    if urlparse(url).scheme:
        return url
    return f"{base_url(base)}/{url.lstrip('/')}"


def _filename(att: dict, url: str) -> str:
    name = att.get("filename") or unquote(urlparse(url).path.rsplit("/", 1)[-1])
    return Path(name.replace("\\", "/")).name  # never a path: only the last component is kept


def _newest(candidates: list[tuple[int, Remote]]) -> Remote:
    """The candidate with the latest date in its file name or title; the first listed if none carries a date."""
    def key(item: tuple[int, Remote]) -> tuple[date, int]:
        pos, r = item
        d = release_date_from_name(r.filename) or release_date_from_name(r.title) or date.min
        return d, -pos
    return max(candidates, key=key)[1]


def _document_links(documents: list) -> list[dict]:
    """Attachments as links inside ``details.documents`` (rendered HTML), for items without ``attachments``."""
    out = []
    for html in documents:
        if not isinstance(html, str) or not html.strip():
            continue
        for a in lxml.html.fromstring(html).iter("a"):
            href = a.get("href")
            if href:
                title = " ".join(a.text_content().split())
                kind = "file" if urlparse(href).path.lower().endswith(".ods") else "html"
                out.append({"attachment_type": kind, "url": href, "title": title,
                            "content_type": ODS_TYPE if kind == "file" else None})
    return out


def parse_content_item(item: dict, content_url: str, base: str | None = None) -> Discovery:
    """Pick the newest 'time series' ODS workbook and the 'last 7 days' page from a publication content item."""
    if not isinstance(item, dict) or not isinstance(item.get("details"), dict):
        raise DiscoveryError(f"{content_url}: not a GOV.UK content item (no 'details')")
    details = item["details"]
    attachments = [a for a in details.get("attachments") or [] if isinstance(a, dict) and a.get("url")]
    if not attachments:
        attachments = _document_links(details.get("documents") or [])
    workbooks: list[tuple[int, Remote]] = []
    pages: list[tuple[int, Remote]] = []
    for pos, att in enumerate(attachments):
        url = absolute(str(att["url"]), base)
        title = str(att.get("title") or "")
        name = _filename(att, url)
        is_ods = att.get("content_type") == ODS_TYPE or name.lower().endswith(".ods")
        if att.get("attachment_type", "file") == "file" and is_ods and (_TIME_SERIES.search(title)
                                                                         or _TIME_SERIES.search(name)):
            workbooks.append((pos, Remote(url, name if name.lower().endswith(".ods") else f"{name}.ods", title)))
        elif att.get("attachment_type") == "html" and (_LAST7.search(title) or _LAST7.search(url)):
            pages.append((pos, Remote(url, "", title)))
    if not workbooks:
        listed = "; ".join(f"{a.get('title') or a.get('url')} ({a.get('content_type') or a.get('attachment_type')})"
                           for a in attachments) or "nothing"
        raise DiscoveryError(f"{content_url}: no ODS 'time series' workbook among the attachments (found: {listed})")
    last7 = pages[0][1] if pages else Remote(absolute(LAST7_PATH, base), "", "last 7 days")
    return Discovery(content_url, item.get("public_updated_at"), _newest(workbooks), last7)


def discover(base: str | None = None) -> Discovery:
    """Ask the GOV.UK content API which workbook and daily page are current (raises NetworkError, DiscoveryError).

    The answer is cached only once it was read as a content item listing a workbook."""
    url = content_api_url(base)

    def parse(r) -> Discovery:
        try:
            item = r.json()
        except ValueError:
            raise DiscoveryError(f"{url}: the answer is not JSON") from None
        return parse_content_item(item, url, base)

    return http.get(url, expire_after_s=CONTENT_EXPIRE_S, parse=parse, max_bytes=CONTENT_MAX_BYTES)


def download(url: str, *, expire_after_s: int = FILE_EXPIRE_S, parse: Callable[[bytes], T] | None = None,
             max_bytes: int | None = None):
    """The body of ``url`` (or ``parse(body)``) through the shared session (raises NetworkError, DiscoveryError).

    With ``parse``, the body is cached only if ``parse`` accepts it (see :func:`crossings.sources.http.get`)."""
    def check(r):
        if not r.content:
            raise DiscoveryError(f"{url}: the download is empty")
        return parse(r.content) if parse else r.content
    return http.get(url, expire_after_s=expire_after_s, parse=check,
                    max_bytes=FILE_MAX_BYTES if max_bytes is None else max_bytes)


def page_filename(fetched_on: date) -> str:
    """Name under which a copy of the daily page is saved."""
    return f"last_7_days_fetched_{fetched_on.isoformat()}.html"


def write_file(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` and flush it to disk (callers write into a staging folder, then rename)."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return path
