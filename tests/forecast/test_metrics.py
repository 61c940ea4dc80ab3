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


def test_auc_with_ties_counts_half():
    # positives 0.5, 0.9; negatives 0.5, 0.1: pairs (0.5 vs 0.5) tie -> 0.5, (0.5 vs 0.1) 1, (0.9 vs both) 1 + 1
    # -> (0.5 + 1 + 1 + 1) / 4 = 0.875
    assert M.auc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0]) == pytest.approx(0.875)
    # ranks: 0.1 -> 1, 0.5, 0.5 -> 2.5 each, 0.9 -> 4; positives' rank sum 6.5; (6.5 - 3) / 4 = 0.875 as well


def test_pinball_by_hand():
    # y = 10, quantiles 2, 6, 10, 14, 18 at levels 0.05 ... 0.95:
    # 0.05*8 = 0.4, 0.25*4 = 1.0, 0, (1-0.75)*4 = 1.0, (1-0.95)*8 = 0.4 -> mean 2.8 / 5 = 0.56
    q = np.array([[2.0, 6.0, 10.0, 14.0, 18.0]])
    assert M.pinball(np.array([10.0]), q)[0] == pytest.approx(0.56)
    # y = 0 below every quantile: (1-a)*q summed: 0.95*2 + 0.75*6 + 0.5*10 + 0.25*14 + 0.05*18 = 15.8 -> 3.16
    assert M.pinball(np.array([0.0]), q)[0] == pytest.approx(3.16)


def test_pit_histogram_by_hand():
    # ensemble 0,0,1,3 (4 draws): y=0 -> PIT uniform on [0, 0.5]: bins 0-0.1 .. 0.4-0.5 get 0.2 each
    ens = np.array([[0, 0, 1, 3]])
    h = M.pit_histogram(np.array([0]), ens, bins=10)
    assert h.tolist() == pytest.approx([0.2] * 5 + [0.0] * 5)
    # y=2 (not in the ensemble): PIT = F(2) = 0.75 exactly -> all mass in bin 0.7-0.8
    h = M.pit_histogram(np.array([2]), ens, bins=10)
    assert h.tolist() == pytest.approx([0.0] * 7 + [1.0] + [0.0] * 2)
    # y=3: PIT uniform on [0.75, 1]: bin 0.7-0.8 gets 0.05/0.25 = 0.2, bins 0.8-0.9 and 0.9-1.0 get 0.4 each
    h = M.pit_histogram(np.array([3]), ens, bins=10)
    assert h.tolist() == pytest.approx([0.0] * 7 + [0.2, 0.4, 0.4])
    # the mean over the three cases
    h = M.pit_histogram(np.array([0, 2, 3]), np.repeat(ens, 3, axis=0), bins=10)
    assert h.sum() == pytest.approx(1.0) and h[7] == pytest.approx((0 + 1.0 + 0.2) / 3)


def test_pit_histogram_of_a_calibrated_count_forecast_is_flat():
    rng = np.random.default_rng(9)
    y = rng.poisson(3.0, 4000)
    ens = rng.poisson(3.0, (4000, 1000))
    assert np.abs(M.pit_histogram(y, ens) - 0.1).max() < 0.015


def test_interval_coverage_by_hand():
    # intervals [2, 6], [0, 1], [5, 5]; outcomes 6 (inside, end included), 2 (outside), 5 (inside)
    assert M.coverage(np.array([6, 2, 5]), np.array([2, 0, 5]), np.array([6, 1, 5])) == pytest.approx(2 / 3)
