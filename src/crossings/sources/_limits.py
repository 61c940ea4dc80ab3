"""What an official file may plausibly hold: bounds on counts and dates, and caps on a workbook's size.

A value outside these bounds is refused with its place in the file, before anything is stored. The bounds are far
above anything the series has seen (its busiest day so far: 1,305 people on 27 boats) and far below what would
overflow a store column or exhaust memory.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone


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

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # the official workbook unzips to about 2.3 MB
MAX_RATIO = 200  # compression ratio of a member larger than RATIO_FLOOR_BYTES (official: about 33)
RATIO_FLOOR_BYTES = 1024 * 1024
# Cells a spreadsheet parser lays out: per sheet, the rectangle from A1 to the last filled cell, repeats expanded
# (official workbook: about 16,000, SB_01's 2,910 rows by 5 columns).
MAX_GRID_CELLS = 2_000_000
# ODS elements as the parser matches them (by their usual prefixes): a sheet, a row, a cell, and its attributes.
_SHEET = re.compile(rb"<table:table(?=[\s/>])")
_ROW_START = re.compile(rb"<table:table-row(?=[\s/>])")
_CELL_START = re.compile(rb"<table:(?:table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
_REPEAT = {b"table-row": re.compile(rb'table:number-rows-repeated\s*=\s*["\']([^"\']*)["\']'),
           b"cell": re.compile(rb'table:number-columns-repeated\s*=\s*["\']([^"\']*)["\']')}


def _read_capped(z: zipfile.ZipFile, name: str, file: str) -> bytes:
    """A member's bytes, refusing to inflate more than :data:`MAX_UNZIPPED_BYTES` whatever its header claims."""
    out, seen = [], 0
    with z.open(name) as f:
        while chunk := f.read(1 << 20):
            seen += len(chunk)
            if seen > MAX_UNZIPPED_BYTES:
                raise InputError(f"workbook member {name} unzips to more than {MAX_UNZIPPED_BYTES:,} bytes (the "
                                 f"official workbook is about 2 MB unzipped)", file=file)
            out.append(chunk)
    return b"".join(out)


def _repeat(attrs: bytes, kind: bytes, file: str) -> int:
    if b"repeated" not in attrs:
        return 1
    m = _REPEAT[kind].search(attrs)
    if not m:
        return 1
    try:
        return max(int(m[1]), 1)
    except ValueError:
        raise InputError(f"workbook has a malformed repeat count {m[1][:20].decode(errors='replace')!r}",
                         file=file) from None


def _grid_cells(content: bytes, file: str) -> int:
    """Cells the parser would lay out: per sheet, (last filled row) x (last filled column), repeats expanded.

    Row by row, only the cells up to the row's last filled one matter; they are counted directly unless one of
    them carries a repeat, and only then walked one by one (a few rows of the official workbook)."""
    total = 0
    for sheet in _SHEET.split(content)[1:]:
        rows_end = cols_end = row_pos = 0
        for chunk in _ROW_START.split(sheet)[1:]:
            rep = _repeat(chunk[:chunk.find(b">") + 1], b"table-row", file)
            last = chunk.rfind(b"office:value-type")
            if last >= 0:
                prefix = chunk[:chunk.find(b">", last) + 1]
                if b"repeated" in prefix:
                    cols = sum(_repeat(m[1], b"cell", file) for m in _CELL_START.finditer(prefix))
                else:
                    cols = prefix.count(b"<table:table-cell") + prefix.count(b"<table:covered-table-cell")
                cols_end, rows_end = max(cols_end, cols), row_pos + rep
                if total + rows_end * cols_end > MAX_GRID_CELLS:
                    return total + rows_end * cols_end
            row_pos += rep
        total += rows_end * cols_end
    return total


def check_workbook_container(path: str) -> None:
    """Refuse a zip whose members unzip too large (or too compressed), and an ODS whose repeated cells would lay
    out more than :data:`MAX_GRID_CELLS`, before any spreadsheet parser expands them. A file that is not a zip is
    left for the parser to refuse."""
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
                raise InputError(f"workbook member {i.filename} is compressed "
                                 f"{i.file_size // max(i.compress_size, 1):,} to 1 (limit {MAX_RATIO} to 1): "
                                 f"refused as a likely zip bomb", file=path)
        if "content.xml" not in z.namelist():
            return  # XLSX or another container: the size checks above are what applies
        try:
            content = _read_capped(z, "content.xml", path)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
            raise InputError(f"not a readable ODS workbook ({type(exc).__name__}: {str(exc)[:120]})",
                             file=path) from None
    cells = _grid_cells(content, path)
    if cells > MAX_GRID_CELLS:
        raise InputError(f"workbook's repeated cells would expand to more than {MAX_GRID_CELLS:,} cells (refused: "
                         f"the official workbook lays out about 16,000)", file=path)
