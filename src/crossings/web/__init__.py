"""The web dashboard (``crossings serve``): pages, embeds and a JSON API over a read-only store.

``create_app(Settings(db_path=...))`` returns the FastAPI application; uvicorn serves it.
"""
from .app import create_app
from .settings import Settings

__all__ = ["create_app", "Settings"]
