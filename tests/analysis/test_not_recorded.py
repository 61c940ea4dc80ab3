"""A day the official file marks '-' (edited into a real workbook): left out of sums, ends runs, blanks windows."""
from __future__ import annotations

import pandas as pd
import pytest

from crossings import analysis
from crossings.store import Store
from odsedit import OdsEditor

DAY = pd.Timestamp("2020-08-10")  # inside the longest run of crossing days, 4 to 17 August 2020


@pytest.fixture(scope="module")
def edited(tmp_path_factory, wb19, raw_daily):
    row = int(raw_daily.index[raw_daily["date"] == DAY][0]) + 1  # + the header row
    path = tmp_path_factory.mktemp("edited") / "19_December_2025_Small_boats_-_time_series.ods"
    OdsEditor(wb19).set("SB_01", row, 1, "-").set("SB_01", row, 2, "-").save(path)
    with Store(tmp_path_factory.mktemp("store") / "s.duckdb") as s:
        s.ingest(path)
        return s.daily()


def test_the_edited_day_is_not_recorded(edited):
    d = edited.set_index("date")
    assert d.loc[DAY, "migrants_arrived"] is pd.NA and d.loc[DAY, "boats_arrived"] is pd.NA


def test_totals_leave_the_day_out_rather_than_count_zero(edited, raw_daily):
    t = analysis.totals(edited, "year").set_index("period").loc["2020"]
    y = raw_daily[(raw_daily["date"].dt.year == 2020) & (raw_daily["date"] != DAY)]
    assert int(t["people"]) == int(y["people"].sum())
    assert int(t["days"]) == 365 and not t["complete"]  # 366 days in 2020, one unknown
    assert float(t["share_crossing_days"]) == pytest.approx((y["boats"] > 0).sum() / 365, abs=5e-4)


def test_the_day_splits_the_run_it_was_in(edited, raw_daily):
    longest = analysis.runs(edited, top=1)
    assert longest[longest["kind"] == "crossing"]["start"].tolist() != [pd.Timestamp("2020-08-04")]
    t = analysis.run_table(edited).set_index("start")
    assert t.loc[pd.Timestamp("2020-08-04"), "days"] == 6 and t.loc[pd.Timestamp("2020-08-04"), "kind"] == "crossing"
    assert t.loc[DAY, "kind"] == "not_recorded" and t.loc[DAY, "days"] == 1
    assert t.loc[DAY + pd.Timedelta(days=1), "days"] == 7


def test_rolling_windows_over_the_day_are_unknown(edited):
    r = analysis.rolling(edited).set_index("date")
    assert r.loc[DAY:DAY + pd.Timedelta(days=6), "people_7d"].isna().all()
    assert r.loc[DAY:DAY + pd.Timedelta(days=27), "people_28d"].isna().all()
    assert r.loc[DAY + pd.Timedelta(days=7), "people_7d"] is not pd.NA
