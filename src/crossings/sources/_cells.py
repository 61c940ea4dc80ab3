"""Turning the cells of an official table into typed, checked values (shared by the workbook and page readers)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from ..errors import InputError
from ._limits import SERIES_START, check_release_date, latest_plausible_date

NOT_RECORDED = {"-", "–", "—", "..", "x", "[x]", "[z]"}
_FOOTNOTE = re.compile(r"\[[^\]]*\]|\(note[^)]*\)")


class _Missing:
    """An empty cell: the release says nothing about this value (unlike '-', which says it was not recorded)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

# Terminal escape sequences (CSI, OSC, and two-character ESC forms), then any control or bidi-override character.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: Any) -> str:
    """A note as plain text: terminal escape sequences and control characters removed, spaces collapsed."""
    s = str(value if value is not None else "")
    if s.isascii() and s.isprintable():  # the usual note (or none): no escape or control character to strip
        return " ".join(s.split())
    return " ".join(_CONTROLS.sub(" ", _ESCAPES.sub("", s)).split())


def normalise_heading(text: Any) -> str:
    """Lower-case a heading, drop footnote markers like ``[note 1]`` and collapse spaces and dashes."""
    s = _FOOTNOTE.sub(" ", str(text or "")).lower()
    s = re.sub(r"[\u2010-\u2015-]", " - ", s)
    return re.sub(r"\s+", " ", s).strip()


def label(name: str) -> str:
    """How a field's column is headed in the official files: ``migrants_arrived`` -> 'Migrants arrived'."""
    return name.replace("_", " ").capitalize()


def match_columns(headings: list[Any], wanted: dict[str, list[str]], optional: set[str], *,
                  file: str, sheet: str | None, row: int) -> dict[str, int]:
    """Find each wanted field's column by its heading (regexes tried in order), not by its position.

    ``wanted`` maps field name -> regexes matched against the normalised heading. A field matched by two columns,
    or a required field matched by none, is an error naming the heading row and the column.
    """
    norm = [normalise_heading(h) for h in headings]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for name, patterns in wanted.items():
        for pat in patterns:
            hits = [i for i, h in enumerate(norm) if i not in taken and re.fullmatch(pat, h)]
            if len(hits) > 1:
                raise InputError(f"two columns look like {label(name)!r}: {headings[hits[0]]!r} and "
                                 f"{headings[hits[1]]!r}", file=file, sheet=sheet, row=row,
                                 column=str(headings[hits[1]]))
            if hits:
                found[name] = hits[0]
                taken.add(hits[0])
                break
        if name not in found and name not in optional:
            raise InputError(f"missing column: no heading reads {label(name)!r} (headings found: "
                             f"{', '.join(repr(h) for h in headings if str(h).strip())})",
                             file=file, sheet=sheet, row=row, column=label(name))
    return found


def _shown(value: Any) -> str:
    """A cell value as the user typed it: -12 rather than -12.0, text in quotes."""
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")) \
            and value.is_integer():
        return str(int(value))
    return repr(value)


def to_count(value: Any, *, file: str, sheet: str | None, row: int, column: str,
             limit: int | None = None) -> int | None | _Missing:
    """A non-negative whole count no larger than ``limit``; None where the file says the value was not recorded
    ('-'); :data:`MISSING` where the cell is empty (the release says nothing about the value)."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        raise InputError(f"expected a count, found {value!r}", file=file, sheet=sheet, row=row, column=column)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "")
        if text == "":
            return MISSING
        if text in NOT_RECORDED:
            return None
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"expected a count, found text {str(value)!r}",
                             file=file, sheet=sheet, row=row, column=column) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"expected a count, found {value!r}", file=file, sheet=sheet, row=row, column=column)
    if number < 0:
        raise InputError(f"negative count {_shown(number)}", file=file, sheet=sheet, row=row, column=column)
    if number != int(number):
        raise InputError(f"count is not a whole number: {value!r}", file=file, sheet=sheet, row=row, column=column)
    return check_bound(int(number), limit, file=file, sheet=sheet, row=row, column=column)


def count_or_none(value: Any, **where: Any) -> int | None:
    """:func:`to_count` for tables where an empty cell and '-' both mean "not known" (IOM, prefecture): None."""
    n = to_count(value, **where)
    return None if n is MISSING else n


def check_bound(n: int, limit: int | None, *, file: str, sheet: str | None, row: int, column: str) -> int:
    """``n`` itself, or an error naming the cell when it is above the plausible ``limit``."""
    if limit is not None and n > limit:
        raise InputError(f"implausible count {n:,} (more than {limit:,})", file=file, sheet=sheet, row=row,
                         column=column)
    return n


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%A %d %B %Y", "%Y-%m-%d %H:%M:%S")


def to_date(value: Any, *, file: str, sheet: str | None, row: int, column: str) -> date:
    """A calendar date from a spreadsheet date cell or a written date; anything else is an error."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if not text:
        raise InputError("missing date", file=file, sheet=sheet, row=row, column=column)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(f"not a valid date: {text!r}", file=file, sheet=sheet, row=row, column=column)


def check_dates(dates: list[date], rows: list[int], release_date: date, *, file: str, sheet: str | None,
                column: str, future_ok_days: int = 0) -> None:
    """No date twice, and none after the publication date."""
    seen: dict[date, int] = {}
    for d, r in zip(dates, rows):
        if d in seen:
            raise InputError(f"duplicate date {d.isoformat()} (first at row {seen[d]})",
                             file=file, sheet=sheet, row=r, column=column)
        seen[d] = r
        if (d - release_date).days > future_ok_days:
            raise InputError(f"date {d.isoformat()} is after the publication date {release_date.isoformat()}",
                             file=file, sheet=sheet, row=r, column=column)
        if d < SERIES_START:
            raise InputError(f"implausible date {d.isoformat()}: the series starts on {SERIES_START.isoformat()}",
                             file=file, sheet=sheet, row=r, column=column)


def check_last_row(dates: list[date], rows: list[int], *, file: str, sheet: str | None, column: str) -> date:
    """The last date of a table, refused (with its row) if after tomorrow: no release holds days not yet over."""
    last = max(dates)
    if last > latest_plausible_date():
        r = rows[dates.index(last)]
        raise InputError(f"implausible date {last.isoformat()}: after tomorrow ({latest_plausible_date().isoformat()})",
                         file=file, sheet=sheet, row=r, column=column)
    return last


def infer_release_date(dates: list[date], rows: list[int], *, file: str, sheet: str | None, column: str) -> date:
    """A table's release date when nothing else gives one: the day after its last row (the usual lag)."""
    last = check_last_row(dates, rows, file=file, sheet=sheet, column=column)
    inferred = last + timedelta(days=1)
    check_release_date(inferred, file=file, what="release date inferred from the last row")
    return inferred


def check_landings(records: list[dict], rows: list[int], *, file: str, sheet: str | None, column: str) -> None:
    """Boats in uncontrolled landings are some of the boats that arrived: never more."""
    for rec, r in zip(records, rows):
        u, b = rec.get("uncontrolled_landings"), rec.get("boats_arrived")
        if isinstance(u, int) and isinstance(b, int) and u > b:
            raise InputError(f"uncontrolled landings ({u}) exceed boats arrived ({b})", file=file, sheet=sheet,
                             row=r, column=column)


def frame(records: list[dict], columns: list[str], count_columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table sorted by its first column with nullable integer counts (NA stays distinct from 0) and datetime64
    dates, and beside it a boolean table of the same shape saying which counts the release left empty."""
    df = pd.DataFrame.from_records(records, columns=columns)
    omitted = pd.DataFrame({c: [v is MISSING for v in df[c].tolist()] for c in count_columns}, dtype=bool)
    for c in count_columns:
        df[c] = pd.array([None if v is MISSING else v for v in df[c].tolist()], dtype="Int64")
    df[columns[0]] = pd.to_datetime(df[columns[0]]).astype("datetime64[ns]")
    if "note" in df:
        df["note"] = df["note"].fillna("").astype(str)
    order = df[columns[0]].argsort(kind="stable").to_numpy()
    return (df.iloc[order].reset_index(drop=True), omitted.iloc[order].reset_index(drop=True))
