"""Preventions against arrivals, key figures, all_stats: against the official file read directly."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_frames import synthetic
from crossings import analysis


def test_preventions_start_with_the_first_recorded_week(weekly19, raw_weekly):
    p = analysis.preventions(weekly19)
    first = raw_weekly.loc[raw_weekly["prevented"].notna(), "week_ending"].min()
    assert first == pd.Timestamp("2024-05-05")  # the series starts in May 2024
    assert p["week_ending"].iloc[0] == first
    assert len(p) == int((raw_weekly["week_ending"] >= first).sum())
    row = raw_weekly.set_index("week_ending").loc[first]
    got = p.iloc[0]
    assert int(got["prevented"]) == int(row["prevented"]) and int(got["arrived"]) == int(row["people"])
    assert float(got["share_prevented"]) == pytest.approx(row["prevented"] / (row["prevented"] + row["people"]),
                                                          abs=5e-4)
    since = raw_weekly[raw_weekly["week_ending"] >= first]
    assert int(p["prevented_cum"].iloc[-1]) == int(since["prevented"].sum())
    assert int(p["arrived_cum"].iloc[-1]) == int(since["people"].sum())


def test_preventions_by_year(weekly19, raw_weekly):
    y = analysis.preventions_by_year(weekly19).set_index("year")
    w = raw_weekly[raw_weekly["prevented"].notna() & (raw_weekly["week_ending"].dt.year == 2025)]
    assert int(y.loc[2025, "prevented"]) == int(w["prevented"].sum())
    assert y.loc[2025, "through"] == w["week_ending"].max()
    assert float(y.loc[2025, "share_prevented"]) == pytest.approx(
        w["prevented"].sum() / (w["prevented"].sum() + w["people"].sum()), abs=5e-4)


def test_key_figures_against_the_sheet(daily19, weekly19, raw_daily):
    k = analysis.key_figures(daily19, weekly19)
    last = raw_daily["date"].max()
    assert k["latest_day"] == last.date().isoformat() == "2025-12-18"
    this = raw_daily[(raw_daily["date"] >= "2025-01-01")]
    prev = raw_daily[(raw_daily["date"] >= "2024-01-01") & (raw_daily["date"] <= "2024-12-18")]
    assert k["ytd_people"] == int(this["people"].sum())
    assert k["ytd_people_previous_year"] == int(prev["people"].sum())
    assert k["ytd_people_change_pct"] == pytest.approx(
        100 * (this["people"].sum() / prev["people"].sum() - 1), abs=0.05)
    assert k["people_per_boat_ytd"] == pytest.approx(this["people"].sum() / this["boats"].sum(), abs=0.05)
    assert k["share_crossing_days_ytd"] == pytest.approx((this["boats"] > 0).mean(), abs=5e-4)
    assert k["last_7_days_people"] == int(raw_daily["people"].tail(7).sum())
    assert k["record_day_people"] == int(raw_daily["people"].max())
    assert k["total_people"] == int(raw_daily["people"].sum())
    assert k["latest_release"] == "2025-12-19"
    import json
    json.dumps(k)  # plain values only


def test_key_figures_last_7_days_unknown_when_a_day_is_missing():
    k = analysis.key_figures(synthetic([1] * 20 + [None] + [1] * 3))
    assert k["last_7_days_people"] is None
    assert k["current_run_kind"] == "crossing" and k["current_run_days"] == 3


def test_all_stats_names(daily19, weekly19):
    s = analysis.all_stats(daily19, weekly19)
    assert list(s)[:4] == ["totals_by_year", "totals_by_month", "totals_by_week", "year_to_date"]
    assert all(isinstance(v, pd.DataFrame) and len(v) for v in s.values())
    assert int(s["totals_by_year"].set_index("period").loc["2022", "people"]) == 45755
