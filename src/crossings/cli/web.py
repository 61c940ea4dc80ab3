"""CLI: ``crossings serve``, the web dashboard on uvicorn (a thin layer over :mod:`crossings.web`)."""
from __future__ import annotations

import click

from ._app import db_option, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; 127.0.0.1 serves this machine only (put a reverse proxy in front to publish).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--max-simulations", type=click.IntRange(1, 64), default=None,
              help="Doctrine comparisons running at once; more are answered 429 (default 1, env "
                   "CROSSINGS_WEB_MAX_SIMULATIONS).")
@db_option
def serve(host: str, port: int, max_simulations: int | None, db: str | None) -> None:
    """Serve the dashboard (pages, embeds, JSON API at /docs) over the store, opened read-only."""
    import dataclasses
    from pathlib import Path

    import uvicorn

    from ..config import default_db_path
    from ..errors import CrossingsError
    from ..web import Settings, create_app

    path = default_db_path() if db is None else Path(db)
    if not path.is_file():
        raise CrossingsError(f"no store at {path}: run 'crossings ingest --bundled' or 'crossings fetch' first")
    settings = Settings.from_env(path)
    if max_simulations is not None:
        settings = dataclasses.replace(settings, max_simulations=max_simulations)
    click.echo(f"crossings dashboard on http://{host}:{port} (store {path}, read-only); Ctrl+C stops it", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", server_header=False)
