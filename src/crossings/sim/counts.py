"""Poisson counts by inverse CDF of given uniforms, vectorised over replicates.

Why not ``Generator.poisson``: the number of random numbers numpy consumes per draw depends on the mean,
so two doctrines with the same seed would drift apart in every later draw of that stream. Here every count is
a monotone function of one uniform per replicate-day, drawn whatever the doctrine: two runs that differ only in a
probability differ only through that probability (common random numbers), and raising a rate never lowers the
count for the same uniform.

The inverse CDF is exact: small means step up the pmf recursion from 0 (only the entries not yet reached);
larger means start from the Cornish-Fisher quantile, take the CDF there from ``scipy.special.pdtr`` and step down
or up (usually by at most one).
"""
from __future__ import annotations

import numpy as np
from scipy.special import gammaln, ndtri, pdtr


#: Most steps of the recursion from 0 (means below GUESS_ABOVE need far fewer; guards against u so close to 1
#: that the summed pmf never reaches it by rounding).
_MAX_STEPS = 80


#: Steps of the pmf recursion taken for every entry at once (as 2-D running products and sums) before the few
#: entries still below their uniform continue one step at a time.
_DENSE_STEPS = 6
_STEP_DIVISORS = np.arange(1.0, _DENSE_STEPS + 1.0)[:, None]
#: Entries from which running products and sums over the steps go row by row rather than by ``ufunc.accumulate``.
_ROW_BY_ROW_FROM = 200


def _poisson_from_zero(lc: np.ndarray, uc: np.ndarray) -> np.ndarray:
    """Exact inverse CDF of small means: step up the pmf recursion from 0 (``pmf_s = pmf_(s-1) * (lam / s)``,
    ``cdf_s = cdf_(s-1) + pmf_s``). Called only for entries with ``u > 1 - lam`` (the others are 0, since
    ``exp(-lam) >= 1 - lam``).

    The first ``_DENSE_STEPS`` steps are taken for every entry at once; the count is then the number of steps
    ``s`` with ``u > cdf_s`` (the CDF never decreases), and the entries still below their uniform continue one
    step at a time, at most ``_MAX_STEPS`` steps in all."""
    d = min(_DENSE_STEPS, _MAX_STEPS)
    pmf = np.empty((d + 1, lc.size))
    cdf = np.empty((d + 1, lc.size))
    np.exp(-lc, out=pmf[0])
    np.divide(lc, _STEP_DIVISORS[:d], out=pmf[1:])     # lam / s, then the running products and sums row by row
    if lc.size < _ROW_BY_ROW_FROM:                      # the same products and sums in one call each
        np.multiply.accumulate(pmf, axis=0, out=pmf)
        np.add.accumulate(pmf, axis=0, out=cdf)
    else:                                               # faster on long rows
        cdf[0] = pmf[0]
        for s in range(1, d + 1):
            np.multiply(pmf[s - 1], pmf[s], out=pmf[s])
            np.add(cdf[s - 1], pmf[s], out=cdf[s])
    below = np.greater(uc, cdf)
    kc = np.add.reduce(below, axis=0, dtype=np.int64)
    todo = np.flatnonzero(below[d])
    if not todo.size:
        return kc
    pmf, cdf = pmf[d], cdf[d]
    step = d
    while todo.size and step < _MAX_STEPS:
        step += 1
        pmf[todo] *= lc[todo] / step
        kc[todo] = step
        cdf[todo] += pmf[todo]
        todo = todo[uc[todo] > cdf[todo]]
    return kc


def _poisson_from_guess(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Exact inverse CDF starting from the Cornish-Fisher guess, with the CDF there from ``pdtr``, then stepping
    down or up (usually zero or one step)."""
    z = ndtri(np.minimum(np.maximum(u, 1e-15), 1 - 1e-15))
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
GUESS_ABOVE = 5.0


def poisson_inv(u: np.ndarray, lam) -> np.ndarray:
    """Smallest ``k`` with ``P(Poisson(lam) <= k) >= u``, elementwise (exact); ``lam`` broadcast to ``u``."""
    u = np.asarray(u)
    lam = np.asarray(lam, dtype=float)
    if lam.shape != u.shape:
        lam = np.broadcast_to(lam, u.shape)
    shape = u.shape
    out = _poisson_inv_flat(u.reshape(-1), lam.reshape(-1))
    return out.reshape(shape)


def _poisson_inv_flat(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """:func:`poisson_inv` of 1-D ``u`` and ``lam`` of the same length."""
    out = np.zeros(u.size, dtype=np.int64)
    cand = np.flatnonzero(u > 1.0 - lam)              # the others are 0 (and so is every lam = 0); every lam >= 1
    if not cand.size:
        return out
    lc = lam[cand]
    uc = np.asarray(u[cand], dtype=float)
    big = lc >= GUESS_ABOVE
    bi = np.flatnonzero(big)
    if not bi.size:
        out[cand] = _poisson_from_zero(lc, uc)
        return out
    out[cand[bi]] = _poisson_from_guess(lc[bi], uc[bi])
    si = np.flatnonzero(~big)
    if si.size:
        out[cand[si]] = _poisson_from_zero(lc[si], uc[si])
    return out


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``floor(x + u)``: an integer with expectation ``x`` for uniform ``u``, monotone in ``x``."""
    return np.floor(x + u).astype(np.int64)
