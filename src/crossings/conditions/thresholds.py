"""The one definition of when the sea allows a small-boat crossing, and of the night window a day's conditions are
taken over. Used by the daily rating, the forecast's conditions and the simulator (``crossable()`` in
``crossings.sim.seastate`` and the scenario's ``thresholds`` section).

A day is *crossable* when every night measure is at or below its ``max_*`` limit; crossings are *likely* at or
below the ``likely_*`` limits (default: two thirds of the ``max_*`` limit). Default limits are assumptions, stated so
they can be changed, not published thresholds:

- small overloaded inflatables are reported to cross in light winds, Beaufort 3 or less (mean wind up to 5.4 m/s),
  and rarely above Beaufort 4 (up to 7.9 m/s): wind limit 8 m/s;
- gusts run about 1.4-1.5 times the mean wind over open water: gust limit 12 m/s;
- such boats need a significant wave height under about 1 m (Beaufort 3-4 seas are 0.6-1 m): wave limit 1.5 m,
  so likely at or under 1 m.

The night window of a date runs from ``night_start_h`` UTC on the previous day to ``night_end_h`` UTC on the date
(the hours when most boats leave, so a night counts towards the day boats arrive in the UK).
"""
from __future__ import annotations

from typing import Optional

import numpy as np
from pydantic import ConfigDict, Field, ValidationError, model_validator
from pydantic.dataclasses import dataclass

from ..errors import InputError

NIGHT_START_H = 20  # 20:00 UTC the previous day ...
NIGHT_END_H = 8  # ... to 08:00 UTC on the day (21:00/22:00 to 09:00/10:00 in Paris)
LIKELY_FRACTION = 2 / 3  # default likely limit as a share of the max limit
MEASURES = ("wind_speed_ms", "wind_gust_ms", "wave_height_m")  # columns of the daily conditions table


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Thresholds:
    """Limits on the night conditions (see the module docstring)."""

    max_wind_speed_ms: float = Field(8.0, gt=0, description="highest night mean 10 m wind for a crossing [m/s]")
    max_wind_gust_ms: float = Field(12.0, gt=0, description="highest night max 10 m gust for a crossing [m/s]")
    max_wave_height_m: float = Field(1.5, gt=0, description="highest night max significant wave height [m]")
    likely_wind_speed_ms: Optional[float] = Field(None, gt=0, description="mean wind at or under which crossings "
                                                  "are likely [m/s] (default 2/3 of the max)")
    likely_wind_gust_ms: Optional[float] = Field(None, gt=0, description="gust at or under which crossings are "
                                                 "likely [m/s] (default 2/3 of the max)")
    likely_wave_height_m: Optional[float] = Field(None, gt=0, description="wave height at or under which "
                                                  "crossings are likely [m] (default 2/3 of the max)")
    night_start_h: int = Field(NIGHT_START_H, ge=0, le=24, description="night window start, UTC, previous day")
    night_end_h: int = Field(NIGHT_END_H, ge=0, le=24, description="night window end, UTC, on the day")

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        for col, (likely, top) in self.limits().items():
            if not likely < top:
                raise ValueError(f"likely_{col} ({likely:g}) must be below max_{col} ({top:g})")
        if self.night_end_h > self.night_start_h:
            raise ValueError(f"night window {self.night_start_h}:00 (previous day) to {self.night_end_h}:00 is "
                             "longer than 24 h")
        return self

    def limits(self) -> dict[str, tuple[float, float]]:
        """Measure column -> (likely limit, max limit)."""
        out = {}
        for col in MEASURES:
            top = getattr(self, f"max_{col}")
            likely = getattr(self, f"likely_{col}")
            out[col] = (LIKELY_FRACTION * top if likely is None else likely, top)
        return out

    @property
    def night_hours(self) -> int:
        return 24 - self.night_start_h + self.night_end_h


def field_names() -> list[str]:
    """Names accepted by :func:`thresholds` (and ``--set``)."""
    return list(Thresholds.__dataclass_fields__)


def thresholds(**values) -> Thresholds:
    """:class:`Thresholds` from keyword values, with a one-line :class:`InputError` naming a bad field."""
    unknown = [k for k in values if k not in field_names()]
    if unknown:
        raise InputError(f"unknown limit {unknown[0]!r}; valid names: {', '.join(field_names())}")
    try:
        return Thresholds(**values)
    except ValidationError as exc:
        e = exc.errors()[0]
        field = ".".join(str(x) for x in e["loc"]) or "thresholds"
        raise InputError(f"{field}: {e['msg']}") from None


def crossable(wind_speed_ms, wind_gust_ms, wave_height_m, limits: Thresholds = Thresholds()) -> np.ndarray:
    """True where every measure is at or below its max limit; a missing value (NaN) is not crossable."""
    ws, wg, wh = (np.asarray(x, dtype=float) for x in (wind_speed_ms, wind_gust_ms, wave_height_m))
    with np.errstate(invalid="ignore"):
        return (ws <= limits.max_wind_speed_ms) & (wg <= limits.max_wind_gust_ms) & (wh <= limits.max_wave_height_m)
