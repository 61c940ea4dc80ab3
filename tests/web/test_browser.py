"""Every page in headless Chromium (Debian's): no console error, no request leaving 127.0.0.1, filters that change
the charts' data, permalinks that restore a view, the CSV download against the CLI, the doctrine lab, phone width."""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import cli
from chromium import chromium_browser

PAGES = ["/", "/map", "/releases", "/forecast", "/lab", "/data", "/methods", "/docs", "/embed/daily",
         "/embed/map", "/embed/cumulative"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


class Visit:
    """A browser context that lets only 127.0.0.1 through, counting what it blocked, and records console errors."""

    def __init__(self, browser, server, width: int = 1200):
        self.ctx = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        self.blocked: list[str] = []
        self.errors: list[str] = []
        origin = server.url

        def route(r):
            if r.request.url.startswith(origin + "/"):
                return r.continue_()
            self.blocked.append(r.request.url)
            return r.abort()
        self.ctx.route("**/*", route)
        self.page = self.ctx.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.server = server

    def open(self, path: str):
        self.page.goto(self.server.url + path)
        self.page.wait_for_load_state("networkidle", timeout=120_000)
        return self.page

    def close(self):
        self.ctx.close()


def _shot(page, name: str, tmp_path):
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    keep = os.environ.get("CROSSINGS_SCREENSHOTS")  # a folder to keep the screenshots for a look
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    return shot


def _chart_points(page, chart_id: str, trace: int = 0) -> int:
    page.wait_for_function(f"() => document.getElementById('{chart_id}') && "
                           f"document.getElementById('{chart_id}').data", timeout=120_000)
    return page.evaluate(f"document.getElementById('{chart_id}').data[{trace}].x.length")


@pytest.mark.parametrize("width", [1200, 390])
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors(browser, server, tmp_path, path, width):
    v = Visit(browser, server, width)
    page = v.open(path)
    page.wait_for_timeout(500)
    assert v.blocked == [], v.blocked
    assert v.errors == [], v.errors
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no horizontal scroll
    if path not in ("/docs", "/methods", "/data", "/releases", "/lab"):
        # charts drawn (the first forecast of a store is computed on demand: allow it time on a busy machine)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        assert page.locator(".js-plotly-plot").count() >= 1
    name = (path.strip("/").replace("/", "-") or "overview") + f"-{width}"
    assert _shot(page, name, tmp_path).stat().st_size > 10_000
    v.close()


def test_overview_figures_and_period_filter(browser, server):
    v = Visit(browser, server)
    page = v.open("/")
    key = server.get("/api/stats/key").json()
    assert page.locator("[data-figure='ytd_people']").inner_text() == f"{key['ytd_people']:,}"
    before = _chart_points(page, "chart-daily")
    page.click("#period-buttons button[data-value='90d']")
    page.wait_for_function("() => document.getElementById('chart-daily').data[0].x.length === 90", timeout=60_000)
    assert before != 90 and "period=90d" in page.url
    page.select_option("#metric", "boats")
    page.wait_for_function("() => document.getElementById('chart-daily').data[0].name.startsWith('boats')")
    assert "metric=boats" in page.url
    assert v.errors == [] and v.blocked == []
    v.close()


def test_permalink_restores_the_view(browser, server):
    v = Visit(browser, server)
    page = v.open("/?period=custom&from=2025-03-01&to=2025-03-31&metric=boats&by=year&years=2023,2025")
    assert _chart_points(page, "chart-daily") == 31
    boats = server.get("/api/series/daily", params={"start": "2025-03-01", "end": "2025-03-31"}).json()["boats"]
    assert page.evaluate("document.getElementById('chart-daily').data[0].y") == boats
    assert page.input_value("#metric") == "boats"
    page.wait_for_function("() => document.getElementById('chart-crossing_days').data")
    assert page.evaluate("document.getElementById('chart-crossing_days').data[0].x") == \
        [str(r["period"]) for r in server.get("/api/series/crossing_days", params={"by": "year"}).json()]
    page.wait_for_function("() => document.getElementById('chart-cumulative').data")
    shown = page.evaluate("document.getElementById('chart-cumulative').data.filter(t => t.visible === true)"
                          ".map(t => t.name)")
    assert shown == ["2023", "2025"]
    v.close()


def test_map_filter_and_tide_day_are_in_the_url(browser, server):
    v = Visit(browser, server)
    page = v.open("/map?day=2025-12-19")
    page.wait_for_function("() => document.getElementById('chart-map').data")
    n = page.evaluate("document.getElementById('chart-map').data.length")
    page.click("#kind-buttons button[data-kind='port']")
    page.wait_for_function(f"() => document.getElementById('chart-map').data.length === {n - 1}")
    assert "kinds=" in page.url and "port" not in page.url.split("kinds=")[1].split("&")[0]
    tide = server.get("/api/tides/gravelines", params={"day": "2025-12-19"}).json()
    page.wait_for_function("() => document.getElementById('chart-tide').data")
    assert page.evaluate("document.getElementById('chart-tide').data[0].y") == tide["level_m"]
    assert v.errors == []
    v.close()


def test_downloaded_csv_totals_equal_the_cli(browser, server, tmp_path):
    v = Visit(browser, server)
    page = v.open("/data")
    with page.expect_download() as dl:
        page.click("a[data-table='daily'][data-format='csv']")
    got = tmp_path / "web.csv"
    dl.value.save_as(got)
    out = tmp_path / "cli.csv"
    cli("export", "--table", "daily", "--format", "csv", "--out", str(out), db=server.db)
    web, ref = pd.read_csv(got), pd.read_csv(out)
    for col in ("migrants_arrived", "boats_arrived"):
        assert web[col].sum() == ref[col].sum()
    assert len(web) == len(ref)
    assert "Open Government Licence" in page.locator(".cite").inner_text()
    v.close()


def test_doctrine_lab_runs_a_small_comparison(browser, server, tmp_path):
    v = Visit(browser, server)
    page = v.open("/lab?doctrines=status_quo,sea_interception&start=2025-01-01&end=2025-02-28&replicates=20&seed=3")
    page.click("#run")
    page.wait_for_selector("#lab-summary tbody tr", timeout=240_000)
    header = page.locator("#lab-summary thead th").all_inner_texts()
    assert header == ["outcome", "status quo", "sea interception"]
    rows = page.locator("#lab-differences tbody tr").count()
    assert rows >= 5
    labels = page.locator("#lab-results .sim-label")
    assert labels.count() >= 5 and all(t.lower() == "simulated, not observed" for t in labels.all_inner_texts())
    assert "run=1" in page.url and "seed=3" in page.url
    page.wait_for_function("() => document.getElementById('chart-lab-fan').data")
    _shot(page, "lab-result-1200", tmp_path)
    assert v.errors == [] and v.blocked == []
    v.close()
