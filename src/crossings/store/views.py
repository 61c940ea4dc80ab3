"""Reading the store: the newest value of each day, optionally as known on a past date, and revisions."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

# Newest release wins: later publication date first; on the same date a workbook beats a daily page; then the
# later ingested release.
_ORDER = "r.release_date DESC, (r.kind = 'workbook') DESC, r.release_id DESC"
DAILY_VALUES = ["migrants_arrived", "boats_arrived", "uncontrolled_landings"]
WEEKLY_VALUES = ["migrants_arrived", "boats_arrived", "uncontrolled_landings", "migrants_prevented",
                 "events_prevented"]


def _latest(con: duckdb.DuckDBPyConnection, table: str, key: str, values: list[str],
            as_of: date | None) -> pd.DataFrame:
    cols = ", ".join(f"o.{v}" for v in values)
    where = "WHERE r.release_date <= ?" if as_of else ""
    sql = f"""
        SELECT o.{key}, {cols}, o.note, r.release_date, r.release_id
        FROM {table} o JOIN releases r USING (release_id)
        {where}
        QUALIFY row_number() OVER (PARTITION BY o.{key} ORDER BY {_ORDER}) = 1
        ORDER BY o.{key}"""
    df = con.execute(sql, [as_of] if as_of else []).df()
    for v in values:
        df[v] = df[v].astype("Int64")
    df[key] = pd.to_datetime(df[key]).astype("datetime64[ns]")
    df["release_date"] = pd.to_datetime(df["release_date"]).dt.date
    return df


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
    lags = ", ".join(f"lag(o.{v}) OVER w AS prev_{v}" for v in values)
    unions = " UNION ALL ".join(
        f"SELECT {key}, '{v}' AS field, prev_{v} AS old_value, {v} AS new_value, prev_release_id, "
        f"prev_release_date, release_id, release_date, note FROM seq "
        f"WHERE prev_release_id IS NOT NULL AND {v} IS DISTINCT FROM prev_{v}" for v in values)
    sql = f"""
        WITH seq AS (
            SELECT o.{key}, {", ".join("o." + v for v in values)}, o.note, o.release_id, r.release_date,
                   lag(o.release_id) OVER w AS prev_release_id, lag(r.release_date) OVER w AS prev_release_date,
                   {lags}
            FROM {obs} o JOIN releases r USING (release_id)
            WINDOW w AS (PARTITION BY o.{key} ORDER BY {order}))
        {unions}
        ORDER BY {key}, field, release_date"""
    df = con.execute(sql).df()
    for c in ("old_value", "new_value"):
        df[c] = df[c].astype("Int64")
    return df
