"""Resource limits and plain errors: memory estimated before a run, the period capped, a bad date named, Ray
optional, --start/--end moving a scenario's period and its inputs."""
from __future__ import annotations

import json
import sys
from datetime import date, timedelta

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from crossings.cli import main
from crossings.errors import CrossingsError, InputError, ScenarioError
from crossings.sim.ensemble import check_memory, memory_estimate, run_ensemble
from crossings.sim.scenario import MAX_DAYS, last_date, load_scenario, shipped_scenarios


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_line_error(r, *words):
    assert r.exit_code == 1, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crossings: error: "), r.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


def test_memory_estimate_counts_replicates_days_and_series():
    # 1,000 replicates x 100 days x 3 series kept, one block of 1,000 with those 3 series in flight (x 2 for the
    # copy written to a file): 2.4 MB kept + 4.8 MB in flight + the kernel's working memory and the totals
    kept, flight = 1000 * 100 * 3 * 8, 1000 * 100 * 3 * 8 * 2
    est = memory_estimate(1000, 100, 1000, 3, 3)
    assert kept + flight < est < kept + flight + 6_000_000


def test_a_run_too_big_for_memory_is_refused_before_it_starts_saying_what_fits():
    with pytest.raises(InputError) as e:
        check_memory(10_000_000, 365, 10_000_000, 0, 0, limit=2 * 2 ** 30)
    msg = str(e.value)
    assert "would need about" in msg and "GiB" in msg and "block size of at most" in msg
    fit = int(msg.split("block size of at most ")[1].split()[0].rstrip(";").replace(",", ""))
    check_memory(10_000_000, 365, fit, 0, 0, limit=2 * 2 ** 30)           # what it says fits, fits
    with pytest.raises(InputError, match="at most about .* replicates with their daily series in memory"):
        check_memory(10_000_000, 365, 2500, 9, 9, limit=2 * 2 ** 30)
    with pytest.raises(InputError, match="at most about .* replicates"):
        check_memory(1_000_000_000, 365, 2500, 0, 0, limit=2 * 2 ** 30)


def test_cli_refuses_a_huge_block_in_one_line():
    r = run("simulate", "status_quo", "-n", 100_000_000, "--block-size", 100_000_000, "--workers", 1)
    one_line_error(r, "would need about", "block size of at most")


def test_the_period_is_capped():
    sq = load_scenario("status_quo")
    with pytest.raises(ScenarioError, match="field 'end'.*longer than 10 years"):
        sq.with_values(start=date(2018, 1, 1), end=date(2018, 1, 1) + timedelta(days=MAX_DAYS))
    with pytest.raises(ScenarioError, match="field 'start'.*on or after 2018-01-01"):
        sq.with_values(start=date(2017, 12, 31))
    with pytest.raises(ScenarioError, match="field 'end'.*two years after today"):
        sq.with_values(end=last_date() + timedelta(days=1))
    ok = sq.with_values(start=date(2018, 1, 1), end=date(2018, 1, 1) + timedelta(days=MAX_DAYS - 1))
    assert ok.n_days == MAX_DAYS


def test_a_bad_date_in_a_scenario_file_is_one_line_naming_the_field(tmp_path):
    text = shipped_scenarios()["status_quo"].read_text().replace("end: 2025-12-31", "end: 2025-31-12")
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    with pytest.raises(ScenarioError, match=r"scenario bad.yaml: field 'end'"):
        load_scenario(p)
    one_line_error(run("simulate", p, "-n", 5), "field 'end'", "bad.yaml")


def test_start_and_end_override_the_period_and_move_the_inputs():
    r = run("simulate", "status_quo", "-n", 40, "--start", "2024-03-01", "--end", "2024-03-31", "--format", "json",
            "--workers", 1)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert (d["start"], d["end"], d["days"]) == ("2024-03-01", "2024-03-31", 31)
    # the same month of two years: arrivals scale with the listed inflow levels (2024: 0.88 of 2025), and boats
    # with people per boat (53.0 against 61.8)
    def month(year):
        out = json.loads(run("simulate", "status_quo", "-n", 300, "--start", f"{year}-08-01", "--end",
                             f"{year}-08-31", "--format", "json", "--workers", 1,
                             "--posterior", "none").stdout)["outcomes"]   # the scenario's own listed levels
        return out["migrants_arrived"]["mean"], out["boats_arrived"]["mean"]
    p24, b24 = month(2024)
    p25, b25 = month(2025)
    assert p24 / p25 == pytest.approx(0.8843, rel=0.12)
    assert (p24 / b24) / (p25 / b25) == pytest.approx(53.0 / 61.8, rel=0.06)
    one_line_error(run("simulate", "status_quo", "--start", "2024-02-30"), "field 'start'")
    one_line_error(run("compare", "status_quo", "sea_interception", "--end", "2017-01-01"), "field 'end'")


def test_ray_is_optional(monkeypatch):
    from crossings.sim import ensemble
    monkeypatch.setitem(sys.modules, "ray", None)                    # as if not installed
    with pytest.raises(CrossingsError, match=r"Ray is not installed .*pip install 'crossings\[ray\]'"):
        ensemble.import_ray()
    sc = load_scenario("status_quo").with_values(end=date(2025, 1, 10))
    assert run_ensemble(sc, 10, 1, workers=1).replicates == 10      # in process, no Ray needed
    with pytest.raises(CrossingsError, match="Ray is not installed"):
        run_ensemble(sc, 10, 1, workers=2)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/meminfo is Linux's")
def test_available_memory_is_what_psutil_reports():
    """Read from /proc/meminfo (no psutil import on the small-run path), it is psutil's figure."""
    psutil = pytest.importorskip("psutil")
    from crossings.sim import ensemble
    ours, theirs = ensemble.available_memory(), psutil.virtual_memory().available
    assert abs(ours - theirs) < 0.05 * theirs  # the same quantity, read a moment apart
