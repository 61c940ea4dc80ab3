"""Binomial and Poisson counts by inverse CDF of given uniforms, vectorised over replicates.

Why not ``Generator.binomial``: the number of random numbers numpy consumes per draw depends on ``n`` and ``p``,
so two doctrines with the same seed would drift apart in every later draw of that stream. Here every count is
a monotone function of one uniform per replicate-day, drawn whatever the doctrine: two runs that differ only in a
probability differ only through that probability (common random numbers), and raising ``p`` never lowers the
count for the same uniform.

Small counts use the exact inverse CDF (pmf recursion, stepping only the entries not yet reached); when the
variance is large (``> NORMAL_ABOVE``) a normal approximation with continuity correction is used instead.
"""
from __future__ import annotations

import numpy as np
from scipy.special import gammaln, ndtri, pdtr

#: Variance above which the normal approximation replaces the exact inverse CDF.
NORMAL_ABOVE = 400.0


def binomial_inv(u: np.ndarray, n: np.ndarray, p) -> np.ndarray:
    """Smallest ``k`` with ``P(Binomial(n, p) <= k) >= u``, elementwise; ``n`` integer array, ``p`` in [0, 1]."""
    n = np.asarray(n, dtype=np.int64)
    shape = n.shape
    n = n.ravel()
    u = np.broadcast_to(np.asarray(u, dtype=float), shape).ravel()
    p = np.broadcast_to(np.asarray(p, dtype=float), shape).ravel()
    out = np.zeros(n.shape, dtype=np.int64)
    live = np.flatnonzero((n > 0) & (p > 0))
    if live.size == 0:
        return out.reshape(shape)
    nn, pp, uu = n[live], p[live], u[live]
    flip = pp > 0.5                        # X = n - Binomial(n, 1-p) at 1-u: fewer steps, same quantile
    q = np.where(flip, 1.0 - pp, pp)
    uu = np.where(flip, 1.0 - uu, uu)
    k = np.zeros(nn.shape, dtype=np.int64)
    var = nn * q * (1.0 - q)
    big = var > NORMAL_ABOVE
    if big.any():
        b = np.flatnonzero(big)
        x = np.floor(nn[b] * q[b] + np.sqrt(var[b]) * ndtri(np.clip(uu[b], 1e-12, 1 - 1e-12)) + 0.5)
        k[b] = np.clip(x, 0, nn[b]).astype(np.int64)
    small = np.flatnonzero(~big & (q > 0))
    if small.size:
        ns, qs, us = nn[small], q[small], uu[small]
        pmf = np.exp(ns * np.log1p(-qs))
        cdf = pmf.copy()
        ratio = qs / (1.0 - qs)
        ks = np.zeros(ns.shape, dtype=np.int64)
        todo = np.flatnonzero(us > cdf)
        while todo.size:
            kt = ks[todo]
            pmf[todo] *= (ns[todo] - kt) / (kt + 1.0) * ratio[todo]
            ks[todo] = kt + 1
            cdf[todo] += pmf[todo]
            todo = todo[(us[todo] > cdf[todo]) & (ks[todo] < ns[todo])]
        k[small] = ks
    out[live] = np.where(flip, nn - k, k)
    return out.reshape(shape)


def _poisson_from_zero(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Exact inverse CDF by stepping up from 0 (small ``lam``)."""
    pmf = np.exp(-lam)
    cdf = pmf.copy()
    k = np.zeros(lam.shape, dtype=np.int64)
    todo = np.flatnonzero(u > cdf)
    limit = np.ceil(lam + 12.0 * np.sqrt(lam) + 20.0)   # guard against u so close to 1 that rounding stalls
    while todo.size:
        kt = k[todo] + 1
        pmf[todo] *= lam[todo] / kt
        k[todo] = kt
        cdf[todo] += pmf[todo]
        todo = todo[(u[todo] > cdf[todo]) & (kt < limit[todo])]
    return k


def _poisson_from_guess(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Exact inverse CDF starting from the Cornish-Fisher guess, with the CDF there from ``pdtr``, then stepping
    down or up (usually zero or one step)."""
    z = ndtri(np.clip(u, 1e-15, 1 - 1e-15))
    k = np.maximum(np.floor(lam + np.sqrt(lam) * z + (z * z - 1.0) / 6.0 + 0.5), 0.0)
    cdf = pdtr(k, lam)
    pmf = np.exp(k * np.log(lam) - lam - gammaln(k + 1.0))
    # step down while F(k-1) >= u
    todo = np.flatnonzero((k > 0) & (cdf - pmf >= u))
    while todo.size:
        kt = k[todo]
        cdf[todo] -= pmf[todo]
        pmf[todo] *= kt / lam[todo]
        k[todo] = kt - 1
        todo = todo[(k[todo] > 0) & (cdf[todo] - pmf[todo] >= u[todo])]
    # step up while F(k) < u
    todo = np.flatnonzero(u > cdf)
    guard = 0
    while todo.size and guard < 200:
        kt = k[todo] + 1
        pmf[todo] *= lam[todo] / kt
        k[todo] = kt
        cdf[todo] += pmf[todo]
        todo = todo[u[todo] > cdf[todo]]
        guard += 1
    return k.astype(np.int64)


#: Poisson means from which the inverse CDF starts at a guess instead of 0.
GUESS_ABOVE = 3.0


def poisson_inv(u: np.ndarray, lam) -> np.ndarray:
    """Smallest ``k`` with ``P(Poisson(lam) <= k) >= u``, elementwise (exact)."""
    u = np.asarray(u, dtype=float)
    shape = u.shape
    u = u.ravel()
    lam = np.broadcast_to(np.asarray(lam, dtype=float), shape).ravel()
    out = np.zeros(u.shape, dtype=np.int64)
    small = np.flatnonzero((lam > 0) & (lam < GUESS_ABOVE))
    if small.size:
        out[small] = _poisson_from_zero(lam[small], u[small])
    big = np.flatnonzero(lam >= GUESS_ABOVE)
    if big.size:
        out[big] = _poisson_from_guess(lam[big], u[big])
    return out.reshape(shape)


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``floor(x + u)``: an integer with expectation ``x`` for uniform ``u``, monotone in ``x``."""
    return np.floor(x + u).astype(np.int64)
