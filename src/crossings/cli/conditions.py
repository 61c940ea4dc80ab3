"""CLI commands: ``crossings conditions fetch|forecast|tides|rate`` (sea conditions in the Dover Strait)."""
from __future__ import annotations

from datetime import date, timedelta

import click

from ._app import db_option, main
from ._app import emit as _emit, fmt_option, parse_date as _date


def _required_date(value: str) -> date:
    return _date(value)


def _thresholds(settings: tuple[str, ...]):
    from ..conditions.thresholds import thresholds
    from ..errors import InputError
    values = {}
    for s in settings:
        name, sep, value = s.partition("=")
        if not sep:
            raise InputError(f"--set {s!r}: expected NAME=VALUE, e.g. max_wind_speed_ms=6")
        values[name.strip()] = value.strip()
    return thresholds(**values)


set_option = click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                          help="Change a limit, e.g. --set max_wind_speed_ms=6 (names: max_/likely_ wind_speed_ms, wind_gust_ms, "
                               "wave_height_m; night_start_h, night_end_h).")


@main.group()
def conditions() -> None:
    """Sea conditions in the Dover Strait: wind and waves (Open-Meteo), tides, daily crossability rating."""


@conditions.command("fetch")
@click.option("--start", required=True, help="First day (YYYY-MM-DD, UTC).")
@click.option("--end", required=True, help="Last day (YYYY-MM-DD, UTC), inclusive.")
@click.option("--archived-forecasts", "archived", is_flag=True,
              help="Fetch the wind forecasts as they were issued 0-7 days before each hour (Open-Meteo Previous "
                   "Runs API, from 2024) instead of the history; 'crossings backtest --conditions' scores with them.")
@db_option
def fetch_cmd(start: str, end: str, archived: bool, db: str | None) -> None:
    """Fetch hourly wind, gusts and waves for the strait points (Open-Meteo history) into the store.

    Re-fetching a period replaces the stored hours. Offline, nothing is changed.
    """
    from ..conditions.weather import download_history, store_download
    from ..store import Store
    s, e = _required_date(start), _required_date(end)
    if archived:
        from ..conditions.archive import download_archived_forecasts, store_archived_forecasts
        got = download_archived_forecasts(s, e)  # network first, as below
        with Store(db) as store:
            click.echo(store_archived_forecasts(store, got).describe())
        return
    download = download_history(s, e)  # all network I/O before the store (and its write lock) is opened
    with Store(db) as store:
        click.echo(store_download(store, download).describe())


@conditions.command("forecast")
@click.option("--days", type=click.IntRange(1, 8), default=7, show_default=True, help="Days ahead, today included.")
@set_option
@fmt_option
@db_option
def forecast_cmd(days: int, settings: tuple[str, ...], fmt: str, db: str | None) -> None:
    """Fetch the Open-Meteo wind and wave forecast for the strait points, store it, and rate the coming days."""
    from ..conditions.rating import rate_stored_days
    from ..conditions.weather import download_forecast, store_download
    from ..store import Store
    limits = _thresholds(settings)
    download = download_forecast(days=days)  # all network I/O before the store (and its write lock) is opened
    with Store(db) as store:
        res = store_download(store, download)
        if fmt == "table":
            click.echo(res.describe())
        first = res.first_utc.date() if res.rows else date.today()
        rated = rate_stored_days(store, first, first + timedelta(days=days - 1), limits)
    _emit(rated, fmt, title="Daily crossability (red = crossings likely)")


@conditions.command("rate")
@click.option("--start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--end", required=True, help="Last day (YYYY-MM-DD), inclusive.")
@set_option
@fmt_option
@db_option
def rate_cmd(start: str, end: str, settings: tuple[str, ...], fmt: str, db: str | None) -> None:
    """Rate each day from the stored conditions: red (crossings likely), amber, green (unlikely).

    A day's conditions are those of the night before it (20:00-08:00 UTC by default), over the strait points.
    """
    from ..conditions.rating import rate_stored_days
    from ..store import Store
    limits = _thresholds(settings)
    with Store(db, read_only=True) as store:
        rated = rate_stored_days(store, _required_date(start), _required_date(end), limits)
    _emit(rated, fmt, title="Daily crossability (red = crossings likely)")


@conditions.command("tides")
@click.option("--station", default=None,
              help="Dunkerque, Calais, Boulogne-sur-Mer, Dover, or Gravelines (blend of Dunkerque and Calais); "
                   "default Calais (with --aa: Gravelines, the only station it accepts).")
@click.option("--start", default=None, help="First day (YYYY-MM-DD, UTC); default today.")
@click.option("--end", default=None, help="Last day (YYYY-MM-DD, UTC), inclusive; default the day after start.")
@click.option("--aa", is_flag=True, help="Print the Aa canal (Gravelines) navigable windows instead.")
@click.option("--min-level", type=float, default=1.0, show_default=True,
              help="With --aa: level above mean sea level (m) needed to leave the canal.")
@click.option("--max-hours", type=float, default=3.0, show_default=True,
              help="With --aa: hours either side of high water the canal can be used.")
@fmt_option
def tides_cmd(station: str | None, start: str | None, end: str | None, aa: bool, min_level: float, max_hours: float,
              fmt: str) -> None:
    """High and low waters (UTC, metres relative to mean sea level) from the bundled harmonic constants."""
    from ..conditions import tides
    from ..errors import InputError
    if aa and station is not None and station.lower() != tides.GRAVELINES.lower():
        raise InputError(f"--station {station} cannot be used with --aa: the Aa canal windows are computed for "
                         f"{tides.GRAVELINES} only (omit --station or use --station {tides.GRAVELINES})")
    station = station or "Calais"
    tides._weighted_stations(station)  # an unknown station is an error naming the known ones
    s = _date(start) or date.today()
    e = _date(end) or (s + timedelta(days=1))
    if e < s:
        raise click.BadParameter(f"end {e} is before start {s}", param_hint="--end")
    stop = e + timedelta(days=1)
    if aa:
        df = tides.aa_canal_windows(s, stop, min_level_m=min_level, max_hours_from_hw=max_hours)
        title = f"Aa canal at Gravelines: navigable windows (level >= {min_level} m, <= {max_hours} h from HW), UTC"
    else:
        df = tides.high_low_waters(station, s, stop)
        title = f"{df['station'].iloc[0] if len(df) else station}: high and low waters, UTC, m above mean sea level"
    for c in df.columns:
        if c.endswith("_utc"):
            df[c] = df[c].dt.floor("min")
        elif c.endswith("_m") or c.endswith("_hours"):
            df[c] = df[c].round(2)
    _emit(df, fmt, title=title)
