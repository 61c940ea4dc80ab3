"""Rolling-origin backtest with the information a forecaster had: at each weekly origin D (a Monday, the day the
forecast is issued), every model is fitted on the daily series known through ``schedule.known_through(D)`` only,
simulates from the day after it, and is scored on the days D .. D+13 and the official weeks (Monday to Sunday)
starting D, D+7, ... D+49 that are observed. The days between the data end and D (a nowcast) are simulated but
not scored.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..errors import InputError
from . import metrics as M
from .baselines import Climatology, Persistence
from .ensemble import EnsembleModel
from .hurdle import HurdleModel
from .locallevel import LocalLevelModel
from .paths import LEVELS, Paths
from .schedule import Schedule
from .seasonal import SeasonalLevelModel
from .series import Series

DAYS = 14
WEEKS = 8
BASELINES = ("climatology", "persistence")
QCOLS = tuple(f"q{lv:g}" for lv in LEVELS)
PIT_BINS = 10
MONDAY = "W-MON"


def default_models() -> list:
    """Every forecast model, then the two baselines, in the order they are reported."""
    return [LocalLevelModel(), HurdleModel(), SeasonalLevelModel(), EnsembleModel(), Climatology(), Persistence()]


def origins(series: Series, start: date | str, end: date | str | None = None) -> pd.DatetimeIndex:
    """Mondays from ``start`` to ``end`` with at least the first day after them observed.

    Raises :class:`InputError` (naming the dates and where the data begin or end) when ``start`` is after ``end``,
    when no Monday up to ``end`` has four years of data before it, or when there is no such Monday (as when ``start``
    is after the data end).
    """
    begin, last = series.start, series.end
    start = pd.Timestamp(start)
    if end is not None and start > pd.Timestamp(end):
        raise InputError(f"the first origin {start.date()} is after the last {pd.Timestamp(end).date()}")
    stop = min(pd.Timestamp(end), last) if end is not None else last
    earliest = begin + pd.Timedelta(days=4 * 365)
    if stop < earliest:
        raise InputError(f"no forecast origin up to {stop.date()} has four years of data before it (the data begin "
                         f"on {begin.date()}; the first such day is {earliest.date()})")
    out = pd.date_range(max(start, earliest), stop, freq=MONDAY)
    if len(out) == 0 and start <= stop:
        raise InputError(f"no Monday from {max(start, earliest).date()} to {stop.date()} to forecast from")
    if len(out) == 0:
        raise _no_complete_week(start, last)
    return out


def check_complete_week(series: Series, start: date | str, end: date | str | None = None) -> None:
    """Raise :class:`InputError` naming ``start`` and the data end unless the first origin from ``start`` has a
    complete week (Monday to Sunday) observed after it, as a report's weekly scores and yearly bias need."""
    if origins(series, start, end)[0] + pd.Timedelta(days=6) > series.end:
        raise _no_complete_week(pd.Timestamp(start), series.end)


def _no_complete_week(start: pd.Timestamp, last: pd.Timestamp) -> InputError:
    return InputError(f"no forecast origin from {start.date()} has a complete week of data after it (the data end "
                      f"on {last.date()})")


def _seed(seed: int, origin: pd.Timestamp, k: int) -> np.random.Generator:
    """One generator per (origin, model), so results do not depend on the order origins are run in."""
    return np.random.default_rng([seed, origin.toordinal(), k])


def forecast_at(series: Series, origin: pd.Timestamp, model, schedule: Schedule, n_paths: int,
                rng: np.random.Generator, days: int = DAYS, weeks: int = WEEKS) -> tuple[Paths, pd.Timestamp]:
    """Paths of ``model`` fitted on what was published by ``origin``, covering the data end to the last day scored.

    Returns the paths and the data end used. Nothing after ``schedule.known_through(origin)`` is read.
    """
    cut = schedule.known_through(origin)
    known = series.upto(cut)
    last = origin + pd.Timedelta(days=max(days, 7 * weeks) - 1)
    return model.fit(known).simulate((last - cut).days, n_paths, rng), cut


def _score_block(base: dict, obs: np.ndarray, s: np.ndarray) -> dict:
    """Per-case scores of samples ``s`` (cases x paths) against ``obs``."""
    q = np.quantile(s, LEVELS, axis=1).T
    f_lo = (s < obs[:, None]).mean(axis=1)
    f_hi = (s <= obs[:, None]).mean(axis=1)
    return dict(base, obs=obs, mean=s.mean(axis=1), **{c: q[:, i] for i, c in enumerate(QCOLS)},
                crps=M.crps_cases(obs, s), pinball=M.pinball(obs, q),
                in50=(obs >= q[:, 1]) & (obs <= q[:, 3]), in90=(obs >= q[:, 0]) & (obs <= q[:, 4]),
                pit_lo=f_lo, pit_hi=f_hi, p=(s > 0).mean(axis=1))


def case_blocks(name: str, origin: pd.Timestamp, paths: Paths, series: Series, days: int = DAYS,
                weeks: int = WEEKS) -> list[dict]:
    """Scores of one forecast as column blocks (see :func:`case_frame`; :func:`frame` joins them)."""
    off = (origin - paths.start).days
    i0 = series.index_of(origin)
    n_obs = len(series.boats)
    blocks = []
    o = np.datetime64(origin.value, "ns")
    nd = max(0, min(days, n_obs - i0))
    if nd:
        h = np.arange(1, nd + 1)
        for target, arr, sim in (("boats", series.boats, paths.boats), ("people", series.people, paths.people)):
            base = dict(model=name, origin=o, kind="daily", horizon=h, target=target,
                        day=series.dates[i0:i0 + nd].values)
            blocks.append(_score_block(base, arr[i0:i0 + nd].astype(float), sim[:, off:off + nd].T.astype(float)))
    nw = max(0, min(weeks, (n_obs - i0) // 7))
    if nw:
        for target, arr, sim in (("boats", series.boats, paths.boats), ("people", series.people, paths.people)):
            obs = arr[i0:i0 + 7 * nw].reshape(nw, 7).sum(axis=1).astype(float)
            s = sim[:, off:off + 7 * nw].reshape(sim.shape[0], nw, 7).sum(axis=2).T.astype(float)
            base = dict(model=name, origin=o, kind="weekly", horizon=np.arange(1, nw + 1), target=target,
                        day=series.dates[i0 + 6:i0 + 7 * nw:7].values)
            blocks.append(_score_block(base, obs, s))
    return blocks


def frame(blocks: list[dict]) -> pd.DataFrame:
    """One frame from column blocks (scalars repeated over their block's rows): one pandas construction in all."""
    if not blocks:
        return pd.DataFrame()
    sizes = [len(b["obs"]) for b in blocks]
    cols = {k: np.concatenate([np.broadcast_to(np.asarray(b[k]), (n,)) for b, n in zip(blocks, sizes)])
            for k in blocks[0]}
    for k in ("model", "kind", "target"):
        cols[k] = cols[k].astype(object)
    return pd.DataFrame(cols)


def case_frame(name: str, origin: pd.Timestamp, paths: Paths, series: Series, days: int = DAYS,
               weeks: int = WEEKS) -> pd.DataFrame:
    """Scores of one forecast: daily rows for the observed days origin .. origin + days - 1 and weekly rows for the
    observed weeks starting origin, origin + 7, ..."""
    return frame(case_blocks(name, origin, paths, series, days, weeks))


@dataclass
class BacktestResult:
    """Per-case scores (``cases``) and how the run was made; summaries are computed by :mod:`.summary`."""

    origins: pd.DatetimeIndex
    n_paths: int
    seconds: float
    cases: pd.DataFrame = field(repr=False)
    models: list[str]
    data_end: pd.Timestamp
    schedule: Schedule
    lags_days: pd.Series = field(repr=False)  # per origin: days from the data end used to the origin

    @property
    def forecasters(self) -> list[str]:
        return [m for m in self.models if m not in BASELINES]


def run_backtest(series: Series, start: date | str = "2023-01-01", end: date | str | None = None,
                 n_paths: int = 1000, seed: int = 0, models: list | None = None,
                 schedule: Schedule | None = None, progress=None) -> BacktestResult:
    """Score ``models`` (default: :func:`default_models`) at every Monday origin from ``start`` to ``end``.

    ``series`` is the newest revised daily series; ``schedule`` says what was published by each origin.
    ``progress``: optional callable(i, n) told after each origin.
    """
    models = models or default_models()
    schedule = schedule or Schedule()
    names = [m.name for m in models]
    t0 = time.perf_counter()
    ors = origins(series, start, end)
    frames, lags = [], {}
    with threadpool_limits(1):  # small matrices: one BLAS thread is many times faster than several
        for i, origin in enumerate(ors):
            for k, model in enumerate(models):
                paths, cut = forecast_at(series, origin, model, schedule, n_paths, _seed(seed, origin, k))
                frames += case_blocks(model.name, origin, paths, series)
            lags[origin] = (origin - cut).days
            if progress:
                progress(i + 1, len(ors))
    cases = frame(frames)
    return BacktestResult(ors, n_paths, time.perf_counter() - t0, cases, names, series.end, schedule,
                          pd.Series(lags))
