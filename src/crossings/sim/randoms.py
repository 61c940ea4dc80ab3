"""Counter-based random inputs of the compiled kernel, and the standard normal quantile (numba).

The k-th random input (:class:`crossings.sim.kernel.Rand`) of replicate r on day t is a hash of (key, r, t, k): it
exists whether or not the day needs it, so it is computed only when used (a day with no launch needs 2-3 of the 16)
and is the same number whatever else happens, in any chunking of days (common random numbers, reproducibility).
The hash is two rounds of the SplitMix64 finaliser (Steele, Lea & Flood 2014) on the counter, keyed by two 64-bit
words of the block's SeedSequence (:func:`crossings.sim.model.random_key`).
"""
from __future__ import annotations

import math

import numpy as np
from .lazyjit import njit  # numba, imported at the first call (startup time)

#: numba fast-math flags (as the kernel's): no NaN or infinity arises, approximate library functions are fine.
_FAST = {"nnan", "ninf", "nsz", "contract", "afn"}

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_DAY_BITS = np.uint64(16)            # at most 65,536 simulated days (the scenario limit is 10 years + warm-up)
_RAND_BITS = np.uint64(5)            # N_RAND <= 32
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def _mix(x):
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def day_base(key0, r, t):
    """The part of the hashed counter shared by every input of replicate ``r`` on day ``t``:
    ``key0 + ((r << 16 | t) << 5) x golden`` (mod 2**64). Input ``k`` adds ``k x golden``: the counter's low five
    bits are ``k`` and the rest are zero, so ``(c | k) x golden = c x golden + k x golden`` and :func:`uniform_at`
    gives exactly :func:`uniform`, with one multiplication a day instead of one per input."""
    return key0 + (((np.uint64(r) << _DAY_BITS) | np.uint64(t)) << _RAND_BITS) * _GOLDEN


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def uniform_at(base, key1, k) -> float:
    """:func:`uniform` of input ``k`` from its day's :func:`day_base`."""
    x = _mix(_mix(base + np.uint64(k) * _GOLDEN) ^ key1)
    return (float(x >> np.uint64(11)) + 0.5) * _TO_UNIT


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def uniform(key0, key1, r, t, k) -> float:
    """The uniform in (0, 1) of random input ``k`` of replicate ``r`` on day ``t`` (53 bits, never 0 or 1)."""
    c = (((np.uint64(r) << _DAY_BITS) | np.uint64(t)) << _RAND_BITS) | np.uint64(k)
    x = _mix(_mix(key0 + c * _GOLDEN) ^ key1)
    return (float(x >> np.uint64(11)) + 0.5) * _TO_UNIT


# Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9, far below the
# resolution the model needs; the earlier float32 normals had 24 bits)
_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
      -3.066479806614716e+01, 2.506628277459239e+00)
_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
      -1.328068155288572e+01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
      4.374664141464968e+00, 2.938163982698783e+00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
_P_LOW = 0.02425


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FAST)
def normal_quantile(p: float) -> float:
    """``Phi^-1(p)`` for ``p`` in (0, 1): a standard normal from a uniform (inverse CDF, so monotone in ``p``)."""
    if p < _P_LOW:
        q = math.sqrt(-2.0 * math.log(p))
        return ((((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5])
                / ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0))
    if p > 1.0 - _P_LOW:
        q = math.sqrt(-2.0 * math.log(1.0 - p))
        return -((((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5])
                 / ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0))
    q = p - 0.5
    rr = q * q
    return ((((((_A[0] * rr + _A[1]) * rr + _A[2]) * rr + _A[3]) * rr + _A[4]) * rr + _A[5]) * q
            / (((((_B[0] * rr + _B[1]) * rr + _B[2]) * rr + _B[3]) * rr + _B[4]) * rr + 1.0))


