"""Storing and reading releases of table sources: IOM incidents and the prefecture's yearly figures.

Each file is one release in ``source_releases`` (sha256 unique: the same file twice adds nothing), its rows in the
table its reader names. Every release is kept. An IOM export is a complete snapshot, so the current incidents are
those of the newest release; :func:`incident_revisions` lists what changed for an incident (by IOM's id) between
successive releases, and incidents that a newer release no longer lists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import duckdb
import pandas as pd

from ..errors import CrossingsError
from ..sources.base import ParsedRelease
from .db import transaction
from .releases import IngestResult

TABLE_COLUMNS: dict[str, list[str]] = {
    "incidents": ["incident_id", "incident_ids", "incident_type", "date", "dead", "missing", "dead_missing",
                  "survivors", "cause", "location", "country", "latitude", "longitude", "source", "link",
                  "source_quality"],
    "prefecture_annual": ["year", "people_attempting", "boats_attempting", "people_rescued", "rescue_operations",
                          "deaths", "missing", "taxi_boat_share", "mean_people_per_boat", "source"],
}
KIND_OF_TABLE = {"incidents": "iom_incidents", "prefecture_annual": "prefecture_annual"}
REVISED_FIELDS = ["date", "dead", "missing", "dead_missing", "survivors", "cause", "location", "latitude",
                  "longitude", "source", "link"]
_COUNTS = {"dead", "missing", "dead_missing", "survivors", "people_attempting", "boats_attempting",
           "people_rescued", "rescue_operations", "deaths"}
_ORDER = "r.release_date DESC, r.release_id DESC"


@dataclass(frozen=True)
class TableIngestResult(IngestResult):
    """What ingesting one incident or yearly-figure file did (``n_daily``/``n_weekly`` are 0)."""

    n_rows: int = 0
    table: str = ""

    def describe(self) -> str:
        verb = "added" if self.added else "already stored"
        what = "incidents" if self.table == "incidents" else "years"
        return (f"{verb}: {self.kind} release of {self.release_date.isoformat()} ({self.n_rows} {what}) "
                f"from {self.path}")


def add_table_release(con: duckdb.DuckDBPyConnection, rel: ParsedRelease, *, path: str = "") -> TableIngestResult:
    """Store a parsed incident or yearly-figure release atomically; a known sha256 adds nothing."""
    if len(rel.tables) != 1 or next(iter(rel.tables)) not in TABLE_COLUMNS:
        raise CrossingsError(f"a {rel.kind} release must hold one of the tables {', '.join(TABLE_COLUMNS)}")
    table, df = next(iter(rel.tables.items()))
    known = con.execute("SELECT release_id, kind, release_date, n_rows FROM source_releases WHERE sha256 = ?",
                        [rel.sha256]).fetchone()
    if known:
        return TableIngestResult(path or rel.origin, known[0], known[1], known[2], False, 0, 0, known[3], table)
    cols = TABLE_COLUMNS[table]
    frame = df[cols].copy()
    with transaction(con):
        rid = con.execute(
            "INSERT INTO source_releases (kind, release_date, release_date_inferred, origin, sha256, ingested_at, "
            "n_rows) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING release_id",
            [rel.kind, rel.release_date, rel.release_date_inferred, rel.origin, rel.sha256,
             datetime.now(timezone.utc).replace(tzinfo=None), len(frame)]).fetchone()[0]
        con.register("_table_in", frame)
        con.execute(f"INSERT INTO {table} (release_id, {', '.join(cols)}) SELECT ?, {', '.join(cols)} "
                    f"FROM _table_in", [rid])
        con.unregister("_table_in")
    return TableIngestResult(path or rel.origin, rid, rel.kind, rel.release_date, True, 0, 0, len(frame), table)


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the incident tables (a store opened read-only may predate migration 10)."""
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_name = 'source_releases'").fetchone()[0] > 0


def source_releases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored incident and yearly-figure release, oldest first."""
    if not _has_tables(con):
        return pd.DataFrame(columns=["release_id", "kind", "release_date", "release_date_inferred", "origin",
                                     "sha256", "ingested_at", "n_rows"])
    return con.execute("SELECT release_id, kind, release_date, release_date_inferred, origin, sha256, ingested_at, "
                       "n_rows FROM source_releases ORDER BY release_date, release_id").df()


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if c in _COUNTS:
            df[c] = df[c].astype("Int64")
    if "date" in df:
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    if "release_date" in df:
        df["release_date"] = pd.to_datetime(df["release_date"]).dt.date
    return df


def _newest(con: duckdb.DuckDBPyConnection, table: str, as_of: date | None) -> pd.DataFrame:
    if not _has_tables(con):
        return pd.DataFrame(columns=[*TABLE_COLUMNS[table], "release_date", "release_id"])
    where = "AND r.release_date <= ?" if as_of else ""
    key = "incident_id" if table == "incidents" else "year"
    order = "date, incident_id" if table == "incidents" else "year"
    sql = f"""
        WITH newest AS (
            SELECT r.release_id, r.release_date FROM source_releases r
            WHERE r.kind = '{KIND_OF_TABLE[table]}' {where}
            ORDER BY {_ORDER} LIMIT 1)
        SELECT t.* EXCLUDE (release_id), n.release_date, n.release_id
        FROM {table} t JOIN newest n USING (release_id)
        ORDER BY {order}, {key}"""
    return _typed(con.execute(sql, [as_of] if as_of else []).df())


def latest_incidents(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """The incidents of the newest IOM release published on or before ``as_of`` (empty if none is stored)."""
    return _newest(con, "incidents", as_of)


def first_release_date(con: duckdb.DuckDBPyConnection, table: str) -> date | None:
    """Publication date of the oldest stored release of ``table`` (``incidents`` or ``prefecture_annual``)."""
    if not _has_tables(con):
        return None
    return con.execute("SELECT min(release_date) FROM source_releases WHERE kind = ?",
                       [KIND_OF_TABLE[table]]).fetchone()[0]


def latest_prefecture(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """The prefecture's yearly figures from the newest stored release, one row per year with its source."""
    return _newest(con, "prefecture_annual", as_of)


def incident_revisions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """What changed for each incident (IOM's ``incident_id``) between successive IOM releases.

    One row per changed value (field, old and new value as text, the two releases); an incident a newer release
    no longer lists appears with field ``withdrawn``. An incident first listed by a release is not a revision.
    """
    if not _has_tables(con):
        return pd.DataFrame(columns=["incident_id", "field", "old_value", "new_value", "prev_release_id",
                                     "prev_release_date", "release_id", "release_date"])
    casts = ", ".join(f"CAST(i.{f} AS VARCHAR) AS {f}" for f in REVISED_FIELDS)
    lags = ", ".join(f"lag({f}) OVER w AS prev_{f}" for f in REVISED_FIELDS)
    unions = " UNION ALL ".join(
        f"SELECT incident_id, '{f}' AS field, prev_{f} AS old_value, {f} AS new_value, prev_release_id, "
        f"prev_release_date, release_id, release_date FROM seq "
        f"WHERE prev_release_id IS NOT NULL AND {f} IS DISTINCT FROM prev_{f}" for f in REVISED_FIELDS)
    sql = f"""
        WITH rel AS (
            SELECT release_id, release_date, row_number() OVER (ORDER BY release_date, release_id) AS seqno
            FROM source_releases WHERE kind = 'iom_incidents'),
        obs AS (SELECT i.incident_id, {casts}, i.release_id, r.release_date, r.seqno
                FROM incidents i JOIN rel r USING (release_id)),
        seq AS (
            SELECT *, lag(release_id) OVER w AS prev_release_id, lag(release_date) OVER w AS prev_release_date,
                   {lags}
            FROM obs WINDOW w AS (PARTITION BY incident_id ORDER BY seqno)),
        withdrawn AS (
            SELECT o.incident_id, 'withdrawn' AS field, 'listed' AS old_value, NULL AS new_value,
                   o.release_id AS prev_release_id, o.release_date AS prev_release_date,
                   nx.release_id, nx.release_date
            FROM obs o JOIN rel nx ON nx.seqno = o.seqno + 1
            WHERE NOT EXISTS (SELECT 1 FROM obs o2 WHERE o2.incident_id = o.incident_id AND o2.seqno = nx.seqno))
        {unions} UNION ALL SELECT * FROM withdrawn
        ORDER BY incident_id, field, release_date"""
    return con.execute(sql).df()


BUNDLED_FILES = ("iom_missing_migrants.csv", "prefecture_annual_figures.csv")


def bundled_table_files() -> list:
    """The incident and yearly-figure files shipped with the package (ingested by ``crossings ingest --bundled``)."""
    from ..config import bundled_path
    return [bundled_path(n) for n in BUNDLED_FILES]
