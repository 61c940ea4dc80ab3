"""Forecasts from the store, as a notebook user or the CLI calls them.

A forecast is issued on a day D (``as_of``) from the releases published on or before D. It simulates from the day
after the last published day (days not yet published are simulated too), reports the ``days`` days from D and the
``weeks`` official weeks (ending Sunday) from the one holding D; observed days of that first week are added to every
path, so weekly totals are sums of the same daily paths.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..errors import InputError, check_not_future
from . import fits
from .cache import release_age_note
from .names import DEFAULT_MODEL, MODEL_NAMES
from .paths import LEVELS, quantiles
from .series import Series, daily_series

EXPECTED_LAG_DAYS = 1  # the daily page of day D holds data to D - 1


def make_model(name: str, conditions: pd.DataFrame | None = None):
    """A model by its name (one of :data:`MODEL_NAMES`); ``conditions`` only for the hurdle model."""
    if name == "locallevel":  # each import only when its model is asked for (statsmodels and numba are slow)
        from .locallevel import LocalLevelModel
        return LocalLevelModel()
    if name == "hurdle":
        from .hurdle import HurdleModel
        return HurdleModel(conditions=conditions) if conditions is not None else HurdleModel()
    if name == "seasonal":
        from .seasonal import SeasonalLevelModel
        return SeasonalLevelModel()
    if name == "ensemble":
        from .ensemble import EnsembleModel
        return EnsembleModel()
    if name == "climatology":
        from .baselines import Climatology
        return Climatology()
    if name == "persistence":
        from .baselines import Persistence
        return Persistence()
    raise InputError(f"unknown model {name!r}; known: {', '.join(MODEL_NAMES)}")


@dataclass
class Forecast:
    """Daily and weekly predictive summaries; :meth:`to_dict` is the JSON form."""

    as_of: pd.Timestamp
    model: str
    note: str
    data_end: pd.Timestamp
    daily: pd.DataFrame  # date, p_crossing_day, boats_q05..q95, people_q05..q95
    weekly: pd.DataFrame  # week_ending, boats_q.., people_q..
    params: pd.Series = field(repr=False, default=None)
    # the weekly totals of every path (paths x rows of ``weekly``), for intervals of sums over several weeks
    weekly_samples: dict[str, np.ndarray] = field(repr=False, default=None)

    def to_dict(self) -> dict:
        def q(row: dict, target: str) -> dict[str, float]:
            return {f"{lv:g}": float(row[f"{target}_{lv:g}"]) for lv in LEVELS}
        return {
            "as_of": self.as_of.date().isoformat(), "model": self.model,
            "data_end": self.data_end.date().isoformat(), "note": self.note,
            "daily": [{"date": r["date"].date().isoformat(), "p_crossing_day": float(r["p_crossing_day"]),
                       "boats": q(r, "boats"), "people": q(r, "people")} for r in self.daily.to_dict("records")],
            "weekly": [{"week_ending": r["week_ending"].date().isoformat(), "boats": q(r, "boats"),
                        "people": q(r, "people")} for r in self.weekly.to_dict("records")],
        }


def _qcols(target: str, samples: np.ndarray) -> dict[str, np.ndarray]:
    """Columns ``<target>_0.05`` ... ``<target>_0.95``: quantiles over paths, rounded as in the JSON."""
    q = np.round(quantiles(samples), 1)
    return {f"{target}_{lv:g}": q[i] for i, lv in enumerate(LEVELS)}


def staleness(data_end: pd.Timestamp, as_of: pd.Timestamp) -> str:
    """'' when the data are as fresh as the schedule allows, else a sentence saying how stale they are."""
    lag = (as_of - data_end).days
    if lag <= EXPECTED_LAG_DAYS:
        return ""
    return (f"data end {lag} days before {as_of.date()} (the daily page would give {EXPECTED_LAG_DAYS}); "
            f"the {lag - 1} day(s) from {(data_end + pd.Timedelta(days=1)).date()} are simulated, not observed")


def forecast(series: Series, as_of: date | str | None = None, days: int = 14, weeks: int = 8,
             n_paths: int = 2000, seed: int = 0, model: str = DEFAULT_MODEL,
             conditions: pd.DataFrame | None = None, fits_folder: Path | None = None) -> Forecast:
    """Forecast the ``days`` days from ``as_of`` and the ``weeks`` weeks from the one holding it.

    ``series`` is cut at the day before ``as_of`` (default: the day after its last day). With ``conditions``
    (date, wave_height_m, wind_speed_ms covering the training window and every simulated day) the hurdle model's
    occurrence part depends on them. With ``fits_folder`` the fitted model is read from there when a forecast
    from the same data stored it, else stored there (:mod:`.fits`): the same numbers, without the fit's time.
    """
    if days < 1 or weeks < 1:
        raise InputError("days and weeks must be at least 1")
    as_of = pd.Timestamp(as_of) if as_of is not None else series.end + pd.Timedelta(days=1)
    if as_of - pd.Timedelta(days=1) < series.end:
        series = series.upto(as_of - pd.Timedelta(days=1))
    first_end = as_of + pd.Timedelta(days=(6 - as_of.day_of_week))
    last_end = first_end + pd.Timedelta(days=7 * (weeks - 1))
    last_day = max(as_of + pd.Timedelta(days=days - 1), last_end)
    horizon = (last_day - series.end).days
    m = make_model(model, conditions if model == "hurdle" else None)
    note = f"model {m.name}; data to {series.end.date()}"
    stale = staleness(series.end, as_of)
    if stale:
        note += f"; {stale}"
    with threadpool_limits(1):  # small matrices: one BLAS thread is many times faster than several
        results = fits.fit(m, series, fits_folder)
        paths = results.simulate(horizon, n_paths, np.random.default_rng(seed))
    if getattr(results, "left_out", None):  # the ensemble without a component the data do not allow
        note += f"; left out of the mixture: {'; '.join(results.left_out)}"
    off = (as_of - paths.start).days
    sl = slice(off, off + days)
    daily = pd.DataFrame({"date": paths.dates[sl], "p_crossing_day": np.round(paths.p_crossing[sl], 3),
                          **_qcols("boats", paths.boats[:, sl]), **_qcols("people", paths.people[:, sl])})
    ends, wb, wp = paths.weekly(series)
    keep = (ends >= first_end) & (ends <= last_end)
    weekly = pd.DataFrame({"week_ending": ends[keep], **_qcols("boats", wb[:, keep]),
                           **_qcols("people", wp[:, keep])})
    params = results.params() if hasattr(results, "params") else None
    samples = {"boats": wb[:, keep], "people": wp[:, keep]}
    return Forecast(as_of, m.name, note, series.end, daily, weekly, params, samples)


def store_conditions(con, train_start: pd.Timestamp, forecast_start: pd.Timestamp,
                     end: pd.Timestamp) -> tuple[pd.DataFrame | None, str]:
    """Daily conditions from the store, or (None, why not).

    Usable when every day from ``forecast_start`` to ``end`` has wave height and wind, and at least 120 days from
    ``train_start`` to the day before ``forecast_start`` have them (to fit on).
    """
    from ..conditions.store import daily_conditions
    from .hurdle import CONDITION_COLUMNS
    try:
        df = daily_conditions(con, train_start.date(), end.date())
    except Exception as exc:  # noqa: BLE001 - any failure there means: forecast without conditions
        return None, f"conditions unavailable ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
    if df is None or len(df) == 0:
        return None, f"no conditions stored for {train_start.date()} to {end.date()}"
    have = pd.DatetimeIndex(pd.to_datetime(df.dropna(subset=list(CONDITION_COLUMNS))["date"]).dt.normalize())
    gaps = pd.date_range(forecast_start, end, freq="D").difference(have)
    if len(gaps):
        return None, (f"conditions missing for {len(gaps)} of the days to forecast "
                      f"({forecast_start.date()} to {end.date()})")
    n_train = int(((have >= train_start) & (have < forecast_start)).sum())
    if n_train < 120:
        return None, f"conditions cover only {n_train} past days to fit on (need 120)"
    return df, ""


#: Why a forecast day after today is refused.
NOT_YET = "a forecast can only use releases already published"


def check_as_of(as_of: date | None, releases: pd.DataFrame, today: date | None = None,
                name: str = "--as-of") -> pd.Timestamp:
    """The forecast day: ``as_of``, or the newest release's publication date; one-line errors for a day in the
    future or before the first release, naming ``name`` (the CLI's option, the web API's parameter)."""
    dates = pd.to_datetime(releases["release_date"])
    first, last = dates.min(), dates.max()
    if as_of is None:
        return last.normalize()
    d = pd.Timestamp(as_of)
    check_not_future(d.date(), name, NOT_YET,
                     None if today is None else pd.Timestamp(today).date())
    if d < first:
        raise InputError(f"{name} {d.date()} is before the first stored release (published {first.date()}): "
                         "nothing was known then")
    return d


def forecast_from_store(store, as_of: date | None = None, days: int = 14, weeks: int = 8, n_paths: int = 2000,
                        seed: int = 0, model: str = DEFAULT_MODEL, use_conditions: bool = True,
                        today: date | None = None, fits_folder: Path | None = None) -> Forecast:
    """Forecast from a :class:`crossings.store.Store` using only releases published on or before ``as_of``.

    For the hurdle model, conditions are used when the store holds them for the whole training window and every
    simulated day; otherwise it runs without weather and ``Forecast.note`` says why. ``fits_folder``: as
    :func:`forecast`.
    """
    target = check_as_of(as_of, store.releases(), today)
    daily = store.daily(as_of=target.date())
    series = daily_series(daily, as_of=target - pd.Timedelta(days=1))
    conditions, why = None, ""
    if model == "hurdle" and use_conditions:
        from .hurdle import HurdleModel
        first_end = target + pd.Timedelta(days=6 - target.day_of_week)
        end = max(target + pd.Timedelta(days=days - 1), first_end + pd.Timedelta(days=7 * (weeks - 1)))
        start = series.end - pd.Timedelta(days=HurdleModel().window_days)
        conditions, why = store_conditions(store.con, start, series.end + pd.Timedelta(days=1), end)
    fc = forecast(series, target, days, weeks, n_paths, seed, model, conditions, fits_folder)
    if model == "hurdle" and conditions is None and use_conditions:
        fc.note = f"{fc.note}; no weather: {why}"
    if as_of is None:
        fc.note += release_age_note(target.date(), today or date.today())
    return fc
