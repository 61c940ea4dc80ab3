"""Runs, records and rolling sums: on tables where the answer is obvious by construction, and on the official file."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_frames import synthetic
from crossings import analysis


def _runs(df, kind):
    r = analysis.runs(df, top=10)
    return r[r["kind"] == kind].reset_index(drop=True)


def test_runs_by_construction():
    # 3 crossing days, 2 quiet, 5 crossing, 1 quiet, 1 crossing
    people = [5, 5, 5, 0, 0, 1, 1, 1, 1, 1, 0, 7]
    cross = _runs(synthetic(people), "crossing")
    assert list(cross["days"]) == [5, 3, 1]
    assert cross.loc[0, "start"] == pd.Timestamp("2024-01-06") and cross.loc[0, "end"] == pd.Timestamp("2024-01-10")
    assert list(cross["people"]) == [5, 15, 7]
    assert list(cross["ongoing"]) == [False, False, True]
    quiet = _runs(synthetic(people), "quiet")
    assert list(quiet["days"]) == [2, 1]


def test_a_day_not_recorded_breaks_a_run_and_is_neither_kind():
    people = [4, 4, None, 4, 4, 4, 0, None, 0]
    cross = _runs(synthetic(people), "crossing")
    assert list(cross["days"]) == [3, 2]  # not one run of 6: the '-' day splits it
    quiet = _runs(synthetic(people), "quiet")
    assert list(quiet["days"]) == [1, 1]  # the '-' day is not counted as a day without crossings
    table = analysis.run_table(synthetic(people))
    assert (table["kind"] == "not_recorded").sum() == 2


def test_runs_on_the_official_file_are_consistent_with_the_days(daily19):
    r = analysis.runs(daily19, top=5)
    d = daily19.set_index("date")["boats_arrived"]
    for _, row in r.iterrows():
        span = d.loc[row["start"]:row["end"]]
        assert len(span) == row["days"]
        assert ((span >= 1).all() if row["kind"] == "crossing" else (span == 0).all())
        # maximal: the day before and the day after are of the other kind (or outside the data)
        for edge in (row["start"] - pd.Timedelta(days=1), row["end"] + pd.Timedelta(days=1)):
            if edge in d.index:
                assert (d.loc[edge] >= 1) != (row["kind"] == "crossing")
    # longest crossing run, computed here with a plain loop over the sheet
    best = cur = 0
    for b in d.to_numpy():
        cur = cur + 1 if b >= 1 else 0
        best = max(best, cur)
    assert r[r["kind"] == "crossing"]["days"].max() == best


def test_rolling_sums_by_construction():
    people = list(range(1, 41))  # day i has i people
    r = analysis.rolling(synthetic(people))
    assert r["people_7d"].iloc[:6].isna().all()
    assert int(r["people_7d"].iloc[6]) == sum(range(1, 8))
    assert int(r["people_7d"].iloc[39]) == sum(range(34, 41))
    assert int(r["people_28d"].iloc[27]) == sum(range(1, 29))
    assert float(r["people_7d_mean"].iloc[39]) == 37.0
    assert int(r["boats_7d"].iloc[10]) == 7


def test_rolling_window_with_a_day_not_recorded_is_unknown():
    people = [1] * 10 + [None] + [1] * 10
    r = analysis.rolling(synthetic(people)).set_index("date")["people_7d"]
    na_day = pd.Timestamp("2024-01-11")
    window = r.loc[na_day:na_day + pd.Timedelta(days=6)]
    assert window.isna().all()  # every window containing the '-' day
    assert int(r.loc[na_day - pd.Timedelta(days=1)]) == 7 and int(r.loc[na_day + pd.Timedelta(days=7)]) == 7


def test_rolling_on_the_official_file(daily19, raw_daily):
    r = analysis.rolling(daily19)
    expect = raw_daily["people"].rolling(28).sum().to_numpy()
    got = r["people_28d"].astype("float64").to_numpy()
    assert np.allclose(got[27:], expect[27:])


def test_records_by_construction():
    people = [10] * 60
    people[20], people[45] = 900, 700
    boats = [1] * 60
    boats[33] = 40
    d = synthetic(people, boats=boats)
    rd = analysis.record_days(d, "people", top=3)
    assert list(rd["date"].iloc[:2]) == [pd.Timestamp("2024-01-21"), pd.Timestamp("2024-02-15")]
    assert list(rd["rank"]) == [1, 2, 3]
    assert analysis.record_days(d, "boats", top=1)["date"].iloc[0] == pd.Timestamp("2024-02-03")
    rec = analysis.records(d, top=1).set_index(["period", "measure"])
    assert rec.loc[("month", "people"), "label"] == "2024-01"
    assert int(rec.loc[("month", "people"), "people"]) == 900 + 30 * 10
    assert rec.loc[("week", "people"), "start"] == pd.Timestamp("2024-01-15")  # Monday of the week of 21 Jan


def test_record_ties_share_a_rank():
    rd = analysis.record_days(synthetic([3, 9, 9, 1]), "people", top=3)
    assert list(rd["rank"]) == [1, 1, 3]


def test_record_day_on_the_official_file(daily19, raw_daily):
    top = raw_daily.sort_values("people", ascending=False).iloc[0]
    rd = analysis.record_days(daily19, "people", top=1).iloc[0]
    assert rd["date"] == top["date"] and int(rd["people"]) == int(top["people"])
    months = raw_daily.groupby(raw_daily["date"].dt.to_period("M"))["people"].sum()
    rec = analysis.records(daily19, top=1).set_index(["period", "measure"])
    assert rec.loc[("month", "people"), "label"] == str(months.idxmax())
    assert int(rec.loc[("month", "people"), "people"]) == int(months.max())
