"""Endpoints of the map: coastline, places, incidents (when the layer exists), events, and the Aa canal tide window."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from . import layers
from .frames import records
from .query import Day

router = APIRouter(prefix="/api", tags=["map"])

#: Days either side of today for which the tide window can be asked (harmonic predictions, no data needed).
TIDE_RANGE_DAYS = 20 * 366


@router.get("/geo/land", summary="Land polygons of the strait (GeoJSON, longitude-latitude)")
def geo_land() -> dict:
    return {**layers.land(), "attribution": layers.GEO_ATTRIBUTION}


@router.get("/places", summary="Launch areas, ports and landing places")
def places_list() -> dict:
    return {"places": records(layers.places()), "attribution": layers.GEO_ATTRIBUTION}


def _layer_or_404(df, what: str):
    if df is None:
        raise HTTPException(404, f"{what}: {layers.NOT_AVAILABLE}")
    return df


#: Columns of an incident the map shows.
INCIDENT_COLUMNS = ("incident_id", "date", "dead", "missing", "dead_missing", "survivors", "cause", "location",
                    "latitude", "longitude", "setting", "area", "source", "link")


@router.get("/incidents", summary="Incidents with deaths and missing, by year (when the incidents layer exists)")
def incidents_list(request: Request, year: Annotated[int | None, Query(ge=2014, le=2100)] = None) -> dict:
    snap = request.app.state.view.snapshot()
    df = _layer_or_404(layers.incidents(snap), "incidents")
    years = sorted(int(y) for y in df["date"].dt.year.unique())
    if year is not None:
        df = df[df["date"].dt.year == year]
    df = df[[c for c in INCIDENT_COLUMNS if c in df.columns]]
    return {"incidents": records(df), "years": years, "attribution": layers.incidents_attribution(),
            "note": "IOM's figures are minimum estimates."}


@router.get("/events", summary="Policy and enforcement events (when the events layer exists)")
def events_list() -> dict:
    df = _layer_or_404(layers.events(), "events")
    return {"events": records(df), "attribution": layers.events_attribution()}


def _tide_bounds(day: date) -> None:
    lo, hi = date.today() - timedelta(days=TIDE_RANGE_DAYS), date.today() + timedelta(days=TIDE_RANGE_DAYS)
    if not lo <= day <= hi:
        raise HTTPException(422, f"day {day} is outside {lo} to {hi}")


@router.get("/tides/gravelines", summary="Water level and Aa canal windows at Gravelines for one day (UTC)")
def tides_gravelines(day: Day) -> dict:
    _tide_bounds(day)
    import pandas as pd
    from ..conditions.tides import GRAVELINES, aa_canal_daily, aa_canal_windows, high_low_waters, predict_levels

    start = pd.Timestamp(day)
    times = pd.date_range(start - pd.Timedelta(hours=4), start + pd.Timedelta(hours=28), freq="10min", tz="UTC")
    levels = predict_levels(GRAVELINES, times)
    windows = aa_canal_windows(day, day + timedelta(days=1))
    hl = high_low_waters(GRAVELINES, day, day + timedelta(days=1))
    daily = aa_canal_daily(day, day).iloc[0]
    iso = "%Y-%m-%dT%H:%MZ"
    return {
        "day": day.isoformat(), "station": GRAVELINES, "datum": "metres relative to mean sea level",
        "times_utc": [t.strftime(iso) for t in times], "level_m": [round(float(x), 3) for x in levels],
        "windows": [{"open_utc": w.open_utc.strftime(iso), "close_utc": w.close_utc.strftime(iso),
                     "high_water_utc": w.high_water_utc.strftime(iso), "high_water_m": round(w.high_water_m, 2),
                     "open_hours": round(w.open_hours, 2)} for w in windows.itertuples()],
        "high_low": [{"time_utc": r.time_utc.strftime(iso), "kind": r.kind, "level_m": round(r.water_level_m, 2)}
                     for r in hl.itertuples()],
        "open_hours": round(float(daily["open_hours"]), 2), "night_open_hours": round(float(daily["night_open_hours"]), 2),
        "assumption": ("navigable when the blended Gravelines level is at least 1.0 m above mean sea level and "
                       "within 3 h of high water (no published sill depth is used)"),
        "attribution": layers.TIDE_ATTRIBUTION,
        "command": f"crossings conditions tides --aa --start {day} --end {day}",
    }
