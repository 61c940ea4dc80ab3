"""Totals, year to date, people per boat, crossing days, uncontrolled landings: against the official file."""
from __future__ import annotations

import pandas as pd
import pytest

from crossings import analysis
from crossings.errors import InputError

from analysis_frames import synthetic


def _year(t: pd.DataFrame, period: str) -> pd.Series:
    return t.set_index("period").loc[period]


def test_year_totals_match_the_published_figures(daily19):
    # Published in the 19 December 2025 release: 2024 36,816 people on 695 boats; 2022 45,755 people on 1,110 boats.
    t = analysis.totals(daily19, "year")
    assert (int(_year(t, "2024")["people"]), int(_year(t, "2024")["boats"])) == (36816, 695)
    assert (int(_year(t, "2022")["people"]), int(_year(t, "2022")["boats"])) == (45755, 1110)
    assert _year(t, "2024")["people_per_boat"] == pytest.approx(36816 / 695, abs=0.05)


@pytest.mark.parametrize("by,key", [("month", "%Y-%m"), ("week", None)])
def test_month_and_week_totals_equal_sums_of_the_sheet(daily19, raw_daily, by, key):
    t = analysis.totals(daily19, by).set_index("start")
    if by == "month":
        start = raw_daily["date"].dt.to_period("M").dt.start_time
    else:  # weeks run Monday to Sunday
        start = raw_daily["date"] - pd.to_timedelta(raw_daily["date"].dt.day_of_week, unit="D")
    expect = raw_daily.groupby(start)[["people", "boats"]].sum()
    assert len(t) == len(expect)
    assert (t["people"].astype(int).to_numpy() == expect["people"].to_numpy()).all()
    assert (t["boats"].astype(int).to_numpy() == expect["boats"].to_numpy()).all()
    days = raw_daily.groupby(start)["boats"].apply(lambda s: int((s >= 1).sum()))
    assert (t["crossing_days"].to_numpy() == days.to_numpy()).all()


def test_weekly_sums_of_days_agree_with_the_official_weekly_table(daily19, raw_weekly):
    t = analysis.totals(daily19, "week").set_index("end")
    w = raw_weekly.set_index("week_ending")
    common = t.index.intersection(w.index)
    assert len(common) > 400
    assert (t.loc[common, "people"].astype(int) == w.loc[common, "people"].astype(int)).all()


def test_year_to_date_against_a_hand_filter(daily19, raw_daily):
    last = raw_daily["date"].max()
    ytd = analysis.year_to_date(daily19).set_index("year")
    for year in (2023, 2024, 2025):
        window = raw_daily[(raw_daily["date"].dt.year == year)
                           & (raw_daily["date"] <= pd.Timestamp(year, last.month, last.day))]
        assert int(ytd.loc[year, "people"]) == int(window["people"].sum())
        assert int(ytd.loc[year, "boats"]) == int(window["boats"].sum())
    p24, p25 = int(ytd.loc[2024, "people"]), int(ytd.loc[2025, "people"])
    assert float(ytd.loc[2025, "people_change_pct"]) == pytest.approx(100 * (p25 - p24) / p24, abs=0.05)


def test_year_to_date_as_of_an_earlier_day_uses_only_data_up_to_it(daily19, raw_daily):
    ytd = analysis.year_to_date(daily19, as_of="2025-06-30").set_index("year")
    assert ytd.index.max() == 2025
    h1 = raw_daily[(raw_daily["date"] >= "2025-01-01") & (raw_daily["date"] <= "2025-06-30")]
    assert int(ytd.loc[2025, "people"]) == int(h1["people"].sum())


def test_year_to_date_on_29_february_compares_with_28_february():
    d = synthetic([1] * 366 + [2] * 60, start="2023-03-01")  # 2023-03-01 .. 2024-04-29
    ytd = analysis.year_to_date(d, as_of="2024-02-29").set_index("year")
    assert ytd.loc[2023, "through"] == pd.Timestamp("2023-02-28")
    assert int(ytd.loc[2024, "days"]) == 31 + 29


def test_people_per_boat_and_crossing_days_by_year(daily19, raw_daily):
    ppb = analysis.people_per_boat(daily19, "year").set_index("period")
    cd = analysis.crossing_days(daily19, "year").set_index("period")
    y = raw_daily[raw_daily["date"].dt.year == 2023]
    assert float(ppb.loc["2023", "people_per_boat"]) == pytest.approx(y["people"].sum() / y["boats"].sum(), abs=0.05)
    assert int(cd.loc["2023", "crossing_days"]) == int((y["boats"] > 0).sum())
    assert float(cd.loc["2023", "share_crossing_days"]) == pytest.approx((y["boats"] > 0).mean(), abs=5e-4)


def test_uncontrolled_landings_only_where_recorded(daily19, raw_daily):
    u = analysis.uncontrolled(daily19, "year")
    rec = raw_daily[raw_daily["ul"].notna()]
    assert list(u["period"]) == sorted(rec["date"].dt.year.astype(str).unique())
    assert int(u["uncontrolled_landings"].sum()) == int(rec["ul"].sum())
    assert int(u.set_index("period").loc["2024", "boats"]) == 695


def test_a_day_not_recorded_is_not_counted_as_zero():
    d = synthetic([10, None, 30], boats=[1, None, 2])
    t = analysis.totals(d, "year").iloc[0]
    assert int(t["people"]) == 40 and int(t["days"]) == 2 and not t["complete"]
    assert float(t["share_crossing_days"]) == 1.0  # 2 crossing days of 2 recorded, not 2 of 3
    all_na = analysis.totals(synthetic([None, None], boats=[None, None]), "year").iloc[0]
    assert all_na["people"] is pd.NA


def test_missing_days_are_added_as_unknown():
    d = synthetic([5, 5, 5]).drop(index=1)
    t = analysis.totals(d, "year").iloc[0]
    assert int(t["days"]) == 2 and int(t["people"]) == 10


def test_bad_input_names_the_problem():
    with pytest.raises(InputError, match="lacks column"):
        analysis.totals(pd.DataFrame({"date": []}), "year")
    with pytest.raises(InputError, match="unknown period"):
        analysis.totals(synthetic([1]), "fortnight")
    with pytest.raises(InputError, match="empty"):
        analysis.totals(synthetic([]), "year")
    dup = pd.concat([synthetic([1]), synthetic([2])])
    with pytest.raises(InputError, match="more than one row for 2024-01-01"):
        analysis.totals(dup, "year")
