"""The store's schema as explicit, ordered migrations, and the ``schema_version`` table that records them.

Every table of every area is created here, never as a side effect of importing a module. A migration is a
version number, a one-line description and its DDL; :func:`migrate` applies, in one transaction each, every
migration newer than the store's version and records it. Version numbers need not be consecutive: areas keep
their own ranges (1-9 observatory and conditions, 10-19 incidents and events, 20-29 simulator, 30-39 forecasts)
so that migrations added side by side never collide. A store written before ``schema_version`` existed (crossings
0.1.0) holds exactly the tables of migration 1 and is recorded as version 1 without running anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_DAILY_COUNTS = ("migrants_arrived", "boats_arrived", "uncontrolled_landings")
_WEEKLY_COUNTS = _DAILY_COUNTS + ("migrants_prevented", "events_prevented")

# As sources._cells.clean_text does at read time: escape sequences dropped, control characters made spaces.
_CONTROL_CLASS = r"[\x00-\x1f\x7f\x{{80}}-\x{{9f}}\x{{200e}}\x{{200f}}\x{{202a}}-\x{{202e}}\x{{2066}}-\x{{2069}}]"
_CLEAN_NOTES = r"""UPDATE {table} SET note = trim(regexp_replace(regexp_replace(regexp_replace(note,
    '\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[@-_]', '', 'g'),
    '""" + _CONTROL_CLASS + r"""', ' ', 'g'), '\s+', ' ', 'g'))
    WHERE regexp_matches(note, '""" + _CONTROL_CLASS + "')"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "releases, daily and weekly observations, hourly sea conditions", (
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
        """CREATE TABLE IF NOT EXISTS conditions_hourly (
            point VARCHAR NOT NULL,
            time_utc TIMESTAMP NOT NULL,          -- start of the hour, UTC
            wind_speed_ms DOUBLE,
            wind_gust_ms DOUBLE,
            wind_direction_deg DOUBLE,
            wave_height_m DOUBLE,
            source VARCHAR NOT NULL,              -- 'openmeteo-history' | 'openmeteo-forecast'
            fetched_at TIMESTAMP NOT NULL,        -- UTC
            PRIMARY KEY (point, time_utc, source))""",
    )),
    Migration(2, "counts stored as BIGINT, so no count can overflow its column", tuple(
        f"ALTER TABLE {table} ALTER COLUMN {col} TYPE BIGINT"
        for table, cols in (("daily_obs", _DAILY_COUNTS), ("weekly_obs", _WEEKLY_COUNTS)) for col in cols)),
    Migration(3, "per-value flag: the release left the cell empty (says nothing), distinct from '-' (not recorded)",
              tuple(f"ALTER TABLE {table} ADD COLUMN {col}_omitted BOOLEAN NOT NULL DEFAULT FALSE"
                    for table, cols in (("daily_obs", _DAILY_COUNTS), ("weekly_obs", _WEEKLY_COUNTS))
                    for col in cols)),
    Migration(4, "content digest of each release, and sightings of files that repeat a stored release", (
        "ALTER TABLE releases ADD COLUMN content_sha256 VARCHAR",
        "CREATE SEQUENCE IF NOT EXISTS sighting_id_seq START 1",
        """CREATE TABLE IF NOT EXISTS release_sightings (
            sighting_id INTEGER PRIMARY KEY DEFAULT nextval('sighting_id_seq'),
            sha256 VARCHAR NOT NULL,               -- the file's bytes
            content_sha256 VARCHAR NOT NULL,       -- what its tables say (sources.ParsedRelease.content_sha256)
            origin VARCHAR NOT NULL,
            seen_at TIMESTAMP NOT NULL,            -- UTC
            same_as_release_id INTEGER NOT NULL,   -- the stored release it repeats
            same_by VARCHAR NOT NULL)              -- 'file' (same bytes) | 'content' (same tables)""",
    )),
    Migration(5, "notes stored before 0.2 cleaned of terminal escape sequences and control characters",
              tuple(_CLEAN_NOTES.format(table=t) for t in ("daily_obs", "weekly_obs"))),
    Migration(6, "archived weather forecasts as issued, hourly, by lead time (crossings.conditions.archive)", (
        """CREATE TABLE IF NOT EXISTS conditions_issued (
            point VARCHAR NOT NULL,
            time_utc TIMESTAMP NOT NULL,          -- the hour forecast (start of the hour, UTC)
            lead_days INTEGER NOT NULL,           -- predicted lead_days x 24 h before time_utc (0: newest run)
            wind_speed_ms DOUBLE,
            wind_gust_ms DOUBLE,                  -- the measures of conditions_hourly; NULL where not archived
            wind_direction_deg DOUBLE,
            wave_height_m DOUBLE,
            source VARCHAR NOT NULL,              -- 'openmeteo-previous-runs'
            fetched_at TIMESTAMP NOT NULL,        -- UTC
            PRIMARY KEY (point, time_utc, lead_days, source))""",
    )),
    Migration(10, "releases of incident and yearly-figure sources; IOM incidents", (
        "CREATE SEQUENCE IF NOT EXISTS source_release_id_seq START 1",
        """CREATE TABLE IF NOT EXISTS source_releases (
            release_id INTEGER PRIMARY KEY DEFAULT nextval('source_release_id_seq'),
            kind VARCHAR NOT NULL,                 -- 'iom_incidents' | 'prefecture_annual'
            release_date DATE NOT NULL,
            release_date_inferred BOOLEAN NOT NULL DEFAULT FALSE,
            origin VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL UNIQUE,
            ingested_at TIMESTAMP NOT NULL,
            n_rows INTEGER NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS incidents (
            release_id INTEGER NOT NULL REFERENCES source_releases(release_id),
            incident_id VARCHAR NOT NULL,          -- IOM 'Main ID'
            incident_ids VARCHAR NOT NULL,         -- IOM 'Incident ID' (several, comma-separated, when split)
            incident_type VARCHAR NOT NULL DEFAULT '',
            date DATE NOT NULL,
            dead INTEGER, missing INTEGER, dead_missing INTEGER, survivors INTEGER,
            cause VARCHAR NOT NULL DEFAULT '', location VARCHAR NOT NULL DEFAULT '',
            country VARCHAR NOT NULL DEFAULT '',
            latitude DOUBLE, longitude DOUBLE,
            source VARCHAR NOT NULL DEFAULT '', link VARCHAR NOT NULL DEFAULT '',
            source_quality VARCHAR NOT NULL DEFAULT '',
            PRIMARY KEY (release_id, incident_id))""",
    )),
    Migration(11, "prefecture yearly figures", (
        """CREATE TABLE IF NOT EXISTS prefecture_annual (
            release_id INTEGER NOT NULL REFERENCES source_releases(release_id),
            year INTEGER NOT NULL,
            people_attempting INTEGER, boats_attempting INTEGER, people_rescued INTEGER,
            rescue_operations INTEGER, deaths INTEGER, missing INTEGER,
            taxi_boat_share DOUBLE, mean_people_per_boat DOUBLE,
            source VARCHAR NOT NULL,
            PRIMARY KEY (release_id, year))""",
    )),
)

LATEST_VERSION = max(m.version for m in MIGRATIONS)

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"""


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest migration recorded in the store; 1 for a store of crossings 0.1.0; 0 for an empty file."""
    tables = _tables(con)
    if "schema_version" in tables:
        v = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        return int(v or 0)
    return 1 if "releases" in tables else 0


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Migrations the store has not had yet, in version order.

    Judged by the versions recorded, not by the newest one: areas append migrations in their own ranges, so a store
    that already has version 20 may still lack a version 10 added later."""
    tables = _tables(con)
    if "schema_version" in tables:
        done = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
    else:
        done = {1} if "releases" in tables else set()
    return sorted((m for m in MIGRATIONS if m.version not in done), key=lambda m: m.version)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the store to :data:`LATEST_VERSION`; each migration runs in its own transaction. Returns the versions
    applied (empty when the store was current)."""
    from .db import transaction

    now = lambda: datetime.now(timezone.utc).replace(tzinfo=None)  # noqa: E731
    legacy = "schema_version" not in _tables(con) and "releases" in _tables(con)
    todo = pending(con)
    if not todo and not legacy:
        return []
    with transaction(con):
        con.execute(_VERSION_TABLE)
        if legacy:
            first = MIGRATIONS[0]
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [first.version, first.description, now()])
    applied = []
    for m in todo:
        with transaction(con):
            for stmt in m.statements:
                con.execute(stmt)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [m.version, m.description, now()])
        applied.append(m.version)
    return applied
