"""A path mixture of the forecast models, weighted by how well each did on forecasts made before the data end.

At data end D every component (locallevel, hurdle, seasonal) is refitted as it would have been at the
``history_weeks`` earlier data ends D - 7, D - 14, ... (each on the series up to that day only) and its forecasts of
the 7-day blocks after it are scored, by the mean pinball loss over :data:`~.paths.LEVELS`, against the blocks of
weeks 1-4 that have ended by D (boats and people). A case's loss is divided by the mean loss of all components on
it, so quiet and busy weeks, boats and people count alike; a component's weight is inversely proportional to its
mean relative loss (inverse-loss weights: simple and robust where fitted combination weights are noisy, Stock and
Watson 2004). Nothing published after D enters the weights, and forecasts of weeks not yet over do not count.

The mixture's paths are the components' own paths, ``round(weight x n_paths)`` from each, so daily and weekly
figures stay sums of the same paths, and the spread comes from the components' uncertainty and their disagreement.
History forecasts use their own random streams (seeded by their data end), so a fit is a function of the series
alone; their scores are remembered between fits, so a backtest computes each once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from . import metrics as M
from .paths import LEVELS, Paths
from .series import Series

WEEK = 7
HISTORY_WEEKS = 26  # earlier data ends whose forecasts are scored
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


def components() -> list:
    """The models mixed: locallevel, hurdle, seasonal (imported here: each brings its own libraries)."""
    from .hurdle import HurdleModel
    from .locallevel import LocalLevelModel
    from .seasonal import SeasonalLevelModel
    return [LocalLevelModel(), HurdleModel(), SeasonalLevelModel()]


@dataclass
class EnsembleModel:
    """Settings: ``history_weeks`` earlier data ends scored for the weights."""

    history_weeks: int = HISTORY_WEEKS
    name: str = "ensemble"
    models: list = field(default_factory=components)
    _sims: dict = field(default_factory=dict, repr=False, compare=False)  # (component, day, data) -> block totals
    _rows: dict = field(default_factory=dict, repr=False, compare=False)  # (day, blocks, data) -> scored rows
    _fits: dict = field(default_factory=dict, repr=False, compare=False)  # (component, day, data) -> fitted model

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
                loss = [pinball_of_samples(obs, s[t][:, :nb].T) for s in sims]
                for b in range(nb):
                    rows.append(dict(data_end=e, block=b + 1, target=target,
                                     block_end=e + pd.Timedelta(days=WEEK * (b + 1)),
                                     **{n: float(v[b]) for n, v in zip(names, loss)}))
            self._rows[key] = rows
        return self._rows[key]

    def losses(self, series: Series, ks: tuple[int, ...] | None = None) -> pd.DataFrame:
        """One row per scored case of the history (data end, block, target, block end) and one loss column per
        component (those numbered ``ks``, default all): pinball loss of its forecast of that block total."""
        ks = tuple(range(len(self.models))) if ks is None else tuple(ks)
        names = [self.models[k].name for k in ks]
        rows = []
        for j in range(self.history_weeks, 0, -1):
            e = series.end - pd.Timedelta(days=WEEK * j)
            nb = min(SCORED_WEEKS, j)
            if e < series.start:
                continue
            try:
                rows += self._scored(series, e, nb, ks)
            except InputError:  # too little data before that day for a component
                continue
        oldest = series.end - pd.Timedelta(days=WEEK * self.history_weeks)
        for cache in (self._sims, self._rows):
            for key in [key for key in cache if key[1 if cache is self._sims else 0] < oldest]:
                del cache[key]
        return pd.DataFrame(rows, columns=["data_end", "block", "target", "block_end", *names])

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
        w = inverse_loss_weights(self.losses(series, tuple(ks)), series.end, names)
        self._fits = {key: v for key, v in self._fits.items() if key[1] >= series.end - pd.Timedelta(days=WEEK)}
        return EnsembleResults(self, names, w, fitted, left_out)


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

    def params(self) -> pd.Series:
        return pd.Series({f"weight.{n}": float(w) for n, w in zip(self.names, self.weights)})

    def counts(self, n_paths: int) -> np.ndarray:
        """Paths from each component: ``weights x n_paths`` rounded by largest remainder (summing to n_paths)."""
        raw = self.weights * n_paths
        n = np.floor(raw).astype(int)
        n[np.argsort(-(raw - n), kind="stable")[:n_paths - n.sum()]] += 1
        return n

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        parts = [f.simulate(horizon, int(n), rng) for f, n in zip(self.fitted, self.counts(n_paths)) if n > 0]
        return Paths(parts[0].start, np.vstack([p.boats for p in parts]), np.vstack([p.people for p in parts]))
