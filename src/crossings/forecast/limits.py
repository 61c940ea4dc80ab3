"""Bounds of one forecast or backtest request: the CLI's options and the web API's (``/api/forecast``) in one place.

Importable without the numerical libraries (the CLI's option types are built from it at startup).
"""
from __future__ import annotations

MIN_PATHS = 100        # fewer sample paths give quantiles too coarse to print
MAX_SEED = 2**32 - 1   # seeds are non-negative (numpy refuses a negative one)

#: The CLI (``crossings forecast`` and ``crossings backtest``).
CLI_MAX_DAYS = 60
CLI_MAX_WEEKS = 26
CLI_MAX_PATHS = 100_000

#: The web API, which allows less: at these limits the slowest model (ensemble) took 2.0 s of CPU from a store a
#: year out of date (docs/deploy.md).
WEB_MAX_DAYS = 28
WEB_MAX_WEEKS = 12
WEB_MAX_PATHS = 5000
