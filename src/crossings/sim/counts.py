"""Poisson counts by inverse CDF of given uniforms, elementwise (the kernel's :func:`kernel.poisson_inv`).

Why not ``Generator.poisson``: the number of random numbers numpy consumes per draw depends on the mean, so two
doctrines with the same seed would drift apart in every later draw of that stream. Here every count is a monotone
function of one uniform: two runs that differ only in a probability differ only through that probability (common
random numbers), and raising a rate never lowers the count for the same uniform.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .kernel import poisson_inv as _poisson_inv_scalar


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
