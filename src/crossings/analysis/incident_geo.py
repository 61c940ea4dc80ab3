"""Where an incident happened: at sea or on land along the route, and in which area of the strait.

**Setting** (``sea`` | ``land``), decided in this order from IOM's cause and location text, then the coordinates:

1. ``land`` when the location or cause names the land route: motorways and roads, lorries, trucks, buses, trains and
   rail tracks, the Channel Tunnel, camps, car parks, hospitals, stations ("Vehicle accident / death linked to
   hazardous transport" is IOM's category for lorries and trains).
2. ``sea`` when the location says the death happened during a boat crossing: IOM's suffix "English Channel
   crossing", "off the coast", offshore, washed ashore, beaches, the strait. Bodies washed ashore and deaths in the
   canals that taxi-boats launch from count as ``sea`` (deaths of a sea crossing attempt).
3. otherwise, for a drowning or a death from the elements (IOM's "Harsh environmental conditions"), the
   coordinates: a point in the water (outside the land polygons of ``strait_land.geojson``) is ``sea``; anything
   else (other causes, a point on land, no coordinates) is ``land``.

**Area**, from the coordinates only (distances on a local flat projection at 51 N, accurate to well under 1 km
here): a point nearer the British coast than the French, or on British land, is ``UK side``; a point at sea more
than 12 nautical miles (22.2 km, the limit of territorial waters) from the French coast is ``mid-Channel``; any other
point within 30 km of a French launch area or port of ``places.csv`` takes the area of the nearest one (Gravelines
and Dunkirk: Aa canal, Loon-Plage, Dunkirk, Bray-Dunes; Calais: Calais port, Sangatte; Boulogne and the Opal
Coast: Wissant to Berck and Boulogne port); everything else (inland, Belgium, far ports) is ``elsewhere on the
route``, and no coordinates is ``unknown``.
"""
from __future__ import annotations

import json
import math
import re
from enum import Enum
from functools import lru_cache

import numpy as np
import pandas as pd

from ..config import bundled_path

GEO_FILE = "strait_land.geojson"
PLACES_FILE = "places.csv"
GEO_ATTRIBUTION = "Coastline: GSHHG full resolution (Wessel and Smith), LGPL; places: public place coordinates"
TERRITORIAL_KM = 22.224  # 12 nautical miles
NEAR_PLACE_KM = 30.0
_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON = 111.32 * math.cos(math.radians(51.0))


class Setting(str, Enum):
    SEA = "sea"
    LAND = "land"


class Area(str, Enum):
    DUNKIRK = "Gravelines and Dunkirk"
    CALAIS = "Calais"
    BOULOGNE = "Boulogne and the Opal Coast"
    MID_CHANNEL = "mid-Channel"
    UK_SIDE = "UK side"
    ELSEWHERE = "elsewhere on the route"
    UNKNOWN = "unknown"


COASTAL_AREAS = (Area.DUNKIRK, Area.CALAIS, Area.BOULOGNE, Area.MID_CHANNEL, Area.UK_SIDE)
PLACE_AREA = {
    "gravelines_aa": Area.DUNKIRK, "loon_plage": Area.DUNKIRK, "dunkerque_malo": Area.DUNKIRK,
    "bray_dunes": Area.DUNKIRK, "dunkerque_port": Area.DUNKIRK,
    "calais_port": Area.CALAIS, "sangatte": Area.CALAIS,
    "wissant": Area.BOULOGNE, "cap_gris_nez": Area.BOULOGNE, "ambleteuse": Area.BOULOGNE,
    "wimereux": Area.BOULOGNE, "le_portel": Area.BOULOGNE, "equihen": Area.BOULOGNE, "hardelot": Area.BOULOGNE,
    "le_touquet": Area.BOULOGNE, "berck": Area.BOULOGNE, "boulogne_port": Area.BOULOGNE,
}

_LAND_WORDS = re.compile(
    r"motorway|highway|(?-i:\b[AEN] ?\d{2,3}\b|\bM\d{1,2}\b)|\broad\b|rocade|ring road|bypass|roundabout|"
    r"lorry|truck|trailer|transporter|\bbus\b|train|rail|freight|tunnel|eurotunnel|chunnel|camp\b|jungle|"
    r"container|parking|car park|service station|hospital|station|\bgare\b|airfield|industrial|business park|"
    r"transmarck|secours catholique|vehicle accident|hazardous transport", re.IGNORECASE)
_SEA_WORDS = re.compile(
    r"english channel crossing|\boff\b|offshore|off the coast|at sea|washed (up|ashore)|ashore|\bbeach|\bplage|"
    r"strait|in the english channel|\bSRR\b|wind farm|maritime border|nautical miles", re.IGNORECASE)

_WATER_CAUSE = re.compile(r"drowning|harsh environmental|hypothermia", re.IGNORECASE)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    return lon * _KM_PER_DEG_LON, lat * _KM_PER_DEG_LAT


@lru_cache(maxsize=1)
def land() -> dict[str, object]:
    """The land polygons (shapely, in local km) keyed 'france' (with Belgium) and 'britain'."""
    import shapely
    from shapely.geometry import shape
    with open(bundled_path(GEO_FILE), encoding="utf-8") as f:
        fc = json.load(f)
    out: dict[str, object] = {}
    for feat in fc["features"]:
        name = feat["properties"].get("name", "").lower()
        key = "britain" if "britain" in name else "france"
        geom = shapely.transform(shape(feat["geometry"]),
                                 lambda xy: xy * [_KM_PER_DEG_LON, _KM_PER_DEG_LAT])  # lon, lat -> km
        out[key] = geom if key not in out else out[key].union(geom)
    return out


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Launch areas, ports and UK landing places shipped in ``places.csv``."""
    return pd.read_csv(bundled_path(PLACES_FILE))


def _geometry(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For arrays of points: inside the coastline box, on land, km to the French and to the British coast."""
    import shapely
    geo = land()
    x, y = lon * _KM_PER_DEG_LON, lat * _KM_PER_DEG_LAT
    known = ~(np.isnan(lat) | np.isnan(lon))
    box = known & (lat >= 50.0) & (lat <= 51.6) & (lon >= 0.3) & (lon <= 3.2)
    pts = shapely.points(np.where(known, x, 0.0), np.where(known, y, 0.0))
    on_land = shapely.contains(geo["france"], pts) | shapely.contains(geo["britain"], pts)
    return box, on_land, shapely.distance(geo["france"], pts), shapely.distance(geo["britain"], pts)


def _settings(cause: list[str], location: list[str], lat: np.ndarray, lon: np.ndarray) -> list[Setting]:
    box, on_land, _, _ = _geometry(lat, lon)
    out = []
    for i, (c, loc) in enumerate(zip(cause, location)):
        if _LAND_WORDS.search(f"{loc} | {c}"):
            out.append(Setting.LAND)
        elif _SEA_WORDS.search(loc):
            out.append(Setting.SEA)
        elif _WATER_CAUSE.search(c) and box[i] and not on_land[i]:
            out.append(Setting.SEA)
        else:
            out.append(Setting.LAND)
    return out


def _areas(lat: np.ndarray, lon: np.ndarray) -> list[Area]:
    box, _, d_fr, d_gb = _geometry(lat, lon)
    fr = places()
    fr = fr[fr["place_id"].isin(PLACE_AREA)]
    px = fr["longitude"].to_numpy() * _KM_PER_DEG_LON
    py = fr["latitude"].to_numpy() * _KM_PER_DEG_LAT
    ids = fr["place_id"].tolist()
    out = []
    for i in range(len(lat)):
        if np.isnan(lat[i]) or np.isnan(lon[i]):
            out.append(Area.UNKNOWN)
        elif not box[i]:
            out.append(Area.UK_SIDE if lat[i] > 50.0 and lon[i] < 0.3 else Area.ELSEWHERE)
        elif d_gb[i] < d_fr[i]:
            out.append(Area.UK_SIDE)
        elif d_fr[i] > TERRITORIAL_KM:
            out.append(Area.MID_CHANNEL)
        else:
            dist = np.hypot(px - lon[i] * _KM_PER_DEG_LON, py - lat[i] * _KM_PER_DEG_LAT)
            j = int(np.argmin(dist))
            out.append(PLACE_AREA[ids[j]] if dist[j] <= NEAR_PLACE_KM else Area.ELSEWHERE)
    return out


def _arr(v) -> np.ndarray:
    return np.array([np.nan if v is None or pd.isna(v) else float(v)])


def setting(cause: str, location: str, lat: float | None, lon: float | None) -> Setting:
    """``sea`` or ``land`` for one incident (rules in the module docstring)."""
    return _settings([cause], [location], _arr(lat), _arr(lon))[0]


def area(lat: float | None, lon: float | None) -> Area:
    """The area of the strait a point lies in (rules in the module docstring)."""
    return _areas(_arr(lat), _arr(lon))[0]


def classify(incidents: pd.DataFrame) -> pd.DataFrame:
    """``incidents`` with two more columns: ``setting`` (sea | land) and ``area``."""
    out = incidents.copy()
    lat = out["latitude"].astype("float64").to_numpy()
    lon = out["longitude"].astype("float64").to_numpy()
    out["setting"] = [v.value for v in _settings(out["cause"].tolist(), out["location"].tolist(), lat, lon)]
    out["area"] = [v.value for v in _areas(lat, lon)]
    return out
