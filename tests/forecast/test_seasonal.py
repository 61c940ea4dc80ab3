"""The seasonal-level model: its baseline is the climatology of the previous years, its level follows a shift within
stated weeks, and its paths keep the mean it states."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.forecast.seasonal import SeasonalLevelModel, baseline, smooth, weekly_totals
from crossings.forecast.series import Series

START = pd.Timestamp("2018-01-01")  # a Monday


def _series(weekly_mean: np.ndarray, seed: int = 0, ppb: int = 40) -> Series:
    """Daily NB counts (size 1) whose weekly mean is ``weekly_mean``; ``ppb`` people per boat."""
    rng = np.random.default_rng(seed)
    mu = np.repeat(weekly_mean / 7.0, 7)
    b = rng.poisson(rng.gamma(1.0, mu)).astype(np.int64)
    return Series(START, b, b * ppb)


def _season(n_weeks: int) -> np.ndarray:
    w = np.arange(n_weeks)
    return 60.0 * np.exp(0.8 * np.sin(2 * np.pi * w / 52.0))


def test_baseline_is_the_mean_of_the_nine_weeks_by_hand():
    w = np.arange(200, dtype=float) ** 1.5
    c = baseline(w, 3)
    i = 170
    hand = np.mean([w[i - 52 * k + j] for k in (1, 2, 3) for j in (-1, 0, 1)])
    assert c[i] == pytest.approx(hand)
    assert np.isnan(c[156]) and np.isfinite(c[157])  # week 157 is the first with week 157 - 156 - 1 = 0 behind it


def test_weekly_totals_start_on_the_first_monday():
    s = Series(pd.Timestamp("2018-01-03"), np.arange(30, dtype=np.int64), np.zeros(30, np.int64))  # a Wednesday
    monday, b, _ = weekly_totals(s)
    assert monday == pd.Timestamp("2018-01-08") and b.tolist() == [sum(range(5, 12)), sum(range(12, 19)),
                                                                   sum(range(19, 26))]


def test_smoothing_by_hand():
    err, level = smooth(np.array([1.0, 0.0, 2.0]), np.array([0.5]))
    # levels 0 -> 0.5 -> 0.25 -> 1.125; errors 1, -0.5, 1.75
    assert err[0].tolist() == [1.0, -0.5, 1.75] and level[0] == pytest.approx(1.125)


def test_level_follows_a_doubling_within_six_weeks():
    """Four years of a seasonal pattern whose level wanders (a weekly log random walk, sd 0.1), then the level
    doubles: six weeks after the step the level ratio has moved at least half-way (in logs) to the doubling, and
    the forecast mean of the next week is closer to the new level than to the old one."""
    rng = np.random.default_rng(4)
    n0, n1 = 4 * 52, 6
    walk = np.exp(np.cumsum(rng.normal(0, 0.1, n0 + n1)))
    walk[n0:] = walk[n0 - 1]  # flat from the step on, so only the step moves it
    true = _season(n0 + n1) * walk
    true[n0:] *= 2.0
    s = _series(true, seed=1)
    before = SeasonalLevelModel().fit(s.upto(START + pd.Timedelta(days=7 * n0 - 1)))
    after = SeasonalLevelModel().fit(s)
    moved = np.log(after.level[0] / before.level[0]) / np.log(2.0)
    assert moved >= 0.5
    paths = after.simulate(7, 4000, np.random.default_rng(0))
    week_mean = paths.boats.sum(axis=1).mean()
    new_mean = _season(n0 + n1 + 1)[-1] * walk[-1] * 2.0
    assert abs(week_mean - new_mean) < abs(week_mean - new_mean / 2)


def test_paths_keep_the_stated_mean():
    """The mean weekly total of the paths is the level times the mean of the climatology pool's weeks, computed
    here from the raw series (within Monte Carlo error)."""
    s = _series(_season(4 * 52 + 10), seed=2)
    res = SeasonalLevelModel().fit(s)
    paths = res.simulate(14, 20000, np.random.default_rng(3))
    wk = paths.boats[:, 7:14].sum(axis=1)  # the second full week after the data end (data end is a Sunday)
    monday = s.end + pd.Timedelta(days=8)
    i = s.index_of(monday)
    pool = [s.boats[i - 364 * k + 7 * j: i - 364 * k + 7 * j + 7].sum() for k in (1, 2, 3) for j in (-1, 0, 1)]
    expect = res.level[0] * np.mean(pool)
    assert wk.mean() == pytest.approx(expect, rel=0.03)
    ppl = paths.people[:, 7:14].sum(axis=1).mean()
    assert ppl == pytest.approx(res.level[1] * 40 * np.mean(pool), rel=0.03)


def test_spread_grows_with_the_horizon_and_seed_repeats():
    s = _series(np.full(4 * 52 + 10, 70.0), seed=6)
    res = SeasonalLevelModel().fit(s)
    lv = res.level_paths(8, 20000, np.random.default_rng(0))
    sd = np.log(lv[0]).std(axis=0)
    assert (np.diff(sd) > 0).all()
    assert lv[0].mean(axis=0) == pytest.approx(np.full(8, res.level[0]), rel=0.02)
    a = res.simulate(21, 50, np.random.default_rng(9))
    b = res.simulate(21, 50, np.random.default_rng(9))
    assert np.array_equal(a.boats, b.boats) and np.array_equal(a.people, b.people)
