"""calibrate, validate, sensitivity: Bayesian calibration of the simulator, out-of-sample checks, Sobol indices."""
from __future__ import annotations

import json

import click

from ..errors import InputError
from ._app import db_option, main, parse_date


def _cal_options(f):
    for opt in reversed([
        click.option("--until", default=None, metavar="DATE",
                     help="Last day of data used (default: the last published day). Nothing later is read."),
        click.option("--simulations", type=int, default=20_000, show_default=True,
                     help="Simulated histories (draws from the calibration prior)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Root seed; same seed, same posterior."),
        click.option("--workers", type=int, default=1, show_default=True,
                     help="Ray workers for the simulations (the posterior does not depend on it)."),
        click.option("--address", default=None, metavar="ADDR", help="Ray cluster address (see docs/ray.md)."),
        click.option("--years", type=int, default=2, show_default=True,
                     help="Calendar years of data in the calibration window, ending with --until's."),
        click.option("--progress/--no-progress", default=True, show_default=True),
    ]):
        f = opt(f)
    return f


def _check(simulations: int, workers: int, years: int) -> None:
    from ..sim.calibrate import MIN_SIMULATIONS
    if simulations < MIN_SIMULATIONS:
        raise InputError(f"--simulations must be at least {MIN_SIMULATIONS}, got {simulations}")
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    if not 1 <= years <= 8:
        raise InputError(f"--years must be between 1 and 8, got {years}")


def _observed(db, until, years):
    from ..sim.summaries import official_tables, observed_window
    daily, weekly, vintage, source = official_tables(db)
    return observed_window(daily, weekly, until, years, vintage, source), daily


@main.command()
@_cal_options
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Posterior file to write (.json).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--sbc", "sbc_datasets", type=int, default=0, show_default=True,
              help="Also run simulation-based calibration on this many synthetic data sets (stored in the file).")
@db_option
def calibrate(until, simulations, seed, workers, address, years, progress, out, fmt, sbc_datasets, db) -> None:
    """Calibrate the identifiable parameters on the official series up to --until (sbi neural posterior
    estimation); write the posterior with its provenance to --out."""
    from ..sim.calibrate import calibrate as run
    from ..sim.posterior import from_calibration
    if not out.endswith(".json"):
        raise InputError(f"--out {out}: the posterior file must end in .json")
    _check(simulations, workers, years)
    obs, daily = _observed(db, parse_date(until), years)
    cal = run(obs, daily, simulations, seed, workers, address, progress)
    post = from_calibration(cal, {"until": until, "years": years, "simulations": simulations, "seed": seed})
    if sbc_datasets:
        from ..sim.validate import sbc
        post.provenance["sbc"] = sbc(cal, sbc_datasets, seed=seed + 1)
    post.save(out)
    if fmt == "json":
        click.echo(json.dumps({"out": out, "provenance": post.provenance, "summary": _summary(post)}, indent=1))
        return
    click.echo(f"{post.describe()}; {cal.seconds_simulating:.0f} s simulating, {cal.seconds_training:.0f} s "
               f"training; written to {out}")
    click.echo(_table(post))
    if sbc_datasets:
        cov = post.provenance["sbc"]["coverage"]
        click.echo(f"simulation-based calibration, {post.provenance['sbc']['datasets']} data sets: coverage of the "
                   f"90% intervals " + ", ".join(f"{k} {v:.2f}" for k, v in cov.items()))


def _summary(post) -> dict:
    import numpy as np
    return {k: {"p05": float(np.quantile(v, 0.05)), "median": float(np.median(v)), "p95": float(np.quantile(v, 0.95)),
                "prior": post.priors.get(k)} for k, v in post.samples.items()}


def _table(post) -> str:
    rows = [f"{'parameter':52s} {'p05':>10s} {'median':>10s} {'p95':>10s}  prior"]
    for k, s in _summary(post).items():
        rows.append(f"{k:52s} {s['p05']:10.4g} {s['median']:10.4g} {s['p95']:10.4g}  {s['prior']}")
    return "\n".join(rows)


@main.command()
@click.option("--until", required=True, metavar="DATE", help="Calibrate on data up to DATE, then project after it.")
@click.option("--simulations", type=int, default=20_000, show_default=True)
@click.option("--replicates", type=int, default=4000, show_default=True, help="Replicates of the projection.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=int, default=1, show_default=True)
@click.option("--address", default=None, metavar="ADDR")
@click.option("--years", type=int, default=2, show_default=True)
@click.option("--progress/--no-progress", default=True, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--posterior-out", type=click.Path(dir_okay=False), default=None,
              help="Also write the posterior calibrated up to --until.")
@db_option
def validate(until, simulations, replicates, seed, workers, address, years, progress, fmt, posterior_out, db):
    """Calibrate up to --until, project the following 12 months, and place each observed total and each
    month's people and boats in the projection (percentile, inside the 90% band or not)."""
    from ..sim.calibrate import calibrate as run
    from ..sim.posterior import from_calibration
    from ..sim.summaries import official_tables
    from ..sim.validate import project, report_text, require_days_after, score
    _check(simulations, workers, years)
    u = parse_date(until)
    daily_all, weekly_all, vintage, source = official_tables(db)
    from ..sim.summaries import observed_window
    obs = observed_window(daily_all, weekly_all, u, years, vintage, source)
    require_days_after(daily_all, obs.until, u)  # before the calibration, which takes minutes
    cal = run(obs, daily_all[daily_all["date"] <= str(obs.until)], simulations, seed, workers, address, progress)
    post = from_calibration(cal, {"until": until, "years": years, "simulations": simulations, "seed": seed})
    if posterior_out:
        post.save(posterior_out)
    proj = project(post, replicates, seed)
    res = score(proj, daily_all)
    if fmt == "json":
        click.echo(json.dumps(res, indent=1, default=str))
    else:
        click.echo(post.describe())
        click.echo(report_text(res))


@main.command()
@click.argument("baseline")
@click.argument("doctrine")
@click.option("--outcome", default="deaths", show_default=True,
              help="Outcome whose paired difference DOCTRINE - BASELINE is analysed (e.g. deaths, migrants_arrived).")
@click.option("--samples", "n_base", type=int, default=256, show_default=True,
              help="Sobol base sample size N (the model runs N x (2k + 2) parameter sets).")
@click.option("--replicates", type=int, default=20, show_default=True,
              help="Replicates averaged per parameter set.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--posterior", "posterior", default="default", show_default=True, metavar="FILE",
              help="Posterior file for the identifiable parameters ('default': the shipped one; 'none': priors).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def sensitivity(baseline, doctrine, outcome, n_base, replicates, seed, posterior, fmt) -> None:
    """Sobol indices (S1, ST with 95% confidence intervals, SALib) of the paired difference DOCTRINE - BASELINE
    over the parameters the data cannot identify, on the posterior."""
    from ..sim.posterior import resolve_posterior
    from ..sim.sensitivity import check_request, doctrine_sensitivity
    check_request(outcome, n_base, replicates)
    post = resolve_posterior(posterior)
    res = doctrine_sensitivity(baseline, doctrine, outcome, n_base=n_base, replicates=replicates, seed=seed,
                               posterior=post)
    if fmt == "json":
        click.echo(json.dumps(res, indent=1))
        return
    click.echo(f"{doctrine} - {baseline}, {outcome}: mean difference {res['mean_difference']:.4g}, "
               f"P(difference > 0) = {res['p_positive']:.2f}; {res['runs']} parameter sets x {replicates} replicates")
    click.echo(f"{'parameter':48s} {'S1':>7s} {'S1_conf':>8s} {'ST':>7s} {'ST_conf':>8s}  prior")
    for k, v in res["indices"].items():
        click.echo(f"{k:48s} {v['S1']:7.3f} {v['S1_conf']:8.3f} {v['ST']:7.3f} {v['ST_conf']:8.3f}  {v['prior']}")
    click.echo(res["statement"])


@main.command("model-page")
@click.option("--posterior", "posterior", default="default", show_default=True, metavar="FILE")
@click.option("--validation", "validations", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="JSON written by 'crossings validate --format json' (repeatable).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@db_option
def model_page(posterior, validations, out, db) -> None:
    """The report's model page: priors against posteriors, posterior predictive fan, validation tables."""
    from ..report.model_page import render
    from ..sim.posterior import load_posterior
    from ..sim.summaries import official_tables
    post = load_posterior(posterior)
    vals = []
    for v in validations:
        try:
            vals.append(json.loads(open(v, encoding="utf-8").read()))
        except (OSError, ValueError) as exc:
            raise InputError(f"validation file {v}: cannot read as JSON ({exc})") from None
    daily, weekly, _, _ = official_tables(db)
    render(post, daily, weekly, vals, out)
    click.echo(f"model page written to {out}", err=True)
