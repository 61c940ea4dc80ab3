"""Opening the DuckDB store, creating its tables, and running writes as one transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..config import default_db_path
from ..errors import CrossingsError

# Each area adds its tables by appending to SCHEMA from its own module (see register_schema).
SCHEMA: list[str] = [
    "CREATE SEQUENCE IF NOT EXISTS release_id_seq START 1",
    """CREATE TABLE IF NOT EXISTS releases (
        release_id INTEGER PRIMARY KEY DEFAULT nextval('release_id_seq'),
        kind VARCHAR NOT NULL,                 -- 'workbook' | 'last7days'
        release_date DATE NOT NULL,            -- publication date of the file
        release_date_inferred BOOLEAN NOT NULL DEFAULT FALSE,
        origin VARCHAR NOT NULL,               -- URL or path it came from
        sha256 VARCHAR NOT NULL UNIQUE,
        ingested_at TIMESTAMP NOT NULL,
        n_daily INTEGER NOT NULL,
        n_weekly INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS daily_obs (
        release_id INTEGER NOT NULL REFERENCES releases(release_id),
        date DATE NOT NULL,
        migrants_arrived INTEGER, boats_arrived INTEGER, uncontrolled_landings INTEGER,
        note VARCHAR NOT NULL DEFAULT '',
        PRIMARY KEY (release_id, date))""",
    """CREATE TABLE IF NOT EXISTS weekly_obs (
        release_id INTEGER NOT NULL REFERENCES releases(release_id),
        week_ending DATE NOT NULL,
        migrants_arrived INTEGER, boats_arrived INTEGER, uncontrolled_landings INTEGER,
        migrants_prevented INTEGER, events_prevented INTEGER,
        note VARCHAR NOT NULL DEFAULT '',
        PRIMARY KEY (release_id, week_ending))""",
]


def register_schema(*statements: str) -> None:
    """Add idempotent DDL (``CREATE ... IF NOT EXISTS``) for another area's tables."""
    for s in statements:
        if s not in SCHEMA:
            SCHEMA.append(s)


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store at ``path`` or the default location, with every table present."""
    p = Path(path) if path else default_db_path()
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
        if read_only and not p.exists():
            read_only = False
    try:
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.Error as exc:
        raise CrossingsError(f"cannot open the store {p}: {str(exc).splitlines()[0]}") from None
    if not read_only:
        with transaction(con):
            for stmt in SCHEMA:
                con.execute(stmt)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block as one transaction: all of it is stored, or (on any exception) none of it."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()
