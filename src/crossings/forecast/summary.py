"""Summaries of a backtest: scores per horizon group, paired differences, coverage, PIT histograms, yearly bias,
and the targets the forecast is held to."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from . import metrics as M
from .backtest import BASELINES, PIT_BINS, BacktestResult

DAILY_GROUPS = ((1, 3), (4, 7), (8, 14))
WEEKLY_GROUPS = ((1, 1), (1, 4), (2, 4), (5, 8))
HAC_LAGS = 8  # forecasts from consecutive weekly origins overlap for up to 8 weeks
SKILL_RATIO = 0.9
COVERAGE_RANGE = {"in50": (0.42, 0.58), "in90": (0.85, 0.95)}
BIAS_RANGE = (0.85, 1.15)


def _once(fn):
    """Compute a summary of a result once (the report, the terminal text and the targets all read the same tables);
    callers get a copy."""
    @functools.wraps(fn)
    def wrapper(res: BacktestResult, *args, **kwargs):
        memo = res.__dict__.setdefault("_summaries", {})
        key = (fn.__name__, args, tuple(sorted(kwargs.items())), id(res.cases), len(res.cases))
        if key not in memo:
            memo[key] = fn(res, *args, **kwargs)
        return memo[key].copy()
    return wrapper


def _short(v: float) -> str:
    return f"{v:.1f}" if abs(v) >= 10 else f"{v:.3f}"


def group_label(lo: int, hi: int, unit: str) -> str:
    return f"{lo}{unit}" if lo == hi else f"{lo}-{hi}{unit}"


def paired(cases: pd.DataFrame, a: str, b: str, score: str) -> tuple[float, float]:
    """Mean per-case ``score`` of model ``a`` minus model ``b``, and its standard error.

    The error comes from the per-origin mean differences with a Newey-West (HAC) variance over ``HAC_LAGS``
    origins, since forecasts from neighbouring origins overlap and their errors are correlated.
    """
    import statsmodels.api as sm
    w = cases[cases["model"].isin([a, b])].pivot_table(index=["origin", "horizon"], columns="model", values=score)
    w = w.dropna()
    if w.empty:
        return float("nan"), float("nan")
    d = (w[a] - w[b]).groupby(level="origin").mean()
    if len(d) < 3:
        return float(d.mean()), float("nan")
    fit = sm.OLS(d.to_numpy(), np.ones(len(d))).fit(cov_type="HAC", cov_kwds={"maxlags": min(HAC_LAGS, len(d) - 2)})
    return float(fit.params[0]), float(fit.bse[0])


def _sel(cases: pd.DataFrame, kind: str, target: str, lo: int, hi: int) -> pd.DataFrame:
    return cases[(cases["kind"] == kind) & (cases["target"] == target) & cases["horizon"].between(lo, hi)]


@_once
def weekly_scores(res: BacktestResult) -> pd.DataFrame:
    """Per target and week group: mean pinball loss and CRPS of each model, the ratio of each forecaster's pinball to
    the better baseline's, and paired differences (pinball) against each baseline."""
    rows = []
    for target in ("people", "boats"):
        for lo, hi in WEEKLY_GROUPS:
            t = _sel(res.cases, "weekly", target, lo, hi)
            if t.empty:
                continue
            g = t.groupby("model")
            for metric in ("pinball", "crps"):
                row = dict(target=target, horizon=group_label(lo, hi, "w"), metric=metric,
                           n=int(g.size().iloc[0]), **{m: float(g[metric].mean().get(m, np.nan)) for m in res.models})
                best = min(row[b] for b in BASELINES if b in row)
                for f in res.forecasters:
                    row[f"{f} / better baseline"] = row[f] / best
                    for b in BASELINES:
                        d, se = paired(t, f, b, metric)
                        row[f"{f} - {b}"] = (d, se)
                rows.append(row)
    return pd.DataFrame(rows)


@_once
def daily_scores(res: BacktestResult) -> pd.DataFrame:
    """Per day group: Brier score and AUC of the crossing-day probability, paired Brier differences."""
    rows = []
    for lo, hi in DAILY_GROUPS:
        t = _sel(res.cases, "daily", "boats", lo, hi)
        if t.empty:
            continue
        t = t.assign(brier=(t["p"] - (t["obs"] > 0)) ** 2)
        g = t.groupby("model")
        for metric in ("brier", "auc"):
            vals = {m: (float(x["brier"].mean()) if metric == "brier" else M.auc(x["p"], x["obs"] > 0))
                    for m, x in g}
            row = dict(target="crossing_day", horizon=group_label(lo, hi, "d"), metric=metric,
                       n=int(g.size().iloc[0]), **{m: vals.get(m, np.nan) for m in res.models})
            if metric == "brier":
                for f in res.forecasters:
                    for b in BASELINES:
                        row[f"{f} - {b}"] = paired(t, f, b, "brier")
            rows.append(row)
    return pd.DataFrame(rows)


@_once
def coverage(res: BacktestResult, by: str = "horizon") -> pd.DataFrame:
    """Share of weekly outcomes inside the 50% and 90% intervals, per target and week horizon (or week group)."""
    rows = []
    w = res.cases[res.cases["kind"] == "weekly"]
    groups = [(h, h) for h in range(1, 9)] if by == "horizon" else WEEKLY_GROUPS
    for target in ("people", "boats"):
        for lo, hi in groups:
            t = w[(w["target"] == target) & w["horizon"].between(lo, hi)]
            if t.empty:
                continue
            g = t.groupby("model")
            for col, label in (("in50", "50%"), ("in90", "90%")):
                rows.append(dict(target=target, horizon=group_label(lo, hi, "w"), interval=label,
                                 n=int(g.size().iloc[0]), **{m: float(g[col].mean().get(m, np.nan))
                                                             for m in res.models}))
    return pd.DataFrame(rows)


@_once
def pit_histograms(res: BacktestResult, model: str) -> pd.DataFrame:
    """PIT histogram (expected share per tenth of [0, 1]) of ``model``'s weekly forecasts, per target and horizon."""
    rows = []
    w = res.cases[(res.cases["kind"] == "weekly") & (res.cases["model"] == model)]
    for target in ("people", "boats"):
        for h in range(1, 9):
            t = w[(w["target"] == target) & (w["horizon"] == h)]
            if t.empty:
                continue
            hist = M.pit_histogram_from_bounds(t["pit_lo"].to_numpy(), t["pit_hi"].to_numpy(), PIT_BINS)
            rows.append(dict(target=target, horizon=f"{h}w", n=len(t),
                             **{f"{i / PIT_BINS:.1f}-{(i + 1) / PIT_BINS:.1f}": v for i, v in enumerate(hist)}))
    return pd.DataFrame(rows)


@_once
def yearly_bias(res: BacktestResult, lo: int = 1, hi: int = 4, quarters: bool = False) -> pd.DataFrame:
    """Per calendar year (or quarter) of the forecast week's end and target: sum of forecast means / sum observed,
    weeks ``lo``..``hi`` ahead."""
    w = res.cases[(res.cases["kind"] == "weekly") & res.cases["horizon"].between(lo, hi)]
    day = pd.DatetimeIndex(w["day"])
    key = "quarter" if quarters else "year"
    w = w.assign(**{key: day.year.astype(str) + "Q" + day.quarter.astype(str) if quarters else day.year})
    rows = []
    for (target, period), t in w.groupby(["target", key]):
        g = t.groupby("model")
        rows.append({"target": target, key: period if quarters else int(period), "weeks": group_label(lo, hi, "w"),
                     "n": int(g.size().iloc[0]),
                     **{m: float(g["mean"].sum().get(m, np.nan) / g["obs"].sum().get(m, np.nan))
                        for m in res.models}})
    return pd.DataFrame(rows).sort_values(["target", key]).reset_index(drop=True)


def winner(res: BacktestResult) -> str:
    """The forecaster with the lowest mean over people and boats of (weekly pinball, weeks 1-4) / better baseline."""
    ws = weekly_scores(res)
    sel = ws[(ws["metric"] == "pinball") & (ws["horizon"] == "1-4w")]
    scores = {f: float(sel[f"{f} / better baseline"].mean()) for f in res.forecasters}
    return min(scores, key=scores.get)


def targets(res: BacktestResult, model: str) -> list[tuple[str, bool, str]]:
    """(target, met, the numbers) for each target ``model`` is held to."""
    out = []
    ws = weekly_scores(res)
    for target in ("people", "boats"):
        r = ws[(ws["metric"] == "pinball") & (ws["horizon"] == "1-4w") & (ws["target"] == target)].iloc[0]
        ratio = r[f"{model} / better baseline"]
        best = min(BASELINES, key=lambda b: r[b])
        out.append((f"weekly {target}, weeks 1-4: mean pinball <= {SKILL_RATIO} x better baseline",
                    bool(ratio <= SKILL_RATIO), f"{_short(r[model])} vs {best} {_short(r[best])}: ratio {ratio:.3f}"))
    cov = coverage(res, by="group")
    cov = cov[cov["horizon"].isin(["1w", "2-4w", "5-8w"])]
    for col, label in (("in90", "90%"), ("in50", "50%")):
        lo, hi = COVERAGE_RANGE[col]
        c = cov[cov["interval"] == label]
        vals = [f"{r['target']} {r['horizon']} {r[model]:.2f}" for _, r in c.iterrows()]
        ok = bool(c[model].between(lo, hi).all())
        out.append((f"{label} interval coverage {lo}-{hi} per horizon group", ok, ", ".join(vals)))
    yb = yearly_bias(res)
    ok = bool(yb[model].between(*BIAS_RANGE).all())
    vals = [f"{r['target']} {r['year']} {r[model]:.2f}" for _, r in yb.iterrows()]
    out.append((f"yearly bias (sum of forecast means / observed, weeks 1-4) {BIAS_RANGE[0]}-{BIAS_RANGE[1]}", ok,
                ", ".join(vals)))
    ds = daily_scores(res)
    r = ds[(ds["metric"] == "brier") & (ds["horizon"] == "1-3d")]
    if len(r):
        r = r.iloc[0]
        ok = all(r[model] < r[b] for b in BASELINES)
        out.append(("daily crossing-day Brier score at 1-3 days below both baselines", bool(ok),
                    f"{r[model]:.3f} vs " + ", ".join(f"{b} {r[b]:.3f}" for b in BASELINES)))
    return out
