"""Scores of probabilistic forecasts: Brier and AUC for crossing days, CRPS and interval coverage for counts."""
from __future__ import annotations

import numpy as np
import scoringrules
from sklearn.metrics import roc_auc_score


def brier(p: np.ndarray, outcome: np.ndarray) -> float:
    """Mean squared difference between the forecast probability and the 0/1 outcome (lower is better)."""
    p, y = np.asarray(p, float), np.asarray(outcome, float)
    return float(np.mean((p - y) ** 2))


def auc(p: np.ndarray, outcome: np.ndarray) -> float:
    """Area under the ROC curve of ``p`` for the 0/1 outcome; NaN if only one class occurs."""
    y = np.asarray(outcome, bool)
    if y.all() or not y.any():
        return float("nan")
    return float(roc_auc_score(y, np.asarray(p, float)))


def crps(obs: np.ndarray, samples: np.ndarray) -> float:
    """Mean CRPS of sample forecasts (``samples``: cases x draws) against ``obs`` (lower is better)."""
    return float(np.mean(scoringrules.crps_ensemble(np.asarray(obs, float), np.asarray(samples, float),
                                                    m_axis=-1, backend="numpy")))


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


def pit_coverage(obs: np.ndarray, samples: np.ndarray, level: float) -> np.ndarray:
    """Per case, the probability that the randomised PIT falls in the central ``level`` band.

    For counts the forecast CDF jumps at whole numbers, so an interval with its ends included covers more than its
    nominal level even when the forecast is right (a day with 60% chance of no boat has 0 at both ends of its 50%
    interval). The randomised PIT, uniform between F(y-1) and F(y) (Czado, Gneiting and Held 2009), is uniform on
    [0, 1] for a calibrated forecast, so its mean band probability is the nominal level for counts too.
    """
    obs = np.asarray(obs, float)[..., None]
    s = np.asarray(samples, float)
    f_hi = (s <= obs).mean(axis=-1)
    f_lo = (s < obs).mean(axis=-1)
    a, b = (1 - level) / 2, 1 - (1 - level) / 2
    width = f_hi - f_lo
    overlap = np.clip(np.minimum(f_hi, b) - np.maximum(f_lo, a), 0, None)
    point = ((f_lo >= a) & (f_lo <= b)).astype(float)  # no mass at y (cannot happen for samples containing y)
    return np.where(width > 0, overlap / np.where(width > 0, width, 1), point)
