"""Calibration of the combined forecast on forecasts made at earlier data ends: a tail factor that makes their
90% intervals cover as often as they say (split conformal), and a level factor from their observed / forecast
totals shrunk towards 1.

Tail factor (:func:`coverage_factor`). The quantile average's tails beyond its quartiles are stretched or shrunk by
one factor ``f`` (:func:`.combine.tails`): the 90% interval is ``[max(q25 - f (q25 - q05), 0), q75 + f (q95 -
q75)]``. For every earlier case the smallest ``f`` whose interval holds the outcome is its score (0 inside the
quartiles); the factor is the ``ceil((n + 1) 0.9)``-th smallest of the ``n`` scores, the split-conformal quantile
(Vovk, Gammerman and Shafer 2005; Romano, Patterson and Candes 2019), so that, were the earlier cases exchangeable
with the next, the next 90% interval would hold its outcome with probability at least 0.9. This calibrates the
coverage itself, where a factor minimising the pinball loss (:func:`.combine.spread_factor`) need not.

Shrunk tail factor (:func:`shrunk_factor`). A factor fitted on a few dozen earlier cases is noisy; its standard
error ``se`` is estimated by a bootstrap over the earlier data ends (all cases of a data end drawn together, since
their weeks overlap), and the factor is moved towards 1 by ``se`` (soft thresholding: ``1 + sign(f - 1) max(|f -
1| - se, 0)``), so only a departure from 1 larger than its own noise is applied.

Level factor (:func:`level_factor`). ``R = sum observed / sum forecast mean`` over the earlier cases (blocks whose
week had ended by the data end), then ``c = 1 + s (R - 1)`` with ``s`` in [0, 1] the share of the evidence kept
(0: no correction): a correction estimated afresh at every data end from that data end's past, not a fixed one.
"""
from __future__ import annotations

import math

import numpy as np

from .paths import LEVELS

COVERAGE = 0.9  # nominal coverage of the interval whose ends the tail factor sets
TAIL_BOUNDS = (0.25, 3.0)  # tail factors allowed
LEVEL_BOUNDS = (0.5, 2.0)  # level factors allowed
I05, I25, I75, I95 = (LEVELS.index(v) for v in (0.05, 0.25, 0.75, 0.95))
BOOT_DRAWS = 50  # bootstrap resamples of the earlier data ends for the tail factor's standard error
BOOT_SEED = 17  # fixed: a fit is a function of the series alone


def covering_scores(obs: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per case (``q``: cases x :data:`LEVELS`), the smallest tail factor whose 90% interval holds ``obs``
    (0 between the quartiles; infinite where the tail on the outcome's side has no width)."""
    y = np.asarray(obs, float)
    q = np.asarray(q, float)
    q05, q25, q75, q95 = q[:, I05], q[:, I25], q[:, I75], q[:, I95]
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(q95 > q75, (y - q75) / (q95 - q75), np.inf)
        down = np.where(q25 > q05, (q25 - y) / (q25 - q05), np.inf)
    return np.where(y > q75, up, np.where(y < q25, down, 0.0))


def coverage_factor(obs: np.ndarray, q: np.ndarray, coverage: float = COVERAGE,
                    bounds: tuple[float, float] = TAIL_BOUNDS) -> float:
    """Split-conformal tail factor (see the module docstring) from the outcomes ``obs`` and quantiles ``q`` (cases
    x :data:`LEVELS`) of earlier forecasts, within ``bounds``; 1 without any case."""
    return _conformal(covering_scores(obs, q), coverage, bounds)


def coverage_factors(obs: np.ndarray, q: np.ndarray, coverage: float = COVERAGE,
                     bounds: tuple[float, float] = TAIL_BOUNDS) -> tuple[float, float]:
    """(lower, upper) split-conformal tail factors, each tail apart: the outcome is below the lower end with
    probability at most ``(1 - coverage) / 2``, and above the upper end likewise; (1, 1) without any case."""
    y = np.asarray(obs, float)
    q = np.asarray(q, float)
    s = covering_scores(y, q)
    tail = (1 + coverage) / 2
    lo = _conformal(np.where(y < q[:, I25], s, 0.0), tail, bounds)
    hi = _conformal(np.where(y > q[:, I75], s, 0.0), tail, bounds)
    return lo, hi


def _conformal(scores: np.ndarray, coverage: float, bounds: tuple[float, float]) -> float:
    """The ``ceil((n + 1) coverage)``-th smallest of ``n`` scores, within ``bounds`` (1 without any)."""
    s = np.sort(np.asarray(scores, float))
    n = s.size
    if n == 0:
        return 1.0
    k = math.ceil((n + 1) * coverage)
    return float(np.clip(s[k - 1] if k <= n else np.inf, *bounds))


def level_factor(obs: np.ndarray, mean: np.ndarray, share: float,
                 bounds: tuple[float, float] = LEVEL_BOUNDS) -> float:
    """``1 + share (sum obs / sum mean - 1)`` (the ratio of the observed to the forecast totals of earlier cases,
    shrunk towards 1), within ``bounds``; 1 without any forecast total."""
    total = float(np.sum(mean))
    if share <= 0 or total <= 0:
        return 1.0
    return float(np.clip(1.0 + share * (float(np.sum(obs)) / total - 1.0), *bounds))


def shrunk_factor(obs: np.ndarray, q: np.ndarray, w: np.ndarray, groups: np.ndarray, fit,
                  draws: int = BOOT_DRAWS, seed: int = BOOT_SEED) -> float:
    """``fit(obs, q, w)`` (a tail factor, e.g. :func:`.combine.spread_factor`) moved towards 1 by its bootstrap
    standard error over the ``groups`` (the data end of each case, resampled whole); ``fit``'s value with fewer
    than 3 groups."""
    f = float(fit(obs, q, w))
    groups = np.asarray(groups)
    labels = np.unique(groups)
    if labels.size < 3:
        return f
    rows = [np.flatnonzero(groups == g) for g in labels]
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(draws):
        idx = np.concatenate([rows[i] for i in rng.integers(0, labels.size, labels.size)])
        boots.append(float(fit(obs[idx], q[idx], w)))
    se = float(np.std(boots, ddof=1))
    return 1.0 + math.copysign(max(abs(f - 1.0) - se, 0.0), f - 1.0)
