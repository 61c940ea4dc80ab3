"""The sea-state drivers of the simulator: a fitted weather generator or a real daily series; Aa canal windows.

Both drivers give, per replicate and day, whether the day is crossable and its roughness in [0, 1] (0 calm, 1 at
the thresholds). The weather generator is a two-state Markov chain per calendar month::

    P(crossable_t | crossable_{t-1}) = p_cc[month_t],   P(crossable_t | not crossable_{t-1}) = p_nc[month_t]

fitted from the official daily series with :func:`fit_weather_generator`. A crossing day in the data (at least
one boat arrived) is a crossable day on which the kernel also launched a boat that arrived; the fit corrects for
the crossable days that end with no arrival (``p_arrival_when_crossable``, measured on the kernel by
:func:`crossings.sim.validation.fit_crossable_chain`), so the simulated share of crossing days matches the data. A real series of daily conditions goes through :func:`crossable` with explicit
thresholds instead; its roughness is the largest ratio of a condition to its threshold.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas and scipy are imported where they are used: a small simulate needs neither (startup)
    import pandas as pd

from ..conditions.thresholds import Thresholds
from ..conditions.thresholds import crossable as _crossable
from ..errors import InputError, ScenarioError

CONDITION_COLUMNS = ("wind_speed_ms", "wind_gust_ms", "wave_height_m")


def _thr(thresholds) -> tuple[float, float, float]:
    return (float(thresholds.max_wind_speed_ms), float(thresholds.max_wind_gust_ms),
            float(thresholds.max_wave_height_m))


def crossable(wind_speed_ms, wind_gust_ms, wave_height_m, thresholds=Thresholds()) -> np.ndarray:
    """True where every condition is at or below its threshold; a missing value (NaN) is not crossable.

    The one definition is :func:`crossings.conditions.thresholds.crossable`, shared with the rating and forecast.
    """
    return _crossable(wind_speed_ms, wind_gust_ms, wave_height_m, thresholds)


def roughness(wind_speed_ms, wind_gust_ms, wave_height_m, thresholds=Thresholds()) -> np.ndarray:
    """How close a day is to the thresholds: the largest condition/threshold ratio, clipped to [0, 1]."""
    w, g, h = _thr(thresholds)
    r = np.maximum.reduce([np.asarray(wind_speed_ms, float) / w, np.asarray(wind_gust_ms, float) / g,
                           np.asarray(wave_height_m, float) / h])
    return np.clip(np.nan_to_num(r, nan=1.0), 0.0, 1.0)


@dataclass(frozen=True)
class WeatherGenerator:
    """Monthly two-state Markov chain of crossable days (arrays of 12, January first)."""
    p_crossable_after_crossable: np.ndarray
    p_crossable_after_not: np.ndarray

    def stationary(self) -> np.ndarray:
        """Long-run share of crossable days each month if that month's chain ran for ever."""
        a, b = np.asarray(self.p_crossable_after_crossable), np.asarray(self.p_crossable_after_not)
        den = 1.0 - a + b
        return np.where(den > 0, b / np.where(den > 0, den, 1.0), 1.0)

    def simulate(self, dates: pd.DatetimeIndex, uniforms: np.ndarray) -> np.ndarray:
        """Crossable days, bool ``(n_replicates, n_days)``, from uniforms of that shape (column 0 starts the chain
        at the first month's stationary share)."""
        months = np.asarray(dates.month) - 1
        cc = np.asarray(self.p_crossable_after_crossable)[months]
        nc = np.asarray(self.p_crossable_after_not)[months]
        out = np.empty(uniforms.shape, dtype=bool)
        if uniforms.shape[1] == 0:
            return out
        out[:, 0] = uniforms[:, 0] < self.stationary()[months[0]]
        for t in range(1, uniforms.shape[1]):
            out[:, t] = uniforms[:, t] < np.where(out[:, t - 1], cc[t], nc[t])
        return out

    def to_dict(self, digits: int = 3) -> dict[str, list[float]]:
        return {"p_crossable_after_crossable": [round(float(x), digits) for x in self.p_crossable_after_crossable],
                "p_crossable_after_not": [round(float(x), digits) for x in self.p_crossable_after_not]}


#: Least chance of leaving either state of the corrected chain on a day (a spell lasts a month at most on average).
MIN_LEAVE = 1.0 / 31.0


def fit_weather_generator(daily: pd.DataFrame, start: date | str | None = None,
                          end: date | str | None = None, p_arrival_when_crossable=1.0) -> WeatherGenerator:
    """Fit the monthly Markov chain to the official daily series (columns ``date``, ``boats_arrived``).

    A crossing day is one with ``boats_arrived >= 1``. For each calendar month, the transition into each day of
    the month counts towards that month: ``q_cc = #(crossing after crossing) / #(after crossing)``, likewise
    ``q_nc``. Pairs with a missing day are skipped; a month with no pair of a kind takes the pooled estimate.
    ``start``/``end`` restrict the days used (inclusive).

    ``p_arrival_when_crossable`` (a number or 12, ``pi``): the chance that a crossable day of the model has at least
    one arrival. If each crossable day independently becomes a crossing day with chance ``pi``, the crossing-day
    chain has ``q_cc = pi p_cc`` and stationary share ``pi s``; so the crossable chain is ``p_cc = q_cc / pi``, ``s =
    stationary(q) / pi`` and ``p_nc = s (1 - p_cc) / (1 - s)``. With ``pi = 1`` this is the chain of crossing days
    itself. Where the data break the independent thinning (``q_cc > pi``: the crossable days with no arrival come
    in runs), the correction would give ``p_cc >= 1`` or ``p_nc <= 0``, an absorbing state that makes a month's
    crossing days all or nothing; both probabilities are kept in ``[MIN_LEAVE, 1 - MIN_LEAVE]`` (a spell of
    either kind lasts at most a month on average).
    """
    import pandas as pd
    if "date" not in daily.columns or "boats_arrived" not in daily.columns:
        raise InputError("daily table needs columns date and boats_arrived")
    df = daily[["date", "boats_arrived"]].copy()
    df["date"] = pd.to_datetime(df["date"]).dt.normalize()
    if start is not None:
        df = df[df["date"] >= pd.Timestamp(start)]
    if end is not None:
        df = df[df["date"] <= pd.Timestamp(end)]
    df = df.drop_duplicates("date").set_index("date").sort_index()
    if df.empty:
        raise InputError("no days to fit the weather generator on")
    full = df.reindex(pd.date_range(df.index[0], df.index[-1], freq="D"))
    boats = pd.to_numeric(full["boats_arrived"], errors="coerce").to_numpy(dtype=float)
    c = boats >= 1
    ok = ~np.isnan(boats)
    prev_ok, cur_ok = ok[:-1], ok[1:]
    valid = prev_ok & cur_ok
    prev, cur = c[:-1][valid], c[1:][valid]
    months = (full.index.month.to_numpy() - 1)[1:][valid]
    n_c = np.bincount(months[prev], minlength=12).astype(float)
    k_c = np.bincount(months[prev & cur], minlength=12).astype(float)
    n_n = np.bincount(months[~prev], minlength=12).astype(float)
    k_n = np.bincount(months[~prev & cur], minlength=12).astype(float)
    if n_c.sum() == 0 or n_n.sum() == 0:
        raise InputError("the daily series needs both crossing and non-crossing days to fit the weather generator")
    pool_c, pool_n = k_c.sum() / n_c.sum(), k_n.sum() / n_n.sum()
    q_cc = np.where(n_c > 0, k_c / np.where(n_c > 0, n_c, 1), pool_c)
    q_nc = np.where(n_n > 0, k_n / np.where(n_n > 0, n_n, 1), pool_n)
    pi = np.broadcast_to(np.asarray(p_arrival_when_crossable, dtype=float), (12,))
    if (pi <= 0).any() or (pi > 1).any():
        raise InputError("p_arrival_when_crossable must be in (0, 1]")
    if (pi == 1).all():
        return WeatherGenerator(q_cc, q_nc)
    p_cc = np.clip(q_cc / pi, MIN_LEAVE, 1.0 - MIN_LEAVE)
    share = np.clip(WeatherGenerator(q_cc, q_nc).stationary() / pi, 0.0, 1.0 - 1e-9)
    p_nc = np.clip(share * (1.0 - p_cc) / (1.0 - share), MIN_LEAVE, 1.0 - MIN_LEAVE)
    return WeatherGenerator(p_cc, p_nc)


def read_conditions(path: str | Path) -> pd.DataFrame:
    """A daily conditions CSV: ``date, wind_speed_ms, wind_gust_ms, wave_height_m`` (one row per day)."""
    import pandas as pd
    path = Path(path)
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"not a CSV: {exc}", file=str(path)) from None
    missing = [c for c in ("date", *CONDITION_COLUMNS) if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=str(path))
    dates = pd.to_datetime(df["date"], errors="coerce")
    if dates.isna().any():
        i = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(f"not a date: {df['date'].iloc[i]!r}", file=str(path), row=i + 2, column="date")
    out = pd.DataFrame({"date": dates.dt.normalize()})
    for c in CONDITION_COLUMNS:
        v = pd.to_numeric(df[c], errors="coerce")
        bad = (v.isna() & df[c].notna()) | (v < 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"not a non-negative number: {df[c].iloc[i]!r}", file=str(path), row=i + 2, column=c)
        out[c] = v.astype(float)
    if out["date"].duplicated().any():
        d = out.loc[out["date"].duplicated(), "date"].iloc[0]
        raise InputError(f"more than one row for {d:%Y-%m-%d}", file=str(path))
    return out.sort_values("date").reset_index(drop=True)


def series_driver(path: str | Path, dates: pd.DatetimeIndex, thresholds) -> tuple[np.ndarray, np.ndarray]:
    """Crossable (bool) and roughness (float) per day of ``dates`` from a conditions CSV; every day must be there."""
    import pandas as pd
    df = read_conditions(path).set_index("date").reindex(dates)
    missing = df.index[df[list(CONDITION_COLUMNS)].isna().all(axis=1)]
    if len(missing):
        raise ScenarioError(f"scenario sea_state.series.path: {Path(path).name} has no conditions for "
                            f"{missing[0]:%Y-%m-%d} ({len(missing)} day(s) of the period missing)")
    args = [df[c].to_numpy() for c in CONDITION_COLUMNS]
    return crossable(*args, thresholds), roughness(*args, thresholds)


def roughness_from_normal(z: np.ndarray) -> np.ndarray:
    """Generator roughness from the day's intensity normal: a better day (higher z) is calmer."""
    from scipy.special import ndtr
    return ndtr(-z)


@functools.lru_cache(maxsize=32)
def _aa_hours(start: date, end: date, min_level_m: float, max_hours_from_hw: float) -> np.ndarray:
    from ..conditions.tides import aa_canal_daily
    df = aa_canal_daily(start, end, min_level_m=min_level_m, max_hours_from_hw=max_hours_from_hw)
    out = df["night_open_hours"].to_numpy(dtype=float)
    out.setflags(write=False)
    return out


def aa_canal_night_hours(start: date, end: date, min_level_m: float = 1.0,
                         max_hours_from_hw: float = 3.0) -> np.ndarray:
    """Navigable hours of the Aa canal in each day's night launch window (tide predictions; cached).

    Disk cache in the package cache dir (``crossings.config.cache_dir()/tides``), since predicting a year of
    tides takes seconds and every worker of an ensemble needs the same numbers.
    """
    from ..config import cache_dir
    key = f"aa_{start:%Y%m%d}_{end:%Y%m%d}_{min_level_m:g}_{max_hours_from_hw:g}.npy"
    path = cache_dir() / "tides" / key
    try:
        arr = np.load(path)
        if arr.shape == ((end - start).days + 1,):
            return arr
    except (OSError, ValueError):
        pass
    arr = np.array(_aa_hours(start, end, float(min_level_m), float(max_hours_from_hw)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{np.random.SeedSequence().entropy % 10**8}.tmp.npy")
        np.save(tmp, arr)
        tmp.replace(path)
    except OSError:
        pass
    return arr
