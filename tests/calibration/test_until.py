"""--until: nothing published after it reaches the calibration."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from crossings.sim import calibrate as C
from crossings.sim.summaries import layout, observed_summaries, observed_window

UNTIL = date(2023, 12, 31)


def _mutated(daily: pd.DataFrame, weekly: pd.DataFrame):
    """Every value after UNTIL changed (tripled, plus one), and a made-up extra year appended."""
    d = daily.copy()
    late = pd.to_datetime(d["date"]) > pd.Timestamp(UNTIL)
    for c in ("migrants_arrived", "boats_arrived"):
        d[c] = d[c].astype("Int64")
        d.loc[late, c] = d.loc[late, c] * 3 + 1
    extra = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=30), "migrants_arrived": 999,
                          "boats_arrived": 9, "uncontrolled_landings": 0})
    d = pd.concat([d, extra], ignore_index=True)
    w = weekly.copy()
    w["migrants_prevented"] = w["migrants_prevented"].astype("Int64") * 5 + 7
    return d, w


def test_observed_window_ignores_later_data(tables):
    daily, weekly, vintage, src = tables
    a = observed_window(daily, weekly, UNTIL, 2, vintage, src)
    d2, w2 = _mutated(daily, weekly)
    b = observed_window(d2, w2, UNTIL, 2, vintage, src)
    assert a.until == UNTIL and a.dates.equals(b.dates)
    np.testing.assert_array_equal(a.people, b.people)
    np.testing.assert_array_equal(observed_summaries(layout(a), a), observed_summaries(layout(b), b))
    # the window's own totals, against the raw table summed independently
    raw = daily[(pd.to_datetime(daily["date"]).dt.year == 2023)]["migrants_arrived"].astype(float).sum()
    assert np.nansum(a.people[a.dates.year == 2023]) == raw
    assert len(a.weeks) == 0                    # SB_02 starts in May 2024: no preventions before UNTIL


def test_posterior_unchanged_by_later_data(tables):
    daily, weekly, vintage, src = tables
    d2, w2 = _mutated(daily, weekly)
    runs = []
    for d, w in ((daily, weekly), (d2, w2)):
        obs = observed_window(d, w, UNTIL, 1, vintage, src)
        cal = C.calibrate(obs, d, simulations=C.MIN_SIMULATIONS, seed=4, progress=False, max_epochs=3)
        runs.append(cal)
    a, b = runs
    assert a.problem.scenario == b.problem.scenario          # plug-in weather and monthly pattern too
    assert a.problem.year_log_sd == b.problem.year_log_sd
    np.testing.assert_array_equal(a.theta, b.theta)
