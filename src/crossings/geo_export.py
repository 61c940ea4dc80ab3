"""The map tables (incidents, places, events) for export, and writing any of them as RFC 7946 GeoJSON.

GeoJSON coordinates are [longitude, latitude] (WGS 84), as RFC 7946 requires; a row without coordinates (every
event, an incident IOM did not locate) is a Feature with a null geometry. Each file carries its sources and
licences in a top-level ``attribution`` member.
"""
from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .errors import CrossingsError


def geo_table(store, table: str, as_of: date | None = None) -> pd.DataFrame:
    """``incidents`` (the newest IOM release published on or before ``as_of``, with setting and area), ``places``
    (not dated: ``as_of`` does not apply) or ``events`` (those dated on or before ``as_of``) as a table."""
    if table == "incidents":
        from .analysis.deaths import incidents_frame
        df = incidents_frame(store, as_of)
        if df.empty:
            from .store.incidents import first_release_date
            first = first_release_date(store.con, "incidents")
            if as_of is not None and first is not None and first > as_of:
                raise CrossingsError(f"no IOM release was published on or before {as_of}: the first stored one is "
                                     f"dated {first}; give a later --as-of")
            raise CrossingsError("no IOM incidents in the store: run 'crossings ingest --bundled' first")
        df = df.drop(columns=["release_id"])
        df.attrs["attribution"] = _iom()
        return df
    if table == "places":
        from .analysis.incident_geo import places
        df = places().copy()
        df.attrs["attribution"] = "Places: public place coordinates (approximate), shipped in crossings/data"
        return df
    if table == "events":
        from .events import ATTRIBUTION, events_frame, timeline
        events = timeline()
        if as_of is not None:
            events = [e for e in events if e.date <= as_of]
            if not events:
                raise CrossingsError(f"no event is dated on or before {as_of}: the first is dated "
                                     f"{min(e.date for e in timeline())}")
        df = events_frame(events)
        df.attrs["attribution"] = ATTRIBUTION
        return df
    raise CrossingsError(f"unknown map table {table!r}")


def _iom() -> str:
    from .sources.iom import ATTRIBUTION
    return ATTRIBUTION


def _value(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def to_feature_collection(df: pd.DataFrame) -> dict:
    """Rows as GeoJSON Features: Point [longitude, latitude] where both are known, else a null geometry."""
    has_xy = "latitude" in df.columns and "longitude" in df.columns
    features = []
    for rec in df.to_dict("records"):
        props = {k: _value(v) for k, v in rec.items() if k not in ("latitude", "longitude")}
        geom = None
        if has_xy:
            lat, lon = _value(rec["latitude"]), _value(rec["longitude"])
            if lat is not None and lon is not None:
                geom = {"type": "Point", "coordinates": [round(float(lon), 7), round(float(lat), 7)]}
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    fc = {"type": "FeatureCollection", "features": features}
    if df.attrs.get("attribution"):
        fc["attribution"] = df.attrs["attribution"]
    return fc


def write_geojson(df: pd.DataFrame, out: str | Path) -> Path:
    """Write ``df`` as a GeoJSON FeatureCollection, atomically."""
    out = Path(out)
    with atomic_path(out) as tmp:
        Path(tmp).write_text(json.dumps(to_feature_collection(df), ensure_ascii=False, indent=1), encoding="utf-8")
    return out
