"""Baselines drawn from whole observed weeks (checked against the raw series by hand), and weekly totals of paths."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crossings.forecast.baselines import Climatology, Persistence
from crossings.forecast.paths import Paths
from crossings.forecast.series import Series


def _weeks(series: Series, mondays) -> set[int]:
    return {int(series.boats[series.index_of(m):series.index_of(m) + 7].sum()) for m in mondays}


def test_climatology_draws_the_same_weeks_of_three_earlier_years(official):
    """Target week Monday 2024-07-08: the weeks starting 364 k days earlier +-7 days, k = 1..3 (nine weeks)."""
    s = official.upto(pd.Timestamp("2024-07-07"))
    paths = Climatology().fit(s).simulate(7, 3000, np.random.default_rng(0))
    target = pd.Timestamp("2024-07-08")
    allowed = [target - pd.Timedelta(days=364 * k - 7 * j) for k in (1, 2, 3) for j in (-1, 0, 1)]
    drawn = set(paths.boats.sum(axis=1).tolist())
    assert drawn <= _weeks(official, allowed)
    assert len(drawn) >= 8  # (nine weeks, some may share a total) every one of them is drawn
    assert pd.Timestamp("2023-07-10") in allowed and pd.Timestamp("2021-07-05") in allowed


def test_persistence_draws_the_last_eight_complete_weeks(official):
    """Data to Thursday 2024-07-11: the last complete week ends Sunday 7 July; eight weeks back to Monday 13 May."""
    s = official.upto(pd.Timestamp("2024-07-11"))
    paths = Persistence().fit(s).simulate(10, 3000, np.random.default_rng(1))
    assert paths.start == pd.Timestamp("2024-07-12")
    # the first simulated week (Mon 15 July) is days 3..9 of the paths
    drawn = set(paths.boats[:, 3:10].sum(axis=1).tolist())
    mondays = [pd.Timestamp("2024-05-13") + pd.Timedelta(days=7 * i) for i in range(8)]
    assert drawn <= _weeks(official, mondays) and len(drawn) >= 7
    # days are drawn with their own week: people and boats of a path day come from the same observed day
    pairs = set(zip(official.boats[official.index_of(mondays[0]):official.index_of(mondays[-1]) + 7].tolist(),
                    official.people[official.index_of(mondays[0]):official.index_of(mondays[-1]) + 7].tolist()))
    assert set(zip(paths.boats.ravel().tolist(), paths.people.ravel().tolist())) <= pairs


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


