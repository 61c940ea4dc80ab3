"""The dashboard's ASGI application: ``create_app(settings)`` assembles routers, assets, security and state.

>>> from crossings.web import create_app
>>> from crossings.web.settings import Settings
>>> app = create_app(Settings(db_path="crossings.duckdb"))   # then: uvicorn.run(app, host="127.0.0.1")
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__
from . import api_data, api_lab, api_map, pages
from .jobs import JobRunner
from .security import SecurityMiddleware, install_error_handlers
from .settings import Settings
from .state import StoreView

STATIC = Path(__file__).parent / "static"
#: Front-end libraries served from the installed packages (never a CDN, never copied into the repository).
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
ASSET_CACHE = {"Cache-Control": "public, max-age=86400"}


def plotly_js() -> Path:
    """plotly.js as shipped in the plotly wheel."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def swagger_dir() -> Path:
    """swagger-ui's distribution as shipped in the swagger-ui-bundle wheel."""
    from swagger_ui_bundle import swagger_ui_path
    return Path(str(swagger_ui_path))


def _assets(app: FastAPI) -> None:
    @app.get("/assets/plotly.min.js", include_in_schema=False)
    def plotly_asset():
        return FileResponse(plotly_js(), media_type="text/javascript", headers=ASSET_CACHE)

    @app.get("/assets/swagger/{name}", include_in_schema=False)
    def swagger_asset(name: str):
        if name not in SWAGGER_FILES:  # a fixed list: no name from the request reaches the file system
            raise HTTPException(404, "no such asset")
        kind = {"js": "text/javascript", "css": "text/css", "png": "image/png"}[name.rsplit(".", 1)[1]]
        return FileResponse(swagger_dir() / name, media_type=kind, headers=ASSET_CACHE)

    # Starlette's StaticFiles resolves each path and refuses any outside this folder (no traversal).
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")


def create_app(settings: Settings) -> FastAPI:
    """The dashboard over the store at ``settings.db_path`` (opened read-only, never written)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.close()
        app.state.background.close()

    app = FastAPI(title="crossings dashboard API", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # /docs is served from local swagger-ui assets (pages.py)
                  description="Small-boat crossings of the English Channel: official figures (Home Office, OGL "
                              "v3.0), forecasts and simulated doctrine comparisons. Every answer is read from a "
                              "store opened read-only. Errors are one-line JSON objects: {\"error\": \"...\"}.")
    app.state.settings = settings
    app.state.view = StoreView(settings.db_path)
    app.state.jobs = JobRunner(settings.max_simulations)
    app.state.background = JobRunner(1)
    app.state.forecast_lock = asyncio.Lock()
    for router in (api_data.router, api_map.router, api_lab.router, pages.router):
        app.include_router(router)
    _assets(app)
    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityMiddleware)
    return app
