"""Rolling-origin backtest: at each weekly origin, fit on the days up to it, forecast ahead, score against what came.

Origins are Sundays, so forecast weeks are whole official weeks (Monday to Sunday). Each model sees only
``series.upto(origin)``; the days after the origin are used for nothing but scoring.
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
from .hurdle import HurdleModel
from .paths import Paths
from .series import Series

DAILY_GROUPS = ((1, 3), (4, 7), (8, 14))
WEEKLY_GROUPS = ((1, 1), (2, 4), (5, 8))
NOMINAL = {"pit50": 0.5, "pit90": 0.9, "coverage50": 0.5, "coverage90": 0.9}
# better = lower for these, higher for AUC, closer to the nominal level for calibration (pit50/pit90)
LOWER_IS_BETTER = {"brier", "crps"}
# interval coverage (ends included) is reported for readers of the intervals, but over-covers by construction for
# counts with a point mass at zero; the verdict judges calibration on the randomised PIT instead
JUDGED = {"brier", "auc", "crps", "pit50", "pit90"}


def default_models() -> list:
    """The forecast model and the two baselines, in the order they are reported."""
    return [HurdleModel(), Climatology(), Persistence()]


def origins(series: Series, start: date | str, end: date | str | None = None, days: int = 14) -> pd.DatetimeIndex:
    """Sundays from ``start`` to ``end`` such that the ``days`` days after each are observed."""
    last = series.end - pd.Timedelta(days=days)
    stop = min(pd.Timestamp(end), last) if end is not None else last
    first = max(pd.Timestamp(start), series.start + pd.Timedelta(days=400))
    out = pd.date_range(first, stop, freq="W-SUN")
    if len(out) == 0:
        raise InputError(f"no origin between {pd.Timestamp(start).date()} and {stop.date()} with {days} days "
                         "observed after it")
    return out


def _seed(seed: int, origin: pd.Timestamp, k: int) -> np.random.Generator:
    """One generator per (origin, model), so results do not depend on the order origins are run in."""
    return np.random.default_rng([seed, origin.toordinal(), k])


def forecast_at(series: Series, origin: pd.Timestamp, model, horizon: int, n_paths: int,
                rng: np.random.Generator) -> Paths:
    """Fit ``model`` on the days up to ``origin`` only and simulate ``horizon`` days after it."""
    return model.fit(series.upto(origin)).simulate(horizon, n_paths, rng)


def _case_rows(name: str, origin: pd.Timestamp, paths: Paths, series: Series, days: int, weeks: int) -> list[dict]:
    rows = []
    i0 = series.index_of(origin) + 1
    n_obs = len(series.boats)
    nd = min(days, n_obs - i0)
    ob = series.boats[i0:i0 + nd]
    op = series.people[i0:i0 + nd]
    pc = paths.p_crossing[:nd]
    sb, sp = paths.boats[:, :nd].T, paths.people[:, :nd].T
    for target, obs, s in (("boats", ob, sb), ("people", op, sp)):
        c = M.scoringrules.crps_ensemble(obs.astype(float), s.astype(float), m_axis=-1, backend="numpy")
        lo50, hi50 = M.interval(s, 0.5)
        lo90, hi90 = M.interval(s, 0.9)
        pit50, pit90 = M.pit_coverage(obs, s, 0.5), M.pit_coverage(obs, s, 0.9)
        for h in range(nd):
            rows.append(dict(model=name, origin=origin, kind="daily", horizon=h + 1, target=target,
                             obs=obs[h], crps=c[h], in50=lo50[h] <= obs[h] <= hi50[h],
                             in90=lo90[h] <= obs[h] <= hi90[h], pit50=pit50[h], pit90=pit90[h], p=pc[h]))
    ends, wb, wp = paths.weekly()
    last = np.array([series.index_of(e) for e in ends[:weeks]])
    nw = int((last < n_obs).sum())
    if nw == 0:
        return rows
    sums = np.concatenate([[0], np.cumsum(series.boats)]), np.concatenate([[0], np.cumsum(series.people)])
    for target, csum, s in (("boats", sums[0], wb[:, :nw].T), ("people", sums[1], wp[:, :nw].T)):
        obs = (csum[last[:nw] + 1] - csum[last[:nw] - 6]).astype(float)
        c = M.scoringrules.crps_ensemble(obs, s.astype(float), m_axis=-1, backend="numpy")
        lo50, hi50 = M.interval(s, 0.5)
        lo90, hi90 = M.interval(s, 0.9)
        pit50, pit90 = M.pit_coverage(obs, s, 0.5), M.pit_coverage(obs, s, 0.9)
        for w in range(nw):
            rows.append(dict(model=name, origin=origin, kind="weekly", horizon=w + 1, target=target, obs=obs[w],
                             crps=c[w], in50=lo50[w] <= obs[w] <= hi50[w], in90=lo90[w] <= obs[w] <= hi90[w],
                             pit50=pit50[w], pit90=pit90[w], p=np.nan))
    return rows


@dataclass
class BacktestResult:
    """Per-case scores (``cases``), their summary (``table``) and how the run was made."""

    origins: pd.DatetimeIndex
    n_paths: int
    seconds: float
    cases: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    models: list[str]
    data_end: pd.Timestamp

    def verdicts(self) -> list[str]:
        """Plain sentences for every score on which the forecast model does not beat both baselines."""
        model, *base = self.models
        out = []
        for _, r in self.table[self.table["metric"].isin(JUDGED)].iterrows():
            losers = [b for b in base if not better(r["metric"], r[model], r[b])]
            if losers:
                out.append(f"{r['kind']} {r['target']} {r['metric']} at horizon {r['horizon']}: {model} "
                           f"({r[model]:.3f}) does not beat {' or '.join(f'{b} ({r[b]:.3f})' for b in losers)}")
        return out


def better(metric: str, a: float, b: float) -> bool:
    if np.isnan(a) or np.isnan(b):
        return False
    if metric in LOWER_IS_BETTER:
        return a < b
    if metric in NOMINAL:
        return abs(a - NOMINAL[metric]) < abs(b - NOMINAL[metric])
    return a > b


def paired_difference(scores: pd.DataFrame, a: str, b: str) -> tuple[float, float]:
    """Mean per-case score of model ``a`` minus model ``b`` and its standard error.

    ``scores``: columns model, origin, horizon, score. Cases of one origin share the data they were fitted on, so
    the error is computed from per-origin mean differences (forecasts from adjacent origins still overlap in the
    weeks they cover, so it is somewhat optimistic for weekly scores).
    """
    w = scores.pivot_table(index=["origin", "horizon"], columns="model", values="score")
    per_origin = (w[a] - w[b]).groupby(level="origin").mean().dropna()
    if len(per_origin) < 2:
        return float(per_origin.mean()) if len(per_origin) else float("nan"), float("nan")
    return float(per_origin.mean()), float(per_origin.std(ddof=1) / np.sqrt(len(per_origin)))


def _differences(scores: pd.DataFrame, models: list[str]) -> dict[str, float]:
    out = {}
    for b in models[1:]:
        out[f"diff_{b}"], out[f"se_{b}"] = paired_difference(scores, models[0], b)
    return out


def summarise(cases: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    """One row per (kind, target, horizon group, metric), one column per model; for Brier and CRPS also the paired
    difference of the first model against each other one (``diff_<name>``, ``se_<name>``)."""
    rows = []
    for kind, groups, unit in (("daily", DAILY_GROUPS, "d"), ("weekly", WEEKLY_GROUPS, "w")):
        for lo, hi in groups:
            label = f"{lo}{unit}" if lo == hi else f"{lo}-{hi}{unit}"
            sel = cases[(cases["kind"] == kind) & cases["horizon"].between(lo, hi)]
            if sel.empty:
                continue
            if kind == "daily":
                occ = sel[sel["target"] == "boats"]
                for metric, fn in (("brier", M.brier), ("auc", M.auc)):
                    vals = {m: fn(g["p"].to_numpy(), g["obs"].to_numpy() > 0) for m, g in occ.groupby("model")}
                    if metric == "brier" and len(models) > 1:
                        vals |= _differences(occ.assign(score=(occ["p"] - (occ["obs"] > 0)) ** 2), models)
                    rows.append(dict(kind=kind, target="crossing_day", horizon=label, metric=metric,
                                     n=len(occ) // len(models), **vals))
            for target in ("boats", "people"):
                t = sel[sel["target"] == target]
                for metric, col in (("crps", "crps"), ("coverage50", "in50"), ("coverage90", "in90"),
                                    ("pit50", "pit50"), ("pit90", "pit90")):
                    vals = {m: float(g[col].mean()) for m, g in t.groupby("model")}
                    if metric == "crps" and len(models) > 1:
                        vals |= _differences(t.assign(score=t["crps"]), models)
                    rows.append(dict(kind=kind, target=target, horizon=label, metric=metric,
                                     n=len(t) // len(models), **vals))
    extra = [f"{k}_{b}" for b in models[1:] for k in ("diff", "se")]
    return pd.DataFrame(rows, columns=["kind", "target", "horizon", "metric", "n", *models, *extra])


def run_backtest(series: Series, start: date | str = "2023-01-01", end: date | str | None = None,
                 n_paths: int = 1000, seed: int = 0, models: list | None = None, days: int = 14,
                 weeks: int = 8, progress=None) -> BacktestResult:
    """Score ``models`` (default: hurdle, climatology, persistence) at every weekly origin from ``start`` to ``end``.

    ``progress``: optional callable(i, n) told after each origin.
    """
    models = models or default_models()
    names = [m.name for m in models]
    t0 = time.perf_counter()
    ors = origins(series, start, end, days)
    rows: list[dict] = []
    horizon = max(days, 7 * weeks)
    with threadpool_limits(1):  # small matrices: one BLAS thread is many times faster than several
        for i, origin in enumerate(ors):
            for k, model in enumerate(models):
                paths = forecast_at(series, origin, model, horizon, n_paths, _seed(seed, origin, k))
                rows += _case_rows(model.name, origin, paths, series, days, weeks)
            if progress:
                progress(i + 1, len(ors))
    cases = pd.DataFrame(rows)
    table = summarise(cases, names)
    return BacktestResult(ors, n_paths, time.perf_counter() - t0, cases, table, names, series.end)
