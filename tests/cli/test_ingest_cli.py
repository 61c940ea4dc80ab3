"""``crossings ingest`` on bad input: official files edited in the test, each refused in one line naming the file,
sheet, row and column, with exit status 1 and the store exactly as it was.

Row numbers are the ones a spreadsheet shows: the heading is row 1, so the cell the editor changes at 0-based row
index ``i`` is row ``i + 1``. In a daily page the table's heading row is row 1 and the first day row 2.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from crossings.cli import main
from crossings.store import Store
from odsedit import OdsEditor
from paths import LAST7, WB_12DEC, WB_19DEC

WB_NAME = WB_19DEC.name  # edited copies keep the official name, so the publication date is 19 December 2025
PAGE = LAST7[-1]  # fetched_2025-12-31.html: 23-29 December 2025, published 30 December 2025


@pytest.fixture(scope="module")
def sb01() -> list[list]:
    """The 19 December daily sheet as calamine reads it (independently of crossings' readers)."""
    return CalamineWorkbook.from_path(str(WB_19DEC)).get_sheet_by_name("SB_01").to_python()


def _state(db_path: Path) -> tuple:
    """Everything stored, the releases rows and observation counts, and the store file's hash."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("releases", "daily_obs", "weekly_obs")}
        n_daily = con.execute("SELECT count(*) FROM daily_obs").fetchone()[0]
    finally:
        con.close()
    return rows, n_daily, hashlib.sha256(db_path.read_bytes()).hexdigest()


@pytest.fixture()
def seeded(db_path) -> Path:
    """A store already holding the 12 December 2025 workbook (2902 days)."""
    with Store(db_path) as s:
        assert s.ingest(WB_12DEC).n_daily == 2902
    return db_path


def _refused(db_path: Path, *files: Path) -> str:
    """Run ``crossings ingest FILES``; check it failed in one line and changed nothing; return the message."""
    before = _state(db_path)
    result = CliRunner().invoke(main, ["ingest", *map(str, files)])
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("crossings: error: "), result.output
    assert _state(db_path) == before
    return lines[0].removeprefix("crossings: error: ")


def _wb(tmp_path: Path) -> Path:
    return tmp_path / WB_NAME


# --- workbooks ------------------------------------------------------------------------------------------------

def test_truncated_workbook(seeded, tmp_path):
    bad = _wb(tmp_path)
    bad.write_bytes(WB_19DEC.read_bytes()[:40_000])
    assert _refused(seeded, bad).startswith(f"file {bad}: not a readable ODS workbook (")


def test_a_page_renamed_as_a_workbook(seeded, tmp_path):
    bad = _wb(tmp_path)
    bad.write_bytes(PAGE.read_bytes())
    assert _refused(seeded, bad).startswith(f"file {bad}: not a readable ODS workbook (")


@pytest.mark.parametrize("sheet, heading", [("SB_01", "Date"), ("SB_02", "Week ending")])
def test_missing_sheet(seeded, tmp_path, sheet, heading):
    bad = OdsEditor(WB_19DEC).drop_sheet(sheet).save(_wb(tmp_path))
    others = ", ".join(s for s in ("Cover_sheet", "Notes", "SB_01", "SB_02") if s != sheet)
    assert _refused(seeded, bad) == (f"file {bad}, sheet {sheet!r}: missing sheet: no sheet has a {heading!r} "
                                     f"column (sheets found: {others})")


def test_renamed_column(seeded, tmp_path):
    bad = OdsEditor(WB_19DEC).set("SB_01", 0, 1, "People").save(_wb(tmp_path))
    msg = _refused(seeded, bad)
    assert msg.startswith(f"file {bad}, sheet 'SB_01', row 1, column 'Migrants arrived': missing column: ")
    assert "'Date', 'People', 'Boats arrived'" in msg  # the headings it did find


def test_missing_column(seeded, tmp_path):
    bad = OdsEditor(WB_19DEC).drop_column("SB_02", 5).save(_wb(tmp_path))  # 'Events prevented'
    msg = _refused(seeded, bad)
    assert msg.startswith(f"file {bad}, sheet 'SB_02', row 1, column 'Events prevented': missing column: ")
    assert "'Migrants prevented', 'Notes'" in msg


def test_text_where_a_count_is_expected(seeded, tmp_path, sb01):
    assert sb01[2000][0].date() == date(2023, 6, 23)  # the row edited below, as the official file has it
    bad = OdsEditor(WB_19DEC).set("SB_01", 2000, 2, "n/a?").save(_wb(tmp_path))
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'SB_01', row 2001, column 'Boats arrived': "
                                     "expected a count, found text 'n/a?'")


def test_negative_count(seeded, tmp_path):
    bad = OdsEditor(WB_19DEC).set("SB_02", 300, 4, -12).save(_wb(tmp_path))
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'SB_02', row 301, column 'Migrants prevented': "
                                     "negative count -12")


def test_duplicate_date(seeded, tmp_path, sb01):
    assert sb01[1][0].date() == date(2018, 1, 1)
    bad = OdsEditor(WB_19DEC).set("SB_01", 5, 0, date(2018, 1, 1)).save(_wb(tmp_path))
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'SB_01', row 6, column 'Date': "
                                     "duplicate date 2018-01-01 (first at row 2)")


def test_impossible_date(seeded, tmp_path):
    bad = OdsEditor(WB_19DEC).set("SB_01", 2900, 0, "30/02/2025").save(_wb(tmp_path))
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'SB_01', row 2901, column 'Date': "
                                     "not a valid date: '30/02/2025'")


def test_date_after_the_publication(seeded, tmp_path, sb01):
    last = len(sb01) - 1
    assert sb01[last][0].date() == date(2025, 12, 18)  # the last day of the 19 December release
    bad = OdsEditor(WB_19DEC).set("SB_01", last, 0, date(2026, 1, 15)).save(_wb(tmp_path))
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'SB_01', row {last + 1}, column 'Date': "
                                     "date 2026-01-15 is after the publication date 2025-12-19")


def test_more_uncontrolled_landings_than_boats(seeded, tmp_path, sb01):
    boats = int(sb01[2900][2])
    bad = OdsEditor(WB_19DEC).set("SB_01", 2900, 3, boats + 1).save(_wb(tmp_path))
    assert _refused(seeded, bad) == (
        f"file {bad}, sheet 'SB_01', row 2901, column 'Boats arrived - involved in uncontrolled landings': "
        f"uncontrolled landings ({boats + 1}) exceed boats arrived ({boats})")


def test_one_bad_file_among_several_stores_none_of_them(seeded, tmp_path):
    """Every file is parsed before any is written: the good files listed before a bad one are not stored."""
    good_page = tmp_path / PAGE.name
    good_page.write_bytes(PAGE.read_bytes())
    bad = OdsEditor(WB_19DEC).set("SB_01", 2000, 1, -1).save(_wb(tmp_path))
    msg = _refused(seeded, WB_19DEC, good_page, bad)
    assert msg.startswith(f"file {bad}, sheet 'SB_01', row 2001, column 'Migrants arrived': negative count -1")


def test_reordered_columns_still_parse(db_path, tmp_path, sb01):
    # Swap 'Migrants arrived' and 'Boats arrived' in both tables, and move 'Notes' before them in the daily one.
    ed = OdsEditor(WB_19DEC).swap_columns("SB_01", 1, 2).swap_columns("SB_01", 1, 4).swap_columns("SB_02", 1, 2)
    moved = ed.save(_wb(tmp_path))
    assert CalamineWorkbook.from_path(str(moved)).get_sheet_by_name("SB_01").to_python()[0][:3] == \
        ["Date", "Notes", "Migrants arrived"]
    result = CliRunner().invoke(main, ["ingest", str(moved)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db_path), read_only=True)
    got = con.execute("SELECT sum(migrants_arrived), sum(boats_arrived), count(*) FILTER (note = 'Revised') "
                      "FROM daily_obs").fetchone()
    con.close()
    # Independent totals from the official file's cells (column B migrants, C boats, E notes).
    migrants = sum(int(r[1]) for r in sb01[1:] if isinstance(r[1], float))
    boats = sum(int(r[2]) for r in sb01[1:] if isinstance(r[2], float))
    assert got == (migrants, boats, sum(1 for r in sb01[1:] if r[4] == "Revised"))


# --- daily pages ----------------------------------------------------------------------------------------------

def _page_with(tmp_path: Path, old: str, new: str, name: str = PAGE.name) -> Path:
    html = PAGE.read_text()
    assert html.count(old) == 1, old
    out = tmp_path / name
    out.write_text(html.replace(old, new))
    return out


def _cell(day: str, col: int, value: str) -> tuple[str, str]:
    """A day's row of the page, and the same row with its ``col``-th count cell (0-based) set to ``value``."""
    row = re.search(rf'<tr>\s*<th scope="row">{day}</th>(\s*<td>[^<]*</td>){{4}}\s*</tr>', PAGE.read_text())[0]
    cell = list(re.finditer(r"<td>[^<]*</td>", row))[col]
    return row, row[:cell.start()] + f"<td>{value}</td>" + row[cell.end():]


def test_page_without_the_table(seeded, tmp_path):
    html = PAGE.read_text()
    start, end = html.index("<table"), html.index("</table>") + len("</table>")
    bad = tmp_path / PAGE.name
    bad.write_text(html[:start] + html[end:])
    assert _refused(seeded, bad).startswith(f"file {bad}: no table of daily arrivals")


def test_page_with_a_negative_count(seeded, tmp_path):
    bad = _page_with(tmp_path, *_cell("25 December 2025", 1, "-3"))  # boats arrived, fourth row of the table
    assert _refused(seeded, bad) == f"file {bad}, sheet 'table', row 4, column 'Boats arrived': negative count -3"


def test_page_with_text_in_a_count(seeded, tmp_path):
    bad = _page_with(tmp_path, *_cell("29 December 2025", 0, "about 40"))
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'table', row 8, column 'Migrants arrived': "
                                     "expected a count, found text 'about 40'")


def test_page_with_a_duplicate_day(seeded, tmp_path):
    bad = _page_with(tmp_path, '<th scope="row">26 December 2025</th>', '<th scope="row">25 December 2025</th>')
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'table', row 5, column 'Date': "
                                     "duplicate date 2025-12-25 (first at row 4)")


def test_page_with_an_impossible_day(seeded, tmp_path):
    bad = _page_with(tmp_path, '<th scope="row">24 December 2025</th>', '<th scope="row">31 February 2025</th>')
    assert _refused(seeded, bad) == (f"file {bad}, sheet 'table', row 3, column 'Date': "
                                     "not a valid date: '31 February 2025'")


def test_page_with_a_renamed_column(seeded, tmp_path):
    bad = _page_with(tmp_path, '<th scope="col">Boats arrived</th>', '<th scope="col">Vessels</th>')
    assert _refused(seeded, bad).startswith(f"file {bad}, sheet 'table', row 1, column 'Boats arrived': "
                                            "missing column: ")


def test_a_good_page_is_stored(seeded):
    result = CliRunner().invoke(main, ["ingest", str(PAGE)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("added: last7days published 2025-12-30 (7 days, 0 weeks)")
