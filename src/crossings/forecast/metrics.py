"""Scores of probabilistic forecasts: Brier and AUC for crossing days; pinball loss, CRPS, interval coverage and
the PIT histogram for counts.

Quantile levels are :data:`crossings.forecast.paths.LEVELS` (0.05, 0.25, 0.5, 0.75, 0.95); the 50% interval is
[q0.25, q0.75] and the 90% interval [q0.05, q0.95], both ends included.
"""
from __future__ import annotations

import numpy as np

from .paths import LEVELS


def brier(p: np.ndarray, outcome: np.ndarray) -> float:
    """Mean squared difference between the forecast probability and the 0/1 outcome (lower is better)."""
    p, y = np.asarray(p, float), np.asarray(outcome, float)
    return float(np.mean((p - y) ** 2))


def auc(p: np.ndarray, outcome: np.ndarray) -> float:
    """Area under the ROC curve of ``p`` for the 0/1 outcome, by ranks; NaN if only one class occurs.

    Mann-Whitney form: with average ranks of ``p`` over all cases (ties share their rank),
    ``AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg)``, the share of (positive, negative) pairs in which the
    positive scores higher, ties counting one half.
    """
    from scipy.stats import rankdata  # scipy.stats is slow to import: only when scoring
    y = np.asarray(outcome, bool)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(np.asarray(p, float), method="average")
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def crps(obs: np.ndarray, samples: np.ndarray) -> float:
    """Mean CRPS of sample forecasts (``samples``: cases x draws) against ``obs`` (lower is better)."""
    return float(np.mean(crps_cases(obs, samples)))


def crps_cases(obs: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """CRPS of each case (``samples``: cases x draws), by scoringrules' ensemble estimator."""
    import scoringrules  # slow to import (it compiles numba functions): only when scoring
    return np.asarray(scoringrules.crps_ensemble(np.asarray(obs, float), np.asarray(samples, float),
                                                 m_axis=-1, backend="numpy"))


def pinball(obs: np.ndarray, q: np.ndarray, levels: tuple[float, ...] = LEVELS) -> np.ndarray:
    """Pinball (quantile) loss of each case averaged over ``levels``.

    ``q``: cases x levels forecast quantiles. For level ``a`` and outcome ``y``: ``a (y - q)`` if ``y >= q``,
    else ``(1 - a) (q - y)``.
    """
    y = np.asarray(obs, float)[:, None]
    q = np.asarray(q, float)
    a = np.asarray(levels, float)[None, :]
    d = y - q
    return np.mean(np.where(d >= 0, a * d, (a - 1) * d), axis=1)


def interval(samples: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval (e.g. 0.9 -> 5% and 95% quantiles) of each row of ``samples``."""
    a = (1 - level) / 2
    lo, hi = np.quantile(np.asarray(samples, float), [a, 1 - a], axis=-1)
    return lo, hi


def coverage(obs: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of observations inside [lower, upper] (both ends included, as counts are whole numbers)."""
    obs = np.asarray(obs, float)
    return float(np.mean((obs >= lower) & (obs <= upper)))


def sample_coverage(obs: np.ndarray, samples: np.ndarray, level: float) -> float:
    """Coverage of the central ``level`` interval taken from sample forecasts."""
    lo, hi = interval(samples, level)
    return coverage(obs, lo, hi)


def _pit_bounds(obs: np.ndarray, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F(y-) and F(y) of each case's sample distribution (the randomised PIT is uniform between them)."""
    y = np.asarray(obs, float)[..., None]
    s = np.asarray(samples, float)
    return (s < y).mean(axis=-1), (s <= y).mean(axis=-1)


def pit_coverage(obs: np.ndarray, samples: np.ndarray, level: float) -> np.ndarray:
    """Per case, the probability that the randomised PIT falls in the central ``level`` band.

    For counts the forecast CDF jumps at whole numbers, so an interval with its ends included covers more than its
    nominal level even when the forecast is right (a day with 60% chance of no boat has 0 at both ends of its 50%
    interval). The randomised PIT, uniform between F(y-1) and F(y) (Czado, Gneiting and Held 2009), is uniform on
    [0, 1] for a calibrated forecast, so its mean band probability is the nominal level for counts too.
    """
    f_lo, f_hi = _pit_bounds(obs, samples)
    a, b = (1 - level) / 2, 1 - (1 - level) / 2
    width = f_hi - f_lo
    overlap = np.clip(np.minimum(f_hi, b) - np.maximum(f_lo, a), 0, None)
    point = ((f_lo >= a) & (f_lo <= b)).astype(float)  # no mass at y (cannot happen for samples containing y)
    return np.where(width > 0, overlap / np.where(width > 0, width, 1), point)


def pit_histogram(obs: np.ndarray, samples: np.ndarray, bins: int = 10) -> np.ndarray:
    """Share of the randomised PIT in each of ``bins`` equal bins of [0, 1], as its expectation (no random draw).

    Each case spreads a mass of 1 uniformly over [F(y-), F(y)] (a point mass where they coincide, put in the bin
    holding it, the last bin for 1). A calibrated forecast gives 1/bins in every bin.
    """
    f_lo, f_hi = _pit_bounds(obs, samples)
    return pit_histogram_from_bounds(f_lo, f_hi, bins)


def pit_histogram_from_bounds(f_lo: np.ndarray, f_hi: np.ndarray, bins: int = 10) -> np.ndarray:
    """:func:`pit_histogram` from each case's F(y-) and F(y)."""
    f_lo, f_hi = np.asarray(f_lo, float), np.asarray(f_hi, float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    lo, hi = edges[:-1][None, :], edges[1:][None, :]
    width = (f_hi - f_lo)[:, None]
    overlap = np.clip(np.minimum(f_hi[:, None], hi) - np.maximum(f_lo[:, None], lo), 0, None)
    point = np.zeros((f_lo.size, bins))
    point[np.arange(f_lo.size), np.minimum((f_lo * bins).astype(int), bins - 1)] = 1.0
    mass = np.where(width > 0, overlap / np.where(width > 0, width, 1), point)
    return mass.mean(axis=0)
