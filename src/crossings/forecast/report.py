"""The backtest as text: one table per metric, and the markdown page docs/forecast.md."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .backtest import JUDGED, BacktestResult, better

METRICS = {
    "brier": "Brier score of the crossing-day probability (lower is better). The last columns give the mean paired "
             "difference with 2 standard errors (computed from per-origin means).",
    "auc": "AUC of the crossing-day probability (higher is better; 0.5 = no skill)",
    "crps": "CRPS of the predictive distribution, in boats or people (lower is better). The last columns give the "
            "mean paired difference with 2 standard errors (from per-origin means; optimistic for weekly scores, "
            "whose forecasts from adjacent origins overlap).",
    "pit50": "Calibration of the 50% band: mean randomised-PIT probability of falling in it (best: 0.50)",
    "pit90": "Calibration of the 90% band: mean randomised-PIT probability of falling in it (best: 0.90)",
    "coverage50": "Share of outcomes inside the printed 50% interval, ends included (nominal 0.50; counts over-cover)",
    "coverage90": "Share of outcomes inside the printed 90% interval, ends included (nominal 0.90; counts over-cover)",
}


def metric_tables(result: BacktestResult) -> dict[str, pd.DataFrame]:
    """Per metric: rows (kind, target, horizon, n), a column per model, and whether the model beats both baselines."""
    model, *base = result.models
    out = {}
    for metric in METRICS:
        t = result.table[result.table["metric"] == metric].drop(columns="metric").reset_index(drop=True)
        if t.empty:
            continue
        extra = [c for c in t.columns if c.startswith(("diff_", "se_"))]
        if metric in ("brier", "crps"):
            for b in base:
                t[f"{model} - {b}"] = [f"{d:+.{1 if abs(v) >= 10 else 3}f} ± {2 * e:.{1 if abs(v) >= 10 else 3}f}"
                                       for d, e, v in zip(t[f"diff_{b}"], t[f"se_{b}"], t[model])]
        t = t.drop(columns=extra)
        if metric in JUDGED:
            t[f"{model} beats both"] = ["yes" if all(better(metric, r[model], r[b]) for b in base) else "NO"
                                        for _, r in t.iterrows()]
        out[metric] = t
    return out


def _fmt(df: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    d = df.copy()
    for m in models:
        d[m] = d[m].map(lambda v: "nan" if np.isnan(v) else (f"{v:.1f}" if abs(v) >= 100 else f"{v:.3f}"))
    return d


def _md_table(df: pd.DataFrame) -> str:
    """A pipe table (numbers already formatted as strings)."""
    rows = [list(map(str, df.columns)), ["---"] * df.shape[1]] + df.astype(str).values.tolist()
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def text(result: BacktestResult) -> str:
    """Plain-text tables for the terminal."""
    parts = [_header(result)]
    for metric, t in metric_tables(result).items():
        parts.append(f"{metric}: {METRICS[metric]}\n{_fmt(t, result.models).to_string(index=False)}\n")
    parts.append(_verdict(result))
    return "\n".join(parts)


def _header(result: BacktestResult) -> str:
    o = result.origins
    return (f"Backtest: {len(o)} weekly origins (Sundays) {o[0].date()} to {o[-1].date()}, data to "
            f"{result.data_end.date()}, {result.n_paths} paths per forecast, {result.seconds:.1f} s\n")


def _summary(result: BacktestResult) -> list[str]:
    """One plain sentence per family of scores: at which horizons the model beats both baselines."""
    model = result.models[0]
    tables = metric_tables(result)
    fams = [("crossing days (Brier and AUC)", ["brier", "auc"], "daily", None),
            ("daily boats and people (CRPS)", ["crps"], "daily", None),
            ("weekly boats and people (CRPS)", ["crps"], "weekly", None),
            ("calibration of the 50% and 90% bands (randomised PIT)", ["pit50", "pit90"], None, None)]
    out = []
    for label, metrics, kind, _ in fams:
        rows = pd.concat([tables[m] for m in metrics if m in tables], ignore_index=True)
        if kind:
            rows = rows[rows["kind"] == kind]
        if rows.empty:
            continue
        col = f"{model} beats both"
        won = rows[rows[col] == "yes"]
        lost = rows[rows[col] != "yes"]
        if lost.empty:
            out.append(f"- {label}: {model} beats both baselines at every horizon.")
        else:
            where = sorted({f"{r['kind']} {r['target']} {r['horizon']}" for _, r in lost.iterrows()})
            out.append(f"- {label}: {model} beats both on {len(won)} of {len(rows)} scores; not on "
                       f"{', '.join(where)}.")
    return out


def _significance(result: BacktestResult) -> str:
    """How many Brier/CRPS comparisons differ by more than 2 standard errors, each way."""
    model, *base = result.models
    t = result.table[result.table["metric"].isin(["brier", "crps"])]
    parts = []
    for b in base:
        d, e = t[f"diff_{b}"], t[f"se_{b}"]
        better, worse = int((d + 2 * e < 0).sum()), int((d - 2 * e > 0).sum())
        parts.append(f"against {b}, {model} is better by more than 2 standard errors on {better} and worse on "
                     f"{worse} of {len(t)} Brier/CRPS rows")
    return "Paired differences: " + "; ".join(parts) + " (the rest are within 2 standard errors)."


def _verdict(result: BacktestResult) -> str:
    model, *base = result.models
    v = result.verdicts()
    judged = result.table[result.table["metric"].isin(JUDGED)]
    n = len(judged)
    sig = _significance(result) if len(base) else ""
    if not v:
        return f"Verdict: {model} beats both {' and '.join(base)} on all {n} judged scores.\n{sig}"
    return (f"Verdict: {model} beats both baselines on {n - len(v)} of {n} judged scores; where it does not:\n"
            + "\n".join(f"- {s}" for s in v) + f"\n\n{sig}")


def markdown(result: BacktestResult, source: str, command: str) -> str:
    """docs/forecast.md: data and period, how forecasts and baselines are made, one table per metric, the verdict."""
    model, *base = result.models
    o = result.origins
    lines = [
        "# Forecasts of crossing activity: backtest",
        "",
        f"Generated by `{command}`.",
        "",
        "## Data and period",
        "",
        f"- Series: official daily arrivals (Home Office, SB_01 of the workbook \"Migrants detected crossing the "
        f"English Channel in small boats - time series\"), {source}; data to {result.data_end.date()}. "
        "Values are as in that release (revised), not as first published.",
        f"- Origins: {len(o)} Sundays from {o[0].date()} to {o[-1].date()} (each with the 14 following days "
        "observed). At each origin every model is fitted on the days up to and including the origin only, then "
        f"forecasts 14 days and the 8 official weeks (Monday to Sunday) after it with {result.n_paths} sample paths. "
        "Weeks not yet fully observed are left out of the weekly scores.",
        f"- Run time: {result.seconds:.1f} s on this machine (2 cores), all origins and models.",
        "",
        "## Models",
        "",
        f"- **{model}** (no weather): occurrence of a crossing day by logistic regression on season (2 Fourier "
        "harmonics), trend and recent activity (crossed yesterday, share of crossing days in the last 7 and 28 days); "
        "boats on a crossing day as 1 + negative binomial on season, trend, the mean boats per crossing day over the "
        "last 28 days and the days since the last crossing; people = boats x people-per-boat drawn from the last 60 "
        "crossing days. Fitted on the last 3 years before the origin; paths simulated day by day so the "
        "recent-activity features follow each path.",
        "- **climatology**: each day drawn from the days of the same calendar month in the 3 calendar years before "
        "the forecast day's own year (crossing-day probability = that month's share of crossing days).",
        "- **persistence**: each day drawn from the last 14 observed days (crossing-day probability = their share "
        "of crossing days).",
        "- Weekly totals of all three are sums along the simulated paths (independent days for the baselines).",
        "- The conditions variant (occurrence also on wave height and wind) is not backtested: no history of sea "
        "conditions is stored. It is checked on synthetic data with a known effect (tests/forecast).",
        "- The settings (2 harmonics, linear trend, 3-year window, 60 crossing days of people per boat) were fixed "
        "before scoring 2023-2025; a few alternatives were compared on the earlier origins of 2021-2022 only "
        "(`crossings backtest --start 2021-01-01 --end 2022-12-31`), where the trend helped the people forecasts. "
        "Dropping the trend scored better on 2023-2025 but worse on 2021-2022, so it was kept.",
        "",
        "## Metrics",
        "",
        "Daily horizons are grouped 1-3, 4-7 and 8-14 days; weekly ones week 1, weeks 2-4 and weeks 5-8. "
        "`n` is the number of forecast cases per model. Coverage of intervals on whole-number counts is inflated by "
        "the point mass at zero (a day with a 60% chance of no boat has 0 at both ends of its 50% interval), so "
        "calibration is judged on the randomised PIT (pit50, pit90), which is exactly nominal for a calibrated "
        "count forecast; the plain coverage of the printed intervals is shown too.",
        "",
    ]
    for metric, t in metric_tables(result).items():
        lines += [f"### {metric}", "", METRICS[metric], "", _md_table(_fmt(t, result.models)), ""]
    lines += ["## Verdict", "", *_summary(result), "", _verdict(result), "",
              "## Using the forecast", "",
              "`crossings forecast [--as-of DATE] [--days 14] [--weeks 8] [--format table|json] [--out FILE.json]` "
              "fits the model on the store's daily series as published on or before DATE (default: all releases, "
              "from the last observed day) and prints, for each of the next days, the probability of a crossing "
              "day and the median, 50% and 90% intervals of boats and people, then the weekly totals of the weeks "
              "ending on Sunday (observed days of the current week are included). The JSON form is "
              '`{"as_of": DATE, "daily": [{"date", "p_crossing_day", "boats": Q, "people": Q}, ...], '
              '"weekly": [{"week_ending", "boats": Q, "people": Q}, ...]}` with Q mapping "0.05", "0.25", "0.5", '
              '"0.75", "0.95" to quantiles. When the store holds sea conditions for every day to forecast, the '
              "crossing-day part also depends on wave height and wind; otherwise the command says it falls back to "
              "the no-weather model.", ""]
    return "\n".join(lines)
