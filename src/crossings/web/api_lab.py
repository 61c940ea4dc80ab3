"""Endpoints that compute: the doctrine comparison, the forecast and its backtest. Simulations run in worker
processes (:mod:`.jobs`); the forecast, cached per store version, in a thread."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ..errors import InputError, check_not_future
from ..forecast.cache import ForecastRequest
from . import layers
from .api_data import snapshot
from .forecast_query import (FORECAST_DAYS, FORECAST_DESCRIPTION, FORECAST_WEEKS,  # noqa: F401  (the horizons)
                             cli_command, forecast_request)
from .frames import SnapshotTables
from .lab import (SIMULATED_LABEL, CompareRequest, SensitivityRequest, run_comparison, run_sensitivity,
                  shipped_doctrines)

router = APIRouter(prefix="/api", tags=["simulation and forecast"])

#: The dashboard's backtest: weekly origins over the last year of data, fewer paths than the CLI's default.
BACKTEST_YEARS, BACKTEST_PATHS = 1, 300
CAVEATS = [
    "A forecast is a range of plausible outcomes, not a prediction of one number: about 1 week in 10 should fall "
    "outside the 90% band.",
    "Weather decides most crossing days; without stored sea conditions the model knows only season, trend and "
    "recent activity.",
    "Official figures are published with a lag and revised; the forecast uses what the store held when it ran.",
]


@router.get("/doctrines", summary="The doctrine scenarios shipped with crossings")
def doctrines() -> dict:
    return {"doctrines": shipped_doctrines(), "label": SIMULATED_LABEL}


@router.post("/compare", summary="Compare doctrines with common random numbers (simulated, not observed)",
             responses={400: {"description": "invalid scenario"}, 422: {"description": "invalid request"},
                        429: {"description": "too many simulations running"}, 504: {"description": "time limit"}})
async def compare(request: Request, body: CompareRequest) -> dict:
    settings = request.app.state.settings
    return await request.app.state.jobs.run(
        run_comparison, [d.value for d in body.doctrines], body.start.isoformat(), body.end.isoformat(),
        body.replicates, body.seed, timeout_s=settings.simulation_timeout_s)


@router.post("/sensitivity", summary="Sobol sensitivity of a doctrine difference (simulated, not observed)",
             responses={404: {"description": "not in this version"}, 429: {"description": "busy"},
                        504: {"description": "time limit"}})
async def sensitivity(request: Request, body: SensitivityRequest) -> dict:
    if not layers.sensitivity_available():
        raise HTTPException(404, f"sensitivity: {layers.NOT_AVAILABLE}")
    if body.baseline == body.doctrine:
        raise HTTPException(422, "doctrine: choose a doctrine other than the baseline")
    settings = request.app.state.settings
    return await request.app.state.jobs.run(run_sensitivity, body.baseline.value, body.doctrine.value,
                                            body.outcome, body.seed, timeout_s=settings.simulation_timeout_s)


def _answer(entry, req: ForecastRequest) -> dict:
    out = entry.json_doc(req.as_of)
    out.update(caveats=CAVEATS, command=cli_command(req))
    return out


def _forecast(snap, store_path, req: ForecastRequest = ForecastRequest()) -> dict:
    """The forecast ``crossings forecast --format json`` prints for ``req`` (a
    :class:`crossings.forecast.cache.ForecastRequest`), from the cache beside the store at ``store_path`` that the
    CLI uses (computed and stored on a miss). Default: the dashboard's forecast."""
    from ..forecast.cache import folder_beside, get_or_compute
    entry, _ = get_or_compute(SnapshotTables(snap), req, folder=folder_beside(store_path))
    return _answer(entry, req)


def _stored_forecast(snap, store_path, req: ForecastRequest) -> dict | None:
    """As :func:`_forecast` when the cache holds the forecast of ``req``, else None (never computes)."""
    from ..forecast.cache import folder_beside, lookup
    entry = lookup(SnapshotTables(snap), req, folder=folder_beside(store_path))
    return None if entry is None else _answer(entry, req)


@router.get("/forecast", summary="Fan chart quantiles: the next days and weeks, from the newest or an earlier day",
            description=FORECAST_DESCRIPTION,
            responses={422: {"description": "a parameter out of range, an as_of not written YYYY-MM-DD, in the "
                                            "future or before the first stored release, an unknown model, or an "
                                            "unknown parameter"},
                       503: {"description": "the store is empty or cannot be read"}})
async def forecast(request: Request, req: Annotated[ForecastRequest, Depends(forecast_request)]) -> dict:
    from ..forecast.api import NOT_YET, check_as_of
    try:  # the CLI's checks, naming this parameter: a day in the future before the store (422 before 503) ...
        if req.as_of is not None:
            check_not_future(req.as_of, "as_of", NOT_YET)
        snap = snapshot(request)
        if req.as_of is not None:  # ... a day before the first release once the store is read
            check_as_of(req.as_of, snap.releases, name="as_of")
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None
    default = req == ForecastRequest()  # the dashboard's: kept in memory for this store version
    if default and (out := snap.cached("forecast")) is not None:
        return out
    path = request.app.state.view.path
    out = await run_in_threadpool(_stored_forecast, snap, path, req)  # computed before: never waits for the lock
    if out is None:  # one forecast computed at a time; under the lock get_or_compute looks in the cache again, so a
        async with request.app.state.forecast_lock:  # request that waited for the same forecast reads it
            out = await run_in_threadpool(_forecast, snap, path, req)
    return snap.memo("forecast", lambda: out) if default else out


def run_backtest_job(db_path: str, start: str, n_paths: int) -> dict:
    """Run in a worker process: the rolling-origin backtest on the store's series, as tables of rows."""
    from ..forecast import daily_series, run_backtest
    from .frames import records
    from .state import StoreView
    snap = StoreView(db_path).snapshot()
    res = run_backtest(daily_series(snap.daily), start, n_paths=n_paths)
    out = {"start": start, "paths": n_paths, "command": f"crossings backtest --start {start} --paths {n_paths}"}
    try:  # the summaries of the forecast area (weekly and daily scores against the baselines, the winner)
        from ..forecast.summary import coverage, daily_scores, weekly_scores, winner
        out["tables"] = {"weekly": records(weekly_scores(res)), "daily": records(daily_scores(res)),
                         "coverage": records(coverage(res))}
        out["winner"] = winner(res)
        out["information"] = getattr(getattr(res, "schedule", None), "label", "")
    except ImportError:
        from ..forecast.report import metric_tables
        out["tables"] = {k: records(v) for k, v in metric_tables(res).items()}
    return out


@router.get("/forecast/backtest", summary="Backtest scores against climatology and persistence (202 while running)",
            responses={202: {"description": "the backtest is running; ask again"}})
async def backtest(request: Request):
    snap = snapshot(request)
    state = request.app.state
    done = snap.memo("backtest-slot", dict)  # per store version: {"result": ...} or {"task": ...}
    if "result" in done:
        return done["result"]
    if "error" in done:
        raise HTTPException(503, done["error"])
    if "task" not in done:
        last = snap.daily["date"].max().date()
        start = (last - timedelta(days=365 * BACKTEST_YEARS)).isoformat()

        async def job():
            try:
                done["result"] = await state.background.run(run_backtest_job, str(state.view.path), start,
                                                      BACKTEST_PATHS, timeout_s=state.settings.backtest_timeout_s)
            except Exception as exc:  # noqa: BLE001 - reported to the page as one line
                done["error"] = f"the backtest could not run: {str(exc).splitlines()[0] if str(exc) else exc!r}"
            finally:
                done.pop("task", None)
        done["task"] = asyncio.get_running_loop().create_task(job())
    return JSONResponse({"status": "running", "detail": "the backtest is running; ask again in a few seconds"},
                        status_code=202)

