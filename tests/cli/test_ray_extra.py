"""Ray is the extra ``crossings[ray]``: without it, runs that need it fail in one line, and others stay in process.

Ray is made unimportable the standard way (``sys.modules['ray'] = None``), as if the extra were not installed.
"""
from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.sim.ensemble import IN_PROCESS_REPLICATE_DAYS, ray_installed, wants_ray


@pytest.fixture()
def no_ray(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    assert not ray_installed()


@pytest.mark.parametrize("args", [["--workers", "2"], ["--address", "127.0.0.1:6379"]])
def test_a_run_that_needs_ray_says_how_to_install_it(no_ray, args):
    res = CliRunner().invoke(main, ["simulate", "status_quo", "-n", "10", *args])
    assert res.exit_code == 1, res.output
    assert res.output.strip().splitlines() == [
        "crossings: error: Ray is not installed (needed for --workers above 1 and --address): "
        "pip install 'crossings[ray]'"]


def test_without_ray_a_long_run_stays_in_this_process(no_ray):
    assert not wants_ray(None, None, n_blocks=8, replicate_days=10 * IN_PROCESS_REPLICATE_DAYS)
    assert not wants_ray(1, None, n_blocks=8, replicate_days=10 * IN_PROCESS_REPLICATE_DAYS)


def test_with_ray_a_long_run_goes_to_ray():
    pytest.importorskip("ray")
    assert wants_ray(None, None, n_blocks=8, replicate_days=10 * IN_PROCESS_REPLICATE_DAYS)
