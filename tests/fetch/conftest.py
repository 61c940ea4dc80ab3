"""Fixture: a running local GOV.UK stand-in (see govuk_server.py), with the HTTP cache per test."""
from __future__ import annotations

from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from localserver import serving
from crossings.sources.govuk import BASE_ENV, LAST7_PATH
from govuk_server import ODS_TYPE, FakeGovUK, handler, publication_item


@pytest.fixture()
def govuk(db_path, shared_homeoffice, monkeypatch) -> Iterator[FakeGovUK]:
    """A running server with the content item, every sample workbook under /media/<id>/<name>, and the daily page."""
    state = FakeGovUK()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    item = publication_item()
    state.set_content_item(item)
    for att in item["details"]["attachments"]:
        name = att.get("filename", "")
        if name.endswith(".ods"):
            state.serve_file(urlparse(att["url"]).path, shared_homeoffice / name, ODS_TYPE)
    state.serve_file(LAST7_PATH, shared_homeoffice / "last_7_days" / "fetched_2025-12-31.html",
                     "text/html; charset=utf-8")
    monkeypatch.setenv(BASE_ENV, state.base)
    with serving(server):  # a session per test, so each test has its own HTTP cache (CROSSINGS_CACHE)
        yield state
