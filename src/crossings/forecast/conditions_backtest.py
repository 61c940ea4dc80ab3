"""``crossings backtest --conditions``: the hurdle model with sea conditions, scored on the weather a forecaster
had, next to every other model on the same origins (paired).

At an origin D the conditions model is fitted on the nights of the stored reanalysis history published by D
(:func:`crossings.conditions.archive.daily_history_known`) and simulates the days after the data end with the
archived forecasts as issued by D (:func:`crossings.conditions.archive.daily_as_issued`). Archived forecasts reach
7 days ahead, so every model is scored here on the days D .. D+6 and the week starting D only. An origin is
covered when every night from the day after the data end to D+6 has at least ``MIN_NIGHT_SHARE`` of its
point-hours forecast, and the history has ``MIN_TRAIN_NIGHTS`` nights to fit on; others are skipped with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..conditions import archive
from ..conditions.thresholds import MEASURES, Thresholds
from ..errors import CrossingsError, InputError
from ..sources.openmeteo import STRAIT_POINTS
from . import summary as S
from .backtest import BacktestResult, _seed, case_frame, default_models, forecast_at, origins
from .hurdle import HurdleModel
from .schedule import Schedule
from .series import Series

DAYS = archive.MAX_LEAD_DAYS  # days D .. D+6: the nights the archive's 7 lead days reach
WEEKS = 1
MIN_NIGHT_SHARE = 0.75  # share of a night's point-hours that must be forecast
MIN_TRAIN_NIGHTS = 120  # as HurdleModel.fit requires
N_POINTS = len(STRAIT_POINTS)  # points each night is read at
WAVES_NOTE = ("waves: Open-Meteo keeps no earlier runs of its marine models, so hurdle+conditions uses the night "
              "mean wind only (fitted on reanalysis wind, forecast with wind as issued)")
NONE_STORED = ("no archived weather forecasts are stored, so the conditions model cannot be scored: run 'crossings "
               "conditions fetch --archived-forecasts --start D --end D' first (Open-Meteo keeps them from 2024)")


class NoArchivedForecastsError(CrossingsError):
    """No origin of the backtest has archived forecasts stored."""


@dataclass
class ConditionsBacktest:
    """Scores of every model on the covered origins (``result``) and the origins skipped, with why."""

    result: BacktestResult | None
    asked: pd.DatetimeIndex
    skipped: dict[pd.Timestamp, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ("wind_speed_ms",)
    leads: pd.Series = field(default=None, repr=False)  # per origin: largest lead read (days)

    @property
    def covered(self) -> pd.DatetimeIndex:
        return self.result.origins if self.result is not None else pd.DatetimeIndex([])


def origin_conditions(con, origin: pd.Timestamp, cut: pd.Timestamp, window_days: int,
                      limits: Thresholds | None = None) -> tuple[pd.DataFrame | None, str, tuple[str, ...]]:
    """The daily table the conditions model reads at ``origin``: reanalysis nights known then up to ``cut``,
    archived forecasts issued by then for ``cut`` + 1 .. ``origin`` + 6. Returns (table, '' , columns) or
    (None, why not, ())."""
    t = limits or Thresholds()
    last = origin + pd.Timedelta(days=DAYS - 1)
    first_sim = cut + pd.Timedelta(days=1)
    fc = archive.daily_as_issued(con, origin, first_sim.date(), last.date(), t)
    hours = N_POINTS * (24 - t.night_start_h + t.night_end_h)
    short = fc[fc["n_hours"] < MIN_NIGHT_SHARE * hours]
    if len(short):
        d = short["date"].iloc[0]
        return None, (f"no archived forecast issued by {origin.date()} for the night of {d}"
                      + (f" and {len(short) - 1} more" if len(short) > 1 else "")), ()
    hist = archive.daily_history_known(con, origin, (cut - pd.Timedelta(days=window_days)).date(), cut.date(), t)
    hist.loc[hist["n_hours"] < MIN_NIGHT_SHARE * hours, list(MEASURES)] = np.nan  # nights known only in part
    n_train = int(hist["wind_speed_ms"].notna().sum())
    if n_train < MIN_TRAIN_NIGHTS:
        return None, (f"{n_train} nights of stored history published by {origin.date()} to fit on "
                      f"(need {MIN_TRAIN_NIGHTS})"), ()
    cols = ("wave_height_m", "wind_speed_ms") if fc["wave_height_m"].notna().all() else ("wind_speed_ms",)
    table = pd.concat([hist, fc.drop(columns="lead_days_max")], ignore_index=True)
    table.attrs["lead_days_max"] = int(fc["lead_days_max"].max())
    return table, "", cols


def run_conditions_backtest(series: Series, store_or_con, start: date | str = "2023-01-01",
                            end: date | str | None = None, n_paths: int = 1000, seed: int = 0,
                            schedule: Schedule | None = None, limits: Thresholds | None = None) -> ConditionsBacktest:
    """Score hurdle+conditions and every default model on the Monday origins from ``start`` to ``end`` that have
    archived forecasts stored. Raises :class:`NoArchivedForecastsError` when none has."""
    import time
    from ..conditions.store import connection
    con = connection(store_or_con)
    schedule = schedule or Schedule()
    asked = origins(series, start, end)
    span = archive.stored_span(con)
    if span is None:
        raise NoArchivedForecastsError(NONE_STORED)
    t0 = time.perf_counter()
    base = default_models()
    frames, skipped, leads, cols_used = [], {}, {}, set()
    with threadpool_limits(1):
        for origin in asked:
            cut = schedule.known_through(origin)
            table, why, cols = origin_conditions(con, origin, cut, HurdleModel().window_days, limits)
            if table is None:
                skipped[origin] = why
                continue
            cond = HurdleModel(conditions=table, condition_columns=cols)
            try:  # first, so an origin it cannot be fitted at is skipped with the reason, not the whole run
                paths, _ = forecast_at(series, origin, cond, schedule, n_paths, _seed(seed, origin, len(base)),
                                       DAYS, WEEKS)
            except InputError as exc:
                skipped[origin] = f"hurdle+conditions cannot be fitted: {exc}"
                continue
            origin_frames = [case_frame(cond.name, origin, paths, series, DAYS, WEEKS)]
            for k, model in enumerate(base):
                paths, _ = forecast_at(series, origin, model, schedule, n_paths, _seed(seed, origin, k), DAYS, WEEKS)
                origin_frames.insert(k, case_frame(model.name, origin, paths, series, DAYS, WEEKS))
            frames += origin_frames
            leads[origin] = table.attrs["lead_days_max"]
            cols_used.add(cols)
    if not frames:
        raise NoArchivedForecastsError(
            f"archived forecasts are stored for {span[0].date()} to {span[1].date()}, but none covers any of the "
            f"{len(asked)} origins from {asked[0].date()} to {asked[-1].date()} "
            f"(first: {next(iter(skipped.values()))})")
    covered = pd.DatetimeIndex(sorted(leads))
    names = [m.name for m in base] + ["hurdle+conditions"]
    res = BacktestResult(covered, n_paths, time.perf_counter() - t0, pd.concat(frames, ignore_index=True), names,
                         series.end, schedule, pd.Series({o: (o - schedule.known_through(o)).days for o in covered}))
    cols = ("wind_speed_ms",) if ("wind_speed_ms",) in cols_used else next(iter(cols_used))
    return ConditionsBacktest(res, asked, skipped, cols, pd.Series(leads))


def versus_hurdle(cb: ConditionsBacktest) -> pd.DataFrame:
    """Paired differences hurdle+conditions - hurdle: weekly pinball and CRPS (week 1), daily Brier (days 1-3,
    4-7), mean ± standard error over origins."""
    cases = cb.result.cases
    rows = []
    for target in ("people", "boats"):
        t = S._sel(cases, "weekly", target, 1, 1)
        for metric in ("pinball", "crps"):
            rows.append(dict(score=f"weekly {target} {metric}", horizon="1w",
                             **{"hurdle+conditions - hurdle": S.paired(t, "hurdle+conditions", "hurdle", metric)}))
    for lo, hi in ((1, 3), (4, 7)):
        t = S._sel(cases, "daily", "boats", lo, hi)
        t = t.assign(brier=(t["p"] - (t["obs"] > 0)) ** 2)
        rows.append(dict(score="crossing-day brier", horizon=S.group_label(lo, hi, "d"),
                         **{"hurdle+conditions - hurdle": S.paired(t, "hurdle+conditions", "hurdle", "brier")}))
    return pd.DataFrame(rows)


def weekly_table(cb: ConditionsBacktest) -> pd.DataFrame:
    """Weekly scores of week 1, the only week archived forecasts reach."""
    t = S.weekly_scores(cb.result)
    return t[t["horizon"] == S.group_label(1, WEEKS, "w")].reset_index(drop=True)


def _ranges(days: list[pd.Timestamp]) -> str:
    return ", ".join(d.date().isoformat() for d in days[:6]) + (f" ... ({len(days)} in all)" if len(days) > 6 else "")


def coverage_lines(cb: ConditionsBacktest) -> list[str]:
    """How many origins were scored and which were skipped, and what the conditions model read."""
    n, k = len(cb.asked), len(cb.covered)
    out = [f"Conditions backtest: {k} of {n} weekly origins ({cb.asked[0].date()} to {cb.asked[-1].date()}) have "
           f"archived weather forecasts stored and were scored: {_ranges(list(cb.covered))}.",
           f"Every model is scored on the same {k} origins (paired), on days 1-{DAYS} and week 1 only: archived "
           f"forecasts reach {archive.MAX_LEAD_DAYS} days ahead. Longest lead read: "
           f"{int(cb.leads.max())} days. Forecast issued at {archive.ISSUE_HOUR_UTC:02d}:00 UTC on the origin; "
           f"a run counts from {archive.RUN_DELAY_H} h after the time it is valid for minus its lead.",
           f"Conditions used: {', '.join(cb.columns)}; " + (WAVES_NOTE if "wave_height_m" not in cb.columns else
                                                          "waves as issued") + "."]
    if k < 3:
        out.append(f"With {k} origin(s) there is no standard error of the paired differences (nan): fetch a longer "
                   "period of archived forecasts for a verdict.")
    if cb.skipped:
        out.append(f"Skipped {len(cb.skipped)} origin(s):")
        by_reason: dict[str, list[pd.Timestamp]] = {}
        for o, why in cb.skipped.items():
            key = "no archived forecast stored" if why.startswith("no archived forecast") else why
            by_reason.setdefault(key, []).append(o)
        for why, ors in by_reason.items():
            out.append(f"- {why}: {_ranges(ors)}")
    return out


def text(cb: ConditionsBacktest) -> str:
    """Plain-text report for the terminal."""
    from .report import _cell
    parts = ["\n".join(coverage_lines(cb)), ""]
    tables = [("Weekly people and boats, week 1: pinball loss and CRPS", weekly_table(cb)),
              ("Daily crossing-day probability: Brier score and AUC", S.daily_scores(cb.result)),
              ("hurdle+conditions - hurdle: mean paired difference ± 2 standard errors (negative: conditions help)",
               versus_hurdle(cb))]
    with pd.option_context("display.width", 200, "display.max_columns", 40):
        for title, t in tables:
            shown = pd.DataFrame({c: [_cell(c, v) for v in t[c]] for c in t.columns})
            parts.append(f"{title}\n{shown.to_string(index=False)}\n")
    return "\n".join(parts)


def markdown(cb: ConditionsBacktest, command: str) -> str:
    """The conditions backtest as a markdown page."""
    from .report import md_table
    lines = ["# Forecasts with sea conditions: backtest on archived weather forecasts", "",
             f"Generated by `{command}`.", "", *[f"- {x}" if not x.startswith("- ") else f"  {x}"
                                                 for x in coverage_lines(cb)], "",
             "## Weekly people and boats, week 1", "", md_table(weekly_table(cb)), "",
             "## Daily crossing-day probability", "", md_table(S.daily_scores(cb.result)), "",
             "## hurdle+conditions - hurdle", "", md_table(versus_hurdle(cb)), "", METHOD_MD]
    return "\n".join(lines)


METHOD_MD = f"""## Sea conditions (hurdle+conditions)

`crossings backtest --conditions` scores **hurdle+conditions** (crossing days also on the night's sea conditions)
with the weather a forecaster had at each origin, never reanalysis of the days forecast. It reads the archived
forecasts stored by `crossings conditions fetch --archived-forecasts --start D --end D` (Open-Meteo Previous Runs
API: the wind predicted 1-{archive.MAX_LEAD_DAYS} days before each hour; archived from 2024) and the reanalysis
history stored by `crossings conditions fetch --start D --end D`, as published by the origin (it runs
{archive.REANALYSIS_DELAY_DAYS} days behind). The night ending on day D+k is read at lead k+1 days, so only days
D..D+{DAYS - 1} and the week starting D can be scored; the other models are scored on the same origins and days,
and the tool prints how many origins were covered and which were skipped. Open-Meteo keeps no earlier runs of its
marine models, so the model there uses the night mean wind only. The Historical Forecast API is not used: it
stitches the first hours of each run, near-observed weather, which would leak into forecasts days ahead."""
