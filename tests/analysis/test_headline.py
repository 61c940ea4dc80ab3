"""The key figures from plain rows (crossings.headline): by hand on small series, against the pandas tables of the
same questions, and read straight from the store as ``crossings stats`` reads them."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from crossings import analysis
from crossings.errors import InputError
from crossings.headline import figure_rows, figures_from_rows, key_figures_from_store


def _days(start: date, people: list, boats: list | None = None) -> list[tuple]:
    boats = [None if p is None else (1 if p else 0) for p in people] if boats is None else boats
    return [(start + timedelta(i), p, b) for i, (p, b) in enumerate(zip(people, boats))]


def test_29_february_is_compared_with_28_february_of_the_year_before():
    days = _days(date(2023, 1, 1), [10] * 425)  # 2023-01-01 to 2024-02-29, 10 people and 1 boat a day
    assert days[-1][0] == date(2024, 2, 29)
    k = figures_from_rows(days)
    assert k["ytd_through"] == "29 February"
    assert (k["ytd_people"], k["ytd_people_previous_year"]) == (600, 590)  # 60 days against 59
    assert k["ytd_people_change_pct"] == 1.7  # 100 x 10 / 590 = 1.69...
    assert (k["people_per_boat_ytd"], k["recorded_days_ytd"], k["share_crossing_days_ytd"]) == (10.0, 60, 1.0)
    assert (k["total_people"], k["total_boats"], k["first_day"]) == (4250, 425, "2023-01-01")
    assert "prevented_year" not in k and "latest_release" not in k  # no weekly table, no release date given


def test_a_missing_day_is_unknown_not_zero():
    days = _days(date(2025, 3, 1), [5] * 10 + [0] * 4 + [7, 7])
    del days[11]  # 12 March absent: the run of quiet days is cut there, the last 7 days are unknown
    k = figures_from_rows(days)
    assert k["last_7_days_people"] is None and k["last_7_days_boats"] is None
    assert (k["current_run_kind"], k["current_run_days"]) == ("crossing", 2)
    assert (k["recorded_days_ytd"], k["crossing_days_ytd"], k["ytd_people"]) == (15, 12, 64)
    assert k["share_crossing_days_ytd"] == round(12 / 15, 3)
    assert k["ytd_people_previous_year"] is None  # the series starts this year
    assert (k["record_day"], k["record_day_people"]) == ("2025-03-15", 7)  # the earliest of the two 7s


def test_quiet_days_and_no_boats_give_no_ratio():
    k = figures_from_rows(_days(date(2025, 1, 1), [0, 0, 0]))
    assert (k["current_run_kind"], k["current_run_days"]) == ("quiet", 3)
    assert k["people_per_boat_ytd"] is None  # 0 people on 0 boats: no ratio
    labels = dict(figure_rows(k))
    assert labels["People per boat this year"] == "not known"
    assert labels["Current run"] == "quiet"


def test_preventions_of_this_year_only_where_both_counts_are_known():
    weeks = [(date(2024, 12, 29), 100, None), (date(2025, 1, 5), 200, 50), (date(2025, 1, 12), None, 30),
             (date(2025, 1, 19), 300, 100)]
    k = figures_from_rows(_days(date(2025, 1, 1), [1] * 19), weeks)
    assert (k["prevented_year"], k["arrived_prevention_weeks_year"]) == (150, 500)
    assert k["prevented_through"] == "2025-01-19"
    assert k["share_prevented_year"] == round(150 / 650, 3)
    only_pages = figures_from_rows(_days(date(2025, 1, 1), [1]), [])  # a store holding daily pages only
    assert only_pages["prevented_year"] is None and only_pages["share_prevented_year"] is None
    with pytest.raises(InputError, match="more than one row for 2025-01-01"):
        figures_from_rows(_days(date(2025, 1, 1), [1]) * 2)


def test_the_same_as_the_pandas_tables_of_each_question(daily19, weekly19):
    k = analysis.key_figures(daily19, weekly19)
    ytd = analysis.year_to_date(daily19).set_index("year")
    this, prev = ytd.loc[2025], ytd.loc[2024]
    assert (k["ytd_people"], k["ytd_boats"]) == (int(this["people"]), int(this["boats"]))
    assert (k["ytd_people_previous_year"], k["ytd_boats_previous_year"]) == (int(prev["people"]), int(prev["boats"]))
    assert k["ytd_people_change_pct"] == float(this["people_change_pct"])
    assert k["ytd_boats_change_pct"] == float(this["boats_change_pct"])
    assert k["people_per_boat_ytd"] == float(this["people_per_boat"])
    assert k["people_per_boat_previous_year_ytd"] == float(prev["people_per_boat"])
    assert (k["crossing_days_ytd"], k["recorded_days_ytd"]) == (int(this["crossing_days"]), int(this["days"]))
    rec = analysis.record_days(daily19, "people", top=1).iloc[0]
    assert (k["record_day"], k["record_day_people"]) == (rec["date"].date().isoformat(), int(rec["people"]))
    run = analysis.current_run(daily19)
    assert (k["current_run_kind"], k["current_run_days"]) == (run["kind"], run["days"])
    p = analysis.preventions_by_year(weekly19).set_index("year").loc[2025]
    assert (k["prevented_year"], k["arrived_prevention_weeks_year"]) == (int(p["prevented"]), int(p["arrived"]))
    assert k["share_prevented_year"] == float(p["share_prevented"])
    assert k["prevented_through"] == p["through"].date().isoformat()


def test_from_the_store_as_from_its_tables(store19, daily19, weekly19):
    assert key_figures_from_store(store19.con) == analysis.key_figures(daily19, weekly19)
    gaps = daily19.drop(index=[100, 2000, len(daily19) - 3])  # a frame with gaps goes the same way
    days = [(d.date(), None if p is pd.NA else int(p), None if b is pd.NA else int(b))
            for d, p, b in zip(gaps["date"], gaps["migrants_arrived"], gaps["boats_arrived"])]
    assert figures_from_rows(days) == analysis.key_figures(gaps[[c for c in gaps if c != "release_date"]])
