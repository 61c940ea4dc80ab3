"""The dashboard's ASGI application: ``create_app(settings)`` assembles routers, assets, security and state.

>>> from crossings.web import create_app
>>> from crossings.web.settings import Settings
>>> app = create_app(Settings(db_path="crossings.duckdb"))   # then: uvicorn.run(app, host="127.0.0.1")
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__
from . import api_data, api_lab, api_map, pages
from .assets import mount_assets
from .jobs import JobRunner
from .query import refuse_unknown_query
from .security import SecurityMiddleware, install_error_handlers
from .settings import Settings
from .state import StoreView

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
                              "store opened read-only. Errors are one-line JSON objects: {\"error\": \"...\"}. A "
                              "query parameter an endpoint does not list (or a single one given twice) is "
                              "refused with 422, never ignored.")
    app.state.settings = settings
    app.state.view = StoreView(settings.db_path)
    app.state.jobs = JobRunner(settings.max_simulations)
    app.state.background = JobRunner(1)
    app.state.forecast_lock = asyncio.Lock()
    for router in (api_data.router, api_map.router, api_lab.router):  # the JSON API: no unknown query parameter
        app.include_router(router, dependencies=[Depends(refuse_unknown_query)])
    app.include_router(pages.router)
    mount_assets(app)
    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityMiddleware)
    return app
