"""Reading the store: the newest value of each day, optionally as known on a past date, and revisions."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

# Newest release wins: later publication date first; on the same date a workbook beats a daily page; then the
# later ingested release.
_ORDER_OBS = "release_date DESC, (kind = 'workbook') DESC, release_id DESC"
DAILY_VALUES = ["migrants_arrived", "boats_arrived", "uncontrolled_landings"]
WEEKLY_VALUES = ["migrants_arrived", "boats_arrived", "uncontrolled_landings", "migrants_prevented",
                 "events_prevented"]


_TABLES = {"daily": ("daily_obs", "date", DAILY_VALUES), "weekly": ("weekly_obs", "week_ending", WEEKLY_VALUES)}


def _latest_sql(table: str, key: str, values: list[str], as_of: date | None) -> tuple[str, list]:
    """The query of :func:`_latest` and its parameters: per day (or week) and per value, the newest release that
    gave the value ('-' included: it says "not recorded"); a release whose cell was empty is passed over for that
    value, so an earlier good value stands. The note, ``release_date`` and ``release_id`` are those of the newest
    release that gave any value of the day."""
    where = "WHERE r.release_date <= ?" if as_of else ""
    any_given = " OR ".join(f"NOT o.{v}_omitted" for v in values)
    picks = "".join(f""",
        v_{v} AS (SELECT {key}, {v} FROM obs WHERE NOT {v}_omitted
                  QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {_ORDER_OBS}) = 1)""" for v in values)
    joins = " ".join(f"LEFT JOIN v_{v} USING ({key})" for v in values)
    sql = f"""
        WITH obs AS (
            SELECT o.*, r.release_date, r.kind, ({any_given}) AS any_given
            FROM {table} o JOIN releases r USING (release_id) {where}),
        base AS (SELECT {key}, note, release_date, release_id FROM obs WHERE any_given
                 QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {_ORDER_OBS}) = 1){picks}
        SELECT base.{key}, {", ".join(f"v_{v}.{v}" for v in values)}, base.note, base.release_date, base.release_id
        FROM base {joins}
        ORDER BY base.{key}"""
    return sql, [as_of] if as_of else []


def _latest(con: duckdb.DuckDBPyConnection, table: str, key: str, values: list[str],
            as_of: date | None) -> pd.DataFrame:
    """The newest values (see :func:`_latest_sql`) as a DataFrame, counts as nullable ``Int64``."""
    import pandas as pd
    df = con.execute(*_latest_sql(table, key, values, as_of)).df()
    for v in values:
        df[v] = df[v].astype("Int64")
    df[key] = pd.to_datetime(df[key]).astype("datetime64[ns]")
    df["release_date"] = pd.to_datetime(df["release_date"]).dt.date
    return df


def latest_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str],
                as_of: date | None = None) -> list[tuple]:
    """The rows of :func:`latest_daily` (``table='daily'``) or :func:`latest_weekly` (``'weekly'``) as plain tuples
    of ``columns``, in date order: dates as ``datetime.date``, a value not recorded as ``None``. No DataFrame is
    built, so a caller that needs a few figures does not import pandas."""
    obs, key, values = _TABLES[table]
    unknown = [c for c in columns if c not in (key, *values, "note", "release_date", "release_id")]
    if unknown:
        raise ValueError(f"no column(s) {', '.join(unknown)} in the latest {table} table")
    sql, params = _latest_sql(obs, key, values, as_of)
    return con.execute(f"SELECT {', '.join(columns)} FROM ({sql}) ORDER BY {key}", params).fetchall()


def latest_daily(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Newest value of each day among releases published on or before ``as_of`` (all releases if None)."""
    return _latest(con, "daily_obs", "date", DAILY_VALUES, as_of)


def latest_weekly(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Newest value of each week (ending Sunday) among releases published on or before ``as_of``."""
    return _latest(con, "weekly_obs", "week_ending", WEEKLY_VALUES, as_of)


def releases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored release, oldest publication first."""
    return con.execute("SELECT release_id, kind, release_date, release_date_inferred, origin, sha256, ingested_at, "
                       "n_daily, n_weekly FROM releases ORDER BY release_date, release_id").df()


def revisions(con: duckdb.DuckDBPyConnection, table: str = "daily") -> pd.DataFrame:
    """Values that changed between successive releases that both cover a day (or week).

    One row per changed value: the day, the field, the value before and after, and the two releases. A day that
    first appears in a release is not a revision.
    """
    if table not in ("daily", "weekly"):
        raise ValueError("table must be 'daily' or 'weekly'")
    obs, key, values = (("daily_obs", "date", DAILY_VALUES) if table == "daily"
                        else ("weekly_obs", "week_ending", WEEKLY_VALUES))
    order = "r.release_date, (r.kind = 'workbook'), r.release_id"
    # Each value's history skips releases that left its cell empty: an omission is not a revision.
    unions = " UNION ALL ".join(f"""
        SELECT {key}, '{v}' AS field, prev_value AS old_value, value AS new_value, prev_release_id,
               prev_release_date, release_id, release_date, note
        FROM (SELECT o.{key}, o.{v} AS value, o.note, o.release_id, r.release_date,
                     lag(o.{v}) OVER w AS prev_value, lag(o.release_id) OVER w AS prev_release_id,
                     lag(r.release_date) OVER w AS prev_release_date
              FROM {obs} o JOIN releases r USING (release_id)
              WHERE NOT o.{v}_omitted
              WINDOW w AS (PARTITION BY o.{key} ORDER BY {order}))
        WHERE prev_release_id IS NOT NULL AND value IS DISTINCT FROM prev_value""" for v in values)
    sql = f"""{unions}
        ORDER BY {key}, field, release_date"""
    df = con.execute(sql).df()
    for c in ("old_value", "new_value"):
        df[c] = df[c].astype("Int64")
    return df
