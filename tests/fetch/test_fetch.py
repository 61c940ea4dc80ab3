"""``crossings fetch`` against a real local HTTP server standing in for GOV.UK, serving the official files."""
from __future__ import annotations

import hashlib
import socket
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.errors import NetworkError
from crossings.fetch import downloads_dir, fetch_latest
from crossings.sources import http
from crossings.sources.govuk import BASE_ENV, DiscoveryError, LAST7_PATH, parse_content_item
from crossings.store import Store
from govuk_server import CONTENT_PATH, ODS_TYPE, publication_item
from odsedit import OdsEditor
from paths import LAST7, WB_12DEC, WB_14NOV, WB_19DEC

PAGE = LAST7[-1]  # fetched_2025-12-31.html, published 30 December 2025 (its govuk:public-updated-at)
WB19_PATH = "/media/6944b7a2c8d9e0f1a2b3c402/19_December_2025_Small_boats_-_time_series.ods"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(db_path: Path) -> dict[str, list]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("releases", "daily_obs", "weekly_obs")}
    finally:
        con.close()


def _fetch(*args: str):
    return CliRunner().invoke(main, ["fetch", *args])


def _one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("crossings: error: "), result.output
    return lines[0]


def _seeded_store(db_path: Path) -> tuple[dict, str]:
    """A store holding the 12 December workbook; its rows and its file hash, to compare after a failed fetch."""
    with Store(db_path) as s:
        s.ingest(WB_12DEC)
    return _rows(db_path), _sha(db_path)


def test_fetch_stores_the_newest_workbook_and_the_daily_page(govuk, db_path):
    result = _fetch()
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("2 new releases")

    con = duckdb.connect(str(db_path), read_only=True)
    rels = con.execute("SELECT kind, release_date, origin, sha256, n_daily FROM releases ORDER BY kind DESC").fetchall()
    n_obs = con.execute("SELECT count(*) FROM daily_obs").fetchone()[0]
    con.close()
    # The workbook is the 19 December release (not the older 12 December one also listed), at its served address.
    assert rels[0] == ("workbook", date(2025, 12, 19), govuk.base + WB19_PATH, _sha(WB_19DEC), 2909)
    assert rels[1] == ("last7days", date(2025, 12, 30), govuk.base + LAST7_PATH, _sha(PAGE), 7)
    assert n_obs == 2909 + 7
    # Downloads are kept, byte for byte, beside the store; no staging folder is left behind.
    kept = sorted(downloads_dir(db_path).iterdir())
    assert {p.suffix for p in kept} == {".ods", ".html"} and len(kept) == 2
    assert {_sha(p) for p in kept} == {_sha(WB_19DEC), _sha(PAGE)}
    assert (downloads_dir(db_path) / WB_19DEC.name).exists()
    assert govuk.requested("12_December_2025_Small_boats_-_time_series.ods") == 0


def test_second_fetch_adds_nothing_and_uses_the_http_cache(govuk, db_path):
    assert _fetch().exit_code == 0
    before = _rows(db_path)
    hits = len(govuk.hits)
    again = _fetch()
    assert again.exit_code == 0, again.output
    assert again.output.strip().splitlines()[-1].endswith("nothing new")
    assert "already stored: workbook published 2025-12-19" in again.output
    assert _rows(db_path) == before
    assert len(govuk.hits) == hits  # content item, workbook and page all came from the cache
    assert len(list(downloads_dir(db_path).iterdir())) == 2


@pytest.mark.parametrize("order", [["19", "12", "14"], ["14", "12", "19"]], ids=["newest-first", "newest-last"])
def test_the_newest_workbook_is_chosen_by_its_date_not_its_place(govuk, db_path, order):
    files = {"19": WB_19DEC, "12": WB_12DEC, "14": WB_14NOV}
    item = publication_item()
    page = next(a for a in item["details"]["attachments"] if a["attachment_type"] == "html")
    atts = [page]
    for i, key in enumerate(order):
        f = files[key]
        path = f"/media/{i:024x}/{f.name}"
        govuk.serve_file(path, f, ODS_TYPE)
        atts.append({"attachment_type": "file", "id": str(100 + i), "content_type": ODS_TYPE, "filename": f.name,
                     "title": "Migrants detected crossing the English Channel in small boats – time series",
                     "url": f"https://assets.publishing.service.gov.uk{path}"})
    item["details"]["attachments"] = atts
    govuk.set_content_item(item)

    result = fetch_latest(db_path)
    workbook = next(r for r in result.ingested if r.kind == "workbook")
    assert workbook.release_date == date(2025, 12, 19)
    assert result.discovery.workbook.filename == WB_19DEC.name
    assert govuk.requested(WB_12DEC.name) == govuk.requested(WB_14NOV.name) == 0


def test_discovery_reads_the_rendered_documents_when_attachments_are_absent():
    item = publication_item()
    del item["details"]["attachments"]
    found = parse_content_item(item, "https://www.gov.uk/api/content/x")
    assert found.workbook.url == ("https://assets.publishing.service.gov.uk/media/6944b7a2c8d9e0f1a2b3c402/"
                                  "19_December_2025_Small_boats_-_time_series.ods")
    assert found.last7.url == "https://www.gov.uk" + LAST7_PATH


def test_a_publication_without_a_workbook_is_refused(govuk, db_path):
    before = _seeded_store(db_path)
    item = publication_item()
    item["details"]["attachments"] = [a for a in item["details"]["attachments"] if a["attachment_type"] == "html"]
    item["details"]["documents"] = []
    govuk.set_content_item(item)
    line = _one_error_line(_fetch())
    assert "no ODS 'time series' workbook among the attachments" in line
    assert "Small boat arrivals: last 7 days" in line  # says what it did find
    assert (_rows(db_path), _sha(db_path)) == before


def test_a_content_api_answer_that_is_not_json_is_refused(govuk, db_path):
    govuk.routes[CONTENT_PATH] = (PAGE.read_bytes(), "text/html")  # e.g. a maintenance page
    with pytest.raises(DiscoveryError, match=r"/api/content/government/publications/.*: the answer is not JSON"):
        fetch_latest(db_path)
    assert not db_path.exists()


def test_a_daily_page_without_the_table_is_refused_and_nothing_changes(govuk, db_path):
    before = _seeded_store(db_path)
    html = PAGE.read_text()
    start, end = html.index("<table"), html.index("</table>") + len("</table>")
    govuk.routes[LAST7_PATH] = ((html[:start] + html[end:]).encode(), "text/html")
    line = _one_error_line(_fetch())
    assert line.startswith(f"crossings: error: file {govuk.base}{LAST7_PATH}: no table of daily arrivals")
    # Neither the good workbook nor the bad page was stored or kept.
    assert (_rows(db_path), _sha(db_path)) == before
    assert list(downloads_dir(db_path).iterdir()) == []


def test_a_bad_workbook_is_refused_naming_its_address_sheet_row_and_column(govuk, db_path, tmp_path):
    before = _seeded_store(db_path)
    bad = OdsEditor(WB_19DEC).set("SB_01", 2000, 1, "12O").save(tmp_path / WB_19DEC.name)  # letter O for zero
    govuk.serve_file(WB19_PATH, bad, ODS_TYPE)
    line = _one_error_line(_fetch())
    assert line == (f"crossings: error: file {govuk.base}{WB19_PATH}, sheet 'SB_01', row 2001, "
                    "column 'Migrants arrived': expected a count, found text '12O'")
    assert (_rows(db_path), _sha(db_path)) == before
    assert list(downloads_dir(db_path).iterdir()) == []


def test_server_errors_are_retried(govuk, db_path):
    govuk.fail(WB19_PATH, 500, 503)
    govuk.fail(LAST7_PATH, 502)
    result = _fetch()
    assert result.exit_code == 0, result.output
    assert govuk.requested(WB19_PATH) == 3 and govuk.requested(LAST7_PATH) == 2
    assert len(Store(db_path, read_only=True).releases()) == 2


def test_a_stalled_answer_times_out_and_is_retried(govuk, db_path, monkeypatch):
    monkeypatch.setattr(http, "TIMEOUT_S", (2, 0.3))  # connect, read: shortened so the test is quick
    govuk.stall(WB19_PATH, 1.5)
    result = fetch_latest(db_path)
    assert govuk.requested(WB19_PATH) == 2  # the stalled try, abandoned after 0.3 s, then the answered one
    assert [r.added for r in result.ingested] == [True, True]


def test_a_server_that_keeps_failing_is_reported_in_one_line(govuk, db_path):
    before = _seeded_store(db_path)
    govuk.fail(WB19_PATH, *[500] * 10)
    line = _one_error_line(_fetch())
    assert f"answered HTTP 500 for {govuk.base}{WB19_PATH}: nothing changed" in line
    assert govuk.requested(WB19_PATH) == 4  # the first try and three retries
    assert (_rows(db_path), _sha(db_path)) == before


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_says_so_in_one_line_and_leaves_the_store_as_it_was(db_path, monkeypatch):
    before = _seeded_store(db_path)
    port = _closed_port()
    monkeypatch.setenv(BASE_ENV, f"http://127.0.0.1:{port}")
    line = _one_error_line(_fetch())
    assert line == f"crossings: error: cannot reach 127.0.0.1:{port} (Connection refused): nothing changed"
    assert (_rows(db_path), _sha(db_path)) == before
    assert not downloads_dir(db_path).exists()


def test_an_unknown_host_is_a_network_error(db_path):
    # '.invalid' never resolves (RFC 2606), so this is a DNS failure without touching the internet.
    with pytest.raises(NetworkError, match=r"^cannot reach www\.gov\.uk\.invalid \(.+\): nothing changed$"):
        fetch_latest(db_path, base_url="http://www.gov.uk.invalid")
    assert not db_path.exists()


def test_the_content_item_links_are_taken_from_the_api_not_built(govuk, db_path):
    # Move the workbook to a new address, as each weekly release does: fetch follows the content item.
    item = publication_item()
    moved = "/media/ffffffffffffffffffffffff/19_December_2025_Small_boats_-_time_series.ods"
    for a in item["details"]["attachments"]:
        if a.get("filename") == WB_19DEC.name:
            a["url"] = "https://assets.publishing.service.gov.uk" + moved
    govuk.set_content_item(item)
    govuk.serve_file(moved, WB_19DEC, ODS_TYPE)
    del govuk.routes[WB19_PATH]
    result = fetch_latest(db_path)
    assert result.discovery.workbook.url == govuk.base + moved
    assert [r.added for r in result.ingested] == [True, True]
    assert urlparse(result.discovery.content_url).path == \
        "/api/content/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"
