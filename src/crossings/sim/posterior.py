"""A calibrated posterior as a file (JSON: equally weighted draws with their provenance), and its use in a run.

A posterior file holds ``samples`` (dotted parameter name -> draws; ``inflow_level_<year>`` per calendar year of
the window), the plug-in inputs estimated on the same data (weather chain, monthly inflow pattern), the
year-to-year log-sd of the inflow level, and provenance: the data vintage (release dates), the window, settings,
seed, crossings and library versions.

In a run (:func:`Posterior.draw`) replicate ``r`` takes posterior draw ``i_r`` (uniform on the draws, from a
stream of its own), so every calibrated parameter of a replicate comes from one joint draw. People per boat move from the
window's first day to the scenario's reference date with the calibrated trend. The inflow level of a year inside
the window is that year's level; of a later year, the previous year's times ``exp(year_log_sd x z_y)`` (a random
walk on the log level, ``z_y`` standard normal per replicate and year): the projection carries the year-to-year
variation seen in the data. Parameters not in the posterior keep their
scenario prior (the unidentified ones among them: sea interception, incident on interception, deterrence,
displacement).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import InputError

FORMAT = "crossings-posterior/1"
INFLOW_PREFIX = "inflow_level_"
#: Spawn key of the stream that picks each replicate's posterior draw (and the projection's level shocks).
POSTERIOR_STREAM = 2000
DEFAULT_NAME = "default_posterior.json"
#: The doctrine in force while the calibration data were observed.
OBSERVED_DOCTRINE = "status_quo"


@dataclass
class Posterior:
    samples: dict[str, np.ndarray]
    plug_in: dict[str, list[float]]
    year_log_sd: float
    provenance: dict = field(default_factory=dict)
    priors: dict[str, str] = field(default_factory=dict)
    path: str | None = None

    @property
    def n(self) -> int:
        return len(next(iter(self.samples.values())))

    @property
    def parameters(self) -> list[str]:
        """Scenario parameters drawn from the posterior (dotted names)."""
        return [k for k in self.samples if not k.startswith(INFLOW_PREFIX)]

    @property
    def years(self) -> list[int]:
        return sorted(int(k[len(INFLOW_PREFIX):]) for k in self.samples if k.startswith(INFLOW_PREFIX))

    @property
    def window(self) -> tuple[date, date]:
        w = self.provenance.get("window", [None, None])
        return date.fromisoformat(w[0]), date.fromisoformat(w[1])

    def describe(self) -> str:
        p = self.provenance
        return (f"posterior {Path(self.path).name if self.path else '(in memory)'}: calibrated on "
                f"{p.get('window', ['?', '?'])[0]} to {p.get('window', ['?', '?'])[1]} "
                f"(releases {', '.join(p.get('vintage', [])) or '?'}), {p.get('simulations', '?')} simulations, "
                f"seed {p.get('seed', '?')}")

    def apply(self, scenario):
        """The scenario with the plug-in inputs of the calibration (weather chain for a generator driver, and the
        monthly inflow pattern)."""
        vals = {k: v for k, v in self.plug_in.items()
                if not (k.startswith("sea_state.generator") and scenario.sea_state.driver != "generator")}
        return scenario.with_values(**vals)

    def draw(self, scenario, n: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
        """Per-replicate values of the calibrated parameters for ``scenario``'s period (see the module doc)."""
        from .params import stream
        known = self.applicable(scenario)
        idx = stream(seed, POSTERIOR_STREAM).integers(0, self.n, n)
        out = {k: np.asarray(self.samples[k], dtype=float)[idx] for k in self.parameters if k in known}
        first, _ = self.window
        ppb, trend = "boats.people_per_boat_at_reference", "boats.people_per_boat_trend_per_year"
        if ppb in out and trend in out:          # calibrated at the window's first day; moved to the scenario's date
            years = (scenario.boats.people_per_boat_reference_date - first).days / 365.25
            out[ppb] = np.maximum(out[ppb] + out[trend] * years, 1.0)
        if self.years:
            out.update(self._levels(scenario, idx, seed))
        return out

    def applicable(self, scenario) -> set[str]:
        """The scenario's parameters this posterior sets: every calibrated one, except a doctrine lever the
        scenario changes (its prior differs from that of ``status_quo``, the doctrine the data were observed
        under: ``enhanced_beach``'s beach prevention stays its own)."""
        from .scenario import load_scenario
        own = scenario.priors()
        observed_under = load_scenario(OBSERVED_DOCTRINE).priors()
        return {k for k in self.parameters if k in own
                and (not k.startswith("doctrine.") or own[k] == observed_under.get(k))}

    def _levels(self, scenario, idx: np.ndarray, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
        """Inflow level (people/day) of each calendar year the scenario spans: the posterior's for a year of the
        window; a random walk from the last one after it; before it, the first one scaled by the scenario's
        ``inflow_year_level`` table where it lists both years."""
        from .calendar import calendar_years
        from .model import YEAR_LEVEL
        from .params import stream
        lv = {y: np.asarray(self.samples[f"{INFLOW_PREFIX}{y}"], dtype=float)[idx] for y in self.years}
        lo, hi = min(lv), max(lv)
        table = scenario.people.inflow_year_level
        years = calendar_years(scenario)
        out = {}
        level = lv[hi]
        for y in range(hi + 1, max(years) + 1):
            z = stream(seed, POSTERIOR_STREAM, y).standard_normal(len(idx))
            level = level * np.exp(self.year_log_sd * z)
            lv[y] = level
        for y in years:
            if y < lo:
                ratio = table[y] / table[lo] if (y in table and lo in table and table[lo] > 0) else 1.0
                lv[y] = lv[lo] * ratio
        base = lv[years[0]]                     # per-day level of the first simulated year; the others relative
        out["people.inflow_people_per_day"] = base
        for y in years:
            out[f"{YEAR_LEVEL}.{y}"] = lv[y] / base
        return out

    def split(self, scenario) -> tuple[list[str], list[str]]:
        """(parameters of ``scenario`` from this posterior, uncertain ones from their priors)."""
        post = self.applicable(scenario) | ({"people.inflow_people_per_day", "people.inflow_year_sigma"}
                                            if self.years else set())
        unc = scenario.uncertain()
        return sorted(k for k in scenario.priors() if k in post), sorted(k for k in unc if k not in post)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "provenance": self.provenance, "priors": self.priors,
                           "plug_in": self.plug_in, "year_log_sd": self.year_log_sd,
                           "samples": {k: [float(f"{x:.6g}") for x in v] for k, v in self.samples.items()}},
                          indent=1)

    def save(self, path: str | Path) -> Path:
        from ..atomic import write_text
        p = Path(path)
        if p.suffix != ".json":
            raise InputError(f"posterior file {p}: use a .json name")
        write_text(p, self.to_json())
        self.path = str(p)
        return p


def load_posterior(path: str | Path) -> Posterior:
    """A posterior file; ``default`` (or None) for the one shipped with the package. Errors name the file."""
    if path is None or str(path) == "default":
        p = default_path()
    else:
        p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"posterior {p}: cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"posterior {p}: not JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"posterior {p}: not a crossings posterior file (format {FORMAT!r} expected)")
    try:
        samples = {k: np.asarray(v, dtype=float) for k, v in data["samples"].items()}
        sizes = {len(v) for v in samples.values()}
        if len(sizes) != 1 or 0 in sizes:
            raise ValueError("samples of unequal or zero length")
        return Posterior(samples, data["plug_in"], float(data["year_log_sd"]), data.get("provenance", {}),
                         data.get("priors", {}), str(p))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"posterior {p}: malformed ({exc})") from None


def resolve_posterior(option: str | None) -> Posterior | None:
    """A CLI ``--posterior`` value: ``none`` -> None (priors only), ``default`` -> the shipped posterior, else a
    file."""
    if option is not None and str(option).lower() == "none":
        return None
    return load_posterior(option)


def default_path() -> Path:
    """The posterior shipped with the package (calibrated on the bundled release)."""
    return Path(str(resources.files("crossings") / "data" / DEFAULT_NAME))


def from_calibration(cal, settings: dict) -> Posterior:
    """A :class:`Posterior` from a :class:`~crossings.sim.calibrate.Calibration`."""
    import crossings
    from importlib.metadata import version
    pb = cal.problem
    obs = pb.observed

    def ver(name):
        try:
            return version(name)
        except Exception:  # noqa: BLE001  an optional library not installed
            return None
    prov = {"created_by": "crossings calibrate", "crossings_version": getattr(crossings, "__version__", None),
            "library": {"sbi": ver("sbi"), "torch": ver("torch")},
            "method": "neural posterior estimation (sbi NPE, masked autoregressive flow) on prior scores",
            "window": [obs.start.isoformat(), obs.until.isoformat()], "vintage": obs.vintage,
            "data_source": obs.source, "simulations": cal.simulations, "seed": cal.seed,
            "summaries": list(pb.layout.names), "settings": settings,
            "seconds": {"simulating": round(cal.seconds_simulating, 1), "training": round(cal.seconds_training, 1)}}
    plug = {k: list(v) for k, v in pb.scenario_plug_in.items()} if hasattr(pb, "scenario_plug_in") else {}
    if not plug:
        s = pb.scenario
        plug = {"sea_state.generator.p_crossable_after_crossable":
                list(s.sea_state.generator.p_crossable_after_crossable),
                "sea_state.generator.p_crossable_after_not": list(s.sea_state.generator.p_crossable_after_not),
                "people.inflow_monthly_factor": list(s.people.inflow_monthly_factor),
                "people.inflow_month_sigma": float(s.people.inflow_month_sigma.a)}
    samples = {n: cal.theta[:, j] for j, n in enumerate(pb.names)}
    return Posterior(samples, plug, pb.year_log_sd, prov, {n: p.describe() for n, p in pb.priors})


def parameters_note(scenario, posterior) -> str:
    """Which parameters came from the posterior and which from their priors."""
    if posterior is None:
        return "parameters: every uncertain parameter drawn from its scenario prior (no posterior)"
    post, pri = posterior.split(scenario)
    return (f"parameters from the {posterior.describe()}: {', '.join(post)}; from their priors: {', '.join(pri)}")
