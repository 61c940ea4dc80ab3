"""Reader of the yearly figures of the Préfecture maritime de la Manche et de la mer du Nord (CSV).

One row per year: people attempting the crossing, boats attempting, people rescued at sea, rescue operations,
deaths, missing, taxi-boat share (0-1) and mean people per boat, each row with the public report it comes from
(``source``, required). An empty cell is a figure the report did not give: missing, never zero.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import ClassVar

import pandas as pd

from ..errors import InputError
from ._cells import match_columns, to_count
from .base import DAILY_COLUMNS, ParsedRelease, sha256_of

KIND = "prefecture_annual"
TABLE = "prefecture_annual"
ATTRIBUTION = ("Préfecture maritime de la Manche et de la mer du Nord, yearly figures as reported publicly "
               "(each row cites its report)")
FIELDS: dict[str, list[str]] = {
    "year": [r"year"],
    "people_attempting": [r"people_attempting_crossing", r"people attempting( crossing)?"],
    "boats_attempting": [r"boats_attempting", r"boats attempting"],
    "people_rescued": [r"people_rescued_at_sea", r"people rescued( at sea)?"],
    "rescue_operations": [r"rescue_operations", r"rescue operations"],
    "deaths": [r"migrant_deaths", r"deaths"],
    "missing": [r"migrants_missing", r"missing"],
    "taxi_boat_share": [r"taxi_boat_share", r"taxi - boat share"],
    "mean_people_per_boat": [r"mean_people_per_boat", r"mean people per boat"],
    "source": [r"source"],
}
COUNTS = ["people_attempting", "boats_attempting", "people_rescued", "rescue_operations", "deaths", "missing"]
COLUMNS = ["year", *COUNTS, "taxi_boat_share", "mean_people_per_boat", "source"]


def _number(text: str, lo: float, hi: float, **where) -> float | None:
    t = text.strip()
    if not t:
        return None
    try:
        x = float(t)
    except ValueError:
        raise InputError(f"expected a number, found text {t!r}", **where) from None
    if not lo <= x <= hi:
        raise InputError(f"{x:g} is outside {lo:g} to {hi:g}", **where)
    return x


class PrefectureReader:
    """Reads the prefecture's yearly figures (the CSV shipped as ``prefecture_annual_figures.csv``)."""

    kind: ClassVar[str] = KIND

    def can_read(self, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].lower()
        return first.startswith(b"year,") and b"rescued" in first

    def read(self, path: Path, origin: str | None = None, release_date: date | None = None) -> ParsedRelease:
        file = str(path)
        try:
            rows = list(csv.reader(io.StringIO(Path(path).read_bytes().decode("utf-8-sig"))))
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", file=file) from None
        headings = rows[0]
        cols = match_columns(headings, FIELDS, set(FIELDS) - {"year", "source"}, file=file, sheet=None, row=1)
        records, seen = [], {}
        for i, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(headings):
                raise InputError(f"{len(cells)} fields where the heading row has {len(headings)}", file=file, row=i)
            at = lambda f: {"file": file, "row": i, "column": headings[cols[f]]}  # noqa: E731
            get = lambda f: cells[cols[f]] if f in cols else ""  # noqa: E731
            year = to_count(get("year"), sheet=None, **at("year"))
            if year is None or not 2000 <= year <= 2100:
                raise InputError(f"not a year: {get('year')!r}", **at("year"))
            if year in seen:
                raise InputError(f"year {year} twice (first at row {seen[year]})", **at("year"))
            seen[year] = i
            rec = {"year": year, "source": get("source").strip()}
            if not rec["source"]:
                raise InputError("every row must cite its source", **at("source"))
            for f in COUNTS:
                rec[f] = to_count(get(f), sheet=None, **at(f)) if f in cols else None
            rec["taxi_boat_share"] = _number(get("taxi_boat_share"), 0, 1, **at("taxi_boat_share")) \
                if "taxi_boat_share" in cols else None
            rec["mean_people_per_boat"] = _number(get("mean_people_per_boat"), 0, 500, **at("mean_people_per_boat")) \
                if "mean_people_per_boat" in cols else None
            records.append(rec)
        if not records:
            raise InputError("no yearly figures", file=file)
        df = pd.DataFrame.from_records(records, columns=COLUMNS)
        for c in COUNTS:
            df[c] = pd.array(df[c].tolist(), dtype="Int64")
        for c in ("taxi_boat_share", "mean_people_per_boat"):
            df[c] = pd.array(df[c].tolist(), dtype="Float64")
        inferred = release_date is None
        if inferred:  # the figures of a year are published in the January after it
            release_date = date(int(df["year"].max()) + 1, 1, 31)
        return ParsedRelease(kind=KIND, release_date=release_date, origin=origin or file, sha256=sha256_of(path),
                             daily=pd.DataFrame(columns=DAILY_COLUMNS), release_date_inferred=inferred,
                             tables={TABLE: df})
