"""Reference forecasts a model must beat, returned as sample paths like the models so every score is computed alike.

Climatology: each future day is an independent draw of a (boats, people) day from the same calendar month in the
``years`` calendar years before the origin's year (the month's empirical distribution; its crossing-day frequency
is the probability of a crossing day).
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
    """Per forecast day, a pool of observed days to draw from (indices into ``boats``/``people``)."""

    start: pd.Timestamp
    boats: np.ndarray
    people: np.ndarray
    pools: dict[int, np.ndarray]  # key -> indices of observed days
    key: str  # "month" or "all"

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        dates = pd.date_range(self.start, periods=horizon, freq="D")
        keys = dates.month.to_numpy() if self.key == "month" else np.zeros(horizon, int)
        idx = np.empty((n_paths, horizon), np.int64)
        for k in np.unique(keys):
            cols = np.flatnonzero(keys == k)
            pool = self.pools[int(k)]
            idx[:, cols] = pool[rng.integers(0, pool.size, size=(n_paths, cols.size))]
        return Paths(self.start, self.boats[idx], self.people[idx])


@dataclass
class Climatology:
    """Same calendar month in the ``years`` years before the origin's year."""

    years: int = 3
    name: str = "climatology"

    def fit(self, series: Series) -> _PoolResults:
        dates = series.dates
        origin_year = series.end.year
        earlier = (dates.year < origin_year) & (dates.year >= origin_year - self.years)
        pools = {}
        for m in range(1, 13):
            ix = np.flatnonzero(earlier & (dates.month == m))
            if ix.size == 0:
                raise InputError(f"no data for month {m} in the {self.years} years before {origin_year}")
            pools[m] = ix
        return _PoolResults(series.end + pd.Timedelta(days=1), series.boats, series.people, pools, "month")


@dataclass
class Persistence:
    """The last ``days`` observed days, drawn independently for each future day."""

    days: int = 14
    name: str = "persistence"

    def fit(self, series: Series) -> _PoolResults:
        n = len(series.boats)
        if n < self.days:
            raise InputError(f"persistence needs {self.days} observed days, got {n}")
        pools = {0: np.arange(n - self.days, n)}
        return _PoolResults(series.end + pd.Timedelta(days=1), series.boats, series.people, pools, "all")
