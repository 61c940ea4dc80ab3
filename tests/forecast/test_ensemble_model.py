"""The ensemble: inverse-loss weights by hand, weights that use only forecasts already scored by the data end, and
paths that are the components' own."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.forecast.ensemble import EnsembleModel, EnsembleResults, inverse_loss_weights, pinball_of_samples
from crossings.forecast.series import Series

START = pd.Timestamp("2019-01-07")  # a Monday


def _losses() -> pd.DataFrame:
    ends = pd.to_datetime(["2024-03-03", "2024-03-10", "2024-03-17", "2024-03-24"])
    return pd.DataFrame({"block_end": ends, "a": [1.0, 2.0, 9.0, 0.5], "b": [3.0, 2.0, 1.0, 7.0]})


def test_inverse_loss_weights_by_hand():
    """Cases ending by 10 March: a (1, 2), b (3, 2); per-case means 2, 2; mean relative loss a 0.75, b 1.25;
    weights proportional to 1/0.75 and 1/1.25: 0.625 and 0.375."""
    w = inverse_loss_weights(_losses(), pd.Timestamp("2024-03-10"), ["a", "b"])
    assert w == pytest.approx([0.625, 0.375])


def test_weights_do_not_see_cases_not_yet_over():
    """Rewriting the losses of blocks ending after the day leaves the weights as they were; rewriting one that has
    ended changes them (so the check can fail)."""
    day = pd.Timestamp("2024-03-10")
    base = inverse_loss_weights(_losses(), day, ["a", "b"])
    later = _losses()
    later.loc[later["block_end"] > day, ["a", "b"]] = [[1000.0, 0.001], [0.001, 1000.0]]
    assert inverse_loss_weights(later, day, ["a", "b"]) == pytest.approx(base)
    earlier = _losses()
    earlier.loc[0, "a"] = 50.0
    assert not np.allclose(inverse_loss_weights(earlier, day, ["a", "b"]), base)
    assert inverse_loss_weights(_losses(), pd.Timestamp("2024-01-01"), ["a", "b"]) == pytest.approx([0.5, 0.5])


def test_pinball_of_samples_by_hand():
    """Samples 0..100 (quantiles 5, 25, 50, 75, 95), outcome 50: losses 0.05*45, 0.25*25, 0, 0.25*25, 0.05*45."""
    s = np.arange(101, dtype=float)[None, :]
    assert pinball_of_samples(np.array([50.0]), s)[0] == pytest.approx((2 * 0.05 * 45 + 2 * 0.25 * 25) / 5)


@pytest.fixture(scope="module")
def synthetic() -> Series:
    """Four and a half years of seasonal daily NB counts, 30 people per boat."""
    rng = np.random.default_rng(11)
    n = 4 * 364 + 180
    d = np.arange(n)
    mu = 3.0 * np.exp(0.9 * np.sin(2 * np.pi * d / 365.25))
    b = rng.poisson(rng.gamma(0.5, mu / 0.5)).astype(np.int64)
    return Series(START, b, b * 30)


def test_history_scores_only_blocks_over_by_the_data_end(synthetic):
    m = EnsembleModel(history_weeks=6, history_step=1)
    end = synthetic.end
    loss = m.losses(synthetic)
    assert (pd.DatetimeIndex(loss["block_end"]) <= end).all()
    # data ends 6..1 weeks back: min(4, j) blocks each for boats and people
    assert len(loss) == 2 * sum(min(4, j) for j in range(1, 7))
    # one data end every 2 weeks and the last week's: 6, 4, 2 and 1 weeks back, the same rows as weekly
    every2 = EnsembleModel(history_weeks=6, history_step=2).losses(synthetic)
    back = sorted(((end - pd.DatetimeIndex(every2["data_end"])).days // 7).unique())
    assert back == [1, 2, 4, 6] and len(every2) == 2 * (1 + 2 + 4 + 4)
    same = loss[loss["data_end"].isin(every2["data_end"].unique())].reset_index(drop=True)
    pd.testing.assert_frame_equal(same, every2.reset_index(drop=True))
    # the same losses, to the last digit, from a series whose later days were rewritten and then cut away
    b = synthetic.boats.copy()
    b[-3:] = 500
    mutated = Series(synthetic.start, b, b * 30).upto(end - pd.Timedelta(days=3))
    cut = synthetic.upto(end - pd.Timedelta(days=3))
    a1 = EnsembleModel(history_weeks=6).losses(cut)
    a2 = EnsembleModel(history_weeks=6).losses(mutated)
    pd.testing.assert_frame_equal(a1, a2)


def test_paths_are_the_components_paths(synthetic):
    """The path mixture (combine="mixture"): with all weight on one component, its own paths."""
    res = EnsembleModel(history_weeks=3, combine="mixture").fit(synthetic)
    assert res.weights.sum() == pytest.approx(1.0) and (res.weights > 0).all()
    assert res.counts(1000).sum() == 1000 and res.counts(7).sum() == 7
    only_first = EnsembleResults(res.model, res.names, np.array([1.0, 0.0, 0.0]), res.fitted)
    a = only_first.simulate(21, 300, np.random.default_rng(5))
    b = res.fitted[0].simulate(21, 300, np.random.default_rng(5))
    assert np.array_equal(a.boats, b.boats) and np.array_equal(a.people, b.people)
    mix = res.simulate(21, 300, np.random.default_rng(5))
    assert mix.boats.shape == (300, 21) and ((mix.people > 0) == (mix.boats > 0)).all()


def test_a_component_the_data_do_not_allow_is_left_out_and_said(synthetic):
    """Three years of data: too few for the seasonal model's level (3 years of baseline first), so the mixture is
    locallevel and hurdle, and the forecast's note says what was left out."""
    from crossings.forecast.api import forecast
    short = Series(synthetic.start, synthetic.boats[:3 * 364 + 20], synthetic.people[:3 * 364 + 20])
    res = EnsembleModel(history_weeks=3).fit(short)
    assert res.names == ["locallevel", "hurdle"] and res.weights.sum() == pytest.approx(1.0)
    assert len(res.left_out) == 1 and res.left_out[0].startswith("seasonal (seasonal: needs 3 years")
    fc = forecast(short, n_paths=200, days=3, weeks=2, model="ensemble")
    assert "left out of the mixture: seasonal" in fc.note


def test_quantile_average_with_one_weight_gives_that_components_week_totals(synthetic):
    """combine="quantile" with all weight on one component and no tail change: every week total is a quantile of
    that component's own week totals, so their 5-95% quantiles match the component's own simulation (within the
    Monte Carlo error of 3000 paths); days without boats stay without."""
    res = EnsembleModel(history_weeks=3).fit(synthetic)
    assert res.path_weights is not None and 0.5 <= res.spread <= 1.5
    only_first = EnsembleResults(res.model, res.names, np.array([1.0, 0.0, 0.0]), res.fitted, [], 1.0,
                                 res.path_weights)
    a = only_first.simulate(28, 3000, np.random.default_rng(5))
    b = res.fitted[0].simulate(28, 3000, np.random.default_rng(6))
    _, wa, _ = a.weekly()
    _, wb, _ = b.weekly()
    qa, qb = np.quantile(wa, [0.05, 0.5, 0.95], axis=0), np.quantile(wb, [0.05, 0.5, 0.95], axis=0)
    assert np.allclose(qa, qb, rtol=0.12, atol=2)
    assert ((a.people > 0) <= (a.boats > 0)).all()


def test_calibrated_tails_and_level_come_from_the_history(synthetic):
    """tails="coverage": the tail factor is the split-conformal factor of the weighted quantile average of the
    history; level_share=1: each target's week totals are multiplied by its history's observed / forecast total
    (the weighted mean of the components' means), and the paths' mean week is that factor times the uncorrected
    one (within the Monte Carlo error of 4000 paths, as both use the same fitted components)."""
    from crossings.forecast.calibrate import coverage_factor
    from crossings.forecast.ensemble import history_quantiles
    m = EnsembleModel(history_weeks=4, history_step=1, tails="coverage", level_share=1.0)
    res = m.fit(synthetic)
    hist = m.losses(synthetic)
    obs, q = history_quantiles(hist, synthetic.end, res.names)
    assert res.spread == pytest.approx(coverage_factor(obs, np.einsum("k,ckl->cl", res.weights, q)))
    for t, c in zip(("boats", "people"), res.level):
        h = hist[hist["target"] == t]
        expect = h["obs"].sum() / (h[[f"{n}@mean" for n in res.names]].to_numpy() @ res.weights).sum()
        assert c == pytest.approx(min(max(expect, 0.5), 2.0))
    plain = EnsembleResults(res.model, res.names, res.weights, res.fitted, [], res.spread, res.path_weights)
    a = res.simulate(28, 4000, np.random.default_rng(1))
    b = plain.simulate(28, 4000, np.random.default_rng(1))
    assert a.boats.sum() / b.boats.sum() == pytest.approx(res.level[0], rel=0.03)
    assert a.people.sum() / b.people.sum() == pytest.approx(res.level[1], rel=0.03)


def test_params_name_a_level_only_when_there_is_one(synthetic):
    """The default ensemble's parameters are its weights and tail factor (as before the level option); with a level
    share they also give the level factors."""
    plain = EnsembleModel(history_weeks=3).fit(synthetic).params()
    assert sorted(plain.index) == ["spread", "weight.hurdle", "weight.locallevel", "weight.seasonal"]
    lv = EnsembleModel(history_weeks=3, level_share=1.0).fit(synthetic)
    assert lv.params()["level.boats"] == lv.level[0] != 1.0


def test_shrunk_tail_factor_lies_between_1_and_the_pinball_factor(synthetic):
    """tails="shrunk": the factor is the pinball factor of the same history moved towards 1 (never past it), by the
    bootstrap over the history's data ends (recomputed here from the scored cases and their data ends)."""
    from crossings.forecast.calibrate import shrunk_factor
    from crossings.forecast.combine import spread_factor
    from crossings.forecast.ensemble import history_quantiles
    m = EnsembleModel(history_weeks=6, history_step=1, tails="shrunk")
    res = m.fit(synthetic)
    hist = m.losses(synthetic)
    obs, q = history_quantiles(hist, synthetic.end, res.names)
    full = spread_factor(obs, q, res.weights)
    assert min(full, 1.0) <= res.spread <= max(full, 1.0)
    done = hist[pd.DatetimeIndex(hist["block_end"]) <= synthetic.end]
    assert done["data_end"].nunique() >= 3
    assert res.spread == pytest.approx(shrunk_factor(obs, q, res.weights, done["data_end"].to_numpy(), spread_factor))
