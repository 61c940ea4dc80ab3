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
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd
import pyTMD.constituents

from ..config import bundled_path
from ..errors import InputError
from .thresholds import NIGHT_END_H, NIGHT_START_H

CONSTITUENTS_FILE = "harmonic_constituents.csv"
NODAL_CORRECTIONS = "FES"  # Schureman-style f, u as used in standard harmonic analysis
_MJD_EPOCH = pd.Timestamp("1858-11-17", tz="UTC")
_NAME_FIXES = {"EP2": "eps2", "LAMBDA2": "lambda2"}  # TICON spellings that pyTMD names differently
GRAVELINES = "Gravelines"
GRAVELINES_LAT_LON = (51.008, 2.108)  # Aa canal mouth, as in places.csv
GRAVELINES_FROM = ("Dunkerque", "Calais")
STEP_MIN = 10  # sampling step for extremes and windows; extremes are then refined by a parabola


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


def _weighted_stations(station: str) -> list[tuple[Station, float]]:
    if station.lower() == GRAVELINES.lower():
        return [(_station(n), w) for n, w in _gravelines_weights().items()]
    return [(_station(station), 1.0)]


def _names(parts: list[tuple[Station, float]]) -> list[str]:
    return list(dict.fromkeys(c for st, _ in parts for c in st.constituents))


def _harmonic_sum(parts: list[tuple[Station, float]], names: list[str], phase_rad: np.ndarray,
                  pf: np.ndarray) -> np.ndarray:
    """sum over stations w * sum_i f_i A_i cos(V_i + u_i - g_i), with ``phase_rad`` = V + u (radians)."""
    col = {n: i for i, n in enumerate(names)}
    total = np.zeros(phase_rad.shape[0])
    for st, w in parts:
        i = [col[c] for c in st.constituents]
        theta = phase_rad[:, i] - np.radians(st.phase_deg)[None, :]
        total += w * (pf[:, i] * st.amplitude_m[None, :] * np.cos(theta)).sum(axis=1)
    return total


def predict_levels(station: str, times, mean_level_m: float = 0.0) -> np.ndarray:
    """Predicted water level in metres (relative to mean sea level plus ``mean_level_m``) at ``times`` (UTC).

    ``station`` is a name or id from the constituents file, or ``Gravelines`` (inverse-distance blend of
    Dunkerque and Calais). The arguments ``V``, ``u``, ``f`` are computed by pyTMD at every time given.
    """
    parts = _weighted_stations(station)
    t = mjd(times).to_numpy()
    if t.size == 0:
        return np.zeros(0)
    names = _names(parts)
    pu, pf, G = pyTMD.constituents.arguments(t, names, corrections=NODAL_CORRECTIONS)
    return mean_level_m + _harmonic_sum(parts, names, np.radians(G) + pu, pf)


def _levels_on_grid(station: str, grid: pd.DatetimeIndex) -> np.ndarray:
    """``predict_levels`` on a dense regular grid, with pyTMD's arguments taken hourly and interpolated.

    Within an hour the equilibrium argument V grows linearly with time (the mean longitudes' higher terms are far
    below a micro-degree) and u, f change by millionths, so interpolating the unwrapped phase V + u and f between
    hourly values gives the same levels (well under a millimetre) for a sixth of the cost on a 10-minute grid.
    The fastest constituent here (M8) turns 116 degrees an hour, under the 180 degrees unwrapping needs.
    """
    parts = _weighted_stations(station)
    if len(grid) == 0:
        return np.zeros(0)
    nodes = pd.date_range(grid[0].floor("h"), grid[-1].ceil("h"), freq="h").as_unit("ns")
    names = _names(parts)
    pu, pf, G = pyTMD.constituents.arguments(mjd(nodes).to_numpy(), names, corrections=NODAL_CORRECTIONS)
    phase = np.unwrap(np.radians(G) + pu, axis=0)
    x, xn = grid.asi8.astype(float), nodes.asi8.astype(float)
    phase_g = np.column_stack([np.interp(x, xn, phase[:, j]) for j in range(len(names))])
    pf_g = np.column_stack([np.interp(x, xn, pf[:, j]) for j in range(len(names))])
    return _harmonic_sum(parts, names, phase_g, pf_g)


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
    found on a 10-minute grid and refined by a parabola through the three samples around each one.
    """
    grid = _grid(pd.Timestamp(start) - pd.Timedelta(minutes=STEP_MIN),
                 pd.Timestamp(end) + pd.Timedelta(minutes=STEP_MIN))
    times, is_high = _extremes(grid, _levels_on_grid(station, grid))
    df = pd.DataFrame({"station": station, "time_utc": times, "kind": np.where(is_high, "high", "low"),
                       "water_level_m": predict_levels(station, times, mean_level_m) if len(times) else []})
    t0, t1 = _day_start(start), _day_start(end)
    return df[(df["time_utc"] >= t0) & (df["time_utc"] < t1)].reset_index(drop=True)


def _crossings(grid: pd.DatetimeIndex, h: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Times (ns since epoch) where the sampled level rises through and falls through ``level`` (linear)."""
    above = h >= level
    i = np.flatnonzero(above[1:] != above[:-1])
    frac = (level - h[i]) / (h[i + 1] - h[i])
    g = grid.asi8
    t = g[i] + (frac * (g[i + 1] - g[i])).astype(np.int64)
    rising = above[i + 1]
    return t[rising], t[~rising]


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
    h = _levels_on_grid(station, grid)
    times, is_high = _extremes(grid, h)
    hw_times = times[is_high]
    hw_levels = predict_levels(station, hw_times) if len(hw_times) else np.zeros(0)
    hw = hw_times.asi8
    lo, hi = hw - pad.value, hw + pad.value
    keep = np.ones(len(hw), bool)
    if min_level_m is not None:
        keep = hw_levels >= min_level_m
        up, down = _crossings(grid, h, min_level_m)
        # last rise through the level before high water, first fall after it (none within the grid: no limit)
        k = np.searchsorted(up, hw, side="right") - 1
        lo = np.maximum(lo, np.where(k >= 0, up[np.clip(k, 0, None)] if len(up) else lo, lo))
        k = np.searchsorted(down, hw, side="left")
        hi = np.minimum(hi, np.where(k < len(down), down[np.clip(k, None, len(down) - 1)] if len(down) else hi, hi))
    df = pd.DataFrame({"high_water_utc": hw_times[keep], "high_water_m": hw_levels[keep],
                       "open_utc": pd.to_datetime(lo[keep], utc=True), "close_utc": pd.to_datetime(hi[keep], utc=True)})
    df["open_hours"] = (df["close_utc"] - df["open_utc"]) / pd.Timedelta(hours=1)
    s, e = _day_start(start), _day_start(end)
    return df[(df["close_utc"] > s) & (df["open_utc"] < e)].reset_index(drop=True)


def _open_hours_between(windows: pd.DataFrame, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Hours inside the union of ``windows`` between each ``lo`` and ``hi`` (ns since epoch), vectorised."""
    if not len(windows):
        return np.zeros(len(lo))
    o = pd.DatetimeIndex(windows["open_utc"]).as_unit("ns").asi8
    c = pd.DatetimeIndex(windows["close_utc"]).as_unit("ns").asi8
    order = np.argsort(o)
    o, c = o[order], np.maximum.accumulate(c[order])
    o = np.maximum(o, np.concatenate([[o[0]], c[:-1]]))  # union: a window starts where the previous one ended
    dur = np.clip(c - o, 0, None)
    before = np.concatenate([[0], np.cumsum(dur)])

    def opened_until(t: np.ndarray) -> np.ndarray:  # open time from the first window up to t
        k = np.searchsorted(o, t, side="right")  # windows opened by t
        last = np.clip(k - 1, 0, None)
        partial = np.where(k > 0, np.clip(t - o[last], 0, dur[last]), 0)
        return before[last] * (k > 0) + partial

    return (opened_until(hi) - opened_until(lo)) / 3.6e12


def aa_canal_daily(start: date, end: date, *, night_start_h: int = NIGHT_START_H, night_end_h: int = NIGHT_END_H,
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
    days = pd.date_range(s, e, freq="D", tz="UTC").as_unit("ns")
    d0 = days.asi8
    hour = 3_600_000_000_000
    open_hours = _open_hours_between(w, d0, d0 + 24 * hour)
    night = _open_hours_between(w, d0 - 24 * hour + night_start_h * hour, d0 + night_end_h * hour)
    return pd.DataFrame({"date": days.date, "open_hours": open_hours, "night_open_hours": night})
