"""The workbook reader against the official 19 December 2025 release, and against edited copies of it."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from crossings.errors import InputError
from crossings.sources import read
from odsedit import OdsEditor


@pytest.fixture(scope="module")
def rel(wb19):
    return read(wb19)


def test_year_totals_match_the_published_figures(rel):
    d = rel.daily
    by_year = d.groupby(d["date"].dt.year)[["migrants_arrived", "boats_arrived"]].sum()
    # Figures as published by the Home Office for the 19 December 2025 release.
    assert by_year.loc[2024].tolist() == [36816, 695]
    assert by_year.loc[2022].tolist() == [45755, 1110]


def test_daily_values_equal_the_raw_cells(rel, wb19):
    raw = CalamineWorkbook.from_path(str(wb19)).get_sheet_by_name("SB_01").to_python()
    total_raw = sum(r[1] for r in raw[1:] if isinstance(r[1], float))
    assert int(total_raw) == int(rel.daily["migrants_arrived"].sum())
    assert len(rel.daily) == len([r for r in raw[1:] if r[0] != ""])
    assert rel.daily["date"].iloc[0] == pd.Timestamp("2018-01-01")
    assert rel.daily["date"].iloc[-1] == pd.Timestamp("2025-12-18")


def test_weekly_table_equals_weekly_sums_of_the_daily_table(rel):
    daily = rel.daily.set_index("date")[["migrants_arrived", "boats_arrived"]].resample("W-SUN").sum()
    weekly = rel.weekly.set_index("week_ending")[["migrants_arrived", "boats_arrived"]]
    joined = weekly.join(daily.add_suffix("_from_daily"), how="inner")
    assert len(joined) == len(weekly) > 400
    assert (joined["migrants_arrived"] == joined["migrants_arrived_from_daily"]).all()
    assert (joined["boats_arrived"] == joined["boats_arrived_from_daily"]).all()


def test_not_recorded_stays_distinct_from_zero(rel):
    first = rel.daily.iloc[0]
    assert first["migrants_arrived"] == 0
    assert pd.isna(first["uncontrolled_landings"])  # '-' in the file
    w = rel.weekly.set_index("week_ending")
    assert pd.isna(w.loc["2024-04-28", "migrants_prevented"])  # before preventions were published
    # SB_02, week ending 14 December 2025: 383 migrants and 14 events prevented (cells E and F of that row)
    assert w.loc["2025-12-14", "migrants_prevented"] == 383
    assert w.loc["2025-12-14", "events_prevented"] == 14
    assert rel.daily["uncontrolled_landings"].notna().sum() == rel.daily["date"].ge("2023-01-01").sum()


def test_release_date_and_notes(rel):
    assert rel.release_date == date(2025, 12, 19)
    assert not rel.release_date_inferred
    assert (rel.daily["note"] == "Revised").sum() == 9


def test_release_date_inferred_from_contents_when_the_name_lacks_it(wb19, tmp_path):
    copy = tmp_path / "timeseries.ods"
    copy.write_bytes(wb19.read_bytes())
    r = read(copy)
    assert r.release_date == date(2025, 12, 19) and r.release_date_inferred


def test_reordered_columns_and_renamed_sheet_still_parse(rel, wb19, tmp_path):
    out = OdsEditor(wb19).swap_columns("SB_01", 1, 2).rename_sheet("SB_01", "Daily arrivals").save(
        tmp_path / "19_December_2025_reordered.ods")
    r2 = read(out)
    pd.testing.assert_frame_equal(r2.daily, rel.daily)


# --- bad input: each a clear error naming the file, sheet, row and column -------------------------------------

def _edited(wb19, tmp_path, **ops) -> object:
    ed = OdsEditor(wb19)
    for sheet, row, col, value in ops.get("set", []):
        ed.set(sheet, row, col, value)
    for s in ops.get("drop", []):
        ed.drop_sheet(s)
    return ed.save(tmp_path / "19_December_2025_Small_boats_-_time_series.ods")


def test_truncated_file(wb19, tmp_path):
    bad = tmp_path / "19_December_2025_truncated.ods"
    bad.write_bytes(wb19.read_bytes()[:30000])
    with pytest.raises(InputError, match=r"truncated\.ods.*not a readable ODS workbook"):
        read(bad)


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "19_December_2025.ods"
    bad.write_text("Date,Migrants arrived\n2025-01-01,5\n")
    with pytest.raises(InputError, match="not a readable ODS workbook"):
        read(bad)


def test_missing_weekly_sheet(wb19, tmp_path):
    with pytest.raises(InputError, match=r"sheet 'SB_02': missing sheet: no sheet has a 'Week ending' column "
                                         r"\(sheets found: Cover_sheet, Notes, SB_01\)$"):
        read(_edited(wb19, tmp_path, drop=["SB_02"]))


def test_renamed_column(wb19, tmp_path):
    with pytest.raises(InputError, match=r"sheet 'SB_01', row 1, column 'Migrants arrived': missing column"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 0, 1, "People")]))


def test_text_where_a_count_is_expected(wb19, tmp_path):
    with pytest.raises(InputError, match=r"sheet 'SB_01', row 101, column 'Boats arrived': expected a count, "
                                         r"found text 'twelve'"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 100, 2, "twelve")]))


def test_negative_count(wb19, tmp_path):
    with pytest.raises(InputError, match=r"sheet 'SB_02', row 6, column 'Migrants arrived': negative count"):
        read(_edited(wb19, tmp_path, set=[("SB_02", 5, 1, -7)]))


def test_fractional_count(wb19, tmp_path):
    with pytest.raises(InputError, match=r"row 50, column 'Migrants arrived': count is not a whole number"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 49, 1, 2.5)]))


def test_duplicate_date(wb19, tmp_path):
    with pytest.raises(InputError, match=r"sheet 'SB_01', row 3, column 'Date': duplicate date 2018-01-01 "
                                         r"\(first at row 2\)"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 2, 0, date(2018, 1, 1))]))


def test_impossible_date(wb19, tmp_path):
    with pytest.raises(InputError, match=r"sheet 'SB_01', row 10, column 'Date': not a valid date: '31/02/2018'"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 9, 0, "31/02/2018")]))


def test_date_after_publication(wb19, tmp_path):
    with pytest.raises(InputError, match=r"row 10, column 'Date': date 2026-03-01 is after the publication date"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 9, 0, date(2026, 3, 1))]))


def test_uncontrolled_landings_above_boats(wb19, tmp_path):
    # row index 2900 is in 2025, where boats and uncontrolled landings are both recorded
    with pytest.raises(InputError, match=r"sheet 'SB_01', row 2901, column 'Boats arrived - involved in "
                                         r"uncontrolled landings': uncontrolled landings \(99\) exceed boats"):
        read(_edited(wb19, tmp_path, set=[("SB_01", 2900, 3, 99)]))
