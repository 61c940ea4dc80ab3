"""Scenario files: the shipped doctrines load; bad values are refused with a message naming file and field."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import yaml

from crossings.errors import ScenarioError
from crossings.sim.params import draw_parameters, parse_prior
from crossings.sim.scenario import Scenario, load_scenario, scenario_from_dict, shipped_scenarios

DOCTRINES = ("status_quo", "sea_interception", "enhanced_beach", "no_intervention")


def _data(name: str = "status_quo") -> dict:
    return yaml.safe_load(shipped_scenarios()[name].read_text())


def _write(tmp_path, data: dict, name: str = "status_quo.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def test_shipped_doctrines_load_and_share_everything_but_the_doctrine():
    shipped = shipped_scenarios()
    assert set(DOCTRINES) <= set(shipped)
    base = _data("status_quo")
    for name in DOCTRINES:
        sc = load_scenario(name)
        assert sc.name == name and sc.doctrine.name == name
        assert (sc.start, sc.end) == (date(2025, 1, 1), date(2025, 12, 31))
        other = _data(name)
        for section in ("sea_state", "people", "boats", "hazard", "adaptation"):
            assert other[section] == base[section], (name, section)
    assert load_scenario(shipped["status_quo"]) == load_scenario("status_quo")


def test_every_shipped_parameter_has_its_source_in_a_comment():
    """Each parameter line of a shipped doctrine carries a comment (its source or 'as status_quo')."""
    for name, path in shipped_scenarios().items():
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            s = line.strip()
            if not s or s.startswith("#") or s.endswith(":") or s.startswith(("name:", "description:", "start:",
                                                                               "end:", "driver:")):
                continue
            commented = "#" in line or lines[i - 1].strip().startswith("#")
            assert commented, f"{name}.yaml line {i + 1} has no source: {line!r}"


def test_dates_and_days():
    sc = load_scenario("status_quo")
    assert sc.n_days == 365 == len(sc.dates())
    assert sc.dates()[0] == np.datetime64("2025-01-01") and sc.dates()[-1] == np.datetime64("2025-12-31")
    leap = sc.with_values(start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert leap.n_days == 366
    one = sc.with_values(start=date(2025, 3, 1), end=date(2025, 3, 1))
    assert one.n_days == 1


@pytest.mark.parametrize("path, value, expected", [
    (("doctrine", "sea_interception", "p_success"), 1.3,
     "field 'doctrine.sea_interception.p_success': must be <= 1, got 1.3"),
    (("people", "initial_people_waiting"), -5, "field 'people.initial_people_waiting': must be >= 0, got -5"),
    (("boats", "max_boats_per_day"), {"uniform": [-1, 10]},
     "field 'boats.max_boats_per_day': uniform low must be >= 0, got -1"),
    (("doctrine", "beach_prevention", "p_success"), {"uniform": [0.5, 1.2]},
     "field 'doctrine.beach_prevention.p_success': uniform high must be <= 1, got 1.2"),
    (("boats", "people_per_boat_at_reference"), {"beta": {"a": 2, "b": 3}},
     "field 'boats.people_per_boat_at_reference': beta prior is only for probabilities"),
    (("hazard", "p_fatal_given_incident"), {"gamma": {"k": 2}},
     "field 'hazard.p_fatal_given_incident': unknown prior 'gamma'"),
    (("people", "attrition_per_day"), "often", "field 'people.attrition_per_day': value must be a number"),
    (("sea_state", "generator", "p_crossable_after_not"), [0.2] * 11,
     "field 'sea_state.generator.p_crossable_after_not': needs 12 monthly values"),
    (("sea_state", "generator", "p_crossable_after_crossable"), [0.5] * 3 + [1.5] + [0.5] * 8,
     "field 'sea_state.generator.p_crossable_after_crossable': item 3 (Apr) must be <= 1, got 1.5"),
    (("end",), date(2024, 12, 31), "field 'end': must not be before start (2025-01-01), got 2024-12-31"),
    (("doctrine", "surprise"), 1, "field 'doctrine.surprise': unknown field"),
    (("sea_state", "driver"), "series", "field 'sea_state': driver is 'series' but the 'series' section is missing"),
])
def test_bad_values_name_the_file_and_field(tmp_path, path, value, expected):
    data = _data()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ScenarioError) as exc:
        load_scenario(_write(tmp_path, data))
    msg = str(exc.value)
    assert msg.startswith("scenario status_quo.yaml: ")
    assert expected in msg


def test_missing_field_is_named(tmp_path):
    data = _data()
    del data["hazard"]["overload_exponent"]
    with pytest.raises(ScenarioError, match=r"field 'hazard.overload_exponent': required field is missing"):
        load_scenario(_write(tmp_path, data))


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    text = shipped_scenarios()["status_quo"].read_text().splitlines()
    i = next(n for n, line in enumerate(text) if line.startswith("end:"))
    text[i] = "end: 2025-12-31: oops"
    p = tmp_path / "broken.yaml"
    p.write_text("\n".join(text))
    with pytest.raises(ScenarioError, match=r"scenario broken.yaml: line \d+.*YAML syntax error"):
        load_scenario(p)
    line = int(str(pytest.raises(ScenarioError, load_scenario, p).value).split("line ")[1].split(",")[0])
    assert line == i + 1


def test_unknown_source_is_refused():
    with pytest.raises(ScenarioError, match="no such file and not a shipped doctrine"):
        load_scenario("no_such_doctrine")


def test_dump_and_reload_gives_the_same_scenario():
    sc = load_scenario("sea_interception")
    again = scenario_from_dict(sc.model_dump(), label="copy")
    assert again == sc
    assert again.priors()["doctrine.sea_interception.p_detect"].describe() == "uniform(0.6, 0.9)"


def test_with_values_is_validated():
    sc = load_scenario("status_quo")
    assert sc.with_values(**{"doctrine.beach_prevention.p_success": 0.7}).priors()[
        "doctrine.beach_prevention.p_success"].a == 0.7
    with pytest.raises(ScenarioError, match="must be <= 1"):
        sc.with_values(**{"doctrine.beach_prevention.p_success": 2})


def test_scenario_is_a_pydantic_model_with_forbidden_extras():
    assert Scenario.model_config["extra"] == "forbid"
    schema = Scenario.model_json_schema()
    assert "doctrine" in schema["properties"]


# --- priors -------------------------------------------------------------------------------------------------

def test_prior_draws_follow_their_laws():
    n = 20_000
    priors = {"u": parse_prior({"uniform": [2, 4]}, 0, None), "f": parse_prior(7, 0, None),
              "b": parse_prior({"beta": {"a": 2, "b": 6}}, 0, 1),
              "tn": parse_prior({"normal": {"mean": 0.5, "sd": 2}}, 0, 1),
              "ln": parse_prior({"lognormal": {"median": 100, "sigma": 0.5}}, 0, None)}
    d = draw_parameters(priors, n, np.random.SeedSequence(3))
    assert np.all(d["f"] == 7)
    assert d["u"].min() >= 2 and d["u"].max() <= 4 and abs(d["u"].mean() - 3) < 0.03
    assert abs(d["b"].mean() - 2 / 8) < 0.01                      # beta mean a/(a+b)
    assert d["tn"].min() >= 0 and d["tn"].max() <= 1              # truncated to the field's bounds
    assert abs(np.median(d["ln"]) - 100) < 2
    assert abs(np.std(np.log(d["ln"])) - 0.5) < 0.02


def test_a_parameter_draw_does_not_depend_on_the_other_parameters():
    """Common random numbers for parameters: each has its own stream, keyed by its name."""
    seed = np.random.SeedSequence(42)
    a = draw_parameters({"x.p": parse_prior({"uniform": [0, 1]}, 0, 1)}, 100, seed)
    b = draw_parameters({"y.q": parse_prior({"uniform": [5, 6]}, 0, None),
                         "x.p": parse_prior({"uniform": [0, 1]}, 0, 1)}, 100, seed)
    assert np.array_equal(a["x.p"], b["x.p"])
    c = draw_parameters({"x.p": parse_prior({"uniform": [0, 0.5]}, 0, 1)}, 100, seed)
    assert np.allclose(c["x.p"], a["x.p"] / 2)                      # same uniforms, another range
