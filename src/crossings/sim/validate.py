"""Out-of-sample validation: project the months after a calibration's window and place what was observed in it.

:func:`project` runs the shipped ``status_quo`` (the doctrine the data were observed under) over the 12 months
after the window's end with the posterior's parameters (the inflow level of the new year carries the year-to-year
variation, see :mod:`crossings.sim.posterior`). :func:`score` gives, for people and boats arrived, the percentile
of the observed total over the days published, and for every month whether the observed value lies inside the
projection's 90% band.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..errors import InputError
from .posterior import Posterior

VARIABLES = ("migrants_arrived", "boats_arrived")
BAND = (0.05, 0.95)
BLOCK = 1000


@dataclass
class Projection:
    dates: pd.DatetimeIndex
    series: dict[str, np.ndarray]       # (replicates, days)
    posterior: Posterior


def project(post: Posterior, replicates: int = 4000, seed: int = 0, scenario="status_quo",
            months: int = 12) -> Projection:
    """``replicates`` histories of the ``months`` months after the posterior's window."""
    from .calendar import truncate_to
    from .model import simulate_detail
    from .scenario import load_scenario
    first, until = post.window
    start = until + timedelta(days=1)
    end = (pd.Timestamp(start) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()
    # nothing the scenario lists from after `until`; people per boat anchored as in the calibration
    sc = truncate_to(load_scenario(scenario), until).with_values(
        start=start, end=end, **{"people.inflow_year_level": {}, "boats.people_per_boat_history": {},
                                 "boats.people_per_boat_reference_date": first})
    sc = post.apply(sc)
    out = {k: [] for k in VARIABLES}
    for i, s in enumerate(np.random.SeedSequence(seed).spawn(-(-replicates // BLOCK))):
        n = min(BLOCK, replicates - i * BLOCK)
        r = simulate_detail(sc, n, s, params=post.draw(sc, n, s), detail=False)
        for k in VARIABLES:
            out[k].append(r[k])
    return Projection(pd.DatetimeIndex(sc.dates()), {k: np.concatenate(v) for k, v in out.items()}, post)


def _pct(x: np.ndarray, v: float) -> float:
    return float((x < v).mean() + 0.5 * (x == v).mean())


def require_days_after(daily: pd.DataFrame, until: date, asked: object) -> None:
    """One-line error when the official series has no published day after ``until`` (the calibration window's
    end; ``asked``: the --until the user gave): checked before a calibration that would take minutes, since
    :func:`score` would refuse its projection anyway."""
    published = daily["migrants_arrived"].notna() & (pd.to_datetime(daily["date"]) > pd.Timestamp(until))
    if not published.any():
        raise InputError(f"--until {asked}: no published days after {until} to validate on (the data end on "
                         f"{str(daily['date'].max())[:10]})")


def score(proj: Projection, daily: pd.DataFrame) -> dict:
    """Observed totals and months against the projection (only days the official series has)."""
    d = daily.assign(date=pd.to_datetime(daily["date"])).set_index("date")
    d = d[~d.index.duplicated()].reindex(proj.dates)
    seen = d["migrants_arrived"].notna().to_numpy()
    if seen.sum() == 0:
        raise InputError(f"no published days after {proj.dates[0].date() - timedelta(days=1)} to validate on")
    res = {"window": [str(x) for x in proj.posterior.window], "projected": [str(proj.dates[0].date()),
                                                                           str(proj.dates[-1].date())],
           "observed_days": int(seen.sum()), "totals": [], "months": []}
    for k in VARIABLES:
        obs = d[k].astype(float).to_numpy()
        sim = proj.series[k][:, seen].sum(axis=1)
        v = float(np.nansum(obs[seen]))
        q = np.quantile(sim, (BAND[0], 0.5, BAND[1]))
        res["totals"].append({"variable": k, "observed": v, "p05": q[0], "median": q[1], "p95": q[2],
                              "percentile": _pct(sim, v), "inside_90": bool(q[0] <= v <= q[2])})
    ym = proj.dates.year * 100 + proj.dates.month
    for m in np.unique(ym):
        sel = (ym == m) & seen
        if sel.sum() < 20:
            continue
        row = {"month": f"{m // 100}-{m % 100:02d}", "days": int(sel.sum())}
        for k in VARIABLES:
            sim = proj.series[k][:, sel].sum(axis=1)
            v = float(np.nansum(d[k].astype(float).to_numpy()[sel]))
            q = np.quantile(sim, BAND)
            row[k] = {"observed": v, "p05": float(q[0]), "p95": float(q[1]), "percentile": _pct(sim, v),
                      "inside_90": bool(q[0] <= v <= q[1])}
        res["months"].append(row)
    for k in VARIABLES:
        res[f"months_inside_90_{k}"] = sum(r[k]["inside_90"] for r in res["months"])
    res["months_scored"] = len(res["months"])
    return res


def report_text(res: dict) -> str:
    """The validation as plain text tables."""
    lines = [f"calibrated on {res['window'][0]} to {res['window'][1]}; projected {res['projected'][0]} to "
             f"{res['projected'][1]} ({res['observed_days']} published days)", "",
             f"{'total':18s} {'observed':>10s} {'p05':>10s} {'median':>10s} {'p95':>10s} {'percentile':>10s}  90%"]
    for t in res["totals"]:
        lines.append(f"{t['variable']:18s} {t['observed']:10,.0f} {t['p05']:10,.0f} {t['median']:10,.0f} "
                     f"{t['p95']:10,.0f} {t['percentile']:10.2f}  {'inside' if t['inside_90'] else 'OUTSIDE'}")
    lines += ["", f"{'month':8s} {'people':>8s} {'90% band':>19s} {'pct':>5s}   {'boats':>6s} {'90% band':>13s} "
                  f"{'pct':>5s}"]
    for r in res["months"]:
        p, b = r["migrants_arrived"], r["boats_arrived"]
        lines.append(f"{r['month']:8s} {p['observed']:8,.0f} {p['p05']:8,.0f}-{p['p95']:<8,.0f}{'' if p['inside_90'] else '*':1s}"
                     f"{p['percentile']:5.2f}   {b['observed']:6,.0f} {b['p05']:6,.0f}-{b['p95']:<6,.0f}"
                     f"{'' if b['inside_90'] else '*':1s}{b['percentile']:5.2f}")
    n = res["months_scored"]
    lines += ["", f"months inside the 90% band: people {res['months_inside_90_migrants_arrived']}/{n}, "
                  f"boats {res['months_inside_90_boats_arrived']}/{n} (* outside)"]
    return "\n".join(lines)


def sbc(cal, datasets: int = 100, draws: int = 500, seed: int = 1, level: float = 0.9) -> dict:
    """Simulation-based calibration of a calibration's (amortized) estimator: ``datasets`` synthetic data sets
    drawn from the calibration prior (a seed stream the training never used), each with its posterior; returns
    per parameter the share of data sets whose true value lies inside the central ``level`` posterior interval,
    and the ranks of the true values among the draws (uniform when the posterior is calibrated)."""
    from .calibrate import run_block, sample_many
    pb = cal.problem
    z, x = run_block(pb, datasets, np.random.SeedSequence([seed, 7_777]))
    ok = np.isfinite(x).all(axis=1)
    z, x = z[ok], x[ok]
    s = sample_many(cal.estimator, x, draws, seed)              # (draws, datasets, k)
    lo, hi = np.quantile(s, [(1 - level) / 2, (1 + level) / 2], axis=0)
    inside = (z >= lo) & (z <= hi)
    ranks = (s < z[None]).sum(axis=0)
    return {"datasets": int(ok.sum()), "draws": draws, "level": level,
            "coverage": {n: float(inside[:, j].mean()) for j, n in enumerate(pb.names)},
            "rank_histogram": {n: np.histogram(ranks[:, j], bins=10, range=(0, draws))[0].tolist()
                               for j, n in enumerate(pb.names)}}
