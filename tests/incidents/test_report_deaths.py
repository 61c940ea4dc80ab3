"""The report's deaths-and-incidents section, map and event markers."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape
from click.testing import CliRunner

from crossings.cli import main


@pytest.fixture(scope="module")
def page(_loaded_template, tmp_path_factory) -> str:
    """The report of a store holding the workbook, the IOM extract and the prefecture figures (built once)."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--db", str(_loaded_template)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _section(page: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}">(.*?)</section>', page, re.S)
    assert m, sid
    return m.group(1)


def test_deaths_section_charts_and_map_each_carry_source_and_licence(page, iom_csv):
    import pandas as pd
    raw = pd.read_csv(iom_csv, na_values=["NA"], keep_default_na=False)
    deaths = _section(page, "deaths")
    assert f"{int(raw['No. dead/missing'].sum())} people recorded dead or missing" in deaths
    for sid in ("deaths", "deaths-rate", "incident-map"):
        sec = _section(page, sid)
        assert sec.count("<svg") == 2, sid  # wide and narrow
        src = re.findall(r'<p class="source">(.*?)</p>', sec, re.S)
        assert src and "IOM Missing Migrants Project" in src[-1] + src[0] and "CC BY 4.0" in " ".join(src), sid
    assert "minimum estimates" in deaths
    themap = _section(page, "incident-map")
    assert "GSHHG" in themap and "LGPL" in themap and 'data-chart="incident-map-7"' in themap
    rate = _section(page, "deaths-rate")
    assert "Open Government Licence" in rate and "45,000" in rate  # prefecture attempts, 2024


def test_event_markers_on_daily_and_cumulative_charts_are_labelled_and_sourced(page):
    from crossings.events import shipped_events
    daily = _section(page, "daily")
    items = re.findall(r'<li value="(\d+)" data-event="([a-z0-9-]+)">(.*?)</li>', daily, re.S)
    by_id = {e.id: e for e in shipped_events()}
    assert len(items) >= 5
    for n, eid, text in items:
        ev = by_id[eid]
        assert ev.date.year >= 2024  # the daily chart starts in January of the previous year
        assert str(escape(ev.title)) in text
        assert all(s in text for s in ev.sources)
    assert "one-in-one-out-starts" in {i[1] for i in items}
    cumulative = _section(page, "cumulative")
    cum_ids = set(re.findall(r'data-event="([a-z0-9-]+)"', cumulative))
    assert cum_ids and all(by_id[i].date.year == 2025 for i in cum_ids)
    assert "does not say that an event caused" in daily
