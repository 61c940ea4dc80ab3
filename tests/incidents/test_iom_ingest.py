"""Ingesting the IOM export: values against the raw file, releases and revisions, bad input refused in one line."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import snapshot
from crossings.cli import main
from crossings.store import Store
from crossings.store.incidents import incident_revisions, latest_incidents, source_releases


def _raw(iom_csv: Path) -> pd.DataFrame:
    return pd.read_csv(iom_csv, na_values=["NA"], keep_default_na=False)


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def test_yearly_dead_and_missing_equal_sums_of_the_raw_file(loaded, iom_csv):
    from crossings.analysis.deaths import deaths_by_year, incidents_frame
    raw = _raw(iom_csv)
    expect = raw.groupby("Incident year").agg(dead=("No. dead", "sum"), missing=("No. missing", "sum"),
                                              n=("Main ID", "size"))
    with Store(loaded) as s:
        got = deaths_by_year(incidents_frame(s)).set_index("year")
    assert list(got.index) == list(expect.index)
    for year, row in expect.iterrows():
        assert got.loc[year, "dead"] == int(row["dead"]), year
        assert got.loc[year, "missing"] == int(row["missing"]), year
        assert got.loc[year, "incidents"] == row["n"], year
        # the split covers every death once
        assert got.loc[year, "dead_sea"] + got.loc[year, "dead_land"] == int(row["dead"]), year
    assert got.loc[2021, "dead"] >= 27  # the 24 November 2021 sinking alone


def test_every_kept_field_matches_the_raw_file(loaded, iom_csv):
    raw = _raw(iom_csv).set_index("Main ID")
    with Store(loaded) as s:
        inc = latest_incidents(s.con).set_index("incident_id")
    assert len(inc) == len(raw)
    r, g = raw.loc["2021.MMP0189"], inc.loc["2021.MMP0189"]
    assert g["date"] == pd.Timestamp(r["Incident date"])
    assert (g["dead"], g["survivors"]) == (r["No. dead"], r["No. survivors"])
    assert (g["latitude"], g["longitude"]) == (r["Latitude"], r["Longitude"])
    assert g["location"] == r["Location of death"] and g["link"] == r["Link"] and g["source"] == r["Source"]
    assert g["incident_ids"] == r["Incident ID"] and g["cause"] == r["Cause of death (category)"]
    # a count IOM left blank is missing, not zero
    blank = raw[raw["No. dead"].isna()].index
    assert len(blank) > 0 and inc.loc[blank, "dead"].isna().all()


# Hand-checked from IOM's location text: setting and (from the coordinates) area.
NAMED = {
    "2014.MMP00015": ("land", "Calais"),  # A16 motorway near Calais
    "2019.MMP01519": ("land", "UK side"),  # 39 dead in a lorry trailer, Grays, Essex (England, west of the map)
    "2016.MMP00713": ("land", "Calais"),  # violence in the Calais 'Jungle' camp
    "2015.MMP00240": ("land", "elsewhere on the route"),  # Eurotunnel (coordinates inland, 49.4 N)
    "2021.MMP0189": ("sea", "Calais"),  # 24 November 2021, off Calais and Dunkirk
    "2024.MMP1147": ("sea", "Boulogne and the Opal Coast"),  # off Cap Gris-Nez, 3 September 2024
    "2020.MMP00581": ("sea", "Calais"),  # body washed up on the beach of Sangatte
    "2019.MMP00915": ("sea", "Gravelines and Dunkirk"),  # off Malo-les-Bains
    "2025.MMP1007": ("sea", "UK side"),  # 10 miles off Dover
    "2019.MMP01106": ("sea", "UK side"),  # in the Channel en route to Kent
    "2024.MMP0136": ("sea", "Gravelines and Dunkirk"),  # taxi-boat sinking in the Aa canal at Watten
}


def test_land_and_sea_split_of_named_incidents(loaded):
    from crossings.analysis.deaths import incidents_frame
    with Store(loaded) as s:
        inc = incidents_frame(s).set_index("incident_id")
    for iid, (setting, area) in NAMED.items():
        assert inc.loc[iid, "setting"] == setting, iid
        assert inc.loc[iid, "area"] == area, iid


def test_same_file_twice_adds_nothing_and_a_revised_release_is_kept_with_its_revisions(db_path, iom_csv, tmp_path):
    header, rows = _rows(iom_csv)
    col = {h: i for i, h in enumerate(header)}
    revised = [list(r) for r in rows]
    target = next(r for r in revised if r[col["Main ID"]] == "2014.MMP00033")
    target[col["No. dead"]] = "2"
    target[col["No. dead/missing"]] = "2"
    dropped = revised.pop(5)[col["Main ID"]]
    newer = _write(tmp_path / "iom_newer.csv", header, revised)
    with Store(db_path) as s:
        assert s.ingest(iom_csv).added
        assert not s.ingest(iom_csv).added
        assert s.ingest(newer, release_date=date(2025, 12, 1)).added
        rels = source_releases(s.con)
        inc = latest_incidents(s.con).set_index("incident_id")
        old = latest_incidents(s.con, as_of=date(2025, 10, 1)).set_index("incident_id")
        rev = incident_revisions(s.con)
    assert len(rels) == 2
    assert inc.loc["2014.MMP00033", "dead"] == 2 and old.loc["2014.MMP00033", "dead"] == 1
    assert dropped not in inc.index and dropped in old.index
    changed = rev[rev["incident_id"] == "2014.MMP00033"].set_index("field")
    assert set(changed.index) == {"dead", "dead_missing"}
    assert (changed.loc["dead", "old_value"], changed.loc["dead", "new_value"]) == ("1", "2")
    assert rev[rev["field"] == "withdrawn"]["incident_id"].tolist() == [dropped]


def test_rows_of_other_routes_are_left_out(db_path, iom_csv, tmp_path):
    header, rows = _rows(iom_csv)
    col = {h: i for i, h in enumerate(header)}
    other = list(rows[0])
    other[col["Main ID"]] = other[col["Incident ID"]] = "2024.MMP9999"
    other[col["Route"]] = "Central Mediterranean"
    other[col["Latitude"]], other[col["Longitude"]] = "32.9", "13.1"  # off Libya: fine for another route
    path = _write(tmp_path / "global.csv", header, [*rows, other])
    with Store(db_path) as s:
        s.ingest(path)
        inc = latest_incidents(s.con)
    assert len(inc) == len(rows) and "2024.MMP9999" not in set(inc["incident_id"])


def _edit(rows, col, main_id, field, value):
    out = [list(r) for r in rows]
    for r in out:
        if r[col["Main ID"]] == main_id:
            r[col[field]] = value
            return out
    raise AssertionError(main_id)


@pytest.mark.parametrize("change, column, words", [
    ("rename:No. dead", "No. dead", "missing column"),
    ("No. dead=two", "No. dead", "expected a count, found text 'two'"),
    ("Incident date=2023-02-30", "Incident date", "not a valid date"),
    ("Latitude=10.5", "Latitude", "outside the region"),
    ("No. survivors=-3", "No. survivors", "negative count"),
])
def test_bad_input_is_one_line_naming_file_row_column_and_the_store_is_unchanged(loaded, iom_csv, tmp_path,
                                                                                change, column, words):
    header, rows = _rows(iom_csv)
    col = {h: i for i, h in enumerate(header)}
    row_no = None
    if change.startswith("rename:"):
        header = [("Deaths" if h == column else h) for h in header]
    else:
        field, value = change.split("=")
        rows = _edit(rows, col, "2021.MMP0189", field, value)
        row_no = 2 + [r[col["Main ID"]] for r in rows].index("2021.MMP0189")
    bad = _write(tmp_path / "bad.csv", header, rows)
    before = snapshot(loaded)
    result = CliRunner().invoke(main, ["ingest", str(bad)])
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("crossings: error: "), result.output
    assert str(bad) in lines[0] and words in lines[0] and f"column '{column if row_no else 'No. dead'}'" in lines[0]
    if row_no:
        assert f"row {row_no}," in lines[0]
    else:
        assert "row 1," in lines[0]
    assert snapshot(loaded) == before


def test_ingest_bundled_includes_incidents_and_prefecture(db_path):
    result = CliRunner().invoke(main, ["ingest", "--bundled"])
    assert result.exit_code == 0, result.output
    assert "iom_incidents" in result.output and "prefecture_annual" in result.output
    with Store(db_path) as s:
        assert set(source_releases(s.con)["kind"]) == {"iom_incidents", "prefecture_annual"}
        assert len(s.releases()) == 1  # the Home Office releases list is untouched


def test_bundled_files_carry_their_licence():
    from crossings.config import bundled_path
    text = bundled_path("LICENCE.md").read_text(encoding="utf-8")
    for name in ("iom_missing_migrants.csv", "prefecture_annual_figures.csv", "places.csv", "strait_land.geojson",
                 "events.yaml"):
        assert name in text
        assert bundled_path(name).exists()
    assert "CC BY 4.0" in text and "GSHHG" in text and "LGPL" in text


def test_a_store_that_has_a_later_area_migration_still_gets_the_incident_tables(tmp_path):
    """Area ranges are applied by version recorded: a store at version 20 without 10-11 gets 10-11."""
    from datetime import datetime

    import duckdb
    from crossings.store.migrations import MIGRATIONS, migrate
    path = tmp_path / "s.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)")
    for stmt in MIGRATIONS[0].statements:
        con.execute(stmt)
    con.execute("INSERT INTO schema_version VALUES (1, 'first', ?), (20, 'a later area', ?)",
                [datetime(2026, 1, 1), datetime(2026, 1, 1)])
    applied = migrate(con)
    assert 10 in applied and 11 in applied and 20 not in applied
    assert con.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
    con.close()
