"""Reference forecasts a model must beat, returned as sample paths like the models so every score is computed alike.

Climatology: each future day is an independent draw of a (boats, people) day from the same calendar month in the
``years`` calendar years before the day's own year (the month's empirical distribution; its crossing-day frequency
is the probability of a crossing day). Those months all end before the origin for any horizon under ten months.
Persistence: each future day is an independent draw of a (boats, people) day from the last ``days`` observed days
(the recent pattern repeats, with its empirical spread; the crossing-day probability is their share of crossing days).
Weekly totals of both are sums of those independent daily draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .paths import Paths
from .series import Series


@dataclass
class _PoolResults:
    """Per forecast day, a pool of observed days to draw from (indices into ``boats``/``people``).

    ``years``: None for one pool of the last days (persistence), else the number of earlier years whose same
    calendar month forms the pool of each day (climatology).
    """

    start: pd.Timestamp
    dates: pd.DatetimeIndex
    boats: np.ndarray
    people: np.ndarray
    last: np.ndarray | None = None
    years: int | None = None

    def _pool(self, year: int, month: int) -> np.ndarray:
        if self.years is None:
            return self.last
        d = self.dates
        ix = np.flatnonzero((d.month == month) & (d.year < year) & (d.year >= year - self.years))
        if ix.size == 0:
            raise InputError(f"no data for month {month} in the {self.years} years before {year}")
        return ix

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        dates = pd.date_range(self.start, periods=horizon, freq="D")
        keys = dates.year.to_numpy() * 100 + dates.month.to_numpy()
        idx = np.empty((n_paths, horizon), np.int64)
        for k in np.unique(keys):
            cols = np.flatnonzero(keys == k)
            pool = self._pool(int(k) // 100, int(k) % 100)
            idx[:, cols] = pool[rng.integers(0, pool.size, size=(n_paths, cols.size))]
        return Paths(self.start, self.boats[idx], self.people[idx])


@dataclass
class Climatology:
    """Same calendar month in the ``years`` years before each forecast day's year."""

    years: int = 3
    name: str = "climatology"

    def fit(self, series: Series) -> _PoolResults:
        return _PoolResults(series.end + pd.Timedelta(days=1), series.dates, series.boats, series.people,
                            years=self.years)


@dataclass
class Persistence:
    """The last ``days`` observed days, drawn independently for each future day."""

    days: int = 14
    name: str = "persistence"

    def fit(self, series: Series) -> _PoolResults:
        n = len(series.boats)
        if n < self.days:
            raise InputError(f"persistence needs {self.days} observed days, got {n}")
        return _PoolResults(series.end + pd.Timedelta(days=1), series.dates, series.boats, series.people,
                            last=np.arange(n - self.days, n))
