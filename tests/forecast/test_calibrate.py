"""Calibrating the combined forecast on earlier forecasts: the split-conformal tail factor and the shrunk level
factor, against hand-worked cases and forecasters of known miscalibration."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from crossings.forecast.calibrate import covering_scores, coverage_factor, coverage_factors, level_factor
from crossings.forecast.combine import spread, tail_factors
from crossings.forecast.paths import LEVELS


def test_covering_scores_by_hand():
    """Quantiles 0, 10, 20, 30, 40: 50 needs the upper tail doubled (30 + 2 x 10), 5 half the lower (10 - 0.5 x
    10), 25 is inside the quartiles; with no upper tail (30, 30) an outcome above is never covered."""
    q = np.array([[0.0, 10.0, 20.0, 30.0, 40.0]] * 3 + [[0.0, 10.0, 20.0, 30.0, 30.0]])
    assert covering_scores(np.array([50.0, 5.0, 25.0, 31.0]), q).tolist() == [2.0, 0.5, 0.0, np.inf]


def test_coverage_factor_is_the_conformal_rank_by_hand():
    """Nine cases of scores 0.1 .. 0.9: the ceil(10 x 0.9) = 9th smallest, 0.9; with coverage 0.5 the 5th, 0.5."""
    q = np.tile([0.0, 10.0, 20.0, 30.0, 40.0], (9, 1))
    obs = 30.0 + 10.0 * np.arange(1, 10) / 10
    assert coverage_factor(obs, q) == pytest.approx(0.9)
    assert coverage_factor(obs, q, coverage=0.5) == pytest.approx(0.5)
    assert coverage_factor(obs[:5], q[:5]) == 3.0  # ceil(6 x 0.9) = 6 > 5 cases: the upper bound
    assert coverage_factor(np.array([]), np.zeros((0, 5))) == 1.0


def test_coverage_factor_halves_tails_twice_too_wide_and_then_covers_nominally():
    """Outcomes N(100, 10); forecast quartiles right but its 5% and 95% quantiles twice as far from them as they
    should be: the factor is 0.5 (within the sampling error of 4000 cases), and with it the 90% interval holds
    0.90 of new outcomes."""
    rng = np.random.default_rng(3)
    z = norm.ppf(LEVELS)
    true_q = 100 + 10 * z
    wide = true_q.copy()
    wide[[0, 4]] = true_q[[1, 3]] + 2 * (true_q[[0, 4]] - true_q[[1, 3]])
    q = np.tile(wide, (4000, 1))
    f = coverage_factor(rng.normal(100, 10, 4000), q)
    assert f == pytest.approx(0.5, abs=0.03)
    fixed = spread(q, f)
    new = rng.normal(100, 10, 4000)
    assert np.mean((new >= fixed[:, 0]) & (new <= fixed[:, 4])) == pytest.approx(0.9, abs=0.015)


def test_level_factor_by_hand_and_shrunk():
    """Observed 80 + 120 against forecast 100 + 150: ratio 0.8; all of it kept gives 0.8, half 0.9, none 1."""
    obs, mean = np.array([80.0, 120.0]), np.array([100.0, 150.0])
    assert level_factor(obs, mean, 1.0) == pytest.approx(0.8)
    assert level_factor(obs, mean, 0.5) == pytest.approx(0.9)
    assert level_factor(obs, mean, 0.0) == 1.0
    assert level_factor(obs, np.zeros(2), 1.0) == 1.0
    assert level_factor(obs * 10, mean, 1.0) == 2.0  # bounded


def test_level_factor_corrects_a_forecaster_biased_by_a_known_factor():
    """Outcomes Poisson(mu) with mu varying; a forecaster whose mean is 1.25 mu: the full factor brings its mean
    within 2% of mu over new cases."""
    rng = np.random.default_rng(8)
    mu = rng.uniform(20, 400, 3000)
    obs = rng.poisson(mu)
    c = level_factor(obs, 1.25 * mu, 1.0)
    assert c == pytest.approx(0.8, rel=0.02)
    new_mu = rng.uniform(20, 400, 3000)
    assert (c * 1.25 * new_mu).sum() / rng.poisson(new_mu).sum() == pytest.approx(1.0, abs=0.02)


def test_coverage_factors_each_tail_by_hand():
    """Nineteen cases of quantiles 0, 10, 20, 30, 40: outcomes 30 + 1..9 (upper scores 0.1..0.9), 10 - 1..9 (lower
    scores 0.1..0.9) and one at the median. Each tail at 0.95: the ceil(20 x 0.95) = 19th smallest of its scores
    (zeros for the cases on the other side), 0.9 for both."""
    q = np.tile([0.0, 10.0, 20.0, 30.0, 40.0], (19, 1))
    k = np.arange(1, 10)
    obs = np.concatenate([30.0 + k, 10.0 - k, [20.0]])
    assert coverage_factors(obs, q) == pytest.approx((0.9, 0.9))
    # only upper misses: the lower factor is the bound's floor, the upper one 0.9
    up = np.concatenate([30.0 + k, np.full(10, 20.0)])
    assert coverage_factors(up, q) == pytest.approx((0.25, 0.9))


def test_tail_factors_shrink_only_the_tail_too_long():
    """Outcomes N(100, 10^2); the forecast's quartiles and lower tail right, its upper tail twice too long: the
    lower factor stays near 1 and the upper one is near 1/2."""
    rng = np.random.default_rng(4)
    obs = rng.normal(100, 10, 20000)
    q = 100 + 10 * norm.ppf(LEVELS)
    q[4] = q[3] + 2 * (q[4] - q[3])
    lo, hi = tail_factors(obs, np.tile(q, (obs.size, 1))[:, None, :], np.array([1.0]))
    assert lo == pytest.approx(1.0, abs=0.05) and hi == pytest.approx(0.5, abs=0.05)


def _mean_fit(obs, q, w):
    """A stand-in tail factor: 1 + the mean outcome (so its bootstrap standard error is known analytically)."""
    return 1.0 + float(np.mean(obs))


def test_shrunk_factor_moves_towards_1_by_the_bootstrap_se_of_whole_data_ends():
    """40 data ends of 4 cases each with the same outcome per data end, drawn N(0.3, 0.2): the factor is 1 + mean,
    whose standard error over data ends resampled whole is sd / sqrt(40) (half of that if cases were resampled
    alone, as they look like 160 independent ones), so the shrunk factor is 1 + mean - sd / sqrt(40) within the
    bootstrap's own noise (50 draws: about 10% of the se). A constant factor has no noise and is kept; a departure
    smaller than its noise gives 1."""
    from crossings.forecast.calibrate import shrunk_factor
    rng = np.random.default_rng(0)
    per_end = rng.normal(0.3, 0.2, 40)
    obs, groups = np.repeat(per_end, 4), np.repeat(np.arange(40), 4)
    q = np.zeros((160, 1, len(LEVELS)))
    se = per_end.std(ddof=1) / np.sqrt(40)
    got = shrunk_factor(obs, q, np.ones(1), groups, _mean_fit)
    assert got == pytest.approx(1.0 + per_end.mean() - se, abs=0.3 * se)
    assert shrunk_factor(obs, q, np.ones(1), groups, lambda o, q, w: 0.7) == pytest.approx(0.7)
    tiny = per_end - per_end.mean() + 0.1 * se  # mean departure a tenth of its noise
    assert shrunk_factor(np.repeat(tiny, 4), q, np.ones(1), groups, _mean_fit) == 1.0
    below = -per_end  # a factor below 1 moves up towards 1
    assert shrunk_factor(np.repeat(below, 4), q, np.ones(1), groups, _mean_fit) == pytest.approx(
        1.0 - per_end.mean() + se, abs=0.3 * se)
