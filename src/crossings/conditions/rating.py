"""A daily crossability rating from night/early-morning wind, gusts and waves.

In the spirit of the red/amber/green daily rating UK authorities use for small-boat crossings, where **red means
crossings are likely** (calm sea), amber possible, green unlikely. Each measure gets a score that is 1 at or
under its *red* limit, 0 at or over its *amber* limit, and linear between; the day's index is the worst score::

    score_v = clip((amber_v - x_v) / (amber_v - red_v), 0, 1)      index = min_v score_v

so 1 = every measure calm enough for a crossing, 0 = at least one measure rules it out. Category: ``red`` when the
index is 1, ``green`` when it is 0, ``amber`` between. The index never rises when a measure worsens.

Default limits are assumptions, stated so they can be changed, not published thresholds:

- small overloaded inflatables are reported to cross in light winds, Beaufort 3 or less (mean wind up to
  5.4 m/s), and rarely above Beaufort 4 (up to 7.9 m/s): wind red 5.5, amber 8.0 m/s;
- gusts run about 1.4-1.5 times the mean wind over open water: gust red 8.5, amber 12.0 m/s;
- waves: such boats need a significant wave height under about 1 m (Beaufort 3-4 seas are 0.6-1 m):
  wave red 1.0, amber 1.5 m.

Measures are those of :func:`crossings.conditions.store.daily_conditions` (mean wind, max gust and max wave
height over the strait points in the night window, 20:00-08:00 UTC by default). A missing gust or wave value is
left out of the minimum (older wave history can be missing); a missing wind speed gives no rating.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import InputError

CATEGORIES = ("red", "amber", "green")  # crossings likely, possible, unlikely
NO_DATA = "no data"


class RatingThresholds(BaseModel):
    """Limits of the daily rating. ``*_red``: at or under it, crossings likely; ``*_amber``: at or over it, unlikely."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wind_speed_red_ms: float = Field(5.5, gt=0, description="mean night wind at or under which crossings are likely")
    wind_speed_amber_ms: float = Field(8.0, gt=0, description="mean night wind at or over which they are unlikely")
    wind_gust_red_ms: float = Field(8.5, gt=0, description="max night gust at or under which crossings are likely")
    wind_gust_amber_ms: float = Field(12.0, gt=0, description="max night gust at or over which they are unlikely")
    wave_height_red_m: float = Field(1.0, gt=0, description="max significant wave height, crossings likely")
    wave_height_amber_m: float = Field(1.5, gt=0, description="max significant wave height, crossings unlikely")
    night_start_h: int = Field(20, ge=0, le=24, description="night window start, UTC, previous day")
    night_end_h: int = Field(8, ge=0, le=24, description="night window end, UTC, on the day")

    @model_validator(mode="after")
    def _ordered(self) -> "RatingThresholds":
        for m in ("wind_speed", "wind_gust", "wave_height"):
            unit = "m" if m == "wave_height" else "ms"
            red, amber = getattr(self, f"{m}_red_{unit}"), getattr(self, f"{m}_amber_{unit}")
            if not red < amber:
                raise ValueError(f"{m}_red_{unit} ({red}) must be below {m}_amber_{unit} ({amber})")
        return self

    def limits(self) -> dict[str, tuple[float, float]]:
        """Measure column -> (red limit, amber limit)."""
        return {"wind_speed_ms": (self.wind_speed_red_ms, self.wind_speed_amber_ms),
                "wind_gust_ms": (self.wind_gust_red_ms, self.wind_gust_amber_ms),
                "wave_height_m": (self.wave_height_red_m, self.wave_height_amber_m)}


def thresholds(**values) -> RatingThresholds:
    """:class:`RatingThresholds` from keyword values, with a one-line :class:`InputError` naming a bad field."""
    from pydantic import ValidationError
    try:
        return RatingThresholds(**values)
    except ValidationError as exc:
        e = exc.errors()[0]
        field = ".".join(str(x) for x in e["loc"]) or "thresholds"
        raise InputError(f"{field}: {e['msg']}") from None


def measure_scores(daily: pd.DataFrame, limits: RatingThresholds | None = None) -> pd.DataFrame:
    """Score (0-1, 1 = calm enough) of each measure on each day; NaN where the measure is missing."""
    t = limits or RatingThresholds()
    out = {}
    for col, (red, amber) in t.limits().items():
        if col not in daily.columns:
            raise InputError(f"missing column {col!r}", file="daily conditions")
        x = pd.to_numeric(daily[col], errors="coerce").to_numpy(float)
        out[col] = np.clip((amber - x) / (amber - red), 0.0, 1.0)
    return pd.DataFrame(out, index=daily.index)


def rate_days(daily: pd.DataFrame, limits: RatingThresholds | None = None) -> pd.DataFrame:
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


def rate_stored_days(store_or_con, start, end, limits: RatingThresholds | None = None,
                     points: list[str] | None = None) -> pd.DataFrame:
    """Rate each day from ``start`` to ``end`` from the conditions in the store (see :func:`rate_days`)."""
    from .store import daily_conditions
    t = limits or RatingThresholds()
    daily = daily_conditions(store_or_con, start, end, night_start_h=t.night_start_h, night_end_h=t.night_end_h,
                             points=points)
    return rate_days(daily, t)
