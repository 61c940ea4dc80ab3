"""The backtest uses only what was published by each origin, scores what really happened, and summarises honestly."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from crossings.forecast import summary as S
from crossings.forecast.backtest import BacktestResult, default_models, forecast_at, origins, run_backtest
from crossings.forecast.baselines import Climatology, Persistence
from crossings.forecast.hurdle import HurdleModel
from crossings.forecast.schedule import Schedule
from crossings.forecast.series import Series


def _mutated_after(series: Series, day: pd.Timestamp) -> Series:
    """The same series with every day after ``day`` replaced by absurd values (a later release rewriting them)."""
    i = series.index_of(day) + 1
    b, p = series.boats.copy(), series.people.copy()
    b[i:], p[i:] = 10_000, 999_999
    return Series(series.start, b, p)


@pytest.mark.parametrize("origin,pages", [("2023-03-06", True), ("2024-08-19", False), ("2025-12-01", True)])
def test_forecasts_do_not_change_when_later_releases_do(official, origin, pages):
    """Everything published after the origin is rewritten; no model's paths change."""
    origin = pd.Timestamp(origin)
    sched = Schedule(daily_pages=pages)
    mutated = _mutated_after(official, sched.known_through(origin))
    for k, model in enumerate(default_models()):
        a, cut_a = forecast_at(official, origin, model, sched, 200, np.random.default_rng(k))
        b, cut_b = forecast_at(mutated, origin, model, sched, 200, np.random.default_rng(k))
        assert cut_a == cut_b and np.array_equal(a.boats, b.boats) and np.array_equal(a.people, b.people), model.name


def test_the_mutation_would_be_seen_if_it_were_published(official):
    """The check above can fail: mutating the last published day itself changes the forecast."""
    origin = pd.Timestamp("2024-08-19")
    sched = Schedule()
    mutated = _mutated_after(official, sched.known_through(origin) - pd.Timedelta(days=1))
    a, _ = forecast_at(official, origin, Persistence(), sched, 200, np.random.default_rng(0))
    b, _ = forecast_at(mutated, origin, Persistence(), sched, 200, np.random.default_rng(0))
    assert not np.array_equal(a.boats, b.boats)


@dataclasses.dataclass
class RecordingHurdle(HurdleModel):
    """The real hurdle model, noting the last day of every series it is fitted on."""

    seen: list = dataclasses.field(default_factory=list)

    def fit(self, series):
        self.seen.append(series.end)
        return super().fit(series)


def test_each_fit_sees_only_what_the_schedule_published(official):
    spy = RecordingHurdle()
    res = run_backtest(official, "2024-05-01", "2024-05-31", n_paths=100, models=[spy],
                       schedule=Schedule(daily_pages=False))
    # Mondays 6, 13, 20, 27 May 2024; the Friday workbooks before them hold data to Thursdays 2, 9, 16, 23 May
    assert list(res.origins) == list(pd.to_datetime(["2024-05-06", "2024-05-13", "2024-05-20", "2024-05-27"]))
    assert list(spy.seen) == list(pd.to_datetime(["2024-05-02", "2024-05-09", "2024-05-16", "2024-05-23"]))
    assert res.lags_days.tolist() == [4, 4, 4, 4]


def test_scored_outcomes_are_the_official_values(official, official_frame):
    res = run_backtest(official, "2024-07-08", "2024-07-08", n_paths=100, models=[Climatology(), Persistence()])
    f = official_frame.set_index("date")
    c = res.cases[res.cases["model"] == "climatology"]
    day3 = c[(c["kind"] == "daily") & (c["horizon"] == 3) & (c["target"] == "people")]["obs"].item()
    assert day3 == f.loc["2024-07-10", "migrants_arrived"]
    week2 = c[(c["kind"] == "weekly") & (c["horizon"] == 2) & (c["target"] == "boats")]["obs"].item()
    assert week2 == f.loc["2024-07-15":"2024-07-21", "boats_arrived"].sum()
    assert c[c["kind"] == "weekly"]["horizon"].max() == 8


def test_weeks_not_yet_observed_are_not_scored(official):
    last = origins(official, "2025-01-01")[-1]
    res = run_backtest(official, last, last, n_paths=100, models=[Climatology(), Persistence()])
    weekly = res.cases[res.cases["kind"] == "weekly"]
    assert (pd.DatetimeIndex(weekly["day"]) <= official.end).all()
    assert len(res.cases[res.cases["kind"] == "daily"]) > 0


def test_results_are_reproducible(official):
    a = run_backtest(official, "2024-03-04", "2024-03-18", n_paths=200, models=[HurdleModel(), Climatology(),
                                                                                Persistence()])
    b = run_backtest(official, "2024-03-04", "2024-03-18", n_paths=200, models=[HurdleModel(), Climatology(),
                                                                                Persistence()])
    pd.testing.assert_frame_equal(a.cases, b.cases)


def _result(cases: pd.DataFrame, models: list[str]) -> BacktestResult:
    o = pd.DatetimeIndex(sorted(cases["origin"].unique()))
    return BacktestResult(o, 10, 0.0, cases, models, pd.Timestamp("2025-01-01"), Schedule(),
                          pd.Series(1, index=o))


def test_yearly_bias_and_coverage_by_hand():
    """Two weekly cases per model in 2024: means 10 and 30 for outcomes 20 and 20 -> bias 40/40 = 1.0."""
    rows = []
    for model, means, in50 in (("m", (10.0, 30.0), (True, False)), ("climatology", (20.0, 20.0), (True, True)),
                               ("persistence", (5.0, 5.0), (False, False))):
        for i, mu in enumerate(means):
            rows.append(dict(model=model, origin=pd.Timestamp("2024-03-04") + pd.Timedelta(days=7 * i),
                             kind="weekly", horizon=1, target="people", day=pd.Timestamp("2024-03-10")
                             + pd.Timedelta(days=7 * i), obs=20.0, mean=mu, in50=in50[i], in90=True,
                             pinball=1.0, crps=1.0))
    cases = pd.DataFrame(rows)
    res = _result(cases, ["m", "climatology", "persistence"])
    yb = S.yearly_bias(res)
    assert yb.loc[0, "m"] == pytest.approx(1.0) and yb.loc[0, "persistence"] == pytest.approx(0.25)
    qb = S.yearly_bias(res, quarters=True)
    assert qb["quarter"].tolist() == ["2024Q1"] and qb.loc[0, "persistence"] == pytest.approx(0.25)
    cov = S.coverage(res)
    c50 = cov[(cov["interval"] == "50%") & (cov["horizon"] == "1w")].iloc[0]
    assert c50["m"] == 0.5 and c50["climatology"] == 1.0 and c50["persistence"] == 0.0


def test_paired_difference_by_hand():
    o = [pd.Timestamp("2024-01-01") + pd.Timedelta(days=7 * i) for i in range(4)]
    diffs = [1.0, 3.0, 2.0, 2.0]  # per-origin mean differences of a over b
    rows = []
    for oi, d in zip(o, diffs):
        for h in (1, 2):
            rows += [dict(model="a", origin=oi, horizon=h, s=10.0 + d), dict(model="b", origin=oi, horizon=h, s=10.0)]
    d, se = S.paired(pd.DataFrame(rows), "a", "b", "s")
    assert d == pytest.approx(2.0)
    assert np.isfinite(se) and se > 0
