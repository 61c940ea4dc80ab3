"""Local-level negative binomial model of daily boats on a seasonal baseline, with a persistent weather term.

Boats on day t: ``NB2(mean mu_t, size r)`` with ::

    log mu_t = level_t + weather_t + sum_k (b_k sin(2 pi k d_t / 365.25) + c_k cos(2 pi k d_t / 365.25))
    level_t = level_{t-1} + e_t,        e_t ~ N(0, q)                 (the level adapts to the data)
    weather_t = phi weather_{t-1} + u_t, u_t ~ N(0, s2 (1 - phi^2))   (calm or rough spells of a few days)

The season coefficients are states too, random walks with a small daily innovation variance ``qs`` (the same for
every coefficient: each harmonic's sin and cos pair adds ``qs`` a day to the variance of ``log mu`` averaged
over the year), so the season's
shape adapts as the years change and its estimation uncertainty, growing with the horizon, is carried into every
forecast with the level's own; at ``qs`` near its lower bound the season is static (``adaptive_season=False``
fixes it at 0). Zero days (and zero weeks) are ordinary NB outcomes: no log of zero is taken.
``q, qs, phi, s2, r`` are fitted by maximising the filter's Laplace likelihood (:mod:`.filter`) on the training
window only. Sample paths start from a draw of the last filtered state (level, weather and season uncertainty)
and add the level, weather and season innovations day by day, so the spread of a forecast comes from the model: its
state uncertainty, its innovations and the negative binomial noise. The hyper-parameters themselves are plugged
in at their estimates, refitted every ``REFIT_DAYS`` on a fixed calendar (the last refit day on or before the data
end, counted from ``REFIT_EPOCH``), so a fit is a function of the series alone and a backtest refits them at one
origin in four, filtering the newer days with them in between. People = boats x a people-per-boat ratio drawn
from recent crossing days, as in the hurdle model; weekly totals are sums of the daily paths.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from .fits import remembered
from .paths import Paths
from .series import Series

YEAR_DAYS = 365.25
BURN_DAYS = 56  # days left out of the likelihood while the level settles from its vague start
LEVEL_PRIOR_VAR = 4.0  # vague: a factor of e^2 either way
SEASON_PRIOR_VAR = 1.0
# hyper-parameter search box (transformed): daily level variance q, daily season-coefficient variance qs (1e-8: a
# standard deviation of 0.003 over a three-year window, a static season; 1e-3: 0.6 over a year), weather AR phi and
# sd, NB size r
BOUNDS = {"q": (1e-5, 0.02), "qs": (1e-8, 1e-3), "phi": (0.0, 0.8), "s": (0.05, 1.0), "r": (0.05, 20.0)}
START = {"q": 1e-3, "qs": 1e-6, "phi": 0.5, "s": 0.5, "r": 1.0}
HYPER = tuple(BOUNDS)  # the fitted hyper-parameters, in the order of the optimiser's vector
STATIC = ("q", "phi", "s", "r")  # those of the static-season model
REFIT_DAYS = 28  # hyper-parameters are refitted on the data up to the last refit day (every four weeks)
REFIT_EPOCH = pd.Timestamp("2000-01-02")  # a Sunday: with daily pages, refit days are data ends of Monday origins


def refit_day(data_end: pd.Timestamp, every_days: int = REFIT_DAYS) -> pd.Timestamp:
    """Last day on or before ``data_end`` on which hyper-parameters are refitted (every ``every_days``)."""
    return data_end - pd.Timedelta(days=(data_end - REFIT_EPOCH).days % every_days)


def _design(dates: pd.DatetimeIndex, harmonics: int) -> np.ndarray:
    d = dates.day_of_year.to_numpy(float)
    cols = [np.ones(len(d)), np.ones(len(d))]
    for k in range(1, harmonics + 1):
        w = 2 * np.pi * k * d / YEAR_DAYS
        cols += [np.sin(w), np.cos(w)]
    return np.column_stack(cols)


def _to_theta(h: dict, names: tuple[str, ...] = HYPER) -> np.ndarray:
    """Hyper-parameters ``names`` to an unbounded vector (logit within their bounds)."""
    out = []
    for name in names:
        lo, hi = BOUNDS[name]
        if name == "phi":
            u = (h[name] - lo) / (hi - lo)
        else:
            u = (np.log(h[name]) - np.log(lo)) / (np.log(hi) - np.log(lo))
        out.append(np.log(u / (1 - u)))
    return np.array(out)


def _from_theta(theta: np.ndarray, names: tuple[str, ...] = HYPER) -> dict:
    """The inverse of :func:`_to_theta`; a static-season vector (without ``qs``) gives ``qs = 0``."""
    out = {"qs": 0.0}
    for name, t in zip(names, theta):
        lo, hi = BOUNDS[name]
        u = 1 / (1 + np.exp(-np.clip(t, -30, 30)))
        out[name] = lo + u * (hi - lo) if name == "phi" else float(np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo))))
    return out


@dataclass
class LocalLevelModel:
    """Settings: ``window_days`` of training data before the data end; ``harmonics`` of the yearly season;
    ``ppb_days`` recent crossing days from which people-per-boat is drawn; ``refit_days``: hyper-parameters are
    refitted on the data up to the last refit day (1: on all the data, at every fit)."""

    window_days: int = 3 * 365
    harmonics: int = 2
    ppb_days: int = 60
    name: str = "locallevel"
    refit_days: int = REFIT_DAYS
    martingale: bool = False  # level drifts -q/2 a day, so exp(level) keeps its mean (not chosen: see docs)
    adaptive_season: bool = True  # season coefficients are random walks of fitted daily variance qs (False: qs = 0)
    _fitted: dict = field(default_factory=dict, repr=False, compare=False)  # (refit day, data) -> hyper-parameters

    def __getstate__(self) -> dict:
        """Pickled (a stored fit, :mod:`.fits`) without the remembered hyper-parameter fit."""
        return {**self.__dict__, "_fitted": {}}

    def _system(self, h: dict, k: int) -> tuple[np.ndarray, np.ndarray]:
        transition = np.ones(k)
        transition[1] = h["phi"]
        innovation = np.zeros(k)
        innovation[0] = h["q"]
        innovation[1] = h["s"] ** 2 * (1 - h["phi"] ** 2)
        innovation[2:] = h.get("qs", 0.0)
        return transition, innovation

    def _prior(self, y: np.ndarray, h: dict, k: int) -> tuple[np.ndarray, np.ndarray]:
        m0 = np.zeros(k)
        head = y[:BURN_DAYS]
        m0[0] = np.log(np.nanmean(head) + 0.5) if np.isfinite(head).any() else 0.0
        P0 = np.diag([LEVEL_PRIOR_VAR, h["s"] ** 2] + [SEASON_PRIOR_VAR] * (k - 2))
        return m0, P0

    def filter(self, y: np.ndarray, X: np.ndarray, h: dict):
        """Run the filter with hyper-parameters ``h``: (log likelihood, last mean, last covariance, level path)."""
        from .filter import run_filter  # numba: imported when filtering, not to simulate from a stored fit
        k = X.shape[1]
        transition, innovation = self._system(h, k)
        m0, P0 = self._prior(y, h, k)
        return run_filter(y, X, transition, innovation, m0, P0, float(h["r"]), BURN_DAYS)

    def hyperparameters(self, series: Series) -> dict:
        """Maximum-likelihood ``q, qs, phi, s, r`` (``qs = 0`` if not ``adaptive_season``) on the ``window_days`` up
        to :func:`refit_day` of the data end (remembered, keyed by that day and those data, for the next fits)."""
        shortest = series.start + pd.Timedelta(days=2 * BURN_DAYS + 180)
        cut = series.upto(min(max(refit_day(series.end, self.refit_days), shortest), series.end))
        first = max(0, len(cut.boats) - self.window_days)
        y = cut.boats[first:].astype(float)
        names = HYPER if self.adaptive_season and self.harmonics > 0 else STATIC
        key = (cut.end, first, names, y.tobytes())
        if key not in self._fitted:
            def maximise() -> dict:
                from scipy.optimize import minimize
                X = _design(cut.dates[first:], self.harmonics)

                def nll(theta: np.ndarray) -> float:
                    ll = self.filter(y, X, _from_theta(theta, names))[0]
                    return -ll if np.isfinite(ll) else 1e12

                res = minimize(nll, _to_theta(START, names), method="L-BFGS-B", bounds=[(-8, 8)] * len(names),
                               options={"maxiter": 40, "ftol": 1e-7, "eps": 1e-4})
                return _from_theta(res.x, names)
            # a function of the window's days alone: remembered beside the store while a stored fit runs (.fits)
            inputs = {"names": list(names), "harmonics": self.harmonics, "first_day": cut.dates[first].isoformat(),
                      "boats": hashlib.sha256(y.tobytes()).hexdigest(), "days": int(y.size)}
            self._fitted = {key: remembered("locallevel-hyper", inputs, maximise)}  # only the newest: origins
            # run forwards
        return self._fitted[key]

    def fit(self, series: Series) -> "LocalLevelResults":
        """Fit on the last ``window_days`` of ``series`` (nothing after its end is read)."""
        n = len(series.boats)
        first = max(0, n - self.window_days)
        if n - first < 2 * BURN_DAYS + 180:
            raise InputError(f"need at least {2 * BURN_DAYS + 180} days of daily data to fit the local-level "
                             f"model, got {n - first}")
        dates = series.dates[first:]
        y = series.boats[first:].astype(float)
        X = _design(dates, self.harmonics)
        h = self.hyperparameters(series)
        loglik, m, P, level = self.filter(y, X, h)
        pos = np.flatnonzero(series.boats > 0)[-self.ppb_days:]
        if pos.size == 0:
            raise InputError("no crossing day in the training window: people per boat unknown")
        ppb = series.people[pos] / series.boats[pos]
        return LocalLevelResults(self, h, float(loglik), m, P, pd.Series(level, index=dates), ppb,
                                 series.end + pd.Timedelta(days=1), float(y.max()))


@dataclass
class LocalLevelResults:
    """A fitted model: hyper-parameters ``h``, last filtered state (mean ``m``, covariance ``P``), filtered level."""

    model: LocalLevelModel
    h: dict
    loglik: float
    m: np.ndarray
    P: np.ndarray
    level: pd.Series
    ppb: np.ndarray
    start: pd.Timestamp
    max_day: float

    def params(self) -> pd.Series:
        return pd.Series({"level_innovation_var_per_day": self.h["q"],
                          "season_innovation_var_per_day": self.h.get("qs", 0.0), "weather_ar": self.h["phi"],
                          "weather_sd": self.h["s"], "nb_size": self.h["r"], "level_now": float(self.m[0]),
                          "level_now_sd": float(np.sqrt(self.P[0, 0])), "loglik": self.loglik})

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        """``horizon`` days of boats and people from the day after the data end, ``n_paths`` paths."""
        k = len(self.m)
        transition, innovation = self.model._system(self.h, k)
        vals, vecs = np.linalg.eigh((self.P + self.P.T) / 2)
        factor = vecs * np.sqrt(np.clip(vals, 0, None))
        state = self.m[None, :] + rng.standard_normal((n_paths, k)) @ factor.T
        dates = pd.date_range(self.start, periods=horizon, freq="D")
        X = _design(dates, self.model.harmonics)
        r = self.h["r"]
        cap = np.log(10 * max(self.max_day, 1.0))  # no path day above ten times the largest day fitted on
        boats = np.empty((n_paths, horizon), np.int64)
        drift = -innovation[0] / 2 if self.model.martingale else 0.0
        for t in range(horizon):
            state = state * transition[None, :] + rng.standard_normal((n_paths, k)) * np.sqrt(innovation)[None, :]
            state[:, 0] += drift
            eta = np.minimum(state @ X[t], cap)
            lam = rng.gamma(r, np.exp(eta) / r)
            boats[:, t] = rng.poisson(lam)
        ratio = self.ppb[rng.integers(0, self.ppb.size, size=boats.shape)]
        people = np.rint(boats * ratio).astype(np.int64)
        return Paths(self.start, boats, people)
