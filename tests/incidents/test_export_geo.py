"""``crossings export --table incidents|places|events``: GeoJSON (RFC 7946, longitude first) read back by shapely."""
from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import shape

from crossings.cli import main
from crossings.config import bundled_path


def _export(table: str, fmt: str, out) -> dict | pd.DataFrame:
    result = CliRunner().invoke(main, ["export", "--table", table, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result


def test_incidents_geojson_round_trips_through_shapely_in_lon_lat_order(loaded, iom_csv, tmp_path):
    out = tmp_path / "incidents.geojson"
    _export("incidents", "geojson", out)
    fc = json.loads(out.read_text(encoding="utf-8"))
    raw = pd.read_csv(iom_csv, na_values=["NA"], keep_default_na=False).set_index("Main ID")
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(raw)
    assert "CC BY 4.0" in fc["attribution"] and "minimum estimates" in fc["attribution"]
    for feat in fc["features"]:
        assert feat["type"] == "Feature" and set(feat) == {"type", "geometry", "properties"}
        geom = shape(feat["geometry"])
        assert geom.geom_type == "Point" and shapely.is_valid(geom)
        r = raw.loc[feat["properties"]["incident_id"]]
        assert geom.x == pytest.approx(r["Longitude"], abs=1e-7)  # RFC 7946: longitude first
        assert geom.y == pytest.approx(r["Latitude"], abs=1e-7)
        assert feat["properties"]["dead_missing"] == r["No. dead/missing"]
        assert feat["properties"]["setting"] in ("sea", "land")
    # the same Features written back by shapely's own GeoJSON serialiser give the same points
    again = [shapely.from_geojson(json.dumps(f["geometry"])) for f in fc["features"]]
    assert all(a.equals(shape(f["geometry"])) for a, f in zip(again, fc["features"]))


def test_places_geojson_and_csv_match_places_csv(db_path, tmp_path):
    raw = pd.read_csv(bundled_path("places.csv")).set_index("place_id")
    _export("places", "geojson", tmp_path / "p.geojson")
    fc = json.loads((tmp_path / "p.geojson").read_text(encoding="utf-8"))
    for feat in fc["features"]:
        p = shape(feat["geometry"])
        r = raw.loc[feat["properties"]["place_id"]]
        assert (p.x, p.y) == (r["longitude"], r["latitude"])
    _export("places", "csv", tmp_path / "p.csv")
    assert len(pd.read_csv(tmp_path / "p.csv")) == len(raw)


def test_events_export_has_null_geometries_and_every_format_writes(db_path, tmp_path):
    from crossings.events import shipped_events
    _export("events", "geojson", tmp_path / "e.geojson")
    fc = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert len(fc["features"]) == len(shipped_events()) and all(f["geometry"] is None for f in fc["features"])
    for fmt in ("csv", "json", "parquet"):
        _export("events", fmt, tmp_path / f"e.{fmt}")
    assert pd.read_parquet(tmp_path / "e.parquet")["id"].tolist() == [e.id for e in shipped_events()]
    js = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert js[0]["date"] == shipped_events()[0].date.isoformat()


def test_incidents_export_without_incidents_is_an_error(db_path, tmp_path):
    result = CliRunner().invoke(main, ["export", "--table", "incidents", "--out", str(tmp_path / "i.csv")])
    assert result.exit_code == 1 and "crossings ingest --bundled" in result.output
    assert not (tmp_path / "i.csv").exists()
