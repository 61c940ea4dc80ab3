"""Command line: each area registers its commands on ``main`` from its own module."""
from ._app import main
from . import observatory  # noqa: F401  ingest, fetch, stats, revisions, export, report, demo
from . import simulate  # noqa: F401  simulate, compare
from . import conditions  # noqa: F401  conditions fetch|forecast|tides|rate
from . import forecasting  # noqa: F401  forecast, backtest
from . import calibrate  # noqa: F401  calibrate, validate, sensitivity
from . import incidents  # noqa: F401  incidents, events, events impact
from . import web  # noqa: F401  serve

__all__ = ["main"]
