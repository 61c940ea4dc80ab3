"""Baselines and weekly totals, checked against the official daily table computed independently with pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.forecast.baselines import Climatology, Persistence
from crossings.forecast.paths import Paths
from crossings.forecast.series import Series


def test_climatology_probability_is_the_month_share_in_earlier_years(official, official_frame):
    origin = pd.Timestamp("2024-06-09")  # forecast days in June 2024
    paths = Climatology(years=3).fit(official.upto(origin)).simulate(14, 20_000, np.random.default_rng(0))
    f = official_frame
    june = f[(f["date"].dt.month == 6) & f["date"].dt.year.isin([2021, 2022, 2023])]
    share = float((june["boats_arrived"] > 0).mean())
    assert paths.p_crossing == pytest.approx(np.full(14, share), abs=0.015)
    # the draws are June days of those years: their mean boats is that of the pool
    assert paths.boats.mean() == pytest.approx(float(june["boats_arrived"].mean()), rel=0.03)


def test_climatology_switches_month_at_the_month_end(official):
    origin = pd.Timestamp("2024-06-23")  # days 24 June .. 7 July
    paths = Climatology().fit(official.upto(origin)).simulate(14, 50, np.random.default_rng(0))
    upto = official.upto(origin)
    july = set(np.flatnonzero((upto.dates.month == 7) & (upto.dates.year < 2024) & (upto.dates.year >= 2021)))
    july_boats = set(upto.boats[list(july)])
    assert set(np.unique(paths.boats[:, 7:])) <= july_boats  # 1 July onwards comes from July days


def test_persistence_draws_from_the_last_14_days(official, official_frame):
    origin = pd.Timestamp("2025-09-14")
    paths = Persistence(days=14).fit(official.upto(origin)).simulate(10, 20_000, np.random.default_rng(0))
    f = official_frame.set_index("date").loc["2025-09-01":"2025-09-14"]
    assert paths.p_crossing == pytest.approx(np.full(10, (f["boats_arrived"] > 0).mean()), abs=0.015)
    pairs = set(zip(f["boats_arrived"].astype(int), f["migrants_arrived"].astype(int)))
    drawn = set(zip(paths.boats.ravel().tolist(), paths.people.ravel().tolist()))
    assert drawn == pairs  # every draw is one of those days, boats and people together


def test_weekly_totals_end_on_sunday_and_add_observed_days():
    # series Mon 2025-12-01 .. Wed 2025-12-10 with boats = 1..10; paths start Thu 11 Dec
    obs = Series(pd.Timestamp("2025-12-01"), np.arange(1, 11), np.arange(1, 11) * 10)
    b = np.array([[100, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])
    p = Paths(pd.Timestamp("2025-12-11"), b, b * 2)
    ends, wb, wp = p.weekly(obs)
    assert list(ends.date.astype(str)) == ["2025-12-14", "2025-12-21"]
    assert all(d.day_of_week == 6 for d in ends)
    # week of 8-14 Dec: observed Mon-Wed 8, 9, 10 (= 27) plus Thu-Sun of the path
    assert wb[:, 0].tolist() == [27 + 100, 27]
    assert wp[:, 0].tolist() == [270 + 200, 270]
    # week of 15-21 Dec: path days 5..11 (0-based 4..10)
    assert wb[:, 1].tolist() == [7, 0]


def test_weekly_without_observed_days_drops_the_partial_week():
    p = Paths(pd.Timestamp("2025-12-11"), np.ones((1, 11), np.int64), np.ones((1, 11), np.int64))
    ends, wb, _ = p.weekly()
    assert list(ends.date.astype(str)) == ["2025-12-21"] and wb.tolist() == [[7]]


def test_climatology_of_next_january_uses_the_januaries_before_it(official, official_frame):
    origin = pd.Timestamp("2023-12-24")  # days 25 Dec 2023 .. 7 Jan 2024
    paths = Climatology(years=3).fit(official.upto(origin)).simulate(14, 20_000, np.random.default_rng(0))
    f = official_frame
    jan = f[(f["date"].dt.month == 1) & f["date"].dt.year.isin([2021, 2022, 2023])]
    dec = f[(f["date"].dt.month == 12) & f["date"].dt.year.isin([2020, 2021, 2022])]
    assert paths.p_crossing[:7] == pytest.approx(np.full(7, (dec["boats_arrived"] > 0).mean()), abs=0.015)
    assert paths.p_crossing[7:] == pytest.approx(np.full(7, (jan["boats_arrived"] > 0).mean()), abs=0.015)
