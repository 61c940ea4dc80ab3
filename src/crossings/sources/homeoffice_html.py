"""Reader of the Home Office page "Migrants detected crossing the English Channel in small boats - last 7 days".

The page is a GOV.UK HTML publication with one table (date, migrants arrived, boats arrived, boats involved in
uncontrolled landings, notes), found by its headings wherever it sits in the page. Its publication time is the
later of the ``govuk:updated-at`` and ``govuk:public-updated-at`` meta tags, and never before the table's last
day. The page gets the workbook's checks: plausible counts, landings within boats, dates in range; footnote
markers (``497<sup>1</sup>``) are dropped, and merged cells (``colspan``/``rowspan``), which would shift columns,
are refused, as is a page cut short.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

import lxml.html
from lxml.etree import ParserError

from ..errors import InputError
from ._cells import (check_dates, check_landings, check_last_row, clean_text, frame, infer_release_date,
                     match_columns, normalise_heading, to_count, to_date)
from ._limits import BOUNDS, check_release_date
from .base import DAILY_COLUMNS, ParsedRelease, sha256_of
from .homeoffice_ods import release_date_from_name

FIELDS = {
    "date": [r"date"],
    "migrants_arrived": [r"(number of )?migrants (arrived|detected)"],
    "boats_arrived": [r"(number of )?boats (arrived|detected)"],
    "uncontrolled_landings": [r".*uncontrolled landings?"],
    "note": [r"notes?"],
}
COUNT_FIELDS = DAILY_COLUMNS[1:4]
PUBLISHED_META = ("govuk:updated-at", "govuk:public-updated-at")
SHEET = "table"  # where an error is placed: the page's table of daily arrivals


def _cell_text(el) -> str:
    """A cell's text without footnote markers (``<sup>``) and with spaces collapsed."""
    if el.find(".//sup") is not None:
        el = lxml.html.fromstring(lxml.html.tostring(el))  # a copy, so the page itself is left as parsed
        for sup in list(el.iter("sup")):
            sup.drop_tree()
    return " ".join(el.text_content().split())


def _cells(tr) -> list:
    return [c for c in tr if c.tag in ("th", "td")]


def _rows(table) -> list:
    """The table's own rows (not those of a table nested inside it)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]


def _pick_table(doc, file: str):
    """The one table whose header row has every required heading; several such tables are refused. With none, a
    table that looks like it ('Date' and a 'Migrants' heading) has its missing column named."""
    found, near = [], None
    for t in doc.iter("table"):
        rows = _rows(t)
        if not rows:
            continue
        headings = [_cell_text(c) for c in _cells(rows[0])]
        try:
            cols = match_columns(headings, FIELDS, optional={"note", "uncontrolled_landings"}, file=file,
                                 sheet=SHEET, row=1)
        except InputError as exc:
            norm = [normalise_heading(h) for h in headings]
            if near is None and "date" in norm and any("migrants" in h for h in norm):
                near = exc
            continue
        found.append((t, rows, headings, cols))
    if len(found) > 1:
        raise InputError(f"{len(found)} tables of daily arrivals in the page (with 'Date', 'Migrants arrived' and "
                         f"'Boats arrived' columns): cannot tell which is the official one", file=file)
    if not found:
        if near is not None:
            raise near
        raise InputError("no table of daily arrivals (with 'Date' and 'Migrants arrived' columns) in the page",
                         file=file)
    return found[0]


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
        raw = path.read_bytes()
        try:
            doc = lxml.html.fromstring(raw)
        except (ParserError, ValueError) as exc:
            raise InputError(f"not a readable HTML page ({exc})", file=file) from None
        if b"<html" in raw[:4096].lower() and b"</html>" not in raw[-4096:].lower():
            raise InputError("the page is cut short (no closing </html>): a truncated download", file=file)
        table, rows, headings, cols = _pick_table(doc, file)
        records, rownums = [], []
        for i, tr in enumerate(rows):
            r = i + 1
            cells = _cells(tr)
            for c in cells:
                for attr in ("colspan", "rowspan"):
                    if (c.get(attr) or "1").strip() not in ("", "1"):
                        raise InputError(f"merged cell ({attr}={c.get(attr)!r}): the columns would not line up "
                                         f"with the headings", file=file, sheet=SHEET, row=r)
            if i == 0:
                continue
            texts = [_cell_text(c) for c in cells]
            if not any(texts):
                continue
            if len(texts) != len(headings):
                raise InputError(f"row has {len(texts)} cells where the header has {len(headings)}: an incomplete "
                                 f"table", file=file, sheet=SHEET, row=r)
            rec = {"date": to_date(texts[cols["date"]], file=file, sheet=SHEET, row=r,
                                   column=headings[cols["date"]])}
            for f in COUNT_FIELDS:
                rec[f] = (to_count(texts[cols[f]], file=file, sheet=SHEET, row=r, column=headings[cols[f]],
                                   limit=BOUNDS.daily(f)) if f in cols else None)
            rec["note"] = clean_text(texts[cols["note"]]) if "note" in cols else ""
            records.append(rec)
            rownums.append(r)
        if not records:
            raise InputError("the table of daily arrivals has no rows", file=file, sheet=SHEET)
        date_heading = headings[cols["date"]]
        dates = [rec["date"] for rec in records]
        last = check_last_row(dates, rownums, file=file, sheet=SHEET, column=date_heading)
        inferred = False
        if release_date is not None:
            check_release_date(release_date, file=file)
        else:
            published = self._published(doc, file)
            if published is not None:
                # Never dated before its own last day (the metadata can lag the table).
                if published < last:
                    published, inferred = last, True
            else:
                published = release_date_from_name(path.name)
                if published is not None:
                    check_release_date(published, file=file, what="release date in the file name")
            if published is None:
                published, inferred = infer_release_date(dates, rownums, file=file, sheet=SHEET,
                                                         column=date_heading), True
            release_date = published
        check_dates(dates, rownums, release_date, file=file, sheet=SHEET, column=date_heading)
        check_landings(records, rownums, file=file, sheet=SHEET,
                       column=headings[cols["uncontrolled_landings"]] if "uncontrolled_landings" in cols else "")
        daily, omitted = frame(records, DAILY_COLUMNS, COUNT_FIELDS)
        return ParsedRelease(kind=self.kind, release_date=release_date, origin=origin or str(path.resolve()),
                             sha256=sha256_of(path), daily=daily, release_date_inferred=inferred,
                             daily_omitted=omitted)

    @staticmethod
    def _published(doc, file: str) -> date | None:
        """The later of the page's ``govuk:updated-at`` and ``govuk:public-updated-at``; a readable one outside
        the series' range is refused, an unreadable one ignored."""
        found = []
        for m in doc.iter("meta"):
            name, content = m.get("name"), (m.get("content") or "").strip()
            if name in PUBLISHED_META and content:
                try:
                    d = datetime.fromisoformat(content.replace("Z", "+00:00")).date()
                except ValueError:
                    continue  # unreadable: the other tag, the file name or the table dates the page
                check_release_date(d, file=file, what=f"publication date ({name})")
                found.append(d)
        return max(found) if found else None
