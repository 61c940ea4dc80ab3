"""The backtest as text: tables for the terminal and the markdown page docs/forecast.md (every number and verdict
in it comes from the run)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import summary as S
from .api import DEFAULT_MODEL
from .backtest import BacktestResult


def _num(v) -> str:
    if isinstance(v, tuple):
        d, se = v
        return "nan" if np.isnan(d) else f"{d:+.{_dec(d)}f} ± {2 * se:.{_dec(d)}f}"
    if isinstance(v, (float, np.floating)):
        return "nan" if np.isnan(v) else f"{v:.{_dec(v)}f}"
    return str(v)


def _dec(v: float) -> int:
    return 1 if abs(v) >= 10 else 3


def _cell(col: str, v) -> str:
    """A paired-difference column left empty where it does not apply (AUC rows)."""
    if " - " in col and not isinstance(v, tuple) and (v is None or (isinstance(v, float) and np.isnan(v))):
        return ""
    return _num(v)


def md_table(df: pd.DataFrame) -> str:
    rows = [list(map(str, df.columns)), ["---"] * df.shape[1]] + [[_cell(c, v) for c, v in zip(df.columns, r)]
                                                                  for r in df.values.tolist()]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def _tables(res: BacktestResult) -> list[tuple[str, str, pd.DataFrame]]:
    return [
        ("Weekly people and boats: pinball loss and CRPS",
         "Mean pinball loss over the quantiles 0.05, 0.25, 0.5, 0.75, 0.95, and CRPS, in people or boats per week "
         "(lower is better). `/ better baseline`: ratio to the better of climatology and persistence. `A - B`: mean "
         "paired difference ± 2 standard errors (Newey-West over 8 origins, from per-origin means).",
         S.weekly_scores(res)),
        ("Daily crossing-day probability: Brier score and AUC",
         "Brier score (lower is better) and AUC by ranks (higher is better; 0.5 = no skill) of the probability of a "
         "day with at least one boat; paired Brier differences ± 2 standard errors.", S.daily_scores(res)),
        ("Interval coverage per week horizon",
         "Share of weekly outcomes inside the 50% interval [q0.25, q0.75] and the 90% interval [q0.05, q0.95], ends "
         "included (nominal 0.50 and 0.90).", S.coverage(res)),
        ("Interval coverage per horizon group", "As above, grouped.", S.coverage(res, by="group")),
        ("Yearly bias", "Sum of forecast means over the sum observed, weeks 1-4 ahead, by calendar year of the "
         "week's end (1 = unbiased).", S.yearly_bias(res)),
        ("Bias by quarter", "As above, by calendar quarter of the week's end: where in the year the yearly bias "
         "comes from.", S.yearly_bias(res, quarters=True)),
    ] + [(f"PIT histogram: {m}", "Expected share of the randomised PIT in each tenth of [0, 1], per target and week "
          "horizon (0.1 everywhere for a calibrated forecast; high outer bins = intervals too narrow, high middle "
          "bins = too wide).", S.pit_histograms(res, m)) for m in res.forecasters]


def text(res: BacktestResult) -> str:
    """Plain-text tables for the terminal."""
    parts = [_header(res)]
    with pd.option_context("display.width", 200, "display.max_columns", 40):
        for title, _, t in _tables(res):
            shown = pd.DataFrame({c: [_cell(c, v) for v in t[c]] for c in t.columns})
            parts.append(f"{title}\n{shown.to_string(index=False)}\n")
    parts += _targets_lines(res)
    return "\n".join(parts)


def _header(res: BacktestResult) -> str:
    o = res.origins
    return (f"Backtest: {len(o)} weekly origins (Mondays) {o[0].date()} to {o[-1].date()}, data to "
            f"{res.data_end.date()}, information: {res.schedule.label}, {res.n_paths} paths per forecast, "
            f"{res.seconds:.1f} s\n")


def _targets_lines(res: BacktestResult) -> list[str]:
    win = S.winner(res)
    out = [f"Winner (lowest mean of weekly pinball / better baseline, people and boats, weeks 1-4): {win}."]
    if win != DEFAULT_MODEL:
        out.append(f"The default model of `crossings forecast` is {DEFAULT_MODEL}, not this run's winner.")
    else:
        out.append("It is the default model of `crossings forecast`.")
    for f in res.forecasters:
        out.append(f"\nTargets, {f}:")
        for label, ok, numbers in S.targets(res, f):
            out.append(f"- {'met' if ok else 'MISSED'}: {label} ({numbers})")
    return out


def _machine() -> str:
    """Cores and the load average when the report is written (timings on a shared machine are upper bounds)."""
    import os
    try:
        load = f"load average {os.getloadavg()[0]:.1f} over the last minute"
    except OSError:
        load = "load average unknown"
    return f"{os.cpu_count()} cores, {load}"


def markdown(res: BacktestResult, source: str, command: str) -> str:
    """docs/forecast.md: data, information schedule, models, every score table, targets met and missed."""
    o = res.origins
    lag = res.lags_days
    lines = [
        "# Forecasts of crossing activity: backtest", "",
        f"Generated by `{command}`.", "",
        "## Data and information", "",
        f"- Series: official daily arrivals (Home Office, SB_01 of the workbook \"Migrants detected crossing the "
        f"English Channel in small boats - time series\", Crown copyright, Open Government Licence v3.0), {source}; "
        f"data to {res.data_end.date()}. Values are as in that release (revised), not as first published.",
        f"- Origins: {len(o)} Mondays from {o[0].date()} to {o[-1].date()}. At each origin D every model is fitted "
        f"on the days published by D only ({res.schedule.describe()}), simulates from the day after the data end "
        f"with {res.n_paths} sample paths, and is scored on the days D to D+13 and the official weeks (Monday to "
        "Sunday) starting D, D+7, ..., D+49 that are observed.",
        f"- Publication lag assumed (days from the data end to the origin): {int(lag.min())} to {int(lag.max())}, "
        f"mean {lag.mean():.1f}.",
        f"- Run time: {res.seconds:.1f} s on this machine ({_machine()}), all origins and models.",
        "",
        "## Models", "",
        "- **locallevel**: daily boats negative binomial around exp(level + weather + season); level a random walk, "
        "weather an AR(1) (spells of a few days, standard deviation at most 1 on the log scale), season 2 yearly "
        "harmonics whose coefficients are states too, random walks of a small fitted daily variance (so the "
        "season's shape can change); filtered by a Laplace (posterior-mode) filter whose likelihood gives the five "
        "hyper-parameters, fitted on the 3 years before the last four-weekly refit day on or before each data end "
        "(the filter then runs to the data end). Paths start from a draw of the last filtered state and add the "
        "level, weather and season innovations; people = boats x people-per-boat of the last 60 crossing days.",
        "- **hurdle**: logistic occurrence of a crossing day and negative binomial boats on crossing days, on "
        "season, trend and recent activity (3-year window); people as above.",
        "- **seasonal**: the climatology of the same weeks of the 3 previous years ±1 week, times an adaptive "
        "level: the ratio of recent weeks to their own climatology, exponentially smoothed with the weight that "
        "best forecast that ratio one week ahead over the 156 weeks before each data end; the level's uncertainty "
        "(a random walk of that fitted variance) spreads the paths, whose days are drawn climatology days scaled "
        "by it. Boats and people each have their own level.",
        "- **ensemble**: a quantile average of locallevel, hurdle and seasonal: in every official week, each "
        "path's total moves to the weighted mean of the three models' quantiles at its rank (its days scaled to "
        "it, so days without crossings stay without), and the tails beyond the quartiles are shrunk or stretched "
        "by one factor. Weights are inverse to each model's mean relative pinball loss (7-day blocks 1-4, boats "
        "and people) over forecasts made at the 26 weekly data ends before each data end, counting only the blocks "
        "over by then; the tail factor is the one that minimised the average's pinball loss on those same "
        "forecasts. Which days cross comes from the three models' paths in the same shares. The combination and "
        "the factor were chosen on origins of 2022 (development period), before this run: "
        "docs/forecast-development.md.",
        "- **climatology**: each target week drawn from the same weeks of the 3 previous years, ±1 week.",
        "- **persistence**: each target week drawn from the last 8 complete weeks.",
        "- Weekly totals of every model are sums of its daily paths; crossing-day probabilities are shares of paths.",
        "- hurdle+conditions (crossing days also on the night's sea conditions) is not scored in this run: it is "
        "scored with archived weather forecasts by `crossings backtest --conditions` (see the last section).",
        "",
    ]
    for title, note, t in _tables(res):
        lines += [f"## {title}", "", note, "", md_table(t), ""]
    lines += ["## Targets", "", *_targets_lines(res), ""]
    from .conditions_backtest import METHOD_MD  # the conditions backtest's own section (its module owns the text)
    lines += [METHOD_MD, ""]
    return "\n".join(lines)
