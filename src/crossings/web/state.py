"""The store as the dashboard sees it: attached read-only, copied into memory, and re-read when a release is added.

The server never holds the DuckDB file between requests, so ``crossings fetch`` (a writer) can add a release while
the dashboard runs. Each request looks at the file's size and modification time (and its WAL); when they change,
the file is attached ``READ_ONLY``, copied into an in-memory database (the store is a few megabytes) and detached,
which holds its lock for well under a second. Every query of the dashboard (incidents, release differences, stored
conditions for the forecast) then runs on that copy. Everything derived from it is memoised under
:attr:`Snapshot.version` (number of releases, largest release id, file mtime), so a new release invalidates every
cached answer at once.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import CrossingsError

#: Waits (seconds) before retrying to attach the store while a writer holds its lock.
_LOCK_RETRY_S = (0.05, 0.2, 0.5, 1.0)
SOURCE_ALIAS = "store_file"


class StoreUnavailable(CrossingsError):
    """The store file is missing or locked: answered 503."""


def _file_key(path: Path) -> tuple:
    """Size and mtime of the store file and its write-ahead log: changes whenever a release is written."""
    out = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = p.stat()
            out.append((st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def attach_read_only(con: duckdb.DuckDBPyConnection, path: Path, alias: str = SOURCE_ALIAS) -> None:
    """Attach the store file to ``con`` as ``alias``, read-only (never created, never migrated)."""
    if not path.is_file():
        raise StoreUnavailable(f"no store at {path}: run 'crossings ingest --bundled' or 'crossings fetch' first")
    quoted = str(path).replace("'", "''")
    last: Exception | None = None
    for wait in (0.0, *_LOCK_RETRY_S):
        time.sleep(wait)
        try:
            con.execute(f"ATTACH '{quoted}' AS {alias} (READ_ONLY)")
            return
        except duckdb.Error as exc:  # typically a writer holding the lock right now
            last = exc
    raise StoreUnavailable(f"cannot open the store {path} read-only: {str(last).splitlines()[0]}")


def in_memory_copy(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding every table of the store at ``path`` (the file is detached afterwards)."""
    con = duckdb.connect(":memory:")
    attach_read_only(con, path)
    try:
        con.execute(f"COPY FROM DATABASE {SOURCE_ALIAS} TO memory")
    finally:
        con.execute(f"DETACH {SOURCE_ALIAS}")
    return con


@dataclass
class Snapshot:
    """The store's tables at one version, with a memo of answers derived from them."""

    version: str
    daily: pd.DataFrame
    weekly: pd.DataFrame
    releases: pd.DataFrame
    loaded_at: float
    con: duckdb.DuckDBPyConnection = field(repr=False, default=None)
    _memo: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def latest_release(self) -> str | None:
        """Publication date (YYYY-MM-DD) of the newest release, None for an empty store."""
        return None if self.releases.empty else pd.Timestamp(self.releases["release_date"].max()).date().isoformat()

    @property
    def empty(self) -> bool:
        return self.releases.empty

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the in-memory copy (one per thread: DuckDB connections are not shared across threads)."""
        return self.con.cursor()

    def cached(self, key: Any) -> Any:
        """The memoised answer of ``key``, or None when there is none yet (never computes)."""
        with self._lock:
            return self._memo.get(key)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per snapshot (per store version) and ``key``."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            return self._memo.setdefault(key, value)


class StoreView:
    """Reads the store at ``path`` read-only and hands out the current :class:`Snapshot`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._snap: Snapshot | None = None

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current snapshot's in-memory copy of the store."""
        cur = self.snapshot().cursor()
        try:
            yield cur
        finally:
            cur.close()

    def snapshot(self) -> Snapshot:
        """The current snapshot, re-read when the store file changed since the last one."""
        key = _file_key(self.path)
        snap = self._snap
        if snap is not None and key == self._key:
            return snap
        with self._lock:
            if self._snap is not None and _file_key(self.path) == self._key:
                return self._snap
            key = _file_key(self.path)
            self._snap = self._load(key)
            self._key = key
            return self._snap

    def _load(self, key: tuple) -> Snapshot:
        from ..store.views import latest_daily, latest_weekly, releases
        con = in_memory_copy(self.path)
        cur = con.cursor()
        rel = releases(cur)
        daily = latest_daily(cur) if len(rel) else pd.DataFrame()
        weekly = latest_weekly(cur) if len(rel) else pd.DataFrame()
        cur.close()
        max_id = int(rel["release_id"].max()) if len(rel) else 0
        mtime = key[0][1] if key[0] else 0
        return Snapshot(version=f"{len(rel)}-{max_id}-{mtime}", daily=daily, weekly=weekly, releases=rel,
                        loaded_at=time.time(), con=con)
