"""Compare doctrines with common random numbers: per-doctrine outcomes and paired differences with intervals.

Every scenario is run with the same seed and block size. The kernel draws each process (weather, inflow, each
uncertain parameter, ...) from a stream of its own spawned from the block seed, so the draws a doctrine does not
change are the same in every scenario, and replicate ``r`` of doctrine B is paired with replicate ``r`` of doctrine A.
The difference B - A per replicate then carries only the uncertainty the doctrine itself brings, and its interval is
much narrower than that of two independent runs. ``crn_ratio`` reports this: the variance of the paired differences
over the variance independent runs would give (var A + var B); below 1 the pairing sharpened the comparison.
"""
from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..atomic import write_text
from ..errors import ScenarioError
from .ensemble import DEFAULT_BLOCK_SIZE, _check_int, block_plan, ray_session, resolve_scenario, run_ensemble, wants_ray
from .posterior import parameters_note
from .results import QUANTILES, SimulationResult, fmt_count as _fmt, summarise

#: Daily series kept for the fan charts (cumulative over the period).
FAN_VARIABLES = ("migrants_arrived", "deaths", "migrants_prevented")
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class Comparison:
    """Results of several doctrines run with common random numbers; the first is the baseline."""

    results: list[SimulationResult]
    names: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: per difference label and outcome: P(difference > 0), robust, statement (see :func:`robustness`)
    robustness: dict = field(default_factory=dict)
    #: which calibrated posterior (or "priors only") the identifiable parameters came from
    parameters_source: str = ""

    def __post_init__(self):
        if not self.names:
            self.names = unique_names([r.scenario_name for r in self.results])

    def __repr__(self) -> str:
        return (f"<Comparison of {', '.join(self.names)} (baseline {self.baseline}): {self.replicates} replicates, "
                f"seed {self.results[0].seed}>")

    @property
    def baseline(self) -> str:
        return self.names[0]

    @property
    def replicates(self) -> int:
        return self.results[0].replicates

    def summary(self) -> pd.DataFrame:
        """Per doctrine and outcome: median, p05, p25, p75, p95 and mean of the totals over the period."""
        return pd.concat({n: r.summary() for n, r in zip(self.names, self.results)}, names=["scenario", "outcome"])

    def paired(self, name: str) -> pd.DataFrame:
        """Per-replicate differences ``name - baseline`` of the totals (replicate x outcome)."""
        i = self.names.index(name)
        return self.results[i].totals - self.results[0].totals

    def differences(self) -> pd.DataFrame:
        """Per doctrine (against the baseline) and outcome: quantiles and mean of the paired differences,
        the share of replicates where the doctrine gives more, and the CRN variance ratio."""
        base = self.results[0].totals
        parts = {}
        for name, r in zip(self.names[1:], self.results[1:]):
            d = r.totals - base
            s = summarise(d)
            s["share_higher"] = (d > 0).mean(axis=0)
            denom = r.totals.var(ddof=1) + base.var(ddof=1) if len(d) > 1 else pd.Series(np.nan, index=d.columns)
            s["crn_ratio"] = (d.var(ddof=1) / denom.where(denom > 0)) if len(d) > 1 else np.nan
            parts[f"{name} - {self.baseline}"] = s
        if not parts:
            return pd.DataFrame(columns=["median", "p05", "p25", "p75", "p95", "mean", "share_higher", "crn_ratio"])
        return pd.concat(parts, names=["difference", "outcome"])

    def fan(self, variable: str, *, difference: bool = False) -> dict[str, np.ndarray]:
        """Per doctrine: quantiles (:data:`FAN_QUANTILES`) over replicates of the cumulative daily ``variable``,
        an array (len(FAN_QUANTILES), n_days). With ``difference=True``, of the paired cumulative difference
        doctrine - baseline (for every doctrine but the baseline)."""
        def cumulative(name: str, r: SimulationResult) -> np.ndarray:
            if r.daily is None or variable not in r.daily:
                raise ValueError(f"{name}: daily {variable!r} was not kept")
            return np.cumsum(r.daily[variable].values, axis=1)

        out = {}
        base = cumulative(self.names[0], self.results[0]) if difference else None
        for name, r in list(zip(self.names, self.results))[1 if difference else 0:]:
            cum = cumulative(name, r)
            out[name] = np.quantile(cum - base if difference else cum, FAN_QUANTILES, axis=0)
        return out

    def to_dict(self) -> dict:
        """JSON shape of ``crossings compare --format json``."""
        r0 = self.results[0]
        summ = self.summary()
        diffs = self.differences()
        return {
            "replicates": self.replicates,
            "days": r0.n_days,
            "start": r0.dates[0].date().isoformat(),
            "end": r0.dates[-1].date().isoformat(),
            "seed": r0.seed,
            "block_size": r0.block_size,
            "seconds": round(self.seconds, 3),
            "baseline": self.baseline,
            "scenarios": {n: {o: _row(summ.loc[(n, o)]) for o in summ.loc[n].index} for n in self.names},
            "differences": {d: {o: _row(diffs.loc[(d, o)]) for o in diffs.loc[d].index}
                            for d in diffs.index.get_level_values(0).unique()},
            "robustness": self.robustness,
            "parameters_source": self.parameters_source,
        }

    def to_text(self) -> str:
        """Plain-text tables: each outcome per doctrine (median [90% interval]) and the paired differences."""
        summ = self.summary()
        cells = summ.apply(lambda r: f"{_fmt(r['median'])} [{_fmt(r['p05'])}, {_fmt(r['p95'])}]", axis=1)
        per = cells.unstack("scenario")[self.names]
        per = per.loc[summ.loc[self.baseline].index]
        lines = [f"{self.replicates} replicates, {self.results[0].n_days} days "
                 f"({self.results[0].dates[0].date()} to {self.results[0].dates[-1].date()}), "
                 f"seed {self.results[0].seed}; median [90% interval] of totals", "",
                 per.to_string(), ""]
        diffs = self.differences()
        if len(diffs):
            t = pd.DataFrame({
                "median": diffs["median"].map(_fmt),
                "50% interval": [f"[{_fmt(a)}, {_fmt(b)}]" for a, b in zip(diffs["p25"], diffs["p75"])],
                "90% interval": [f"[{_fmt(a)}, {_fmt(b)}]" for a, b in zip(diffs["p05"], diffs["p95"])],
                "P(higher)": diffs["share_higher"].map(lambda x: f"{x:.2f}"),
                "CRN ratio": diffs["crn_ratio"].map(lambda x: "-" if pd.isna(x) else f"{x:.2f}"),
            }, index=diffs.index)
            lines += ["paired differences (doctrine - baseline, same random numbers)", "", t.to_string()]
        if self.robustness:
            lines += ["", "is the sign robust? (P(difference > 0) above 0.9 or below 0.1 across the prior ranges)"]
            for d, per in self.robustness.items():
                for o in ROBUSTNESS_OUTCOMES:
                    if o in per:
                        lines.append("  " + per[o]["statement"])
        if self.parameters_source:
            lines += ["", self.parameters_source]
        return "\n".join(lines)

    def to_html(self, path: str | os.PathLike | None = None) -> str:
        """A self-contained HTML page (inline SVG fan charts, no outside resources); written to ``path`` if given."""
        import jinja2
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        template = env.from_string(
            (resources.files("crossings.sim") / "templates" / "compare.html.j2").read_text(encoding="utf-8"))
        from ..glossary import GLOSSARY
        summ = self.summary()
        outcomes = list(summ.loc[self.baseline].index)
        diffs = self.differences()
        kept = [v for v in FAN_VARIABLES if all(r.daily is not None and v in r.daily for r in self.results)]
        charts = [(v, GLOSSARY.get(v, v), _fan_svg(self, v)) for v in kept]
        diff_charts = [(v, GLOSSARY.get(v, v), _fan_svg(self, v, difference=True)) for v in kept] \
            if len(self.results) > 1 else []
        r0 = self.results[0]
        html = template.render(
            names=self.names, baseline=self.baseline, outcomes=outcomes, glossary=GLOSSARY,
            summary={(n, o): summ.loc[(n, o)] for n in self.names for o in outcomes},
            differences=[(d, o, diffs.loc[(d, o)]) for d, o in diffs.index],
            charts=charts, diff_charts=diff_charts, replicates=self.replicates, days=r0.n_days, seed=r0.seed, block_size=r0.block_size,
            start=r0.dates[0].date(), end=r0.dates[-1].date(), fmt=_fmt)
        if path is not None:
            write_text(path, html)
        return html


def _row(s: pd.Series) -> dict:
    return {k: (None if pd.isna(v) else (int(v) if float(v).is_integer() else round(float(v), 4)))
            for k, v in s.items()}


def unique_names(names: Sequence[str]) -> list[str]:
    """Scenario names made unique by a ``#2``, ``#3`` suffix where the same doctrine appears twice."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out


_COLOURS = ("#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50", "#16a085", "#7f8c8d")


def _fan_svg(comp: Comparison, variable: str, *, difference: bool = False) -> str:
    """Fan charts of the cumulative ``variable`` as inline SVG: one panel per doctrine (90% and 50% bands, median;
    the baseline's median dashed for reference), or with ``difference=True`` one panel per doctrine of the paired
    difference from the baseline."""
    import matplotlib
    import matplotlib.dates
    import matplotlib.ticker
    from matplotlib.figure import Figure

    bands = comp.fan(variable, difference=difference)
    base_median = None if difference else bands[comp.baseline][2]
    dates = comp.results[0].dates.to_numpy()
    n = len(bands)
    ncols = min(n, 3)
    nrows = -(-n // ncols)
    with matplotlib.rc_context({"svg.hashsalt": f"crossings-{variable}-{difference}", "svg.fonttype": "none",
                                "font.size": 8}):
        fig = Figure(figsize=(9, 2.5 * nrows + 0.3), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
        names = list(bands)
        for k, ax in enumerate(axes):
            if k >= n:
                ax.set_visible(False)
                continue
            name, q = names[k], bands[names[k]]
            c = _COLOURS[comp.names.index(name) % len(_COLOURS)]
            ax.fill_between(dates, q[0], q[4], color=c, alpha=0.18, linewidth=0, label="90%")
            ax.fill_between(dates, q[1], q[3], color=c, alpha=0.38, linewidth=0, label="50%")
            ax.plot(dates, q[2], color=c, linewidth=1.5, label="median")
            if difference:
                ax.axhline(0, color="#555", linewidth=0.8)
            elif name != comp.baseline:
                ax.plot(dates, base_median, color="#555", linewidth=1, linestyle="--",
                        label=f"{comp.baseline} median")
            ax.set_title(f"{name} − {comp.baseline}" if difference else name, fontsize=9)
            ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
            ax.xaxis.set_major_locator(matplotlib.dates.MonthLocator(bymonth=(1, 4, 7, 10)))
            ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%b %Y"))
            ax.margins(x=0)
            ax.grid(True, alpha=0.3)
            ax.spines[["top", "right"]].set_visible(False)
            if k % ncols == 0:
                label = variable.replace("_", " ")
                ax.set_ylabel(f"difference in cumulative {label}" if difference else f"cumulative {label}")
        axes[n - 1].legend(loc="upper left", frameon=False, fontsize=7)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


#: Outcomes whose sign robustness ``compare`` states.
ROBUSTNESS_OUTCOMES = ("migrants_arrived", "deaths", "migrants_prevented", "migrants_rescued")


def robustness(comp: Comparison, scenarios: Sequence, block_size: int, seed: int) -> dict:
    """Per difference and outcome: P(difference > 0) over the replicates (which draw the unidentified
    parameters from their priors), whether the sign is robust (> 0.9 or < 0.1), and otherwise the unidentified
    parameter that would settle it: the largest first-order index of the paired difference on the run's own
    draws (SALib's delta-method ``S1``, a given-data estimator; ``crossings sensitivity`` gives ``ST``)."""
    from .params import draw_parameters
    from .sensitivity import UNIDENTIFIED, sign_statement
    out: dict = {}
    n = comp.replicates
    plan = block_plan(n, block_size)
    seeds = np.random.SeedSequence(seed).spawn(len(plan))
    for name, sc in zip(comp.names[1:], scenarios[1:]):
        label = f"{name} - {comp.baseline}"
        unc = {k: p for s in (scenarios[0], sc) for k, p in s.uncertain().items() if k in UNIDENTIFIED}
        draws = {k: np.concatenate([draw_parameters({k: unc[k]}, m, s)[k] for (_, m), s in zip(plan, seeds)])
                 for k in unc}
        d = comp.paired(name)
        out[label] = {}
        for o in ROBUSTNESS_OUTCOMES:
            if o not in d:
                continue
            y = d[o].to_numpy(dtype=float)
            p = float((y > 0).mean())
            idx = _given_data_s1(draws, y) if (draws and np.ptp(y) > 0 and 0.1 <= p <= 0.9) else None
            out[label][o] = {"p_positive": p, "robust": bool(p > 0.9 or p < 0.1),
                             "indices": idx, "statement": sign_statement(p, idx, label, o, index="S1")}
    return out


def _given_data_s1(draws: dict[str, np.ndarray], y: np.ndarray) -> dict | None:
    """First-order indices of ``y`` on each parameter from one random sample (SALib delta, ``S1``)."""
    from SALib.analyze import delta
    names = [k for k in draws if np.ptp(draws[k]) > 0]
    if not names or len(y) < 50:
        return None
    x = np.stack([draws[k] for k in names], axis=1)
    problem = {"num_vars": len(names), "names": names,
               "bounds": [[float(x[:, j].min()), float(x[:, j].max())] for j in range(len(names))]}
    # SALib's per-parameter bin-merge and bias notices are diagnostics, not errors; analyze() resets the filters
    # itself (simplefilter("once")), so they are recorded here and dropped rather than filtered
    with warnings.catch_warnings(record=True):
        r = delta.analyze(problem, x, y, num_resamples=10, seed=0, print_to_console=False)
    return {k: {"S1": float(r["S1"][j]), "S1_conf": float(r["S1_conf"][j])} for j, k in enumerate(names)}


def compare(scenarios: Sequence, replicates: int, seed: int, *, workers: int | None = None,
            address: str | None = None, block_size: int = DEFAULT_BLOCK_SIZE, progress: bool | None = None,
            fan_variables: Sequence[str] = FAN_VARIABLES, posterior=None) -> Comparison:
    """Run each scenario (Scenario, YAML path or shipped doctrine name) with the same seed and block size.

    The first scenario is the baseline of the paired differences. All must cover the same period. With a
    ``posterior``, the identifiable parameters of every doctrine come from it (same draws in each: common random
    numbers); the comparison states whether the sign of each difference is robust (:func:`robustness`).
    """
    import time
    t0 = time.perf_counter()
    if len(scenarios) < 1:
        raise ScenarioError("compare needs at least one scenario")
    replicates, seed = _check_int("replicates", replicates, 1), _check_int("seed", seed, 0)
    block_size = _check_int("block_size", block_size, 1)
    if workers is not None:
        workers = _check_int("workers", workers, 1)
    objs = [resolve_scenario(s) for s in scenarios]
    dates0 = pd.DatetimeIndex(objs[0].dates())
    for s in objs[1:]:
        d = pd.DatetimeIndex(s.dates())
        if len(d) != len(dates0) or d[0] != dates0[0]:
            raise ScenarioError(f"{s.name}: period {d[0].date()} to {d[-1].date()} differs from {objs[0].name}'s "
                                f"{dates0[0].date()} to {dates0[-1].date()}; compared doctrines must share a period")
    n_blocks = len(block_plan(replicates, block_size))
    use_ray = wants_ray(workers, address, n_blocks, replicates * len(dates0) * len(objs))

    def run_all() -> list[SimulationResult]:
        return [run_ensemble(s, replicates, seed, workers=workers, address=address, block_size=block_size,
                             keep_daily=fan_variables, progress=progress, posterior=posterior) for s in objs]

    if use_ray:
        with ray_session(workers, address):  # one Ray for every doctrine
            results = run_all()
    else:
        results = run_all()
    comp = Comparison(results, seconds=time.perf_counter() - t0)
    comp.robustness = robustness(comp, objs, block_size, seed)
    comp.parameters_source = parameters_note(objs[0], posterior)
    return comp


__all__ = ["Comparison", "compare", "FAN_VARIABLES", "QUANTILES"]
