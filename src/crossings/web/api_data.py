"""JSON and file endpoints of the observatory: health, headline figures, stats tables, series, downloads, releases."""
from __future__ import annotations

import enum
import json
from datetime import date
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from .. import ATTRIBUTION, __version__
from . import layers
from .frames import MEDIA_TYPES, file_bytes, records, store_table
from .query import Day

router = APIRouter(prefix="/api", tags=["observatory"])

STATS_TABLES = ("totals_by_year", "totals_by_month", "totals_by_week", "year_to_date", "people_per_boat",
                "crossing_days", "runs", "record_days", "record_days_boats", "records", "rolling", "preventions",
                "preventions_by_year", "uncontrolled_landings")
StatsTable = enum.Enum("StatsTable", {n: n for n in STATS_TABLES}, type=str)
DownloadTable = enum.Enum("DownloadTable", {n: n for n in ("daily", "weekly", "releases", *STATS_TABLES,
                                                           *layers.EXTRA_TABLES)}, type=str)


class FileFormat(str, enum.Enum):
    csv = "csv"
    json = "json"
    parquet = "parquet"


class Period(str, enum.Enum):
    month = "month"
    year = "year"


def snapshot(request: Request, *, require_data: bool = True):
    """The store's current snapshot; 503 with a one-line error when the store is empty."""
    snap = request.app.state.view.snapshot()
    if require_data and snap.empty:
        raise HTTPException(503, "the store is empty: run 'crossings ingest --bundled' or 'crossings fetch' first")
    return snap


def _stats(snap) -> dict:
    from ..analysis import all_stats
    return snap.memo("all_stats", lambda: all_stats(snap.daily, snap.weekly))


def key_figures(snap) -> dict:
    from ..analysis import key_figures as kf
    return snap.memo("key", lambda: kf(snap.daily, snap.weekly))


@router.get("/health", summary="Liveness, store version and which optional layers this store/version has")
async def health(request: Request) -> dict:
    snap = request.app.state.view.snapshot()
    rel = snap.releases
    return {"status": "ok", "version": __version__, "store_version": snap.version, "releases": len(rel),
            "latest_release": snap.latest_release,
            "simulations_running": request.app.state.jobs.running,
            "max_simulations": request.app.state.settings.max_simulations,
            "layers": layers.available(snap)}


def _json(body: bytes, snap) -> Response:
    return Response(body, media_type="application/json", headers={"X-Crossings-Store-Version": snap.version})


@router.get("/stats/key", summary="The headline figures, as `crossings stats --only key --format json` (its 'key')",
            response_class=Response, responses={200: {"content": {"application/json": {}}}})
async def stats_key(request: Request) -> Response:
    # The hottest endpoint: answered on the event loop from bytes encoded once per store version.
    snap = snapshot(request)
    return _json(snap.memo("key-json", lambda: json.dumps(key_figures(snap)).encode()), snap)


@router.get("/stats/{table}", summary="One table of `crossings stats` as JSON rows")
def stats_table(request: Request, table: StatsTable) -> list[dict]:
    snap = snapshot(request)
    return snap.memo(("stats", table.value), lambda: records(_stats(snap)[table.value]))


def _download(snap, name: str, fmt: str) -> Response:
    def build() -> bytes:
        if name in ("daily", "weekly", "releases"):
            df = store_table(snap, name)
        elif name in STATS_TABLES:
            df = _stats(snap)[name]
        else:
            df = layers.table(snap, name)
            if df is None:
                raise HTTPException(404, f"the table {name} is not available in this store/version")
        return file_bytes(df, fmt)
    body = snap.memo(("file", name, fmt), build)
    source = layers.incidents_attribution() if name in layers.EXTRA_TABLES and name not in ("places", "events") \
        else (layers.events_attribution() if name == "events" else ATTRIBUTION)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="crossings-{name}.{fmt}"',
        "X-Crossings-Attribution": " ".join(source.split()).encode("ascii", "replace").decode(),
        "X-Crossings-Store-Version": snap.version})


@router.get("/daily.csv", summary="Daily arrivals, the same rows as `crossings export --table daily --format csv`",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def daily_csv(request: Request) -> Response:
    return _download(snapshot(request), "daily", "csv")


@router.get("/tables/{table}.{fmt}", summary="Any table as a CSV, JSON or Parquet download",
            response_class=Response, responses={200: {"content": {v: {} for v in MEDIA_TYPES.values()}}})
def table_download(request: Request, table: DownloadTable, fmt: FileFormat) -> Response:
    snap = snapshot(request, require_data=table.value in ("daily", "weekly") or table.value in STATS_TABLES)
    return _download(snap, table.value, fmt.value)


def _between(df: pd.DataFrame, col: str, start: date | None, end: date | None) -> pd.DataFrame:
    if start is not None and end is not None and end < start:
        raise HTTPException(422, f"end {end} is before start {start}")
    if start is not None:
        df = df[df[col] >= pd.Timestamp(start)]
    if end is not None:
        df = df[df[col] <= pd.Timestamp(end)]
    return df


def _values(s: pd.Series) -> list:
    """Numbers as plain floats, a day not recorded as null (a gap, never zero)."""
    return [None if pd.isna(v) else float(v) for v in s.astype("Float64")]


@router.get("/series/daily", summary="Daily people and boats with the 7-day mean, optionally for a period")
def series_daily(request: Request, start: Day | None = None, end: Day | None = None) -> dict:
    from ..analysis import rolling
    snap = snapshot(request)
    roll = snap.memo("rolling", lambda: rolling(snap.daily))
    r = _between(roll, "date", start, end)
    return {"date": r["date"].dt.strftime("%Y-%m-%d").tolist(), "people": _values(r["people"]),
            "boats": _values(r["boats"]), "people_7d_mean": _values(r["people_7d_mean"]),
            "boats_7d_mean": _values((r["boats_7d"].astype("Float64") / 7).round(1)),
            "first_day": snap.daily["date"].min().date().isoformat(),
            "last_day": snap.daily["date"].max().date().isoformat()}


@router.get("/series/cumulative", summary="People arrived accumulated through each year, by day of year")
def series_cumulative(request: Request,
                      years: Annotated[str | None, Query(pattern=r"^\d{4}(,\d{4}){0,19}$",
                                                         description="comma-separated years")] = None) -> dict:
    snap = snapshot(request)

    def build() -> dict:
        d = snap.daily[["date", "migrants_arrived"]].copy()
        out = {}
        for year, g in d.groupby(d["date"].dt.year):
            out[str(year)] = {"day_of_year": g["date"].dt.day_of_year.tolist(),
                              "date": g["date"].dt.strftime("%Y-%m-%d").tolist(),
                              # a day not recorded adds nothing to the running total and is marked missing
                              "people_cumulative": g["migrants_arrived"].astype("float64").fillna(0).cumsum()
                              .astype(int).tolist(),
                              "days_not_recorded": int(g["migrants_arrived"].isna().sum())}
        return out
    allyears = snap.memo("cumulative", build)
    wanted = allyears.keys() if years is None else [y for y in years.split(",") if y in allyears]
    return {"years": {y: allyears[y] for y in wanted}, "available": list(allyears)}


@router.get("/series/crossing_days", summary="Crossing days (at least one boat arrived) per month or year")
def series_crossing_days(request: Request, by: Period = Period.month) -> list[dict]:
    from ..analysis import crossing_days
    snap = snapshot(request)
    return snap.memo(("crossing_days", by.value), lambda: records(crossing_days(snap.daily, by.value)))


@router.get("/releases", summary="Every stored release, oldest first (`crossings releases`)")
def releases_list(request: Request) -> list[dict]:
    snap = snapshot(request, require_data=False)
    return snap.memo("releases", lambda: records(snap.releases))


@router.get("/releases/diff", summary="What changed between two releases: revised values and days added")
def releases_diff(request: Request, a: Annotated[int, Query(ge=1, le=10**9)],
                  b: Annotated[int, Query(ge=1, le=10**9)]) -> dict:
    from .releases import diff
    snap = snapshot(request)
    known = set(int(x) for x in snap.releases["release_id"])
    for rid in (a, b):
        if rid not in known:
            raise HTTPException(404, f"no release {rid} in this store")
    return snap.memo(("diff", a, b), lambda: diff(request.app.state.view, a, b))
