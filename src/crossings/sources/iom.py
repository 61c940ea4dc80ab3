"""Reader of the IOM Missing Migrants Project export (CSV), and downloading the current one.

IOM publishes every recorded incident (dead and missing migrants) as one CSV; each download is a complete snapshot,
so each file is stored as one release and the newest release is the current dataset. Only rows on the route
"Mainland Europe to the UK" are kept (the global export holds every route). Columns are found by their headings,
accepting both the headings of the route extract ("No. dead", "Latitude") and of the website export
("Number of Dead", "Coordinates"). IOM's figures are minimum estimates: an incident no one reported is not there.

Licence: IOM Missing Migrants Project data, CC BY 4.0 (https://missingmigrants.iom.int).
"""
from __future__ import annotations

import csv
import io
import os
import re
from datetime import date
from pathlib import Path
from typing import ClassVar

import pandas as pd

from ..errors import InputError
from ._cells import match_columns, normalise_heading, to_count, to_date
from .base import DAILY_COLUMNS, ParsedRelease, sha256_of

KIND = "iom_incidents"
TABLE = "incidents"
ROUTE = "Mainland Europe to the UK"
DEFAULT_URL = "https://missingmigrants.iom.int/sites/g/files/tmzbdl601/files/report-migrant-incident/Missing_Migrants_Global_Figures_allData.csv"
URL_ENV = "CROSSINGS_IOM_URL"
FILE_EXPIRE_S = 24 * 3600  # IOM updates its export at most daily
ATTRIBUTION = ("IOM Missing Migrants Project (https://missingmigrants.iom.int), CC BY 4.0. "
               "IOM figures are minimum estimates: deaths no one reported are not counted.")
NA_TEXT = {"", "na", "n/a", "nan", "null", "unknown"}

# The region of the route (France, Benelux, Britain and their seas), degrees. A point outside it is a data error
# (often latitude and longitude swapped), not an incident on this route.
LAT_MIN, LAT_MAX = 42.0, 60.0
LON_MIN, LON_MAX = -11.0, 10.0

FIELDS: dict[str, list[str]] = {
    "incident_id": [r"main id", r"incident id"],
    "incident_ids": [r"incident id"],
    "incident_type": [r"incident type"],
    "date": [r"incident date", r"reported date"],
    "year": [r"incident year", r"reported year"],
    "dead": [r"no\. dead", r"number of dead", r"number dead"],
    "missing": [r"no\. missing", r"minimum estimated number of missing", r"number of missing"],
    "dead_missing": [r"no\. dead/missing", r"total number of dead and missing", r"total dead and missing"],
    "survivors": [r"no\. survivors", r"number of survivors"],
    "cause": [r"cause of death \(category\)", r"cause of death"],
    "location": [r"location of death", r"location description", r"location of incident"],
    "country": [r"country of incident"],
    "route": [r"route", r"migration route"],
    "source": [r"source", r"information source"],
    "link": [r"link", r"url", r"urls"],
    "source_quality": [r"source quality"],
    "latitude": [r"latitude"],
    "longitude": [r"longitude"],
    "coordinates": [r"coordinates"],
}
OPTIONAL = {"incident_ids", "incident_type", "year", "dead_missing", "country", "route", "link", "source_quality",
            "latitude", "longitude", "coordinates"}
HEADINGS = {"incident_id": "Main ID", "date": "Incident date", "dead": "No. dead", "missing": "No. missing",
            "survivors": "No. survivors", "cause": "Cause of death (category)", "location": "Location of death",
            "source": "Source"}  # the route extract's headings of the required fields, for error messages
COUNTS = ["dead", "missing", "dead_missing", "survivors"]
INCIDENT_COLUMNS = ["incident_id", "incident_ids", "incident_type", "date", "dead", "missing", "dead_missing",
                    "survivors", "cause", "location", "country", "latitude", "longitude", "source", "link",
                    "source_quality"]


def _text(v: str | None) -> str:
    return (v or "").strip()


def _count(v: str | None, **where) -> int | None:
    t = _text(v)
    return None if t.lower() in NA_TEXT else to_count(t, **where)


def _coordinate(v: str | None, lo: float, hi: float, what: str, **where) -> float | None:
    t = _text(v)
    if t.lower() in NA_TEXT:
        return None
    try:
        x = float(t)
    except ValueError:
        raise InputError(f"expected a {what} in degrees, found text {t!r}", **where) from None
    if not lo <= x <= hi:
        raise InputError(f"{what} {x:g} is outside the region of the route ({lo:g} to {hi:g})", **where)
    return x


def parse_incidents(data: bytes, file: str) -> tuple[pd.DataFrame, int]:
    """The incidents of the route in an IOM CSV, checked; and how many rows of other routes were left out."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=file) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError("file is empty", file=file)
    headings = rows[0]
    norm = [normalise_heading(h) for h in headings]
    for f in FIELDS:
        if f not in OPTIONAL and not any(re.fullmatch(p, h) for p in FIELDS[f] for h in norm):
            raise InputError(f"missing column: no heading reads {HEADINGS[f]!r} (or IOM's other name for it)",
                             file=file, row=1, column=HEADINGS[f])
    cols = match_columns(headings, FIELDS, OPTIONAL, file=file, sheet=None, row=1)
    if "coordinates" not in cols and not ("latitude" in cols and "longitude" in cols):
        raise InputError("missing column: no 'Latitude' and 'Longitude' (or 'Coordinates') headings",
                         file=file, row=1, column="Latitude")
    records, other_routes, seen = [], 0, {}
    for i, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(headings):
            raise InputError(f"{len(cells)} fields where the heading row has {len(headings)}", file=file, row=i)
        get = lambda f: cells[cols[f]] if f in cols else None  # noqa: E731
        at = lambda f: {"file": file, "row": i, "column": headings[cols[f]]}  # noqa: E731
        if "route" in cols and _text(get("route")) != ROUTE:
            other_routes += 1
            continue
        rec = {"incident_id": _text(get("incident_id"))}
        if not rec["incident_id"]:
            raise InputError("missing incident id", **at("incident_id"))
        if rec["incident_id"] in seen:
            raise InputError(f"incident id {rec['incident_id']} twice (first at row {seen[rec['incident_id']]})",
                             **at("incident_id"))
        seen[rec["incident_id"]] = i
        rec["incident_ids"] = _text(get("incident_ids")) or rec["incident_id"]
        rec["incident_type"] = _text(get("incident_type"))
        rec["date"] = to_date(_text(get("date")), sheet=None, **at("date"))
        if rec["date"].year < 2000:
            raise InputError(f"implausible date {rec['date'].isoformat()}", **at("date"))
        if "year" in cols and _text(get("year")) and _text(get("year")) != str(rec["date"].year):
            raise InputError(f"year {_text(get('year'))!r} does not match the incident date "
                             f"{rec['date'].isoformat()}", **at("year"))
        for f in COUNTS:
            rec[f] = _count(get(f), sheet=None, **at(f)) if f in cols else None
        if rec["dead_missing"] is None and (rec["dead"] is not None or rec["missing"] is not None):
            rec["dead_missing"] = (rec["dead"] or 0) + (rec["missing"] or 0)
        if "coordinates" in cols and "latitude" not in cols:
            parts = [p.strip() for p in _text(get("coordinates")).split(",")]
            if len(parts) == 1 and parts[0].lower() in NA_TEXT:
                parts = ["", ""]
            if len(parts) != 2:
                raise InputError(f"expected 'latitude, longitude', found {_text(get('coordinates'))!r}",
                                 **at("coordinates"))
            lat_s, lon_s, lat_at, lon_at = parts[0], parts[1], at("coordinates"), at("coordinates")
        else:
            lat_s, lon_s, lat_at, lon_at = get("latitude"), get("longitude"), at("latitude"), at("longitude")
        rec["latitude"] = _coordinate(lat_s, LAT_MIN, LAT_MAX, "latitude", **lat_at)
        rec["longitude"] = _coordinate(lon_s, LON_MIN, LON_MAX, "longitude", **lon_at)
        if (rec["latitude"] is None) != (rec["longitude"] is None):
            raise InputError("latitude without longitude (or the reverse)", **lat_at)
        for f in ("cause", "location", "country", "source", "link", "source_quality"):
            rec[f] = _text(get(f))
        records.append(rec)
    df = pd.DataFrame.from_records(records, columns=INCIDENT_COLUMNS)
    for c in COUNTS:
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in ("latitude", "longitude"):
        df[c] = pd.array(df[c].tolist(), dtype="Float64")
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    return df, other_routes


class IOMIncidentsReader:
    """Reads an IOM Missing Migrants Project CSV export (the route extract or the global file)."""

    kind: ClassVar[str] = KIND

    def can_read(self, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].lower()
        return b"incident" in first and (b"dead" in first) and b"," in first

    def read(self, path: Path, origin: str | None = None, release_date: date | None = None) -> ParsedRelease:
        file = origin if origin and not os.path.exists(origin) else str(path)
        df, other = parse_incidents(Path(path).read_bytes(), file)
        if df.empty:
            raise InputError(f"no incident on the route {ROUTE!r}", file=file)
        df.attrs["other_routes"] = other
        inferred = release_date is None
        if inferred:  # IOM's files carry no publication date: the newest incident stands for it
            release_date = df["date"].max().date()
        return ParsedRelease(kind=KIND, release_date=release_date, origin=origin or str(path),
                             sha256=sha256_of(path), daily=pd.DataFrame(columns=DAILY_COLUMNS),
                             release_date_inferred=inferred, tables={TABLE: df})


def current_url(override: str | None = None) -> str:
    """Where the current export is: ``override``, else ``$CROSSINGS_IOM_URL``, else IOM's published address."""
    return override or os.environ.get(URL_ENV) or DEFAULT_URL
