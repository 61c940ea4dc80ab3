"""The posterior file: round trip, provenance, errors, and how a run draws from it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from crossings.errors import InputError
from crossings.sim.posterior import FORMAT, Posterior, load_posterior
from crossings.sim.scenario import load_scenario


def _post(n=2000):
    rng = np.random.default_rng(0)
    return Posterior(
        samples={"people.departure_fraction": rng.uniform(0.2, 0.3, n),
                 "boats.people_per_boat_at_reference": np.full(n, 50.0),
                 "boats.people_per_boat_trend_per_year": np.full(n, 4.0),
                 "inflow_level_2023": np.full(n, 80.0), "inflow_level_2024": np.full(n, 100.0)},
        plug_in={"people.inflow_monthly_factor": [1.0] * 12}, year_log_sd=0.4,
        provenance={"window": ["2023-01-01", "2024-12-31"], "vintage": ["2025-12-19"], "seed": 3})


def test_round_trip(tmp_path):
    p = _post()
    p.save(tmp_path / "p.json")
    q = load_posterior(tmp_path / "p.json")
    assert q.provenance["vintage"] == ["2025-12-19"]
    assert q.years == [2023, 2024]
    np.testing.assert_allclose(q.samples["people.departure_fraction"], p.samples["people.departure_fraction"],
                               rtol=1e-5)


def test_draw_follows_the_calendar():
    p = _post()
    sc = load_scenario("status_quo")                 # 2025: one year after the window
    d = p.draw(sc, 20_000, np.random.SeedSequence(1))
    # people per boat at the scenario's reference date (2025-07-01): 50 + 4 x 2.5 years
    years = (sc.boats.people_per_boat_reference_date - p.window[0]).days / 365.25
    np.testing.assert_allclose(d["boats.people_per_boat_at_reference"], 50 + 4 * years)
    # the warm-up days of December 2024 take the window's 2024 level: the per-day level, factor 1
    assert (d["people.inflow_people_per_day"] == 100.0).all()
    assert (d["people.inflow_year_level.2024"] == 1.0).all()
    # inflow one year ahead: 100 x lognormal(0, 0.4)
    lv = np.log(d["people.inflow_year_level.2025"])
    assert abs(lv.mean()) < 0.02 and abs(lv.std() - 0.4) < 0.02
    sc27 = sc.with_values(start="2027-01-01", end="2027-12-31")
    d27 = p.draw(sc27, 20_000, np.random.SeedSequence(1))
    lv27 = np.log(d27["people.inflow_people_per_day"] * d27["people.inflow_year_level.2027"] / 100.0)  # 3 years
    assert abs(lv27.std() - 0.4 * np.sqrt(3)) < 0.03


def test_doctrine_levers_stay_with_the_doctrine():
    rng = np.random.default_rng(1)
    p = _post()
    p.samples["doctrine.beach_prevention.p_success"] = rng.uniform(0.4, 0.5, p.n)
    d_sq = p.draw(load_scenario("status_quo"), 10, np.random.SeedSequence(2))
    d_eb = p.draw(load_scenario("enhanced_beach"), 10, np.random.SeedSequence(2))
    assert "doctrine.beach_prevention.p_success" in d_sq
    assert "doctrine.beach_prevention.p_success" not in d_eb       # enhanced_beach keeps its own lever
    assert (d_sq["people.departure_fraction"] == d_eb["people.departure_fraction"]).all()   # common draws


def test_same_seed_same_draws_and_split():
    p = _post()
    sc = load_scenario("sea_interception")
    a, b = (p.draw(sc, 50, np.random.SeedSequence(5)) for _ in range(2))
    assert all((a[k] == b[k]).all() for k in a)
    post, prior = p.split(sc)
    assert "people.departure_fraction" in post and "doctrine.sea_interception.p_incident" in prior


@pytest.mark.parametrize("text,msg", [("{", "not JSON"), ('{"format": "x"}', "not a crossings posterior"),
                                       (json.dumps({"format": FORMAT, "samples": {"a": [1], "b": []},
                                                    "plug_in": {}, "year_log_sd": 0.3}), "malformed")])
def test_bad_files(tmp_path, text, msg):
    f = tmp_path / "bad.json"
    f.write_text(text)
    with pytest.raises(InputError, match=msg):
        load_posterior(f)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_posterior(tmp_path / "nope.json")
