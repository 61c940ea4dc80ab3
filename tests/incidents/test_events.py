"""The shipped events timeline and users' events files."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.cli.incidents import KINDS
from crossings.events import Kind, read_events, shipped_events, timeline
from crossings.errors import InputError


def test_every_shipped_event_has_a_date_a_kind_from_the_list_and_a_source_url():
    import yaml
    from crossings.config import bundled_path
    raw = yaml.safe_load(bundled_path("events.yaml").read_text(encoding="utf-8"))["events"]  # not through pydantic
    assert len(raw) >= 20
    for ev in raw:
        assert isinstance(ev["date"], date) and ev["date"].year >= 2018, ev["id"]
        assert ev["kind"] in {k.value for k in Kind}, ev["id"]
        assert ev["sources"] and all(s.startswith(("https://", "http://")) for s in ev["sources"]), ev["id"]
        assert ev["title"].strip() and ev["description"].strip(), ev["id"]
    assert len({e["id"] for e in raw}) == len(raw)
    assert [(e["date"], e["id"]) for e in raw] == sorted((e["date"], e["id"]) for e in raw)  # kept in timeline order
    assert len(shipped_events()) == len(raw)


def test_the_timeline_holds_the_events_users_ask_about():
    by_id = {e.id: e for e in shipped_events()}
    assert by_id["sandhurst-treaty"].date == date(2018, 1, 18)
    assert by_id["uk-france-summit-2023"].date == date(2023, 3, 10) and "476" in by_id["uk-france-summit-2023"].title
    assert by_id["rwanda-announced"].date == date(2022, 4, 14)
    assert by_id["safety-of-rwanda-act"].date == date(2024, 4, 25)
    assert by_id["rwanda-scrapped"].date.year == 2024 and by_id["rwanda-scrapped"].date.month == 7
    assert by_id["uk-france-summit-2025"].date == date(2025, 7, 10)
    assert by_id["one-in-one-out-starts"].date == date(2025, 8, 5)
    assert by_id["barnier-censured"].date == date(2024, 12, 4)
    assert by_id["channel-disaster-2021"].date == date(2021, 11, 24)
    # the taxi-boat doctrine: announcements and the first reported interception, in that order
    doctrine = [by_id[i] for i in ("premar-taxi-boat-directive", "taxi-boat-doctrine-plan",
                                   "taxi-boat-interception-framework", "first-taxi-boat-interception")]
    assert [e.date for e in doctrine] == sorted(e.date for e in doctrine)
    assert by_id["taxi-boat-interception-framework"].date == date(2025, 11, 25)
    assert by_id["first-taxi-boat-interception"].kind is Kind.ENFORCEMENT
    assert "Gravelines" in by_id["first-taxi-boat-interception"].title


def test_a_date_the_sources_do_not_state_carries_a_note(tmp_path):
    by_id = {e.id: e for e in shipped_events()}
    assert "Saturday" in by_id["first-taxi-boat-interception"].date_note
    assert by_id["sandhurst-treaty"].date_note is None
    f = tmp_path / "ev.csv"
    f.write_text("id,date,title,kind,description,sources,date_note\n"
                 "a,2024-01-02,An event,policy,Something,https://example.org/a,reported as last week\n"
                 "b,2024-01-03,Another,policy,Something,https://example.org/b,\n", encoding="utf-8")
    a, b = read_events(f)
    assert a.date_note == "reported as last week" and b.date_note is None
    out = CliRunner().invoke(main, ["events", "--events", str(f), "--format", "csv"])
    assert out.exit_code == 0 and "reported as last week" in out.output


def test_incident_events_match_an_iom_incident_on_that_day(iom_csv):
    import pandas as pd
    raw = pd.read_csv(iom_csv, na_values=["NA"], keep_default_na=False)
    days = set(raw["Incident date"])
    for ev in shipped_events():
        if ev.kind is Kind.INCIDENT:
            assert ev.date.isoformat() in days, ev.id


def test_cli_kinds_are_the_enum():
    assert set(KINDS) == {k.value for k in Kind}


def test_events_cli_formats_and_kind_filter():
    js = CliRunner().invoke(main, ["events", "--kind", "legislation", "--format", "json"])
    assert js.exit_code == 0, js.output
    rows = json.loads(js.output)
    assert rows and {r["kind"] for r in rows} == {"legislation"}
    csv = CliRunner().invoke(main, ["events", "--format", "csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0] == "id,date,kind,title,description,sources,date_note"
    assert len(csv.output.splitlines()) > 20


def test_a_user_csv_file_adds_events(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("id,date,title,kind,description,sources\n"
                 "local-op,2025-03-01,Local beach operation,enforcement,Police clear a beach camp.,"
                 "https://example.org/a https://example.org/b\n", encoding="utf-8")
    events = timeline(f)
    mine = [e for e in events if e.id == "local-op"]
    assert mine and mine[0].sources == ("https://example.org/a", "https://example.org/b")
    assert len(events) == len(shipped_events()) + 1


@pytest.mark.parametrize("body, row, field, words", [
    ("- {id: a, date: 2025-13-01, title: Bad date, kind: policy, description: x y z, sources: [https://a.org]}",
     1, "date", "date"),
    ("- {id: a, date: 2025-01-01, title: Fine, kind: policy, description: fine, sources: [https://a.org]}\n"
     "- {id: b, date: 2025-01-02, title: Bad kind, kind: rumour, description: x y z, sources: [https://a.org]}",
     2, "kind", "not one of the kinds"),
    ("- {id: a, date: 2025-01-01, title: No source, kind: policy, description: x y z, sources: []}",
     1, "sources", "at least 1"),
    ("- {id: a, date: 2025-01-01, title: Bad source, kind: policy, description: x y z, sources: [www.a.org]}",
     1, "sources", "not a web address"),
    ("- {id: a, date: 2025-01-01, title: Extra, kind: policy, description: x y z, sources: [https://a.org], "
     "colour: red}", 1, "colour", "unknown field"),
])
def test_a_bad_user_file_is_one_line_naming_row_and_field(tmp_path, body, row, field, words):
    f = tmp_path / "mine.yaml"
    f.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_events(f)
    msg = str(exc.value)
    assert "\n" not in msg and str(f) in msg and f"row {row}" in msg and f"column '{field}'" in msg and words in msg
    result = CliRunner().invoke(main, ["events", "--events", str(f)])
    assert result.exit_code == 1 and result.output.startswith("crossings: error: ")
    assert len(result.output.strip().splitlines()) == 1


def test_a_date_note_too_short_is_a_one_line_error_naming_row_and_field(tmp_path):
    f = tmp_path / "ev.csv"
    f.write_text("id,date,title,kind,description,sources,date_note\n"
                 "a,2024-01-02,An event,policy,Something,https://example.org/a,x\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_events(f)
    msg = str(exc.value)
    assert "row 2" in msg and "'date_note'" in msg and "at least 3 characters" in msg and "\n" not in msg
