"""CLI commands for incidents and events: ``incidents``, ``events``, ``events impact``; the deaths tables of
``stats`` and ``fetch --incidents`` (thin layers over crossings.analysis.deaths, crossings.events, crossings.fetch_iom).
"""
from __future__ import annotations

import json

import click

from ._app import db_option, emit, fmt_option, main

KINDS = ("agreement", "funding", "policy", "legislation", "court", "enforcement", "government", "summit", "incident")


def fetch_incidents_cmd(db: str | None) -> None:
    from ..fetch_iom import fetch_incidents
    path, result = fetch_incidents(db_path=db)
    click.echo(result.describe())
    click.echo(f"kept {path}")


@main.command("incidents")
@db_option
@fmt_option
@click.option("--revisions", is_flag=True, help="What changed for each incident between stored IOM releases.")
@click.option("--releases", "list_releases", is_flag=True, help="The stored incident and yearly-figure releases.")
def incidents_cmd(db: str | None, fmt: str, revisions: bool, list_releases: bool) -> None:
    """List the current IOM incidents (with setting sea/land and area), their revisions, or the releases.

    IOM figures are minimum estimates.
    """
    from ..analysis.deaths import MINIMUM_NOTE, incidents_frame
    from ..store import Store
    from ..store.incidents import incident_revisions, source_releases
    with Store(db, read_only=True) as store:  # a reader: never creates a store
        if list_releases:
            emit(source_releases(store.con), fmt, "Incident and yearly-figure releases")
            return
        if revisions:
            df = incident_revisions(store.con)
            if df.empty and fmt == "table":
                click.echo("No revisions between the stored IOM releases.")
                return
            emit(df, fmt, "Incident revisions")
            return
        df = incidents_frame(store)
    if df.empty:
        from ..errors import CrossingsError
        raise CrossingsError("no IOM incidents in the store: run 'crossings ingest --bundled' first")
    cols = ["date", "incident_id", "dead", "missing", "dead_missing", "survivors", "setting", "area", "cause",
            "location", "latitude", "longitude", "link"]
    if fmt == "table":
        click.echo(MINIMUM_NOTE)
    emit(df[cols], fmt, "IOM incidents, Mainland Europe to the UK")


_events_option = click.option("--events", "events_file", type=click.Path(dir_okay=False, exists=False),
                              default=None, help="Your own events file (YAML or CSV) added to the shipped timeline.")


@main.group("events", invoke_without_command=True)
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only events of this kind.")
@fmt_option
@_events_option
@click.pass_context
def events_cmd(ctx: click.Context, kind: str | None, fmt: str, events_file: str | None) -> None:
    """The timeline of policy and enforcement events (shipped, sourced; plus --events FILE)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..events import events_frame, timeline
    emit(events_frame(timeline(events_file, kind)), fmt, "Events")


@events_cmd.command("check-links")
@click.option("--events", "events_file", type=click.Path(dir_okay=False, exists=False), default=None,
              help="Check this events file (YAML or CSV) instead of the shipped timeline.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(1, 120), default=15, show_default=True,
              help="Seconds to wait for each answer.")
@fmt_option
def check_links_cmd(events_file: str | None, timeout_s: float, fmt: str) -> None:
    """Ask every source address of the timeline (or of --events FILE) whether it still answers (needs network).

    Exit status 1 when any address does not answer with success.
    """
    from ..errors import CrossingsError
    from ..events import read_events, shipped_events
    from ..events.links import check_links, links_frame
    events = read_events(events_file) if events_file else shipped_events()
    checks = check_links(events, read_timeout_s=timeout_s)
    emit(links_frame(checks), fmt, "Source addresses of the events")
    bad = [c for c in checks if not c.ok]
    if bad:
        raise CrossingsError(f"{len(bad)} of {len(checks)} source addresses did not answer with success "
                             f"(first: {bad[0].url}: {bad[0].result})")
    if fmt == "table":
        click.echo(f"all {len(checks)} source addresses answered with success")


@events_cmd.command("impact")
@click.argument("event_id")
@click.option("--weeks", type=click.IntRange(1, 26), default=8, show_default=True)
@click.option("--paths", "n_paths", type=click.IntRange(100, 20000), default=2000, show_default=True,
              help="Forecast paths.")
@fmt_option
@_events_option
@db_option
def impact_cmd(event_id: str, weeks: int, n_paths: int, fmt: str, events_file: str | None, db: str | None) -> None:
    """Arrivals in the weeks after an event against the forecast made the day before it, and earlier years.

    A comparison, not a causal estimate.
    """
    from ..events import find, timeline
    from ..events.impact import CAVEAT, event_impact
    from ..store import Store
    event = find(timeline(events_file), event_id)
    with Store(db, read_only=True) as store:
        res = event_impact(store, event, weeks=weeks, n_paths=n_paths)
    if fmt == "json":
        click.echo(json.dumps(res.to_dict(), indent=1))
        return
    if fmt == "csv":
        click.echo(f"# {event.id} {event.date.isoformat()}: {res.verdict}. {CAVEAT}")
        emit(res.weekly, "csv")
        click.echo("# same weeks of earlier years")
        emit(res.earlier_years, "csv")
        return
    click.secho(f"{event.date.isoformat()} {event.title} ({event.kind.value})", bold=True)
    click.echo(f"source: {' '.join(event.sources)}")
    click.echo(f"forecast as of {res.forecast_as_of.isoformat()} ({res.forecast_note})")
    click.echo(f"result: {res.verdict}")
    seen = f"{res.observed_total:,}" if res.observed_total is not None else "not yet complete"
    pct = f", percentile {res.observed_total_percentile:g}" if res.observed_total_percentile is not None else ""
    click.echo(f"{res.weeks} weeks' total: observed {seen}{pct}; forecast median {res.forecast_median_total:,.0f}, "
               f"90% interval {res.forecast_total_low_90:,.0f} to {res.forecast_total_high_90:,.0f}")
    click.echo(CAVEAT)
    click.echo()
    emit(res.weekly, "table", "People arriving per week (90% interval: forecast_low_90 to forecast_high_90)")
    emit(res.earlier_years, "table", "The same weeks of earlier years")
