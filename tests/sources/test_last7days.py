"""The 'last 7 days' page reader against saved official pages."""
from __future__ import annotations

from datetime import date

import pytest

from crossings.errors import InputError
from crossings.sources import read
from paths import LAST7


@pytest.fixture(scope="module")
def pages(shared_homeoffice):
    return {p.name: read(p) for p in LAST7}


def test_each_page_has_seven_days_and_its_publication_date(pages):
    assert len(pages) == 4
    for rel in pages.values():
        assert rel.kind == "last7days" and len(rel.daily) == 7
        assert rel.daily["date"].is_monotonic_increasing
    # govuk:public-updated-at of the page saved on 31 December 2025
    assert pages["fetched_2025-12-31.html"].release_date == date(2025, 12, 30)


def test_page_values_agree_with_the_workbook_on_shared_days(pages, wb19):
    wb = read(wb19).daily.set_index("date")
    page = pages["fetched_2025-12-20.html"].daily.set_index("date")
    shared = page.index.intersection(wb.index)
    assert len(shared) == 6  # 13-18 December are in both
    cols = ["migrants_arrived", "boats_arrived", "uncontrolled_landings"]
    assert (page.loc[shared, cols] == wb.loc[shared, cols]).all().all()
    # 20 December 2025 first appears on the page saved on 24 December: 803 people on 13 boats
    later = pages["fetched_2025-12-24.html"].daily.set_index("date")
    assert later.loc["2025-12-20", ["migrants_arrived", "boats_arrived"]].tolist() == [803, 13]


def test_page_without_the_table(tmp_path, shared_homeoffice):
    html = LAST7[0].read_text()
    start, end = html.index("<table"), html.index("</table>") + len("</table>")
    bad = tmp_path / "fetched_2025-12-16.html"
    bad.write_text(html[:start] + html[end:])
    with pytest.raises(InputError, match=r"fetched_2025-12-16\.html: no table of daily arrivals"):
        read(bad)


def test_text_in_a_count_cell(tmp_path, shared_homeoffice):
    html = LAST7[-1].read_text()
    first_td = html.index("<td>0</td>")
    bad = tmp_path / "fetched_2025-12-31.html"
    bad.write_text(html[:first_td] + "<td>many</td>" + html[first_td + len("<td>0</td>"):])
    with pytest.raises(InputError, match=r"sheet 'table', row 2, column 'Migrants arrived': expected a count"):
        read(bad)
