"""A daily crossability rating from night/early-morning wind, gusts and waves.

In the spirit of the red/amber/green daily rating UK authorities use for small-boat crossings, where **red means
crossings are likely** (calm sea), amber possible, green unlikely. Each measure gets a score that is 1 at or
under its *red* limit, 0 at or over its *amber* limit, and linear between; the day's index is the worst score::

    score_v = clip((amber_v - x_v) / (amber_v - red_v), 0, 1)      index = min_v score_v

so 1 = every measure calm enough for a crossing, 0 = at least one measure rules it out. Category: ``red`` when the
index is 1, ``green`` when it is 0, ``amber`` between. The index never rises when a measure worsens.

Limits and the night window are those of :class:`crossings.conditions.thresholds.Thresholds` (the one definition
the forecast and the simulator use too): a measure's *red* limit is its ``likely_*`` limit and its *amber* limit
its ``max_*`` limit, the limit of a crossable day in the simulator.

Measures are those of :func:`crossings.conditions.store.daily_conditions` (mean wind, max gust and max wave
height over the strait points in the night window). A missing gust or wave value is left out of the minimum (older
wave history can be missing); a missing wind speed gives no rating.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import CrossingsError, InputError
from .thresholds import Thresholds, thresholds  # noqa: F401  (thresholds: re-exported)

CATEGORIES = ("red", "amber", "green")  # crossings likely, possible, unlikely
NO_DATA = "no data"


RatingThresholds = Thresholds  # the name this module used to define


def measure_scores(daily: pd.DataFrame, limits: Thresholds | None = None) -> pd.DataFrame:
    """Score (0-1, 1 = calm enough) of each measure on each day; NaN where the measure is missing."""
    t = limits or Thresholds()
    out = {}
    for col, (red, amber) in t.limits().items():
        if col not in daily.columns:
            raise InputError(f"missing column {col!r}", file="daily conditions")
        x = pd.to_numeric(daily[col], errors="coerce").to_numpy(float)
        out[col] = np.clip((amber - x) / (amber - red), 0.0, 1.0)
    return pd.DataFrame(out, index=daily.index)


def rate_days(daily: pd.DataFrame, limits: Thresholds | None = None) -> pd.DataFrame:
    """Daily rating: ``daily`` with ``crossability_index`` (0-1, 1 = crossings likely) and ``category``.

    ``category`` is ``red`` (crossings likely: index 1), ``amber`` (0 < index < 1), ``green`` (unlikely: index 0)
    or ``no data`` (no wind speed).
    """
    scores = measure_scores(daily, limits)
    has_wind = scores["wind_speed_ms"].notna().to_numpy()
    index = np.where(has_wind, np.nanmin(np.where(np.isnan(scores.to_numpy()), np.inf, scores.to_numpy()), axis=1),
                     np.nan)
    category = np.select([~has_wind, index >= 1.0, index <= 0.0], [NO_DATA, "red", "green"], "amber")
    out = daily.copy()
    out["crossability_index"] = index
    out["category"] = category
    return out


def rate_stored_days(store_or_con, start, end, limits: Thresholds | None = None,
                     points: list[str] | None = None) -> pd.DataFrame:
    """Rate each day from ``start`` to ``end`` from the conditions in the store (see :func:`rate_days`)."""
    from .store import daily_conditions
    t = limits or Thresholds()
    daily = daily_conditions(store_or_con, start, end, night_start_h=t.night_start_h, night_end_h=t.night_end_h,
                             points=points)
    if int(daily["n_hours"].sum()) == 0:
        raise NoConditionsError(f"no stored conditions for {pd.Timestamp(start).date()} to {pd.Timestamp(end).date()}: "
                                "run 'crossings conditions fetch --start ... --end ...' first")
    return rate_days(daily, t)


class NoConditionsError(CrossingsError):
    """No stored weather for any day asked for."""
