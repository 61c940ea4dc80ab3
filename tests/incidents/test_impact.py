"""``events impact`` on constructed series: a known jump after the event is detected; no jump stays inside."""
from __future__ import annotations

import hashlib
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.events import Event, Kind
from crossings.events.impact import CAVEAT, event_impact
from crossings.sources.base import DAILY_COLUMNS, ParsedRelease
from crossings.store import Store, add_release

EVENT_DAY = date(2023, 6, 5)  # a Monday
START, END = pd.Timestamp("2020-06-01"), pd.Timestamp("2023-09-30")


def _series(jump: float, seed: int = 3) -> pd.DataFrame:
    """Crossing days with probability 0.45 (seasonal), 1 + NB(mean 8) boats, 45 people each; from the event day on
    every crossing day has ``jump`` times the boats."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(START, END, freq="D")
    p = 0.45 + 0.2 * np.sin(2 * np.pi * (days.day_of_year - 100) / 365.25)
    cross = rng.random(len(days)) < p
    boats = np.where(cross, 1 + rng.negative_binomial(2, 2 / (2 + 8), len(days)), 0)
    boats = np.where(days >= pd.Timestamp(EVENT_DAY), np.round(boats * jump), boats).astype(int)
    return pd.DataFrame({"date": days, "migrants_arrived": pd.array(boats * 45, dtype="Int64"),
                         "boats_arrived": pd.array(boats, dtype="Int64"),
                         "uncontrolled_landings": pd.array([pd.NA] * len(days), dtype="Int64"), "note": ""})


def _store(db_path, jump: float) -> Store:
    """Two vintages: one published the day before the event (data to two days before), one after the weeks."""
    daily = _series(jump)
    store = Store(db_path)
    for published, upto in ((date(2023, 6, 4), pd.Timestamp("2023-06-03")), (date(2023, 9, 30), END)):
        part = daily[daily["date"] <= upto][DAILY_COLUMNS].reset_index(drop=True)
        sha = hashlib.sha256(f"{jump}-{published}".encode()).hexdigest()
        add_release(store.con, ParsedRelease("workbook", published, f"synthetic {published}", sha, part))
    return store


EVENT = Event(id="test-event", date=EVENT_DAY, title="Constructed event", kind=Kind.POLICY,
              description="A test event.", sources=("https://example.org/event",))


def test_a_known_jump_after_the_event_is_detected(db_path):
    with _store(db_path, jump=4.0) as store:
        res = event_impact(store, EVENT, weeks=8, n_paths=800)
    assert res.forecast_as_of == date(2023, 6, 4)
    assert "no release published before" not in res.forecast_note  # the vintage before the event was used
    assert res.verdict.startswith("more arrivals than forecast")
    assert (res.weekly["position"] == "above").sum() >= 4
    assert res.observed_total > 2 * res.forecast_median_total
    # earlier years' same weeks are sums of the constructed series itself
    daily = _series(4.0)
    row = res.earlier_years.set_index("year").loc[2022]
    expect = daily[(daily["date"] >= pd.Timestamp(row["start"])) & (daily["date"] <= pd.Timestamp(row["end"]))]
    assert row["people"] == int(expect["migrants_arrived"].sum())


def test_no_jump_reports_the_observation_inside_the_interval(db_path):
    with _store(db_path, jump=1.0) as store:
        res = event_impact(store, EVENT, weeks=8, n_paths=800)
    assert res.verdict.startswith("within the forecast")
    assert (res.weekly["position"] == "inside").sum() >= 6
    week1 = res.weekly.iloc[0]
    daily = _series(1.0)
    end = pd.Timestamp(week1["week_ending"])
    assert week1["observed"] == int(daily[(daily["date"] > end - pd.Timedelta(days=7))
                                          & (daily["date"] <= end)]["migrants_arrived"].sum())


def test_impact_cli_says_it_is_a_comparison_not_a_causal_estimate(db_path, tmp_path):
    _store(db_path, jump=4.0).close()
    f = tmp_path / "ev.yaml"
    f.write_text("events:\n  - id: test-event\n    date: 2023-06-05\n    title: Constructed event\n"
                 "    kind: policy\n    description: A test event.\n    sources: [https://example.org/event]\n",
                 encoding="utf-8")
    out = CliRunner().invoke(main, ["events", "impact", "test-event", "--events", str(f), "--weeks", "4",
                                    "--paths", "400"])
    assert out.exit_code == 0, out.output
    assert "not a causal estimate" in out.output and "more arrivals than forecast" in out.output
    js = CliRunner().invoke(main, ["events", "impact", "test-event", "--events", str(f), "--weeks", "4",
                                   "--paths", "400", "--format", "json"])
    data = json.loads(js.output)
    assert data["caveat"] == CAVEAT and len(data["weekly"]) == 4
    missing = CliRunner().invoke(main, ["events", "impact", "no-such-event"])
    assert missing.exit_code == 1 and "no event with id 'no-such-event'" in missing.output


def test_an_event_before_the_series_is_a_one_line_error(db_path, wb19):
    with Store(db_path) as s:
        s.ingest(wb19)
    out = CliRunner().invoke(main, ["events", "impact", "sandhurst-treaty"])
    assert out.exit_code == 1 and len(out.output.strip().splitlines()) == 1
    assert "days of arrivals before 2018-01-18" in out.output and "too few to forecast" in out.output
    empty = CliRunner().invoke(main, ["events", "impact", "sandhurst-treaty", "--db", str(db_path.parent / "e.db")])
    assert empty.exit_code == 1 and "crossings ingest --bundled" in empty.output


@pytest.mark.parametrize("day", [date(2023, 6, 4), date(2023, 6, 5), date(2023, 6, 7)])  # Sunday, Monday, Wednesday
def test_the_weeks_start_with_the_one_holding_the_event_day(db_path, day):
    ev = EVENT.model_copy(update={"date": day})
    with _store(db_path, jump=1.0) as store:
        res = event_impact(store, ev, weeks=3, n_paths=200)
    ends = [pd.Timestamp(d) for d in res.weekly["week_ending"]]
    assert len(ends) == 3 and ends[0] >= pd.Timestamp(day) > ends[0] - pd.Timedelta(days=7)
    assert all(e.day_of_week == 6 for e in ends)


def test_total_summary_against_hand_worked_paths():
    from crossings.events.impact import total_summary
    # five paths over two weeks: totals 3, 7, 7, 11, 20
    samples = np.array([[1, 2], [3, 4], [4, 3], [5, 6], [10, 10]])
    med, lo, hi, pct = total_summary(samples, 7)
    assert med == 7.0
    # numpy's default (linear) quantiles of [3, 7, 7, 11, 20]: 5% at position 0.2 -> 3 + 0.2 * 4; 95% at 3.8
    assert lo == pytest.approx(3.8) and hi == pytest.approx(11 + 0.8 * 9)
    assert pct == pytest.approx(100 * (1 / 5 + 0.5 * 2 / 5))  # one path below, two ties
    assert total_summary(samples, None)[3] is None
    assert total_summary(samples, 100)[3] == 100.0 and total_summary(samples, 0)[3] == 0.0


def test_the_total_is_judged_against_the_interval_of_summed_paths(db_path):
    with _store(db_path, jump=4.0) as store:
        jump = event_impact(store, EVENT, weeks=8, n_paths=800)
    with _store(db_path.parent / "flat.duckdb", jump=1.0) as store:
        flat = event_impact(store, EVENT, weeks=8, n_paths=800)
    daily = _series(4.0)
    first_end = pd.Timestamp(jump.weekly["week_ending"].iloc[0])
    last_end = pd.Timestamp(jump.weekly["week_ending"].iloc[-1])
    window = daily[(daily["date"] > first_end - pd.Timedelta(days=7)) & (daily["date"] <= last_end)]
    assert jump.observed_total == int(window["migrants_arrived"].sum())  # recomputed from the constructed series
    assert jump.observed_total > jump.forecast_total_high_90 and jump.observed_total_percentile > 95
    assert "weeks' total" in jump.verdict and jump.verdict.startswith("more arrivals than forecast")
    assert flat.forecast_total_low_90 <= flat.observed_total <= flat.forecast_total_high_90
    assert 5 <= flat.observed_total_percentile <= 95
    # the total's interval is that of a sum of correlated weeks: wider than any one week's, narrower than the sum
    # of the weekly intervals' widths (weeks are not perfectly dependent)
    w = flat.weekly
    width = flat.forecast_total_high_90 - flat.forecast_total_low_90
    assert width > (w["forecast_high_90"] - w["forecast_low_90"]).max()
    assert width < (w["forecast_high_90"] - w["forecast_low_90"]).sum()
