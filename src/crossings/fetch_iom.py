"""``crossings fetch --incidents``: download IOM's current Missing Migrants export and ingest it as a release.

Same behaviour as ``crossings fetch``: the shared HTTP session (timeouts, retries, on-disk cache), everything
downloaded and parsed before anything is written; with no network or an unreadable file the store and the
downloads folder are left as they were. The file is kept in ``downloads/`` beside the store; the same bytes twice
add nothing.
"""
from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from .config import default_db_path
from .errors import InputError
from .fetch import downloads_dir
from .sources import http
from .sources.iom import FILE_EXPIRE_S, IOMIncidentsReader, current_url
from .store import Store, add_release
from .store.incidents import TableIngestResult


def fetch_incidents(db_path: str | Path | None = None, url: str | None = None, *,
                    today: date | None = None) -> tuple[Path, TableIngestResult]:
    """Download the IOM export from ``url`` (default :func:`crossings.sources.iom.current_url`) and store it."""
    address = current_url(url)
    data = http.get(address, expire_after_s=FILE_EXPIRE_S).content
    day = today or date.today()
    db = Path(db_path).expanduser() if db_path else default_db_path()
    folder = downloads_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"iom_missing_migrants_{day.isoformat()}.csv"
    with tempfile.TemporaryDirectory(prefix=".part-", dir=folder) as staging:
        staged = Path(staging) / name
        staged.write_bytes(data)
        try:
            rel = IOMIncidentsReader().read(staged, origin=address, release_date=day)
        except InputError as exc:
            raise InputError(exc.problem, file=address, row=exc.row, column=exc.column) from None
        final = folder / name
        if final.exists() and final.read_bytes() != data:
            final = folder / f"iom_missing_migrants_{day.isoformat()}_{rel.sha256[:8]}.csv"
        os.replace(staged, final)
    with Store(db) as store:
        return final, add_release(store.con, rel, path=str(final))
