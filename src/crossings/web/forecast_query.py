"""The query parameters of ``/api/forecast``: the options of ``crossings forecast`` a reader of the forecast needs,
with bounds so that one request cannot hold the server (the limits are in :mod:`.settings`)."""
from __future__ import annotations

import enum
from dataclasses import fields
from typing import Annotated

from fastapi import Query

from ..forecast.cache import ForecastRequest
from ..forecast.names import DEFAULT_MODEL, MODEL_NAMES
from .query import Day
from .settings import MAX_FORECAST_DAYS, MAX_FORECAST_PATHS, MAX_FORECAST_WEEKS, MAX_SEED, MIN_FORECAST_PATHS

ForecastModel = enum.Enum("ForecastModel", {n: n for n in MODEL_NAMES}, type=str)
#: The CLI's defaults (those of :class:`ForecastRequest`): the dashboard's forecast.
_DEFAULTS = {f.name: f.default for f in fields(ForecastRequest)}
FORECAST_DAYS, FORECAST_WEEKS = _DEFAULTS["days"], _DEFAULTS["weeks"]

FORECAST_DESCRIPTION = (
    "The forecast `crossings forecast --format json` prints, with the same parameters and read from the same cache "
    "of computed forecasts (a request equal to a CLI run returns the entry that run stored). Without parameters: the "
    f"dashboard's forecast, from the newest release, {FORECAST_DAYS} days and {FORECAST_WEEKS} weeks. Each day has "
    "the probability of a crossing day and the 5, 25, 50, 75 and 95% quantiles of boats and people; each week "
    "(ending Sunday) the same quantiles of its totals. `command` is the CLI command giving the same numbers. "
    f"Limits: days 1-{MAX_FORECAST_DAYS}, weeks 1-{MAX_FORECAST_WEEKS}, paths {MIN_FORECAST_PATHS}-"
    f"{MAX_FORECAST_PATHS}, seed 0-{MAX_SEED} (the CLI allows more). A forecast computed before is answered from "
    "the cache at once; one forecast is computed at a time, and a request needing another computation meanwhile "
    "waits. A parameter out of range or not taken by this endpoint, or a day not written YYYY-MM-DD, is answered "
    "422 with a one-line error naming it.")


def forecast_request(
    as_of: Annotated[Day | None, Query(
        description="Forecast from this day (YYYY-MM-DD) using only releases published on or before it, as "
                    "`--as-of`. Not after today, not before the first stored release. Default: the newest "
                    "release's publication date.")] = None,
    model: Annotated[ForecastModel, Query(
        description=f"Forecast model, as `--model` (default {DEFAULT_MODEL}, the backtest winner; "
                    "climatology and persistence are the baselines).")] = ForecastModel(DEFAULT_MODEL),
    days: Annotated[int, Query(ge=1, le=MAX_FORECAST_DAYS,
                               description="Days to forecast from as_of, as `--days`.")] = FORECAST_DAYS,
    weeks: Annotated[int, Query(ge=1, le=MAX_FORECAST_WEEKS,
                                description="Official weeks (ending Sunday) to forecast from the one holding "
                                            "as_of, as `--weeks`.")] = FORECAST_WEEKS,
    paths: Annotated[int, Query(ge=MIN_FORECAST_PATHS, le=MAX_FORECAST_PATHS,
                                description="Simulated sample paths, as `--paths` (more: smoother quantiles, "
                                            "slower).")] = _DEFAULTS["n_paths"],
    seed: Annotated[int, Query(ge=0, le=MAX_SEED,
                               description="Random seed, as `--seed`: the same seed and releases give the same "
                                           "numbers.")] = _DEFAULTS["seed"],
) -> ForecastRequest:
    """The :class:`ForecastRequest` of a query (a dependency of ``/api/forecast``)."""
    return ForecastRequest(as_of=as_of, days=days, weeks=weeks, n_paths=paths, seed=seed, model=model.value)


def cli_command(req: ForecastRequest) -> str:
    """The ``crossings forecast`` command printing the forecast of ``req`` (options left at their default are
    left out, except --days and --weeks)."""
    parts = ["crossings forecast"]
    if req.as_of is not None:
        parts.append(f"--as-of {req.as_of.isoformat()}")
    parts.append(f"--days {req.days} --weeks {req.weeks}")
    if req.n_paths != _DEFAULTS["n_paths"]:
        parts.append(f"--paths {req.n_paths}")
    if req.seed != _DEFAULTS["seed"]:
        parts.append(f"--seed {req.seed}")
    if req.model != DEFAULT_MODEL:
        parts.append(f"--model {req.model}")
    return " ".join([*parts, "--format json"])
