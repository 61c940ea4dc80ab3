"""Forecasts from the store, as a notebook user or the CLI calls them.

``forecast(series, as_of)`` simulates from the day after the last observed day (days published late are simulated
too), then reports the ``days`` days after ``as_of`` and the ``weeks`` official weeks (ending Sunday) from the one
holding ``as_of + 1``; observed days of that first week are added to every path.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..errors import InputError
from .hurdle import CONDITION_COLUMNS, HurdleModel
from .paths import LEVELS, quantiles
from .series import Series, daily_series


@dataclass
class Forecast:
    """Daily and weekly predictive summaries; :meth:`to_dict` is the JSON form."""

    as_of: pd.Timestamp
    model: str
    note: str
    daily: pd.DataFrame  # date, p_crossing_day, boats_q05..q95, people_q05..q95
    weekly: pd.DataFrame  # week_ending, boats_q.., people_q..
    params: pd.Series = field(repr=False, default=None)

    def to_dict(self) -> dict:
        def q(row: dict, target: str) -> dict[str, float]:
            return {f"{lv:g}": float(row[f"{target}_{lv:g}"]) for lv in LEVELS}
        return {
            "as_of": self.as_of.date().isoformat(),
            "daily": [{"date": r["date"].date().isoformat(), "p_crossing_day": float(r["p_crossing_day"]),
                       "boats": q(r, "boats"), "people": q(r, "people")} for r in self.daily.to_dict("records")],
            "weekly": [{"week_ending": r["week_ending"].date().isoformat(), "boats": q(r, "boats"),
                        "people": q(r, "people")} for r in self.weekly.to_dict("records")],
        }


def _qcols(target: str, samples: np.ndarray) -> dict[str, np.ndarray]:
    """Columns ``<target>_0.05`` ... ``<target>_0.95``: quantiles over paths, rounded as in the JSON."""
    q = np.round(quantiles(samples), 1)
    return {f"{target}_{lv:g}": q[i] for i, lv in enumerate(LEVELS)}


def forecast(series: Series, as_of: date | str | None = None, days: int = 14, weeks: int = 8,
             n_paths: int = 2000, seed: int = 0, conditions: pd.DataFrame | None = None) -> Forecast:
    """Forecast the ``days`` days and ``weeks`` weeks after ``as_of`` (default: the last observed day).

    ``series`` is cut at ``as_of``. With ``conditions`` (date, wave_height_m, wind_speed_ms covering the training
    window and every simulated day) the occurrence part depends on them; otherwise the no-weather model is used.
    """
    if days < 1 or weeks < 1:
        raise InputError("days and weeks must be at least 1")
    as_of = pd.Timestamp(as_of) if as_of is not None else series.end
    if as_of < series.end:
        series = series.upto(as_of)
    first_day = as_of + pd.Timedelta(days=1)
    first_end = first_day + pd.Timedelta(days=(6 - first_day.day_of_week))
    last_end = first_end + pd.Timedelta(days=7 * (weeks - 1))
    last_day = max(as_of + pd.Timedelta(days=days), last_end)
    horizon = (last_day - series.end).days
    model = HurdleModel(conditions=conditions) if conditions is not None else HurdleModel()
    note = ("conditions model: occurrence depends on wave height and wind" if conditions is not None
            else "no-weather model (season, trend, recent activity)")
    note += f"; data to {series.end.date()}"
    with threadpool_limits(1):  # small matrices: one BLAS thread is many times faster than several
        results = model.fit(series)
        paths = results.simulate(horizon, n_paths, np.random.default_rng(seed))
    off = (first_day - paths.start).days
    sl = slice(off, off + days)
    daily = pd.DataFrame({"date": paths.dates[sl], "p_crossing_day": np.round(paths.p_crossing[sl], 3),
                          **_qcols("boats", paths.boats[:, sl]), **_qcols("people", paths.people[:, sl])})
    ends, wb, wp = paths.weekly(series)
    keep = (ends >= first_end) & (ends <= last_end)
    weekly = pd.DataFrame({"week_ending": ends[keep], **_qcols("boats", wb[:, keep]),
                           **_qcols("people", wp[:, keep])})
    return Forecast(as_of, model.name, note, daily, weekly, results.params())


def _conditions_reader():
    """The conditions area's ``daily_conditions``, imported only when needed (it is optional here)."""
    try:
        from ..conditions import daily_conditions
    except ImportError:
        try:
            from ..conditions.store import daily_conditions
        except ImportError:
            return None
    return daily_conditions


def store_conditions(con, train_start: pd.Timestamp, forecast_start: pd.Timestamp,
                     end: pd.Timestamp) -> tuple[pd.DataFrame | None, str]:
    """Daily conditions from the store, or (None, why not).

    Usable when every day from ``forecast_start`` to ``end`` has wave height and wind, and at least 120 days from
    ``train_start`` to the day before ``forecast_start`` have them (to fit on).
    """
    reader = _conditions_reader()
    if reader is None:
        return None, "no conditions reader in this installation"
    try:
        df = reader(con, train_start.date(), end.date())
    except Exception as exc:  # noqa: BLE001 - any failure there means: forecast without conditions
        return None, f"conditions unavailable ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
    if df is None or len(df) == 0:
        return None, f"no conditions stored for {train_start.date()} to {end.date()}"
    missing = [c for c in ("date", *CONDITION_COLUMNS) if c not in df.columns]
    if missing:
        return None, f"conditions lack column(s) {', '.join(missing)}"
    have = pd.DatetimeIndex(pd.to_datetime(df.dropna(subset=list(CONDITION_COLUMNS))["date"]).dt.normalize())
    gaps = pd.date_range(forecast_start, end, freq="D").difference(have)
    if len(gaps):
        return None, (f"conditions missing for {len(gaps)} of the days to forecast "
                      f"({forecast_start.date()} to {end.date()})")
    n_train = int(((have >= train_start) & (have < forecast_start)).sum())
    if n_train < 120:
        return None, f"conditions cover only {n_train} past days to fit on (need 120)"
    return df, ""


def forecast_from_store(store, as_of: date | None = None, days: int = 14, weeks: int = 8, n_paths: int = 2000,
                        seed: int = 0, use_conditions: bool = True) -> Forecast:
    """Forecast from a :class:`crossings.store.Store` using only releases published on or before ``as_of``.

    Conditions are used when the store holds them for the whole training window and every simulated day;
    otherwise the no-weather model runs and ``Forecast.note`` says why.
    """
    daily = store.daily(as_of=as_of)
    if daily.empty:
        raise InputError(f"no release in the store was published on or before {as_of}")
    series = daily_series(daily, as_of=as_of)
    target = pd.Timestamp(as_of) if as_of is not None else series.end
    conditions, why = None, "conditions not requested"
    if use_conditions:
        first_end = target + pd.Timedelta(days=1 + (6 - (target + pd.Timedelta(days=1)).day_of_week))
        end = max(target + pd.Timedelta(days=days), first_end + pd.Timedelta(days=7 * (weeks - 1)))
        start = series.end - pd.Timedelta(days=HurdleModel().window_days)
        conditions, why = store_conditions(store.con, start, series.end + pd.Timedelta(days=1), end)
    fc = forecast(series, target, days, weeks, n_paths, seed, conditions)
    if conditions is None:
        fc.note = f"{fc.note}; falls back to it because {why}"
    return fc
