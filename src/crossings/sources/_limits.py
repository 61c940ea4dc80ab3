"""What an official file may plausibly hold: bounds on counts and dates, and caps on a workbook's size.

A value outside these bounds is refused with its place in the file, before anything is stored. The bounds are far
above anything the series has seen (its busiest day so far: 1,305 people on 27 boats) and far below what would
overflow a store column or exhaust memory.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from ..errors import InputError

SERIES_START = date(2018, 1, 1)  # first day of the Home Office series
DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class CountBounds:
    """Largest plausible count in one day; a week's bound is seven days'."""

    people_per_day: int = 20_000
    boats_per_day: int = 500

    def daily(self, field: str) -> int:
        return self.people_per_day if field.startswith("migrants") else self.boats_per_day

    def weekly(self, field: str) -> int:
        return self.daily(field) * DAYS_PER_WEEK


BOUNDS = CountBounds()


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def latest_plausible_date() -> date:
    """Tomorrow (UTC): a release can be dated no later than this."""
    return today_utc() + timedelta(days=1)


def check_release_date(release_date: date, *, file: str, what: str = "release date") -> None:
    """A release date between the first day of the series and tomorrow, else a one-line error."""
    if not isinstance(release_date, date):
        raise InputError(f"{what} is not a date: {release_date!r}", file=file)
    if isinstance(release_date, datetime):
        release_date = release_date.date()
    if release_date < SERIES_START or release_date > latest_plausible_date():
        raise InputError(f"implausible {what} {release_date.isoformat()}: a release must be dated between "
                         f"{SERIES_START.isoformat()} (the first day of the series) and tomorrow "
                         f"({latest_plausible_date().isoformat()})", file=file)


# --- workbook containers ---------------------------------------------------------------------------------------

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # the official workbook unzips to about 2.3 MB
MAX_RATIO = 200  # compression ratio of a member larger than RATIO_FLOOR_BYTES (official: about 33)
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_FILLED_CELLS = 5_000_000  # cells holding a value after repeats are expanded (official: about 40,000)
_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ROW, _CELL, _COVERED = f"{{{_T}}}table-row", f"{{{_T}}}table-cell", f"{{{_T}}}covered-table-cell"
_COLS_REP, _ROWS_REP, _VTYPE = f"{{{_T}}}number-columns-repeated", f"{{{_T}}}number-rows-repeated", \
    f"{{{_O}}}value-type"


_XML_INVALID = bytes.maketrans(bytes(range(32)), b" " * 9 + b"\t\n  \r" + b" " * 18)


class _Capped:
    """A file-like view of a zip member that refuses to yield more than ``limit`` bytes. Control characters, which
    XML forbids but spreadsheet parsers accept in text, are passed on as spaces (only cells are counted here)."""

    def __init__(self, raw, limit: int, file: str, name: str):
        self.raw, self.limit, self.seen, self.file, self.member = raw, limit, 0, file, name

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(65536 if n is None or n < 0 else min(n, 65536))
        self.seen += len(data)
        if self.seen > self.limit:
            raise InputError(f"workbook member {self.member} unzips to more than {self.limit:,} bytes (refused: "
                             f"the official workbook is about 2 MB unzipped)", file=self.file)
        return data.translate(_XML_INVALID)


def _repeat(el, attr: str, file: str) -> int:
    try:
        n = int(el.get(attr, "1"))
    except ValueError:
        raise InputError(f"workbook has a malformed repeat count {el.get(attr)!r}", file=file) from None
    return max(n, 1)


def check_workbook_container(path: str) -> None:
    """Refuse a zip whose members unzip too large (or too compressed) and an ODS whose repeated cells would expand
    past :data:`MAX_FILLED_CELLS`, before any spreadsheet parser expands them. A file that is not a zip is left
    for the parser to refuse."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            raise InputError(f"workbook unzips to {total:,} bytes, more than the limit of {MAX_UNZIPPED_BYTES:,}",
                             file=path)
        for i in infos:
            if i.file_size > RATIO_FLOOR_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise InputError(f"workbook member {i.filename} is compressed {i.file_size // max(i.compress_size, 1):,}"
                                 f" to 1 (limit {MAX_RATIO} to 1): refused as a likely zip bomb", file=path)
        if "content.xml" not in z.namelist():
            return  # XLSX or another container: the size checks above are what applies
        try:
            raw = z.open("content.xml")
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
            return  # the parser reports the broken member
        filled, row_repeat = 0, 1
        try:
            for event, el in etree.iterparse(_Capped(raw, MAX_UNZIPPED_BYTES, path, "content.xml"),
                                             events=("start", "end"), tag=(_ROW, _CELL, _COVERED),
                                             resolve_entities=False, no_network=True, huge_tree=False):
                if el.tag == _ROW:
                    if event == "start":
                        row_repeat = _repeat(el, _ROWS_REP, path)
                    else:
                        el.clear(keep_tail=False)
                    continue
                if event == "start" and el.get(_VTYPE) is not None:
                    filled += _repeat(el, _COLS_REP, path) * row_repeat
                    if filled > MAX_FILLED_CELLS:
                        raise InputError(f"workbook's repeated cells expand to more than {MAX_FILLED_CELLS:,} filled "
                                         f"cells (refused: the official workbook has about 40,000)", file=path)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"workbook content.xml is not well-formed XML ({str(exc)[:100]})", file=path) from None
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
            raise InputError(f"not a readable ODS workbook ({type(exc).__name__}: {str(exc)[:120]})",
                             file=path) from None
