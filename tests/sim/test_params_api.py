"""The parameter-batch API: every parameter per replicate, totals and daily series, names and identifiability."""
from __future__ import annotations

import numpy as np
import pytest

from crossings.errors import InputError
from crossings.sim.model import (MONTHLY, SERIES, UNIDENTIFIED, YEAR_LEVEL, draw, identifiable, parameter_names,
                                 parameter_sizes, simulate_detail, simulate_params)
from crossings.sim.scenario import load_scenario

from test_model import clean  # noqa: E402  (tests/sim is on sys.path)


def test_parameter_names_cover_priors_monthly_vectors_and_year_levels():
    sc = load_scenario("status_quo")
    sizes = parameter_sizes(sc)
    assert set(sc.priors()) <= set(sizes)
    for k, n in MONTHLY.items():
        assert sizes[k] == n == 12
    assert f"{YEAR_LEVEL}.2024" in sizes and f"{YEAR_LEVEL}.2025" in sizes     # warm-up reaches into 2024
    assert parameter_names(sc) == tuple(sizes)
    assert set(UNIDENTIFIED) <= set(sizes)
    assert not identifiable("doctrine.sea_interception.p_incident")
    assert identifiable("people.inflow_people_per_day") and identifiable("boats.people_per_boat_trend_per_year")


def test_each_replicate_runs_its_own_parameter_set():
    # replicate 0: nobody ever arrives on the coast or waits; replicate 1: 100 people a day; replicate 2: 200
    sc = clean(**{"people.inflow_people_per_day": 100, "people.departure_fraction": 0.5})
    inflow = np.array([0.0, 100.0, 200.0])
    out = simulate_params(sc, {"people.inflow_people_per_day": inflow, "people.initial_people_waiting": 0},
                          np.random.SeedSequence(1), daily=["inflow", "migrants_arrived"])
    assert set(SERIES) <= set(out)
    assert out["inflow"][0] == 0 and out["migrants_arrived"][0] == 0
    days = sc.n_days
    assert out["inflow"][1] / days == pytest.approx(100, rel=0.05)
    assert out["inflow"][2] / days == pytest.approx(200, rel=0.05)
    assert out["migrants_arrived_daily"].shape == (3, days)
    assert np.array_equal(out["migrants_arrived_daily"].sum(1), out["migrants_arrived"])


def test_monthly_vectors_per_replicate():
    # replicate 0: every crossable day; replicate 1: never
    sc = load_scenario("status_quo")
    ones, zeros = np.ones(12), np.zeros(12)
    out = simulate_params(sc, {"sea_state.generator.p_crossable_after_crossable": np.stack([ones, zeros]),
                               "sea_state.generator.p_crossable_after_not": np.stack([ones, zeros])},
                          np.random.SeedSequence(2))
    assert out["crossable"][0] == sc.n_days and out["crossable"][1] == 0
    assert out["launches"][1] == 0 and out["launches"][0] > 0


def test_totals_equal_the_sums_of_the_daily_series_and_simulate_detail():
    sc = load_scenario("sea_interception")
    seed = np.random.SeedSequence(3)
    p = {"people.inflow_people_per_day": np.linspace(80, 200, 16)}
    out = simulate_params(sc, p, seed, daily=True)
    det = simulate_detail(sc, 16, seed, params=p)
    for k in det:
        assert np.array_equal(out[f"{k}_daily"], det[k]), k
        if k != "people_waiting":
            assert np.array_equal(out[k], det[k].sum(1)), k
    assert np.array_equal(out["crossing_days"], (det["boats_arrived"] > 0).sum(1))


def test_a_parameter_batch_equals_the_same_parameters_run_one_by_one_in_distribution():
    """One call with 2 parameter sets x 2,000 replicates: each half behaves as its own parameter set (the
    departure share moves the launches as the hand-computed rate says)."""
    sc = clean()
    dep = np.repeat([0.05, 0.1], 2000)
    out = simulate_params(sc, {"people.departure_fraction": dep}, np.random.SeedSequence(4), daily=["launches"])
    first_day = out["launches_daily"][:, 0]
    assert first_day[:2000].mean() == pytest.approx(1.0, abs=0.07)       # 0.05 * 1000 / 50
    assert first_day[2000:].mean() == pytest.approx(2.0, abs=0.09)


def test_bad_parameters_are_one_line_errors():
    sc = load_scenario("status_quo")
    with pytest.raises(InputError, match="unknown parameter 'people.nope'; known: "):
        simulate_params(sc, {"people.nope": [1.0]}, np.random.SeedSequence(0))
    with pytest.raises(InputError, match="do not fit 3 replicates"):
        simulate_params(sc, {"people.inflow_people_per_day": [1.0, 2.0, 3.0], "boats.loading_sigma": [0.1, 0.2]},
                        np.random.SeedSequence(0))
    with pytest.raises(InputError, match="give replicates"):
        simulate_params(sc, {}, np.random.SeedSequence(0))
    with pytest.raises(InputError, match="unknown daily series"):
        simulate_params(sc, {}, np.random.SeedSequence(0), replicates=2, daily=["arrivals"])


def test_doctrine_parameters_do_not_change_the_shared_draws():
    """Common random numbers in a batch: changing an unidentified parameter leaves weather and inflow alone."""
    sc = load_scenario("status_quo")
    seed = np.random.SeedSequence(5)
    a = simulate_params(sc, {"doctrine.sea_interception.p_success": np.zeros(50)}, seed, daily=["crossable", "inflow"])
    b = simulate_params(sc, {"doctrine.sea_interception.p_success": np.ones(50)}, seed, daily=["crossable", "inflow"])
    assert np.array_equal(a["crossable_daily"], b["crossable_daily"])
    assert np.array_equal(a["inflow_daily"], b["inflow_daily"])
    assert b["migrants_prevented"].sum() > a["migrants_prevented"].sum()
    pa, pb = draw(sc, 50, seed), draw(sc, 50, seed, {"doctrine.sea_interception.p_success": np.ones(50)})
    for k in pa:
        if k != "doctrine.sea_interception.p_success":
            assert np.array_equal(pa[k], pb[k]), k
