"""Mutation corpus: over a hundred edited copies of the real 19 December 2025 workbook and over fifty of the real
daily pages, each ingested into one store. Every one must be either refused with a one-line error and the store's
content unchanged, or accepted with figures equal to those computed independently: the unedited file's raw cells
(read with calamine / lxml, not with crossings' readers) plus what the mutation changed.
"""
from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from python_calamine import CalamineWorkbook

from crossings.errors import CrossingsError
from crossings.store import Store
from odsedit import OdsEditor
from pageedit import PageEditor
from paths import LAST7, WB_14NOV

pytestmark = pytest.mark.slow

WB_NAME = "19_December_2025_Small_boats_-_time_series.ods"
MIG, BOATS, UNC, NOTE = 1, 2, 3, 4
N_WORKBOOKS_MIN, N_PAGES_MIN = 100, 50


@dataclass
class Expect:
    """What a mutant must give: a refusal matching ``refused``, or these figures for the stored release."""

    refused: str | None = None
    people: int | None = None
    boats: int | None = None
    days: int | None = None
    people_omitted: int = 0
    people_not_recorded: int | None = None
    prevented: int | None = None
    note: tuple | None = None  # (date, expected note)
    checks: dict = field(default_factory=dict)


def _digest(con) -> tuple:
    """The store's content: every release and observation, hashed."""
    return (con.execute("SELECT count(*), coalesce(sum(hash(release_id, sha256, release_date, content_sha256)), 0) "
                        "FROM releases").fetchone(),
            con.execute("SELECT count(*), coalesce(sum(hash(release_id, date, migrants_arrived, boats_arrived, "
                        "uncontrolled_landings, migrants_arrived_omitted, note)), 0) FROM daily_obs").fetchone(),
            con.execute("SELECT count(*), coalesce(sum(hash(release_id, week_ending, migrants_arrived, "
                        "migrants_prevented)), 0) FROM weekly_obs").fetchone())


def _stored(con, rid: int) -> dict:
    d = con.execute("SELECT sum(migrants_arrived), sum(boats_arrived), count(*), "
                    "count(*) FILTER (WHERE migrants_arrived_omitted), "
                    "count(*) FILTER (WHERE migrants_arrived IS NULL AND NOT migrants_arrived_omitted) "
                    "FROM daily_obs WHERE release_id = ?", [rid]).fetchone()
    w = con.execute("SELECT sum(migrants_prevented) FROM weekly_obs WHERE release_id = ?", [rid]).fetchone()
    return {"people": d[0], "boats": d[1], "days": d[2], "people_omitted": d[3], "people_not_recorded": d[4],
            "prevented": w[0]}


def _check(store: Store, path: Path, exp: Expect, what: str) -> str:
    before = _digest(store.con)
    try:
        res = store.ingest(path)
    except CrossingsError as exc:
        msg = str(exc)
        assert exp.refused is not None, f"{what}: refused but should be accepted: {msg}"
        assert "\n" not in msg, f"{what}: error is not one line: {msg!r}"
        assert re.search(exp.refused, msg), f"{what}: wrong refusal {msg!r} (wanted /{exp.refused}/)"
        assert _digest(store.con) == before, f"{what}: refused, but the store changed"
        return "refused"
    assert exp.refused is None, f"{what}: accepted but should be refused (/{exp.refused}/)"
    got = _stored(store.con, res.release_id)
    for k in ("people", "boats", "days", "people_omitted", "people_not_recorded", "prevented"):
        want = getattr(exp, k)
        if want is not None:
            assert got[k] == want, f"{what}: {k} {got[k]} != {want} computed by hand"
    if exp.note:
        day, note = exp.note
        stored = store.con.execute("SELECT note FROM daily_obs WHERE release_id = ? AND date = ?",
                                   [res.release_id, day]).fetchone()[0]
        assert stored == note, f"{what}: note {stored!r} != {note!r}"
    return "accepted"


# --- workbooks ----------------------------------------------------------------------------------------------------

@dataclass
class RawWorkbook:
    """The unedited workbook's cells, read with calamine directly."""

    daily: list  # (sheet row, date, people, boats, uncontrolled) per data row of SB_01
    weekly: list  # (sheet row, week ending, prevented)

    @property
    def people(self) -> int:
        return sum(int(r[2]) for r in self.daily if isinstance(r[2], float))

    @property
    def boats(self) -> int:
        return sum(int(r[3]) for r in self.daily if isinstance(r[3], float))

    @property
    def people_not_recorded(self) -> int:
        return sum(1 for r in self.daily if not isinstance(r[2], float))

    @property
    def prevented(self) -> int:
        return sum(int(r[2]) for r in self.weekly if isinstance(r[2], float))


def _raw(path: Path) -> RawWorkbook:
    book = CalamineWorkbook.from_path(str(path))
    d = book.get_sheet_by_name("SB_01").to_python()
    w = book.get_sheet_by_name("SB_02").to_python()
    daily = [(i, r[0], r[1], r[2], r[3]) for i, r in enumerate(d) if i > 0 and r[0] != ""]
    weekly = [(i, r[0], r[4]) for i, r in enumerate(w) if i > 0 and r[0] != ""]
    return RawWorkbook(daily, weekly)


def _workbook_mutations(raw: RawWorkbook, rng: random.Random) -> list[tuple[str, Callable, Expect]]:
    P, B, NR, PV, ND = raw.people, raw.boats, raw.people_not_recorded, raw.prevented, len(raw.daily)
    out: list[tuple[str, Callable, Expect]] = []
    rows = [r for r in raw.daily if isinstance(r[2], float)]
    recorded_unc = [r for r in rows if isinstance(r[4], float) and r[3] + 1 <= 500]
    pick = lambda pool, n: rng.sample(pool, n)  # noqa: E731

    def S(row, col, value, sheet="SB_01"):
        return lambda ed: ed.set(sheet, row, col, value)

    for r in pick(rows, 12):
        v = rng.randint(0, 20_000)
        out.append((f"people row {r[0]} = {v}", S(r[0], MIG, v), Expect(people=P - int(r[2]) + v, boats=B, days=ND)))
    for r in pick(recorded_unc, 8):
        v = rng.randint(int(r[4]), 500)
        out.append((f"boats row {r[0]} = {v}", S(r[0], BOATS, v), Expect(people=P, boats=B - int(r[3]) + v)))
    for r in pick(rows, 8):
        out.append((f"people row {r[0]} empty", S(r[0], MIG, ""),
                    Expect(people=P - int(r[2]), people_omitted=1, people_not_recorded=NR)))
    for r in pick(rows, 8):
        out.append((f"people row {r[0]} '-'", S(r[0], MIG, "-"),
                    Expect(people=P - int(r[2]), people_omitted=0, people_not_recorded=NR + 1)))
    for r in pick(rows, 8):
        out.append((f"drop row {r[0]}", lambda ed, r=r: ed.drop_row("SB_01", r[0]),
                    Expect(people=P - int(r[2]), boats=B - int(r[3]), days=ND - 1)))
    notes = ["=HYPERLINK(\"http://x.invalid\")", "+1+1", "-2", "@SUM(A1)", "Revised\u202e figure", "a\u2066b"]
    cleaned = ["=HYPERLINK(\"http://x.invalid\")", "+1+1", "-2", "@SUM(A1)", "Revised figure", "a b"]
    for r, note, clean in zip(pick(rows, 6), notes, cleaned):
        out.append((f"note row {r[0]} {note!r}", S(r[0], NOTE, note),
                    Expect(people=P, note=(r[1].date(), clean))))
    out.append(("swap people and boats columns", lambda ed: ed.swap_columns("SB_01", MIG, BOATS),
                Expect(people=P, boats=B, days=ND)))
    out.append(("swap boats and notes columns", lambda ed: ed.swap_columns("SB_01", BOATS, NOTE),
                Expect(people=P, boats=B, days=ND)))
    out.append(("rename sheet SB_01", lambda ed: ed.rename_sheet("SB_01", "Daily"), Expect(people=P, boats=B)))
    for w in pick([w for w in raw.weekly if isinstance(w[2], float)], 6):
        v = rng.randint(0, 140_000)
        out.append((f"prevented week row {w[0]} = {v}", S(w[0], 4, v, "SB_02"), Expect(prevented=PV - int(w[2]) + v)))

    for r in pick(rows, 6):
        out.append((f"people row {r[0]} negative", S(r[0], MIG, -rng.randint(1, 900)),
                    Expect(refused=rf"row {r[0] + 1}, column 'Migrants arrived': negative count")))
    for r in pick(rows, 6):
        out.append((f"people row {r[0]} text", S(r[0], MIG, rng.choice(["many", "n/a", "12 people", "1O"])),
                    Expect(refused=rf"row {r[0] + 1}, column 'Migrants arrived': expected a count")))
    for r, (col, v) in zip(pick(rows, 8), [(MIG, 20_001), (MIG, 2 ** 31), (MIG, 10 ** 12), (BOATS, 501),
                                          (BOATS, 2 ** 63), (MIG, 99_999), (BOATS, 10_000), (MIG, 2 ** 32 + 5)]):
        out.append((f"row {r[0]} col {col} = {v}", S(r[0], col, v),
                    Expect(refused=rf"row {r[0] + 1}, column '[^']+': implausible count")))
    for r in pick(rows, 4):
        out.append((f"people row {r[0]} fraction", S(r[0], MIG, 12.5),
                    Expect(refused=rf"row {r[0] + 1}.*not a whole number")))
    for r in pick([r for r in rows if r[0] > 1], 6):
        prev = next(x for x in raw.daily if x[0] == r[0] - 1)
        out.append((f"row {r[0]} repeats the date above", S(r[0], 0, prev[1].date()),
                    Expect(refused=rf"row {r[0] + 1}, column 'Date': duplicate date")))
    for r, year in zip(pick(rows, 4), [2300, 2262, 2200, 9999]):
        out.append((f"row {r[0]} dated {year}", S(r[0], 0, r[1].date().replace(year=year)),
                    Expect(refused=rf"row {r[0] + 1}, column 'Date': (implausible date|date \S+ is after)")))
    for r in pick(rows, 3):
        out.append((f"row {r[0]} dated 2017", S(r[0], 0, r[1].date().replace(year=2017)),
                    Expect(refused=rf"row {r[0] + 1}, column 'Date': implausible date 2017")))
    for r in pick(recorded_unc, 6):
        out.append((f"uncontrolled > boats row {r[0]}", S(r[0], UNC, int(r[3]) + 1),
                    Expect(refused=rf"row {r[0] + 1}.*uncontrolled landings \(\d+\) exceed boats arrived")))
    out.append(("drop people column", lambda ed: ed.drop_column("SB_01", MIG),
                Expect(refused=r"missing column: no heading reads 'Migrants arrived'")))
    out.append(("drop SB_02", lambda ed: ed.drop_sheet("SB_02"), Expect(refused=r"missing sheet")))
    out.append(("two people columns", S(0, BOATS, "Migrants arrived"), Expect(refused=r"two columns look like")))
    for reps in ("1000000", "50000"):
        def bomb(ed, reps=reps):
            from lxml import etree
            from odsedit import O, T
            row = etree.SubElement(ed.sheet("Notes"), f"{T}table-row")
            row.set(f"{T}number-rows-repeated", reps)
            c = etree.SubElement(row, f"{T}table-cell")
            c.set(f"{T}number-columns-repeated", "1000")
            c.set(f"{O}value-type", "float")
            c.set(f"{O}value", "1")
        out.append((f"repeated cells x{reps}", bomb, Expect(refused=r"repeated cells would expand")))
    return out


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("corpus") / "store.duckdb")
    if WB_14NOV.exists():
        s.ingest(WB_14NOV)
    yield s
    s.close()


def test_mutated_workbooks(corpus_store, wb19, tmp_path):
    rng = random.Random(20251219)
    raw = _raw(wb19)
    assert raw.people > 100_000 and len(raw.daily) == 2909  # the raw cells were read
    muts = _workbook_mutations(raw, rng)
    base = OdsEditor(wb19)
    pristine = base.root
    outcomes = {"refused": 0, "accepted": 0}
    for i, (what, edit, exp) in enumerate(muts):
        base.root = copy.deepcopy(pristine)
        edit(base)
        (tmp_path / f"{i:03d}").mkdir()
        path = base.save(tmp_path / f"{i:03d}" / WB_NAME)
        outcomes[_check(corpus_store, path, exp, what)] += 1
    data = wb19.read_bytes()
    for k, frac in enumerate([0.05, 0.2, 0.5, 0.8, 0.95, 0.999]):
        cut = tmp_path / f"cut{k}" / WB_NAME
        cut.parent.mkdir()
        cut.write_bytes(data[: int(len(data) * frac)])
        outcomes[_check(corpus_store, cut, Expect(refused=r"not a readable ODS workbook"), f"cut at {frac}")] += 1
    total = sum(outcomes.values())
    print(f"\nworkbook corpus: {total} mutants, {outcomes['accepted']} accepted, {outcomes['refused']} refused")
    assert total >= N_WORKBOOKS_MIN and outcomes["accepted"] > 40 and outcomes["refused"] > 40


# --- daily pages --------------------------------------------------------------------------------------------------

def _page_raw(path: Path) -> list[tuple]:
    ed = PageEditor(path)
    return [(i, ed.text(i, 0), ed.number(i, MIG), ed.number(i, BOATS), ed.number(i, UNC))
            for i in range(len(ed.rows()))]


def _page_mutations(path: Path, rng: random.Random) -> list[tuple[str, Callable, Expect]]:
    rows = _page_raw(path)
    P, B, N = sum(r[2] for r in rows), sum(r[3] for r in rows), len(rows)
    r = rng.choice(rows)
    busy = max(rows, key=lambda x: x[3])
    i, row = r[0], r[0] + 2  # error rows count the header as row 1
    v = rng.randint(0, 20_000)
    return [
        (f"people = {v:,}", lambda ed: ed.set(i, MIG, f"{v:,}"), Expect(people=P - r[2] + v, boats=B, days=N)),
        ("people empty", lambda ed: ed.set(i, MIG, ""), Expect(people=P - r[2], people_omitted=1, days=N)),
        ("people '-'", lambda ed: ed.set(i, MIG, "-"), Expect(people=P - r[2], people_not_recorded=1)),
        ("footnote marker", lambda ed: ed.set_html(i, MIG, f"{r[2]}<sup>1</sup>"), Expect(people=P, boats=B)),
        ("decoy table first", lambda ed: ed.decoy_first(["Date", "Migrants prevented"], [[r[1], "9999"]]),
         Expect(people=P, boats=B, days=N)),
        ("drop a row", lambda ed: ed.drop_row(i), Expect(people=P - r[2], boats=B - r[3], days=N - 1)),
        ("note with a formula", lambda ed: ed.set(i, NOTE, "=1+1\u202e"),
         Expect(people=P, note=(_date(r[1]), "=1+1"))),
        ("colspan", lambda ed: ed.attr(i, MIG, "colspan", "2").drop_cell(i, BOATS),
         Expect(refused=rf"row {row}: merged cell")),
        ("date-only row", lambda ed: ed.keep_only_date(i), Expect(refused=rf"row {row}: row has 1 cells")),
        ("uncontrolled > boats", lambda ed: ed.set(busy[0], UNC, str(busy[3] + 1)),
         Expect(refused=rf"row {busy[0] + 2}.*exceed boats arrived")),
        ("people 2^31", lambda ed: ed.set(i, MIG, str(2 ** 31)), Expect(refused=rf"row {row}.*implausible count")),
        ("boats 501", lambda ed: ed.set(i, BOATS, "501"), Expect(refused=rf"row {row}.*implausible count 501")),
        ("negative", lambda ed: ed.set(i, BOATS, "-3"), Expect(refused=rf"row {row}.*negative count")),
        ("text", lambda ed: ed.set(i, MIG, "several"), Expect(refused=rf"row {row}.*expected a count")),
        ("duplicate day", lambda ed: ed.copy_row(i), Expect(refused=r"duplicate date")),
        ("published 2099", lambda ed: ed.meta("govuk:public-updated-at", "2099-01-01T10:00:00+00:00"),
         Expect(refused=r"implausible publication date")),
        ("row in 2300", lambda ed: ed.set(i, 0, _date(r[1]).replace(year=2300).strftime("%d %B %Y")),
         Expect(refused=rf"row {row}, column 'Date': implausible date 2300")),
    ]


def _date(text: str):
    from datetime import datetime
    return datetime.strptime(text, "%d %B %Y").date()


def test_mutated_pages(corpus_store, shared_homeoffice, tmp_path):
    rng = random.Random(20251231)
    outcomes = {"refused": 0, "accepted": 0}
    n = 0
    for page in LAST7:
        for what, edit, exp in _page_mutations(page, rng):
            ed = PageEditor(page)
            edit(ed)
            out = ed.save(tmp_path / f"p{n:03d}.html")
            outcomes[_check(corpus_store, out, exp, f"{page.name}: {what}")] += 1
            n += 1
        raw = page.read_bytes()
        start, end = raw.index(b"<table"), raw.index(b"</html>")
        for k in range(3):
            cut = tmp_path / f"cut{n:03d}.html"
            cut.write_bytes(raw[: rng.randint(start, end - 1)])
            outcomes[_check(corpus_store, cut, Expect(refused=r"cut short"), f"{page.name}: cut {k}")] += 1
            n += 1
    print(f"\npage corpus: {n} mutants, {outcomes['accepted']} accepted, {outcomes['refused']} refused")
    assert n >= N_PAGES_MIN and outcomes["accepted"] >= 20 and outcomes["refused"] >= 30
