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
draws one uniform (or normal) per replicate-day (per crossable replicate-day for the launch processes, and which
days are crossable depends on the sea state alone) whatever the doctrine; counts are inverse CDFs of those uniforms
(:mod:`crossings.sim.counts`). Two scenarios that differ only in the doctrine therefore differ only through it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .counts import _poisson_inv_flat, stochastic_round
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
assert set(OUTCOMES) == set(("launches", "boats_arrived", "migrants_arrived", "migrants_prevented",
                             "migrants_rescued", "incidents", "deaths", "uncontrolled_landings"))

# Spawn keys of the process streams (children of the block's seed). Never renumber: it changes every result.
S_WEATHER, S_INTENSITY, S_INFLOW, S_ATTRITION, S_LOADING, S_DEATHS, S_RETURN = range(1, 8)
#: Routes a boat can take, each counted from its own stream (spawn keys 8..16), in this order.
ROUTES = ("held_by_tide", "prevented_beach", "prevented_sea", "intercept_incident_fatal",
          "intercept_incident_nonfatal", "sea_incident_fatal", "sea_incident_nonfatal", "arrived_uncontrolled",
          "arrived_intercepted_uk")
ROUTE_STREAMS = tuple(range(8, 8 + len(ROUTES)))


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
        path = Path(ss.series.path)
        sc, sr = series_driver(path if path.is_absolute() else scenario.base_dir() / path, dates,
                               ss.series.thresholds)
    return Drivers(months, np.arange(len(dates)) / 365.25, factor[months], aa_open, gen, sc, sr)


def simulate_block(scenario: Scenario, n_replicates: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """Daily outcomes of ``n_replicates`` independent histories of ``scenario``.

    Returns every name in ``OUTCOMES`` and ``STATES`` -> int64 array ``(n_replicates, n_days)``. Uncertain
    parameters are drawn per replicate from ``seed``; the same arguments give the same numbers.
    """
    return simulate_detail(scenario, n_replicates, seed, detail=False)


def simulate_detail(scenario: Scenario, n_replicates: int, seed: np.random.SeedSequence,
                    params: dict[str, np.ndarray] | None = None, detail: bool = True) -> dict[str, np.ndarray]:
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
    return run_kernel(drawn, drivers(scenario), n_replicates, seed, detail=detail)


# Per-replicate constants gathered once per day for the active replicates (rows of one matrix).
_C = ("dep", "sig_q", "q_shift", "ppb0", "ppb_trend", "sig_l", "l_shift", "supply", "taxi", "held_max",
      "beach_prev", "beach_go", "int_prev", "int_inc", "int_miss", "p_inc0", "log_ref", "k_over", "k_rough",
      "p_fatal", "extra_deaths", "p_unc", "ret")
_CI = {k: i for i, k in enumerate(_C)}


def _constants(p: dict[str, np.ndarray]) -> np.ndarray:
    """The per-replicate constants of the day loop, shape ``(len(_C), R)``."""
    p_beach = p["doctrine.beach_prevention.p_success"]
    p_int = p["doctrine.sea_interception.p_detect"] * p["doctrine.sea_interception.p_success"]
    p_int_inc = p["doctrine.sea_interception.p_incident"]
    taxi = np.clip(p["boats.taxi_boat_share"] + p["adaptation.displacement_to_taxi"]
                   * (p_beach - p["adaptation.beach_prevention_reference"]), 0.0, 1.0)
    deter = np.clip(1.0 - p["adaptation.deterrence_per_sea_interception"] * p_int, 0.0, 1.0)
    sig_q, sig_l = p["sea_state.launch_intensity_sigma"], p["boats.loading_sigma"]
    c = {"dep": p["people.departure_fraction"] * deter, "sig_q": sig_q, "q_shift": 0.5 * sig_q * sig_q,
         "ppb0": p["boats.people_per_boat_at_start"], "ppb_trend": p["boats.people_per_boat_trend_per_year"],
         "sig_l": sig_l, "l_shift": 0.5 * sig_l * sig_l, "supply": p["boats.max_boats_per_day"], "taxi": taxi,
         "held_max": taxi * p["boats.aa_canal_share_of_taxi_boats"],
         "beach_prev": (1.0 - taxi) * p_beach, "beach_go": (1.0 - taxi) * (1.0 - p_beach),
         "int_prev": p_int * (1.0 - p_int_inc), "int_inc": p_int * p_int_inc, "int_miss": 1.0 - p_int,
         "p_inc0": p["hazard.p_incident_at_reference"], "log_ref": np.log(p["hazard.reference_people_per_boat"]),
         "k_over": p["hazard.overload_exponent"], "k_rough": p["hazard.roughness_log_multiplier"],
         "p_fatal": p["hazard.p_fatal_given_incident"], "extra_deaths": p["hazard.deaths_per_fatal_incident"] - 1.0,
         "p_unc": p["doctrine.uk_interception.p_uncontrolled_landing"], "ret": p["people.return_after_prevention"]}
    return np.stack([np.asarray(c[k], dtype=float) for k in _C])


#: Daily series written for the active replicates of a crossable day, in this order (rows of one array).
_DAY_KEYS = ("launches", "boats_arrived", "migrants_arrived", "migrants_prevented", "migrants_rescued", "incidents",
             "deaths", "uncontrolled_landings")
_DETAIL_DAY_KEYS = ("boats_attempting", "boats_held_by_tide", "people_attempting", "people_launched",
                    "boats_prevented_beach", "migrants_prevented_beach", "boats_intercepted_sea",
                    "migrants_prevented_sea", "intercept_incidents", "people_returned")


def run_kernel(p: dict[str, np.ndarray], drv: Drivers, R: int, seed: np.random.SeedSequence,
               detail: bool = True) -> dict[str, np.ndarray]:
    """The day loop on drawn parameters ``p`` (dotted name -> (R,) array) and day-level drivers.

    Returns int64 arrays ``(R, T)`` for OUTCOMES, STATES and, with ``detail``, DETAIL. They are transposed views
    of one day-major buffer (filled one day at a time).
    """
    T = len(drv.months)
    day_keys = _DAY_KEYS + (_DETAIL_DAY_KEYS if detail else ())
    keys = (*day_keys, *STATES, *(("crossable", "inflow", "attrition") if detail else ()))
    buf = np.zeros((len(keys), T, R), dtype=np.int64)
    row = {k: i for i, k in enumerate(keys)}
    n_day = len(day_keys)
    g = {k: stream(seed, k) for k in (S_WEATHER, S_INTENSITY, S_INFLOW, S_ATTRITION, S_LOADING, S_DEATHS,
                                      S_RETURN, *ROUTE_STREAMS)}
    waiting = np.round(p["people.initial_people_waiting"]).astype(np.int64)
    inflow_per_day = p["people.inflow_people_per_day"]
    attrition = p["people.attrition_per_day"]
    C = _constants(p)

    crossable = np.zeros(R, dtype=bool)
    gen = drv.generator
    if gen is not None:
        cc = gen.p_crossable_after_crossable[drv.months]
        nc = gen.p_crossable_after_not[drv.months]
        first = gen.stationary()[drv.months[0]] if T else 0.0

    # random inputs of a crossable replicate-day, drawn only for those (which days are crossable depends on the
    # sea state alone, so runs that differ in the doctrine still draw the same numbers): rows 0-8 route
    # uniforms, 9 deaths uniform, 10 return uniform, 11 intensity normal, 12 loading normal
    day_streams = (*ROUTE_STREAMS, S_DEATHS, S_RETURN)
    chunk_days = _chunk_days(R)
    flat = buf.reshape(len(keys), T * R)               # (key, day * R + replicate), a view
    i_waiting = row["people_waiting"]
    xr = np.empty(R)
    for c0 in range(0, T, chunk_days):
        c1 = min(T, c0 + chunk_days)
        n = c1 - c0
        u_weather = g[S_WEATHER].random((n, R), dtype=np.float32)
        u_attrition = g[S_ATTRITION].random((n, R), dtype=np.float32)
        inflow_chunk = g[S_INFLOW].poisson(inflow_per_day[None, :] * drv.inflow_factor[c0:c1, None])
        # 1. sea state for the whole chunk (it depends on nothing else)
        cross = np.empty((n, R), dtype=bool)
        if gen is not None:
            # u < p_cc and u < p_nc for every day of the chunk (compared in float64, as the thresholds are)
            after_c = u_weather < cc[c0:c1, None]
            after_n = u_weather < nc[c0:c1, None]
            for j in range(n):
                if c0 + j == 0:
                    crossable = cross[j] = u_weather[j] < first
                else:
                    crossable = cross[j] = np.where(crossable, after_c[j], after_n[j])
            rough = None
        else:
            cross[:] = drv.series_crossable[c0:c1, None]
            rough = drv.series_roughness[c0:c1]
        cells = np.flatnonzero(cross)                  # day-major: each day's cells are contiguous
        bounds = np.concatenate([[0], np.cumsum(cross.sum(axis=1))])
        day_of = cells // R
        rep_of = cells - day_of * R
        V = np.empty((len(day_streams) + 2, cells.size), dtype=np.float32)
        for i, k in enumerate(day_streams):
            g[k].random(dtype=np.float32, out=V[i])
        g[S_INTENSITY].standard_normal(dtype=np.float32, out=V[-2])
        g[S_LOADING].standard_normal(dtype=np.float32, out=V[-1])
        # everything about a crossable replicate-day that does not depend on the people waiting, at once
        pre = _prepare_cells(C[:, rep_of], V, day_of + c0, None if rough is None else rough[day_of], drv)
        pre["u"] = V[:len(day_streams)].astype(np.float64)   # exact; the counts compare and add in float64
        out = np.empty((n_day, cells.size), dtype=np.int64)
        for j in range(n):
            t = c0 + j
            # 2. people waiting: attrition = min(floor(waiting * attrition + u), waiting)
            inflow = inflow_chunk[j]
            waiting += inflow
            np.multiply(waiting, attrition, out=xr)
            xr += u_attrition[j]
            np.floor(xr, out=xr)
            att = xr.astype(np.int64)
            np.minimum(att, waiting, out=att)
            waiting -= att
            # 3-7. launches, doctrine, hazard, returns (replicates whose day is crossable)
            lo, hi = bounds[j], bounds[j + 1]
            if hi > lo:
                _launch_day(rep_of[lo:hi], waiting, pre, lo, hi, out, detail)
            buf[i_waiting, t] = waiting
            if detail:
                buf[row["inflow"], t] = inflow
                buf[row["attrition"], t] = att
                buf[row["crossable"], t] = cross[j]
        flat[:n_day, c0 * R + cells] = out             # each crossable replicate-day's series, at once
    return {k: buf[i].T for k, i in row.items()}


def _chunk_days(R: int) -> int:
    """Days per chunk of random numbers (the numbers drawn do not depend on it): fewer when blocks are large."""
    return int(np.clip(60_000 // max(R, 1), 2, 32))


def _prepare_cells(c: np.ndarray, v: np.ndarray, day: np.ndarray, rough, drv: Drivers) -> dict[str, np.ndarray]:
    """For crossable replicate-days (columns): the day's load, launch factor and route probabilities of a boat.

    ``c``: per-replicate constants (rows of ``_C``); ``v``: random inputs (rows as in ``run_kernel``); ``day``:
    day index of each column; ``rough``: roughness from a real series, or None (from the intensity normal).
    """
    ci = _CI
    zq, zl = v[-2], v[-1]
    intensity = np.exp(c[ci["sig_q"]] * zq - c[ci["q_shift"]])
    load = np.maximum(c[ci["ppb0"]] + c[ci["ppb_trend"]] * drv.years_elapsed[day], 1.0)
    load *= np.exp(c[ci["sig_l"]] * zl - c[ci["l_shift"]])
    np.maximum(load, 1.0, out=load)
    held_p = c[ci["held_max"]] * (1.0 - drv.aa_open_share[day])
    taxi_go = c[ci["taxi"]] - held_p
    at_sea_p = c[ci["beach_go"]] + taxi_go * c[ci["int_miss"]]
    r = roughness_from_normal(zq) if rough is None else rough
    p_inc = np.minimum(c[ci["p_inc0"]] * np.exp(c[ci["k_over"]] * (np.log(load) - c[ci["log_ref"]])
                                                 + c[ci["k_rough"]] * (r - 0.5)), 1.0)
    pf = c[ci["p_fatal"]]
    pu = c[ci["p_unc"]]
    int_inc = taxi_go * c[ci["int_inc"]]
    inc = at_sea_p * p_inc
    arr = at_sea_p - inc
    routes = np.empty((9, day.size))
    routes[0] = held_p
    routes[1] = c[ci["beach_prev"]]
    np.multiply(taxi_go, c[ci["int_prev"]], out=routes[2])
    np.multiply(int_inc, pf, out=routes[3])
    np.subtract(int_inc, routes[3], out=routes[4])
    np.multiply(inc, pf, out=routes[5])
    np.subtract(inc, routes[5], out=routes[6])
    np.multiply(arr, pu, out=routes[7])
    np.subtract(arr, routes[7], out=routes[8])
    return {"a": c[ci["dep"]] * intensity, "load": load, "supply": c[ci["supply"]], "routes": routes,
            "extra_deaths": c[ci["extra_deaths"]], "ret": c[ci["ret"]]}


def _launch_day(idx: np.ndarray, waiting: np.ndarray, d: dict[str, np.ndarray], lo: int, hi: int,
                out: np.ndarray, detail: bool) -> None:
    """Steps 3-7 for the replicates ``idx`` whose day is crossable, columns ``lo:hi`` of ``d`` (the chunk's
    :func:`_prepare_cells`, with ``"u"`` its random inputs in float64); updates ``waiting`` and writes the rows of
    ``_DAY_KEYS`` (and ``_DETAIL_DAY_KEYS``) into ``out[:, lo:hi]``.

    Boats attempting are Poisson(lam); each boat independently takes a route (held by the tide, stopped on the
    beach, stopped at sea, incident after interception, incident at sea, arrived), and an incident is fatal or not.
    By Poisson thinning the boats on each route are independent Poisson counts with rate lam * P(route): the same
    law as drawing the total and splitting it boat by boat, but each count is one inverse CDF of its own uniform,
    so all routes are drawn in one vectorised call and a doctrine moves only the rates of the routes it touches.
    Every count below is a difference of cumulative counts (boats ``cum``, people ``pc``) over the routes, in order.
    """
    m = hi - lo
    n_routes = len(ROUTE_STREAMS)
    W = waiting[idx]
    load = d["load"][lo:hi]
    lam = np.minimum(d["supply"][lo:hi], d["a"][lo:hi] * W / load)
    rates = d["routes"][:, lo:hi] * lam
    u = d["u"]
    # (9, m) boats by route, then cumulated over the routes in place
    cum = _poisson_inv_flat(u[:n_routes, lo:hi].reshape(-1), rates.reshape(-1)).reshape(n_routes, m)
    if m < 200:
        np.cumsum(cum, axis=0, out=cum)
    else:                                           # the same sums, faster on long rows
        for r in range(1, n_routes):
            np.add(cum[r - 1], cum[r], out=cum[r])
    A = cum[-1]                                     # a view: follows the fix-up below
    people = np.minimum(W, np.floor(A * load + 0.5).astype(np.int64))
    short = A > people                              # fewer people than boats: drop boats, one person at least each
    if short.any():
        cum[:, short] = (cum[:, short] * people[short]) // A[short]
    # people by route, in proportion to boats (exact integers: cumulative floors)
    pc = (people * cum) // np.maximum(A, 1)
    fatal = (cum[3] - cum[2]) + (cum[5] - cum[4])
    deaths = fatal.copy()
    fi = np.flatnonzero(fatal)                      # no fatal incident: no death (a Poisson count of mean 0)
    if fi.size:
        deaths[fi] += _poisson_inv_flat(u[n_routes, lo:hi][fi], fatal[fi] * d["extra_deaths"][lo:hi][fi])
    np.minimum(deaths, (pc[3] - pc[2]) + (pc[5] - pc[4]), out=deaths)
    rescued = (pc[6] - pc[2]) - deaths              # people in incidents who did not die
    prevented = pc[2] - pc[0]                       # stopped on the beach or at sea
    back = prevented + rescued
    returned = np.minimum(stochastic_round(back * d["ret"][lo:hi], u[n_routes + 1, lo:hi]), back)
    attempting = people - pc[0]
    waiting[idx] = W - attempting + returned
    o = out[:, lo:hi]
    np.subtract(A, cum[1], out=o[0])                # launches
    np.subtract(A, cum[6], out=o[1])                # boats arrived
    np.subtract(pc[8], pc[6], out=o[2])             # migrants arrived
    o[3] = prevented
    o[4] = rescued
    np.subtract(cum[6], cum[2], out=o[5])           # incidents
    o[6] = deaths
    np.subtract(cum[7], cum[6], out=o[7])           # uncontrolled landings
    if detail:
        np.subtract(A, cum[0], out=o[8])            # boats attempting
        o[9] = cum[0]                               # held by the tide
        o[10] = attempting
        np.subtract(attempting, pc[1] - pc[0], out=o[11])   # people launched
        np.subtract(cum[1], cum[0], out=o[12])      # boats prevented on the beach
        np.subtract(pc[1], pc[0], out=o[13])
        np.subtract(cum[4], cum[1], out=o[14])      # boats intercepted at sea
        np.subtract(pc[2], pc[1], out=o[15])
        np.subtract(cum[4], cum[2], out=o[16])      # incidents after interception
        o[17] = returned
