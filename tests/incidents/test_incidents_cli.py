"""``crossings incidents``: the current incidents, the releases and the revisions, in every format."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from click.testing import CliRunner

from crossings.cli import main
from crossings.store import Store


def test_incidents_lists_the_current_release_with_setting_and_area(loaded, iom_csv):
    result = CliRunner().invoke(main, ["incidents", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    with open(iom_csv, newline="", encoding="utf-8") as f:
        raw = {r["Main ID"]: r for r in csv.DictReader(f)}
    assert len(rows) == len(raw)
    for r in rows:
        assert r["date"] == raw[r["incident_id"]]["Incident date"]
        assert r["setting"] in ("sea", "land") and r["area"]
    table = CliRunner().invoke(main, ["incidents"])
    assert "minimum estimates" in table.output


def test_incident_releases_and_revisions(loaded, iom_csv, tmp_path):
    text = iom_csv.read_text(encoding="utf-8")
    newer = tmp_path / "newer.csv"
    newer.write_text(text.replace("2014.MMP00015,2014.MMP00015,Incident,Europe,2014-01-30,2014,1,1,0,1,2,",
                                  "2014.MMP00015,2014.MMP00015,Incident,Europe,2014-01-30,2014,1,1,0,1,3,"),
                     encoding="utf-8")
    assert newer.read_text(encoding="utf-8") != text
    with Store(loaded) as s:
        s.ingest(newer, release_date=date(2026, 1, 15))
    rels = json.loads(CliRunner().invoke(main, ["incidents", "--releases", "--format", "json"]).output)
    assert [r["kind"] for r in rels].count("iom_incidents") == 2
    rev = json.loads(CliRunner().invoke(main, ["incidents", "--revisions", "--format", "json"]).output)
    assert [(r["incident_id"], r["field"], r["old_value"], r["new_value"]) for r in rev] == [
        ("2014.MMP00015", "survivors", "2", "3")]


def test_a_store_opened_read_only_before_the_incident_tables_reads_as_empty(tmp_path):
    import duckdb
    from crossings.analysis.deaths import death_tables, incidents_frame
    from crossings.store.incidents import incident_revisions, source_releases
    from crossings.store.migrations import MIGRATIONS
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for stmt in MIGRATIONS[0].statements:
        con.execute(stmt)
    con.close()
    with Store(path, read_only=True) as s:
        assert incidents_frame(s).empty and source_releases(s.con).empty and incident_revisions(s.con).empty
        assert death_tables(s) == {}
