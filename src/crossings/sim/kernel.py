"""The compiled daily kernel (numba): one loop over replicates, and for each replicate one loop over days.

:func:`run_chunk` advances every replicate of a block by a run of days, with the per-replicate constants
(:class:`Col`); each random input (:class:`Rand`) is a counter-based uniform of (block key, replicate, day, input),
``randoms.uniform`` (computed as :func:`uniform_at` of the day's :func:`day_base`), only where the day uses it.
The body of its day loop is one replicate-day of the model (docs/model.md, "Processes"):

1. sea state: crossable or not (weather chain of the replicate, or the real series) and how good the day is;
2. people waiting: ``+ inflow``, ``- attrition``;
3. boats attempting: each :class:`Route` is an independent Poisson count of mean ``lambda x P(route)``
   (Poisson thinning), each the exact inverse CDF of its own uniform;
4. people shared between routes in proportion to boats (cumulative floors), so each person has one outcome;
5. deaths in fatal incidents, the rest of the people in incidents rescued; a share of the prevented and rescued
   come back to the coast.

Named constants (IntEnum) index every row and column; numba compiles them as integers. ``cache=True`` keeps the
compiled code on disk, so a new process does not compile again.
"""
from __future__ import annotations

import math
from enum import IntEnum

import numpy as np
from .lazyjit import njit  # numba, imported at the first call (startup time)

from .randoms import day_base, normal_quantile, uniform_at


#: numba fast-math flags: no NaN or infinity arises, signed zeros do not matter, and approximate library functions
#: (exp, log) and fused multiply-adds are fine for the model. Not "arcp" or "reassoc": the shares of people by
#: route (floor of people x cum / boats) must stay exact, for conservation.
_FAST = {"nnan", "ninf", "nsz", "contract", "afn"}


class Route(IntEnum):
    """Where a boat attempting ends, in the order its cumulative count is taken."""
    HELD_BY_TIDE = 0
    PREVENTED_BEACH = 1
    PREVENTED_SEA = 2
    INTERCEPT_INCIDENT_FATAL = 3
    INTERCEPT_INCIDENT_NONFATAL = 4
    SEA_INCIDENT_FATAL = 5
    SEA_INCIDENT_NONFATAL = 6
    ARRIVED_UNCONTROLLED = 7
    ARRIVED_INTERCEPTED_UK = 8


N_ROUTES = len(Route)


class Rand(IntEnum):
    """The random inputs of a replicate-day, each a uniform (:func:`uniform`); the last three are turned into
    standard normals by their inverse CDF where a normal is needed."""
    WEATHER = 0
    ATTRITION = 1
    ROUTE_FIRST = 2          # rows 2..10: one uniform per Route, in Route order
    DEATHS = 2 + N_ROUTES
    RETURN = 3 + N_ROUTES
    INTENSITY = 4 + N_ROUTES  # normal: how good the day is for launching
    LOADING = 5 + N_ROUTES    # normal: the day's people per boat around its mean
    INFLOW = 6 + N_ROUTES     # people arriving on the coast (see inflow_count)


N_RAND = 7 + N_ROUTES


class Col(IntEnum):
    """Per-replicate constants of the day loop (columns of the matrix built by model.constants)."""
    DEPARTURE = 0            # departure fraction x deterrence
    INTENSITY_SIGMA = 1
    LOADING_SIGMA = 2
    PPB_REFERENCE = 3
    PPB_TREND = 4
    SUPPLY = 5               # most boats a day
    TAXI_SHARE = 6           # before the year factor, after displacement (not clipped)
    AA_SHARE = 7
    P_BEACH = 8
    P_INTERCEPT = 9          # detect x success
    P_INTERCEPT_INCIDENT = 10
    P_INCIDENT_REFERENCE = 11
    LOG_REFERENCE_LOAD = 12
    OVERLOAD_EXPONENT = 13
    ROUGHNESS_MULTIPLIER = 14
    P_FATAL = 15
    EXTRA_DEATHS = 16        # deaths per fatal incident - 1
    P_UNCONTROLLED = 17
    RETURN = 18
    ATTRITION = 19


N_COLS = len(Col)


class Out(IntEnum):
    """Daily series of the kernel. The first nine are OUTCOMES and STATES; the rest are diagnostics."""
    LAUNCHES = 0
    BOATS_ARRIVED = 1
    MIGRANTS_ARRIVED = 2
    MIGRANTS_PREVENTED = 3
    MIGRANTS_RESCUED = 4
    INCIDENTS = 5
    DEATHS = 6
    UNCONTROLLED_LANDINGS = 7
    PEOPLE_WAITING = 8
    CROSSABLE = 9
    INFLOW = 10
    ATTRITION = 11
    BOATS_ATTEMPTING = 12
    BOATS_HELD_BY_TIDE = 13
    PEOPLE_ATTEMPTING = 14
    PEOPLE_LAUNCHED = 15
    BOATS_PREVENTED_BEACH = 16
    MIGRANTS_PREVENTED_BEACH = 17
    BOATS_INTERCEPTED_SEA = 18
    MIGRANTS_PREVENTED_SEA = 19
    INTERCEPT_INCIDENTS = 20
    PEOPLE_RETURNED = 21
    CROSSING_DAYS = 22       # 1 on a day with at least one boat arrived (the official "crossing day")
    BOATS_PREVENTED = 23     # on the beach or at sea: the model's counterpart of SB_02 "events prevented"


N_OUT = len(Out)
SERIES = tuple(o.name.lower() for o in Out)

#: Poisson means from which the inverse CDF starts at the mode instead of 0 (exp(-mean) stays far from 0).
_FROM_MODE = 30.0

#: 1 / k for the small-mean search of poisson_inv (a multiplication instead of a division per step).
_INV_K = np.concatenate([[0.0], 1.0 / np.arange(1, 202)])


@njit(cache=True, error_model="numpy", fastmath=_FAST)
def _poisson_inv_from_mode(u: float, lam: float) -> int:
    """:func:`poisson_inv` for ``lam >= _FROM_MODE``: the CDF summed down from the mode, then walked from it."""
    m = math.floor(lam)
    pm = math.exp(m * math.log(lam) - lam - math.lgamma(m + 1.0))
    c = pm                                   # F(m), summed down from the mode
    p = pm
    j = m
    while j > 0 and p > 1e-18 * c:
        p *= j / lam
        j -= 1
        c += p
    k = m
    p = pm
    if u <= c:                               # step down while F(k - 1) >= u
        while k > 0 and c - p >= u:
            c -= p
            p *= k / lam
            k -= 1
        return int(k)
    while u > c and p > 0.0:                 # step up while F(k) < u
        k += 1
        p *= lam / k
        c += p
    return int(k)


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def poisson_inv(u: float, lam: float) -> int:
    """Smallest ``k`` with ``P(Poisson(lam) <= k) >= u`` (exact up to rounding of the summed pmf). Inlined where
    it is used (the kernel's routes: no call, so no spill of the day's floating-point values around it); the
    rare large means call :func:`_poisson_inv_from_mode`."""
    if lam <= 0.0 or u <= 1.0 - lam:        # P(0) = exp(-lam) >= 1 - lam: most small rates stop here
        return 0
    if lam < _FROM_MODE:
        p = math.exp(-lam)
        c = p
        k = 0
        while u > c and k < 200:
            k += 1
            p *= lam * _INV_K[k]
            c += p
        return k
    return _poisson_inv_from_mode(u, lam)


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def inflow_count(u: float, lam: float, sd: float) -> int:
    """A Poisson(lam) count from a uniform ``u``: the exact inverse CDF below ``_FROM_MODE``, above it the
    Cornish-Fisher quantile ``floor(lam + z sqrt(lam) + (z^2 - 1) / 6 + 1/2)`` at ``z = Phi^-1(u)`` (mean, variance
    and skewness of the Poisson law; cheaper than an exact large-mean inverse CDF). ``sd = sqrt(lam)``, computed
    by the caller once a month rather than once a day."""
    if lam < _FROM_MODE:
        return poisson_inv(u, lam)
    z = normal_quantile(u)
    return max(int(math.floor(lam + z * sd + (z * z - 1.0) / 6.0 + 0.5)), 0)


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def _arrivals(base, key1, lam: float, sd: float) -> int:
    """People arriving on the coast on the day of ``base`` (:func:`inflow_count` of its uniform; none when
    ``lam`` is 0)."""
    return inflow_count(uniform_at(base, key1, Rand.INFLOW), lam, sd) if lam > 0.0 else 0


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def stationary(p_cc: float, p_nc: float) -> float:
    """Long-run share of crossable days of a two-state chain."""
    den = 1.0 - p_cc + p_nc
    return p_nc / den if den > 0.0 else 1.0


@njit(cache=True, error_model="numpy", fastmath=_FAST)
def _emit(slot, daily, tot, k, r, t_out, value) -> None:
    """Add ``value`` to the total of series ``k`` and, when the series is kept, store it as the day's value. Not
    inlined by numba (its array arguments would then be reference-counted at every call) but by LLVM."""
    tot[k] += value
    s = slot[k]
    if s >= 0:
        daily[s, r, t_out] = value


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def _boats(k, mean, base, key1) -> int:
    """Boats on route ``k``: Poisson of ``mean`` by the inverse CDF of its uniform (0 on a route nobody takes)."""
    if mean > 0.0:
        return poisson_inv(uniform_at(base, key1, Rand.ROUTE_FIRST + k), mean)
    return 0


@njit(cache=True, error_model="numpy", fastmath=_FAST)
def run_chunk(t0, n_days, n_warm, key0, key1, C, p_cc, p_nc, inflow_mean, months, year_index, ppb_hist, yrs_after,
              taxi_factor, aa_open, series_cross, series_rough, waiting, was_crossable, slot, daily, totals) -> None:
    """Advance every replicate over days ``t0 .. t0 + n_days - 1`` (``key0``, ``key1``: the block's random key,
    see :func:`uniform`; ``inflow_mean[r, month, year]``: people arriving on the coast a day). ``waiting`` and
    ``was_crossable`` (R,) carry the state from one chunk to the next; days before ``n_warm`` are simulated but not
    reported; ``totals`` (R, N_OUT) add up the reported days.

    One replicate-day is the body of the day loop (the model's steps 1-5 in the module docstring), written out in
    one function: numba's inlining of a helper taking arrays reference-counts them at every call (atomic operations
    on every crossable day)."""
    R = waiting.shape[0]
    n_years = inflow_mean.shape[2]
    use_series = series_cross.shape[0] > 0
    cum = np.zeros(N_ROUTES, dtype=np.int64)
    pc = np.zeros(N_ROUTES, dtype=np.int64)
    for r in range(R):
        c = C[r]
        tot = totals[r]
        W = waiting[r]
        prev = was_crossable[r]
        attrition = c[Col.ATTRITION]
        # each day's people arriving (and its weather and attrition uniforms) are computed one day ahead, at the top of
        # the day before: they depend on no state, so are not thrown away when that day's branches are mispredicted
        base_next = day_base(key0, r, t0)
        cell = months[t0] * n_years + year_index[t0]        # (month, year) of lam_in and sd_in
        lam_in = inflow_mean[r, months[t0], year_index[t0]]
        sd_in = math.sqrt(lam_in) if lam_in > 0.0 else 0.0
        arrived_next = _arrivals(base_next, key1, lam_in, sd_in)
        u_weather_next = uniform_at(base_next, key1, Rand.WEATHER)
        u_attrition_next = uniform_at(base_next, key1, Rand.ATTRITION)
        for d in range(n_days):
            t = t0 + d
            t_out = t - n_warm
            report = t_out >= 0
            base = base_next
            arrived = arrived_next
            u_weather = u_weather_next
            u_attrition = u_attrition_next
            if d + 1 < n_days:
                base_next = day_base(key0, r, t + 1)
                mn, yn = months[t + 1], year_index[t + 1]
                if mn * n_years + yn != cell:
                    cell = mn * n_years + yn
                    lam_in = inflow_mean[r, mn, yn]
                    sd_in = math.sqrt(lam_in) if lam_in > 0.0 else 0.0
                arrived_next = _arrivals(base_next, key1, lam_in, sd_in)
                u_weather_next = uniform_at(base_next, key1, Rand.WEATHER)
                u_attrition_next = uniform_at(base_next, key1, Rand.ATTRITION)
            # 1. sea state
            m = months[t]
            if use_series:
                cross = series_cross[t]
                rough_series = series_rough[t]
            else:
                p = stationary(p_cc[r, m], p_nc[r, m]) if t == 0 else (p_cc[r, m] if prev else p_nc[r, m])
                cross = u_weather < p
                rough_series = -1.0
            prev = cross
            # 2. people waiting: inflow, then attrition = min(floor(W x share + u), W)
            W += arrived
            gone = 0
            if W > 0 and attrition > 0.0:
                gone = min(int(math.floor(W * attrition + u_attrition)), W)
            W -= gone
            if report:
                _emit(slot, daily, tot, Out.CROSSABLE, r, t_out, 1 if cross else 0)
                _emit(slot, daily, tot, Out.INFLOW, r, t_out, arrived)
                _emit(slot, daily, tot, Out.ATTRITION, r, t_out, gone)
            if cross and W > 0:
                # 3. boats attempting: how good the day is, people per boat, boats by route
                sq = c[Col.INTENSITY_SIGMA]
                uq = uniform_at(base, key1, Rand.INTENSITY)
                intensity = math.exp(sq * normal_quantile(uq) - 0.5 * sq * sq)
                rough = rough_series if rough_series >= 0.0 else 1.0 - uq     # Phi(-z): a better day is calmer
                sl = c[Col.LOADING_SIGMA]
                mean_load = max(c[Col.PPB_REFERENCE] * ppb_hist[t] + c[Col.PPB_TREND] * yrs_after[t], 1.0)
                load = mean_load
                if sl > 0.0:
                    load = max(mean_load * math.exp(sl * normal_quantile(uniform_at(base, key1, Rand.LOADING))
                                                    - 0.5 * sl * sl), 1.0)
                lam = min(c[Col.SUPPLY], c[Col.DEPARTURE] * intensity * W / load)
                # route probabilities of one boat
                s = min(max(c[Col.TAXI_SHARE] * taxi_factor[t], 0.0), 1.0)
                held = s * c[Col.AA_SHARE] * (1.0 - aa_open[t])
                taxi_go = s - held
                p_int = c[Col.P_INTERCEPT]
                int_inc = taxi_go * p_int * c[Col.P_INTERCEPT_INCIDENT]
                at_sea = (1.0 - s) * (1.0 - c[Col.P_BEACH]) + taxi_go * (1.0 - p_int)
                p_inc = min(c[Col.P_INCIDENT_REFERENCE] * math.exp(
                    c[Col.OVERLOAD_EXPONENT] * (math.log(load) - c[Col.LOG_REFERENCE_LOAD])
                    + c[Col.ROUGHNESS_MULTIPLIER] * (rough - 0.5)), 1.0)
                pf, pu = c[Col.P_FATAL], c[Col.P_UNCONTROLLED]
                inc = at_sea * p_inc
                arr = at_sea - inc
                total = _boats(Route.HELD_BY_TIDE, lam * held, base, key1)
                cum[0] = total
                total += _boats(Route.PREVENTED_BEACH, lam * (1.0 - s) * c[Col.P_BEACH], base, key1)
                cum[1] = total
                total += _boats(Route.PREVENTED_SEA, lam * (taxi_go * p_int - int_inc), base, key1)
                cum[2] = total
                total += _boats(Route.INTERCEPT_INCIDENT_FATAL, lam * int_inc * pf, base, key1)
                cum[3] = total
                total += _boats(Route.INTERCEPT_INCIDENT_NONFATAL, lam * int_inc * (1.0 - pf), base, key1)
                cum[4] = total
                total += _boats(Route.SEA_INCIDENT_FATAL, lam * inc * pf, base, key1)
                cum[5] = total
                total += _boats(Route.SEA_INCIDENT_NONFATAL, lam * inc * (1.0 - pf), base, key1)
                cum[6] = total
                total += _boats(Route.ARRIVED_UNCONTROLLED, lam * arr * pu, base, key1)
                cum[7] = total
                total += _boats(Route.ARRIVED_INTERCEPTED_UK, lam * arr * (1.0 - pu), base, key1)
                cum[8] = total
                A = total
                people = min(W, int(math.floor(A * load + 0.5)))
                if A > people:                 # fewer people than boats: drop boats, one person at least each
                    for k in range(N_ROUTES):
                        cum[k] = (cum[k] * people) // A
                    A = cum[N_ROUTES - 1]
                # 4. people by route, in proportion to boats (cumulative floors). floor(people * cum / A) in
                # float64 is the exact integer quotient here (numerators far below 2**53, A < 2**20), and much
                # cheaper than int64 division (a route with no boats repeats the floor before it: most of the nine
                # divisions are skipped)
                if A > 0:
                    pf_people = float(people)
                    fa = float(A)
                    cum_before = 0
                    pc_before = 0
                    for k in range(N_ROUTES):
                        ck = cum[k]
                        if ck != cum_before:
                            pc_before = int(math.floor(pf_people * ck / fa))
                            cum_before = ck
                        pc[k] = pc_before
                else:
                    for k in range(N_ROUTES):
                        pc[k] = 0
                # 5. deaths, rescues, returns
                fatal = (cum[3] - cum[2]) + (cum[5] - cum[4])
                deaths = fatal
                if fatal > 0:
                    extra = fatal * c[Col.EXTRA_DEATHS]
                    if extra > 0.0:
                        deaths += poisson_inv(uniform_at(base, key1, Rand.DEATHS), extra)
                deaths = min(deaths, (pc[3] - pc[2]) + (pc[5] - pc[4]))
                rescued = (pc[6] - pc[2]) - deaths       # people in incidents who did not die
                prevented = pc[2] - pc[0]                # stopped on the beach or at sea
                back = prevented + rescued
                returned = 0
                if back > 0:
                    returned = min(int(math.floor(back * c[Col.RETURN] + uniform_at(base, key1, Rand.RETURN))), back)
                attempting = people - pc[0]
                W = W - attempting + returned
                if report:
                    _emit(slot, daily, tot, Out.LAUNCHES, r, t_out, A - cum[1])
                    _emit(slot, daily, tot, Out.BOATS_ARRIVED, r, t_out, A - cum[6])
                    _emit(slot, daily, tot, Out.MIGRANTS_ARRIVED, r, t_out, pc[8] - pc[6])
                    _emit(slot, daily, tot, Out.MIGRANTS_PREVENTED, r, t_out, prevented)
                    _emit(slot, daily, tot, Out.MIGRANTS_RESCUED, r, t_out, rescued)
                    _emit(slot, daily, tot, Out.INCIDENTS, r, t_out, cum[6] - cum[2])
                    _emit(slot, daily, tot, Out.DEATHS, r, t_out, deaths)
                    _emit(slot, daily, tot, Out.UNCONTROLLED_LANDINGS, r, t_out, cum[7] - cum[6])
                    _emit(slot, daily, tot, Out.BOATS_ATTEMPTING, r, t_out, A - cum[0])
                    _emit(slot, daily, tot, Out.BOATS_HELD_BY_TIDE, r, t_out, cum[0])
                    _emit(slot, daily, tot, Out.PEOPLE_ATTEMPTING, r, t_out, attempting)
                    _emit(slot, daily, tot, Out.PEOPLE_LAUNCHED, r, t_out, attempting - (pc[1] - pc[0]))
                    _emit(slot, daily, tot, Out.BOATS_PREVENTED_BEACH, r, t_out, cum[1] - cum[0])
                    _emit(slot, daily, tot, Out.MIGRANTS_PREVENTED_BEACH, r, t_out, pc[1] - pc[0])
                    _emit(slot, daily, tot, Out.BOATS_INTERCEPTED_SEA, r, t_out, cum[4] - cum[1])
                    _emit(slot, daily, tot, Out.MIGRANTS_PREVENTED_SEA, r, t_out, pc[2] - pc[1])
                    _emit(slot, daily, tot, Out.INTERCEPT_INCIDENTS, r, t_out, cum[4] - cum[2])
                    _emit(slot, daily, tot, Out.PEOPLE_RETURNED, r, t_out, returned)
                    _emit(slot, daily, tot, Out.CROSSING_DAYS, r, t_out, 1 if A - cum[6] > 0 else 0)
                    _emit(slot, daily, tot, Out.BOATS_PREVENTED, r, t_out, (cum[1] - cum[0]) + (cum[4] - cum[2]))
            if report:                        # on a day with no launch every series is 0 but these four
                _emit(slot, daily, tot, Out.PEOPLE_WAITING, r, t_out, W)
        waiting[r] = W
        was_crossable[r] = prev
