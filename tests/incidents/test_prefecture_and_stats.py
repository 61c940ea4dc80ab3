"""Prefecture yearly figures, and the deaths, incidents and rescues tables through the API and ``crossings stats``."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.store import Store


def test_prefecture_rows_keep_their_values_and_cited_source(loaded, pref_csv):
    from crossings.store.incidents import latest_prefecture
    raw = pd.read_csv(pref_csv).set_index("year")
    with Store(loaded) as s:
        got = latest_prefecture(s.con).set_index("year")
    assert list(got.index) == list(raw.index)
    for year, r in raw.iterrows():
        assert got.loc[year, "source"] == r["source"] and got.loc[year, "source"].strip()
        for ours, theirs in (("people_attempting", "people_attempting_crossing"), ("people_rescued",
                             "people_rescued_at_sea"), ("deaths", "migrant_deaths"), ("boats_attempting",
                             "boats_attempting")):
            if pd.isna(r[theirs]):
                assert pd.isna(got.loc[year, ours]), (year, ours)  # not given: missing, never zero
            else:
                assert got.loc[year, ours] == int(r[theirs]), (year, ours)
    assert got.loc[2025, "taxi_boat_share"] == pytest.approx(0.45)


def test_a_bad_taxi_boat_share_is_refused(db_path, pref_csv, tmp_path):
    text = pref_csv.read_text(encoding="utf-8").replace(",0.45,", ",1.45,")
    bad = tmp_path / "pref.csv"
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(bad)])
    assert result.exit_code == 1
    assert "column 'taxi_boat_share'" in result.output and "row 4" in result.output and str(bad) in result.output


def test_deaths_per_1000_from_independent_sums(loaded, wb19):
    from crossings.analysis.deaths import deaths_by_year, deaths_per_1000, incidents_frame, prefecture_frame
    from crossings.sources import read
    daily = read(wb19).daily
    arrived_2024 = int(daily[daily["date"].dt.year == 2024]["migrants_arrived"].sum())
    with Store(loaded) as s:
        inc, pref = incidents_frame(s), prefecture_frame(s)
        table = deaths_per_1000(inc, s.daily(), pref).set_index("year")
    sea_2024 = int(inc[(inc["date"].dt.year == 2024) & (inc["setting"] == "sea")]["dead_missing"].sum())
    assert table.loc[2024, "people_arrived"] == arrived_2024
    assert table.loc[2024, "dead_missing_sea_per_1000_arrived"] == pytest.approx(1000 * sea_2024 / arrived_2024,
                                                                                 abs=0.005)
    assert table.loc[2024, "dead_missing_sea_per_1000_attempting"] == pytest.approx(1000 * sea_2024 / 45000,
                                                                                    abs=0.005)
    assert pd.isna(table.loc[2016, "people_arrived"])  # before the Home Office series: missing, not zero
    assert pd.isna(table.loc[2023, "dead_missing_sea_per_1000_attempting"])  # no prefecture attempts for 2023
    assert deaths_by_year(inc).set_index("year").loc[2024, "dead_missing_sea"] == sea_2024


def test_area_month_and_deadliest_tables_add_up(loaded, iom_csv):
    from crossings.analysis.deaths import deadliest, deaths_by_area, incidents_by_month, incidents_frame
    raw = pd.read_csv(iom_csv, na_values=["NA"], keep_default_na=False)
    with Store(loaded) as s:
        inc = incidents_frame(s)
    by_area = deaths_by_area(inc)
    assert by_area["incidents"].sum() == len(raw)
    assert by_area["dead_missing"].sum() == raw["No. dead/missing"].sum()
    months = incidents_by_month(inc)
    assert months["incidents"].sum() == len(raw)
    nov21 = raw[raw["Incident date"].str.startswith("2021-11")]
    assert months.set_index("month").loc["2021-11", "incidents"] == len(nov21)
    top = deadliest(inc, 3)
    assert top["dead_missing"].tolist() == sorted(raw["No. dead/missing"], reverse=True)[:3]
    assert top["incident_id"].iloc[0] == raw.loc[raw["No. dead/missing"].idxmax(), "Main ID"]


@pytest.mark.parametrize("group, tables", [
    ("deaths", ["deaths_by_year", "deaths_per_1000", "deaths_by_area"]),
    ("incidents", ["incidents_by_month", "deadliest_incidents"]),
    ("rescues", ["rescues_by_year", "prefecture_figures"]),
])
def test_stats_only_groups_in_every_format_say_the_figures_are_minimum_estimates(loaded, group, tables):
    run = lambda *a: CliRunner().invoke(main, ["stats", "--only", group, *a])  # noqa: E731
    js = run("--format", "json")
    assert js.exit_code == 0, js.output
    data = json.loads(js.output)
    assert list(data) == ["about_deaths", *tables]
    assert "minimum estimates" in data["about_deaths"][0]["note"]
    table = run()
    assert table.exit_code == 0 and "minimum estimates" in table.output
    csv = run("--format", "csv")
    assert csv.exit_code == 0 and "minimum estimates" in csv.output and f"# {tables[0]}" in csv.output


def test_stats_rescues_json_matches_the_raw_survivors(loaded, iom_csv):
    raw = pd.read_csv(iom_csv, na_values=["NA"], keep_default_na=False)
    data = json.loads(CliRunner().invoke(main, ["stats", "--only", "rescues", "--format", "json"]).output)
    rows = {r["year"]: r for r in data["rescues_by_year"]}
    expect = raw.groupby("Incident year")["No. survivors"].sum()
    assert rows[2024]["iom_survivors"] == int(expect[2024])
    assert rows[2024]["prefecture_people_rescued"] == 6310
    assert rows[2020]["prefecture_people_rescued"] is None


def test_stats_only_deaths_without_incidents_says_what_to_do(db_path, wb19):
    with Store(db_path) as s:
        s.ingest(wb19)
    result = CliRunner().invoke(main, ["stats", "--only", "deaths"])
    assert result.exit_code == 1 and "crossings ingest --bundled" in result.output
    assert CliRunner().invoke(main, ["stats", "--only", "key"]).exit_code == 0


def test_single_table_builders_give_the_same_tables(loaded):
    from crossings.analysis.deaths import death_tables, stats_table_builders
    with Store(loaded) as s:
        daily = s.daily()
        whole = death_tables(s, daily)
        builders = stats_table_builders()
        assert [n for n, _, _ in builders] == list(whole)
        for name, title, build in builders:
            assert title
            pd.testing.assert_frame_equal(build(s, daily), whole[name], check_dtype=True)
