"""Simulated sample paths: the one object every model returns, so daily and weekly figures agree."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .series import Series

LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Paths:
    """``boats`` and ``people`` are (n_paths, n_days) integer arrays for consecutive days from ``start``."""

    start: pd.Timestamp
    boats: np.ndarray
    people: np.ndarray

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.boats.shape[1], freq="D")

    @property
    def p_crossing(self) -> np.ndarray:
        """Probability of a crossing day (at least one boat), per day."""
        return (self.boats > 0).mean(axis=0)

    def weekly(self, observed: Series | None = None) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
        """Totals per week ending Sunday, for every week the paths (plus observed days before them) cover fully.

        Observed days of the first week that fall before the paths start are added to every path.
        """
        dates = self.dates
        b, p = self.boats, self.people
        first_monday = dates[0] - pd.Timedelta(days=dates[0].day_of_week)
        lead = (dates[0] - first_monday).days
        if lead:
            if observed is None or observed.end < dates[0] - pd.Timedelta(days=1) or observed.start > first_monday:
                first_monday += pd.Timedelta(days=7)  # the first week is not covered: drop it
                b, p, lead = b[:, 7 - lead:], p[:, 7 - lead:], 0
            else:
                i = observed.index_of(first_monday)
                n = b.shape[0]
                b = np.hstack([np.tile(observed.boats[i:i + lead], (n, 1)), b])
                p = np.hstack([np.tile(observed.people[i:i + lead], (n, 1)), p])
        w = b.shape[1] // 7
        b = b[:, :7 * w].reshape(b.shape[0], w, 7).sum(axis=2)
        p = p[:, :7 * w].reshape(p.shape[0], w, 7).sum(axis=2)
        ends = pd.date_range(first_monday + pd.Timedelta(days=6), periods=w, freq="7D")
        return ends, b, p


def quantiles(samples: np.ndarray, levels: tuple[float, ...] = LEVELS) -> np.ndarray:
    """Quantiles over paths (axis 0): shape (len(levels), ...). Uses the 'linear' definition of numpy."""
    return np.quantile(samples, levels, axis=0)


def qdict(q: np.ndarray, levels: tuple[float, ...] = LEVELS) -> dict[str, float]:
    """One column of :func:`quantiles` as the {"0.05": value, ...} mapping of the JSON output."""
    return {f"{lv:g}": float(round(v, 1)) for lv, v in zip(levels, q)}
