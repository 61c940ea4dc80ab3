"""Design columns shared by fitting and simulation, so a model sees the same features in both."""
from __future__ import annotations

import numpy as np
import pandas as pd

LAG = 28  # days of history the recent-activity features look back on


def calendar(dates: pd.DatetimeIndex, origin: pd.Timestamp, harmonics: int = 2) -> np.ndarray:
    """Intercept, Fourier terms of the day of year (season) and years since ``origin`` (trend)."""
    doy = dates.day_of_year.to_numpy(float)
    cols = [np.ones(len(dates))]
    for k in range(1, harmonics + 1):
        ang = 2 * np.pi * k * doy / 365.25
        cols += [np.sin(ang), np.cos(ang)]
    cols.append((dates - origin).days.to_numpy(float) / 365.25)
    return np.column_stack(cols)


CALENDAR_NAMES = ["const", "sin1", "cos1", "sin2", "cos2", "trend"]


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
