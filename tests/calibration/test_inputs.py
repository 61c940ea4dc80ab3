"""Bad input gives one-line errors naming the problem."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.errors import InputError
from crossings.sim import calibrate as C
from crossings.sim.summaries import observed_window


def _run(args):
    r = CliRunner().invoke(main, args)
    out = (r.output or "").strip()
    return r.exit_code, out


@pytest.mark.parametrize("args,msg", [
    (["calibrate", "--until", "2017-06-30", "--simulations", "300", "--db", ":memory:", "--out", "p.json"],
     "before the official daily series starts"),
    (["calibrate", "--simulations", "10", "--out", "p.json", "--db", ":memory:"], "--simulations must be at least"),
    (["calibrate", "--out", "p.txt", "--db", ":memory:"], "must end in .json"),
    (["validate", "--until", "2017-01-01", "--simulations", "300", "--db", ":memory:"], "before the official"),
    (["sensitivity", "status_quo", "sea_interception", "--outcome", "happiness"], "unknown outcome"),
    (["sensitivity", "status_quo", "sea_interception", "--samples", "100"], "power of 2"),
    (["simulate", "status_quo", "--posterior", "missing.json", "-n", "10"], "cannot read"),
])
def test_cli_errors(tmp_path, monkeypatch, args, msg):
    monkeypatch.chdir(tmp_path)
    code, out = _run(args)
    assert code == 1, out
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert lines[-1].startswith("crossings: error:") and msg in lines[-1], out
    assert not (tmp_path / "p.json").exists()


def test_unknown_calibration_parameter(tables):
    daily, weekly, vintage, src = tables
    obs = observed_window(daily, weekly, None, 1, vintage, src)
    with pytest.raises(InputError, match="unknown calibration parameter 'people.happiness'"):
        C.problem(obs, daily, only=["people.happiness"])


def test_too_few_simulations(tables):
    daily, weekly, vintage, src = tables
    obs = observed_window(daily, weekly, None, 1, vintage, src)
    with pytest.raises(InputError, match="at least"):
        C.calibrate(obs, daily, simulations=5)
