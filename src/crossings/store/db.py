"""Opening the DuckDB store (brought to the newest schema, see :mod:`.migrations`) and running writes as one
transaction.

DuckDB lets one process write a store file, or several processes read it, at a time. Commands that only read
(``stats``, ``releases``, ``revisions``, ``report``, ``export``, ``forecast``) open it read-only and never create it;
a command that meets a store held by another process waits for it, retrying with backoff, says so once on stderr,
and gives up after :func:`lock_timeout_s` seconds with a one-line error.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..config import default_db_path
from ..errors import CrossingsError

LOCK_TIMEOUT_ENV = "CROSSINGS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 60.0
FIRST_RETRY_S = 0.02  # backoff between tries: doubles from here...
MAX_RETRY_S = 0.2  # ...up to this: a released lock is taken within about 0.2 s
_SAME_PROCESS_WRITER = "different configuration than existing connections"
_LOCK_MARKERS = ("could not set lock", "conflicting lock", "resource temporarily unavailable")


class StoreBusyError(CrossingsError):
    """Another process held the store for longer than the lock timeout; nothing was changed."""


class StoreMissingError(CrossingsError):
    """A command that only reads was pointed at a store file that does not exist."""


def lock_timeout_s() -> float:
    """How long to wait for a store another process holds: ``$CROSSINGS_LOCK_TIMEOUT`` seconds, default 60."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise CrossingsError(f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds") from None
    if value < 0:
        raise CrossingsError(f"{LOCK_TIMEOUT_ENV}={raw!r}: the timeout cannot be negative")
    return value


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return any(m in text for m in _LOCK_MARKERS)


def _say_waiting(path: Path, timeout_s: float) -> None:
    print(f"crossings: store is busy, waiting (up to {timeout_s:g} s) for another command to release {path} ...",
          file=sys.stderr, flush=True)


def open_waiting(path: Path, *, read_only: bool, timeout_s: float | None = None,
                 on_wait: Callable[[Path, float], None] | None = _say_waiting) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits for a lock held by another process (retry with backoff) up to ``timeout_s``.

    ``on_wait`` is called once, when the first try meets a held lock. Raises :class:`StoreBusyError` on timeout and
    :class:`CrossingsError` on any other failure to open, each in one line.
    """
    timeout = lock_timeout_s() if timeout_s is None else timeout_s
    deadline = time.monotonic() + timeout
    delay = FIRST_RETRY_S
    told = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if read_only and _SAME_PROCESS_WRITER in str(exc).lower():
                # This process already has the store open for writing (a notebook's Store, say): read through
                # that instance, as DuckDB allows, instead of failing.
                return duckdb.connect(str(path), read_only=False)
            if not _is_lock_conflict(exc):
                raise CrossingsError(f"cannot open the store {path}: {str(exc).splitlines()[0]}") from None
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreBusyError(f"the store {path} is still in use by another process after {timeout:g} s; "
                                     f"nothing was changed (set {LOCK_TIMEOUT_ENV} to wait longer)") from None
            if not told and on_wait is not None:
                on_wait(path, timeout)
                told = True
            time.sleep(min(delay, left))
            delay = min(delay * 2, MAX_RETRY_S)


def connect(path: str | Path | None = None, *, read_only: bool = False,
            timeout_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store at ``path`` or the default location, with every table present.

    Writable (the default): the file and its folder are created if needed and the schema is migrated.
    ``read_only=True``: the store must exist (:class:`StoreMissingError` otherwise, so a misspelled path never
    creates an empty store); a store of an older schema is first migrated in a short writable session.
    Either way a lock held by another process is waited for (see :func:`open_waiting`).
    """
    from .migrations import migrate, pending

    p = Path(path).expanduser() if path else default_db_path()
    if str(p) == ":memory:":
        con = duckdb.connect(":memory:")
        migrate(con)
        return con
    if read_only:
        if not p.is_file():
            raise StoreMissingError(f"no store at {p}: run 'crossings ingest --bundled' (or 'crossings fetch') "
                                    "first, or check the --db path")
        con = open_waiting(p, read_only=True, timeout_s=timeout_s)
        if not pending(con):
            return con
        con.close()  # an older store: bring it up to date once, then read
        writer = open_waiting(p, read_only=False, timeout_s=timeout_s)
        try:
            migrate(writer)
        finally:
            writer.close()
        return open_waiting(p, read_only=True, timeout_s=timeout_s)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = open_waiting(p, read_only=False, timeout_s=timeout_s)
    migrate(con)
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
