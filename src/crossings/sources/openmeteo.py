"""Reader of Open-Meteo hourly responses: wind (historical archive, forecast) and waves (marine API).

Plain JSON endpoints through the shared HTTP session (timeouts, retries, on-disk cache; see ``sources.http``):

- ``archive-api.open-meteo.com/v1/archive``: reanalysis wind history (ERA5 and successors), a few days behind now;
- ``marine-api.open-meteo.com/v1/marine``: significant wave height, past dates and the coming days;
- ``api.open-meteo.com/v1/forecast``: wind forecast for the coming days;
- ``previous-runs-api.open-meteo.com/v1/forecast``: archived wind forecasts as issued, at lead times of 0-7 days
  (``wind_speed_10m_previous_dayN``: the value predicted N x 24 h before the hour; see
  :mod:`crossings.conditions.archive`).

Every request asks for ``wind_speed_unit=ms`` and ``timezone=UTC``, and the response is checked against that: a
missing ``hourly`` block or variable, arrays of different lengths, a unit or time zone other than the one asked
for, or an ``{"error": true, "reason": ...}`` answer is an :class:`InputError` naming the field. Missing values
(JSON ``null``) stay missing (NaN). Each base URL can be replaced through an environment variable (local mirrors,
tests): ``CROSSINGS_OPENMETEO_ARCHIVE_URL``, ``CROSSINGS_OPENMETEO_MARINE_URL``,
``CROSSINGS_OPENMETEO_FORECAST_URL``, ``CROSSINGS_OPENMETEO_PREVIOUS_RUNS_URL``.

Data: Open-Meteo, CC BY 4.0 (https://open-meteo.com/).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..errors import InputError
from . import http

ATTRIBUTION = "Weather data by Open-Meteo.com, CC BY 4.0"

ENDPOINTS = {
    "archive": ("CROSSINGS_OPENMETEO_ARCHIVE_URL", "https://archive-api.open-meteo.com/v1/archive"),
    "marine": ("CROSSINGS_OPENMETEO_MARINE_URL", "https://marine-api.open-meteo.com/v1/marine"),
    "forecast": ("CROSSINGS_OPENMETEO_FORECAST_URL", "https://api.open-meteo.com/v1/forecast"),
    "previous_runs": ("CROSSINGS_OPENMETEO_PREVIOUS_RUNS_URL", "https://previous-runs-api.open-meteo.com/v1/forecast"),
}

# Open-Meteo variable -> (our column, unit the response must state)
WIND_VARIABLES = {
    "wind_speed_10m": ("wind_speed_ms", "m/s"),
    "wind_gusts_10m": ("wind_gust_ms", "m/s"),
    "wind_direction_10m": ("wind_direction_deg", "°"),
}
WAVE_VARIABLES = {"wave_height": ("wave_height_m", "m")}
MAX_LEAD_DAYS = 7  # the Previous Runs API keeps the runs of up to 7 days before each hour
# lead (days) -> Open-Meteo variable; lead 0 is the newest run before the hour (the live forecast's value)
PREVIOUS_RUN_VARIABLES = {n: "wind_speed_10m" + (f"_previous_day{n}" if n else "") for n in range(MAX_LEAD_DAYS + 1)}

HISTORY_CACHE_S = 7 * 24 * 3600  # past hours do not change once the reanalysis has them
FORECAST_CACHE_S = 1800  # forecasts are re-run several times a day
MAX_ANSWER_BYTES = 16 * 1024 * 1024  # a year of hourly values for one point is about 300 KB


@dataclass(frozen=True)
class Point:
    """A point at sea where conditions are read (on the marine model's water grid)."""
    name: str
    latitude: float
    longitude: float


# Three points along the crossing routes, all over water so the marine model has values there.
STRAIT_POINTS: tuple[Point, ...] = (
    Point("mid_strait", 51.00, 1.55),   # halfway between Calais and Dover, in the traffic lanes
    Point("off_gravelines", 51.06, 2.05),  # 5 km off the Aa canal mouth
    Point("off_boulogne", 50.74, 1.50),  # 6 km off Boulogne-sur-Mer
)


def endpoint(api: str) -> str:
    """Base URL of ``api`` (``archive``, ``marine``, ``forecast``, ``previous_runs``), from its environment variable
    if set."""
    env, default = ENDPOINTS[api]
    return os.environ.get(env) or default


def _request_params(point: Point, variables: dict, *, start: date | None, end: date | None,
                    forecast_days: int | None) -> dict:
    params = {"latitude": point.latitude, "longitude": point.longitude, "hourly": ",".join(variables),
              "timezone": "UTC", "wind_speed_unit": "ms"}
    if start is not None:
        params["start_date"], params["end_date"] = start.isoformat(), end.isoformat()
    if forecast_days is not None:
        params["forecast_days"] = forecast_days
    return params


def parse_hourly(payload, variables: dict[str, tuple[str, str]], origin: str = "Open-Meteo response") -> pd.DataFrame:
    """Hourly block of one Open-Meteo JSON answer as a DataFrame: ``time_utc`` and one column per variable.

    ``variables`` maps the API's variable names to (our column, the unit the response must state).
    """
    if not isinstance(payload, dict):
        raise InputError("expected a JSON object (one location)", file=origin)
    if payload.get("error"):
        raise InputError(f"the API refused the request: {payload.get('reason', 'no reason given')}", file=origin)
    offset = payload.get("utc_offset_seconds", 0)
    if offset != 0:
        raise InputError(f"times are not UTC (utc_offset_seconds={offset!r})", file=origin,
                         column="utc_offset_seconds")
    hourly = payload.get("hourly")
    if not isinstance(hourly, dict):
        raise InputError("no 'hourly' block", file=origin, column="hourly")
    units = payload.get("hourly_units")
    if not isinstance(units, dict):
        raise InputError("no 'hourly_units' block", file=origin, column="hourly_units")
    if "time" not in hourly or not isinstance(hourly["time"], list):
        raise InputError("no time array", file=origin, column="hourly.time")
    if units.get("time", "iso8601") != "iso8601":
        raise InputError(f"time format {units.get('time')!r}, expected 'iso8601'", file=origin,
                         column="hourly_units.time")
    n = len(hourly["time"])
    try:
        times = pd.to_datetime(pd.Series(hourly["time"], dtype="object"), format="%Y-%m-%dT%H:%M", utc=True)
    except (ValueError, TypeError) as exc:
        raise InputError(f"cannot read times: {str(exc).splitlines()[0]}", file=origin, column="hourly.time") from None
    out = {"time_utc": times.dt.as_unit("us")}
    for var, (col, unit) in variables.items():
        if var not in hourly:
            raise InputError(f"variable {var!r} missing", file=origin, column=f"hourly.{var}")
        values = hourly[var]
        if not isinstance(values, list) or len(values) != n:
            got = len(values) if isinstance(values, list) else type(values).__name__
            raise InputError(f"{got} values for {n} times", file=origin, column=f"hourly.{var}")
        if units.get(var) != unit:
            raise InputError(f"unit {units.get(var)!r}, expected {unit!r}", file=origin, column=f"hourly_units.{var}")
        try:
            arr = np.array([np.nan if v is None else v for v in values], dtype=float)
        except (TypeError, ValueError):
            raise InputError("non-numeric values", file=origin, column=f"hourly.{var}") from None
        out[col] = arr
    df = pd.DataFrame(out)
    if df["time_utc"].duplicated().any():
        raise InputError("repeated times", file=origin, column="hourly.time")
    return df


def fetch_point(api: str, point: Point, *, start: date | None = None, end: date | None = None,
                forecast_days: int | None = None) -> pd.DataFrame:
    """Hourly values at ``point`` from one API: wind from ``archive``/``forecast``, waves from ``marine``.

    Give ``start`` and ``end`` (inclusive dates, UTC) for history, or ``forecast_days`` for the coming days.
    Network problems raise :class:`NetworkError` before anything is returned.
    """
    variables = WAVE_VARIABLES if api == "marine" else WIND_VARIABLES
    url = endpoint(api)
    params = _request_params(point, variables, start=start, end=end, forecast_days=forecast_days)
    expire = FORECAST_CACHE_S if forecast_days is not None else HISTORY_CACHE_S

    def parse(response) -> pd.DataFrame:
        try:
            payload = response.json()
        except ValueError:
            raise InputError("not JSON", file=url) from None
        return parse_hourly(payload, variables, origin=f"{url} ({point.name})")

    # Cached only once it parsed: garbage served once is asked for again on the next fetch.
    return http.get(url, params=params, expire_after_s=expire, parse=parse, max_bytes=MAX_ANSWER_BYTES)


def fetch_previous_runs(point: Point, start: date, end: date) -> pd.DataFrame:
    """Archived hourly wind forecasts at ``point`` for the hours of ``start`` to ``end`` (inclusive, UTC), in long
    form: ``time_utc``, ``lead_days`` (0-7) and ``wind_speed_ms`` (NaN where the archive has no run that old).

    Network problems raise :class:`NetworkError`; a malformed answer an :class:`InputError`; nothing is cached
    unless it parsed.
    """
    url = endpoint("previous_runs")
    variables = {var: (f"lead{n}", "m/s") for n, var in PREVIOUS_RUN_VARIABLES.items()}
    params = _request_params(point, variables, start=start, end=end, forecast_days=None)

    def parse(response) -> pd.DataFrame:
        try:
            payload = response.json()
        except ValueError:
            raise InputError("not JSON", file=url) from None
        wide = parse_hourly(payload, variables, origin=f"{url} ({point.name})")
        long = wide.melt(id_vars="time_utc", var_name="lead_days", value_name="wind_speed_ms")
        long["lead_days"] = long["lead_days"].str.removeprefix("lead").astype("int64")
        return long.sort_values(["time_utc", "lead_days"], ignore_index=True)

    return http.get(url, params=params, expire_after_s=HISTORY_CACHE_S, parse=parse, max_bytes=MAX_ANSWER_BYTES)
