"""The ensemble's history of earlier forecasts: what its tail factors give there, and what a longer one costs.

Usage: python benchmarks/ensemble_history.py coverage   (2022 development origins, every 4th: the default tail
       factor, the split-conformal one over 26 and 52 weekly data ends, and the share of the history's cases the
       90% interval holds at the pinball factor and at factor 1)
       python benchmarks/ensemble_history.py cost [--repeats 3] [--only A,B]   (CPU seconds of one ensemble fit and
       1000 paths of 56 days on the whole bundled series, per setting (labels containing A or B), interleaved)
Uses the bundled workbook; the coverage mode cuts the series at 2022-12-31 (nothing after the period is read).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

SETTINGS = {  # label -> EnsembleModel settings
    "26 weekly (default)": dict(history_weeks=26, history_step=1),
    "52 every 2 weeks": dict(history_weeks=52, history_step=2),
    "52 every 4 weeks": dict(history_weeks=52, history_step=4),
    "26 weekly, tails over 52 weekly": dict(history_weeks=26, history_step=1, calib_weeks=52),
    "26 weekly, static season": dict(history_weeks=26, history_step=1, static=True),
    "26 weekly, shrunk tail factor": dict(history_weeks=26, history_step=1, tails="shrunk"),
}


def _ensemble(history_weeks: int, history_step: int, static: bool = False, **kw):
    """The ensemble of a setting; ``static``: its local-level component with a static season."""
    from crossings.forecast.ensemble import EnsembleModel
    m = EnsembleModel(history_weeks=history_weeks, history_step=history_step, **kw)
    if static:
        next(c for c in m.models if c.name == "locallevel").adaptive_season = False
    return m


def _series():
    from crossings.config import bundled_workbooks
    from crossings.forecast.series import daily_series
    from crossings.store import Store
    mem = Store(":memory:")
    mem.ingest(bundled_workbooks()[0])
    return daily_series(mem.daily())


def coverage() -> None:
    from crossings.forecast.calibrate import coverage_factor, covering_scores
    from crossings.forecast.ensemble import EnsembleModel, history_quantiles, since
    from crossings.forecast.schedule import Schedule
    series = _series().upto(pd.Timestamp("2022-12-31"))
    schedule = Schedule(daily_pages=True)
    m = EnsembleModel(level_weeks=52)  # the default factors; 52 weeks of history scored (level_share 0: unused)
    for o in pd.date_range("2022-01-03", "2022-12-26", freq="W-MON")[::4]:
        s = series.upto(schedule.known_through(o))
        res = m.fit(s)
        every = m.losses(s)
        out = []
        for weeks in (26, 52):
            obs, q = history_quantiles(since(every, s.end, weeks), s.end, res.names)
            avg = np.einsum("k,ckl->cl", res.weights, q)
            sc = covering_scores(obs, avg)
            out.append(f"{weeks} weeks: {len(obs)} cases, conformal {coverage_factor(obs, avg):.2f}, held at pinball "
                       f"factor {np.mean(sc <= res.spread):.2f}, at 1 {np.mean(sc <= 1):.2f}")
        print(f"{o.date()} pinball factor {res.spread:.2f} | " + " | ".join(out))


def cost(repeats: int, settings: dict) -> None:
    series = _series()
    times: dict[str, list[float]] = {k: [] for k in settings}
    for i in range(repeats):  # interleaved, in reverse order every other repeat (no setting always runs first)
        for label, kw in (list(settings.items()) if i % 2 == 0 else list(settings.items())[::-1]):
            t = time.process_time()
            _ensemble(**kw).fit(series).simulate(56, 1000, np.random.default_rng(0))
            times[label].append(time.process_time() - t)
    for label, v in times.items():
        print(f"{label:34s} cpu s " + " ".join(f"{x:.2f}" for x in v) + f" (median {np.median(v):.2f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("coverage", "cost"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated parts of the labels of the settings timed")
    a = ap.parse_args()
    parts = [p for p in a.only.split(",") if p]
    chosen = {k: v for k, v in SETTINGS.items() if not parts or any(p in k for p in parts)}
    coverage() if a.mode == "coverage" else cost(a.repeats, chosen)


if __name__ == "__main__":
    main()
