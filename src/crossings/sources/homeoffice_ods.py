"""Reader of the Home Office workbook "Migrants detected crossing the English Channel in small boats - time series".

Sheets and columns are found by their headings (SB_01 daily, SB_02 weekly), not by position. Values of '-' mean
"not recorded" and become ``<NA>``, distinct from 0.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from python_calamine import CalamineError, CalamineWorkbook

from ..errors import InputError
from ._cells import (check_dates, check_landings, check_last_row, clean_text, frame,
                     infer_release_date, label, match_columns, normalise_heading, to_count, to_date)
from ._limits import BOUNDS, check_release_date, check_workbook_container
from .base import DAILY_COLUMNS, WEEKLY_COLUMNS, ParsedRelease, sha256_of

COUNT = r"(number of )?"
DAILY_FIELDS = {
    "date": [r"date"],
    "migrants_arrived": [rf"{COUNT}migrants (arrived|detected)"],
    "boats_arrived": [rf"{COUNT}boats (arrived|detected)"],
    "uncontrolled_landings": [r".*uncontrolled landings?"],
    "note": [r"notes?"],
}
WEEKLY_FIELDS = {
    "week_ending": [r"week ending"],
    "migrants_arrived": DAILY_FIELDS["migrants_arrived"],
    "boats_arrived": DAILY_FIELDS["boats_arrived"],
    "uncontrolled_landings": DAILY_FIELDS["uncontrolled_landings"],
    "migrants_prevented": [rf"{COUNT}migrants prevented"],
    "events_prevented": [rf"{COUNT}events prevented"],
    "note": [r"notes?"],
}
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_NAME_DATE = re.compile(rf"(\d{{1,2}})[ _-]({_MONTHS})[ _-](\d{{4}})", re.I)
_ISO_DATE = re.compile(r"(20\d\d)-(\d\d)-(\d\d)")
_HEADER_SCAN_ROWS = 30


def release_date_from_name(name: str) -> date | None:
    """Publication date written in a file name: ``19_December_2025_...`` or ``...2025-12-19...``."""
    m = _NAME_DATE.search(name)
    if m:
        return datetime.strptime(f"{m[1]} {m[2]} {m[3]}", "%d %B %Y").date()
    m = _ISO_DATE.search(name)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def _find_header(rows: list[list[Any]], first_heading: str) -> int | None:
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if row and any(normalise_heading(c) == first_heading for c in row):
            return i
    return None


def _locate(book: CalamineWorkbook, preferred: str, first_heading: str, file: str) -> tuple[str, list, int]:
    """The sheet holding a table whose header has ``first_heading``: the named sheet if it does, else any sheet."""
    names = list(book.sheet_names)
    order = ([preferred] if preferred in names else []) + [n for n in names if n != preferred]
    for name in order:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        h = _find_header(rows, first_heading)
        if h is not None:
            return name, rows, h
    raise InputError(f"missing sheet: no sheet has a {label(first_heading)!r} column (sheets found: "
                     f"{', '.join(names)})", file=file, sheet=preferred)


def _parse_table(rows: list[list[Any]], header: int, fields: dict[str, list[str]], *, file: str, sheet: str,
                 weekly: bool) -> tuple[list[dict], list[int], dict[str, str]]:
    """Typed records of a table, their spreadsheet row numbers, and each field's heading as written.

    An empty count cell (a row holding only its date, say) becomes :data:`MISSING`: the release says nothing about
    that value. Counts above the plausible bounds (per day, or per week in the weekly table) are refused."""
    headings = list(rows[header])
    cols = match_columns(headings, fields, optional={"note", "uncontrolled_landings"}, file=file, sheet=sheet,
                         row=header + 1)
    key = next(iter(fields))
    bound = BOUNDS.weekly if weekly else BOUNDS.daily
    count_cols = [(f, c, str(headings[c]), bound(f)) for f, c in cols.items() if f not in (key, "note")]
    key_col, note_col = cols[key], cols.get("note")
    width = max(cols.values()) + 1
    records, rownums = [], []
    for i in range(header + 1, len(rows)):
        row = rows[i]
        if len(row) < width:
            row = list(row) + [None] * (width - len(row))
        raw_key = row[key_col]
        if (raw_key is None or raw_key == "") and all(row[c] in (None, "") for c in cols.values()):
            continue  # blank line
        r = i + 1  # row number as a spreadsheet shows it
        if isinstance(raw_key, str) and not _looks_like_date(raw_key):
            if normalise_heading(raw_key).startswith(("total", "source", "note")):
                continue  # a footer line under the table
        rec: dict[str, Any] = {key: to_date(raw_key, file=file, sheet=sheet, row=r, column=str(headings[key_col]))}
        for f, c, heading, limit in count_cols:
            v = row[c]
            # Fast path for the usual cell, a whole non-negative number; anything else gets the full checks.
            if type(v) is float and 0 <= v <= limit and v.is_integer():
                rec[f] = int(v)
            else:
                rec[f] = to_count(v, file=file, sheet=sheet, row=r, column=heading, limit=limit)
        rec["note"] = clean_text(row[note_col]) if note_col is not None else ""
        records.append(rec)
        rownums.append(r)
    if not records:
        raise InputError("table has a header but no rows", file=file, sheet=sheet, row=header + 1)
    return records, rownums, {f: str(headings[c]) for f, c in cols.items()}


def _looks_like_date(text: str) -> bool:
    return bool(re.search(r"\d", text))


class WorkbookReader:
    """Reads the weekly ODS (or XLSX) workbook: SB_01 daily and SB_02 weekly tables."""

    kind: ClassVar[str] = "workbook"

    def can_read(self, path: Path, head: bytes) -> bool:
        if head.startswith(b"PK"):
            return True  # a zip container: ODS or XLSX; a broken one fails loudly in read()
        return path.suffix.lower() in (".ods", ".xlsx")

    def read(self, path: Path, origin: str | None = None, release_date: date | None = None) -> ParsedRelease:
        file = str(path)
        check_workbook_container(file)  # sizes and repeated cells, before calamine expands anything
        try:
            book = CalamineWorkbook.from_path(file)
        except (CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(f"not a readable ODS workbook ({type(exc).__name__}: {str(exc)[:120]})",
                             file=file) from None
        except Exception as exc:  # calamine raises its own types for corrupt containers
            raise InputError(f"not a readable ODS workbook ({type(exc).__name__}: {str(exc)[:120]})",
                             file=file) from None
        daily_sheet, rows, h = _locate(book, "SB_01", "date", file)
        daily_recs, daily_rows, daily_heads = _parse_table(rows, h, DAILY_FIELDS, file=file, sheet=daily_sheet,
                                                           weekly=False)
        weekly_sheet, wrows, wh = _locate(book, "SB_02", "week ending", file)
        weekly_recs, weekly_rows, weekly_heads = _parse_table(wrows, wh, WEEKLY_FIELDS, file=file,
                                                              sheet=weekly_sheet, weekly=True)
        daily_dates = [r["date"] for r in daily_recs]
        inferred = False
        if release_date is None:
            release_date = release_date_from_name(path.name)
            if release_date is not None:
                check_release_date(release_date, file=file, what="release date in the file name")
        else:
            check_release_date(release_date, file=file)
        if release_date is None:
            # The daily table runs to the day before publication.
            release_date = infer_release_date(daily_dates, daily_rows, file=file, sheet=daily_sheet,
                                              column=daily_heads["date"])
            inferred = True
        check_last_row(daily_dates, daily_rows, file=file, sheet=daily_sheet, column=daily_heads["date"])
        check_dates(daily_dates, daily_rows, release_date, file=file, sheet=daily_sheet,
                    column=daily_heads["date"])
        # The weekly table labels a week by its Sunday, which may fall a day or two after publication.
        check_dates([r["week_ending"] for r in weekly_recs], weekly_rows, release_date, file=file,
                    sheet=weekly_sheet, column=weekly_heads["week_ending"], future_ok_days=6)
        check_landings(daily_recs, daily_rows, file=file, sheet=daily_sheet,
                       column=daily_heads.get("uncontrolled_landings", ""))
        check_landings(weekly_recs, weekly_rows, file=file, sheet=weekly_sheet,
                       column=weekly_heads.get("uncontrolled_landings", ""))
        for recs in (daily_recs, weekly_recs):
            for rec in recs:
                rec.setdefault("uncontrolled_landings", None)
        daily, daily_omitted = frame(daily_recs, DAILY_COLUMNS, DAILY_COLUMNS[1:4])
        weekly, weekly_omitted = frame(weekly_recs, WEEKLY_COLUMNS, WEEKLY_COLUMNS[1:6])
        return ParsedRelease(kind=self.kind, release_date=release_date, origin=origin or str(path.resolve()),
                             sha256=sha256_of(path), daily=daily, weekly=weekly, release_date_inferred=inferred,
                             daily_omitted=daily_omitted, weekly_omitted=weekly_omitted)
