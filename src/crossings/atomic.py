"""The one way crossings writes an output file: into a fresh temporary file in the target folder, then renamed.

A reader never sees a half-written file, a failed write leaves the old file as it was, and nothing planted at a
predictable name (``out.tmp``, a symlink) is followed: the temporary name comes from :func:`tempfile.mkstemp`,
which creates the file exclusively (``O_EXCL``), and :func:`os.replace` swaps the name itself, not a link target.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(out: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success it replaces ``out``, on any error it is removed.

    For writers that want a path (``DataFrame.to_parquet``, ``xarray.to_netcdf``)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(out: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``out`` atomically."""
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    return Path(out)


def write_text(out: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``out`` atomically."""
    return write_bytes(out, text.encode(encoding))
