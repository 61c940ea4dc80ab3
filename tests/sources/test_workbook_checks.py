"""The workbook reader's checks added for issue 7 (items 1, 3, 5, 7, 14), each on the real 19 December 2025
workbook edited."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest
from lxml import etree

from crossings.errors import InputError
from crossings.sources import read
from odsedit import NS, O, T, OdsEditor

DAY_ROW = 2800  # a 2025 day in SB_01 (0-based row of the sheet; the header is row 0)
MIG, BOATS, UNCONTROLLED, NOTE = 1, 2, 3, 4


@pytest.fixture()
def ed(wb19):
    return OdsEditor(wb19)


def _day(rel, row=DAY_ROW):
    return rel.daily.iloc[row - 1]


def test_empty_cells_are_omitted_and_dash_is_not_recorded(ed, tmp_path, wb19):
    ed.set("SB_01", DAY_ROW, MIG, "").set("SB_01", DAY_ROW, BOATS, "").set("SB_01", DAY_ROW, UNCONTROLLED, "")
    ed.set("SB_01", DAY_ROW + 1, MIG, "-")
    rel = read(ed.save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods"))
    om = rel.daily_omitted
    assert om.iloc[DAY_ROW - 1].tolist() == [True, True, True]  # a row holding only its date
    assert not om.iloc[DAY_ROW]["migrants_arrived"] and rel.daily["migrants_arrived"].isna().iloc[DAY_ROW]
    assert int(om.to_numpy().sum()) == 3


def test_count_of_2_to_the_31_refused_with_its_cell(ed, tmp_path):
    out = ed.set("SB_01", DAY_ROW, MIG, 2 ** 31).save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods")
    with pytest.raises(InputError, match=rf"sheet 'SB_01', row {DAY_ROW + 1}, column 'Migrants arrived': "
                                         r"implausible count 2,147,483,648 \(more than 20,000\)"):
        read(out)


def test_weekly_bounds_are_seven_days(ed, tmp_path):
    week_row = 300
    ok = read(ed.set("SB_02", week_row, 2, 3500).save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods"))
    assert ok.weekly["boats_arrived"].iloc[week_row - 1] == 3500
    bad = OdsEditor(tmp_path / "19_December_2025_Small_boats_-_time_series.ods").set("SB_02", week_row, 2, 3501)
    with pytest.raises(InputError, match=rf"sheet 'SB_02', row {week_row + 1}, column 'Boats arrived': "
                                         r"implausible count 3,501 \(more than 3,500\)"):
        read(bad.save(tmp_path / "x_2025-12-19.ods"))


@pytest.mark.parametrize("name,year", [("19_December_2200_Small_boats_-_time_series.ods", 2200),
                                       ("19_December_2262_Small_boats_-_time_series.ods", 2262),
                                       ("19_December_2017_Small_boats_-_time_series.ods", 2017)])
def test_release_date_from_the_name_must_be_plausible(wb19, tmp_path, name, year):
    out = tmp_path / name
    out.write_bytes(wb19.read_bytes())
    with pytest.raises(InputError, match=rf"implausible release date in the file name {year}-12-19"):
        read(out)


def test_explicit_release_date_must_be_plausible(wb19):
    with pytest.raises(InputError, match=r"implausible release date 2099-01-01"):
        read(wb19, release_date=date(2099, 1, 1))


@pytest.mark.parametrize("year", [2200, 2262, 9999])
def test_row_far_in_the_future_refused_not_crashed(ed, tmp_path, year):
    # No date in the name: the release date would be inferred from the last row.
    out = ed.set("SB_01", 2909, 0, date(year, 12, 18)).save(tmp_path / "workbook.ods")
    with pytest.raises(InputError, match=rf"row 2910, column 'Date': implausible date {year}-12-18: after tomorrow"):
        read(out)


def test_uncontrolled_landings_above_boats_in_the_weekly_table(ed, tmp_path):
    week_row = 410
    boats = int(ed.get_number("SB_02", week_row, 2))
    ed.set("SB_02", week_row, 3, boats + 1)
    with pytest.raises(InputError, match=rf"sheet 'SB_02', row {week_row + 1}.*exceed boats arrived \({boats}\)"):
        read(ed.save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods"))


def test_notes_lose_terminal_escapes(ed, tmp_path):
    # lxml refuses control characters in text, so the escape goes in as a character reference in the XML.
    ed.set("SB_01", DAY_ROW, NOTE, "ESCMARK[31mRevised ESCMARK]0;titleBELMARKx")
    out = ed.save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods")
    _replace_in_content(out, b"ESCMARK", b"\x1b")
    _replace_in_content(out, b"BELMARK", b"\x07")
    rel = read(out)
    assert _day(rel)["note"] == "Revised x"  # the colour code and the window-title sequence are gone


def _replace_in_content(path, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(old, new)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for n, data in parts.items():
            z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)


def test_repeated_cells_bomb_refused_before_parsing(ed, tmp_path):
    # One small row, repeated a million times, each with a filled cell repeated a thousand times: 10^9 cells.
    sheet = ed.sheet("SB_01")
    row = etree.SubElement(sheet, f"{T}table-row")
    row.set(f"{T}number-rows-repeated", "1000000")
    cell = etree.SubElement(row, f"{T}table-cell")
    cell.set(f"{T}number-columns-repeated", "1000")
    cell.set(f"{O}value-type", "float")
    cell.set(f"{O}value", "1")
    out = ed.save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods")
    assert out.stat().st_size < 200_000
    with pytest.raises(InputError, match=r"repeated cells would expand to more than 2,000,000 cells"):
        read(out)


def test_wide_empty_run_before_a_filled_cell_refused(ed, tmp_path):
    # Few filled cells, but each sits after 16,000 empty ones on 200 repeated rows: a 3.2 million cell grid.
    row = etree.SubElement(ed.sheet("Notes"), f"{T}table-row")
    row.set(f"{T}number-rows-repeated", "200")
    etree.SubElement(row, f"{T}table-cell").set(f"{T}number-columns-repeated", "16000")
    filled = etree.SubElement(row, f"{T}table-cell")
    filled.set(f"{O}value-type", "string")
    etree.SubElement(filled, f"{{{NS['text']}}}p").text = "x"
    with pytest.raises(InputError, match=r"repeated cells would expand to more than 2,000,000 cells"):
        read(ed.save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods"))


def test_highly_compressed_member_refused(wb19, tmp_path):
    out = tmp_path / "19_December_2025_Small_boats_-_time_series.ods"
    with zipfile.ZipFile(wb19) as src, zipfile.ZipFile(out, "w") as z:
        for n in src.namelist():
            z.writestr(n, src.read(n), compress_type=zipfile.ZIP_STORED if n == "mimetype" else zipfile.ZIP_DEFLATED)
        z.writestr("Thumbnails/padding.xml", b"\0" * (20 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED)
    with pytest.raises(InputError, match=r"member Thumbnails/padding\.xml is compressed [\d,]+ to 1"):
        read(out)


def test_the_official_workbooks_pass_the_container_checks(wb19):
    rel = read(wb19)
    assert len(rel.daily) == 2909 and not rel.daily_omitted.to_numpy().any()
    assert NS["table"] in T
