"""The store as the dashboard sees it: read-only, opened briefly, and cached until a new release is ingested.

The server never holds the DuckDB file open between requests, so ``crossings fetch`` (a writer) can add a release
while the dashboard runs. Each request looks at the file's size and modification time (and its WAL); when they
change, the tables are read again through a read-only connection. Everything derived from them is memoised under
the snapshot's :attr:`Snapshot.version`, made of the number of releases, the largest release id and the file's
mtime, so a new release invalidates every cached answer at once.
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

#: How often (seconds) to retry opening the store while a writer holds its lock.
_LOCK_RETRY_S = (0.05, 0.2, 0.5)


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


@contextmanager
def read_only_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only DuckDB connection to ``path`` (never created, never migrated), closed after the block."""
    if not path.is_file():
        raise StoreUnavailable(f"no store at {path}: run 'crossings ingest --bundled' or 'crossings fetch' first")
    last: Exception | None = None
    for wait in (0.0, *_LOCK_RETRY_S):
        time.sleep(wait)
        try:
            con = duckdb.connect(str(path), read_only=True)
            break
        except duckdb.Error as exc:  # typically a writer holding the lock right now
            last = exc
    else:
        raise StoreUnavailable(f"cannot open the store {path} read-only: {str(last).splitlines()[0]}")
    try:
        yield con
    finally:
        con.close()


@dataclass
class Snapshot:
    """The store's tables at one version, with a memo of answers derived from them."""

    version: str
    daily: pd.DataFrame
    weekly: pd.DataFrame
    releases: pd.DataFrame
    loaded_at: float
    _memo: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def latest_release(self) -> str | None:
        """Publication date (YYYY-MM-DD) of the newest release, None for an empty store."""
        return None if self.releases.empty else pd.Timestamp(self.releases["release_date"].max()).date().isoformat()

    @property
    def empty(self) -> bool:
        return self.releases.empty

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

    def connection(self):
        """A short-lived read-only connection (context manager), for queries not cached in the snapshot."""
        return read_only_connection(self.path)

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
        with self.connection() as con:
            rel = releases(con)
            daily = latest_daily(con) if len(rel) else pd.DataFrame()
            weekly = latest_weekly(con) if len(rel) else pd.DataFrame()
        max_id = int(rel["release_id"].max()) if len(rel) else 0
        mtime = key[0][1] if key[0] else 0
        return Snapshot(version=f"{len(rel)}-{max_id}-{mtime}", daily=daily, weekly=weekly, releases=rel,
                        loaded_at=time.time())
