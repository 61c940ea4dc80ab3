"""Front-end libraries served from the installed packages: plotly.js (plotly wheel), swagger-ui (swagger-ui-bundle).

Nothing is copied into the repository and nothing comes from a CDN. plotly.js normally injects its stylesheet as an
inline ``<style>`` element, which the Content-Security-Policy (``style-src 'self'``) refuses. plotly.js skips that
when the page already has an element ``#plotly.js-style-global`` of class ``no-inline-styles``, so the pages link
that id to ``/assets/plotly.css``, whose rules are read here from the installed plotly.min.js itself (the same rules
plotly would inject). A few bundled modules guard their own ``<style>`` by an element id; the pages place an empty
element with each such id (:func:`plotly_style_guards`), since those modules (map tiles) are not used here.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

log = logging.getLogger("crossings.web")
STATIC = Path(__file__).parent / "static"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
ASSET_CACHE = {"Cache-Control": "public, max-age=86400"}
_RULES_START = re.compile(r'=\{"X,X div":')
_PAIR = re.compile(r'"([^"]+)":(?:"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\')')
_GUARD = re.compile(r'document\.getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)')


def plotly_js() -> Path:
    """plotly.js as shipped in the plotly wheel."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def swagger_dir() -> Path:
    """swagger-ui's distribution as shipped in the swagger-ui-bundle wheel."""
    from swagger_ui_bundle import swagger_ui_path
    return Path(str(swagger_ui_path))


@lru_cache(maxsize=1)
def _plotly_source() -> str:
    return plotly_js().read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def plotly_css() -> str:
    """plotly.js's own style rules as a stylesheet ('X' is a plot, 'Y' the notifier, as in plotly's source)."""
    src = _plotly_source()
    m = _RULES_START.search(src)
    if not m:
        log.warning("plotly.js style rules not found in %s: charts are drawn without plotly's stylesheet",
                    plotly_js())
        return ""
    end = src.index("};", m.end())
    rules = []
    for sel, dq, sq in _PAIR.findall(src[m.end() - len('{"X,X div":') + 1:end + 1]):
        sel = " ," + sel[1:] if sel.startswith(",") else sel
        sel = sel.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{sel}{{{dq or sq}}}")
    return "\n".join(rules) + "\n"


@lru_cache(maxsize=1)
def plotly_style_guards() -> tuple[str, ...]:
    """Ids that stop bundled plotly modules from injecting inline ``<style>`` elements."""
    return tuple(dict.fromkeys(_GUARD.findall(_plotly_source())))


def mount_assets(app: FastAPI) -> None:
    @app.get("/assets/plotly.min.js", include_in_schema=False)
    def plotly_asset():
        return FileResponse(plotly_js(), media_type="text/javascript", headers=ASSET_CACHE)

    @app.get("/assets/plotly.css", include_in_schema=False)
    def plotly_style():
        return Response(plotly_css(), media_type="text/css", headers=ASSET_CACHE)

    @app.get("/assets/swagger/{name}", include_in_schema=False)
    def swagger_asset(name: str):
        if name not in SWAGGER_FILES:  # a fixed list: no name from the request reaches the file system
            raise HTTPException(404, "no such asset")
        kind = {"js": "text/javascript", "css": "text/css", "png": "image/png"}[name.rsplit(".", 1)[1]]
        return FileResponse(swagger_dir() / name, media_type=kind, headers=ASSET_CACHE)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        from .favicon import ico
        return Response(ico(), media_type="image/x-icon", headers=ASSET_CACHE)

    # Starlette's StaticFiles resolves each path and refuses any outside this folder (no traversal).
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
