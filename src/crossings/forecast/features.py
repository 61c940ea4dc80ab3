"""Design columns shared by fitting and simulation, so a model sees the same features in both."""
from __future__ import annotations

import numpy as np
import pandas as pd

LAG = 28  # days of history the recent-activity features look back on


def calendar(dates: pd.DatetimeIndex, origin: pd.Timestamp, harmonics: int = 2, trend: bool = True) -> np.ndarray:
    """Intercept, Fourier terms of the day of year (season) and, if ``trend``, years since ``origin``."""
    doy = dates.day_of_year.to_numpy(float)
    cols = [np.ones(len(dates))]
    for k in range(1, harmonics + 1):
        ang = 2 * np.pi * k * doy / 365.25
        cols += [np.sin(ang), np.cos(ang)]
    if trend:
        cols.append((dates - origin).days.to_numpy(float) / 365.25)
    return np.column_stack(cols)


def calendar_names(harmonics: int = 2, trend: bool = True) -> list[str]:
    """Names of the :func:`calendar` columns."""
    return ["const"] + [f"{f}{k}" for k in range(1, harmonics + 1) for f in ("sin", "cos")] + (["trend"] if trend
                                                                                                else [])


def recent(boats_window: np.ndarray, fallback_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Recent-activity features from the last ``LAG`` days (rows: cases; last column: yesterday).

    Returns (occurrence features, count features):
    occurrence: crossed yesterday, share of crossing days in the last 7 and 28 days;
    counts: log(1 + mean boats per crossing day in the last 28 days), log(1 + days since the last crossing day).
    """
    cross = boats_window > 0
    yday = cross[:, -1].astype(float)
    s7 = cross[:, -7:].mean(axis=1)
    s28 = cross.mean(axis=1)
    n = cross.sum(axis=1)
    level = np.where(n > 0, boats_window.sum(axis=1) / np.maximum(n, 1), fallback_level)
    rev = cross[:, ::-1]
    dry = np.where(rev.any(axis=1), rev.argmax(axis=1), LAG).astype(float)
    return np.column_stack([yday, s7, s28]), np.column_stack([np.log1p(level), np.log1p(dry)])


RECENT_OCC_NAMES = ["crossed_yesterday", "share_7d", "share_28d"]
RECENT_COUNT_NAMES = ["log_level_28d", "log_dry_days"]


class RecentState:
    """The features of :func:`recent` kept up to date one day at a time for many paths (O(paths) per day).

    Built from the last ``LAG`` days of each path; :meth:`push` appends a day. Gives the same numbers as calling
    :func:`recent` on the moving window (tested), without recomputing 28-day sums every simulated day.
    """

    def __init__(self, boats_window: np.ndarray, fallback_level: float):
        w = np.asarray(boats_window, float)
        self.window = w.copy()  # ring buffer, oldest day at self.pos
        self.pos = 0
        self.fallback = fallback_level
        cross = w > 0
        self.n7 = cross[:, -7:].sum(axis=1).astype(float)
        self.n28 = cross.sum(axis=1).astype(float)
        self.sum28 = w.sum(axis=1)
        self.yday = cross[:, -1].astype(float)
        rev = cross[:, ::-1]
        self.dry = np.where(rev.any(axis=1), rev.argmax(axis=1), LAG).astype(float)

    def features(self) -> tuple[np.ndarray, np.ndarray]:
        level = np.where(self.n28 > 0, self.sum28 / np.maximum(self.n28, 1), self.fallback)
        occ = np.column_stack([self.yday, self.n7 / 7, self.n28 / LAG])
        return occ, np.column_stack([np.log1p(level), np.log1p(self.dry)])

    def push(self, boats: np.ndarray) -> None:
        new = np.asarray(boats, float)
        out28 = self.window[:, self.pos]
        out7 = self.window[:, (self.pos + LAG - 7) % LAG]  # the day leaving the last-7 window
        crossed = new > 0
        self.n28 += crossed.astype(float) - (out28 > 0)
        self.n7 += crossed.astype(float) - (out7 > 0)
        self.sum28 += new - out28
        self.window[:, self.pos] = new
        self.pos = (self.pos + 1) % LAG
        self.yday = crossed.astype(float)
        self.dry = np.where(crossed, 0.0, np.where(self.n28 > 0, self.dry + 1, LAG))
