"""The daily kernel: conservation, hand-computed cases, direction, common random numbers, reproducibility."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import yaml
from scipy import stats

from crossings.sim.counts import poisson_inv
from crossings.sim.model import OUTCOMES, STATES, simulate_block, simulate_detail
from crossings.sim.scenario import load_scenario, scenario_from_dict, shipped_scenarios
from crossings.sim.seastate import aa_canal_night_hours

JUNE = (date(2025, 6, 1), date(2025, 6, 30))


def _data(name="status_quo") -> dict:
    return yaml.safe_load(shipped_scenarios()[name].read_text())


def clean(**changes):
    """A June 2025 scenario with every source of randomness but the launch count switched off.

    Always crossable; 1,000 people waiting, nobody arrives or leaves; 50 people per boat exactly; 10% of the
    waiting try on each day, so boats attempting on day 1 are Poisson(0.1 * 1000 / 50 = 2); no taxi-boats, no
    prevention, no incident, everyone prevented or rescued comes back. ``changes``: dotted name -> value.
    """
    d = _data()
    d["start"], d["end"] = JUNE
    d["warm_up_days"] = 0
    d["sea_state"]["generator"] = {"p_crossable_after_crossable": [1.0] * 12, "p_crossable_after_not": [1.0] * 12}
    d["sea_state"]["launch_intensity_sigma"] = 0
    d["people"].update(initial_people_waiting=1000, inflow_people_per_day=0, attrition_per_day=0,
                       departure_fraction=0.1, return_after_prevention=1, inflow_year_level={},
                       inflow_monthly_factor=[1.0] * 12)
    d["boats"].update(people_per_boat_at_reference=50, people_per_boat_trend_per_year=0, loading_sigma=0,
                      max_boats_per_day=100, taxi_boat_share=0, aa_canal_share_of_taxi_boats=0,
                      people_per_boat_history={}, taxi_boat_share_year_factor={})
    d["doctrine"].update(beach_prevention={"p_success": 0},
                         sea_interception={"p_detect": 0, "p_success": 0, "p_incident": 0},
                         uk_interception={"p_uncontrolled_landing": 0})
    d["hazard"].update(p_incident_at_reference=0, reference_people_per_boat=50, overload_exponent=0,
                       roughness_log_multiplier=0, p_fatal_given_incident=0, deaths_per_fatal_incident=1)
    d["adaptation"].update(displacement_to_taxi=0, deterrence_per_sea_interception=0)
    for key, value in changes.items():
        node = d
        *path, last = key.split(".")
        for p in path:
            node = node[p]
        assert last in node, key
        node[last] = value
    return scenario_from_dict(d, label="clean")


SEED = np.random.SeedSequence(20250101)


# --- shape and reproducibility --------------------------------------------------------------------------------

def test_block_returns_every_outcome_and_state_as_int64_replicates_by_days():
    sc = clean()
    out = simulate_block(sc, 7, SEED)
    assert set(out) == set(OUTCOMES) | set(STATES)
    for k, v in out.items():
        assert v.dtype == np.int64 and v.shape == (7, sc.n_days), k
        assert (v >= 0).all(), k


def test_same_seed_same_numbers_and_the_seed_is_not_consumed():
    sc = load_scenario("status_quo")
    seed = np.random.SeedSequence(5)
    a = simulate_block(sc, 40, seed)
    b = simulate_block(sc, 40, seed)                                     # same object again
    c = simulate_block(sc, 40, np.random.SeedSequence(5))
    d = simulate_block(sc, 40, np.random.SeedSequence(6))
    for k in a:
        assert np.array_equal(a[k], b[k]) and np.array_equal(a[k], c[k]), k
    assert not np.array_equal(a["migrants_arrived"], d["migrants_arrived"])


@pytest.mark.parametrize("name", ["status_quo", "sea_interception"])
def test_numbers_do_not_depend_on_how_many_days_are_drawn_at_once(monkeypatch, name):
    from crossings.sim import model
    sc = load_scenario(name)
    ref = simulate_detail(sc, 60, SEED)
    for cells in (1, 60 * 5, 60 * 400):                                # 1, 5 and every day at once
        monkeypatch.setattr(model, "CHUNK_CELLS", cells)
        got = simulate_detail(sc, 60, SEED)
        for k in ref:
            assert np.array_equal(ref[k], got[k]), (cells, k)


def test_spawned_child_seeds_give_independent_blocks():
    sc = load_scenario("status_quo")
    c0, c1 = np.random.SeedSequence(9).spawn(2)
    a = simulate_block(sc, 30, c0)["migrants_arrived"].sum(1)
    b = simulate_block(sc, 30, c1)["migrants_arrived"].sum(1)
    assert not np.array_equal(a, b)


# --- conservation ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["status_quo", "sea_interception", "enhanced_beach", "no_intervention"])
def test_everyone_is_accounted_for_every_replicate_day(name):
    sc = load_scenario(name).with_values(warm_up_days=0)
    r = simulate_detail(sc, 200, np.random.SeedSequence(3))
    # people who left the coast: arrived, prevented at sea (towed back), rescued, or dead
    assert np.array_equal(r["people_launched"],
                          r["migrants_arrived"] + r["migrants_prevented_sea"] + r["migrants_rescued"] + r["deaths"])
    # people who tried: launched, or stopped on the beach
    assert np.array_equal(r["people_attempting"], r["people_launched"] + r["migrants_prevented_beach"])
    assert np.array_equal(r["migrants_prevented"], r["migrants_prevented_beach"] + r["migrants_prevented_sea"])
    # boats: attempting = launched + stopped on the beach; launched = arrived + incidents + towed back intact
    assert np.array_equal(r["boats_attempting"], r["launches"] + r["boats_prevented_beach"])
    assert np.array_equal(r["launches"], r["boats_arrived"] + r["incidents"]
                          + r["boats_intercepted_sea"] - r["intercept_incidents"])
    assert (r["uncontrolled_landings"] <= r["boats_arrived"]).all()
    # the coast: yesterday + inflow - attrition - attempting + returned
    w0 = np.round(_drawn(sc, 200, np.random.SeedSequence(3))["people.initial_people_waiting"]).astype(np.int64)
    prev = np.column_stack([w0, r["people_waiting"][:, :-1]])
    assert np.array_equal(r["people_waiting"], prev + r["inflow"] - r["attrition"] - r["people_attempting"]
                          + r["people_returned"])
    assert (r["people_returned"] <= r["migrants_prevented"] + r["migrants_rescued"]).all()
    for k, v in r.items():
        assert (v >= 0).all(), k


def _drawn(sc, n, seed):
    from crossings.sim.model import draw
    return draw(sc, n, seed)


# --- hand-computed cases --------------------------------------------------------------------------------------

def test_launches_on_day_one_are_poisson_of_the_hand_computed_rate():
    r = simulate_detail(clean(), 20_000, SEED)
    a0 = r["launches"][:, 0]
    assert a0.mean() == pytest.approx(2.0, abs=0.05)                  # 0.1 * 1000 / 50
    assert a0.var() == pytest.approx(2.0, abs=0.1)                    # Poisson: variance = mean
    # nothing random left downstream: every boat carries 50 people and arrives
    assert np.array_equal(r["migrants_arrived"][:, 0], 50 * a0)
    assert np.array_equal(r["boats_arrived"], r["launches"])
    assert np.array_equal(r["people_waiting"][:, 0], 1000 - 50 * a0)
    assert r["migrants_prevented"].sum() == r["incidents"].sum() == r["deaths"].sum() == 0


def test_boat_supply_caps_the_rate():
    r = simulate_block(clean(**{"boats.max_boats_per_day": 1.5}), 20_000, SEED)
    assert r["launches"][:, 0].mean() == pytest.approx(1.5, abs=0.04)


def test_deterrence_lowers_the_rate_by_the_interception_probability():
    # p_int = 1 * 0.5; departures x (1 - 0.5 * 0.5) = 0.75: rate 1.5 boats
    sc = clean(**{"doctrine.sea_interception.p_detect": 1, "doctrine.sea_interception.p_success": 0.5,
                  "adaptation.deterrence_per_sea_interception": 0.5})
    r = simulate_detail(sc, 20_000, SEED)
    assert r["boats_attempting"][:, 0].mean() == pytest.approx(1.5, abs=0.04)


def test_everyone_stopped_on_the_beach_comes_back():
    r = simulate_detail(clean(**{"doctrine.beach_prevention.p_success": 1}), 500, SEED)
    assert r["launches"].sum() == 0 and r["migrants_arrived"].sum() == 0
    assert np.array_equal(r["migrants_prevented"], 50 * r["boats_prevented_beach"])
    assert (r["people_waiting"] == 1000).all()                        # all return, nobody arrives or leaves
    assert r["boats_prevented_beach"].mean() == pytest.approx(2.0, abs=0.05)   # rate unchanged day after day


def test_every_boat_in_distress_one_death_each_the_rest_rescued():
    sc = clean(**{"hazard.p_incident_at_reference": 1, "hazard.p_fatal_given_incident": 1})
    r = simulate_block(sc, 300, SEED)
    assert r["launches"].sum() > 0
    assert np.array_equal(r["incidents"], r["launches"])
    assert np.array_equal(r["deaths"], r["incidents"])               # deaths_per_fatal_incident = 1
    assert np.array_equal(r["migrants_rescued"], 49 * r["incidents"])
    assert r["migrants_arrived"].sum() == 0


def test_incident_probability_scales_with_overloading():
    # 100 people per boat against a reference of 50, exponent 2: 0.2 * (100/50)**2 = 0.8
    sc = clean(**{"boats.people_per_boat_at_reference": 100, "hazard.p_incident_at_reference": 0.2,
                  "hazard.overload_exponent": 2})
    r = simulate_block(sc, 5000, SEED)
    assert r["incidents"].sum() / r["launches"].sum() == pytest.approx(0.8, abs=0.01)


def test_deaths_per_fatal_incident_is_one_plus_poisson():
    sc = clean(**{"hazard.p_incident_at_reference": 1, "hazard.p_fatal_given_incident": 1,
                  "hazard.deaths_per_fatal_incident": 3})
    r = simulate_block(sc, 3000, SEED)
    assert r["deaths"].sum() / r["incidents"].sum() == pytest.approx(3.0, abs=0.05)


def test_uk_interception_share():
    r = simulate_block(clean(**{"doctrine.uk_interception.p_uncontrolled_landing": 0.25}), 3000, SEED)
    assert r["uncontrolled_landings"].sum() / r["boats_arrived"].sum() == pytest.approx(0.25, abs=0.01)


def test_aa_canal_taxi_boats_leave_only_in_the_tide_window():
    # all boats are taxi-boats from the Aa canal; all of them can leave when the night window is 8 h open
    sc = clean(**{"boats.taxi_boat_share": 1, "boats.aa_canal_share_of_taxi_boats": 1,
                  "boats.aa_canal_full_capacity_hours": 8})
    hours = aa_canal_night_hours(*JUNE, 1.0, 3.0)
    open_share = min(1.0, hours[0] / 8)
    assert 0.2 < open_share < 0.9                                     # a real limit on that day
    r = simulate_detail(sc, 20_000, SEED)
    assert r["launches"][:, 0].mean() == pytest.approx(2.0 * open_share, abs=0.05)
    assert r["boats_held_by_tide"][:, 0].mean() == pytest.approx(2.0 * (1 - open_share), abs=0.05)
    # a canal that never opens long enough: nobody leaves, everybody stays on the coast
    shut = clean(**{"boats.taxi_boat_share": 1, "boats.aa_canal_share_of_taxi_boats": 1,
                    "boats.aa_canal_full_capacity_hours": 1e12})
    r = simulate_detail(shut, 300, SEED)
    assert r["launches"].sum() == 0 and (r["people_waiting"] == 1000).all()


def test_no_crossable_day_nobody_arrives():
    sc = load_scenario("status_quo").with_values(**{
        "warm_up_days": 0, "sea_state.generator.p_crossable_after_crossable": [0.0] * 12,
        "sea_state.generator.p_crossable_after_not": [0.0] * 12})
    r = simulate_detail(sc, 100, SEED)
    for k in ("launches", "boats_arrived", "migrants_arrived", "migrants_prevented", "deaths", "incidents"):
        assert r[k].sum() == 0, k
    w0 = np.round(_drawn(sc, 100, SEED)["people.initial_people_waiting"]).astype(np.int64)
    assert np.array_equal(r["people_waiting"], w0[:, None] + np.cumsum(r["inflow"] - r["attrition"], axis=1))


def test_interventions_off_nothing_prevented():
    r = simulate_detail(load_scenario("no_intervention"), 300, SEED)
    assert r["launches"].sum() > 0
    assert r["migrants_prevented"].sum() == 0
    assert r["boats_prevented_beach"].sum() == r["boats_intercepted_sea"].sum() == 0


# --- direction and common random numbers ----------------------------------------------------------------------

def test_more_sea_interception_never_raises_arrivals_in_expectation():
    base = load_scenario("status_quo").with_values(**{"doctrine.sea_interception.p_detect": 0.8})
    means = []
    for p in (0.0, 0.25, 0.5, 0.75, 1.0):
        sc = base.with_values(**{"doctrine.sea_interception.p_success": p})
        means.append(simulate_block(sc, 400, SEED)["migrants_arrived"].sum(1).mean())
    assert all(b <= a for a, b in zip(means, means[1:])), means
    assert means[-1] < 0.97 * means[0]                                # and the effect is not nil


def test_common_random_numbers_sharpen_a_doctrine_comparison():
    a = load_scenario("status_quo")
    b = load_scenario("sea_interception")
    n = 400
    base = simulate_block(a, n, np.random.SeedSequence(1))["migrants_arrived"].sum(1)
    paired = simulate_block(b, n, np.random.SeedSequence(1))["migrants_arrived"].sum(1) - base
    independent = simulate_block(b, n, np.random.SeedSequence(2))["migrants_arrived"].sum(1) - base
    ratio = paired.std() / independent.std()
    assert ratio < 0.3, ratio


def test_runs_differing_only_in_doctrine_share_weather_and_inflow():
    ra = simulate_detail(load_scenario("status_quo"), 50, SEED)
    rb = simulate_detail(load_scenario("no_intervention"), 50, SEED)
    assert np.array_equal(ra["crossable"], rb["crossable"])
    assert np.array_equal(ra["inflow"], rb["inflow"])


# --- inverse-CDF counts ---------------------------------------------------------------------------------------

def test_poisson_inverse_cdf_is_exact_and_monotone():
    rng = np.random.default_rng(0)
    lam = np.concatenate([[0.0, 1e-9], rng.uniform(0, 3, 4000), rng.uniform(3, 80, 4000), rng.uniform(80, 5000, 500)])
    u = rng.random(lam.size)
    assert np.array_equal(poisson_inv(u, lam), stats.poisson.ppf(u, lam).astype(np.int64))
    grid = np.linspace(0, 40, 400)
    for uu in (0.01, 0.5, 0.999):
        k = poisson_inv(np.full(grid.size, uu), grid)
        assert (np.diff(k) >= 0).all()


# --- the kernel's counter-based random inputs ------------------------------------------------------------------

def test_normal_quantile_matches_scipy_in_the_body_and_the_tails():
    from crossings.sim.counts import normal_quantile
    p = np.concatenate([np.geomspace(1e-15, 0.02425, 300), np.linspace(0.02, 0.98, 2001),
                        1 - np.geomspace(1e-12, 0.02425, 300)])
    ref = stats.norm.ppf(p)
    assert np.max(np.abs(normal_quantile(p) - ref) / np.maximum(np.abs(ref), 1.0)) < 2e-9
    assert (np.diff(normal_quantile(np.sort(p))) >= 0).all()                 # monotone: common random numbers


def test_kernel_uniforms_are_uniform_and_independent_across_inputs_days_and_replicates():
    from crossings.sim.counts import kernel_uniforms
    from crossings.sim.kernel import N_RAND
    r, t, k = np.meshgrid(np.arange(200), np.arange(100), np.arange(N_RAND), indexing="ij")
    u = kernel_uniforms(np.random.SeedSequence(4), r, t, k)                  # (200, 100, 16)
    assert ((u > 0) & (u < 1)).all()
    assert stats.kstest(u.ravel(), "uniform").pvalue > 1e-3
    # neighbours along every axis are uncorrelated (sd of a correlation of n uniforms ~ 1/sqrt(n))
    for a, b in ((u[:-1], u[1:]), (u[:, :-1], u[:, 1:]), (u[..., :-1], u[..., 1:])):
        assert abs(np.corrcoef(a.ravel(), b.ravel())[0, 1]) < 5 / np.sqrt(a.size)
    # pairs of neighbours fill the unit square evenly (chi-square on a 10 x 10 grid)
    cells = np.floor(u[:, :-1] * 10).astype(int) * 10 + np.floor(u[:, 1:] * 10).astype(int)
    assert stats.chisquare(np.bincount(cells.ravel(), minlength=100)).pvalue > 1e-3
    # another seed, other numbers; the same seed, the same numbers
    v = kernel_uniforms(np.random.SeedSequence(5), r, t, k)
    assert abs(np.corrcoef(u.ravel(), v.ravel())[0, 1]) < 5 / np.sqrt(u.size)
    assert np.array_equal(u, kernel_uniforms(np.random.SeedSequence(4), r, t, k))


# --- the 2025 check against what was observed -----------------------------------------------------------------

def test_status_quo_2025_lands_near_the_observed_figures():
    """Observed totals (official SB_01/SB_02, prefecture, IOM; read from the files, not from this code) fall inside
    the ensemble's 90% interval, and the medians of the calibrated totals are within 15% of them."""
    from crossings.sim.validation import check_against_observed
    df = check_against_observed("status_quo", replicates=1000, seed=3, block_size=500).set_index("observable")
    assert {"people arrived", "boats arrived", "people prevented", "people who set off", "people rescued",
            "deaths (dead + missing)"} <= set(df.index)
    assert df.loc["people arrived", "observed"] == 40652 and df.loc["boats arrived", "observed"] == 658
    assert df.loc["deaths (dead + missing)", "observed"] == 27
    for name, row in df.iterrows():
        assert row["q05"] <= row["observed"] <= row["q95"], (name, row.to_dict())
    for name in ("people arrived", "boats arrived", "people prevented", "people who set off", "boats that set off"):
        assert abs(df.loc[name, "median"] / df.loc[name, "observed"] - 1) < 0.15, name


# --- conservation for any valid parameters (edges included) ---------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_prob = st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p_beach=_prob, p_detect=_prob, p_sea=_prob, p_int_inc=_prob, p_inc=_prob, p_fatal=_prob, taxi=_prob,
       aa=_prob, ret=_prob, attr=_prob, dep=_prob, ppb=st.floats(1, 120), w0=st.integers(0, 3000),
       inflow=st.floats(0, 400), supply=st.floats(0, 60), dpf=st.floats(1, 10), overload=st.floats(0, 4))
def test_conservation_holds_for_any_valid_parameters(p_beach, p_detect, p_sea, p_int_inc, p_inc, p_fatal, taxi, aa,
                                                     ret, attr, dep, ppb, w0, inflow, supply, dpf, overload):
    sc = clean(**{"doctrine.beach_prevention.p_success": p_beach, "doctrine.sea_interception.p_detect": p_detect,
                  "doctrine.sea_interception.p_success": p_sea, "doctrine.sea_interception.p_incident": p_int_inc,
                  "hazard.p_incident_at_reference": p_inc, "hazard.p_fatal_given_incident": p_fatal,
                  "hazard.deaths_per_fatal_incident": dpf, "hazard.overload_exponent": overload,
                  "boats.taxi_boat_share": taxi, "boats.aa_canal_share_of_taxi_boats": aa,
                  "boats.people_per_boat_at_reference": ppb, "boats.max_boats_per_day": supply,
                  "people.return_after_prevention": ret, "people.attrition_per_day": attr,
                  "people.departure_fraction": dep, "people.initial_people_waiting": w0,
                  "people.inflow_people_per_day": inflow, "sea_state.launch_intensity_sigma": 0.7,
                  "boats.loading_sigma": 0.3, "adaptation.displacement_to_taxi": 0.5,
                  "adaptation.deterrence_per_sea_interception": 0.5})
    r = simulate_detail(sc, 20, np.random.SeedSequence(0))
    assert np.array_equal(r["people_launched"],
                          r["migrants_arrived"] + r["migrants_prevented_sea"] + r["migrants_rescued"] + r["deaths"])
    assert np.array_equal(r["people_attempting"], r["people_launched"] + r["migrants_prevented_beach"])
    assert np.array_equal(r["launches"], r["boats_arrived"] + r["incidents"]
                          + r["boats_intercepted_sea"] - r["intercept_incidents"])
    prev = np.column_stack([np.full(20, w0), r["people_waiting"][:, :-1]])
    assert np.array_equal(r["people_waiting"], prev + r["inflow"] - r["attrition"] - r["people_attempting"]
                          + r["people_returned"])
    assert (r["people_launched"] >= r["launches"]).all()           # nobody launches an empty boat
    for k, v in r.items():
        assert (v >= 0).all(), k
