"""Readers of outside data (official files, weather, tides). Nothing here touches the store.

Readers of official files are discovered through the ``crossings.sources`` entry point group, so a new kind of
file is a new module plus one line in ``pyproject.toml``.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

from ..errors import InputError
from .base import DAILY_COLUMNS, WEEKLY_COLUMNS, ParsedRelease, Reader

__all__ = ["read", "readers", "ParsedRelease", "Reader", "DAILY_COLUMNS", "WEEKLY_COLUMNS"]


@lru_cache(maxsize=1)
def readers() -> tuple[Reader, ...]:
    """Instantiate every registered reader, in entry point name order."""
    eps = sorted(entry_points(group="crossings.sources"), key=lambda ep: ep.name)
    return tuple(ep.load()() for ep in eps)


def read(path: str | Path, origin: str | None = None, release_date: date | None = None) -> ParsedRelease:
    """Read an official file with whichever registered reader recognises it."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    with open(p, "rb") as f:
        head = f.read(4096)
    if not head:
        raise InputError("file is empty", file=str(p))
    for reader in readers():
        if reader.can_read(p, head):
            return reader.read(p, origin=origin, release_date=release_date)
    raise InputError("not a file crossings can read (expected the official ODS workbook or the "
                     "'last 7 days' HTML page)", file=str(p))
