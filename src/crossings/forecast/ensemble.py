"""A path mixture of the forecast models, weighted by how well each did on forecasts made before the data end.

At data end D every component (locallevel, hurdle, seasonal) is refitted as it would have been at earlier data ends
over the ``history_weeks`` weeks before D, one every ``history_step`` weeks and the last week's (by default the 26
weekly data ends D - 7, D - 14, ... D - 182; each on the series up to that day only), and its forecasts of the 7-day
blocks after it are scored, by the mean pinball loss over :data:`~.paths.LEVELS`, against the blocks of weeks 1-4
that have ended by D (boats and people). A case's loss is divided by the mean loss of all components on it, so quiet
and busy weeks, boats and people count alike; a component's weight is inversely proportional to its mean relative
loss (inverse-loss weights: simple and robust where fitted combination weights are noisy, Stock and Watson 2004).
Nothing published after D enters the weights, and forecasts of weeks not yet over do not count.

The paths are the components' own paths, ``round(weight x n_paths)`` from each, so daily and weekly figures stay
sums of the same paths. With ``combine="quantile"`` (the default) their week totals are then moved to the quantile
average of the components (:func:`.combine.quantile_average`), whose tails beyond the quartiles are shrunk or
stretched by the factor that minimised the average's relative pinball loss over the same history
(:func:`.combine.spread_factor`; ``tails="coverage"`` sets it by split conformal instead, :mod:`.calibrate`, and
``level_share`` multiplies the week totals by the history's observed / forecast ratio shrunk towards 1; neither is
on by default, see docs/forecast-development.md): a pooled mixture (``combine="mixture"``) is as wide as the
components plus their disagreement, and its 90% intervals covered 0.96-1.00 of the weeks of the development period
(2022 origins). ``weighting="stacking"`` chooses the weights by the average's pinball loss instead
(:func:`.combine.stacking_weights`); it did no better there (docs/forecast-development.md). History forecasts use
their own random streams (seeded by their data end), so a fit is a function of the series alone; their scores are
remembered between fits, so a backtest computes each once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from . import metrics as M
from .calibrate import coverage_factor, coverage_factors, level_factor, shrunk_factor
from .combine import quantile_average, spread_factor, stacking_weights, tail_factors
from .paths import LEVELS, Paths
from .series import Series

WEEK = 7
HISTORY_WEEKS = 26  # weeks before the data end whose data ends' forecasts are scored
HISTORY_STEP = 1  # one data end every HISTORY_STEP weeks of them (and the last week's)
SCORED_WEEKS = 4  # 7-day blocks 1..4 after each earlier data end
HISTORY_PATHS = 200
HISTORY_SEED = 9  # history forecasts draw from default_rng([HISTORY_SEED, data end ordinal, component])


def pinball_of_samples(obs: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """Mean pinball loss over :data:`LEVELS` of each case (``samples``: cases x draws) against ``obs``."""
    return M.pinball(obs, np.quantile(samples, LEVELS, axis=1).T)


def inverse_loss_weights(losses: pd.DataFrame, as_of: pd.Timestamp, names: list[str]) -> np.ndarray:
    """Weights of ``names`` from ``losses`` (columns ``block_end`` and one loss column per name; one row per scored
    case), using only the cases whose block ended on or before ``as_of``. Equal weights without any such case."""
    done = losses[pd.DatetimeIndex(losses["block_end"]) <= as_of]
    if done.empty:
        return np.full(len(names), 1.0 / len(names))
    x = done[names].to_numpy(float)
    scale = x.mean(axis=1, keepdims=True)
    ok = scale[:, 0] > 0
    if not ok.any():
        return np.full(len(names), 1.0 / len(names))
    rel = (x[ok] / scale[ok]).mean(axis=0)
    w = 1.0 / np.maximum(rel, 1e-9)
    return w / w.sum()


def _qcol(name: str, level: float) -> str:
    """Column of a history frame holding component ``name``'s forecast quantile at ``level``."""
    return f"{name}@{level:g}"


def _mcol(name: str) -> str:
    """Column of a history frame holding component ``name``'s forecast mean."""
    return f"{name}@mean"


def since(losses: pd.DataFrame, end: pd.Timestamp, weeks: int) -> pd.DataFrame:
    """The history cases of the data ends in the last ``weeks`` weeks before ``end``."""
    return losses[pd.DatetimeIndex(losses["data_end"]) >= end - pd.Timedelta(days=WEEK * weeks)]


def history_quantiles(losses: pd.DataFrame, as_of: pd.Timestamp, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Observed block totals and the quantiles of ``names`` (cases x names x levels) of the history cases whose
    block ended on or before ``as_of``."""
    done = losses[pd.DatetimeIndex(losses["block_end"]) <= as_of]
    q = np.stack([done[[_qcol(n, lv) for lv in LEVELS]].to_numpy(float) for n in names], axis=1)
    return done["obs"].to_numpy(float), q.reshape(len(done), len(names), len(LEVELS))


def stacked_weights(losses: pd.DataFrame, as_of: pd.Timestamp, names: list[str]) -> np.ndarray:
    """Weights of ``names`` minimising the relative pinball loss of their quantile average
    (:func:`.combine.stacking_weights`) over the history cases whose block ended on or before ``as_of``."""
    obs, q = history_quantiles(losses, as_of, names)
    return stacking_weights(obs, q) if obs.size else np.full(len(names), 1.0 / len(names))


def components() -> list:
    """The models mixed: locallevel, hurdle, seasonal (imported here: each brings its own libraries)."""
    from .hurdle import HurdleModel
    from .locallevel import LocalLevelModel
    from .seasonal import SeasonalLevelModel
    return [LocalLevelModel(), HurdleModel(), SeasonalLevelModel()]


@dataclass
class EnsembleModel:
    """Settings: the earlier data ends scored for the weights and the tail factor (``history_weeks`` weeks back, one
    every ``history_step``), how the components are combined, and the calibration of the combination."""

    history_weeks: int = HISTORY_WEEKS
    history_step: int = HISTORY_STEP  # every how many weeks an earlier data end is scored (and always the last week's)
    combine: str = "quantile"  # "quantile": quantile average of week totals (.combine); "mixture": paths pooled
    weighting: str = "inverse"  # "inverse": inverse mean loss; "stacking": minimise the combination's pinball
    spread: bool = True  # quantile average widened or narrowed by the factor that did best on the history
    tails: str = "pinball"  # tail factor: "pinball" (lowest loss), "shrunk" (that less its bootstrap noise) or
    # "coverage" (split conformal, .calibrate)
    calib_weeks: int | None = None  # earlier data ends for the tail factor (None: history_weeks)
    level_share: float = 0.0  # share of the history's observed / forecast ratio applied to the level (0: none)
    level_weeks: int | None = None  # earlier data ends for the level factor (None: history_weeks)
    name: str = "ensemble"
    models: list = field(default_factory=components)
    _sims: dict = field(default_factory=dict, repr=False, compare=False)  # (component, day, data) -> block totals
    _rows: dict = field(default_factory=dict, repr=False, compare=False)  # (day, blocks, data) -> scored rows
    _fits: dict = field(default_factory=dict, repr=False, compare=False)  # (component, day, data) -> fitted model

    def __getstate__(self) -> dict:
        """Pickled (a stored fit, :mod:`.fits`) without the memory of earlier fits, which only saves time."""
        return {**self.__dict__, "_sims": {}, "_rows": {}, "_fits": {}}

    def _fit(self, k: int, series: Series):
        """Component ``k`` fitted on ``series``, remembered for the next data end (whose history starts here)."""
        key = (k, series.end, _digest(series))
        if key not in self._fits:
            self._fits[key] = self.models[k].fit(series)
        return self._fits[key]

    def _history_blocks(self, series: Series, k: int, end: pd.Timestamp) -> np.ndarray:
        """Block totals (boats and people, paths, blocks 1..SCORED_WEEKS) forecast by component ``k`` fitted on the
        series up to ``end``; remembered by component, day and data."""
        past = series.upto(end)
        key = (k, end, _digest(past))
        if key not in self._sims:
            rng = np.random.default_rng([HISTORY_SEED, end.toordinal(), k])
            p = self._fit(k, past).simulate(WEEK * SCORED_WEEKS, HISTORY_PATHS, rng)
            self._sims[key] = np.stack([x.reshape(x.shape[0], SCORED_WEEKS, WEEK).sum(axis=2)
                                        for x in (p.boats, p.people)])
        return self._sims[key]

    def _scored(self, series: Series, e: pd.Timestamp, nb: int, ks: tuple[int, ...]) -> list[dict]:
        """Rows of the ``nb`` blocks after data end ``e`` (the loss of each component in ``ks``), remembered by the
        data read."""
        i0 = series.index_of(e) + 1
        key = (e, nb, ks, _digest(series.upto(e + pd.Timedelta(days=WEEK * nb))))
        if key not in self._rows:
            names = [self.models[k].name for k in ks]
            sims = [self._history_blocks(series, k, e) for k in ks]
            rows = []
            for t, (target, arr) in enumerate((("boats", series.boats), ("people", series.people))):
                obs = arr[i0:i0 + WEEK * nb].reshape(nb, WEEK).sum(axis=1)
                qs = [np.quantile(s[t][:, :nb], LEVELS, axis=0).T for s in sims]  # blocks x levels
                loss = [M.pinball(obs, q) for q in qs]
                means = [s[t][:, :nb].mean(axis=0) for s in sims]
                for b in range(nb):
                    rows.append(dict(data_end=e, block=b + 1, target=target, obs=float(obs[b]),
                                     block_end=e + pd.Timedelta(days=WEEK * (b + 1)),
                                     **{n: float(v[b]) for n, v in zip(names, loss)},
                                     **{_mcol(n): float(v[b]) for n, v in zip(names, means)},
                                     **{_qcol(n, lv): float(q[b, i]) for n, q in zip(names, qs)
                                        for i, lv in enumerate(LEVELS)}))
            self._rows[key] = rows
        return self._rows[key]

    def losses(self, series: Series, ks: tuple[int, ...] | None = None) -> pd.DataFrame:
        """One row per scored case of the history (data end, block, target, block end) and one loss column per
        component (those numbered ``ks``, default all): pinball loss of its forecast of that block total."""
        ks = tuple(range(len(self.models))) if ks is None else tuple(ks)
        names = [self.models[k].name for k in ks]
        rows = []
        span = self.span()
        for j in range(span, 0, -1):
            if j % self.history_step and j != 1:
                continue
            e = series.end - pd.Timedelta(days=WEEK * j)
            nb = min(SCORED_WEEKS, j)
            if e < series.start:
                continue
            try:
                rows += self._scored(series, e, nb, ks)
            except InputError:  # too little data before that day for a component
                continue
        oldest = series.end - pd.Timedelta(days=WEEK * span)
        for cache in (self._sims, self._rows):
            for key in [key for key in cache if key[1 if cache is self._sims else 0] < oldest]:
                del cache[key]
        qcols = [_qcol(n, lv) for n in names for lv in LEVELS]
        return pd.DataFrame(rows, columns=["data_end", "block", "target", "block_end", "obs", *names,
                                           *[_mcol(n) for n in names], *qcols])

    def span(self) -> int:
        """Earlier data ends scored: the longest of the weights', the tail factor's and the level factor's."""
        return max(self.history_weeks, self.calib_weeks or 0, self.level_weeks or 0)

    def fit(self, series: Series) -> "EnsembleResults":
        """Fit every component that the series allows (one needing more data than there is is left out, and
        named in ``left_out``), and weight them by their history."""
        ks, fitted, left_out = [], [], []
        for k, m in enumerate(self.models):
            try:
                fitted.append(self._fit(k, series))
                ks.append(k)
            except InputError as exc:
                left_out.append(f"{m.name} ({exc})")
        if not ks:
            raise InputError(f"{self.name}: no component can be fitted: {'; '.join(left_out)}")
        names = [self.models[k].name for k in ks]
        every = self.losses(series, tuple(ks))
        hist = since(every, series.end, self.history_weeks)
        weigh = stacked_weights if self.weighting == "stacking" else inverse_loss_weights
        w = weigh(hist, series.end, names)
        factor, path_w, level = 1.0, None, (1.0, 1.0)
        if self.combine == "quantile":
            # the days of the paths (which days cross) come from the components in inverse-loss shares
            path_w = inverse_loss_weights(hist, series.end, names)
            if self.spread:
                cal = since(every, series.end, self.calib_weeks or self.history_weeks)
                obs, q = history_quantiles(cal, series.end, names)
                if self.tails == "shrunk":  # the pinball factor less its bootstrap noise over the data ends
                    groups = cal.loc[pd.DatetimeIndex(cal["block_end"]) <= series.end, "data_end"].to_numpy()
                    factor = shrunk_factor(obs, q, w, groups, spread_factor)
                else:
                    factor = TAIL_RULES[self.tails](obs, q, w)
            if self.level_share > 0:
                recent = since(every, series.end, self.level_weeks or self.history_weeks)
                level = tuple(level_factor(t["obs"], t[[_mcol(n) for n in names]].to_numpy(float) @ w,
                                           self.level_share)
                              for t in (recent[recent["target"] == x] for x in ("boats", "people")))
        for key in [key for key in self._fits if key[1] < series.end - pd.Timedelta(days=WEEK)]:
            del self._fits[key]
        return EnsembleResults(self, names, w, fitted, left_out, factor, path_w, level)


TAIL_RULES = {  # tail factor(s) from the history's outcomes, component quantiles (cases x models x levels), weights
    "pinball": spread_factor,
    "pinball2": tail_factors,
    "coverage": lambda obs, q, w: coverage_factor(obs, np.einsum("k,ckl->cl", w, q)),
    "coverage2": lambda obs, q, w: coverage_factors(obs, np.einsum("k,ckl->cl", w, q)),
}


def _digest(series: Series) -> tuple:
    """What identifies a series' data: its days and their values."""
    return series.start, len(series.boats), hash(series.boats.tobytes()), hash(series.people.tobytes())


@dataclass
class EnsembleResults:
    model: EnsembleModel
    names: list[str]
    weights: np.ndarray
    fitted: list = field(repr=False)
    left_out: list[str] = field(default_factory=list)
    spread: float | tuple[float, float] = 1.0  # tails widened (> 1) or narrowed (< 1): one factor or (lower, upper)
    path_weights: np.ndarray | None = None  # shares of the paths (their days) from each component, if not weights
    level: tuple[float, float] = (1.0, 1.0)  # week totals of boats and people multiplied by these (history bias)

    def params(self) -> pd.Series:
        """Weights, tail factor(s) and, when there is one, the level factor of boats and people."""
        level = {} if self.level == (1.0, 1.0) else {"level.boats": self.level[0], "level.people": self.level[1]}
        return pd.Series({**{f"weight.{n}": float(w) for n, w in zip(self.names, self.weights)},
                          **({"spread.lower": self.spread[0], "spread.upper": self.spread[1]}
                             if isinstance(self.spread, tuple) else {"spread": self.spread}), **level})

    def counts(self, n_paths: int) -> np.ndarray:
        """Paths from each component: ``path_weights`` (or ``weights``) x n_paths rounded by largest remainder
        (summing to n_paths)."""
        raw = (self.weights if self.path_weights is None else self.path_weights) * n_paths
        n = np.floor(raw).astype(int)
        n[np.argsort(-(raw - n), kind="stable")[:n_paths - n.sum()]] += 1
        return n

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        counts = self.counts(n_paths)
        if self.model.combine == "quantile":
            # every component gets at least 1 path, so its quantiles exist for the average
            counts = np.maximum(counts, 1)
            counts[np.argmax(counts)] -= counts.sum() - n_paths
            parts = [f.simulate(horizon, int(n), rng) for f, n in zip(self.fitted, counts)]
            return quantile_average(parts, self.weights, rng, self.spread, self.level)
        parts = [f.simulate(horizon, int(n), rng) for f, n in zip(self.fitted, counts) if n > 0]
        return Paths(parts[0].start, np.vstack([p.boats for p in parts]), np.vstack([p.people for p in parts]))
