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
from scipy.special import ndtri

#: Variance above which the normal approximation replaces the exact inverse CDF.
NORMAL_ABOVE = 400.0


def binomial_inv(u: np.ndarray, n: np.ndarray, p) -> np.ndarray:
    """Smallest ``k`` with ``P(Binomial(n, p) <= k) >= u``, elementwise; ``n`` integer array, ``p`` in [0, 1]."""
    n = np.asarray(n, dtype=np.int64)
    u = np.asarray(u, dtype=float)
    p = np.broadcast_to(np.asarray(p, dtype=float), n.shape)
    out = np.zeros(n.shape, dtype=np.int64)
    live = np.flatnonzero((n > 0) & (p > 0))
    if live.size == 0:
        return out
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
    return out


def poisson_inv(u: np.ndarray, lam) -> np.ndarray:
    """Smallest ``k`` with ``P(Poisson(lam) <= k) >= u``, elementwise."""
    u = np.asarray(u, dtype=float)
    lam = np.broadcast_to(np.asarray(lam, dtype=float), u.shape)
    out = np.zeros(u.shape, dtype=np.int64)
    live = np.flatnonzero(lam > 0)
    if live.size == 0:
        return out
    ll, uu = lam[live], u[live]
    k = np.zeros(ll.shape, dtype=np.int64)
    big = ll > NORMAL_ABOVE
    if big.any():
        b = np.flatnonzero(big)
        x = np.floor(ll[b] + np.sqrt(ll[b]) * ndtri(np.clip(uu[b], 1e-12, 1 - 1e-12)) + 0.5)
        k[b] = np.maximum(x, 0).astype(np.int64)
    small = np.flatnonzero(~big)
    if small.size:
        ls, us = ll[small], uu[small]
        pmf = np.exp(-ls)
        cdf = pmf.copy()
        ks = np.zeros(ls.shape, dtype=np.int64)
        todo = np.flatnonzero(us > cdf)
        limit = np.ceil(ls + 12.0 * np.sqrt(ls) + 20.0)   # guard against u so close to 1 that rounding stalls
        while todo.size:
            kt = ks[todo] + 1
            pmf[todo] *= ls[todo] / kt
            ks[todo] = kt
            cdf[todo] += pmf[todo]
            todo = todo[(us[todo] > cdf[todo]) & (kt < limit[todo])]
        k[small] = ks
    out[live] = k
    return out


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``floor(x + u)``: an integer with expectation ``x`` for uniform ``u``, monotone in ``x``."""
    return np.floor(x + u).astype(np.int64)
