"""crossings simulate / compare from the command line: JSON shape, output file, one-line errors."""
from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from crossings.cli import main
from crossings.sim.ensemble import DEFAULT_BLOCK_SIZE
from crossings.sim.model import OUTCOMES
from crossings.sim.results import load_daily
from crossings.sim.scenario import load_scenario, shipped_scenarios

DAYS = 45


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    """The shipped status quo written to a YAML file with a 45-day period."""
    src = shipped_scenarios()["status_quo"]
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["end"] = (load_scenario("status_quo").start + timedelta(days=DAYS - 1)).isoformat()
    p = tmp_path_factory.mktemp("scen") / "short.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return p


def strict_json(text: str):
    """Parse JSON, refusing NaN/Infinity (not JSON, though Python writes them)."""
    def refuse(name):
        raise ValueError(f"{name} in JSON output")
    return json.loads(text, parse_constant=refuse)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_simulate_json_and_out(scenario_file, tmp_path):
    out = tmp_path / "daily.nc"
    r = run("simulate", scenario_file, "--replicates", 120, "--seed", 4, "--format", "json", "--out", out,
            "--workers", 1)
    assert r.exit_code == 0, r.output
    d = strict_json(r.stdout)
    assert d["replicates"] == 120 and d["days"] == DAYS and d["seconds"] > 0
    assert set(d["outcomes"]) == set(OUTCOMES)
    for o in OUTCOMES:
        assert {"median", "p05", "p95"} <= set(d["outcomes"][o])
        assert d["outcomes"][o]["p05"] <= d["outcomes"][o]["median"] <= d["outcomes"][o]["p95"]
    # the figures printed are quantiles of the totals of the series written
    ds = load_daily(out)
    assert ds.sizes == {"replicate": 120, "date": DAYS}
    for o in ("migrants_arrived", "deaths", "launches"):
        totals = ds[o].values.sum(axis=1)
        assert d["outcomes"][o]["median"] == pytest.approx(np.median(totals))
        assert d["outcomes"][o]["p95"] == pytest.approx(np.percentile(totals, 95), abs=1e-3)


def test_simulate_same_seed_same_json(scenario_file):
    a = json.loads(run("simulate", scenario_file, "-n", 60, "--seed", 8, "--format", "json").stdout)
    b = json.loads(run("simulate", scenario_file, "-n", 60, "--seed", 8, "--format", "json").stdout)
    c = json.loads(run("simulate", scenario_file, "-n", 60, "--seed", 9, "--format", "json").stdout)
    assert a["outcomes"] == b["outcomes"]
    assert a["outcomes"] != c["outcomes"]


def test_simulate_table_names_every_outcome(scenario_file):
    r = run("simulate", scenario_file, "-n", 30, "--seed", 1)
    assert r.exit_code == 0
    for o in OUTCOMES:
        assert o in r.stdout
    assert "90% interval" in r.stdout and "30 replicates" in r.stdout


def test_simulate_accepts_a_shipped_doctrine_name():
    r = run("simulate", "status_quo", "-n", 3, "--seed", 1, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["scenario"] == "status_quo"


def test_compare_json_and_html(scenario_file, tmp_path):
    data = yaml.safe_load(scenario_file.read_text())
    data["name"] = "more_beach"
    data["doctrine"]["beach_prevention"]["p_success"] = {"uniform": [0.6, 0.7]}
    other = tmp_path / "more_beach.yaml"
    other.write_text(yaml.safe_dump(data))
    html = tmp_path / "cmp.html"
    r = run("compare", scenario_file, other, "-n", 80, "--seed", 2, "--format", "json", "--html", html,
            "--posterior", "none")        # priors only: the shipped posterior widens the baseline's beach lever
    assert r.exit_code == 0, r.output
    d = strict_json(r.stdout)
    assert d["baseline"] == "status_quo" and set(d["scenarios"]) == {"status_quo", "more_beach"}
    diff = d["differences"]["more_beach - status_quo"]
    # more people stopped on the beach: more prevented in every replicate
    assert diff["migrants_prevented"]["p05"] > 0
    assert html.exists() and "<svg" in html.read_text()
    t = run("compare", scenario_file, other, "-n", 80, "--seed", 2)
    assert "paired differences" in t.stdout and "more_beach - status_quo" in t.stdout


@pytest.mark.parametrize("args, message", [
    (["--replicates", "0"], "replicates must be at least 1"),
    (["--seed", "-3"], "seed must be at least 0"),
    (["--workers", "0"], "workers must be at least 1"),
    (["--block-size", "0"], "block_size must be at least 1"),
    (["--out", "daily.csv"], "unknown output format '.csv'"),
])
def test_simulate_bad_values_are_one_line_errors(scenario_file, args, message):
    r = run("simulate", scenario_file, *args)
    assert r.exit_code == 1
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crossings: error: ") and message in lines[0]


def test_missing_scenario_and_bad_html_folder_are_one_line_errors(scenario_file, tmp_path):
    r = run("simulate", tmp_path / "nope.yaml")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1 and "nope.yaml" in r.stderr
    r = run("compare", scenario_file, "--html", tmp_path / "no" / "x.html")
    assert r.exit_code == 1 and "folder for the HTML page does not exist" in r.stderr
    r = run("compare", scenario_file, "-n", "0")
    assert r.exit_code == 1 and "replicates must be at least 1" in r.stderr


def test_cli_default_block_size_is_the_library_default():
    from crossings.cli.simulate import _BLOCK_SIZE
    assert _BLOCK_SIZE == DEFAULT_BLOCK_SIZE
