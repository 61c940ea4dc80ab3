"""CSV exports neutralise spreadsheet formulas in text fields; the store keeps the note as published, cleaned of
terminal escapes (issue 7, item 14)."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from crossings.export import table_frame, write_frame
from crossings.store import Store
from pageedit import PageEditor
from paths import LAST7

PAGE_20 = next(p for p in LAST7 if p.name == "fetched_2025-12-20.html")
FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A9)"]


@pytest.fixture()
def store(db_path, shared_homeoffice, tmp_path):
    ed = PageEditor(PAGE_20)
    for i, f in enumerate(FORMULAS):
        ed.set(i, 4, f)
    ed.set(4, 4, "Revised \x1b[31mfigure\x1b[0m")
    s = Store(db_path)
    s.ingest(ed.save(tmp_path / "fetched_2025-12-20.html"))
    yield s
    s.close()


def test_csv_export_neutralises_formulas(store, tmp_path):
    out = write_frame(table_frame(store, "daily"), tmp_path / "daily.csv")
    rows = list(csv.DictReader(out.open()))
    notes = [r["note"] for r in rows]
    assert notes[:4] == ["'" + f for f in FORMULAS]
    assert not any(n.startswith(("=", "+", "-", "@")) for n in notes)
    assert [int(r["migrants_arrived"]) for r in rows] == store.daily()["migrants_arrived"].tolist()
    assert rows[0]["date"] == "2025-12-13"


def test_store_and_json_keep_the_note_but_not_the_escapes(store, tmp_path):
    notes = store.daily()["note"].tolist()
    assert notes[:4] == FORMULAS and notes[4] == "Revised figure"
    out = write_frame(table_frame(store, "daily"), tmp_path / "daily.json")
    assert pd.read_json(out)["note"].tolist()[:4] == FORMULAS
