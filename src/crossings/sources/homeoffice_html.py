"""Reader of the Home Office page "Migrants detected crossing the English Channel in small boats - last 7 days".

The page is a GOV.UK HTML publication with one table (date, migrants arrived, boats arrived, boats involved in
uncontrolled landings, notes). Its publication time is the ``govuk:public-updated-at`` meta tag.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import lxml.html
from lxml.etree import ParserError

from ..errors import InputError
from ._cells import check_dates, frame, match_columns, normalise_heading, to_count, to_date
from .base import DAILY_COLUMNS, ParsedRelease, sha256_of
from .homeoffice_ods import release_date_from_name

FIELDS = {
    "date": [r"date"],
    "migrants_arrived": [r"(number of )?migrants (arrived|detected)"],
    "boats_arrived": [r"(number of )?boats (arrived|detected)"],
    "uncontrolled_landings": [r".*uncontrolled landings?"],
    "note": [r"notes?"],
}


def _cell_text(el) -> str:
    return " ".join(el.text_content().split())


class Last7DaysReader:
    """Reads a saved copy of the daily 'last 7 days' page."""

    kind: ClassVar[str] = "last7days"

    def can_read(self, path: Path, head: bytes) -> bool:
        # A file named like a workbook, or a zip container, is never read as a page: it must be a workbook.
        if path.suffix.lower() in (".ods", ".xlsx") or head.startswith(b"PK"):
            return False
        h = head.lstrip().lower()
        return h.startswith((b"<!doctype html", b"<html")) or b"<table" in h or path.suffix.lower() in (".html", ".htm")

    def read(self, path: Path, origin: str | None = None, release_date: date | None = None) -> ParsedRelease:
        file = str(path)
        try:
            doc = lxml.html.fromstring(path.read_bytes())
        except (ParserError, ValueError) as exc:
            raise InputError(f"not a readable HTML page ({exc})", file=file) from None
        table, headings = None, []
        for t in doc.iter("table"):
            first = t.find(".//tr")
            if first is None:
                continue
            hs = [_cell_text(c) for c in first if c.tag in ("th", "td")]
            if any(normalise_heading(h) == "date" for h in hs) and any("migrants" in normalise_heading(h) for h in hs):
                table, headings = t, hs
                break
        if table is None:
            raise InputError("no table of daily arrivals (with 'Date' and 'Migrants arrived' columns) in the page",
                             file=file)
        cols = match_columns(headings, FIELDS, optional={"note", "uncontrolled_landings"}, file=file,
                             sheet="table", row=1)
        if release_date is None:
            release_date = self._published(doc) or release_date_from_name(path.name)
        records, rownums = [], []
        for i, tr in enumerate(table.iter("tr")):
            if i == 0:
                continue
            cells = [_cell_text(c) for c in tr if c.tag in ("th", "td")]
            if not any(cells):
                continue
            r = i + 1
            get = lambda f: cells[cols[f]] if cols.get(f) is not None and cols[f] < len(cells) else None  # noqa: E731
            rec = {"date": to_date(get("date"), file=file, sheet="table", row=r, column=headings[cols["date"]])}
            for f in ("migrants_arrived", "boats_arrived", "uncontrolled_landings"):
                rec[f] = (to_count(get(f), file=file, sheet="table", row=r, column=headings[cols[f]])
                          if f in cols else None)
            rec["note"] = (get("note") or "").strip()
            records.append(rec)
            rownums.append(r)
        if not records:
            raise InputError("the table of daily arrivals has no rows", file=file, sheet="table")
        inferred = False
        if release_date is None:
            release_date = max(r["date"] for r in records) + timedelta(days=1)
            inferred = True
        check_dates([r["date"] for r in records], rownums, release_date, file=file, sheet="table",
                    column=headings[cols["date"]])
        daily = frame(records, DAILY_COLUMNS, DAILY_COLUMNS[1:4]).sort_values("date", ignore_index=True)
        return ParsedRelease(kind=self.kind, release_date=release_date, origin=origin or str(path.resolve()),
                             sha256=sha256_of(path), daily=daily, release_date_inferred=inferred)

    @staticmethod
    def _published(doc) -> date | None:
        for name in ("govuk:public-updated-at", "govuk:updated-at"):
            for m in doc.iter("meta"):
                if m.get("name") == name and m.get("content"):
                    try:
                        return datetime.fromisoformat(m.get("content")).date()
                    except ValueError:
                        pass
        return None
