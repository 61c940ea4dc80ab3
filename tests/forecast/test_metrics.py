"""Scores checked against analytic values and hand computations."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from crossings.forecast import metrics as M


def test_coverage_of_true_quantiles_is_nominal():
    """Draws from N(3, 2) against the distribution's own quantiles: coverage within binomial error of 0.5/0.9."""
    rng = np.random.default_rng(1)
    n = 20_000
    y = rng.normal(3, 2, n)
    for level in (0.5, 0.9):
        a = (1 - level) / 2
        lo = np.full(n, stats.norm.ppf(a, 3, 2))
        hi = np.full(n, stats.norm.ppf(1 - a, 3, 2))
        se = np.sqrt(level * (1 - level) / n)
        assert abs(M.coverage(y, lo, hi) - level) < 4 * se


def test_sample_coverage_of_a_calibrated_ensemble():
    """Each case has its own distribution; the ensemble is drawn from it, the outcome too."""
    rng = np.random.default_rng(2)
    n, m = 4000, 400
    mu = rng.uniform(-5, 5, n)
    y = rng.normal(mu, 1.5)
    ens = rng.normal(mu[:, None], 1.5, (n, m))
    for level in (0.5, 0.9):
        se = np.sqrt(level * (1 - level) / n)
        assert abs(M.sample_coverage(y, ens, level) - level) < 4 * se + 0.01  # + quantile estimation error


def test_a_too_narrow_ensemble_under_covers():
    rng = np.random.default_rng(3)
    y = rng.normal(0, 1, 5000)
    ens = rng.normal(0, 0.5, (5000, 200))
    assert M.sample_coverage(y, ens, 0.9) < 0.6


def test_pit_coverage_is_nominal_for_counts_where_interval_coverage_is_not():
    """Poisson counts with mean 0.7: inclusive intervals over-cover, the randomised PIT band does not."""
    rng = np.random.default_rng(4)
    n, m = 5000, 2000
    y = rng.poisson(0.7, n)
    ens = rng.poisson(0.7, (n, m))
    # analytic: the central 50% interval of Poisson(0.7) is [0, 1] (F(0)=0.497, F(1)=0.844), which covers 0.844
    assert M.sample_coverage(y, ens, 0.5) == pytest.approx(stats.poisson.cdf(1, 0.7), abs=0.02)
    for level in (0.5, 0.9):
        assert np.mean(M.pit_coverage(y, ens, level)) == pytest.approx(level, abs=0.02)


def test_pit_coverage_by_hand():
    # ensemble 0,0,1,3: F(0-)=0, F(0)=0.5 -> PIT uniform on [0, 0.5]; 50% band [0.25, 0.75] overlaps 0.25 -> 0.5
    ens = np.array([[0, 0, 1, 3]])
    assert M.pit_coverage(np.array([0]), ens, 0.5)[0] == pytest.approx(0.5)
    # y=1: PIT uniform on [0.5, 0.75] -> inside the 50% band entirely
    assert M.pit_coverage(np.array([1]), ens, 0.5)[0] == pytest.approx(1.0)
    # y=3: PIT on [0.75, 1] -> only the point 0.75 touches the band: probability 0
    assert M.pit_coverage(np.array([3]), ens, 0.5)[0] == pytest.approx(0.0)
    # y=2 is not in the ensemble: PIT = F(2) = 0.75 exactly, on the band's edge -> counted inside
    assert M.pit_coverage(np.array([2]), ens, 0.5)[0] == pytest.approx(1.0)


def test_brier_by_hand():
    # (0.9-1)^2 + (0.2-0)^2 + (0.6-0)^2 + (0.5-1)^2 = 0.01 + 0.04 + 0.36 + 0.25 = 0.66 -> mean 0.165
    assert M.brier([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]) == pytest.approx(0.165)


def test_auc_by_hand():
    # positives score 0.35, 0.8; negatives 0.1, 0.4: pairs won 0.35>0.1, 0.8>0.1, 0.8>0.4; lost 0.35<0.4 -> 3/4
    assert M.auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)
    assert np.isnan(M.auc([0.1, 0.2], [1, 1]))


def test_crps_matches_the_normal_closed_form():
    rng = np.random.default_rng(5)
    mu, sigma, y = 1.0, 2.0, 2.5
    z = (y - mu) / sigma
    exact = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
    ens = rng.normal(mu, sigma, (1, 20_000))
    assert M.crps(np.array([y]), ens) == pytest.approx(exact, rel=0.02)


def test_crps_of_a_point_forecast_is_the_absolute_error():
    assert M.crps(np.array([3.0, 10.0]), np.array([[5.0, 5.0], [4.0, 4.0]])) == pytest.approx((2 + 6) / 2)
