"""The simulator's Python API: parameters per replicate, random inputs, and the compiled day loop.

Public API (used by the ensemble runner, the comparison and calibration)::

    simulate_params(scenario, params, seed, *, daily=False, replicates=None) -> dict[str, np.ndarray]
    parameter_names(scenario) -> tuple[str, ...]         # every dotted name simulate_params accepts
    parameter_sizes(scenario) -> dict[str, int]          # 1, or 12 for monthly vectors
    UNIDENTIFIED                                         # parameters the official series cannot identify
    simulate_block(scenario, n, seed)                    # daily OUTCOMES and STATES, (n, days) int64
    simulate_detail(scenario, n, seed, params=None)      # the same plus DETAIL

``params`` maps dotted names to per-replicate values: shape ``(R,)`` for a scalar (or a number for all), ``(R, 12)``
for a monthly vector (``people.inflow_monthly_factor``, ``sea_state.generator.p_crossable_after_crossable``,
``sea_state.generator.p_crossable_after_not``; a list of 12 for all). The inflow level of each calendar year of the
period is ``people.inflow_year_level.YYYY``. Every parameter not given is drawn from the scenario (its prior, or the
random walk of the inflow level after the last listed year), so one call runs ``R`` parameter sets. ``simulate_params``
returns, for every name in :data:`SERIES`, per-replicate totals over the reported period ``(R,)`` int64, and with
``daily=True`` (or a list of names) the daily series as ``name + "_daily"``, ``(R, days)`` int64. ``crossing_days``
counts days with at least one boat arrived (the official definition), ``boats_prevented`` is the model's counterpart
of the French "events prevented".

Random numbers: every random input of the day loop is a counter-based uniform (:func:`kernel.uniform`), a hash of
the block's key (:func:`random_key`, from ``seed``), the replicate, the day and the input (:class:`kernel.Rand`:
weather, attrition, the nine routes, deaths, return, intensity, loading, inflow; normals by inverse CDF). So each
process of each replicate-day always reads the same number, whatever the doctrine, the replicate's parameters,
what else happened that day or how many days run at once, and a number nobody needs is never computed: two
scenarios that differ only in the doctrine share weather, inflow, loading and every parameter draw (common random
numbers). Counts of boats are inverse CDFs of their uniforms (:func:`kernel.poisson_inv`), so a raised route
probability never lowers its count.
"""
from __future__ import annotations

import functools
from typing import Mapping, Sequence

import numpy as np

from . import kernel as K
from .calendar import Calendar, calendar
from .params import PARAM_STREAM, draw_parameters, name_key, stream
from .scenario import Scenario

OUTCOMES = ("launches", "boats_arrived", "migrants_arrived", "migrants_prevented", "migrants_rescued",
            "incidents", "deaths", "uncontrolled_landings")
STATES = ("people_waiting",)
#: Extra daily series of :func:`simulate_detail` (for checks and diagnostics).
DETAIL = ("crossable", "inflow", "attrition", "boats_attempting", "boats_held_by_tide", "people_attempting",
          "people_launched", "boats_prevented_beach", "migrants_prevented_beach", "boats_intercepted_sea",
          "migrants_prevented_sea", "intercept_incidents", "people_returned", "crossing_days", "boats_prevented")
#: Every series the kernel computes (kernel.Out order).
SERIES = K.SERIES
assert set(OUTCOMES + STATES + DETAIL) == set(SERIES)

# Spawn key of the child of the block's seed whose state keys the kernel's counter-based random inputs
# (kernel.uniform). Never renumber: it changes every result.
S_UNIFORM = 20

MONTHLY = {"people.inflow_monthly_factor": 12, "sea_state.generator.p_crossable_after_crossable": 12,
           "sea_state.generator.p_crossable_after_not": 12}
YEAR_LEVEL = "people.inflow_year_level"

#: Parameters the official series cannot identify while the doctrine has never changed: they stay priors, and
#: their weight in a doctrine difference is measured (Sobol indices), not calibrated.
UNIDENTIFIED = ("doctrine.sea_interception.p_detect", "doctrine.sea_interception.p_success",
                "doctrine.sea_interception.p_incident", "adaptation.deterrence_per_sea_interception",
                "adaptation.displacement_to_taxi")
#: Reference values that define a parameter rather than being estimated.
REFERENCES = ("adaptation.beach_prevention_reference", "hazard.reference_people_per_boat")

#: Replicate-days run per kernel call (a chunk of days; the numbers do not depend on it).
CHUNK_CELLS = 1 << 22


def parameter_sizes(scenario: Scenario) -> dict[str, int]:
    """Every parameter :func:`simulate_params` accepts, by dotted name: 1 for a scalar, 12 for a monthly vector."""
    return dict(_cached(scenario)["sizes"])


def _parameter_sizes(scenario: Scenario) -> dict[str, int]:
    from .calendar import calendar_years
    out = {name: 1 for name in scenario.priors()}
    out.update({k: v for k, v in MONTHLY.items() if k.startswith("people.") or scenario.sea_state.generator})
    out.update({f"{YEAR_LEVEL}.{y}": 1 for y in calendar_years(scenario)})
    return out


def parameter_names(scenario: Scenario) -> tuple[str, ...]:
    """Every dotted name :func:`simulate_params` accepts for ``scenario``."""
    return tuple(parameter_sizes(scenario))


def identifiable(name: str) -> bool:
    """Whether the official series can inform ``name`` (not in UNIDENTIFIED, not a reference value)."""
    return name not in UNIDENTIFIED and name not in REFERENCES


# --- parameters --------------------------------------------------------------------------------------------------

def _replicates(params: Mapping[str, object]) -> int | None:
    for k, v in params.items():
        a = np.asarray(v)
        if a.ndim >= (2 if k in MONTHLY else 1):
            return int(a.shape[0])
    return None


def _as_values(name: str, value, size: int, R: int) -> np.ndarray:
    from ..errors import InputError
    a = np.asarray(value, dtype=float)
    want = (R,) if size == 1 else (R, size)
    try:
        out = np.broadcast_to(a, want).astype(float)
    except ValueError:
        raise InputError(f"parameter {name!r}: values of shape {a.shape} do not fit {R} replicates "
                         f"(expected {want if size == 1 else f'{want} or ({size},)'})") from None
    if not np.isfinite(out).all():
        raise InputError(f"parameter {name!r}: values must be finite")
    return out


def draw(scenario: Scenario, R: int, seed: np.random.SeedSequence,
         params: Mapping[str, object] | None = None) -> dict[str, np.ndarray]:
    """Every parameter for ``R`` replicates: given ``params`` first, the rest drawn from ``seed``."""
    from ..errors import InputError
    cached = _cached(scenario)
    sizes = cached["sizes"]
    params = dict(params or {})
    unknown = [k for k in params if k not in sizes]
    if unknown:
        raise InputError(f"unknown parameter {unknown[0]!r}; known: {', '.join(sizes)}")
    priors = {k: v for k, v in cached["priors"].items() if k not in params}
    out = draw_parameters(priors, R, seed)
    for k, v in params.items():
        out[k] = _as_values(k, v, sizes[k], R)
    gen = scenario.sea_state.generator
    defaults = {"people.inflow_monthly_factor": scenario.people.inflow_monthly_factor}
    if gen is not None:
        defaults.update({"sea_state.generator.p_crossable_after_crossable": gen.p_crossable_after_crossable,
                         "sea_state.generator.p_crossable_after_not": gen.p_crossable_after_not})
    for k, v in defaults.items():
        if k not in out:
            out[k] = np.broadcast_to(np.asarray(v, dtype=float), (R, 12)).copy()
    out.update(_year_levels(scenario, R, seed, out))
    return out


def _year_levels(scenario: Scenario, R: int, seed: np.random.SeedSequence,
                 p: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Inflow level of each calendar year: given, listed, the first listed (before it), or a random walk from
    the last listed (after it), ``level_y = level_(y-1) exp(sigma z_y)`` with ``z_y`` from the year's stream."""
    from .calendar import calendar_years
    table = scenario.people.inflow_year_level
    years = calendar_years(scenario)
    out: dict[str, np.ndarray] = {}
    if not table:
        return {f"{YEAR_LEVEL}.{y}": p.get(f"{YEAR_LEVEL}.{y}", np.ones(R)) for y in years}
    first, last = min(table), max(table)
    sigma = p["people.inflow_year_sigma"]
    level = None
    for y in range(min(years[0], first), years[-1] + 1):
        name = f"{YEAR_LEVEL}.{y}"
        if name in p:
            level = np.asarray(p[name], dtype=float)
        elif y <= last:
            level = np.full(R, table[max(k for k in table if k <= y)] if y >= first else table[first])
        else:
            z = stream(seed, PARAM_STREAM, name_key(name)).standard_normal(R)
            level = level * np.exp(sigma * z)
        if y >= years[0]:
            out[name] = level
    return out


MONTH_SIGMA = "people.inflow_month_sigma"


def month_effects(p: Mapping[str, np.ndarray], years: Sequence[int], seed: np.random.SeedSequence) -> np.ndarray:
    """Each calendar month's inflow factor around the monthly pattern, ``(R, 12, Y)``: ``exp(s z - s^2 / 2)``
    (mean 1) with ``s = people.inflow_month_sigma`` and ``z`` standard normal per replicate and month, from a stream
    keyed by the year (the same month gets the same draw in any period and doctrine: common random numbers)."""
    s = np.asarray(p.get(MONTH_SIGMA, 0.0), dtype=float)
    R = len(p["people.inflow_people_per_day"])
    if not np.any(s > 0):
        return np.ones((R, 12, len(years)))
    s = np.broadcast_to(s, (R,))[:, None]
    out = np.empty((R, 12, len(years)))
    for j, y in enumerate(years):
        z = stream(seed, PARAM_STREAM, name_key(f"people.inflow_month_effect.{y}")).standard_normal((R, 12))
        out[:, :, j] = np.exp(s * z - 0.5 * s * s)
    return out


def constants(p: Mapping[str, np.ndarray]) -> np.ndarray:
    """The per-replicate constants of the day loop, ``(R, len(kernel.Col))`` float64."""
    C = K.Col
    p_beach = p["doctrine.beach_prevention.p_success"]
    p_int = p["doctrine.sea_interception.p_detect"] * p["doctrine.sea_interception.p_success"]
    R = len(p_beach)
    m = np.empty((R, K.N_COLS))
    m[:, C.DEPARTURE] = p["people.departure_fraction"] * np.clip(
        1.0 - p["adaptation.deterrence_per_sea_interception"] * p_int, 0.0, 1.0)
    m[:, C.INTENSITY_SIGMA] = p["sea_state.launch_intensity_sigma"]
    m[:, C.LOADING_SIGMA] = p["boats.loading_sigma"]
    m[:, C.PPB_REFERENCE] = p["boats.people_per_boat_at_reference"]
    m[:, C.PPB_TREND] = p["boats.people_per_boat_trend_per_year"]
    m[:, C.SUPPLY] = p["boats.max_boats_per_day"]
    m[:, C.TAXI_SHARE] = p["boats.taxi_boat_share"] + p["adaptation.displacement_to_taxi"] * (
        p_beach - p["adaptation.beach_prevention_reference"])
    m[:, C.AA_SHARE] = p["boats.aa_canal_share_of_taxi_boats"]
    m[:, C.P_BEACH] = p_beach
    m[:, C.P_INTERCEPT] = p_int
    m[:, C.P_INTERCEPT_INCIDENT] = p["doctrine.sea_interception.p_incident"]
    m[:, C.P_INCIDENT_REFERENCE] = p["hazard.p_incident_at_reference"]
    m[:, C.LOG_REFERENCE_LOAD] = np.log(p["hazard.reference_people_per_boat"])
    m[:, C.OVERLOAD_EXPONENT] = p["hazard.overload_exponent"]
    m[:, C.ROUGHNESS_MULTIPLIER] = p["hazard.roughness_log_multiplier"]
    m[:, C.P_FATAL] = p["hazard.p_fatal_given_incident"]
    m[:, C.EXTRA_DEATHS] = p["hazard.deaths_per_fatal_incident"] - 1.0
    m[:, C.P_UNCONTROLLED] = p["doctrine.uk_interception.p_uncontrolled_landing"]
    m[:, C.RETURN] = p["people.return_after_prevention"]
    m[:, C.ATTRITION] = p["people.attrition_per_day"]
    return m


# --- the run -----------------------------------------------------------------------------------------------------

_CACHE: dict[int, tuple[Scenario, dict]] = {}


def _cached(scenario: Scenario) -> dict:
    """What a call needs of ``scenario`` beyond its parameters' values (priors, sizes, calendar), kept for the few
    scenario objects used last (a Scenario is frozen), so calls of one parameter set do not recompute it."""
    hit = _CACHE.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    entry = {"priors": scenario.priors(), "sizes": _parameter_sizes(scenario), "calendar": None}
    if len(_CACHE) >= 16:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(scenario)] = (scenario, entry)
    return entry


def scenario_calendar(scenario: Scenario) -> Calendar:
    """:func:`calendar.calendar` of ``scenario`` (cached with the scenario object)."""
    entry = _cached(scenario)
    if entry["calendar"] is None:
        entry["calendar"] = calendar(scenario)
    return entry["calendar"]


def run(scenario: Scenario, p: Mapping[str, np.ndarray], R: int, seed: np.random.SeedSequence,
        daily: Sequence[str] = ()) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The day loop on parameters ``p`` (as :func:`draw` returns): totals ``(N_OUT, R)`` int64 over the reported
    days, and the daily series named in ``daily`` as ``(R, days)`` int64 arrays."""
    cal = scenario_calendar(scenario)
    T, n_warm = cal.n_days, cal.n_warm_up
    slot = np.full(K.N_OUT, -1, dtype=np.int64)
    for i, name in enumerate(daily):
        slot[SERIES.index(name)] = i
    buf = np.zeros((len(daily), R, T - n_warm), dtype=np.int64)
    totals = np.zeros((R, K.N_OUT), dtype=np.int64)
    if R == 0 or T == 0:
        return totals.T, {k: buf[i] for i, k in enumerate(daily)}
    C = constants(p)
    mf = p["people.inflow_monthly_factor"]
    mean = mf.mean(axis=1, keepdims=True)
    mf = mf / np.where(mean > 0, mean, 1.0)
    levels = np.stack([p[f"{YEAR_LEVEL}.{y}"] for y in cal.years], axis=1)              # (R, Y)
    inflow_mean = np.ascontiguousarray(p["people.inflow_people_per_day"][:, None, None] * mf[:, :, None]
                                       * levels[:, None, :] * month_effects(p, cal.years, seed))   # (R, 12, Y)
    if cal.series_crossable is None:
        p_cc = np.ascontiguousarray(p["sea_state.generator.p_crossable_after_crossable"])
        p_nc = np.ascontiguousarray(p["sea_state.generator.p_crossable_after_not"])
        s_cross, s_rough = np.zeros(0, dtype=np.bool_), np.zeros(0)
    else:
        p_cc = p_nc = np.zeros((R, 12))
        s_cross, s_rough = cal.series_crossable.astype(np.bool_), cal.series_roughness.astype(float)
    key0, key1 = random_key(seed)
    # people waiting on the first simulated day, scaled by that year's inflow level (a few hundred people would
    # otherwise dominate 2018, when the inflow was 1% of 2025's)
    waiting = np.round(p["people.initial_people_waiting"] * levels[:, cal.year_index[0]]).astype(np.int64)
    was_crossable = np.zeros(R, dtype=np.bool_)
    D = int(min(T, max(1, CHUNK_CELLS // R)))
    for t0 in range(0, T, D):
        _run_chunk()(t0, min(D, T - t0), n_warm, key0, key1, C, p_cc, p_nc, inflow_mean, cal.months,
                    cal.year_index, cal.ppb_history_factor, cal.years_after_ppb_reference, cal.taxi_factor,
                    cal.aa_open_share, s_cross, s_rough, waiting, was_crossable, slot, buf, totals)
    return totals.T, {k: buf[i] for i, k in enumerate(daily)}


@functools.cache
def _run_chunk():
    """The day loop: the ahead-of-time built kernel (:mod:`.kernel_aot`, no numba import) or numba's JIT."""
    from .kernel_aot import run_chunk
    return run_chunk(K.run_chunk)


def random_key(seed: np.random.SeedSequence) -> tuple[np.uint64, np.uint64]:
    """The two 64-bit words that key the kernel's random inputs for ``seed`` (child ``S_UNIFORM`` of it, built from
    the key so the seed's spawn counter is not advanced)."""
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, S_UNIFORM), pool_size=seed.pool_size)
    k = child.generate_state(2, np.uint64)
    return np.uint64(k[0]), np.uint64(k[1])


def _seed(seed) -> np.random.SeedSequence:
    return seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)


def simulate_params(scenario: Scenario, params: Mapping[str, object], seed: np.random.SeedSequence, *,
                    daily: bool | Sequence[str] = False, replicates: int | None = None) -> dict[str, np.ndarray]:
    """Run one replicate per parameter set: ``params`` (dotted name -> per-replicate values) set what they name,
    the rest is drawn from the scenario. Returns ``{series: (R,) totals}`` for every name in SERIES and, with
    ``daily`` (True, or a list of series), ``{series + "_daily": (R, days)}``. ``replicates`` is needed only when
    no parameter is given per replicate."""
    from ..errors import InputError
    R = replicates if replicates is not None else _replicates(params)
    if R is None:
        raise InputError("give replicates=N, or at least one parameter with one value per replicate")
    names = list(SERIES) if daily is True else list(daily or ())
    bad = [k for k in names if k not in SERIES]
    if bad:
        raise InputError(f"unknown daily series {bad[0]!r}; known: {', '.join(SERIES)}")
    seed = _seed(seed)
    p = draw(scenario, int(R), seed, params)
    totals, series = run(scenario, p, int(R), seed, names)
    out = {k: totals[i] for i, k in enumerate(SERIES)}
    out.update({f"{k}_daily": v for k, v in series.items()})
    return out


def simulate_block(scenario: Scenario, n_replicates: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """Daily outcomes of ``n_replicates`` independent histories of ``scenario``: every name in ``OUTCOMES`` and
    ``STATES`` -> int64 ``(n_replicates, n_days)``. The same arguments give the same numbers."""
    return simulate_detail(scenario, n_replicates, seed, detail=False)


def simulate_detail(scenario: Scenario, n_replicates: int, seed: np.random.SeedSequence,
                    params: Mapping[str, object] | None = None, detail: bool = True) -> dict[str, np.ndarray]:
    """As :func:`simulate_block`, plus the ``DETAIL`` series; ``params`` (dotted name -> per-replicate values)
    sets those parameters instead of drawing them."""
    if n_replicates < 0:
        raise ValueError("n_replicates must be >= 0")
    seed = _seed(seed)
    p = draw(scenario, n_replicates, seed, params)
    names = OUTCOMES + STATES + (DETAIL if detail else ())
    _, series = run(scenario, p, n_replicates, seed, names)
    return series
