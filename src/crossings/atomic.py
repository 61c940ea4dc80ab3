"""The one way crossings writes an output file: into a fresh temporary file in the target folder, then renamed.

A reader never sees a half-written file, a failed write leaves the old file as it was, and nothing planted at a
predictable name (``out.tmp``, a symlink) is followed: the temporary name comes from :func:`tempfile.mkstemp`,
which creates the file exclusively (``O_EXCL``), and :func:`os.replace` swaps the name itself, not a link target.
The finished file gets the permissions a plain ``open(out, "w")`` would give (0666 less the umask), not
``mkstemp``'s owner-only 0600, so a report can be served or shared as before.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    """The process's umask, read without changing it where Linux shows it (setting and restoring it would briefly
    affect files other threads create)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
        os.chmod(tmp, 0o666 & ~_umask())
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
