"""The kernel's shortcuts give exactly what they replace: the per-day hash base, the monthly square root of the
inflow mean, and the people shared between routes by cumulative floors (checked from the boat series)."""
from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import stats

from crossings.sim import kernel as K
from crossings.sim.model import simulate_detail
from crossings.sim.randoms import day_base, uniform, uniform_at
from crossings.sim.scenario import load_scenario


@njit(cache=False)
def _both_ways(key0, key1, r, t, k, a, b):
    for i in range(r.size):
        a[i] = uniform(key0, key1, r[i], t[i], k[i])
        b[i] = uniform_at(day_base(key0, r[i], t[i]), key1, k[i])


def test_hash_from_the_day_base_is_the_uniform_of_the_full_counter():
    rng = np.random.default_rng(11)
    n = 20_000
    r = np.concatenate([rng.integers(0, 1 << 20, n - 4), [0, (1 << 20) - 1, 0, (1 << 20) - 1]])
    t = np.concatenate([rng.integers(0, 1 << 16, n - 4), [0, 0, (1 << 16) - 1, (1 << 16) - 1]])
    k = np.concatenate([rng.integers(0, K.N_RAND, n - 4), [0, K.N_RAND - 1, 0, K.N_RAND - 1]])
    for key0, key1 in ((np.uint64(0), np.uint64(0)), (np.uint64(2**64 - 1), np.uint64(12345)),
                       tuple(np.uint64(x) for x in rng.integers(0, 2**63, 2))):
        a, b = np.empty(n), np.empty(n)
        _both_ways(key0, key1, r, t, k, a, b)
        assert np.array_equal(a, b)
        assert ((a > 0) & (a < 1)).all()


@njit(cache=False)
def _inflow(u, lam, out):
    for i in range(u.size):
        out[i] = K.inflow_count(u[i], lam[i], math.sqrt(lam[i]))


def test_inflow_count_is_the_poisson_inverse_cdf_then_the_cornish_fisher_quantile():
    rng = np.random.default_rng(3)
    lam = np.concatenate([rng.uniform(0.01, K._FROM_MODE, 3000), rng.uniform(K._FROM_MODE, 2000, 3000)])
    u = rng.random(lam.size)
    got = np.empty(lam.size, dtype=np.int64)
    _inflow(u, lam, got)
    small = lam < K._FROM_MODE
    assert np.array_equal(got[small], stats.poisson.ppf(u[small], lam[small]).astype(np.int64))
    z = stats.norm.ppf(u[~small])
    cf = np.maximum(np.floor(lam[~small] + z * np.sqrt(lam[~small]) + (z * z - 1) / 6 + 0.5), 0)
    # Acklam's quantile is within 1.2e-9 of scipy's: a floor may differ only right at an integer
    close = np.abs(cf - (lam[~small] + z * np.sqrt(lam[~small]) + (z * z - 1) / 6 + 0.5)) < 1e-6
    assert np.array_equal(got[~small][~close], cf[~close].astype(np.int64))


def test_people_by_route_are_the_cumulative_floors_of_the_boats():
    """From the boat series alone: with ``A`` boats and ``P`` people launched, the people of the routes up to
    route ``k`` are ``floor(P x cum_k / A)``; arrivals, the beach and the sea take the differences."""
    sc = load_scenario("sea_interception")
    d = simulate_detail(sc, 60, np.random.SeedSequence(77))
    held = d["boats_held_by_tide"]
    cum1 = held + d["boats_prevented_beach"]                       # held, then prevented on the beach
    cum4 = cum1 + d["boats_intercepted_sea"]                       # ... then every interception at sea
    cum2 = cum4 - d["intercept_incidents"]                         # interceptions with no incident end at cum2
    cum6 = cum2 + d["incidents"]                                   # incidents (interception and sea) end at cum6
    A = cum6 + d["boats_arrived"]
    day = A > 0
    assert (d["intercept_incidents"] > 0).any() and (d["boats_intercepted_sea"] > 0).any()

    def floor_share(cum, people):
        return (people * cum) // np.where(day, A, 1)

    # on a day with no boat held by the tide, the people attempting are all the people of the day's boats
    day &= held == 0
    assert day.sum() > 500
    P = d["people_attempting"]
    pc1, pc2 = floor_share(cum1, P), floor_share(cum2, P)
    assert np.array_equal(d["migrants_prevented_beach"][day], pc1[day])
    assert np.array_equal(d["migrants_prevented_sea"][day], (pc2 - pc1)[day])
    assert np.array_equal(d["migrants_arrived"][day], (P - floor_share(cum6, P))[day])
    assert (d["migrants_arrived"][A == 0] == 0).all()
