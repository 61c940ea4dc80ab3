"""The daily page gets the workbook's checks (issue 7, items 1-5 and 14), each on a real saved page edited."""
from __future__ import annotations

from datetime import date

import pytest

from crossings.errors import InputError
from crossings.sources import read
from pageedit import PageEditor
from paths import LAST7

PAGE_20 = next(p for p in LAST7 if p.name == "fetched_2025-12-20.html")  # 13-19 December 2025
ROW_17 = 4  # 17 December 2025: 497 people on 9 boats
MIG, BOATS, UNCONTROLLED, NOTE = 1, 2, 3, 4


@pytest.fixture()
def page(shared_homeoffice):
    return PageEditor(PAGE_20)


def test_footnote_marker_is_dropped(page, tmp_path):
    assert page.number(ROW_17, MIG) == 497
    rel = read(page.set_html(ROW_17, MIG, "497<sup>1</sup>").save(tmp_path / "p.html"))
    assert rel.daily.set_index("date").loc["2025-12-17", "migrants_arrived"] == 497


def test_uncontrolled_landings_above_boats_refused(page, tmp_path):
    boats = page.number(ROW_17, BOATS)
    out = page.set(ROW_17, UNCONTROLLED, str(boats + 1)).save(tmp_path / "p.html")
    with pytest.raises(InputError, match=rf"row {ROW_17 + 2}, column 'Boats involved in uncontrolled landings': "
                                         rf"uncontrolled landings \({boats + 1}\) exceed boats arrived \({boats}\)"):
        read(out)


@pytest.mark.parametrize("attr", ["colspan", "rowspan"])
def test_merged_cells_refused_so_columns_never_shift(page, tmp_path, attr):
    # A merged cell spanning 'Migrants' and 'Boats', the row one cell short: read naively, 9 would be 'migrants'.
    page.attr(ROW_17, MIG, attr, "2").drop_cell(ROW_17, BOATS)
    with pytest.raises(InputError, match=rf"row {ROW_17 + 2}: merged cell \({attr}='2'\)"):
        read(page.save(tmp_path / "p.html"))


def test_decoy_table_first_does_not_win(page, tmp_path):
    page.decoy_first(["Date", "Migrants prevented", "Events prevented"], [["17 December 2025", "9999", "99"]])
    rel = read(page.save(tmp_path / "p.html"))
    assert rel.daily.set_index("date").loc["2025-12-17", "migrants_arrived"] == 497
    assert len(rel.daily) == 7


def test_two_tables_with_the_official_headings_are_refused(page, tmp_path):
    page.decoy_first(["Date", "Migrants arrived", "Boats arrived"], [["17 December 2025", "9999", "99"]])
    with pytest.raises(InputError, match="2 tables of daily arrivals in the page"):
        read(page.save(tmp_path / "p.html"))


@pytest.mark.parametrize("when", ["2099-12-20T10:47:26+00:00", "2262-04-12T00:00:00+00:00",
                                  "9999-12-31T23:59:59+00:00", "2017-12-31T10:00:00+00:00"])
def test_implausible_publication_date_refused(page, tmp_path, when):
    page.meta("govuk:public-updated-at", when).meta("govuk:updated-at", when)
    with pytest.raises(InputError, match=rf"implausible publication date \(govuk:\S+\) {when[:10]}"):
        read(page.save(tmp_path / "p.html"))


def test_later_of_updated_at_and_public_updated_at(page, tmp_path):
    # public-updated-at a day before the last row; updated-at the day after it (as on some real pages)
    page.meta("govuk:public-updated-at", "2025-12-18T09:00:00+00:00").meta("govuk:updated-at",
                                                                          "2025-12-20T10:47:27+00:00")
    assert read(page.save(tmp_path / "p.html")).release_date == date(2025, 12, 20)


def test_never_dated_before_its_last_row(page, tmp_path):
    page.meta("govuk:public-updated-at", "2025-12-17T09:00:00+00:00").meta("govuk:updated-at",
                                                                          "2025-12-17T09:00:01+00:00")
    rel = read(page.save(tmp_path / "p.html"))
    assert rel.release_date == max(rel.daily["date"]).date() == date(2025, 12, 19)
    assert rel.release_date_inferred


def test_row_dated_beyond_2262_refused_not_crashed(page, tmp_path):
    page.set(ROW_17, 0, "17 December 2300")
    with pytest.raises(InputError, match=rf"row {ROW_17 + 2}, column 'Date': implausible date 2300-12-17"):
        read(page.save(tmp_path / "p.html"))


@pytest.mark.parametrize("col,value,limit", [(MIG, 2 ** 31, 20_000), (BOATS, 501, 500), (MIG, 20_001, 20_000)])
def test_implausible_counts_refused_with_the_cell(page, tmp_path, col, value, limit):
    page.set(ROW_17, col, f"{value:,}")
    heading = {MIG: "Migrants arrived", BOATS: "Boats arrived"}[col]
    with pytest.raises(InputError, match=rf"row {ROW_17 + 2}, column '{heading}': implausible count {value:,} "
                                         rf"\(more than {limit:,}\)"):
        read(page.save(tmp_path / "p.html"))


def test_largest_plausible_count_is_accepted(page, tmp_path):
    rel = read(page.set(ROW_17, MIG, "20,000").save(tmp_path / "p.html"))
    assert rel.daily.set_index("date").loc["2025-12-17", "migrants_arrived"] == 20_000


def test_empty_cell_is_omitted_not_recorded_dash_is_not_recorded(page, tmp_path):
    rel = read(page.set(ROW_17, MIG, "").set(ROW_17 - 1, MIG, "-").save(tmp_path / "p.html"))
    d, om = rel.daily.set_index("date"), rel.daily_omitted.set_index(rel.daily["date"])
    assert d["migrants_arrived"].isna().sum() == 2
    assert bool(om.loc["2025-12-17", "migrants_arrived"])  # empty: says nothing
    assert not bool(om.loc["2025-12-16", "migrants_arrived"])  # '-': says "not recorded"
    assert not om.drop(index=[d.index[ROW_17]]).to_numpy().any()


def test_date_only_row_and_truncated_page_refused(page, tmp_path):
    with pytest.raises(InputError, match=rf"row {ROW_17 + 2}: row has 1 cells where the header has 5"):
        read(PageEditor(PAGE_20).keep_only_date(ROW_17).save(tmp_path / "a.html"))
    raw = PAGE_20.read_bytes()
    cut = tmp_path / "b.html"
    cut.write_bytes(raw[: raw.index(b"<td>497</td>") + 6])  # the download stopped inside 17 December's row
    with pytest.raises(InputError, match=r"b\.html: the page is cut short"):
        read(cut)


def test_terminal_escapes_and_controls_stripped_from_notes(page, tmp_path):
    note = "\x1b[2J\x1b[31mRevised\x1b[0m\x07 figure\x1b]0;owned\x07\u202e"
    rel = read(page.set(ROW_17, NOTE, note).save(tmp_path / "p.html"))
    got = rel.daily.set_index("date").loc["2025-12-17", "note"]
    assert got == "Revised figure"
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in "".join(rel.daily["note"]))
