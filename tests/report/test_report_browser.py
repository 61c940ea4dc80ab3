"""The report in headless Chromium: nothing fetched from the network, charts drawn, figures and attribution visible."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from crossings import analysis
from chromium import chromium_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


@pytest.mark.parametrize("width", [1000, 390])
def test_report_renders_offline_with_visible_charts_and_figures(browser, report19, tables19, tmp_path, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
              else route.abort())
    page = ctx.new_page()
    page.goto(report19.as_uri())
    page.wait_for_load_state("load")

    assert requests and all(u.startswith("file:") for u in requests), requests

    visible = page.locator("svg.chart-svg:visible")
    assert visible.count() == 5  # one size of each chart is shown at this width
    for i in range(visible.count()):
        box = visible.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, box
        assert box["x"] + box["width"] <= width + 1  # nothing runs off a phone screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    daily, weekly, _ = tables19
    k = analysis.key_figures(daily, weekly)
    assert page.locator("[data-figure='ytd_people']").inner_text() == f"{k['ytd_people']:,}"
    assert page.locator("[data-figure='crossing_days_ytd']").inner_text() == str(k["crossing_days_ytd"])
    assert page.locator("[data-figure='share_prevented_year']").inner_text() == \
        f"{100 * k['share_prevented_year']:.0f}%"
    foot = page.locator("footer")
    foot.scroll_into_view_if_needed()
    assert foot.is_visible() and "Open Government Licence v3.0" in foot.inner_text()

    shot = tmp_path / f"report-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    keep = os.environ.get("CROSSINGS_SCREENSHOTS")  # a folder to keep the screenshots for a look
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    ctx.close()
