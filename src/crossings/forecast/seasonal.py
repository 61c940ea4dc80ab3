"""Seasonal baseline scaled by an adaptive level: the climatology of the previous years' same weeks, multiplied by
how far the recent weeks ran above or below their own climatology.

For every complete week v (Monday to Sunday) the baseline ``c_v`` is the mean weekly total of the same weeks of the
``years`` previous years +-1 week (the climatology pool of :mod:`.baselines`), and ``x_v = log((y_v + k) /
(c_v + k))`` how far the week ran from it (``k``: a cushion of ``CUSHION_SHARE`` of the mean week, so empty winter
weeks do not dominate). The log ratio follows a local level, tracked by simple exponential smoothing whose weight
``alpha`` minimises the one-week-ahead squared error over the ``fit_weeks`` weeks before the data end (ETS(A,N,N),
Hyndman et al. 2008); its one-step error variance ``s2`` gives the level's uncertainty. The level now is the ratio
of exponentially weighted sums (weights ``(1 - alpha)^i``, week ``i`` back) of observed and baseline totals, so the
forecast mean is that ratio times the baseline.

Sample paths draw each target week from the climatology pool (its days, so zeros stay zeros and the week's shape
is an observed one) and multiply its days by the path's level: ``exp(log L + u_h - V_h / 2)`` with ``u_h`` a
random walk whose variance after ``h`` weeks is ``V_h = alpha s2 + (h - 1) alpha^2 s2`` (the filtered level's
uncertainty, then its innovations; the ``- V_h / 2`` keeps the mean at ``L`` times the baseline). Scaled days are
rounded up or down at random with the probability of their fraction (mean kept). Boats and people have their own
baseline and level, and share the random-walk shocks; a day's people are its scaled boats times the drawn day's
people per boat times the ratio of the two levels (so the people level is kept and a day without boats has none).
Everything is fitted on the series given, nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .baselines import WEEK, YEAR_WEEKS_DAYS, Climatology, _WeekPool
from .paths import Paths
from .series import Series

YEAR_WEEKS = YEAR_WEEKS_DAYS // WEEK  # 52
CUSHION_SHARE = 0.1  # k = 10% of the mean weekly total of the fitting weeks
ALPHAS = np.round(np.arange(0.05, 1.0, 0.05), 2)  # smoothing weights searched
BURN_WEEKS = 8  # first weeks of the fitting window left out of the squared error while the level settles


def weekly_totals(series: Series) -> tuple[pd.Timestamp, np.ndarray, np.ndarray]:
    """Monday of the first complete week, and boats and people per complete week (Monday to Sunday)."""
    i0 = (-series.start.day_of_week) % WEEK
    n = (len(series.boats) - i0) // WEEK
    b = series.boats[i0:i0 + WEEK * n].reshape(n, WEEK).sum(axis=1).astype(float)
    p = series.people[i0:i0 + WEEK * n].reshape(n, WEEK).sum(axis=1).astype(float)
    return series.start + pd.Timedelta(days=i0), b, p


def baseline(weekly: np.ndarray, years: int) -> np.ndarray:
    """Per week, the mean of the same weeks of the ``years`` previous years +-1 week (NaN without all of them)."""
    n = weekly.size
    out = np.full(n, np.nan)
    first = YEAR_WEEKS * years + 1
    if n > first:
        idx = np.arange(first, n)
        cols = [weekly[idx - YEAR_WEEKS * k + j] for k in range(1, years + 1) for j in (-1, 0, 1)]
        out[first:] = np.mean(cols, axis=0)
    return out


def smooth(x: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exponential smoothing of ``x`` for each weight in ``alphas`` from level 0: (one-step errors per alpha and
    week, level after the last week per alpha)."""
    level = np.zeros(alphas.size)
    err = np.empty((alphas.size, x.size))
    for t, xt in enumerate(x):
        err[:, t] = xt - level
        level = level + alphas * err[:, t]
    return err, level


@dataclass
class SeasonalLevelModel:
    """Settings: ``years`` of climatology (as the baseline), ``fit_weeks`` over which the smoothing weight and
    error variance are fitted."""

    years: int = 3
    fit_weeks: int = 156
    name: str = "seasonal"

    def fit(self, series: Series) -> "SeasonalLevelResults":
        monday, b, p = weekly_totals(series)
        levels, alphas, s2s = [], [], []
        for w in (b, p):
            c = baseline(w, self.years)
            ok = np.flatnonzero(np.isfinite(c))[-self.fit_weeks:]
            if ok.size < BURN_WEEKS + 26:
                raise InputError(f"{self.name}: needs {self.years} years of weekly data, then {BURN_WEEKS + 26} "
                                 f"weeks more to fit the level on; got {w.size} complete weeks")
            y, cv = w[ok], c[ok]
            k = CUSHION_SHARE * max(float(y.mean()), 1.0)
            x = np.log((y + k) / (cv + k))
            err, _ = smooth(x, ALPHAS)
            sse = (err[:, BURN_WEEKS:] ** 2).mean(axis=1)
            a = float(ALPHAS[int(np.argmin(sse))])
            wts = (1 - a) ** np.arange(y.size)[::-1]
            levels.append(float((wts * (y + k)).sum() / (wts * (cv + k)).sum()))
            alphas.append(a)
            s2s.append(float(sse.min()))
        pool = Climatology(self.years).fit(series)
        return SeasonalLevelResults(self, pool, np.array(levels), np.array(alphas), np.array(s2s),
                                    monday + pd.Timedelta(days=WEEK * b.size))


@dataclass
class SeasonalLevelResults:
    """Level now (boats, people), smoothing weights, one-step error variances, and the climatology pool."""

    model: SeasonalLevelModel
    pool: _WeekPool
    level: np.ndarray  # [boats, people]: ratio to the baseline
    alpha: np.ndarray
    s2: np.ndarray
    next_monday: pd.Timestamp  # Monday after the last complete week

    def params(self) -> pd.Series:
        return pd.Series({"boats_level_ratio": self.level[0], "people_level_ratio": self.level[1],
                          "boats_alpha": self.alpha[0], "people_alpha": self.alpha[1],
                          "boats_s2": self.s2[0], "people_s2": self.s2[1]})

    def level_paths(self, n_weeks: int, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Multipliers (2 targets, paths, weeks after the last complete week), mean ``level`` in every week."""
        z = rng.standard_normal((n_paths, n_weeks))
        out = np.empty((2, n_paths, n_weeks))
        for i in range(2):
            a, s2 = self.alpha[i], self.s2[i]
            steps = np.full(n_weeks, a * a * s2)
            steps[0] = a * s2
            var = np.cumsum(steps)
            walk = np.cumsum(z * np.sqrt(steps)[None, :], axis=1)
            out[i] = self.level[i] * np.exp(walk - var[None, :] / 2)
        return out

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        base = self.pool.simulate(horizon, n_paths, rng)
        # week index (after the last complete week) of every simulated day
        week = (np.arange(horizon) + (base.start - self.next_monday).days) // WEEK
        mult = self.level_paths(int(week.max()) + 1, n_paths, rng)[:, :, week]
        boats = _round(base.boats * mult[0], rng)
        # people through the drawn day's people per boat, so a day without boats has no people
        ppb = np.divide(base.people, base.boats, out=np.zeros(base.boats.shape), where=base.boats > 0)
        people = _round(boats * ppb * (mult[1] / mult[0]), rng)
        return Paths(base.start, boats, people)


def _round(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round down or up at random with the probability of the fraction (the mean is kept)."""
    lo = np.floor(x)
    return (lo + (rng.random(x.shape) < x - lo)).astype(np.int64)
