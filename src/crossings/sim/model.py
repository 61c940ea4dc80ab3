"""The daily kernel: one scenario, many replicates, vectorised across replicates (no Python object per boat).

Each day, for every replicate (arrays of length ``n_replicates``; see docs/model.md for the equations):

1. sea state: crossable or not (weather generator chain or real series) and roughness in [0, 1];
2. people waiting: ``+ inflow`` (Poisson, seasonal), ``- attrition`` (share per day);
3. boats attempting on a crossable day: Poisson with mean
   ``min(max_boats_per_day, departure_fraction * deterrence * intensity * waiting / people_per_boat)``;
4. mode: taxi-boat (share, displaced by beach policing) or beach launch; Aa-canal taxi-boats held back when
   the tide leaves the canal closed for part of the night;
5. doctrine: beach prevention; sea interception of taxi-boats (detect x success, with a chance of an incident);
6. hazard: incident (distress) risk rising with load and roughness; deaths in fatal incidents; survivors rescued
   and returned to France; UK interception or uncontrolled landing of arriving boats;
7. prevented and rescued people return to the coast (a share), the rest give up.

People are shared between a day's categories of boats in proportion to boats, so each person is in exactly one
outcome: people launched = arrived + prevented at sea + rescued + deaths, every replicate-day.

Random numbers: every process has its own stream, a child of ``seed`` by spawn key (:func:`params.stream`), and
draws one uniform (or normal) per replicate-day whatever the doctrine; counts are inverse CDFs of those uniforms
(:mod:`crossings.sim.counts`). Two scenarios that differ only in the doctrine therefore differ only through it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .counts import binomial_inv, poisson_inv, stochastic_round
from .params import draw_parameters, stream
from .scenario import Scenario
from .seastate import WeatherGenerator, aa_canal_night_hours, roughness_from_normal, series_driver

OUTCOMES = ("launches", "boats_arrived", "migrants_arrived", "migrants_prevented", "migrants_rescued",
            "incidents", "deaths", "uncontrolled_landings")
STATES = ("people_waiting",)
#: Extra daily series of :func:`simulate_detail` (for checks and diagnostics).
DETAIL = ("crossable", "inflow", "attrition", "boats_attempting", "boats_held_by_tide", "people_attempting",
          "people_launched", "boats_prevented_beach", "migrants_prevented_beach", "boats_intercepted_sea",
          "migrants_prevented_sea", "intercept_incidents", "people_returned")

# Spawn keys of the process streams (children of the block's seed). Never renumber: it changes every result.
S_WEATHER, S_INTENSITY, S_INFLOW, S_ATTRITION, S_LOADING, S_LAUNCH, S_MODE, S_TIDE, S_BEACH, S_SEA, \
    S_SEA_INCIDENT, S_HAZARD, S_FATAL, S_DEATHS, S_UK, S_RETURN = range(1, 17)

_CHUNK_DAYS = 32  # random numbers are drawn this many days at a time (same numbers whatever the chunk)


@dataclass(frozen=True)
class Drivers:
    """Day-level inputs that do not depend on the replicate: months, years elapsed, tide, real sea state."""
    months: np.ndarray            # (T,) 0..11
    years_elapsed: np.ndarray     # (T,) days since start / 365.25
    inflow_factor: np.ndarray     # (T,) monthly inflow factor, mean 1 over the 12 months
    aa_open_share: np.ndarray     # (T,) share of Aa-canal departures the tide allows, in [0, 1]
    generator: WeatherGenerator | None
    series_crossable: np.ndarray | None   # (T,) bool, real series driver
    series_roughness: np.ndarray | None   # (T,) in [0, 1]


def drivers(scenario: Scenario) -> Drivers:
    """The day-level inputs of ``scenario`` (tide windows are predicted once and cached)."""
    dates = scenario.dates()
    months = np.asarray(dates.month) - 1
    factor = np.asarray(scenario.people.inflow_monthly_factor, dtype=float)
    factor = factor / factor.mean()
    b = scenario.boats
    hours = aa_canal_night_hours(scenario.start, scenario.end, b.aa_canal_min_level_m,
                                 b.aa_canal_max_hours_from_high_water)
    aa_open = np.clip(hours / b.aa_canal_full_capacity_hours, 0.0, 1.0)
    ss = scenario.sea_state
    gen = sc = sr = None
    if ss.driver == "generator":
        gen = WeatherGenerator(np.asarray(ss.generator.p_crossable_after_crossable),
                               np.asarray(ss.generator.p_crossable_after_not))
    else:
        path = scenario.base_dir() / ss.series.path if not str(ss.series.path).startswith("/") else ss.series.path
        sc, sr = series_driver(path, dates, ss.series.thresholds)
    return Drivers(months, np.arange(len(dates)) / 365.25, factor[months], aa_open, gen, sc, sr)


def simulate_block(scenario: Scenario, n_replicates: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """Daily outcomes of ``n_replicates`` independent histories of ``scenario``.

    Returns every name in ``OUTCOMES`` and ``STATES`` -> int64 array ``(n_replicates, n_days)``. Uncertain
    parameters are drawn per replicate from ``seed``; the same arguments give the same numbers.
    """
    full = simulate_detail(scenario, n_replicates, seed)
    return {k: full[k] for k in (*OUTCOMES, *STATES)}


def simulate_detail(scenario: Scenario, n_replicates: int, seed: np.random.SeedSequence,
                    params: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """As :func:`simulate_block`, plus the ``DETAIL`` series; ``params`` (dotted name -> per-replicate values)
    overrides the drawn parameters, e.g. to run many parameter sets at once during calibration."""
    if n_replicates < 0:
        raise ValueError("n_replicates must be >= 0")
    if not isinstance(seed, np.random.SeedSequence):
        seed = np.random.SeedSequence(seed)
    drawn = draw_parameters(scenario.priors(), n_replicates, seed)
    if params:
        for k, v in params.items():
            if k not in drawn:
                raise KeyError(f"unknown parameter {k!r}")
            drawn[k] = np.broadcast_to(np.asarray(v, dtype=float), (n_replicates,)).copy()
    return run_kernel(drawn, drivers(scenario), n_replicates, seed)


def run_kernel(p: dict[str, np.ndarray], drv: Drivers, R: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """The day loop on drawn parameters ``p`` (dotted name -> (R,) array) and day-level drivers."""
    T = len(drv.months)
    keys = (*OUTCOMES, *STATES, *DETAIL)
    out = {k: np.zeros((T, R), dtype=np.int64) for k in keys}   # day-major while filling, transposed at the end

    g = {k: stream(seed, k) for k in range(1, 17)}
    # parameters (R,)
    waiting = np.round(p["people.initial_people_waiting"]).astype(np.int64)
    inflow_per_day = p["people.inflow_people_per_day"]
    attrition = p["people.attrition_per_day"]
    departure = p["people.departure_fraction"]
    ret = p["people.return_after_prevention"]
    sig_q = p["sea_state.launch_intensity_sigma"]
    ppb0 = p["boats.people_per_boat_at_start"]
    ppb_trend = p["boats.people_per_boat_trend_per_year"]
    sig_l = p["boats.loading_sigma"]
    supply = p["boats.max_boats_per_day"]
    aa_share = p["boats.aa_canal_share_of_taxi_boats"]
    p_beach = p["doctrine.beach_prevention.p_success"]
    p_int = p["doctrine.sea_interception.p_detect"] * p["doctrine.sea_interception.p_success"]
    p_int_inc = p["doctrine.sea_interception.p_incident"]
    p_unc = p["doctrine.uk_interception.p_uncontrolled_landing"]
    p_inc0 = p["hazard.p_incident_at_reference"]
    ref_load = p["hazard.reference_people_per_boat"]
    k_over = p["hazard.overload_exponent"]
    k_rough = p["hazard.roughness_log_multiplier"]
    p_fatal = p["hazard.p_fatal_given_incident"]
    extra_deaths = p["hazard.deaths_per_fatal_incident"] - 1.0
    taxi = np.clip(p["boats.taxi_boat_share"] + p["adaptation.displacement_to_taxi"]
                   * (p_beach - p["adaptation.beach_prevention_reference"]), 0.0, 1.0)
    deter = np.clip(1.0 - p["adaptation.deterrence_per_sea_interception"] * p_int, 0.0, 1.0)
    dep_eff = departure * deter
    q_shift = 0.5 * sig_q * sig_q
    l_shift = 0.5 * sig_l * sig_l

    crossable = np.zeros(R, dtype=bool)
    gen = drv.generator
    if gen is not None:
        cc = gen.p_crossable_after_crossable[drv.months]
        nc = gen.p_crossable_after_not[drv.months]
        first = gen.stationary()[drv.months[0]] if T else 0.0

    for c0 in range(0, T, _CHUNK_DAYS):
        c1 = min(T, c0 + _CHUNK_DAYS)
        n = c1 - c0
        U = {k: g[k].random((n, R)) for k in (S_WEATHER, S_ATTRITION, S_LAUNCH, S_MODE, S_TIDE, S_BEACH, S_SEA,
                                              S_SEA_INCIDENT, S_HAZARD, S_FATAL, S_DEATHS, S_UK, S_RETURN)}
        Zq = g[S_INTENSITY].standard_normal((n, R))
        Zl = g[S_LOADING].standard_normal((n, R))
        lam_in = inflow_per_day[None, :] * drv.inflow_factor[c0:c1, None]
        inflow_chunk = g[S_INFLOW].poisson(lam_in)
        for j in range(n):
            t = c0 + j
            # 1. sea state
            if gen is not None:
                thr = first if t == 0 else np.where(crossable, cc[t], nc[t])
                crossable = U[S_WEATHER][j] < thr
                rough = None
            else:
                crossable = np.full(R, bool(drv.series_crossable[t]))
                rough = drv.series_roughness[t]
            # 2. people waiting
            inflow = inflow_chunk[j]
            waiting += inflow
            att = np.minimum(stochastic_round(waiting * attrition, U[S_ATTRITION][j]), waiting)
            waiting -= att
            o = {"inflow": inflow, "attrition": att, "crossable": crossable}
            idx = np.flatnonzero(crossable & (waiting > 0))
            if idx.size:
                _launch_day(idx, j, t, waiting, U, Zq, Zl, rough, drv, out, locals_=(
                    dep_eff, sig_q, q_shift, ppb0, ppb_trend, sig_l, l_shift, supply, taxi, aa_share, p_beach,
                    p_int, p_int_inc, p_inc0, ref_load, k_over, k_rough, p_fatal, extra_deaths, p_unc, ret))
            for k, v in o.items():
                out[k][t] = v
            out["people_waiting"][t] = waiting
    return {k: v.T for k, v in out.items()}


def _launch_day(idx, j, t, waiting, U, Zq, Zl, rough, drv: Drivers, out, locals_) -> None:
    """Steps 3-7 for the replicates ``idx`` that have a crossable day and people waiting (in place)."""
    (dep_eff, sig_q, q_shift, ppb0, ppb_trend, sig_l, l_shift, supply, taxi, aa_share, p_beach, p_int, p_int_inc,
     p_inc0, ref_load, k_over, k_rough, p_fatal, extra_deaths, p_unc, ret) = locals_
    W = waiting[idx]
    zq = Zq[j, idx]
    sq = sig_q[idx]
    intensity = np.exp(sq * zq - q_shift[idx])
    sl = sig_l[idx]
    load = np.maximum(ppb0[idx] + ppb_trend[idx] * drv.years_elapsed[t], 1.0) * np.exp(sl * Zl[j, idx] - l_shift[idx])
    load = np.maximum(load, 1.0)
    lam = np.minimum(supply[idx], dep_eff[idx] * intensity * W / load)
    A = poisson_inv(U[S_LAUNCH][j, idx], lam)
    people = np.minimum(W, np.floor(A * load + 0.5).astype(np.int64))
    A = np.minimum(A, people)                       # at least one person per boat
    taxi_att = binomial_inv(U[S_MODE][j, idx], A, taxi[idx])
    held = binomial_inv(U[S_TIDE][j, idx], taxi_att, aa_share[idx] * (1.0 - drv.aa_open_share[t]))
    taxi_go = taxi_att - held
    beach_att = A - taxi_att
    beach_prev = binomial_inv(U[S_BEACH][j, idx], beach_att, p_beach[idx])
    beach_go = beach_att - beach_prev
    sea_int = binomial_inv(U[S_SEA][j, idx], taxi_go, p_int[idx])
    int_inc = binomial_inv(U[S_SEA_INCIDENT][j, idx], sea_int, p_int_inc[idx])
    sea_prev = sea_int - int_inc
    at_sea = beach_go + taxi_go - sea_int
    r = roughness_from_normal(zq) if rough is None else rough
    odds_mult = (load / ref_load[idx]) ** k_over[idx] * np.exp(k_rough[idx] * (r - 0.5))
    p_inc = np.minimum(p_inc0[idx] * odds_mult, 1.0)
    inc_sea = binomial_inv(U[S_HAZARD][j, idx], at_sea, p_inc)
    incidents = inc_sea + int_inc
    arrived = at_sea - inc_sea
    # people by category, in proportion to boats (exact integers: cumulative floors)
    cum = np.stack([held, held + beach_prev, held + beach_prev + sea_prev,
                    held + beach_prev + sea_prev + incidents])
    safeA = np.maximum(A, 1)
    pc = (people * cum) // safeA
    p_held, p_beach_prev, p_sea_prev, p_inc_people = pc[0], pc[1] - pc[0], pc[2] - pc[1], pc[3] - pc[2]
    p_arrived = people - pc[3]
    fatal = binomial_inv(U[S_FATAL][j, idx], incidents, p_fatal[idx])
    deaths = np.minimum(fatal + poisson_inv(U[S_DEATHS][j, idx], fatal * extra_deaths[idx]), p_inc_people)
    rescued = p_inc_people - deaths
    uncontrolled = binomial_inv(U[S_UK][j, idx], arrived, p_unc[idx])
    prevented = p_beach_prev + p_sea_prev
    returned = np.minimum(stochastic_round((prevented + rescued) * ret[idx], U[S_RETURN][j, idx]),
                          prevented + rescued)
    attempting = people - p_held
    waiting[idx] = W - attempting + returned
    for k, v in (("launches", beach_go + taxi_go), ("boats_arrived", arrived), ("migrants_arrived", p_arrived),
                 ("migrants_prevented", prevented), ("migrants_rescued", rescued), ("incidents", incidents),
                 ("deaths", deaths), ("uncontrolled_landings", uncontrolled), ("boats_attempting", A - held),
                 ("boats_held_by_tide", held), ("people_attempting", attempting),
                 ("people_launched", attempting - p_beach_prev), ("boats_prevented_beach", beach_prev),
                 ("migrants_prevented_beach", p_beach_prev), ("boats_intercepted_sea", sea_int),
                 ("migrants_prevented_sea", p_sea_prev), ("intercept_incidents", int_inc),
                 ("people_returned", returned)):
        out[k][t, idx] = v
