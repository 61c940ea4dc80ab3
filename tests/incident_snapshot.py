"""A snapshot of the incident tables and the store file, to compare after a refused ingest."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


def snapshot(db_path: Path) -> tuple[dict, str]:
    """Every row of the incident tables and the file hash, to compare after a refused ingest."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = {t: con.execute(f"SELECT * EXCLUDE (ingested_at) FROM {t} ORDER BY ALL").fetchall()
                if t == "source_releases" else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("source_releases", "incidents", "prefecture_annual", "releases", "daily_obs")}
    finally:
        con.close()
    return rows, hashlib.sha256(db_path.read_bytes()).hexdigest()

