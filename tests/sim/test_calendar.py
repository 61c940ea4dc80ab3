"""Calendar anchoring: inputs follow the calendar date, not the scenario's start; yearly inflow levels and their
random walk; the weather chain corrected for crossable days with no arrival."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from crossings.errors import InputError
from crossings.sim.calendar import by_year, calendar, truncate_to
from crossings.sim.model import YEAR_LEVEL, draw, simulate_detail
from crossings.sim.scenario import load_scenario
from crossings.sim.seastate import WeatherGenerator, fit_weather_generator

from test_model import clean  # noqa: E402  (tests/sim is on sys.path)


def _period(sc, start, end):
    return sc.with_values(start=date.fromisoformat(start), end=date.fromisoformat(end))


def test_people_per_boat_follows_the_calendar_not_the_start():
    # 50 people per boat on 1 July 2025, +10 a year, no history: 60 on 1 July 2026, 45 on 1 January 2025
    # (181 days before the reference date: 50 - 10 * 181 / 365.25). Every boat arrives, loading has no noise.
    base = clean(**{"boats.people_per_boat_trend_per_year": 10, "boats.people_per_boat_reference_date": "2025-07-01",
                    "people.inflow_people_per_day": 1000})             # plenty of people: every boat is full
    for start, end, day, expected in (("2026-06-20", "2026-07-10", "2026-07-01", 60.0),
                                      ("2026-07-01", "2026-07-01", "2026-07-01", 60.0),
                                      ("2024-12-25", "2025-01-05", "2025-01-01", 50 - 10 * 181 / 365.25)):
        sc = _period(base, start, end)
        r = simulate_detail(sc, 4000, np.random.SeedSequence(1))
        i = list(sc.dates()).index(pd.Timestamp(day))
        boats, people = r["boats_arrived"][:, i], r["migrants_arrived"][:, i]
        assert boats.sum() > 0
        # people = round(boats x load) for each replicate: the load is recovered within rounding
        assert np.all(np.abs(people - boats * expected) <= 0.5 + 1e-9), (start, day)


def test_people_per_boat_history_is_joined_at_mid_year_and_meets_the_reference_level():
    sc = clean(**{"boats.people_per_boat_history": {2024: 40.0, 2025: 60.0},
                  "boats.people_per_boat_reference_date": "2025-07-01", "boats.people_per_boat_at_reference": 66})
    sc = _period(sc, "2024-07-01", "2025-12-31")
    cal = calendar(sc)
    load = 66 * cal.ppb_history_factor + sc.boats.people_per_boat_trend_per_year.central() * cal.years_after_ppb_reference
    at = {d: load[list(cal.dates).index(pd.Timestamp(d))] for d in ("2024-07-01", "2025-01-01", "2025-07-01")}
    # scaled by 66 / 60: 44 on 1 July 2024, 66 on the reference date, the straight line in between
    assert at["2024-07-01"] == pytest.approx(44.0)
    assert at["2025-07-01"] == pytest.approx(66.0)
    assert at["2025-01-01"] == pytest.approx((40 + 20 * 184 / 365) * 66 / 60)


def test_a_reference_date_between_history_years_meets_the_level_there():
    """The history is scaled so that the line between yearly means meets the reference level on the reference date
    itself, also when that date lies between two years' means (no jump on either side of it)."""
    sc = clean(**{"boats.people_per_boat_history": {2023: 40.0, 2025: 60.0},
                  "boats.people_per_boat_reference_date": "2024-07-01", "boats.people_per_boat_at_reference": 66,
                  "boats.people_per_boat_trend_per_year": 0})
    cal = calendar(_period(sc, "2023-07-01", "2024-12-31"))
    load = 66 * cal.ppb_history_factor
    day = {d: list(cal.dates).index(pd.Timestamp(d)) for d in ("2023-07-01", "2024-06-30", "2024-07-01")}
    at_ref = 40 + 20 * 366 / 731                      # the line from 1 July 2023 to 1 July 2025, on 1 July 2024
    assert load[day["2023-07-01"]] == pytest.approx(40 * 66 / at_ref)
    assert load[day["2024-06-30"]] == pytest.approx((40 + 20 * 365 / 731) * 66 / at_ref)
    assert load[day["2024-07-01"]] == pytest.approx(66.0)


def test_by_year_holds_the_first_and_last_values():
    assert list(by_year({2022: 0.1, 2024: 0.8}, np.array([2019, 2022, 2023, 2024, 2030]), 1.0)) == \
        [0.1, 0.1, 0.1, 0.8, 0.8]
    assert list(by_year({}, np.array([2019, 2030]), 1.0)) == [1.0, 1.0]


def test_inflow_follows_the_month_and_the_year_level():
    # inflow 100 a day at level 1; January factor 0.5 (of a pattern averaging 1), 2024 at level 0.5
    sc = clean(**{"people.inflow_people_per_day": 100, "people.inflow_year_level": {2024: 0.5, 2025: 1.0},
                  "people.inflow_monthly_factor": [0.5] + [11.5 / 11] * 11})
    sc = _period(sc, "2024-01-01", "2025-01-31")
    r = simulate_detail(sc, 300, np.random.SeedSequence(2))
    d = sc.dates()
    jan24 = r["inflow"][:, (d.year == 2024) & (d.month == 1)].mean()
    jan25 = r["inflow"][:, (d.year == 2025) & (d.month == 1)].mean()
    assert jan24 == pytest.approx(100 * 0.5 * 0.5, rel=0.03)
    assert jan25 == pytest.approx(100 * 0.5 * 1.0, rel=0.03)


def test_years_after_the_last_listed_follow_a_random_walk_of_the_stated_sigma():
    sc = _period(load_scenario("status_quo"), "2026-01-01", "2027-12-31")
    n = 20_000
    p = draw(sc, n, np.random.SeedSequence(4))
    l26, l27 = p[f"{YEAR_LEVEL}.2026"], p[f"{YEAR_LEVEL}.2027"]
    last = sc.people.inflow_year_level[2025]
    sigma = sc.people.inflow_year_sigma.central()
    assert np.std(np.log(l26 / last)) == pytest.approx(sigma, rel=0.03)
    assert np.std(np.log(l27 / l26)) == pytest.approx(sigma, rel=0.03)
    assert abs(np.corrcoef(np.log(l26 / last), np.log(l27 / l26))[0, 1]) < 0.03     # independent steps
    # a year's draw does not depend on the period: 2027 simulated alone gets the same levels
    alone = draw(_period(sc, "2027-03-01", "2027-06-30"), n, np.random.SeedSequence(4))
    assert np.array_equal(alone[f"{YEAR_LEVEL}.2027"], l27)
    # listed years are the listed values
    hist = draw(_period(sc, "2023-01-01", "2023-12-31"), 10, np.random.SeedSequence(4))
    assert np.all(hist[f"{YEAR_LEVEL}.2023"] == sc.people.inflow_year_level[2023])


def test_a_projection_spreads_with_the_year_to_year_variation():
    """Arrivals in a projected year spread at least as much as the yearly level (log-sd 0.35), far more than
    the day-to-day noise of a listed year."""
    sq = load_scenario("status_quo")
    n = 400
    listed = simulate_detail(_period(sq, "2025-01-01", "2025-12-31"), n, np.random.SeedSequence(5), detail=False)
    ahead = simulate_detail(_period(sq, "2027-01-01", "2027-12-31"), n, np.random.SeedSequence(5), detail=False)
    sd_listed = np.std(np.log(listed["migrants_arrived"].sum(1)))
    sd_ahead = np.std(np.log(ahead["migrants_arrived"].sum(1)))
    assert sd_ahead > 0.35 and sd_ahead > 2 * sd_listed, (sd_listed, sd_ahead)


def test_truncate_to_drops_what_was_listed_later():
    sc = truncate_to(load_scenario("status_quo"), date(2023, 12, 31))
    assert max(sc.people.inflow_year_level) == 2023
    assert max(sc.boats.people_per_boat_history) == 2023
    sc24 = _period(sc, "2024-01-01", "2024-12-31")
    p = draw(sc24, 5000, np.random.SeedSequence(6))
    assert np.std(np.log(p[f"{YEAR_LEVEL}.2024"] / sc.people.inflow_year_level[2023])) == pytest.approx(0.35, rel=0.05)


def test_moving_the_dates_moves_the_inputs():
    sq = load_scenario("status_quo")
    early, late = calendar(_period(sq, "2019-01-01", "2019-12-31")), calendar(_period(sq, "2025-01-01", "2025-12-31"))
    # taxi-boats did not exist in 2019; people per boat follows the yearly means
    assert (early.taxi_factor == 0).all() and (late.taxi_factor[late.n_warm_up:] == 1).all()
    assert early.ppb_history_factor.mean() * 61.8 == pytest.approx(11.2, rel=0.25)


# --- weather chain: crossable days and crossing days ---------------------------------------------------------

def test_fit_with_thinning_recovers_the_crossable_chain():
    """A known chain, each crossable day kept as a crossing day with chance pi independently: the corrected fit
    recovers the chain (the uncorrected one does not)."""
    rng = np.random.default_rng(0)
    p_cc, p_nc, pi = 0.7, 0.3, 0.8
    n = 200_000
    x = np.empty(n, dtype=bool)
    x[0] = True
    u = rng.random(n)
    for t in range(1, n):
        x[t] = u[t] < (p_cc if x[t - 1] else p_nc)
    y = x & (rng.random(n) < pi)
    daily = pd.DataFrame({"date": pd.date_range("2000-01-01", periods=n), "boats_arrived": y.astype(int)})
    fit = fit_weather_generator(daily, p_arrival_when_crossable=pi)
    assert np.allclose(fit.p_crossable_after_crossable, p_cc, atol=0.03)
    assert np.allclose(fit.p_crossable_after_not, p_nc, atol=0.03)
    assert np.allclose(fit.stationary(), p_nc / (1 - p_cc + p_nc), atol=0.02)
    plain = fit_weather_generator(daily)
    assert np.all(plain.p_crossable_after_crossable < p_cc - 0.1)
    with pytest.raises(InputError):
        fit_weather_generator(daily, p_arrival_when_crossable=0.0)


def test_shipped_chain_gives_the_official_share_of_crossing_days():
    """The shipped chain was fitted so that crossing days (at least one boat arrived) are as frequent as in the
    official series, 2021-2025: 41% of days (731 of 1,796 days, counted from SB_01)."""
    from crossings.config import bundled_workbooks
    from crossings.sources.homeoffice_ods import WorkbookReader
    daily = WorkbookReader().read(bundled_workbooks()[0]).daily
    d = daily.assign(date=pd.to_datetime(daily["date"]))
    d = d[(d["date"] >= "2021-01-01") & d["boats_arrived"].notna()]
    observed = float((d["boats_arrived"].astype(float) >= 1).mean())
    sc = _period(load_scenario("status_quo"), "2021-01-01", "2025-12-18")
    r = simulate_detail(sc, 100, np.random.SeedSequence(7))
    simulated = r["crossing_days"].mean()
    assert simulated == pytest.approx(observed, abs=0.03), (simulated, observed)
    assert r["crossable"].mean() > simulated + 0.02                  # some crossable days see no arrival
    g = WeatherGenerator(np.array(sc.sea_state.generator.p_crossable_after_crossable),
                         np.array(sc.sea_state.generator.p_crossable_after_not))
    assert (g.stationary() > 0).all()


def test_every_listed_year_lands_near_its_official_arrivals_and_people_per_boat():
    """Moved to any year 2018-2024, status_quo's median arrivals and people per boat are within 15% of SB_01's
    (counted from the raw file here): the inputs follow the calendar. An in-sample check of the anchoring (the
    yearly levels come from these figures), not a validation."""
    from crossings.config import bundled_workbooks
    from crossings.sources.homeoffice_ods import WorkbookReader
    daily = WorkbookReader().read(bundled_workbooks()[0]).daily
    d = daily.assign(date=pd.to_datetime(daily["date"]), people=pd.to_numeric(daily["migrants_arrived"]),
                     boats=pd.to_numeric(daily["boats_arrived"]))
    sq = load_scenario("status_quo")
    for year in range(2018, 2025):
        obs = d[d["date"].dt.year == year]
        people, boats = float(obs["people"].sum()), float(obs["boats"].sum())
        r = simulate_detail(_period(sq, f"{year}-01-01", f"{year}-12-31"), 100, np.random.SeedSequence(year),
                            detail=False)
        sim_people = np.median(r["migrants_arrived"].sum(1))
        sim_ppb = r["migrants_arrived"].sum() / r["boats_arrived"].sum()
        assert sim_people == pytest.approx(people, rel=0.15), (year, sim_people, people)
        assert sim_ppb == pytest.approx(people / boats, rel=0.15), (year, sim_ppb, people / boats)
