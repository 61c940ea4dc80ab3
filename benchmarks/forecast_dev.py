"""Development-period backtest of forecast-model variants (origins before 2023): the period on which design choices
of the forecasts are made, before the 2023-2025 backtest of docs/forecast.md is run once.

Usage: python benchmarks/forecast_dev.py [--start 2022-01-01] [--end 2022-12-31] [--paths 500] [--seed 0]
[--models a,b]
Prints, per model: weekly pinball / better baseline (weeks 1-4, people and boats), 50% and 90% coverage per horizon
group, yearly bias and the 1-3 day Brier score. Uses the bundled workbook (cut at --end: no day after the period is
read or scored), with the daily pages schedule.
"""
from __future__ import annotations

import argparse
import time


def _model(name: str, make_model):
    """A model by name; ``ensemble:COMBINE:WEIGHTING[:OPTION...]`` is an ensemble variant (e.g.
    ensemble:mixture:inverse, ensemble:quantile:stacking:spread, ensemble:quantile:inverse:spread:cov52:lvl0.5:w13).
    Options: ``spread`` a tail factor, by pinball loss (``pinN``: over N earlier data ends) or, with ``covN``, split
    conformal over N earlier data ends (``pin2xN``, ``cov2xN``: each tail its own factor);
    ``lvlS`` a level factor keeping the share S of the history's observed / forecast ratio, over the ``wN`` earlier
    data ends (default: those of the weights); ``hNsS`` the history of N weeks, a data end every S weeks; ``static``
    the local-level component with a static season (``adaptive_season=False``); ``shrunk`` the pinball tail factor
    moved towards 1 by its bootstrap standard error; ``base`` persistence and climatology as fourth and fifth
    components; ``notrend`` the hurdle component without its calendar trend (also ``hurdle:notrend``)."""
    if name.startswith("ensemble:"):
        from crossings.forecast.ensemble import EnsembleModel
        _, combine, weighting, *rest = name.split(":")
        m = EnsembleModel(combine=combine, weighting=weighting, spread="spread" in rest, name=name)
        for o in rest:
            if o.startswith(("cov", "pin")):  # cov52, cov2x26 (each tail apart), pin52, pin2x26
                kind = "coverage" if o.startswith("cov") else "pinball"
                two = o[3:].startswith("2x")
                m.tails, m.calib_weeks = kind + ("2" if two else ""), int(o[5 if two else 3:] or m.history_weeks)
            elif o.startswith("lvl"):
                m.level_share = float(o[3:])
            elif o.startswith("h"):  # h52s2: data ends every 2 weeks over 52 weeks, for the weights and the tails
                weeks, step = o[1:].split("s")
                m.history_weeks, m.history_step = int(weeks), int(step)
            elif o.startswith("w"):
                m.level_weeks = int(o[1:])
            elif o == "shrunk":
                m.tails = "shrunk"
            elif o == "static":
                next(c for c in m.models if c.name == "locallevel").adaptive_season = False
            elif o == "notrend":  # the hurdle component without its calendar trend
                next(c for c in m.models if c.name == "hurdle").trend = False
            elif o == "base":  # the two baselines as components too (appended: the others keep their streams)
                from crossings.forecast.baselines import Climatology, Persistence
                m.models = [*m.models, Persistence(), Climatology()]
        return m
    kind, *opts = name.split(":")
    if kind in ("locallevel", "hurdle") and opts:  # locallevel:martingale, locallevel:static, locallevel:h1, hurdle:h1
        model = make_model(kind)
        for o in opts:
            if o == "martingale":
                model.martingale = True
            elif o == "static":
                model.adaptive_season = False
            elif o == "notrend":
                model.trend = False
            elif o.startswith("h"):
                model.harmonics = int(o[1:])
        if kind == "locallevel":
            model.name = name
        else:  # the hurdle model's name is a property
            model = _Named(model, name)
        return model
    return make_model(name)


def _share_history(ensembles: list) -> None:
    """Ensemble variants of the same components and weights' history share their fits and history forecasts (which
    are functions of the series alone), each scoring the longest span of them all; each still reads only the data
    ends of its own windows, so its figures are those it has alone, at a fraction of the time."""
    longest = max(m.span() for m in ensembles)
    first = ensembles[0]
    for m in ensembles:
        m._sims, m._rows, m._fits, m.models = first._sims, first._rows, first._fits, first.models
        m.span = lambda: longest


class _Named:
    """A model under another name (for variants of a model whose name is fixed)."""

    def __init__(self, model, name: str):
        self.model, self.name = model, name

    def fit(self, series):
        return self.model.fit(series)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", default="2022-01-01")
    ap.add_argument("--end", default="2022-12-31")
    ap.add_argument("--paths", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", default="locallevel,hurdle,seasonal,ensemble,climatology,persistence")
    a = ap.parse_args()
    import pandas as pd

    from crossings.config import bundled_workbooks
    from crossings.forecast.api import make_model
    from crossings.forecast.backtest import run_backtest
    from crossings.forecast.schedule import Schedule
    from crossings.forecast.series import daily_series
    from crossings.forecast.summary import coverage, daily_scores, weekly_scores, yearly_bias
    from crossings.store import Store
    mem = Store(":memory:")
    mem.ingest(bundled_workbooks()[0])
    series = daily_series(mem.daily()).upto(pd.Timestamp(a.end))  # nothing after the period is scored either
    models = [_model(n, make_model) for n in a.models.split(",")]
    ensembles = [m for m in models if type(m).__name__ == "EnsembleModel"]
    def history_key(m) -> tuple:  # ensembles with the same history and components share their fits
        return m.history_weeks, m.history_step, tuple((getattr(c, "adaptive_season", None),
                                                        getattr(c, "trend", None)) for c in m.models)

    for key in {history_key(m) for m in ensembles}:
        _share_history([m for m in ensembles if history_key(m) == key])
    t0 = time.process_time()
    res = run_backtest(series, a.start, a.end, n_paths=a.paths, seed=a.seed, models=models,
                       schedule=Schedule(daily_pages=True))
    print(f"origins {res.origins[0].date()}..{res.origins[-1].date()} ({len(res.origins)}), "
          f"cpu {time.process_time() - t0:.1f} s, wall {res.seconds:.1f} s")
    ws = weekly_scores(res)
    sel = ws[(ws["metric"] == "pinball") & (ws["horizon"] == "1-4w")]
    cov = coverage(res, by="group")
    cov = cov[cov["horizon"].isin(["1w", "2-4w", "5-8w"])]
    yb = yearly_bias(res)
    ds = daily_scores(res)
    br = ds[(ds["metric"] == "brier") & (ds["horizon"] == "1-3d")].iloc[0]
    for f in res.forecasters:
        ratio = " ".join(f"{r['target']} {r[f]:.2f} ({r[f + ' / better baseline']:.3f})" for _, r in sel.iterrows())
        c90 = " ".join(f"{r[f]:.2f}" for _, r in cov[cov["interval"] == "90%"].iterrows())
        c50 = " ".join(f"{r[f]:.2f}" for _, r in cov[cov["interval"] == "50%"].iterrows())
        bias = " ".join(f"{r['target'][0]}{r['year']} {r[f]:.2f}" for _, r in yb.iterrows())
        print(f"{f:12s} pinball/base {ratio} | cov90 {c90} | cov50 {c50} | bias {bias} | brier13 {br[f]:.3f}")
    for b in ("climatology", "persistence"):
        print(f"{b:12s} pinball " + " ".join(f"{r['target']} {r[b]:.2f}" for _, r in sel.iterrows())
              + f" | brier13 {br[b]:.3f} | bias " + " ".join(f"{r['target'][0]}{r['year']} {r[b]:.2f}"
                                                            for _, r in yb.iterrows()))


if __name__ == "__main__":
    main()
