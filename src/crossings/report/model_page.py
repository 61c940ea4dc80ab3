"""The report's model page: calibration priors against posteriors, the posterior predictive fan over the observed
weekly series, and the out-of-sample validation table. Inline SVG (matplotlib, via :mod:`crossings.report.charts`)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .charts import _svg

FAN_REPLICATES = 300


def _fig(width_in: float, height_in: float):
    from matplotlib.figure import Figure
    return Figure(figsize=(width_in, height_in), layout="constrained")


def _prior_of(name: str):
    from ..sim.calibrate import CALIBRATED, INFLOW_LEVEL_PRIOR, INFLOW_PREFIX
    return INFLOW_LEVEL_PRIOR if name.startswith(INFLOW_PREFIX) else CALIBRATED.get(name)


def priors_posteriors_svg(post) -> str:
    """One small histogram per calibrated parameter: prior (grey) and posterior (blue)."""
    names = list(post.samples)
    cols = 4
    rows = -(-len(names) // cols)
    fig = _fig(10, 1.8 * rows)
    u = (np.arange(4000) + 0.5) / 4000
    for i, n in enumerate(names):
        ax = fig.add_subplot(rows, cols, i + 1)
        s = np.asarray(post.samples[n])
        pr = _prior_of(n)
        lo, hi = np.quantile(s, [0.001, 0.999])
        if pr is not None:
            p = pr.ppf(u)
            lo, hi = min(lo, np.quantile(p, 0.01)), max(hi, np.quantile(p, 0.99))
            ax.hist(p, bins=40, range=(lo, hi), density=True, color="#bbb", label="prior")
        ax.hist(s, bins=40, range=(lo, hi), density=True, color="#1b6ca8", alpha=0.75, label="posterior")
        ax.set_title(n.split(".")[-1], fontsize=8)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
    fig.axes[0].legend(fontsize=7, frameon=False)
    return _svg(fig, "priors-posteriors", "Calibration priors and posteriors")


def predictive(post, daily: pd.DataFrame, weekly: pd.DataFrame, replicates: int = FAN_REPLICATES,
               seed: int = 0) -> dict:
    """Weekly people arrived and prevented over the calibration window: posterior predictive quantiles (5, 50,
    95%) and the observed weeks."""
    from ..sim import calibrate as C
    from ..sim.summaries import observed_window
    first, until = post.window
    years = until.year - first.year + 1
    d = daily[pd.to_datetime(daily["date"]) <= pd.Timestamp(until)]
    obs = observed_window(d, weekly, until, years)
    pb = C.problem(obs, d, plug_in=post.plug_in or None)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, post.n, replicates)
    theta = np.stack([np.asarray(post.samples[n])[idx] if n in post.samples else np.full(replicates, p.central())
                      for n, p in pb.priors], axis=1)
    sim = C.simulate_window(pb, theta, np.random.SeedSequence(seed))
    week = obs.dates.to_period("W-SUN")
    out = {"daily": {"days": obs.dates, "q": np.quantile(sim["migrants_arrived"], [0.05, 0.5, 0.95], axis=0),
                     "observed": obs.people}}
    for k, label in (("migrants_arrived", "people arrived"), ("migrants_prevented", "people prevented")):
        frame = pd.DataFrame(sim[k].T, index=week).groupby(level=0).sum()
        q = np.quantile(frame.to_numpy(), [0.05, 0.5, 0.95], axis=1)
        if k == "migrants_arrived":
            o = pd.Series(obs.people, index=week).groupby(level=0).sum(min_count=1)
        else:
            o = pd.Series(obs.prevented, index=obs.weeks.to_period("W-SUN")).reindex(frame.index)
        out[label] = {"weeks": frame.index.to_timestamp(how="end").normalize(), "q": q, "observed": o.to_numpy()}
    return out


def daily_svg(pred: dict) -> str:
    """The posterior predictive fan of daily people arrived, with the observed days."""
    v = pred["daily"]
    fig = _fig(10, 2.6)
    ax = fig.add_subplot(1, 1, 1)
    ax.fill_between(v["days"], v["q"][0], v["q"][2], color="#1b6ca8", alpha=0.25, linewidth=0,
                    label="90% posterior predictive")
    ax.plot(v["days"], v["q"][1], color="#1b6ca8", linewidth=0.8, label="median")
    ax.plot(v["days"], v["observed"], "o", color="#c0392b", markersize=1.5, label="observed (Home Office)")
    ax.set_ylabel("people arrived per day", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    return _svg(fig, "posterior-predictive-daily", "Posterior predictive of daily people arrived")


def predictive_svg(pred: dict) -> str:
    pred = {k: v for k, v in pred.items() if k != "daily"}
    fig = _fig(10, 2.4 * len(pred))
    for i, (label, v) in enumerate(pred.items()):
        ax = fig.add_subplot(len(pred), 1, i + 1)
        ax.fill_between(v["weeks"], v["q"][0], v["q"][2], color="#1b6ca8", alpha=0.25, linewidth=0,
                        label="90% posterior predictive")
        ax.plot(v["weeks"], v["q"][1], color="#1b6ca8", linewidth=1, label="median")
        ax.plot(v["weeks"], v["observed"], "o", color="#c0392b", markersize=2, label="observed (Home Office)")
        ax.set_ylabel(f"{label} per week", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
    fig.axes[0].legend(fontsize=7, frameon=False, loc="upper left")
    return _svg(fig, "posterior-predictive", "Posterior predictive of weekly people arrived and prevented")


def render(post, daily: pd.DataFrame, weekly: pd.DataFrame, validations: list[dict] | None = None,
           path: str | Path | None = None) -> str:
    """The model page as HTML (written atomically to ``path`` if given)."""
    import jinja2
    from ..atomic import write_text
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    tpl = env.from_string((resources.files("crossings.report") / "templates" / "model.html.j2")
                          .read_text(encoding="utf-8"))
    summary = [{"name": n, "prior": post.priors.get(n, ""), "p05": float(np.quantile(s, 0.05)),
                "median": float(np.median(s)), "p95": float(np.quantile(s, 0.95))} for n, s in post.samples.items()]
    pred = predictive(post, daily, weekly)
    html = tpl.render(post=post, describe=post.describe(), summary=summary,
                      priors_svg=priors_posteriors_svg(post), daily_svg=daily_svg(pred), fan_svg=predictive_svg(pred),
                      validations=validations or [], sbc=post.provenance.get("sbc"))
    if path is not None:
        write_text(path, html)
    return html


#: Folder of the package data holding the validations shipped with the default posterior (``crossings validate
#: --format json`` outputs, each with the command that made it).
VALIDATION_DIR = "validation"


def shipped_validations() -> list[dict]:
    """The validations shipped with the package (oldest calibration first)."""
    import json
    folder = resources.files("crossings") / "data" / VALIDATION_DIR
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def beside(report_path: str | Path) -> Path:
    """Where the model page of a report goes: next to it, ``<report>-model.html``."""
    p = Path(report_path)
    return p.with_name(f"{p.stem}-model.html")


def write_beside(report_path: str | Path, daily: pd.DataFrame, weekly: pd.DataFrame, posterior="default") -> Path:
    """Write the model page of the report at ``report_path`` (the default posterior, the shipped validations)
    next to it; returns its path."""
    from ..sim.posterior import load_posterior
    out = beside(report_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    render(load_posterior(posterior), daily, weekly, shipped_validations(), out)
    return out
