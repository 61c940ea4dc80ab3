"""The interface every reader of an official file implements, and what it returns."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar, Protocol

import pandas as pd

DAILY_COLUMNS = ["date", "migrants_arrived", "boats_arrived", "uncontrolled_landings", "note"]
WEEKLY_COLUMNS = ["week_ending", "migrants_arrived", "boats_arrived", "uncontrolled_landings",
                  "migrants_prevented", "events_prevented", "note"]


@dataclass
class ParsedRelease:
    """One official file read into tables, not yet stored.

    ``daily`` has DAILY_COLUMNS (counts as nullable ``Int64``: ``<NA>`` where the file says '-', not recorded);
    ``weekly`` has WEEKLY_COLUMNS or is empty for sources without a weekly table.
    ``tables`` holds the tables of sources that are not daily series (IOM incidents, prefecture yearly figures),
    by store table name; it is empty for Home Office files (see :mod:`crossings.store.incidents`).
    """

    kind: str
    release_date: date
    origin: str
    sha256: str
    daily: pd.DataFrame
    weekly: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WEEKLY_COLUMNS))
    release_date_inferred: bool = False
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


class Reader(Protocol):
    """A reader of one kind of official file, registered under the ``crossings.sources`` entry point group."""

    kind: ClassVar[str]

    def can_read(self, path: Path, head: bytes) -> bool:
        """Whether the file (its first bytes given) looks like this reader's kind."""

    def read(self, path: Path, origin: str | None = None, release_date: date | None = None) -> ParsedRelease:
        """Parse the whole file; raise ``InputError`` naming file, sheet, row and column on anything unexpected."""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
