"""Reference forecasts a model must beat, returned as sample paths like the models so every score is computed alike.

Both draw whole official weeks (Monday to Sunday) of the observed series, so a path's weekly total is an observed
weekly total and its days are that week's days:

- climatology: for a target week starting on Monday M, one of the weeks starting M - 364 k + 7 j, for k = 1, 2, 3
  years back and j = -1, 0, +1 weeks (nine weeks, the same weeks of the three previous years +-1 week);
- persistence: one of the last 8 complete weeks before the data end.

Each target week of each path draws its week independently and uniformly. The crossing-day probability of a day
is the share of paths with a boat on it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .paths import Paths
from .series import Series

WEEK = 7
YEAR_WEEKS_DAYS = 364  # 52 weeks: same weekday a year back


@dataclass
class _WeekPool:
    """Observed series and, per target week, the Monday indices of the weeks it may be drawn from."""

    series: Series
    name: str
    years: int | None = None
    last_weeks: int | None = None

    def _candidates(self, monday: pd.Timestamp) -> np.ndarray:
        s = self.series
        if self.years is None:
            last_sunday = s.end - pd.Timedelta(days=(s.end.day_of_week + 1) % 7)
            first = last_sunday - pd.Timedelta(days=WEEK * self.last_weeks - 1)
            starts = [s.index_of(first + pd.Timedelta(days=WEEK * i)) for i in range(self.last_weeks)]
        else:
            starts = [s.index_of(monday) - YEAR_WEEKS_DAYS * k + WEEK * j
                      for k in range(1, self.years + 1) for j in (-1, 0, 1)]
        starts = np.array([i for i in starts if 0 <= i and i + WEEK <= len(s.boats)], np.int64)
        if starts.size == 0:
            raise InputError(f"{self.name}: no observed week to draw from for the week of {monday.date()}")
        return starts

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        start = self.series.end + pd.Timedelta(days=1)
        monday = start - pd.Timedelta(days=start.day_of_week)
        lead = (start - monday).days
        n_weeks = -(-(lead + horizon) // WEEK)
        idx = np.empty((n_paths, n_weeks * WEEK), np.int64)
        for w in range(n_weeks):
            cand = self._candidates(monday + pd.Timedelta(days=WEEK * w))
            pick = cand[rng.integers(0, cand.size, n_paths)]
            idx[:, w * WEEK:(w + 1) * WEEK] = pick[:, None] + np.arange(WEEK)[None, :]
        idx = idx[:, lead:lead + horizon]
        return Paths(start, self.series.boats[idx], self.series.people[idx])

    def params(self) -> pd.Series:
        return pd.Series({"years": self.years, "last_weeks": self.last_weeks})


@dataclass
class Climatology:
    """The same weeks of the ``years`` previous years, +-1 week."""

    years: int = 3
    name: str = "climatology"

    def fit(self, series: Series) -> _WeekPool:
        if len(series.boats) < YEAR_WEEKS_DAYS + 2 * WEEK:
            raise InputError(f"climatology needs more than a year of data, got {len(series.boats)} days")
        return _WeekPool(series, self.name, years=self.years)


@dataclass
class Persistence:
    """The last ``weeks`` complete weeks (Monday to Sunday) before the data end."""

    weeks: int = 8
    name: str = "persistence"

    def fit(self, series: Series) -> _WeekPool:
        if len(series.boats) < WEEK * (self.weeks + 1):
            raise InputError(f"persistence needs {self.weeks + 1} weeks of data, got {len(series.boats)} days")
        return _WeekPool(series, self.name, last_weeks=self.weeks)
