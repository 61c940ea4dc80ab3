"""Combining forecast models: quantile averaging of week totals on paths, the tail factor and the stacking weights,
against hand-worked cases and known distributions."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from crossings.forecast.combine import (_rescale, quantile_average, rank_quantiles, spread, spread_factor,
                                        stacking_weights, tails)
from crossings.forecast.paths import LEVELS, Paths

MONDAY = pd.Timestamp("2024-01-01")


def test_rank_quantiles_by_hand():
    u = rank_quantiles(np.array([5.0, 1.0, 3.0]), np.random.default_rng(0))
    assert u == pytest.approx([5 / 6, 1 / 6, 3 / 6])


def test_rescale_by_hand():
    """[1, 2, 1] to 6: 1.5, 3, 1.5; floors 1, 3, 1 and the one left to the first largest fraction: 2, 3, 1.
    A row summing to 0 stays 0."""
    out = _rescale(np.array([[1, 2, 1], [0, 0, 0]]), np.array([6.0, 4.0]))
    assert out.tolist() == [[2, 3, 1], [0, 0, 0]]


def test_tails_by_hand():
    """Quartiles 10 and 30 kept, tails halved towards them: 0 -> 5, 40 -> 35; the median untouched."""
    q = np.array([[0.0, 10.0, 20.0, 30.0, 40.0]])
    assert spread(q, 0.5).tolist() == [[5.0, 10.0, 20.0, 30.0, 35.0]]
    assert tails(np.array([0.0, 2.0]), np.array([0.1, 0.9]), 1.0, 3.0, 2.0).tolist() == [0.0, 1.0]


def _week_paths(totals: np.ndarray) -> Paths:
    """One Monday-to-Sunday week per path: the total on Monday and Thursday (half each, odd unit on Monday)."""
    b = np.zeros((totals.size, 7), np.int64)
    b[:, 0] = totals - totals // 2
    b[:, 3] = totals // 2
    return Paths(MONDAY, b, 20 * b)


def test_quantile_average_of_two_shifted_models():
    """Model A's week totals are 0..999 once each, model B's A + 1000. With weights 1/2 each the quantile average is
    A + 500 (quantiles 550 and 1450 at 5% and 95%), where the pooled paths span about 100 to 1900. Days without
    boats stay without (Tuesday, Wednesday, ...), and each path's people stay 20 per boat up to the rounding of
    boats (half a boat: 10 people)."""
    a = np.arange(1000)
    pa, pb = _week_paths(a), _week_paths(a + 1000)
    out = quantile_average([pa, pb], np.array([0.5, 0.5]), np.random.default_rng(1))
    tot = out.boats.sum(axis=1)
    assert np.quantile(tot, [0.05, 0.95]) == pytest.approx([549.5, 1449.5], abs=1.5)
    pooled = np.concatenate([a, a + 1000])
    assert np.quantile(pooled, 0.95) - np.quantile(pooled, 0.05) > 1.9 * (np.quantile(tot, 0.95) - np.quantile(tot, 0.05))
    assert (out.boats[:, [1, 2, 4, 5, 6]] == 0).all()
    assert np.abs(out.people.sum(axis=1) - 20 * tot).max() <= 10
    # the tail factor: 5% and 95% quantiles pulled halfway to the quartiles (about 750 and 1250)
    half = quantile_average([pa, pb], np.array([0.5, 0.5]), np.random.default_rng(1), factor=0.5)
    assert np.quantile(half.boats.sum(axis=1), [0.05, 0.95]) == pytest.approx([649.75, 1349.75], abs=2)


def test_quantile_average_multiplies_week_totals_by_the_level():
    """One model, week totals 0..999 (people 20 per boat): with level 0.8 for boats and 1.5 for people every boat
    total is 0.8 a to within 1 (the rounding and the mid-rank quantile) and the people totals are 1.5 x theirs (30
    per original boat; within 1% in all, the days whose boats round to 0 losing their people to the week's other
    days)."""
    a = np.arange(1000)
    out = quantile_average([_week_paths(a)], np.array([1.0]), np.random.default_rng(1), level=(0.8, 1.5))
    assert np.abs(np.sort(out.boats.sum(axis=1)) - 0.8 * a).max() <= 1.0
    assert out.people.sum() / (30 * a.sum()) == pytest.approx(1.0, abs=0.01)


def _normal_quantiles(mu: float, sd: float, stretch: float = 1.0) -> np.ndarray:
    """Quantiles at LEVELS of N(mu, sd^2), with the tails beyond the quartiles stretched by ``stretch``."""
    z = norm.ppf(LEVELS)
    q = mu + sd * z
    q[0] = q[1] + stretch * (q[0] - q[1])
    q[4] = q[3] + stretch * (q[4] - q[3])
    return q


def test_spread_factor_undoes_tails_twice_too_wide():
    """Outcomes N(100, 10^2); the forecast has the right quartiles and tails twice too long: the factor that
    minimises the pinball loss is 1/2."""
    rng = np.random.default_rng(2)
    obs = rng.normal(100, 10, 20000)
    q = np.tile(_normal_quantiles(100, 10, 2.0), (obs.size, 1))[:, None, :]
    assert spread_factor(obs, q, np.array([1.0])) == pytest.approx(0.5, abs=0.05)


def test_stacking_weights_recover_the_true_model():
    """Outcomes N(100, 10^2) with a varying mean; model A forecasts the true quantiles, model B the same shifted up
    by 30: the weights go to A."""
    rng = np.random.default_rng(3)
    mu = rng.uniform(50, 500, 3000)
    obs = rng.normal(mu, 10)
    qa = np.stack([_normal_quantiles(m, 10) for m in mu])
    q = np.stack([qa, qa + 30], axis=1)
    w = stacking_weights(obs, q)
    assert w.sum() == pytest.approx(1.0) and w[0] > 0.95
