"""The report page: self-contained (nothing to fetch), with the charts, figures, tables and attribution."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from lxml import html as lhtml

from crossings import ATTRIBUTION, analysis
from crossings.cli import main
from crossings.errors import InputError
from crossings.store import Store

NAV_LINKS = {"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
             "https://www.gov.uk/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"}


@pytest.fixture(scope="module")
def page(report19):
    text = report19.read_text(encoding="utf-8")
    return text, lhtml.fromstring(text)


def test_nothing_is_loaded_from_elsewhere(page):
    text, doc = page
    assert not doc.xpath("//script | //link | //iframe | //object | //embed | //img")
    for el in doc.xpath("//*[@src]"):
        pytest.fail(f"element with src: {lhtml.tostring(el)[:80]}")
    assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    # the only absolute addresses are the two links a reader may follow (licence and source), never fetched
    anchors = {a.get("href") for a in doc.xpath("//a[@href]")}
    assert anchors == NAV_LINKS
    others = set(re.findall(r"https?://[^\s\"'<>)]+", text)) - NAV_LINKS
    assert others <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, others  # XML namespaces


def test_every_chart_is_an_inline_svg_in_two_sizes(page):
    _, doc = page
    for name in ("daily", "cumulative", "people-per-boat", "calendar", "preventions"):
        svgs = doc.xpath(f"//*[local-name()='svg'][starts-with(@data-chart, '{name}-')]")
        assert len(svgs) == 2, name
        assert all(s.get("viewbox") or s.get("viewBox") for s in svgs)  # the HTML parser lowercases names
    ids = doc.xpath("//*[local-name()='svg']//@id")
    assert len(ids) == len(set(ids)), "charts on one page must not share element ids"


def test_key_figures_and_tables_show_the_analysis(page, tables19):
    _, doc = page
    daily, weekly, _ = tables19
    k = analysis.key_figures(daily, weekly)

    def fig(name):
        return doc.xpath(f"//*[@data-figure='{name}']")[0].text_content().strip()

    assert fig("ytd_people") == f"{k['ytd_people']:,}" == "40,652"
    assert fig("ytd_boats") == f"{k['ytd_boats']:,}"
    assert fig("people_per_boat_ytd") == f"{k['people_per_boat_ytd']:.1f}"
    assert fig("last_7_days_people") == f"{k['last_7_days_people']:,}"
    years = {r.xpath("td")[0].text_content().rstrip("*"): [c.text_content() for c in r.xpath("td")]
             for r in doc.xpath("//table[@data-table='years']/tbody/tr")}
    assert years["2024"][1:3] == ["36,816", "695"] and years["2022"][1:3] == ["45,755", "1,110"]
    rel = doc.xpath("//table[@data-table='releases']/tbody/tr/td")[0].text_content()
    assert rel == "19 December 2025"


def test_attribution_and_date_are_on_the_page(page):
    text, doc = page
    foot = doc.xpath("//footer")[0].text_content()
    assert ATTRIBUTION in " ".join(foot.split())
    assert "Open Government Licence v3.0" in foot
    assert "Generated on 20 December 2025, 09:30 UTC" in text


def test_cli_writes_the_report_and_refuses_other_suffixes(db_path, wb19, tmp_path, tables19):
    with Store(db_path) as s:
        s.ingest(wb19)
    out = tmp_path / "sub" / "r.html"
    res = CliRunner().invoke(main, ["report", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists() and "</html>" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r.pdf")])
    assert bad.exit_code == 1 and "ending in .html" in bad.output
    from crossings.report import build_report
    with pytest.raises(InputError):
        build_report(*tables19[:2], out_path=tmp_path / "x.txt")


def test_cli_report_on_an_empty_store_fails_in_one_line(db_path, tmp_path):
    Store(db_path).close()  # a store with no release (a missing one is a different error: readers never create it)
    res = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 1 and "the store is empty" in res.output
    assert not (tmp_path / "r.html").exists()


def test_a_period_before_preventions_has_no_preventions_chart(tables19):
    from crossings.report import render_report
    daily, weekly, releases = tables19
    text = render_report(daily[daily["date"] < "2023-06-30"], weekly[weekly["week_ending"] < "2023-06-30"], releases)
    doc = lhtml.fromstring(text)
    assert not doc.xpath("//section[@id='preventions']") and not doc.xpath("//*[@data-figure='share_prevented_year']")
    assert doc.xpath("//*[@data-figure='record_day_people']")[0].text_content() == "1,305"
    d = daily.set_index("date")["migrants_arrived"]
    n23, n22 = int(d["2023-01-01":"2023-06-29"].sum()), int(d["2022-01-01":"2022-06-29"].sum())
    lede = doc.xpath("//h1")[0].text_content()
    word = "fewer" if n23 < n22 else "more"
    assert lede.startswith(f"{n23:,} people") and f"{word} than by the same day of 2022" in lede
