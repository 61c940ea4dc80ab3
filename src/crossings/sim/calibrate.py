"""Bayesian calibration of the identifiable parameters: neural posterior estimation (sbi) on simulated windows.

The calibration window is the ``years`` calendar years ending at ``until`` (data after it are never read). Each
simulation draws one parameter set from the calibration prior, runs the kernel over the window (one history) and
reduces it to the summaries of :mod:`crossings.sim.summaries`. Simulations run in fixed blocks of
``BLOCK_SIMULATIONS``; block ``i`` draws from ``SeedSequence(seed).spawn(n_blocks)[i]``, so the simulations, and
therefore the posterior, do not depend on the number of workers. The network is trained in one torch thread with
``torch.manual_seed(seed)``.

Parameters are inferred in *prior scores*: ``z = Phi^-1(F_prior(theta))``, so the prior of ``z`` is a standard
normal (no leakage outside a bounded support) and ``theta = F_prior^-1(Phi(z))``.

The window is simulated in one kernel call (:func:`simulate_window`, over ``model.simulate_detail`` with parameter
batches): each calendar year has its own inflow level ``inflow_level_<year>`` (people/day, passed as the kernel's
``inflow_people_per_day`` x ``people.inflow_year_level.<year>``, the first simulated year's level being 1), and people per boat are anchored at the
window's first day (``people_per_boat_reference_date``, no history) with the calibrated trend. This adapter is the
one place that knows how the kernel is called.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from .params import Prior, draw_parameters, stream
from .scenario import Scenario, load_scenario
from .summaries import Layout, Observed, layout, observed_summaries, summarise

#: Simulations per block: the unit of work and of random streams (changing it changes the numbers).
BLOCK_SIMULATIONS = 1000
#: Fewest simulations a calibration accepts.
MIN_SIMULATIONS = 200
#: Posterior draws stored in a posterior file.
POSTERIOR_DRAWS = 4000
#: Years from which the year-to-year change of the yearly arrivals measures the inflow level's variation.
YEAR_EFFECT_FROM = 2021
#: Used when the data have fewer than two year-to-year changes since ``YEAR_EFFECT_FROM``.
DEFAULT_YEAR_LOG_SD = 0.4

#: Calibration priors of the scenario parameters the official series identify (wide: they must cover every
#: year from 2018 on, unlike the scenario's 2025 priors). The inflow level has one parameter per calendar year.
CALIBRATED: dict[str, Prior] = {
    "boats.people_per_boat_at_reference": Prior("normal", 45.0, 20.0, lo=1.0),
    "boats.people_per_boat_trend_per_year": Prior("uniform", -10.0, 25.0),
    "boats.loading_sigma": Prior("uniform", 0.02, 0.4, lo=0.0),
    "sea_state.launch_intensity_sigma": Prior("uniform", 0.2, 1.2, lo=0.0),
    "people.departure_fraction": Prior("uniform", 0.05, 0.9, lo=0.0, hi=1.0),
    "boats.max_boats_per_day": Prior("uniform", 8.0, 60.0, lo=0.0),
    "doctrine.beach_prevention.p_success": Prior("uniform", 0.2, 0.7, lo=0.0, hi=1.0),
    "boats.taxi_boat_share": Prior("uniform", 0.1, 0.55, lo=0.0, hi=1.0),
    "doctrine.uk_interception.p_uncontrolled_landing": Prior("uniform", 0.0, 0.01, lo=0.0, hi=1.0),
    "hazard.p_incident_at_reference": Prior("uniform", 0.02, 0.4, lo=0.0, hi=1.0),
}
#: Prior of each year's inflow level (people reaching the coast per day, yearly mean).
INFLOW_LEVEL_PRIOR = Prior("lognormal", 100.0, 0.8, lo=0.0)
INFLOW_PREFIX = "inflow_level_"
#: Parameters no official series can identify while the doctrine has not changed: always drawn from the priors.
UNIDENTIFIED = ("doctrine.sea_interception.p_detect", "doctrine.sea_interception.p_success",
                "doctrine.sea_interception.p_incident", "adaptation.deterrence_per_sea_interception",
                "adaptation.displacement_to_taxi")


@dataclass(frozen=True)
class Problem:
    """What a calibration fits: the base scenario (plug-in weather and monthly pattern), the observations, the
    summaries' layout, and the calibrated parameters with their priors (in order)."""
    scenario: Scenario
    observed: Observed
    layout: Layout
    priors: tuple[tuple[str, Prior], ...]
    year_log_sd: float

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.priors]

    def theta(self, z: np.ndarray) -> np.ndarray:
        """Parameters from prior scores ``z`` (n, k)."""
        u = np.clip(stats.norm.cdf(z), 1e-12, 1 - 1e-12)
        return np.stack([p.ppf(u[:, j]) for j, (_, p) in enumerate(self.priors)], axis=1)


#: Fixed-point steps that make the model's monthly arrivals follow the observed monthly pattern, and the
#: replicates each step simulates.
PATTERN_STEPS = 6
PATTERN_REPLICATES = 200
#: Years of data the plug-in inputs are estimated on (the last ones up to ``until``).
PLUG_IN_YEARS = 3


def month_effects_fit(dates: pd.DatetimeIndex, people: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Two-way fit ``log(people per day of year y, month m) = a_y + b_m + e`` on the months with at least 20
    published days. ``people``: (R, T) on ``dates`` (NaN = not published). Returns the month effects ``b`` (R, 12),
    centred (months without data 0), the residual variance (R,) with its degrees of freedom, and those degrees."""
    from .summaries import MIN_DAYS_PER_MONTH
    people = np.atleast_2d(people)
    seen = ~np.isnan(people[0])
    ym = np.asarray(dates.year * 100 + dates.month)
    cells = [k for k in np.unique(ym) if (seen & (ym == k)).sum() >= MIN_DAYS_PER_MONTH]
    years = sorted({k // 100 for k in cells})
    months = sorted({k % 100 - 1 for k in cells})
    Y = np.stack([np.log(np.nanmean(people[:, seen & (ym == k)], axis=1) + 0.5) for k in cells], axis=0)  # (N, R)
    X = np.zeros((len(cells), len(years) + len(months) - 1))
    for i, k in enumerate(cells):
        X[i, years.index(k // 100)] = 1.0
        j = months.index(k % 100 - 1)
        if j > 0:
            X[i, len(years) + j - 1] = 1.0
    coef, *_ = np.linalg.lstsq(X, Y, rcond=None)
    dof = max(len(cells) - X.shape[1], 1)
    resid_var = ((Y - X @ coef) ** 2).sum(axis=0) / dof
    b = np.zeros((Y.shape[1], 12))
    b[:, months[1:]] = coef[len(years):].T
    b[:, months] -= b[:, months].mean(axis=1, keepdims=True)
    return b, resid_var, dof


def plug_in_inputs(daily: pd.DataFrame, until: date) -> dict[str, object]:
    """Weather chain, monthly inflow pattern and month-to-month inflow variation, estimated from the official
    days of the last ``PLUG_IN_YEARS`` years up to ``until``.

    Weather chain: ``validation.fit_crossable_chain`` (crossing days corrected for crossable days with no arrival,
    under ``status_quo`` truncated to ``until``). Monthly pattern: the factors with which the model's own monthly
    arrivals follow the observed month effects (two-way fit of log people per day on year and month,
    :func:`month_effects_fit`), by ``PATTERN_STEPS`` multiplicative fixed-point steps on the kernel: people wait on
    the coast for crossable days, so arrivals are not the inflow divided by the crossing share. Month-to-month
    variation: the log-sd of a calendar month's inflow around the pattern, the observed residual variance of that
    fit less the model's own (weather and counts), by the method of moments.
    """
    from .calendar import truncate_to
    from .model import simulate_detail
    from .validation import fit_crossable_chain
    d = daily.assign(date=pd.to_datetime(daily["date"]))
    first = (pd.Timestamp(until) - pd.DateOffset(years=PLUG_IN_YEARS) + pd.Timedelta(days=1)).date()
    d = d[(d["date"] <= pd.Timestamp(until)) & (d["date"] >= pd.Timestamp(first))]
    d = d[d["migrants_arrived"].notna()]
    first = max(d["date"].min().date(), first)
    sc = truncate_to(load_scenario("status_quo"), until)
    gen, _ = fit_crossable_chain(d, sc, start=first, end=until)
    dates = pd.date_range(first, until, freq="D")
    obs = d.drop_duplicates("date").set_index("date")["migrants_arrived"].reindex(dates).to_numpy(dtype=float)
    b_obs, var_obs, dof = month_effects_fit(dates, obs[None])
    f = np.exp(b_obs[0])
    sc = sc.with_values(start=first, end=until, **{"sea_state.generator.p_crossable_after_crossable":
                                                   list(gen.p_crossable_after_crossable),
                                                   "sea_state.generator.p_crossable_after_not":
                                                   list(gen.p_crossable_after_not), "people.inflow_month_sigma": 0.0})
    mask = np.isnan(obs)
    for step in range(PATTERN_STEPS + 1):
        f = f / f.mean()
        sim = simulate_detail(sc.with_values(**{"people.inflow_monthly_factor": [float(x) for x in f]}),
                              PATTERN_REPLICATES, np.random.SeedSequence([int(until.toordinal()), step]),
                              detail=False)["migrants_arrived"].astype(float)
        sim[:, mask] = np.nan
        b_sim, var_sim, _ = month_effects_fit(dates, sim)
        if step < PATTERN_STEPS:
            f = f * np.exp(b_obs[0] - b_sim.mean(axis=0))
    sigma = float(np.sqrt(max(var_obs[0] - float(np.mean(var_sim)), 0.0)))
    return {"sea_state.generator.p_crossable_after_crossable": [round(float(x), 4) for x in
                                                                 gen.p_crossable_after_crossable],
            "sea_state.generator.p_crossable_after_not": [round(float(x), 4) for x in gen.p_crossable_after_not],
            "people.inflow_monthly_factor": [round(float(x), 4) for x in f / f.mean()],
            "people.inflow_month_sigma": round(sigma, 4)}


def year_log_sd(daily: pd.DataFrame, until: date) -> float:
    """Root mean square of the log change of yearly arrivals between full years from ``YEAR_EFFECT_FROM`` to
    ``until``: the year-to-year variation of the inflow level a projection carries."""
    d = daily.assign(date=pd.to_datetime(daily["date"]))
    d = d[d["date"] <= pd.Timestamp(until)]
    tot = d.groupby(d["date"].dt.year)["migrants_arrived"].agg(["sum", "count"])
    tot = tot[(tot.index >= YEAR_EFFECT_FROM) & (tot["count"] >= 365)]["sum"].astype(float)
    ch = np.diff(np.log(tot.to_numpy()))
    return float(np.sqrt(np.mean(ch ** 2))) if len(ch) >= 2 else DEFAULT_YEAR_LOG_SD


def problem(observed: Observed, daily: pd.DataFrame, scenario: Scenario | str = "status_quo",
            only: list[str] | None = None, plug_in: dict | None = None) -> Problem:
    """The calibration problem for ``observed`` (``daily``: the official days, cut at the window's end here).

    ``only`` restricts the calibrated parameters (dotted names, or ``inflow_level`` for the yearly levels);
    ``plug_in``: the plug-in inputs already estimated (a posterior's), instead of estimating them again."""
    from .calendar import truncate_to
    base = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    base = truncate_to(base, observed.until)
    plug = dict(plug_in) if plug_in is not None else plug_in_inputs(daily, observed.until)
    base = base.with_values(**plug, start=observed.start, end=observed.until,
                            **{"people.inflow_year_level": {}, "boats.people_per_boat_history": {},
                               "boats.people_per_boat_reference_date": observed.start})
    known = set(base.priors())
    pri = [(n, p) for n, p in CALIBRATED.items() if n in known]
    if len(pri) < len(CALIBRATED):
        missing = sorted(set(CALIBRATED) - known)
        raise InputError(f"scenario {base.name} lacks calibrated parameters {', '.join(missing)}")
    pri += [(f"{INFLOW_PREFIX}{y}", INFLOW_LEVEL_PRIOR) for y in sorted(set(observed.dates.year))]
    if only is not None:
        allowed = {n for n, _ in pri} | {"inflow_level"}
        unknown = [n for n in only if n not in allowed]
        if unknown:
            raise InputError(f"unknown calibration parameter {unknown[0]!r}; known: "
                             f"{', '.join(n for n, _ in pri if not n.startswith(INFLOW_PREFIX))}, inflow_level")
        pri = [(n, p) for n, p in pri if n in only or (n.startswith(INFLOW_PREFIX) and "inflow_level" in only)]
    return Problem(base, observed, layout(observed), tuple(pri), year_log_sd(daily, observed.until))


def simulate_window(pb: Problem, theta: np.ndarray, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """Daily outcomes ``(n, T)`` over the window for parameter rows ``theta`` (n, k): one history each."""
    from .calendar import calendar_years
    from .model import YEAR_LEVEL, simulate_detail
    n = theta.shape[0]
    given: dict[str, np.ndarray] = {}
    levels = {}
    for j, name in enumerate(pb.names):
        if name.startswith(INFLOW_PREFIX):
            levels[int(name[len(INFLOW_PREFIX):])] = theta[:, j]
        else:
            given[name] = theta[:, j]
    if levels:
        years = calendar_years(pb.scenario)             # warm-up days before the window take its first level
        per_year = {y: levels.get(y, levels[min(levels)] if y < min(levels) else levels[max(levels)]) for y in years}
        # the first simulated year's level is the per-day level, the others relative to it (so a kernel that scales
        # the initial people waiting by the first year's relative level leaves it as drawn)
        base = per_year[years[0]]
        given["people.inflow_people_per_day"] = base
        for y in years:
            given[f"{YEAR_LEVEL}.{y}"] = per_year[y] / base
    return simulate_detail(pb.scenario, n, seed, params=given, detail=False)


def run_block(pb: Problem, n: int, seed: np.random.SeedSequence) -> tuple[np.ndarray, np.ndarray]:
    """One block: prior scores ``z`` (n, k) and summaries ``x`` (n, d)."""
    z = stream(seed, 1).standard_normal((n, len(pb.priors)))
    series = simulate_window(pb, pb.theta(z), np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 2)))
    x = summarise(pb.layout, series, stream(seed, 3))
    return z, x


def simulate_prior(pb: Problem, simulations: int, seed: int, workers: int = 1, address: str | None = None,
                   progress: bool = True, label: str = "calibrate", block: int = BLOCK_SIMULATIONS
                   ) -> tuple[np.ndarray, np.ndarray]:
    """``simulations`` draws from the prior and their summaries, in fixed blocks (same numbers on any worker count)."""
    from tqdm.auto import tqdm
    plan = [(s, min(block, simulations - s)) for s in range(0, simulations, block)]
    seeds = np.random.SeedSequence(seed).spawn(len(plan))
    zs: list = [None] * len(plan)
    xs: list = [None] * len(plan)
    bar = tqdm(total=simulations, desc=label, unit="sim", disable=not progress, leave=False)
    try:
        if workers > 1 or address is not None:
            import ray
            from .ensemble import ray_session
            with ray_session(workers, address):
                task = ray.remote(num_cpus=1)(run_block)
                ref = ray.put(pb)
                pending = {task.remote(ref, n, s): i for i, ((_, n), s) in enumerate(zip(plan, seeds))}
                while pending:
                    ready, _ = ray.wait(list(pending), num_returns=1)
                    for r in ready:
                        i = pending.pop(r)
                        zs[i], xs[i] = ray.get(r)
                        bar.update(plan[i][1])
        else:
            for i, ((_, n), s) in enumerate(zip(plan, seeds)):
                zs[i], xs[i] = run_block(pb, n, s)
                bar.update(n)
    finally:
        bar.close()
    return np.concatenate(zs), np.concatenate(xs)


def train(z: np.ndarray, x: np.ndarray, seed: int, max_epochs: int = 200):
    """A neural posterior estimator of ``z`` given ``x`` (sbi NPE, masked autoregressive flow), trained
    deterministically (one torch thread, ``torch.manual_seed(seed)``). Returns an sbi posterior."""
    try:
        import torch
        from sbi.inference import NPE
        from sbi.neural_nets import posterior_nn
    except ImportError:
        raise InputError("calibration needs sbi and torch: pip install 'crossings[calibrate]'") from None
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    ok = np.isfinite(x).all(axis=1)
    k = z.shape[1]
    prior = torch.distributions.MultivariateNormal(torch.zeros(k), torch.eye(k))
    net = posterior_nn(model="maf", hidden_features=48, num_transforms=4)
    import shutil
    import tempfile
    from torch.utils.tensorboard import SummaryWriter
    logs = tempfile.mkdtemp(prefix="crossings-sbi-")          # sbi would otherwise write ./sbi-logs
    inf = NPE(prior=prior, density_estimator=net, show_progress_bars=False, summary_writer=SummaryWriter(logs))
    inf.append_simulations(torch.as_tensor(z[ok], dtype=torch.float32), torch.as_tensor(x[ok], dtype=torch.float32))
    batch = int(np.clip(ok.sum() // 40, 64, 1024))   # larger batches for larger budgets: fewer, cheaper steps
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):      # sbi prints a convergence line; keep stdout for output
        inf.train(training_batch_size=batch, max_num_epochs=max_epochs, stop_after_epochs=10,
                  show_train_summary=False)
    shutil.rmtree(logs, ignore_errors=True)
    return inf.build_posterior()


def sample_many(posterior, x: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` posterior draws of ``z`` at each observation row of ``x`` (m, d): array (n, m, k)."""
    import torch
    torch.manual_seed(seed)
    s = posterior.sample_batched((n,), x=torch.as_tensor(x, dtype=torch.float32), show_progress_bars=False)
    return s.numpy().astype(float)


def sample(posterior, x: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` posterior draws of ``z`` at one observation ``x`` (d,)."""
    import torch
    torch.manual_seed(seed)
    s = posterior.sample((n,), x=torch.as_tensor(x, dtype=torch.float32)[None], show_progress_bars=False)
    return s.numpy().astype(float)


@dataclass
class Calibration:
    """Result of :func:`calibrate`: the problem, posterior draws ``theta`` (n, k) and the trained estimator."""
    problem: Problem
    theta: np.ndarray
    estimator: object
    simulations: int
    seed: int
    seconds_simulating: float
    seconds_training: float
    x_observed: np.ndarray


def calibrate(observed: Observed, daily: pd.DataFrame, simulations: int = 20_000, seed: int = 0, workers: int = 1,
              address: str | None = None, progress: bool = True, only: list[str] | None = None,
              scenario: Scenario | str = "status_quo", max_epochs: int = 200) -> Calibration:
    """Calibrate the identifiable parameters on ``observed``; see the module docstring."""
    if isinstance(simulations, bool) or not isinstance(simulations, (int, np.integer)) \
            or simulations < MIN_SIMULATIONS:
        raise InputError(f"--simulations must be at least {MIN_SIMULATIONS}, got {simulations}")
    pb = problem(observed, daily, scenario, only)
    x_obs = observed_summaries(pb.layout, observed)
    t0 = time.perf_counter()
    z, x = simulate_prior(pb, int(simulations), seed, workers, address, progress)
    t1 = time.perf_counter()
    est = train(z, x, seed, max_epochs)
    t2 = time.perf_counter()
    theta = pb.theta(sample(est, x_obs, POSTERIOR_DRAWS, seed))
    return Calibration(pb, theta, est, int(simulations), seed, t1 - t0, t2 - t1, x_obs)
