"""Edit cells of a real ODS workbook for tests: change a value, drop or rename a sheet, swap columns.

Works on the OpenDocument XML directly (content.xml inside the zip), so the result is a real workbook that a
spreadsheet program opens, differing from the official file only where the test says.
"""
from __future__ import annotations

import copy
import zipfile
from datetime import date
from pathlib import Path

from lxml import etree

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
T, O, X = (f"{{{NS[k]}}}" for k in ("table", "office", "text"))


class OdsEditor:
    def __init__(self, src: Path):
        self.src = Path(src)
        with zipfile.ZipFile(self.src) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.root = etree.fromstring(self.parts["content.xml"])

    def sheet(self, name: str):
        for t in self.root.iter(f"{T}table"):
            if t.get(f"{T}name") == name:
                return t
        raise KeyError(name)

    def rows(self, name: str) -> list:
        return [r for r in self.sheet(name).iter(f"{T}table-row")]

    @staticmethod
    def _cells(row, upto: int) -> list:
        """The row's cells, with repeated cells (``number-columns-repeated``) split so that columns 0..upto are
        one element each; later columns stay compressed."""
        pos = 0
        for c in [c for c in row if c.tag in (f"{T}table-cell", f"{T}covered-table-cell")]:
            if pos > upto:
                break
            n = int(c.get(f"{T}number-columns-repeated", "1"))
            if n > 1:
                keep = min(n, upto - pos + 1)  # split off single copies for the columns we need
                del c.attrib[f"{T}number-columns-repeated"]
                anchor = c
                for _ in range(keep - 1):
                    twin = copy.deepcopy(c)
                    anchor.addnext(twin)
                    anchor = twin
                if n - keep > 0:
                    rest = copy.deepcopy(c)
                    if n - keep > 1:
                        rest.set(f"{T}number-columns-repeated", str(n - keep))
                    anchor.addnext(rest)
            pos += n
        return [c for c in row if c.tag in (f"{T}table-cell", f"{T}covered-table-cell")]

    def cell(self, name: str, row: int, col: int):
        """Cell at 0-based row and column (repeated cells are split first, so any column can be edited)."""
        return self._cells(self.rows(name)[row], col)[col]

    def set(self, name: str, row: int, col: int, value) -> "OdsEditor":
        c = self.cell(name, row, col)
        for a in list(c.attrib):
            if a.startswith(O):
                del c.attrib[a]
        for child in list(c):
            c.remove(child)
        p = etree.SubElement(c, f"{X}p")
        if isinstance(value, date):
            c.set(f"{O}value-type", "date")
            c.set(f"{O}date-value", value.isoformat() + "T00:00:00")
            p.text = value.strftime("%d/%m/%Y")
        elif isinstance(value, (int, float)):
            c.set(f"{O}value-type", "float")
            c.set(f"{O}value", repr(value))
            p.text = str(value)
        else:
            c.set(f"{O}value-type", "string")
            p.text = str(value)
        return self

    def get_number(self, name: str, row: int, col: int) -> float:
        return float(self.cell(name, row, col).get(f"{O}value"))

    def drop_sheet(self, name: str) -> "OdsEditor":
        t = self.sheet(name)
        del t[:]  # emptying first makes lxml's removal of a large subtree fast
        t.getparent().remove(t)
        return self

    def rename_sheet(self, name: str, new: str) -> "OdsEditor":
        self.sheet(name).set(f"{T}name", new)
        return self

    def swap_columns(self, name: str, a: int, b: int) -> "OdsEditor":
        """Exchange two columns in every row of a sheet."""
        for r in self.rows(name):
            cells = self._cells(r, max(a, b))
            if max(a, b) >= len(cells):
                continue
            ca, cb = copy.deepcopy(cells[a]), copy.deepcopy(cells[b])
            r.replace(cells[a], cb)
            r.replace(cells[b], ca)
        return self

    def drop_column(self, name: str, col: int) -> "OdsEditor":
        """Delete the 0-based column ``col`` from every row of a sheet (column styles are left as they are)."""
        for r in self.rows(name):
            cells = self._cells(r, col)
            if col < len(cells):
                r.remove(cells[col])
        return self

    def drop_row(self, name: str, row: int) -> "OdsEditor":
        r = self.rows(name)[row]
        r.getparent().remove(r)
        return self

    def save(self, out: Path) -> Path:
        self.parts["content.xml"] = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        with zipfile.ZipFile(out, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), self.parts["mimetype"], compress_type=zipfile.ZIP_STORED)
            for n, data in self.parts.items():
                if n != "mimetype":
                    z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)
        return out
