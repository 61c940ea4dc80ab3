"""The interface every reader of an official file implements, and what it returns."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    import pandas as pd

DAILY_COLUMNS = ["date", "migrants_arrived", "boats_arrived", "uncontrolled_landings", "note"]
WEEKLY_COLUMNS = ["week_ending", "migrants_arrived", "boats_arrived", "uncontrolled_landings",
                  "migrants_prevented", "events_prevented", "note"]


@dataclass
class ParsedRelease:
    """One official file read into tables, not yet stored.

    ``daily`` has DAILY_COLUMNS (counts as nullable ``Int64``: ``<NA>`` where the file says '-', not recorded, or
    where the cell is empty); ``weekly`` has WEEKLY_COLUMNS or is empty for sources without a weekly table.
    ``daily_omitted`` / ``weekly_omitted`` (same rows, one boolean column per count) tell the two ``<NA>`` apart:
    True where the cell was empty, so the release says nothing about that value and an earlier value stands.
    ``tables`` holds the tables of sources that are not daily series (IOM incidents, prefecture yearly figures),
    by store table name; it is empty for Home Office files (see :mod:`crossings.store.incidents`).
    """

    kind: str
    release_date: date
    origin: str
    sha256: str
    daily: pd.DataFrame
    weekly: pd.DataFrame = field(default_factory=lambda: _frame(columns=WEEKLY_COLUMNS))
    release_date_inferred: bool = False
    daily_omitted: pd.DataFrame | None = None
    weekly_omitted: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def omitted(self, table: str) -> pd.DataFrame:
        """The omission flags of ``daily`` or ``weekly`` (all False when the reader gave none)."""
        df, flags, counts = ((self.daily, self.daily_omitted, DAILY_COLUMNS[1:4]) if table == "daily"
                             else (self.weekly, self.weekly_omitted, WEEKLY_COLUMNS[1:6]))
        if flags is None:
            return _frame(False, index=df.index, columns=counts)
        return flags.reindex(df.index, fill_value=False).astype(bool)  # rows added by hand: nothing omitted

    def content_sha256(self) -> str:
        """A digest of what the release says (kind, every row's values, '-' and empty cells told apart, notes),
        not of its bytes: a re-zipped workbook or a page repeating a stored table has the same digest."""
        import pandas as pd
        h = hashlib.sha256(self.kind.encode())
        for table, key in (("daily", "date"), ("weekly", "week_ending")):
            df, flags = getattr(self, table), self.omitted(table)
            h.update(f"|{table}|{len(df)}|".encode())
            if not len(df):
                continue
            columns = [pd.to_datetime(df[key]).dt.strftime("%Y-%m-%d").tolist()]
            for c in flags.columns:
                columns.append(["." if gone else "-" if v is pd.NA or v is None else str(int(v))
                                for v, gone in zip(df[c].tolist(), flags[c].tolist())])
            columns.append([repr(n) for n in (df["note"].tolist() if "note" in df else [""] * len(df))])
            h.update("\n".join(",".join(row) for row in zip(*columns)).encode())
        return h.hexdigest()


def _frame(*args, **kwargs) -> pd.DataFrame:
    """A DataFrame (pandas is imported here, when a release is read, not when the module is)."""
    import pandas as pd
    return pd.DataFrame(*args, **kwargs)


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
