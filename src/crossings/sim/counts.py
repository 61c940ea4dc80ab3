"""Poisson counts by inverse CDF of given uniforms, elementwise (the kernel's :func:`kernel.poisson_inv`), and the
kernel's random inputs and normal quantile, elementwise (for checks).

Why not ``Generator.poisson``: the number of random numbers numpy consumes per draw depends on the mean, so two
doctrines with the same seed would drift apart in every later draw of that stream. Here every count is a monotone
function of one uniform: two runs that differ only in a probability differ only through that probability (common
random numbers), and raising a rate never lowers the count for the same uniform.
"""
from __future__ import annotations

import numpy as np
from .lazyjit import njit  # numba, imported at the first call (startup time)

from .kernel import poisson_inv as _poisson_inv_scalar
from .randoms import normal_quantile as _normal_quantile_scalar
from .randoms import uniform as _uniform_scalar


@njit(cache=True)
def _poisson_inv_flat(u: np.ndarray, lam: np.ndarray, out: np.ndarray) -> None:
    for i in range(u.size):
        out[i] = _poisson_inv_scalar(u[i], lam[i])


def poisson_inv(u: np.ndarray, lam) -> np.ndarray:
    """Smallest ``k`` with ``P(Poisson(lam) <= k) >= u``, elementwise; ``lam`` broadcast to ``u``."""
    u = np.asarray(u, dtype=float)
    lam = np.broadcast_to(np.asarray(lam, dtype=float), u.shape)
    out = np.empty(u.size, dtype=np.int64)
    _poisson_inv_flat(np.ascontiguousarray(u).reshape(-1), np.ascontiguousarray(lam).reshape(-1), out)
    return out.reshape(u.shape)


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``floor(x + u)``: an integer with expectation ``x`` for uniform ``u``, monotone in ``x``."""
    return np.floor(x + u).astype(np.int64)


@njit(cache=True)
def _uniforms_flat(key0, key1, r, t, k, out) -> None:
    for i in range(out.size):
        out[i] = _uniform_scalar(key0, key1, r[i], t[i], k[i])


def kernel_uniforms(seed: np.random.SeedSequence, replicate: np.ndarray, day: np.ndarray,
                    rand: np.ndarray) -> np.ndarray:
    """The kernel's random inputs (``kernel.uniform``) of ``seed`` at the given replicates, days and ``kernel.Rand``
    inputs, elementwise (for checks of the generator)."""
    from .model import random_key
    r, t, k = (np.ascontiguousarray(np.broadcast_arrays(replicate, day, rand)[i], dtype=np.int64).reshape(-1)
               for i in range(3))
    out = np.empty(r.size)
    k0, k1 = random_key(seed)
    _uniforms_flat(k0, k1, r, t, k, out)
    return out.reshape(np.broadcast(replicate, day, rand).shape)


@njit(cache=True)
def _normal_quantile_flat(p, out) -> None:
    for i in range(p.size):
        out[i] = _normal_quantile_scalar(p[i])


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """The kernel's standard normal quantile ``Phi^-1(p)`` (``kernel.normal_quantile``), elementwise."""
    p = np.ascontiguousarray(p, dtype=float)
    out = np.empty(p.size)
    _normal_quantile_flat(p.reshape(-1), out)
    return out.reshape(p.shape)
