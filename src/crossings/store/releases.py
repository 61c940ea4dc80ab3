"""Adding an official release to the store: one transaction per file, the same file never twice."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from ..sources import ParsedRelease, read
from .db import transaction


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file did."""

    path: str
    release_id: int
    kind: str
    release_date: date
    added: bool
    n_daily: int
    n_weekly: int

    def describe(self) -> str:
        verb = "added" if self.added else "already stored"
        return (f"{verb}: {self.kind} published {self.release_date.isoformat()} "
                f"({self.n_daily} days, {self.n_weekly} weeks) from {self.path}")


def _as_db_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if str(out[c].dtype) == "Int64":
            out[c] = out[c].astype("Int64")
    return out


def add_release(con: duckdb.DuckDBPyConnection, rel: ParsedRelease, *, path: str = "") -> IngestResult:
    """Store a parsed release and its observations atomically; a release with a known sha256 adds nothing."""
    if rel.tables:  # incident and yearly-figure sources have their own release table
        from .incidents import add_table_release
        return add_table_release(con, rel, path=path)
    known = con.execute("SELECT release_id, kind, release_date, n_daily, n_weekly FROM releases WHERE sha256 = ?",
                        [rel.sha256]).fetchone()
    if known:
        return IngestResult(path or rel.origin, known[0], known[1], known[2], False, known[3], known[4])
    daily, weekly = _as_db_frame(rel.daily), _as_db_frame(rel.weekly)
    with transaction(con):
        rid = con.execute(
            "INSERT INTO releases (kind, release_date, release_date_inferred, origin, sha256, ingested_at, n_daily, "
            "n_weekly) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING release_id",
            [rel.kind, rel.release_date, rel.release_date_inferred, rel.origin, rel.sha256,
             datetime.now(timezone.utc).replace(tzinfo=None), len(daily), len(weekly)]).fetchone()[0]
        con.register("_daily_in", daily)
        con.execute("INSERT INTO daily_obs SELECT ?, CAST(date AS DATE), migrants_arrived, boats_arrived, "
                    "uncontrolled_landings, note FROM _daily_in", [rid])
        con.unregister("_daily_in")
        if len(weekly):
            con.register("_weekly_in", weekly)
            con.execute("INSERT INTO weekly_obs SELECT ?, CAST(week_ending AS DATE), migrants_arrived, "
                        "boats_arrived, uncontrolled_landings, migrants_prevented, events_prevented, note "
                        "FROM _weekly_in", [rid])
            con.unregister("_weekly_in")
    return IngestResult(path or rel.origin, rid, rel.kind, rel.release_date, True, len(daily), len(weekly))


def ingest_file(con: duckdb.DuckDBPyConnection, path: str | Path, *, origin: str | None = None,
                release_date: date | None = None) -> IngestResult:
    """Parse a file (every check passes before anything is written) and store it as one release."""
    rel = read(path, origin=origin, release_date=release_date)
    return add_release(con, rel, path=str(path))
