"""Edit a real saved 'last 7 days' page for tests: change a cell, drop a row, add attributes or a decoy table.

Works on the page's HTML with lxml, so the result is the official page differing only where the test says.
"""
from __future__ import annotations

import copy
from pathlib import Path

import lxml.html

COLUMNS = ("date", "migrants_arrived", "boats_arrived", "uncontrolled_landings", "note")


class PageEditor:
    def __init__(self, src: Path):
        self.src = Path(src)
        self.doc = lxml.html.fromstring(self.src.read_bytes())
        self.table = next(self.doc.iter("table"))
        self._raw: dict[str, str] = {}  # placeholder -> text lxml would refuse (control characters)

    def rows(self) -> list:
        """Body rows (the header row excluded)."""
        return [tr for tr in self.table.iter("tr")][1:]

    def cells(self, row: int) -> list:
        return [c for c in self.rows()[row] if c.tag in ("th", "td")]

    def text(self, row: int, col: int) -> str:
        return " ".join(self.cells(row)[col].text_content().split())

    def number(self, row: int, col: int) -> int:
        return int(self.text(row, col).replace(",", ""))

    def set(self, row: int, col: int, text: str) -> "PageEditor":
        c = self.cells(row)[col]
        for child in list(c):
            c.remove(child)
        if any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in text):
            key = f"RAWTEXT{len(self._raw)}X"
            self._raw[key] = text
            text = key
        c.text = text
        return self

    def set_html(self, row: int, col: int, html: str) -> "PageEditor":
        c = self.cells(row)[col]
        new = lxml.html.fragment_fromstring(f"<{c.tag}>{html}</{c.tag}>")
        for k, v in c.attrib.items():
            new.set(k, v)
        c.getparent().replace(c, new)
        return self

    def attr(self, row: int, col: int, name: str, value: str) -> "PageEditor":
        self.cells(row)[col].set(name, value)
        return self

    def drop_cell(self, row: int, col: int) -> "PageEditor":
        c = self.cells(row)[col]
        c.getparent().remove(c)
        return self

    def keep_only_date(self, row: int) -> "PageEditor":
        for c in self.cells(row)[1:]:
            c.getparent().remove(c)
        return self

    def drop_row(self, row: int) -> "PageEditor":
        tr = self.rows()[row]
        tr.getparent().remove(tr)
        return self

    def copy_row(self, row: int) -> "PageEditor":
        tr = self.rows()[row]
        tr.addnext(copy.deepcopy(tr))
        return self

    def decoy_first(self, headings: list[str], rows: list[list[str]]) -> "PageEditor":
        """Insert another table before the official one."""
        head = "".join(f"<th>{h}</th>" for h in headings)
        body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
        decoy = lxml.html.fragment_fromstring(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        self.table.addprevious(decoy)
        return self

    def meta(self, name: str, content: str) -> "PageEditor":
        for m in self.doc.iter("meta"):
            if m.get("name") == name:
                m.set("content", content)
        return self

    def tobytes(self) -> bytes:
        out = lxml.html.tostring(self.doc, doctype="<!DOCTYPE html>", encoding="utf-8")
        for key, text in self._raw.items():
            out = out.replace(key.encode(), text.encode("utf-8"))
        return out

    def save(self, out: Path) -> Path:
        Path(out).write_bytes(self.tobytes())
        return Path(out)
