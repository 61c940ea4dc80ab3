"""Optional layers: what this store and this version of crossings can show beyond the official series.

Each layer is read through the package's own API (incidents and deaths tables: :mod:`crossings.analysis.deaths`;
events: :mod:`crossings.events`; sensitivity: :mod:`crossings.sim.sensitivity`). When a module is missing from this
version, or the store holds no such data, the function returns ``None`` (or an empty dict) and the pages say
"not available in this store/version" instead of showing anything made up. The map's coastline and places are
bundled with the package and always present.
"""
from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from ..config import bundled_path
from .frames import SnapshotTables

NOT_AVAILABLE = "not available in this store/version"
LAND_FILE = "strait_land.geojson"
PLACES_FILE = "places.csv"
#: Tables read through ``crossings export --table`` beyond the official series.
MAP_TABLES = ("incidents", "places", "events")
#: The deaths, incidents and rescues tables of ``crossings stats --only deaths|incidents|rescues``.
DEATH_TABLES = ("about_deaths", "deaths_by_year", "deaths_per_1000", "deaths_by_area", "incidents_by_month",
                "deadliest_incidents", "rescues_by_year", "prefecture_figures")
EXTRA_TABLES = MAP_TABLES + DEATH_TABLES

GEO_ATTRIBUTION = ("Coastline: GSHHG full resolution (Wessel and Smith), LGPL. Places: approximate public "
                   "coordinates, compiled by crossings.")
TIDE_ATTRIBUTION = "Tide constants: TICON-4 (SEANOE), CC BY 4.0; Gravelines blends Dunkerque and Calais."
INCIDENTS_ATTRIBUTION = ("IOM Missing Migrants Project (missingmigrants.iom.int), CC BY 4.0; figures are minimum "
                         "estimates.")


@lru_cache(maxsize=1)
def land() -> dict:
    """Land polygons of the strait (GeoJSON FeatureCollection, longitude-latitude)."""
    return json.loads(bundled_path(LAND_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Launch areas, ports and landing places with approximate coordinates."""
    return pd.read_csv(bundled_path(PLACES_FILE), keep_default_na=False)


def incidents(snap) -> pd.DataFrame | None:
    """The current IOM incidents with setting (sea/land) and area, or None without an incidents layer."""
    def load():
        try:
            from ..analysis.deaths import incidents_frame
        except ImportError:
            return None
        df = incidents_frame(SnapshotTables(snap))
        return None if df.empty else df
    return snap.memo("incidents", load)


def incidents_attribution() -> str:
    try:
        from ..sources.iom import ATTRIBUTION
        return ATTRIBUTION
    except ImportError:
        return INCIDENTS_ATTRIBUTION


def death_tables(snap) -> dict[str, pd.DataFrame]:
    """Every deaths, incidents and rescues table by name; empty without an incidents layer."""
    def load():
        try:
            from ..analysis.deaths import death_tables as build
        except ImportError:
            return {}
        return build(SnapshotTables(snap), snap.daily)
    return snap.memo("death_tables", load)


def events() -> pd.DataFrame | None:
    """The shipped timeline of policy and enforcement events, or None when this version has none."""
    try:
        from ..events import events_frame, timeline
    except ImportError:
        return None
    return events_frame(timeline())


def events_attribution() -> str:
    try:
        from ..events import ATTRIBUTION
        return ATTRIBUTION
    except ImportError:
        return ""


def sensitivity_available() -> bool:
    """Whether this version computes Sobol sensitivity of doctrine differences."""
    try:
        from ..sim import sensitivity  # noqa: F401
    except ImportError:
        return False
    return True


def table(snap, name: str) -> pd.DataFrame | None:
    """An extra download table by name, or None when it is not available in this store/version."""
    if name in MAP_TABLES:
        if name == "incidents" and incidents(snap) is None:
            return None
        if name == "events" and events() is None:
            return None
        from .frames import store_table
        return store_table(snap, name)
    return death_tables(snap).get(name)


def available(snap) -> dict[str, bool]:
    """Which optional layers this store/version has."""
    return {"incidents": incidents(snap) is not None, "events": events() is not None,
            "sensitivity": sensitivity_available(), "forecast": True, "tides": True, "map": True}
