"""An empty cell says nothing (the good value stands in every view and headline figure), '-' says "not recorded",
the same content twice adds no release, and counts cannot overflow (issue 7, items 1, 5, 6)."""
from __future__ import annotations

import zipfile
from datetime import date

import duckdb
import pandas as pd
import pytest

from crossings.analysis import key_figures
from crossings.store import LATEST_VERSION, Store
from crossings.store.releases import sightings
from pageedit import PageEditor
from paths import LAST7

PAGE_20 = next(p for p in LAST7 if p.name == "fetched_2025-12-20.html")  # 13-19 December 2025
PAGE_24 = next(p for p in LAST7 if p.name == "fetched_2025-12-24.html")
ROW_17 = 4  # 17 December 2025 on PAGE_20: 497 people on 9 boats
DAY_17 = date(2025, 12, 17)


def _later_page(tmp_path, edit) -> object:
    """PAGE_20 edited, republished a day later (so it is the newest release of those days)."""
    ed = PageEditor(PAGE_20).meta("govuk:public-updated-at", "2025-12-21T10:00:00+00:00").meta(
        "govuk:updated-at", "2025-12-21T10:00:01+00:00")
    return edit(ed).save(tmp_path / "fetched_2025-12-21.html")


@pytest.fixture()
def store(db_path, wb19, shared_homeoffice):
    s = Store(db_path)
    s.ingest(wb19)
    s.ingest(PAGE_20)
    yield s
    s.close()


def _ytd_people_by_hand(path_wb, pages) -> int:
    """2025 people from the raw cells: the workbook's 2025 rows, then each page's rows for later days."""
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(path_wb)).get_sheet_by_name("SB_01").to_python()[1:]
    by_day = {r[0].date(): int(r[1]) for r in rows if r[0] != "" and r[0].year == 2025}
    for p in pages:
        ed = PageEditor(p)
        for i in range(len(ed.rows())):
            d = pd.Timestamp(ed.text(i, 0)).date()
            by_day[d] = ed.number(i, 1)
    return sum(by_day.values())


@pytest.mark.parametrize("edit", [
    pytest.param(lambda ed: ed.set(ROW_17, 1, ""), id="empty-cell"),
    pytest.param(lambda ed: ed.set(ROW_17, 1, "").set(ROW_17, 2, "").set(ROW_17, 3, ""), id="date-only-row"),
    pytest.param(lambda ed: ed.drop_row(ROW_17), id="row-left-out"),
])
def test_an_omitted_value_leaves_the_good_value_standing(store, tmp_path, wb19, edit):
    expected = _ytd_people_by_hand(wb19, [PAGE_20])
    before = key_figures(store.daily(), store.weekly())
    assert before["ytd_people"] == expected
    added = store.ingest(_later_page(tmp_path, edit))
    assert added.added
    d = store.daily().set_index("date")
    assert d.loc[pd.Timestamp(DAY_17), "migrants_arrived"] == 497
    assert d.loc[pd.Timestamp(DAY_17), "boats_arrived"] == 9
    as_of = store.daily(as_of=date(2025, 12, 21)).set_index("date")
    assert as_of.loc[pd.Timestamp(DAY_17), "migrants_arrived"] == 497
    after = key_figures(store.daily(), store.weekly())
    assert after["ytd_people"] == expected == before["ytd_people"]
    rev = store.revisions()
    assert not (rev["date"] == pd.Timestamp(DAY_17)).any()  # an omission is not a revision


def test_dash_in_a_later_release_says_not_recorded(store, tmp_path):
    store.ingest(_later_page(tmp_path, lambda ed: ed.set(ROW_17, 1, "-")))
    d = store.daily().set_index("date")
    assert pd.isna(d.loc[pd.Timestamp(DAY_17), "migrants_arrived"])
    assert d.loc[pd.Timestamp(DAY_17), "boats_arrived"] == 9
    rev = store.revisions().query("field == 'migrants_arrived'").set_index("date")
    assert rev.loc[pd.Timestamp(DAY_17), "old_value"] == 497 and pd.isna(rev.loc[pd.Timestamp(DAY_17), "new_value"])
    flags = store.con.execute("SELECT migrants_arrived IS NULL, migrants_arrived_omitted FROM daily_obs o JOIN "
                              "releases r USING (release_id) WHERE o.date = ? AND r.release_date = ?",
                              [DAY_17, date(2025, 12, 21)]).fetchone()
    assert flags == (True, False)


def test_page_repeating_a_stored_table_adds_no_release(store, tmp_path):
    n = len(store.releases())
    # Same table, a later timestamp and other bytes: content the store already holds.
    again = store.ingest(_later_page(tmp_path, lambda ed: ed))
    assert not again.added and again.duplicate_of == "content"
    assert len(store.releases()) == n
    assert "same tables" in again.describe() and "recorded as seen" in again.describe()
    seen = sightings(store.con)
    assert len(seen) == 1 and seen["same_by"].iloc[0] == "content"
    assert seen["same_as_release_id"].iloc[0] == store.releases().query("kind == 'last7days'")["release_id"].iloc[0]


def test_rezipped_workbook_adds_no_release(store, tmp_path, wb19):
    out = tmp_path / "19_December_2025_Small_boats_-_time_series.ods"
    with zipfile.ZipFile(wb19) as src, zipfile.ZipFile(out, "w") as z:
        for info in reversed(src.infolist()):  # other order, other compression: other bytes
            z.writestr(info.filename, src.read(info.filename), compress_type=zipfile.ZIP_STORED)
    assert out.read_bytes() != wb19.read_bytes()
    n_obs = store.con.execute("SELECT count(*) FROM daily_obs").fetchone()[0]
    again = store.ingest(out)
    assert not again.added and again.duplicate_of == "content"
    assert store.con.execute("SELECT count(*) FROM daily_obs").fetchone()[0] == n_obs
    same = store.ingest(wb19)
    assert same.duplicate_of == "file" and "the same file" in same.describe()
    assert sightings(store.con)["same_by"].tolist() == ["content", "file"]


def test_a_changed_value_is_not_a_duplicate(store, tmp_path):
    r = store.ingest(_later_page(tmp_path, lambda ed: ed.set(ROW_17, 1, "498")))
    assert r.added and r.duplicate_of is None
    assert store.daily().set_index("date").loc[pd.Timestamp(DAY_17), "migrants_arrived"] == 498


def test_counts_are_stored_as_bigint(store):
    types = dict(store.con.execute(
        "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
        "WHERE column_name IN ('migrants_arrived', 'boats_arrived', 'uncontrolled_landings', "
        "'migrants_prevented', 'events_prevented')").fetchall())
    assert len(types) == 8 and set(types.values()) == {"BIGINT"}
    store.con.execute("UPDATE daily_obs SET migrants_arrived = 3000000000 WHERE date = ?", [DAY_17])  # > 2^31
    assert store.con.execute("SELECT max(migrants_arrived) FROM daily_obs").fetchone()[0] == 3_000_000_000
    assert store.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST_VERSION >= 4


def test_upgraded_legacy_store_has_the_new_columns(tmp_path):
    import gzip
    import shutil
    from paths import TESTS_DATA
    path = tmp_path / "old.duckdb"
    with gzip.open(TESTS_DATA / "store" / "store_v0.1.0.duckdb.gz", "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    raw = duckdb.connect(str(path))  # a note with terminal escapes, as an older crossings stored it
    raw.execute("UPDATE daily_obs SET note = ? WHERE date = (SELECT min(date) FROM daily_obs)",
                ["\x1b[31mRevised\x1b[0m\x07 figure"])
    raw.close()
    s = Store(path)
    assert s.daily()["note"].iloc[0] == "Revised figure"
    cols = {r[0]: r[1] for r in s.con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'daily_obs'").fetchall()}
    assert cols["migrants_arrived"] == "BIGINT" and cols["migrants_arrived_omitted"] == "BOOLEAN"
    assert not s.con.execute("SELECT bool_or(migrants_arrived_omitted) FROM daily_obs").fetchone()[0]
    assert len(s.daily()) == 7
    s.close()
    raw = duckdb.connect(str(path), read_only=True)
    assert raw.execute("SELECT count(*) FROM release_sightings").fetchone()[0] == 0
    raw.close()


def test_content_of_a_release_stored_by_0_1_0_is_recognised(tmp_path, shared_homeoffice):
    """The 0.1.0 store holds the page saved on 16 December; the same table in other bytes adds no release."""
    import gzip
    import shutil
    from paths import TESTS_DATA
    path = tmp_path / "old.duckdb"
    with gzip.open(TESTS_DATA / "store" / "store_v0.1.0.duckdb.gz", "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    page = next(p for p in LAST7 if p.name == "fetched_2025-12-16.html")
    resaved = PageEditor(page).meta("govuk:updated-at", "2025-12-16T09:00:00+00:00").save(tmp_path / "p.html")
    assert resaved.read_bytes() != page.read_bytes()
    s = Store(path)
    r = s.ingest(resaved)
    assert not r.added and r.duplicate_of == "content"
    assert len(s.releases()) == 1
    assert s.con.execute("SELECT count(*) FROM releases WHERE content_sha256 IS NULL").fetchone()[0] == 0
    s.close()
