"""The backtest never looks past its origin, scores what really happened, and reports losses plainly."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from crossings.forecast.backtest import (BacktestResult, default_models, forecast_at, origins, run_backtest,
                                         summarise)
from crossings.forecast.hurdle import HurdleModel
from crossings.forecast.series import Series


def _mutated_after(series: Series, origin: pd.Timestamp) -> Series:
    """The same series with every day after ``origin`` replaced by absurd values."""
    i = series.index_of(origin) + 1
    b, p = series.boats.copy(), series.people.copy()
    b[i:], p[i:] = 10_000, 999_999
    return Series(series.start, b, p)


@pytest.mark.parametrize("origin", ["2023-03-05", "2024-08-18", "2025-11-30"])
def test_forecasts_do_not_change_when_the_future_does(official, origin):
    origin = pd.Timestamp(origin)
    mutated = _mutated_after(official, origin)
    for k, model in enumerate(default_models()):
        a = forecast_at(official, origin, model, 56, 300, np.random.default_rng(k))
        b = forecast_at(mutated, origin, model, 56, 300, np.random.default_rng(k))
        assert np.array_equal(a.boats, b.boats) and np.array_equal(a.people, b.people), model.name


@dataclasses.dataclass
class RecordingHurdle(HurdleModel):
    """The real hurdle model, noting the last day of every series it is fitted on."""

    seen: list = dataclasses.field(default_factory=list)

    def fit(self, series):
        self.seen.append(series.end)
        return super().fit(series)


def test_each_fit_sees_no_day_after_its_origin(official):
    spy = RecordingHurdle()
    res = run_backtest(official, "2024-05-01", "2024-06-30", n_paths=100, models=[spy])
    assert list(spy.seen) == list(res.origins)
    assert len(res.origins) == 9 and all(o.day_of_week == 6 for o in res.origins)


def test_origins_leave_14_observed_days(official):
    o = origins(official, "2023-01-01")
    assert o[0] == pd.Timestamp("2023-01-01")  # a Sunday
    assert o[-1] + pd.Timedelta(days=14) <= official.end < o[-1] + pd.Timedelta(days=21)


def test_scored_outcomes_are_the_official_values(official, official_frame):
    res = run_backtest(official, "2024-07-07", "2024-07-07", n_paths=100)
    f = official_frame.set_index("date")
    c = res.cases[(res.cases["model"] == "hurdle")]
    day3 = c[(c["kind"] == "daily") & (c["horizon"] == 3) & (c["target"] == "people")]["obs"].item()
    assert day3 == f.loc["2024-07-10", "migrants_arrived"]
    week2 = c[(c["kind"] == "weekly") & (c["horizon"] == 2) & (c["target"] == "boats")]["obs"].item()
    assert week2 == f.loc["2024-07-15":"2024-07-21", "boats_arrived"].sum()
    assert c[c["kind"] == "weekly"]["horizon"].max() == 8


def test_weeks_not_yet_observed_are_not_scored(official):
    last = origins(official, "2025-01-01")[-1]
    res = run_backtest(official, last, last, n_paths=100, models=[HurdleModel()])
    weekly = res.cases[res.cases["kind"] == "weekly"]
    week_ends = last + pd.to_timedelta(7 * weekly["horizon"], unit="D")
    assert (week_ends <= official.end).all() and len(weekly) > 0


def test_results_are_reproducible(official):
    a = run_backtest(official, "2024-03-03", "2024-03-17", n_paths=200)
    b = run_backtest(official, "2024-03-03", "2024-03-17", n_paths=200)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_a_model_that_loses_is_reported():
    rows = []
    for model, p, crps in (("m", 0.9, 5.0), ("clim", 0.5, 4.0), ("pers", 0.5, 6.0)):
        for h in (1, 2):
            rows.append(dict(model=model, origin=pd.Timestamp("2024-01-07"), kind="daily", horizon=h,
                             target="boats", obs=float(h - 1), crps=crps, in50=True, in90=True, pit50=0.5,
                             pit90=0.9, p=p if h == 2 else 1 - p))
            rows.append(dict(rows[-1], target="people"))
    cases = pd.DataFrame(rows)
    table = summarise(cases, ["m", "clim", "pers"])
    res = BacktestResult(pd.DatetimeIndex(["2024-01-07"]), 10, 0.0, cases, table, ["m", "clim", "pers"],
                         pd.Timestamp("2024-02-01"))
    v = res.verdicts()
    # m separates the two days perfectly (AUC 1, Brier 0.01) but its CRPS 5.0 loses to clim's 4.0
    assert any("boats crps" in s and "clim (4.000)" in s and "pers" not in s for s in v)
    assert not any("brier" in s or "auc" in s for s in v)
    brier = table[table["metric"] == "brier"].iloc[0]
    assert brier["m"] == pytest.approx(0.01) and brier["clim"] == pytest.approx(0.25)


def test_paired_difference_by_hand():
    from crossings.forecast.backtest import paired_difference
    o1, o2 = pd.Timestamp("2024-01-07"), pd.Timestamp("2024-01-14")
    rows = [("a", o1, 1, 5.0), ("a", o1, 2, 3.0), ("b", o1, 1, 4.0), ("b", o1, 2, 2.0),  # origin 1: diffs 1, 1
            ("a", o2, 1, 6.0), ("a", o2, 2, 6.0), ("b", o2, 1, 2.0), ("b", o2, 2, 4.0)]  # origin 2: diffs 4, 2
    scores = pd.DataFrame(rows, columns=["model", "origin", "horizon", "score"])
    d, se = paired_difference(scores, "a", "b")
    # per-origin mean differences 1 and 3: mean 2, sample sd sqrt(2), se sqrt(2)/sqrt(2) = 1
    assert d == pytest.approx(2.0) and se == pytest.approx(1.0)
