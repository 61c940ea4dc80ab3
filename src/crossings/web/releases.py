"""What changed between any two releases: the values both cover that differ, and the days or weeks only one has."""
from __future__ import annotations

from ..store.views import DAILY_VALUES, WEEKLY_VALUES
from .frames import records

_TABLES = {"daily": ("daily_obs", "date", DAILY_VALUES), "weekly": ("weekly_obs", "week_ending", WEEKLY_VALUES)}
#: Changed values listed per table at most (the counts are always complete).
MAX_LISTED = 500


def diff(view, a: int, b: int) -> dict:
    """Release ``a`` against release ``b`` (read-only): per table, values that differ on the days both cover,
    and how many days or weeks only ``b`` (added) or only ``a`` (dropped) holds."""
    out: dict = {"a": a, "b": b}
    with view.connection() as con:
        for name, (table, key, values) in _TABLES.items():
            unions = " UNION ALL ".join(
                f"SELECT x.{key} AS {key}, '{v}' AS field, x.{v} AS value_a, y.{v} AS value_b FROM x JOIN y "
                f"USING ({key}) WHERE x.{v} IS DISTINCT FROM y.{v}" for v in values)
            sql = (f"WITH x AS (SELECT * FROM {table} WHERE release_id = ?), "
                   f"y AS (SELECT * FROM {table} WHERE release_id = ?) {unions} ORDER BY 1, 2")
            changed = con.execute(sql, [a, b]).df()
            added, dropped, common = con.execute(
                f"SELECT (SELECT count(*) FROM {table} WHERE release_id = ? AND {key} NOT IN "
                f"(SELECT {key} FROM {table} WHERE release_id = ?)), "
                f"(SELECT count(*) FROM {table} WHERE release_id = ? AND {key} NOT IN "
                f"(SELECT {key} FROM {table} WHERE release_id = ?)), "
                f"(SELECT count(*) FROM {table} WHERE release_id = ? AND {key} IN "
                f"(SELECT {key} FROM {table} WHERE release_id = ?))", [b, a, a, b, a, b]).fetchone()
            for c in ("value_a", "value_b"):
                changed[c] = changed[c].astype("Int64")
            changed["change"] = changed["value_b"] - changed["value_a"]
            out[name] = {"key": key, "changed": len(changed), "added": int(added), "dropped": int(dropped),
                         "common": int(common), "rows": records(changed.head(MAX_LISTED)),
                         "listed": min(len(changed), MAX_LISTED)}
    return out
