"""The Forecast page's controls in headless Chromium: an as-of date and a model redraw both charts with the numbers
``/api/forecast`` gives for them, a past as-of overlays what happened (weekly totals summed here from the store),
the view lives in the URL, and an API error is shown as its one line."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from chromium import chromium_browser
from conftest import start_server, stop_server
from test_browser import Visit, _shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The store holds the releases of 14 Nov (data to 13 Nov), 12 Dec and 19 Dec 2025 (data to 18 Dec). From Monday
# 17 November only the first was published; of its 8 weeks, those ending 23 Nov - 14 Dec are observed in full,
# the week ending 21 Dec in part.
AS_OF, MODEL = "2025-11-17", "seasonal"
LEVELS = ("0.05", "0.25", "0.5", "0.75", "0.95")
NOTE_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


def _wait_note(page, text: str) -> str:
    page.wait_for_function("(t) => document.getElementById('forecast-note').textContent.includes(t)", arg=text,
                           timeout=NOTE_TIMEOUT_MS)
    return page.inner_text("#forecast-note")


def _traces(page, chart: str) -> dict[str, dict]:
    """The chart's traces by name (the fan's unnamed bounds as 'upper 90%' and 'upper 50%', in drawing order)."""
    data = page.evaluate(f"document.getElementById('{chart}').data"
                         ".map(t => ({name: t.name || null, x: t.x, y: t.y}))")
    out, uppers = {}, iter(["upper 90%", "upper 50%"])
    for t in data:
        out[t["name"] or next(uppers)] = t
    return out


def _assert_fan(traces: dict, rows: list[dict], key: str) -> None:
    """The plotted quantiles are those of ``rows`` (the API's daily or weekly rows)."""
    x = [r[key] for r in rows]
    for name, lv in (("upper 90%", "0.95"), ("90% range", "0.05"), ("upper 50%", "0.75"), ("50% range", "0.25"),
                     ("median forecast", "0.5")):
        assert traces[name]["x"] == x
        assert traces[name]["y"] == [r["people"][lv] for r in rows], name


def _store_days(server) -> pd.Series:
    """People per calendar day in the store's newest data, a day not recorded as NaN."""
    from crossings.store import Store
    with Store(server.db, read_only=True) as s:
        d = s.daily()
    people = d.set_index(pd.to_datetime(d["date"]))["migrants_arrived"].astype("float64")
    return people.reindex(pd.date_range(people.index.min(), people.index.max(), freq="D"))


def _observed_weeks(days: pd.Series, week_endings: list[str]) -> dict[str, float]:
    """Monday-Sunday totals of the weeks with all seven days recorded."""
    out = {}
    for we in week_endings:
        week = days.reindex(pd.date_range(end=pd.Timestamp(we), periods=7, freq="D"))
        if week.notna().all():
            out[we] = float(week.sum())
    return out


def test_a_shared_link_opens_in_that_state_and_overlays_what_happened(browser, server, tmp_path):
    v = Visit(browser, server)
    page = v.open(f"/forecast?as_of={AS_OF}&model={MODEL}")
    note = _wait_note(page, "Model ")
    assert note.startswith(f"Model {MODEL};") and note.lower().count("model") == 1  # named once
    assert page.input_value("#as-of") == AS_OF and page.input_value("#model") == MODEL
    api = server.get("/api/forecast", params={"as_of": AS_OF, "model": MODEL}).json()
    assert api["as_of"] == AS_OF and api["model"] == MODEL
    days, weeks = _traces(page, "chart-forecast_days"), _traces(page, "chart-forecast_weeks")
    _assert_fan(days, api["daily"], "date")
    _assert_fan(weeks, api["weekly"], "week_ending")

    # what happened, day by day: the store's people on the forecast's days (a day not recorded: null, not 0)
    store = _store_days(server)
    shown = [d["date"] for d in api["daily"] if pd.Timestamp(d["date"]) <= store.index.max()]
    assert days["what happened"]["x"] == shown
    assert days["what happened"]["y"] == [None if pd.isna(store[d]) else float(store[d]) for d in shown]
    assert max(days["observed"]["x"]) < AS_OF

    # what happened, week by week: totals of complete weeks only, and the count inside the ranges
    want = _observed_weeks(store, [w["week_ending"] for w in api["weekly"]])
    assert 0 < len(want) < len(api["weekly"])  # some weeks observed in full, some not (both paths exercised)
    markers = weeks["observed week total"]
    assert dict(zip(markers["x"], markers["y"])) == want
    q = {w["week_ending"]: w["people"] for w in api["weekly"]}
    n90 = sum(q[w]["0.05"] <= p <= q[w]["0.95"] for w, p in want.items())
    n50 = sum(q[w]["0.25"] <= p <= q[w]["0.75"] for w, p in want.items())
    m = len(want)
    assert f"{n90} of {m} observed weeks fell inside the 90% range and {n50} of {m} inside the 50% range" in note
    assert f"--as-of {AS_OF}" in page.inner_text("#forecast-command")
    assert f"--model {MODEL}" in page.inner_text("#forecast-command")
    assert v.errors == [] and v.blocked == []
    _shot(page, "forecast-as-of-1200", tmp_path)

    # the chart's embed link carries the view, and the embed draws the same forecast and the same markers
    href = page.get_attribute("#fig-forecast_weeks a.embed-link", "href")
    assert href == f"/embed/forecast_weeks?as_of={AS_OF}&model={MODEL}"
    page = v.open(href)
    page.wait_for_function("() => document.getElementById('chart-forecast_weeks').data", timeout=NOTE_TIMEOUT_MS)
    embedded = _traces(page, "chart-forecast_weeks")
    _assert_fan(embedded, api["weekly"], "week_ending")
    assert dict(zip(embedded["observed week total"]["x"], embedded["observed week total"]["y"])) == want
    v.close()


def test_the_controls_redraw_from_the_default_without_parameters(browser, server):
    v = Visit(browser, server)
    asked: list[str] = []
    v.page.on("request", lambda r: asked.append(r.url) if "/api/forecast" in r.url else None)
    page = v.open("/forecast")
    _wait_note(page, "Model ")
    default = server.get("/api/forecast").json()
    assert asked[0] == server.url + "/api/forecast"  # the cached default: no parameters
    assert page.input_value("#as-of") == default["as_of"] and "?" not in page.url
    _assert_fan(_traces(page, "chart-forecast_weeks"), default["weekly"], "week_ending")
    assert "observed week total" not in _traces(page, "chart-forecast_weeks")  # nothing observed after it yet

    as_of, model = "2025-12-01", "climatology"
    page.get_by_label("Model").select_option(model)  # the controls are found by their labels
    page.get_by_label("Forecast as of").fill(as_of)
    page.wait_for_function("(t) => document.getElementById('forecast-command').textContent.includes(t)",
                           arg=f"--as-of {as_of}", timeout=NOTE_TIMEOUT_MS)
    _wait_note(page, "Model ")
    api = server.get("/api/forecast", params={"as_of": as_of, "model": model}).json()
    _assert_fan(_traces(page, "chart-forecast_days"), api["daily"], "date")
    _assert_fan(_traces(page, "chart-forecast_weeks"), api["weekly"], "week_ending")
    assert re.search(rf"[?&]as_of={as_of}(&|$)", page.url) and re.search(rf"[?&]model={model}(&|$)", page.url)
    assert f"--model {model}" in page.inner_text("#forecast-command")

    page.click("#forecast-latest")  # back to the default: the URL and the request carry no parameters again
    page.wait_for_function("() => !document.getElementById('forecast-command').textContent.includes('--as-of')",
                           timeout=NOTE_TIMEOUT_MS)
    assert "?" not in page.url and asked[-1] == server.url + "/api/forecast"
    assert v.errors == [] and v.blocked == []
    v.close()


def test_a_future_date_typed_in_shows_the_api_message(browser, server, tmp_path):
    v = Visit(browser, server)
    page = v.open("/forecast")
    _wait_note(page, "Model ")
    future = date(date.today().year + 2, 1, 1).isoformat()
    page.fill("#as-of", future)
    error = server.get("/api/forecast", params={"as_of": future}).json()["error"]
    assert "\n" not in error and "future" in error
    page.wait_for_function("(t) => document.getElementById('forecast-note').textContent === t", arg=error,
                           timeout=NOTE_TIMEOUT_MS)
    for chart in ("chart-forecast_days", "chart-forecast_weeks"):  # the line in place of each chart, not a blank
        assert page.inner_text(f"#{chart}") == error
    assert page.inner_text("#forecast-command") == ""
    assert f"as_of={future}" in page.url
    _shot(page, "forecast-error-1200", tmp_path)
    v.close()


def test_a_day_not_recorded_leaves_its_week_undrawn_and_uncounted(browser, fresh_store):
    from crossings.store import Store
    gap = "2025-11-26"  # a Wednesday of the week ending 30 November, observed in full in the sample store
    with Store(fresh_store) as s:
        s.con.execute("DELETE FROM daily_obs WHERE date = ?", [gap])
    srv = start_server(fresh_store)
    try:
        v = Visit(browser, srv)
        page = v.open(f"/forecast?as_of={AS_OF}&model={MODEL}")
        note = _wait_note(page, "Model ")
        api = srv.get("/api/forecast", params={"as_of": AS_OF, "model": MODEL}).json()
        store = _store_days(srv)
        assert pd.isna(store[gap])
        want = _observed_weeks(store, [w["week_ending"] for w in api["weekly"]])
        assert "2025-11-30" not in want and len(want) >= 1
        markers = _traces(page, "chart-forecast_weeks")["observed week total"]
        assert dict(zip(markers["x"], markers["y"])) == want
        happened = _traces(page, "chart-forecast_days")["what happened"]
        assert gap not in [x for x, y in zip(happened["x"], happened["y"]) if y is not None]  # no dot, not a zero
        assert f" of {len(want)} observed weeks fell inside the 90% range" in note
        v.close()
    finally:
        stop_server(srv)
