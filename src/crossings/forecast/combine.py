"""Combining the sample paths of several forecast models without widening them: quantile averaging of weekly
totals, and weights chosen by the pinball loss of that average.

A mixture of paths (``w_k x n`` paths from each model) is as wide as the models' spread plus their disagreement,
so when each model is calibrated the mixture's intervals are too wide. Quantile averaging (Vincentization, Ratcliff
1979; Lichtendahl, Grushka-Cockayne and Winkler 2013) gives instead, at each level ``u``, the weighted mean of the
models' quantiles ``Q(u) = sum_k w_k Q_k(u)``: its intervals are as wide as the models' on average, its mean is the
weighted mean of theirs, and its pinball loss is at most the weighted mean of theirs (the loss is convex in the
quantile).

:func:`quantile_average` does that on paths, one official week (Monday to Sunday) at a time and for boats and
people apart: each path's week total ``x``, of rank-quantile ``u`` among its own model's paths, is replaced by
``Q(u)``, and the path's days of that week are scaled by ``Q(u) / x`` and rounded to integers that sum to the new
total (largest remainders). Days without crossings stay without, so crossing-day probabilities are those of the
path mixture (less the rare days whose boats round to 0), daily and weekly figures stay sums of the same paths, and a path keeps its ranks from week to week
(the dependence between weeks of each model). A week total of 0 has nothing to scale and stays 0, and a day whose
boats round to 0 loses its people to the week's other days.

:func:`stacking_weights` chooses ``w`` on the simplex to minimise the mean pinball loss of ``Q`` over earlier
forecast cases, each case's loss divided by the models' mean 90% interval width on it (so quiet and busy weeks
count alike, and the scale is known before the outcome). :func:`spread_factor` then shrinks (or stretches) the
average's tails beyond its quartiles by the factor that did best on those cases.
"""
from __future__ import annotations

import numpy as np

from . import metrics as M
from .paths import LEVELS, Paths

WEEK = 7
MIN_WEIGHT = 1e-6
SPREAD_BOUNDS = (0.5, 1.5)  # factors searched by spread_factor


def rank_quantiles(totals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mid-rank quantile ``(rank + 0.5) / n`` of every value among ``totals`` (ties in random order)."""
    n = totals.size
    order = np.lexsort((rng.random(n), totals))
    u = np.empty(n)
    u[order] = (np.arange(n) + 0.5) / n
    return u


def _rescale(days: np.ndarray, new_total: np.ndarray) -> np.ndarray:
    """Days (paths x days) scaled to the integer totals ``new_total`` (rounded by largest remainder); rows summing
    to 0 are kept."""
    old = days.sum(axis=1)
    target = np.rint(new_total).astype(np.int64)
    ok = old > 0
    out = days.copy()
    if not ok.any():
        return out
    x = days[ok] * (target[ok] / old[ok])[:, None]
    lo = np.floor(x).astype(np.int64)
    short = target[ok] - lo.sum(axis=1)
    order = np.argsort(-(x - lo), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(days.shape[1])[None, :], axis=1)
    out[ok] = lo + (rank < short[:, None])
    return out


def _average(u: np.ndarray | float, weights: np.ndarray, ordered: list[np.ndarray]) -> np.ndarray:
    """``sum_k w_k Q_k(u)`` from each model's sorted values (numpy's "linear" quantiles, one sort per model)."""
    return sum(wk * np.interp(np.multiply(u, o.size - 1), np.arange(o.size), o) for wk, o in zip(weights, ordered))


def quantile_average(parts: list[Paths], weights: np.ndarray, rng: np.random.Generator,
                     factor: float = 1.0, level: tuple[float, float] = (1.0, 1.0)) -> Paths:
    """The paths of ``parts`` (same start and length) stacked, each week total moved to the weighted quantile
    average ``sum_k w_k Q_k(u)`` at its rank-quantile ``u`` in its own model (see the module docstring), widened
    or narrowed in its tails by ``factor`` (:func:`tails`) and multiplied by ``level`` (boats, people)."""
    w = np.asarray(weights, float)
    w = w / w.sum()
    start = parts[0].start
    horizon = parts[0].boats.shape[1]
    week = (np.arange(horizon) + start.day_of_week) // WEEK  # official week (Monday to Sunday) of every day
    out = []
    for attr, scale in zip(("boats", "people"), level):
        arrs = [getattr(p, attr) for p in parts]
        if out:  # people only on days that still have boats (a day's boats can round to 0)
            arrs = [a * (b > 0) for a, b in zip(arrs, np.split(out[0], np.cumsum([len(a) for a in arrs])[:-1]))]
        new = [a.copy() for a in arrs]
        for j in range(int(week[-1]) + 1):
            cols = np.flatnonzero(week == j)
            totals = [a[:, cols].sum(axis=1).astype(float) for a in arrs]
            us = [rank_quantiles(t, rng) for t in totals]
            ordered = [np.sort(t) for t in totals]
            q25, q75 = scale * _average(0.25, w, ordered), scale * _average(0.75, w, ordered)
            for k, (a, u) in enumerate(zip(arrs, us)):
                q = scale * _average(u, w, ordered)
                new[k][:, cols] = _rescale(a[:, cols], tails(q, u, q25, q75, factor))
        out.append(np.vstack(new))
    return Paths(start, out[0], out[1])


def _relative(obs: np.ndarray, quantiles: np.ndarray, by: str = "width") -> tuple[np.ndarray, np.ndarray,
                                                                                  np.ndarray]:
    """The cases with a scale, and each one's scale: by "width", the models' mean 90% interval width (known before
    the outcome, so dividing by it favours no model); by "loss", the models' mean pinball loss on the case."""
    if by == "width":
        scale = (quantiles[:, :, -1] - quantiles[:, :, 0]).mean(axis=1)
    else:
        scale = np.stack([M.pinball(obs, quantiles[:, k]) for k in range(quantiles.shape[1])], axis=1).mean(axis=1)
    ok = scale > 0
    return obs[ok], quantiles[ok], scale[ok]


def tails(q: np.ndarray, u: np.ndarray | tuple, q25: np.ndarray, q75: np.ndarray,
          factor: float | tuple[float, float]) -> np.ndarray:
    """Quantiles ``q`` at levels ``u`` with their tails (beyond the quartiles ``q25``, ``q75``) stretched
    (factor > 1) or shrunk (< 1) towards the quartiles, by one factor or by (lower, upper); the interquartile part
    is kept. Not below 0."""
    lo, hi = factor if isinstance(factor, tuple) else (factor, factor)
    u = np.broadcast_to(np.asarray(u, float), np.shape(q))
    out = np.where(u > 0.75, q75 + hi * (q - q75), np.where(u < 0.25, q25 + lo * (q - q25), q))
    return np.maximum(out, 0.0)


def spread(q: np.ndarray, factor: float | tuple[float, float]) -> np.ndarray:
    """Quantiles ``q`` (..., levels :data:`LEVELS`) with :func:`tails` of ``factor``."""
    q25, q75 = q[..., [LEVELS.index(0.25)]], q[..., [LEVELS.index(0.75)]]
    return tails(q, LEVELS, q25, q75, factor)


def spread_factor(obs: np.ndarray, quantiles: np.ndarray, weights: np.ndarray) -> float:
    """Factor in ``SPREAD_BOUNDS`` by which the tails of the quantile average of ``quantiles`` (cases x models x
    levels) with ``weights`` are stretched or shrunk (:func:`spread`) to minimise its pinball loss over the cases,
    each divided by the models' mean loss on it (as the inverse-loss weights; on the development period this did
    better than dividing by the width); 1 without any case."""
    obs, quantiles, scale = _relative(obs, quantiles, by="loss")
    if obs.size == 0:
        return 1.0
    from scipy.optimize import minimize_scalar  # slow to import: only when fitting (a stored fit skips it)
    avg = np.einsum("k,ckl->cl", np.asarray(weights, float), quantiles)
    res = minimize_scalar(lambda f: float((M.pinball(obs, spread(avg, f)) / scale).mean()),
                          bounds=SPREAD_BOUNDS, method="bounded", options={"xatol": 1e-3})
    return float(res.x)


def tail_factors(obs: np.ndarray, quantiles: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """(lower, upper) tail factors in ``SPREAD_BOUNDS`` of the quantile average (as :func:`spread_factor`, each
    tail apart): the lower one minimises the pinball loss at level 0.05, the upper one at 0.95 (the only levels
    each moves), each case's loss divided by the models' mean 90% interval width (known before the outcome: a
    scale from the outcome's own loss would favour shrinking a single tail); (1, 1) without any case."""
    obs, quantiles, scale = _relative(obs, quantiles, by="width")
    if obs.size == 0:
        return 1.0, 1.0
    from scipy.optimize import minimize_scalar
    avg = np.einsum("k,ckl->cl", np.asarray(weights, float), quantiles)
    out = []
    for i, pair in ((0, lambda f: (f, 1.0)), (len(LEVELS) - 1, lambda f: (1.0, f))):
        res = minimize_scalar(lambda f: float((M.pinball(obs, spread(avg, pair(f))[:, [i]], (LEVELS[i],))
                                               / scale).mean()),
                              bounds=SPREAD_BOUNDS, method="bounded", options={"xatol": 1e-3})
        out.append(float(res.x))
    return out[0], out[1]


def stacking_weights(obs: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """Weights (on the simplex) of the models whose quantiles at :data:`~.paths.LEVELS` are ``quantiles`` (cases x
    models x levels) minimising the mean over cases of the pinball loss of ``sum_k w_k quantiles[:, k]`` against
    ``obs``, each case's loss divided by the models' mean 90% interval width on it. The loss is piecewise linear in
    ``w``, so this is a linear programme (solved exactly by HiGHS): ``y - sum_k w_k q_k = e+ - e-``, loss
    ``a e+ + (1 - a) e-``. Equal weights when no case has a width."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack, identity, vstack
    n_models = quantiles.shape[1]
    obs, quantiles, scale = _relative(obs, quantiles)
    if obs.size == 0:
        return np.full(n_models, 1.0 / n_models)
    n, n_levels = obs.size, len(LEVELS)
    a = np.tile(np.asarray(LEVELS), n)
    inv = np.repeat(1.0 / scale, n_levels) / (n * n_levels)
    cost = np.concatenate([np.zeros(n_models), a * inv, (1 - a) * inv])
    q = csr_matrix(quantiles.transpose(0, 2, 1).reshape(n * n_levels, n_models))  # rows: case x level
    eye = identity(n * n_levels, format="csr")
    sums_to_one = csr_matrix(np.r_[np.ones(n_models), np.zeros(2 * n * n_levels)][None, :])
    a_eq = vstack([hstack([q, eye, -eye]), sums_to_one], format="csr")
    res = linprog(cost, A_eq=a_eq, b_eq=np.r_[np.repeat(obs, n_levels), 1.0], bounds=(0, None), method="highs")
    if not res.success:
        return np.full(n_models, 1.0 / n_models)
    w = np.clip(res.x[:n_models], 0, None)
    w = np.where(w < MIN_WEIGHT, 0.0, w)
    return w / w.sum()
