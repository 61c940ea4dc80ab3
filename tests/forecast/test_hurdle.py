"""The hurdle model: recovers a known weather effect, uses forecast conditions, and its paths behave."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.errors import InputError
from crossings.forecast import metrics as M
from crossings.forecast.hurdle import HurdleModel
from synth import conditions_series


def test_conditions_model_recovers_wave_and_wind_effects():
    series, cond = conditions_series(b_wave=-1.5, b_wind=-0.2)
    res = HurdleModel(conditions=cond).fit(series)
    est = res.params()
    bse = pd.Series(np.asarray(res.occ_result.bse), index=[f"occurrence.{n}" for n in res.occ_names])
    for name, truth in (("wave_height_m", -1.5), ("wind_speed_ms", -0.2)):
        key = f"occurrence.{name}"
        assert abs(est[key] - truth) < 3.5 * bse[key], (name, est[key], bse[key])
        assert est[key] < 0


def test_conditions_model_forecasts_better_than_no_weather_on_held_out_days():
    series, cond = conditions_series(n_days=1460, seed=1)
    origin = series.start + pd.Timedelta(days=1400)
    train = series.upto(origin)
    rng = np.random.default_rng(0)
    with_c = HurdleModel(conditions=cond).fit(train).simulate(59, 2000, rng)
    without = HurdleModel().fit(train).simulate(59, 2000, np.random.default_rng(0))
    y = series.boats[1401:1460] > 0
    assert M.brier(with_c.p_crossing, y) < M.brier(without.p_crossing, y) - 0.03
    # the forecast probability follows the true one day by day
    i = np.arange(1401, 1460)
    wave, wind = cond["wave_height_m"].to_numpy()[i], cond["wind_speed_ms"].to_numpy()[i]
    p_true = 1 / (1 + np.exp(-(2.0 - 1.5 * wave - 0.2 * wind)))
    assert np.corrcoef(with_c.p_crossing, p_true)[0, 1] > 0.9


def test_calm_days_get_a_higher_crossing_probability():
    series, cond = conditions_series(seed=2)
    origin = series.start + pd.Timedelta(days=1000)
    fut = pd.date_range(origin + pd.Timedelta(days=1), periods=2)
    cond = cond.set_index("date")
    cond.loc[fut[0], ["wave_height_m", "wind_speed_ms"]] = [0.3, 3.0]  # calm
    cond.loc[fut[1], ["wave_height_m", "wind_speed_ms"]] = [2.5, 12.0]  # rough
    paths = HurdleModel(conditions=cond.reset_index()).fit(series.upto(origin)).simulate(
        2, 4000, np.random.default_rng(0))
    assert paths.p_crossing[0] > 0.7 > 0.2 > paths.p_crossing[1]


def test_missing_forecast_conditions_are_an_error():
    series, cond = conditions_series(n_days=400)
    res = HurdleModel(conditions=cond).fit(series)  # conditions end with the series
    with pytest.raises(InputError, match="no conditions for"):
        res.simulate(3, 10, np.random.default_rng(0))


def test_no_weather_model_learns_the_share_of_crossing_days():
    """Independent days crossing with probability 0.35: the forecast probability is close to 0.35."""
    rng = np.random.default_rng(3)
    n = 1200
    boats = np.where(rng.random(n) < 0.35, 1 + rng.poisson(4, n), 0)
    from crossings.forecast.series import Series
    s = Series(pd.Timestamp("2022-01-01"), boats.astype(np.int64), (boats * 50).astype(np.int64))
    paths = HurdleModel().fit(s).simulate(14, 4000, np.random.default_rng(0))
    assert np.all(np.abs(paths.p_crossing - 0.35) < 0.06)
    pos = paths.boats[paths.boats > 0]
    assert pos.mean() == pytest.approx(5.0, abs=0.5)  # 1 + Poisson(4)
    assert np.array_equal(paths.people, paths.boats * 50)  # people per boat is always 50 here


def test_paths_are_reproducible_with_the_same_seed():
    series, _ = conditions_series(n_days=500)
    res = HurdleModel().fit(series)
    a = res.simulate(20, 300, np.random.default_rng(7))
    b = res.simulate(20, 300, np.random.default_rng(7))
    assert np.array_equal(a.boats, b.boats) and np.array_equal(a.people, b.people)


def test_too_short_a_series_is_refused():
    series, _ = conditions_series(n_days=100)
    with pytest.raises(InputError, match="at least"):
        HurdleModel().fit(series)
