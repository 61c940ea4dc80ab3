"""Synthetic daily series with a known generating process, for tests of fitting and scoring."""
from __future__ import annotations

import numpy as np
import pandas as pd

from crossings.forecast.series import Series

START = pd.Timestamp("2021-01-01")


def conditions_series(n_days: int = 1460, b_wave: float = -1.5, b_wind: float = -0.2, const: float = 2.0,
                      seed: int = 0) -> tuple[Series, pd.DataFrame]:
    """Crossing days with logit P = const + b_wave * wave_height_m + b_wind * wind_speed_ms (independent days);
    boats on crossing days 1 + NB(mean 6, size 2); 40 people per boat."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(START, periods=n_days, freq="D")
    wave = rng.gamma(2.0, 0.6, n_days)
    wind = rng.uniform(1, 14, n_days)
    p = 1 / (1 + np.exp(-(const + b_wave * wave + b_wind * wind)))
    cross = rng.random(n_days) < p
    boats = np.where(cross, 1 + rng.negative_binomial(2, 2 / (2 + 6), n_days), 0).astype(np.int64)
    people = boats * 40
    cond = pd.DataFrame({"date": dates, "wave_height_m": wave, "wind_speed_ms": wind})
    return Series(START, boats, people), cond
