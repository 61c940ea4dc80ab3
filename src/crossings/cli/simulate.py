"""CLI: ``crossings simulate`` and ``crossings compare``, thin layers over crossings.sim.ensemble and .compare."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import InputError
from ._app import main

_BLOCK_SIZE = 2500  # keep in step with crossings.sim.ensemble.DEFAULT_BLOCK_SIZE (checked in tests)


def _run_options(f):
    """Options shared by simulate and compare."""
    for opt in reversed([
        click.option("--replicates", "-n", type=int, default=1000, show_default=True,
                     help="Replicates (independent possible histories)."),
        click.option("--seed", type=int, default=0, show_default=True,
                     help="Root seed; the same seed gives the same numbers on any number of workers."),
        click.option("--workers", type=int, default=None,
                     help="1: this process; K: K Ray workers (default: this process for small runs, "
                          "else every core, or the whole cluster with --address)."),
        click.option("--address", default=None, metavar="ADDR",
                     help="Ray cluster to run on, e.g. 10.0.0.5:6379 or 'auto' (see docs/ray.md)."),
        click.option("--block-size", type=int, default=_BLOCK_SIZE, show_default=True,
                     help="Replicates per block (the unit of work and of random streams; changes the numbers)."),
        click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True),
        click.option("--progress/--no-progress", default=None,
                     help="Progress bar on stderr (default: on a terminal, for long runs)."),
        click.option("--posterior", "posterior", default="default", show_default=True, metavar="FILE",
                     help="Calibrated posterior for the identifiable parameters ('default': the shipped one, "
                          "'none': every parameter from its scenario prior)."),
        click.option("--start", "start", default=None, metavar="DATE",
                     help="First day simulated (YYYY-MM-DD), instead of the scenario's start."),
        click.option("--end", "end", default=None, metavar="DATE",
                     help="Last day simulated (YYYY-MM-DD), instead of the scenario's end."),
    ]):
        f = opt(f)
    return f


def _with_period(source: str, start: str | None, end: str | None):
    """The scenario ``source`` with its period replaced by ``--start``/``--end`` (validated as scenario fields)."""
    from ..sim.scenario import load_scenario
    sc = load_scenario(source)
    changes = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    return sc.with_values(**changes) if changes else sc


@main.command()
@click.argument("scenario")
@_run_options
@click.option("--out", type=click.Path(), default=None,
              help="Write every replicate's daily series: .nc (NetCDF), .parquet, or .zarr (needs zarr).")
def simulate(scenario: str, replicates: int, seed: int, workers: int | None, address: str | None,
             block_size: int, fmt: str, progress: bool | None, posterior: str, start: str | None,
             end: str | None, out: str | None) -> None:
    """Run an ensemble of SCENARIO (a YAML file or a shipped doctrine name, e.g. status_quo)."""
    from ..sim.ensemble import resolve_scenario, run_ensemble
    from ..sim.posterior import parameters_note, resolve_posterior

    post = resolve_posterior(posterior)
    sc = _with_period(scenario, start, end)
    result = run_ensemble(sc, replicates, seed, workers=workers, address=address, block_size=block_size,
                          out=out, progress=progress, posterior=post)
    note = parameters_note(resolve_scenario(sc), post)
    if fmt == "json":
        click.echo(json.dumps({**result.to_dict(), "parameters_source": note}, indent=2))
        return
    click.echo(f"{result.scenario_name}: {result.replicates} replicates, {result.n_days} days "
               f"({result.first_day} to {result.last_day}), seed {result.seed}; "
               f"totals over the period; {result.seconds:.2f} s on {result.workers} worker(s)")
    click.echo(result.to_text())
    click.echo(note)
    if result.out is not None:
        click.echo(f"daily series of every replicate written to {result.out}")


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@_run_options
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None,
              help="Also write a self-contained HTML page with fan charts.")
def compare(scenarios: tuple[str, ...], replicates: int, seed: int, workers: int | None, address: str | None,
            block_size: int, fmt: str, progress: bool | None, posterior: str, start: str | None,
            end: str | None, html: str | None) -> None:
    """Compare doctrines SCENARIOS (files or shipped names; the first is the baseline) with common random numbers."""
    from ..sim.compare import compare as run_compare

    if html is not None and not Path(html).resolve().parent.exists():
        raise InputError("the folder for the HTML page does not exist", file=html)
    from ..sim.posterior import resolve_posterior
    post = resolve_posterior(posterior)
    comp = run_compare([_with_period(s, start, end) for s in scenarios], replicates, seed, workers=workers,
                       address=address, block_size=block_size, progress=progress, posterior=post)
    if html is not None:
        comp.to_html(html)
    if fmt == "json":
        d = comp.to_dict()
        if html is not None:
            d["html"] = html
        click.echo(json.dumps(d, indent=2))
        return
    click.echo(comp.to_text())
    if html is not None:
        click.echo(f"\nHTML page with fan charts written to {html}")

