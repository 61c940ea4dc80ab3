"""Optional layers: what this store and this version of crossings can show beyond the official series.

Each function returns ``None`` when its layer is not available (its module is missing from this version, or the
store holds no such data); pages then say "not available in this store/version" instead of showing anything made
up. The map's coastline and places are bundled with the package and always present.
"""
from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from ..config import bundled_path

NOT_AVAILABLE = "not available in this store/version"
LAND_FILE = "strait_land.geojson"
PLACES_FILE = "places.csv"
#: Tables beyond the store's that the Data page offers for download.
EXTRA_TABLES = ("places",)

GEO_ATTRIBUTION = ("Coastline: GSHHG full resolution (Wessel and Smith), LGPL. Places: approximate public "
                   "coordinates, compiled by crossings.")
TIDE_ATTRIBUTION = "Tide constants: TICON-4 (SEANOE), CC BY 4.0; Gravelines blends Dunkerque and Calais."
INCIDENTS_ATTRIBUTION = "IOM Missing Migrants Project (missingmigrants.iom.int), CC BY 4.0; figures are minimum estimates."


@lru_cache(maxsize=1)
def land() -> dict:
    """Land polygons of the strait (GeoJSON FeatureCollection, longitude-latitude)."""
    return json.loads(bundled_path(LAND_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Launch areas, ports and landing places with approximate coordinates."""
    return pd.read_csv(bundled_path(PLACES_FILE), keep_default_na=False)


def incidents() -> pd.DataFrame | None:
    """Incidents (date, dead, missing, latitude, longitude, ...) when the incidents layer exists, else None."""
    return None


def events() -> pd.DataFrame | None:
    """Policy and enforcement events (date, title, kind, source) when the events layer exists, else None."""
    return None


def sensitivity_available() -> bool:
    """Whether this version computes Sobol sensitivity of doctrine differences."""
    return False


def table(name: str) -> pd.DataFrame | None:
    """An extra download table by name, or None when it is not available."""
    if name == "places":
        return places()
    return None


def available() -> dict[str, bool]:
    """Which optional layers this store/version has."""
    return {"incidents": incidents() is not None, "events": events() is not None,
            "sensitivity": sensitivity_available(), "forecast": True, "tides": True, "map": True}
