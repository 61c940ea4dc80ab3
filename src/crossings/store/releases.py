"""Adding an official release to the store: one transaction per file, the same file or the same content never twice.

A file whose bytes are stored already, or whose tables say exactly what a stored release of the same kind says
(a re-zipped workbook, a daily page repeating yesterday's table), adds no release: it is recorded in
``release_sightings`` (sha256, origin, when, which stored release it repeats) and the result says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..sources import DAILY_COLUMNS, WEEKLY_COLUMNS, ParsedRelease, read
from ..sources._limits import check_release_date
from .db import transaction

if TYPE_CHECKING:
    import pandas as pd

DAILY_COUNTS = DAILY_COLUMNS[1:4]
WEEKLY_COUNTS = WEEKLY_COLUMNS[1:6]
SAME_FILE, SAME_CONTENT = "file", "content"


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file did. ``duplicate_of`` is None for a new release, else ``'file'`` (same bytes) or
    ``'content'`` (same tables) and ``release_id`` is the stored release it repeats."""

    path: str
    release_id: int
    kind: str
    release_date: date
    added: bool
    n_daily: int
    n_weekly: int
    duplicate_of: str | None = None

    def describe(self) -> str:
        verb = "added" if self.added else "already stored"
        line = (f"{verb}: {self.kind} published {self.release_date.isoformat()} "
                f"({self.n_daily} days, {self.n_weekly} weeks) from {self.path}")
        if self.duplicate_of == SAME_FILE:
            line += f" (the same file as release {self.release_id}; recorded as seen)"
        elif self.duplicate_of == SAME_CONTENT:
            line += f" (a different file with the same tables as release {self.release_id}; recorded as seen)"
        return line


def _with_flags(df: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in flags.columns:
        out[c] = out[c].astype("Int64")
        out[f"{c}_omitted"] = flags[c].to_numpy(dtype=bool)
    out["note"] = out["note"].fillna("").astype(str)
    return out


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _known(con: duckdb.DuckDBPyConnection, rel: ParsedRelease, content: str) -> tuple[str, tuple] | None:
    row = con.execute("SELECT release_id, kind, release_date, n_daily, n_weekly FROM releases WHERE sha256 = ?",
                      [rel.sha256]).fetchone()
    if row:
        return SAME_FILE, row
    row = con.execute("SELECT release_id, kind, release_date, n_daily, n_weekly FROM releases "
                      "WHERE content_sha256 = ? AND kind = ? ORDER BY release_id LIMIT 1",
                      [content, rel.kind]).fetchone()
    return (SAME_CONTENT, row) if row else None


def _stored_release(con: duckdb.DuckDBPyConnection, rid: int, kind: str, release_date: date) -> ParsedRelease:
    """A stored release read back as the reader gave it (for the digest of releases stored before it existed)."""
    import pandas as pd

    def table(obs: str, key: str, counts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        cols = ", ".join(f"{c}, {c}_omitted" for c in counts)
        df = con.execute(f"SELECT {key}, {cols}, note FROM {obs} WHERE release_id = ? ORDER BY {key}", [rid]).df()
        df[key] = pd.to_datetime(df[key]).astype("datetime64[ns]")
        for c in counts:
            df[c] = df[c].astype("Int64")
        flags = df[[f"{c}_omitted" for c in counts]].astype(bool)
        flags.columns = counts
        return df[[key, *counts, "note"]], flags
    daily, daily_omitted = table("daily_obs", "date", DAILY_COUNTS)
    weekly, weekly_omitted = table("weekly_obs", "week_ending", WEEKLY_COUNTS)
    return ParsedRelease(kind=kind, release_date=release_date, origin="", sha256="", daily=daily, weekly=weekly,
                         daily_omitted=daily_omitted, weekly_omitted=weekly_omitted)


def _backfill_content(con: duckdb.DuckDBPyConnection) -> None:
    """Give releases stored before content digests existed (crossings 0.1.0) their digest, once."""
    for rid, kind, rdate in con.execute("SELECT release_id, kind, release_date FROM releases "
                                        "WHERE content_sha256 IS NULL").fetchall():
        digest = _stored_release(con, rid, kind, rdate).content_sha256()
        con.execute("UPDATE releases SET content_sha256 = ? WHERE release_id = ?", [digest, rid])


def add_release(con: duckdb.DuckDBPyConnection, rel: ParsedRelease, *, path: str = "") -> IngestResult:
    """Store a parsed release and its observations atomically; a known file or known content adds no release,
    only a sighting. Incident and yearly-figure sources go to their own release table."""
    check_release_date(rel.release_date, file=path or rel.origin)
    if rel.tables:
        from .incidents import add_table_release
        return add_table_release(con, rel, path=path)
    content = rel.content_sha256()
    where = path or rel.origin
    with transaction(con):
        _backfill_content(con)
        known = _known(con, rel, content)
        if known:
            how, (rid, kind, rdate, n_daily, n_weekly) = known
            con.execute("INSERT INTO release_sightings (sha256, content_sha256, origin, seen_at, same_as_release_id, "
                        "same_by) VALUES (?, ?, ?, ?, ?, ?)", [rel.sha256, content, rel.origin, _now(), rid, how])
            return IngestResult(where, rid, kind, rdate, False, n_daily, n_weekly, how)
        daily = _with_flags(rel.daily, rel.omitted("daily"))
        weekly = _with_flags(rel.weekly, rel.omitted("weekly"))
        rid = con.execute(
            "INSERT INTO releases (kind, release_date, release_date_inferred, origin, sha256, ingested_at, n_daily, "
            "n_weekly, content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING release_id",
            [rel.kind, rel.release_date, rel.release_date_inferred, rel.origin, rel.sha256, _now(), len(daily),
             len(weekly), content]).fetchone()[0]
        flags = lambda counts: ", ".join(f"{c}, {c}_omitted" for c in counts)  # noqa: E731
        con.register("_daily_in", daily)
        con.execute(f"INSERT INTO daily_obs (release_id, date, {flags(DAILY_COUNTS)}, note) "
                    f"SELECT ?, CAST(date AS DATE), {flags(DAILY_COUNTS)}, note FROM _daily_in", [rid])
        con.unregister("_daily_in")
        if len(weekly):
            con.register("_weekly_in", weekly)
            con.execute(f"INSERT INTO weekly_obs (release_id, week_ending, {flags(WEEKLY_COUNTS)}, note) "
                        f"SELECT ?, CAST(week_ending AS DATE), {flags(WEEKLY_COUNTS)}, note FROM _weekly_in", [rid])
            con.unregister("_weekly_in")
    return IngestResult(where, rid, rel.kind, rel.release_date, True, len(daily), len(weekly))


def sightings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every file seen that repeated a stored release (by bytes or by content), oldest first."""
    return con.execute("SELECT sighting_id, sha256, origin, seen_at, same_as_release_id, same_by "
                       "FROM release_sightings ORDER BY seen_at, sighting_id").df()


def ingest_file(con: duckdb.DuckDBPyConnection, path: str | Path, *, origin: str | None = None,
                release_date: date | None = None) -> IngestResult:
    """Parse a file (every check passes before anything is written) and store it as one release."""
    rel = read(path, origin=origin, release_date=release_date)
    return add_release(con, rel, path=str(path))
