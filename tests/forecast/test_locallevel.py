"""The local-level model: its level follows a known shift, zero weeks are ordinary data, spread grows with horizon."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.forecast.locallevel import LocalLevelModel
from crossings.forecast.series import Series

START = pd.Timestamp("2021-01-04")


def _nb_series(mu: np.ndarray, size: float = 0.5, seed: int = 3) -> Series:
    rng = np.random.default_rng(seed)
    b = rng.poisson(rng.gamma(size, mu / size)).astype(np.int64)
    return Series(START, b, b * 50)


@pytest.fixture(scope="module")
def shifted():
    """Two years at 4 boats a day (NB size 0.5: half the days have no boat), then 12 weeks at 12 a day."""
    n0, n1 = 730, 84
    s = _nb_series(np.r_[np.full(n0, 4.0), np.full(n1, 12.0)])
    return n0, s, LocalLevelModel().fit(s)


def test_level_follows_a_tripling_within_stated_weeks(shifted):
    """Stated: half of the log-shift within 4 weeks, three quarters within 12 (daily counts this noisy carry little
    information each; the filter sees only the days before each point)."""
    n0, s, res = shifted
    lv = res.level
    before = lv.loc[s.dates[n0 - 1]]
    assert abs(before - np.log(4.0)) < 0.25
    shift = np.log(12.0) - np.log(4.0)
    at4 = lv.loc[s.dates[n0 - 1 + 28]]
    at12 = lv.loc[s.dates[-1]]
    assert (at4 - np.log(4.0)) / shift >= 0.5
    assert (at12 - np.log(4.0)) / shift >= 0.75


def test_forecast_mean_after_the_shift_is_near_the_new_level(shifted):
    _, _, res = shifted
    paths = res.simulate(28, 4000, np.random.default_rng(0))
    weekly_mean = paths.boats.reshape(4000, 4, 7).sum(axis=2).mean()
    assert 0.6 * 84 < weekly_mean < 1.3 * 84  # true weekly mean 7 x 12


def test_zero_weeks_are_handled():
    """Three winters with four weeks of no boat at all: the fit works (no log of zero), the level falls during such
    a spell and the forecast's chance of a zero week rises; never a negative or NaN count. Hyper-parameters are
    fitted on all the data here (``refit_days=1``): the check is of the filter given a fit that has seen the spell."""
    mu = np.full(3 * 365, 3.0)
    for y in range(3):
        mu[y * 365 + 20: y * 365 + 48] = 0.0
    s = _nb_series(mu, seed=5)
    spell_end = s.start + pd.Timedelta(days=2 * 365 + 47)
    res = LocalLevelModel(refit_days=1).fit(s.upto(spell_end))
    before = res.level.loc[s.start + pd.Timedelta(days=2 * 365 + 19)]
    assert np.isfinite(res.m).all() and res.level.loc[spell_end] < before - 0.3
    zero_week = (res.simulate(7, 4000, np.random.default_rng(1)).boats.sum(axis=1) == 0).mean()
    normal = LocalLevelModel(refit_days=1).fit(s.upto(s.start + pd.Timedelta(days=2 * 365 + 200)))
    p2 = normal.simulate(7, 4000, np.random.default_rng(1))
    assert (p2.boats >= 0).all()
    assert zero_week > (p2.boats.sum(axis=1) == 0).mean()


def test_spread_grows_with_the_horizon(shifted):
    """Level innovations accumulate: the 90% interval of week 8 is wider than that of week 1."""
    _, _, res = shifted
    w = res.simulate(56, 4000, np.random.default_rng(2)).boats.reshape(4000, 8, 7).sum(axis=2)
    q = np.quantile(w, [0.05, 0.95], axis=0)
    assert (q[1, 7] - q[0, 7]) > (q[1, 0] - q[0, 0])


def test_same_seed_same_paths(shifted):
    _, _, res = shifted
    a = res.simulate(14, 100, np.random.default_rng(7))
    b = res.simulate(14, 100, np.random.default_rng(7))
    assert np.array_equal(a.boats, b.boats) and np.array_equal(a.people, b.people)


def test_hyperparameters_come_from_the_last_refit_day(shifted):
    """Every fit between two refit days uses the hyper-parameters fitted on the data up to the earlier one: rewriting
    the days after it leaves them unchanged (the filter still reads those days), rewriting a day before it does
    not."""
    from crossings.forecast.locallevel import REFIT_DAYS, refit_day
    _, s, _ = shifted
    end = s.end
    r = refit_day(end)
    assert r <= end < r + pd.Timedelta(days=REFIT_DAYS) and refit_day(r) == r
    assert (r - pd.Timestamp("2000-01-02")).days % REFIT_DAYS == 0
    base = LocalLevelModel().fit(s)
    after = s.boats.copy()
    after[s.index_of(r) + 1:] += 5
    moved_after = LocalLevelModel().fit(Series(s.start, after, after * 50))
    assert moved_after.h == base.h
    assert moved_after.m[0] != pytest.approx(base.m[0])  # the level did see the rewritten days
    before = s.boats.copy()
    before[s.index_of(r) - 30: s.index_of(r) + 1] += 5
    assert LocalLevelModel().fit(Series(s.start, before, before * 50)).h != base.h


def test_martingale_level_keeps_the_mean_of_a_random_walk():
    """Level a random walk of variance 0.01 a day from log 10, no season, almost no weather, Poisson counts: the
    mean count after 100 days is 10 e^{0.5} = 16.5 without the drift, and 10 (times e^{s^2/2} of the weather) with
    the martingale drift -q/2 a day."""
    import numpy as np

    from crossings.forecast.locallevel import LocalLevelModel, LocalLevelResults

    def mean_at_100(martingale: bool) -> float:
        model = LocalLevelModel(harmonics=0, martingale=martingale)
        h = {"q": 0.01, "phi": 0.0, "s": 0.05, "r": 1e6}
        res = LocalLevelResults(model, h, 0.0, np.array([np.log(10.0), 0.0]), np.zeros((2, 2)), None,
                                np.array([30.0]), pd.Timestamp("2024-01-01"), 1e6)
        return float(res.simulate(100, 40000, np.random.default_rng(4)).boats[:, -1].mean())

    weather = np.exp(0.05 ** 2 / 2)
    assert mean_at_100(True) == pytest.approx(10 * weather, rel=0.04)
    assert mean_at_100(False) == pytest.approx(10 * weather * np.exp(0.5), rel=0.05)


def _seasonal_series(amplitudes: list[float], seed: int) -> Series:
    """Years of 365 days with log mean log 5 + A_y cos(2 pi d / 365.25), A_y the year's amplitude; NB size 2."""
    parts = []
    for y, amp in enumerate(amplitudes):
        dates = pd.date_range(START + pd.Timedelta(days=365 * y), periods=365, freq="D")
        parts.append(np.log(5.0) + amp * np.cos(2 * np.pi * dates.day_of_year.to_numpy(float) / 365.25))
    return _nb_series(np.exp(np.concatenate(parts)), size=2.0, seed=seed)


def _amplitude(res) -> float:
    """Amplitude of the first yearly harmonic in the last filtered state (states: level, weather, b1, c1, ...)."""
    return float(np.hypot(res.m[2], res.m[3]))


def test_adaptive_season_follows_a_halved_amplitude():
    """Three years of amplitude 1.2, then one of 0.6: at the end of the halved year the adaptive model's filtered
    amplitude has come more than half way (below 0.9) and its fitted qs is well above the lower bound, while the
    static-season model still reads the three-year average (above 0.9). Hyper-parameters fitted on all the data."""
    from crossings.forecast.locallevel import BOUNDS
    s = _seasonal_series([1.2, 1.2, 1.2, 0.6], seed=11)
    adaptive = LocalLevelModel(refit_days=1).fit(s)
    static = LocalLevelModel(refit_days=1, adaptive_season=False).fit(s)
    assert adaptive.h["qs"] > 10 * BOUNDS["qs"][0]
    assert static.h["qs"] == 0.0
    assert _amplitude(adaptive) < 0.9 < _amplitude(static)


def test_static_season_keeps_qs_small_and_the_forecast_right():
    """Four years of the same amplitude 1.0 (two draws): the fitted qs lets a season coefficient drift by less than
    0.1 (standard deviation) a year, a tenth of the amplitude, and the mean of the next 28 days' total is within 10%
    of the true one, sum of 5 exp(cos(2 pi d / 365.25)) over those days."""
    for seed in (12, 22):
        s = _seasonal_series([1.0, 1.0, 1.0, 1.0], seed=seed)
        res = LocalLevelModel(refit_days=1).fit(s)
        assert np.sqrt(res.h["qs"] * 365) < 0.1
        days = pd.date_range(s.end + pd.Timedelta(days=1), periods=28, freq="D").day_of_year.to_numpy(float)
        truth = np.sum(5.0 * np.exp(np.cos(2 * np.pi * days / 365.25)))
        mean = res.simulate(28, 20000, np.random.default_rng(3)).boats.sum(axis=1).mean()
        assert mean == pytest.approx(truth, rel=0.10)
