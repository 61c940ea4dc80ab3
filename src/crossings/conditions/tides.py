"""Tide predictions for Dunkerque, Calais, Boulogne-sur-Mer and Dover, and the Aa canal windows at Gravelines.

Levels are the harmonic sum of the TICON-4 constituents shipped in ``harmonic_constituents.csv``
(amplitude in cm, Greenwich phase lag in degrees, UTC). Astronomical arguments ``V``, nodal factors ``f`` and
nodal angles ``u`` come from pyTMD (``pyTMD.constituents.arguments`` with Schureman/FES-style corrections);
nothing astronomical is computed here::

    level(t) = Z0 + sum_i f_i(t) * A_i * cos(V_i(t) + u_i(t) - g_i)

Datum: the constituents carry no mean level, so ``Z0`` is 0 and levels are metres relative to mean sea level
(not chart datum). Pass ``mean_level_m`` to add a station's mean level above its chart datum if you know it.

Gravelines (Aa canal mouth) has no station of its own; its level is the inverse-distance blend of Dunkerque and
Calais, the two stations either side of it (about 17 km and 16 km away).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
import pyTMD.constituents

from ..config import bundled_path
from ..errors import InputError

CONSTITUENTS_FILE = "harmonic_constituents.csv"
NODAL_CORRECTIONS = "FES"  # Schureman-style f, u as used in standard harmonic analysis
_MJD_EPOCH = pd.Timestamp("1858-11-17", tz="UTC")
_NAME_FIXES = {"EP2": "eps2", "LAMBDA2": "lambda2"}  # TICON spellings that pyTMD names differently
GRAVELINES = "Gravelines"
GRAVELINES_LAT_LON = (51.008, 2.108)  # Aa canal mouth, as in places.csv
GRAVELINES_FROM = ("Dunkerque", "Calais")
STEP_MIN = 5  # sampling step for extremes and windows; extremes are then refined by a parabola


@dataclass(frozen=True)
class Station:
    """One tide station: its constituents (pyTMD names), amplitudes in metres and phase lags in degrees."""
    station_id: str
    name: str
    latitude: float
    longitude: float
    datum: str
    constituents: tuple[str, ...]
    amplitude_m: np.ndarray
    phase_deg: np.ndarray


@lru_cache(maxsize=1)
def stations() -> dict[str, Station]:
    """The stations in the bundled constituents file, keyed by name."""
    path = bundled_path(CONSTITUENTS_FILE)
    df = pd.read_csv(path)
    need = {"station_id", "station_name", "latitude", "longitude", "datum", "constituent", "amplitude_cm",
            "phase_utc_deg"}
    missing = need - set(df.columns)
    if missing:
        raise InputError(f"missing columns {sorted(missing)}", file=str(path))
    out = {}
    for (sid, name), g in df.groupby(["station_id", "station_name"], sort=False):
        names = tuple(_NAME_FIXES.get(c, c.lower()) for c in g["constituent"])
        out[name] = Station(sid, name, float(g["latitude"].iloc[0]), float(g["longitude"].iloc[0]),
                            str(g["datum"].iloc[0]), names, g["amplitude_cm"].to_numpy(float) / 100.0,
                            g["phase_utc_deg"].to_numpy(float))
    return out


def station_names() -> list[str]:
    """Names accepted by the functions here: the four stations and ``Gravelines`` (blended)."""
    return [*stations(), GRAVELINES]


def _station(name: str) -> Station:
    st = stations()
    for s in st.values():
        if name.lower() in (s.name.lower(), s.station_id.lower()) or s.name.lower().startswith(name.lower()):
            return s
    raise InputError(f"unknown tide station {name!r}; known: {', '.join(station_names())}")


def to_utc(times) -> pd.DatetimeIndex:
    """Times as a UTC DatetimeIndex; naive times are taken as UTC."""
    try:
        idx = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(times) if not isinstance(times, pd.DatetimeIndex)
                                              else times))
    except (ValueError, TypeError) as exc:
        raise InputError(f"cannot read times: {exc}") from None
    return idx.tz_localize("UTC") if idx.tz is None else idx.tz_convert("UTC")


def mjd(times) -> np.ndarray:
    """Modified Julian Days (UTC) of ``times``."""
    return (to_utc(times) - _MJD_EPOCH) / pd.Timedelta(days=1)


def _gravelines_weights() -> dict[str, float]:
    lat0, lon0 = GRAVELINES_LAT_LON
    d = {}
    for n in GRAVELINES_FROM:
        s = _station(n)
        dx = (s.longitude - lon0) * np.cos(np.radians(lat0))
        d[s.name] = 1.0 / np.hypot(dx, s.latitude - lat0)
    total = sum(d.values())
    return {k: v / total for k, v in d.items()}


def predict_levels(station: str, times, mean_level_m: float = 0.0) -> np.ndarray:
    """Predicted water level in metres (relative to mean sea level plus ``mean_level_m``) at ``times`` (UTC).

    ``station`` is a name or id from the constituents file, or ``Gravelines`` (inverse-distance blend of
    Dunkerque and Calais).
    """
    if station.lower() == GRAVELINES.lower():
        return mean_level_m + sum(w * predict_levels(n, times) for n, w in _gravelines_weights().items())
    s = _station(station)
    t = mjd(times).to_numpy()
    if t.size == 0:
        return np.zeros(0)
    pu, pf, G = pyTMD.constituents.arguments(t, list(s.constituents), corrections=NODAL_CORRECTIONS)
    theta = np.radians(G) + pu - np.radians(s.phase_deg)[None, :]
    return mean_level_m + (pf * s.amplitude_m[None, :] * np.cos(theta)).sum(axis=1)


def _grid(start, end, step_min: int = STEP_MIN) -> pd.DatetimeIndex:
    s, e = _day_start(start), _day_start(end)
    if e < s:
        raise InputError(f"end {end} is before start {start}")
    return pd.date_range(s, e, freq=f"{step_min}min", tz="UTC").as_unit("ns")


def _day_start(d) -> pd.Timestamp:
    ts = pd.Timestamp(d)
    return ts.tz_localize("UTC") if ts.tz is None else ts.tz_convert("UTC")


def _extremes(grid: pd.DatetimeIndex, h: np.ndarray) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Turning points of a sampled series, refined by a parabola through the three samples around each one."""
    d = np.diff(h)
    i = np.flatnonzero(np.sign(d[:-1]) != np.sign(d[1:])) + 1
    y0, y1, y2 = h[i - 1], h[i], h[i + 1]
    denom = y0 - 2 * y1 + y2
    off = np.where(denom != 0, 0.5 * (y0 - y2) / np.where(denom != 0, denom, 1), 0.0)
    step_s = (grid[1] - grid[0]).total_seconds() if len(grid) > 1 else 0.0
    times = grid[i] + pd.to_timedelta(off * step_s, unit="s")
    return times, denom < 0


def high_low_waters(station: str, start: date | datetime | str, end: date | datetime | str,
                    mean_level_m: float = 0.0) -> pd.DataFrame:
    """High and low waters from ``start`` up to ``end`` (UTC; a date means its midnight).

    Returns columns ``station``, ``time_utc``, ``kind`` (``high``/``low``) and ``water_level_m``. Extremes are
    found on a 5-minute grid and refined by a parabola through the three samples around each one.
    """
    grid = _grid(pd.Timestamp(start) - pd.Timedelta(minutes=STEP_MIN),
                 pd.Timestamp(end) + pd.Timedelta(minutes=STEP_MIN))
    times, is_high = _extremes(grid, predict_levels(station, grid))
    df = pd.DataFrame({"station": station, "time_utc": times, "kind": np.where(is_high, "high", "low"),
                       "water_level_m": predict_levels(station, times, mean_level_m) if len(times) else []})
    t0, t1 = _day_start(start), _day_start(end)
    return df[(df["time_utc"] >= t0) & (df["time_utc"] < t1)].reset_index(drop=True)


def _crossing(grid: pd.DatetimeIndex, h: np.ndarray, i: int, j: int, level: float) -> pd.Timestamp:
    """Time between samples ``i`` and ``j`` where the level crosses ``level`` (linear interpolation)."""
    frac = (level - h[i]) / (h[j] - h[i]) if h[j] != h[i] else 0.0
    return grid[i] + (grid[j] - grid[i]) * float(frac)


def aa_canal_windows(start: date | datetime | str, end: date | datetime | str, *,
                     min_level_m: float | None = 1.0, max_hours_from_hw: float = 3.0,
                     station: str = GRAVELINES) -> pd.DataFrame:
    """Windows (UTC) when the Aa canal at Gravelines is navigable, around each high water.

    Assumption (no published sill depth is used): a boat can leave the canal when the blended Gravelines level is
    at least ``min_level_m`` above mean sea level, and no more than ``max_hours_from_hw`` hours from high water.
    ``min_level_m=None`` gives plain +/- ``max_hours_from_hw`` windows. Returns ``high_water_utc``,
    ``high_water_m``, ``open_utc``, ``close_utc``, ``open_hours`` for windows overlapping [start, end);
    high waters too low to open give no row.
    """
    if max_hours_from_hw <= 0:
        raise InputError(f"max_hours_from_hw must be positive, got {max_hours_from_hw}")
    pad = pd.Timedelta(hours=max_hours_from_hw)
    grid = _grid(pd.Timestamp(start) - pad - pd.Timedelta(hours=1), pd.Timestamp(end) + pad + pd.Timedelta(hours=1))
    h = predict_levels(station, grid)
    times, is_high = _extremes(grid, h)
    hw_times = times[is_high]
    hw_levels = predict_levels(station, hw_times) if len(hw_times) else np.zeros(0)
    rows = []
    for t_hw, h_hw in zip(hw_times, hw_levels):
        lo, hi = t_hw - pad, t_hw + pad
        if min_level_m is not None:
            if h_hw < min_level_m:
                continue
            c = int(grid.searchsorted(t_hw))
            a = c - 1
            while a > 0 and h[a] >= min_level_m:
                a -= 1
            b = c
            while b < len(h) - 1 and h[b] >= min_level_m:
                b += 1
            lo = max(lo, _crossing(grid, h, a, a + 1, min_level_m) if h[a] < min_level_m else grid[a])
            hi = min(hi, _crossing(grid, h, b - 1, b, min_level_m) if h[b] < min_level_m else grid[b])
        rows.append((t_hw, h_hw, lo, hi))
    df = pd.DataFrame(rows, columns=["high_water_utc", "high_water_m", "open_utc", "close_utc"])
    df["open_hours"] = (df["close_utc"] - df["open_utc"]) / pd.Timedelta(hours=1)
    s, e = _day_start(start), _day_start(end)
    return df[(df["close_utc"] > s) & (df["open_utc"] < e)].reset_index(drop=True)


def _overlap_hours(windows: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> float:
    if not len(windows):
        return 0.0
    a = windows["open_utc"].clip(lower=lo)
    b = windows["close_utc"].clip(upper=hi)
    return float(((b - a) / pd.Timedelta(hours=1)).clip(lower=0).sum())


def aa_canal_daily(start: date, end: date, *, night_start_h: int = 20, night_end_h: int = 8,
                   min_level_m: float | None = 1.0, max_hours_from_hw: float = 3.0) -> pd.DataFrame:
    """Per day from ``start`` to ``end`` inclusive: hours the Aa canal is navigable.

    ``open_hours``: navigable hours in the UTC day 00:00-24:00. ``night_open_hours``: navigable hours in the
    night/early-morning launch window that ends on that day, from ``night_start_h`` UTC on the previous day to
    ``night_end_h`` UTC on the day (default 20:00-08:00 UTC, i.e. 21:00/22:00-09:00/10:00 Paris time), so a night
    counts towards the day on which boats would arrive in the UK.
    """
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if e < s:
        raise InputError(f"end {end} is before start {start}")
    if not (0 <= night_start_h <= 24 and 0 <= night_end_h <= 24):
        raise InputError("night_start_h and night_end_h must be hours 0-24 (UTC)")
    w = aa_canal_windows(s - pd.Timedelta(days=1), e + pd.Timedelta(days=1), min_level_m=min_level_m,
                         max_hours_from_hw=max_hours_from_hw)
    rows = []
    for day in pd.date_range(s, e, freq="D", tz="UTC"):
        n0 = day - pd.Timedelta(days=1) + pd.Timedelta(hours=night_start_h)
        n1 = day + pd.Timedelta(hours=night_end_h)
        rows.append((day.date(), _overlap_hours(w, day, day + pd.Timedelta(days=1)), _overlap_hours(w, n0, n1)))
    return pd.DataFrame(rows, columns=["date", "open_hours", "night_open_hours"])
