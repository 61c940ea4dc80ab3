"""The doctrine lab: a validated comparison request, and the job that runs it in a worker process.

Only the doctrines shipped with the package can be named (never a path), and every number has a limit
(:mod:`.settings`). The answer is :meth:`crossings.sim.Comparison.to_dict` plus the fan charts' quantiles and the
per-replicate paired differences of the totals, all of it simulated, not observed.
"""
from __future__ import annotations

import enum
from datetime import date, timedelta
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .query import Day
from .settings import FIRST_SIMULATED_DAY, MAX_DAYS_AHEAD, MAX_DOCTRINES, MAX_PERIOD_DAYS, MAX_REPLICATES, MAX_SEED

SIMULATED_LABEL = "simulated, not observed"
#: Outcomes whose per-replicate paired differences are returned (for the histogram of differences).
PAIRED_OUTCOMES = ("migrants_arrived", "deaths", "migrants_prevented")


def shipped_doctrines() -> list[str]:
    """Names of the doctrine scenarios shipped in ``crossings/sim/scenarios`` (read without importing the
    simulator)."""
    folder = resources.files("crossings") / "sim" / "scenarios"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


Doctrine = enum.Enum("Doctrine", {n: n for n in shipped_doctrines()}, type=str)
Doctrine.__doc__ = "A doctrine scenario shipped with crossings."


class CompareRequest(BaseModel):
    """A comparison of doctrines over one period with common random numbers; the first doctrine is the baseline."""

    model_config = ConfigDict(extra="forbid")

    doctrines: list[Doctrine] = Field(min_length=1, max_length=MAX_DOCTRINES,
                                      description="shipped doctrine names; the first is the baseline")
    start: Day = Field(description="first simulated day (YYYY-MM-DD)")
    end: Day = Field(description="last simulated day, inclusive (YYYY-MM-DD)")
    replicates: int = Field(200, ge=10, le=MAX_REPLICATES, description="replicates per doctrine")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="root seed: the same seed gives the same numbers")

    @model_validator(mode="after")
    def _period(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        days = (self.end - self.start).days + 1
        if days > MAX_PERIOD_DAYS:
            raise ValueError(f"the period is {days} days; at most {MAX_PERIOD_DAYS} can be simulated here")
        if self.start < FIRST_SIMULATED_DAY:
            raise ValueError(f"start {self.start} is before {FIRST_SIMULATED_DAY}, the first day simulated")
        last = date.today() + timedelta(days=MAX_DAYS_AHEAD)
        if self.end > last:
            raise ValueError(f"end {self.end} is more than two years ahead (after {last})")
        return self


def _posterior() -> dict:
    """The shipped posterior for the identifiable parameters, as ``crossings compare`` uses by default (none in a
    version without calibration)."""
    try:
        from ..sim.posterior import default_path, resolve_posterior
    except ImportError:
        return {}
    if not default_path().is_file():  # this build ships no calibrated posterior: priors only, said in the answer
        return {}
    return {"posterior": resolve_posterior("default")}


def posterior_note() -> str:
    """Which parameter source a web run uses, for the answer and the page."""
    return "shipped calibrated posterior" if _posterior() else "priors only (no calibrated posterior in this build)"


class SensitivityRequest(BaseModel):
    """Sobol sensitivity of ``doctrine - baseline`` over the parameters the data cannot identify, over the
    doctrines' own period (the shipped scenarios simulate 2025)."""

    model_config = ConfigDict(extra="forbid")

    baseline: Doctrine
    doctrine: Doctrine
    outcome: Literal["deaths", "migrants_arrived", "migrants_prevented", "migrants_rescued", "incidents",
                     "boats_arrived", "launches"] = "deaths"
    seed: int = Field(0, ge=0, le=MAX_SEED)


#: The web's Sobol sample: 2^5 base points and 10 replicates per parameter set (the CLI defaults are 256 and 20).
SOBOL_BASE, SOBOL_REPLICATES = 32, 10


def run_sensitivity(baseline: str, doctrine: str, outcome: str, seed: int) -> dict:
    """Run in a worker process: Sobol indices of the paired difference (:mod:`crossings.sim.sensitivity`)."""
    from ..sim.sensitivity import doctrine_sensitivity
    out = doctrine_sensitivity(baseline, doctrine, outcome, n_base=SOBOL_BASE, replicates=SOBOL_REPLICATES,
                               seed=seed, **_posterior())
    out["label"] = SIMULATED_LABEL
    out["command"] = (f"crossings sensitivity {baseline} {doctrine} --outcome {outcome} --samples {SOBOL_BASE} "
                      f"--replicates {SOBOL_REPLICATES} --seed {seed}" + ("" if _posterior() else " --posterior none")
                      + " --format json")
    return out


def _rounded(a) -> list:
    return [round(float(x), 1) for x in a]


def run_comparison(doctrines: list[str], start: str, end: str, replicates: int, seed: int) -> dict:
    """Run in a worker process: the comparison, its fans and paired differences, JSON-ready."""
    from ..sim import compare, load_scenario
    from ..sim.compare import FAN_QUANTILES, FAN_VARIABLES

    scenarios = [load_scenario(d).with_values(start=date.fromisoformat(start), end=date.fromisoformat(end))
                 for d in doctrines]
    comp = compare(scenarios, replicates, seed, workers=1, progress=False, **_posterior())
    out = comp.to_dict()
    out["label"] = SIMULATED_LABEL
    out["parameters"] = posterior_note()
    out["names"] = comp.names
    out["dates"] = [d.date().isoformat() for d in comp.results[0].dates]
    out["fan_quantiles"] = list(FAN_QUANTILES)
    out["fans"] = {v: {n: [_rounded(q) for q in qs] for n, qs in comp.fan(v).items()} for v in FAN_VARIABLES}
    out["difference_fans"] = ({v: {n: [_rounded(q) for q in qs] for n, qs in comp.fan(v, difference=True).items()}
                               for v in FAN_VARIABLES} if len(comp.names) > 1 else {})
    out["paired"] = {n: {o: [float(x) for x in comp.paired(n)[o]] for o in PAIRED_OUTCOMES
                         if o in comp.paired(n)} for n in comp.names[1:]}
    out["command"] = (f"crossings compare {' '.join(doctrines)} --replicates {replicates} --seed {seed} "
                      f"--start {start} --end {end}" + ("" if _posterior() else " --posterior none") + " --format json")
    return out
