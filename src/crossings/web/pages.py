"""HTML pages and embeds: server-rendered frames (headline figures, labels, source lines) that the page's own
scripts fill with charts from the JSON API. No inline script: every page's code is a file under ``/static``."""
from __future__ import annotations

import enum
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import ATTRIBUTION, ATTRIBUTION_CONDITIONS, __version__
from . import layers
from .assets import plotly_style_guards
from .lab import SIMULATED_LABEL, shipped_doctrines
from .settings import MAX_DOCTRINES, MAX_PERIOD_DAYS, MAX_REPLICATES

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).parent / "templates"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SOURCE_URL = "https://www.gov.uk/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"
CITATION = ("crossings {version}, Channel small-boat crossings observatory; data: Home Office, 'Migrants detected "
            "crossing the English Channel in small boats' (release of {release}), OGL v3.0.")

#: Navigation: path, label, template.
PAGES = (("/", "Overview", "overview"), ("/map", "Map", "map"), ("/releases", "Releases", "releases"),
         ("/forecast", "Forecast", "forecast"), ("/lab", "Doctrine lab", "lab"), ("/data", "Data", "data"),
         ("/methods", "Methods", "methods"), ("/docs", "API", "docs"))


class EmbedChart(str, enum.Enum):
    daily = "daily"
    cumulative = "cumulative"
    people_per_boat = "people_per_boat"
    crossing_days = "crossing_days"
    preventions = "preventions"
    map = "map"
    forecast_days = "forecast_days"
    forecast_weeks = "forecast_weeks"


def _env() -> Environment:
    from ..report.text import fmt_date, fmt_int, fmt_pct
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(int=fmt_int, pct=fmt_pct, day=fmt_date)
    return env


_ENV = None


def render(request: Request, template: str, **ctx) -> HTMLResponse:
    global _ENV
    _ENV = _ENV or _env()
    snap = request.app.state.view.snapshot()
    latest = None if snap.empty else snap.latest_release
    base = {"pages": PAGES, "path": request.url.path, "version": __version__, "store_version": snap.version,
            "attribution": ATTRIBUTION, "attribution_conditions": ATTRIBUTION_CONDITIONS, "ogl_url": OGL_URL,
            "source_url": SOURCE_URL, "latest_release": latest, "empty": snap.empty,
            "not_available": layers.NOT_AVAILABLE, "style_guards": plotly_style_guards(), "simulated": SIMULATED_LABEL,
            "citation": CITATION.format(version=__version__, release=latest or "none")}
    html = _ENV.get_template(f"{template}.html.j2").render(**base, **ctx)
    return HTMLResponse(html)


def _overview_context(request: Request) -> dict:
    snap = request.app.state.view.snapshot()
    if snap.empty:
        return {"key": None, "titles": {}}
    from ..analysis import preventions, preventions_by_year, totals
    from ..analysis._frame import prepare_daily
    from ..report.text import headlines
    from .api_data import key_figures

    def titles() -> dict:
        d = prepare_daily(snap.daily)
        key = key_figures(snap)
        prev = preventions(snap.weekly)
        last = d["date"].iloc[-1]
        years = [y for y in range(last.year - 2, last.year + 1) if y >= d["date"].iloc[0].year]
        return headlines(key, d, totals(d, "year"), prev, preventions_by_year(snap.weekly) if len(prev) else None,
                         years)
    return {"key": key_figures(snap), "titles": snap.memo("titles", titles)}


def _layers(request: Request) -> dict[str, bool]:
    return layers.available(request.app.state.view.snapshot())


@router.get("/", response_class=HTMLResponse)
def overview(request: Request):
    return render(request, "overview", **_overview_context(request), layers=_layers(request))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request):
    return render(request, "map", layers=_layers(request),
                  geo_attribution=layers.GEO_ATTRIBUTION, tide_attribution=layers.TIDE_ATTRIBUTION,
                  incidents_attribution=layers.incidents_attribution())


@router.get("/releases", response_class=HTMLResponse)
def releases_page(request: Request):
    return render(request, "releases")


@router.get("/forecast", response_class=HTMLResponse)
def forecast_page(request: Request):
    from datetime import date

    from ..forecast.names import DEFAULT_MODEL, MODEL_NAMES
    from .api_lab import CAVEATS
    snap = request.app.state.view.snapshot()
    first = None if snap.empty else str(snap.releases["release_date"].min())[:10]
    return render(request, "forecast", caveats=CAVEATS, models=MODEL_NAMES, default_model=DEFAULT_MODEL,
                  first_release=first, today=date.today().isoformat())


@router.get("/lab", response_class=HTMLResponse)
def lab_page(request: Request):
    return render(request, "lab", doctrines=shipped_doctrines(), max_replicates=MAX_REPLICATES,
                  max_doctrines=MAX_DOCTRINES, max_days=MAX_PERIOD_DAYS, layers=_layers(request))


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request):
    from .api_data import STATS_TABLES
    return render(request, "data", store_tables=("daily", "weekly", "releases"), stats_tables=STATS_TABLES,
                  extra_tables=layers.EXTRA_TABLES, formats=("csv", "json", "parquet"),
                  geo_attribution=layers.GEO_ATTRIBUTION)


@router.get("/methods", response_class=HTMLResponse)
def methods_page(request: Request):
    return render(request, "methods", tide_attribution=layers.TIDE_ATTRIBUTION,
                  geo_attribution=layers.GEO_ATTRIBUTION, max_replicates=MAX_REPLICATES)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request):
    return render(request, "docs")


@router.get("/embed/{chart}", response_class=HTMLResponse)
def embed(request: Request, chart: EmbedChart):
    return render(request, "embed", chart=chart.value, **_overview_context(request))
