"""The offline HTML report: one self-contained page (inline CSS and SVG charts; nothing loaded from elsewhere).

>>> from crossings.report import build_report
>>> build_report(store.daily(), store.weekly(), releases=store.releases(), out_path=Path("report.html"))
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..atomic import write_text
from .. import ATTRIBUTION, __version__
from ..analysis import (key_figures, people_per_boat, preventions, preventions_by_year, records, rolling, runs,
                        totals, year_to_date)
from ..analysis._frame import prepare_daily, require_rows
from ..errors import InputError
from . import charts
from .deaths import events_between
from .text import fmt_date, fmt_int, fmt_pct, headlines

__all__ = ["build_report", "render_report"]

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SOURCE_URL = "https://www.gov.uk/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"
TEMPLATES = Path(__file__).parent / "templates"


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(int=fmt_int, pct=fmt_pct, day=fmt_date)
    return env


def report_context(daily: pd.DataFrame, weekly: pd.DataFrame, releases: pd.DataFrame | None = None,
                   generated: datetime | None = None, deaths: dict | None = None,
                   events: list | None = None, model_page: str | None = None) -> dict:
    """Everything the template shows: key figures, chart SVGs, tables and the sentences that title the charts."""
    d = prepare_daily(daily)
    require_rows(d, "daily")
    key = key_figures(daily, weekly)
    last = d["date"].iloc[-1]
    roll = rolling(d)
    year_tot = totals(d, "year")
    monthly = people_per_boat(d, "month")
    prev = preventions(weekly)
    cal_years = [y for y in range(last.year - 2, last.year + 1) if y >= d["date"].iloc[0].year]
    since = pd.Timestamp(last.year - 1, 1, 1)
    ev_daily = list(enumerate(events_between(events, since, last), start=1))  # numbered event markers
    ev_cumulative = [(n, e) for n, e in ev_daily if e.date.year == last.year]
    charts_svg = {
        "daily": charts.both(charts.daily_chart, roll, since, events=ev_daily),
        "cumulative": charts.both(charts.cumulative_chart, d, events=ev_cumulative),
        "people_per_boat": charts.both(charts.people_per_boat_chart, monthly),
        "calendar": charts.both(charts.calendar_chart, d, cal_years),
    }
    if len(prev):
        charts_svg["preventions"] = charts.both(charts.preventions_chart, prev)
    rel = releases if releases is not None else pd.DataFrame()
    return {
        "key": key,
        "titles": headlines(key, d, year_tot, prev, preventions_by_year(weekly) if len(prev) else None,
                            cal_years),
        "charts": {k: Markup(f'<div class="wide">{v["wide"]}</div><div class="narrow">{v["narrow"]}</div>')
                   for k, v in charts_svg.items()},
        "cal_legend": list(zip(charts.CAL_COLORS, charts.CAL_LABELS)),
        "colors": {"navy": charts.NAVY, "orange": charts.ORANGE, "pale": charts.PALE, "old": charts.OLD},
        "ytd": year_to_date(d).iloc[::-1].head(6).to_dict("records"),
        "year_totals": year_tot.iloc[::-1].to_dict("records"),
        "records": records(d, top=1).to_dict("records"),
        "runs": runs(d, top=3).to_dict("records"),
        "releases": rel.sort_values("release_date", ascending=False).to_dict("records") if len(rel) else [],
        "attribution": ATTRIBUTION,
        "ogl_url": OGL_URL,
        "source_url": SOURCE_URL,
        "generated": (generated or datetime.now(timezone.utc)).strftime("%d %B %Y, %H:%M UTC").lstrip("0"),
        "version": __version__,
        "cal_years": cal_years,
        "deaths": deaths,
        "events_daily": ev_daily,
        "events_cumulative": ev_cumulative,
        "model_page": model_page,
    }


def render_report(daily: pd.DataFrame, weekly: pd.DataFrame, releases: pd.DataFrame | None = None,
                  generated: datetime | None = None, **extras) -> str:
    """The report as one HTML string (``extras``: ``deaths`` and ``events``, see :mod:`.deaths`)."""
    ctx = report_context(daily, weekly, releases, generated, **extras)
    return _env().get_template("report.html.j2").render(**ctx)


def report_path(out_path: Path | str) -> Path:
    """``out_path`` as a report file name (an InputError unless it ends in .html)."""
    out_path = Path(out_path)
    if out_path.suffix.lower() not in (".html", ".htm"):
        raise InputError("the report is an HTML page: give a file name ending in .html", file=str(out_path))
    return out_path


def build_report(daily: pd.DataFrame, weekly: pd.DataFrame, releases: pd.DataFrame | None = None, *,
                 out_path: Path, generated: datetime | None = None, **extras) -> Path:
    """Write the report to ``out_path`` (parent folders created) and return the path. ``extras``: ``deaths``,
    ``events`` (see :mod:`.deaths`) and ``model_page``, the file name of the model page next to the report
    (:func:`crossings.report.model_page.write_beside`), which the report then links."""
    out_path = report_path(out_path)
    html = render_report(daily, weekly, releases, generated, **extras)
    write_text(out_path, html)  # a reader never sees half a page; nothing at a fixed temporary name is followed
    return out_path
