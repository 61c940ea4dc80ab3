"""Opening the DuckDB store (brought to the newest schema, see :mod:`.migrations`) and running writes as one
transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..config import default_db_path
from ..errors import CrossingsError

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
        from .migrations import migrate
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
