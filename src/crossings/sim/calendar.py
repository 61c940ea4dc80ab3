"""Calendar anchoring: a scenario's time-varying inputs as functions of the calendar date, not of its ``start``.

Moving a scenario's dates moves its inputs: the same day gets the same inputs whatever period it is simulated in.

- **People per boat**: ``people_per_boat_at_reference`` on ``people_per_boat_reference_date``; after that date it
  changes by ``people_per_boat_trend_per_year``; before it, it follows ``people_per_boat_history`` (yearly means
  placed at 1 July and joined by straight lines), scaled to meet the level at the reference date (with no history,
  the trend applies before the date too).
- **Taxi-boat share**: ``taxi_boat_share`` x the calendar year's ``taxi_boat_share_year_factor``.
- **Inflow level**: ``inflow_people_per_day`` x the calendar year's ``inflow_year_level``. Years after the last one
  listed follow a random walk from it, ``level_y = level_(y-1) x exp(inflow_year_sigma x z_y)``, with ``z_y`` drawn
  per replicate and calendar year (from a stream keyed by the year, so a year gets the same draw whatever the period);
  years before the first listed take its value. A projection's spread thus includes the year-to-year swings of the
  level, not only day-to-day noise.
- **Monthly pattern**: ``inflow_monthly_factor`` of the calendar month (and the weather chain's month).

``warm_up_days`` days are simulated before ``start`` with the inputs of their own dates and not reported.
:func:`truncate_to` drops what a scenario lists after a date, for projections that must not see later data.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .scenario import Scenario

#: Day of the year the yearly means of ``people_per_boat_history`` are placed at.
HISTORY_MONTH_DAY = (7, 1)
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Calendar:
    """Day-level inputs of a scenario that do not depend on the replicate (length ``T`` = warm-up + period)."""
    dates: np.ndarray                 # (T,) datetime64[D], every simulated day, warm-up first
    n_warm_up: int                    # days before ``start`` (not reported)
    months: np.ndarray                # (T,) int64, 0 = January
    years: tuple[int, ...]            # calendar years spanned, in order
    year_index: np.ndarray            # (T,) int64 index into ``years``
    ppb_history_factor: np.ndarray    # (T,) people per boat / level at the reference date (1 from the date on)
    years_after_ppb_reference: np.ndarray  # (T,) years from the reference date the trend applies to
    taxi_factor: np.ndarray           # (T,) taxi-boat share factor of the day's year
    aa_open_share: np.ndarray         # (T,) share of Aa-canal departures the tide allows, in [0, 1]
    series_crossable: np.ndarray | None   # (T,) bool, real series driver
    series_roughness: np.ndarray | None   # (T,) in [0, 1]

    @property
    def n_days(self) -> int:
        return len(self.dates)


def first_day(scenario: Scenario) -> date:
    """The first simulated day (the first warm-up day). With a real series of conditions the warm-up starts no
    earlier than the series' first day."""
    first = scenario.start - timedelta(days=scenario.warm_up_days)
    if scenario.sea_state.driver == "series" and scenario.warm_up_days:
        import pandas as pd

        from .seastate import read_conditions
        covered = read_conditions(_series_path(scenario))["date"]
        covered = covered[(covered >= pd.Timestamp(first)) & (covered <= pd.Timestamp(scenario.start))]
        days = set(covered.dt.date)
        while first < scenario.start and first not in days:
            first += timedelta(days=1)
    return first


def _series_path(scenario: Scenario) -> Path:
    path = Path(scenario.sea_state.series.path)
    return path if path.is_absolute() else scenario.base_dir() / path


def calendar_years(scenario: Scenario) -> tuple[int, ...]:
    """Calendar years the simulated days (warm-up included) fall in."""
    return tuple(range(first_day(scenario).year, scenario.end.year + 1))


def by_year(table: dict[int, float], years: np.ndarray, default: float) -> np.ndarray:
    """``table[year]`` for each year; years before the first key take its value, after the last the last one."""
    if not table:
        return np.full(len(years), float(default))
    keys = np.array(sorted(table))
    vals = np.array([table[k] for k in keys], dtype=float)
    i = np.clip(np.searchsorted(keys, years, side="right") - 1, 0, len(keys) - 1)
    return vals[i]


def _seconds(days) -> np.ndarray:
    """Days as float seconds since 1970 (the unit of the straight lines between yearly means)."""
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[s]").astype(np.int64).astype(float)


def _ppb_shape(scenario: Scenario, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    b = scenario.boats
    ref = np.datetime64(b.people_per_boat_reference_date, "D")
    years_from_ref = (dates - ref).astype(np.int64).astype(float) / DAYS_PER_YEAR
    if not b.people_per_boat_history:
        return np.ones(len(dates)), years_from_ref
    hist = b.people_per_boat_history
    x = _seconds([date(y, *HISTORY_MONTH_DAY) for y in hist])
    v = np.array(list(hist.values()), dtype=float)
    at_ref = float(np.interp(_seconds(ref), x, v))
    before = dates < ref
    factor = np.where(before, np.interp(_seconds(dates), x, v) / at_ref, 1.0)
    return factor, np.where(before, 0.0, years_from_ref)


def calendar(scenario: Scenario) -> Calendar:
    """The day-level inputs of ``scenario``, warm-up included (tide windows are predicted once and cached)."""
    from .seastate import aa_canal_night_hours, series_driver
    first = first_day(scenario)
    dates = np.arange(np.datetime64(first, "D"), np.datetime64(scenario.end, "D") + 1)
    months = dates.astype("datetime64[M]").astype(np.int64) % 12
    years = calendar_years(scenario)
    day_years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    year_index = day_years - years[0]
    factor, after = _ppb_shape(scenario, dates)
    taxi = by_year(scenario.boats.taxi_boat_share_year_factor, day_years, 1.0)
    b = scenario.boats
    hours = aa_canal_night_hours(first, scenario.end, b.aa_canal_min_level_m, b.aa_canal_max_hours_from_high_water)
    aa_open = np.clip(hours / b.aa_canal_full_capacity_hours, 0.0, 1.0)
    sc = sr = None
    ss = scenario.sea_state
    if ss.driver == "series":
        import pandas as pd
        sc, sr = series_driver(_series_path(scenario), pd.DatetimeIndex(dates), ss.series.thresholds)
    return Calendar(dates, (scenario.start - first).days, months, years, year_index, factor, after, taxi, aa_open, sc, sr)


def truncate_to(scenario: Scenario, until: date) -> Scenario:
    """A copy of ``scenario`` that lists nothing from after ``until``: yearly inflow levels, people-per-boat means
    and taxi-boat factors of years after ``until.year`` are dropped (the inflow then follows its random walk from
    the last year kept), so a projection from ``until`` uses only what was known then."""
    p, b = scenario.people, scenario.boats
    keep = (lambda t: {y: v for y, v in t.items() if y <= until.year})
    return scenario.with_values(**{"people.inflow_year_level": keep(p.inflow_year_level),
                                   "boats.people_per_boat_history": keep(b.people_per_boat_history),
                                   "boats.taxi_boat_share_year_factor": keep(b.taxi_boat_share_year_factor)})
