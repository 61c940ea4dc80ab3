"""API fuzzing with schemathesis against the live server's /openapi.json: no answer is a 5xx, and every error is a
one-line JSON object. Bounded in time: a fixed number of examples per operation, and valid comparison requests are
shrunk to at most 20 replicates over at most 31 days before they are sent (a full-size one is a minute of CPU), and
forecasts to at most 200 sample paths."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 15  # per operation and generation mode (valid, invalid)
FORECAST_PATHS = 200  # sample paths of a forecast the fuzzer asks for (the smallest the API takes is 100)


def _valid(model, body) -> bool:
    try:
        model.model_validate(body)
    except Exception:  # noqa: BLE001 - any validation failure
        return False
    return True


def _bounded(case) -> bool:
    """A valid comparison made small; an invalid one is sent as generated. False for a valid sensitivity request,
    which is not sent (each runs a Sobol sample of a few hundred parameter sets; tests/web/test_api.py runs one)."""
    from crossings.web.lab import CompareRequest, SensitivityRequest
    if case.method == "GET" and case.path == "/api/forecast" and isinstance(case.query, dict):
        paths = case.query.get("paths")  # a forecast that runs: at most FORECAST_PATHS paths
        if paths is None or (isinstance(paths, int) and paths > FORECAST_PATHS):
            case.query["paths"] = FORECAST_PATHS
        return True
    if case.method != "POST" or not isinstance(case.body, dict):
        return True
    if case.path == "/api/sensitivity":
        return not _valid(SensitivityRequest, case.body)
    if not _valid(CompareRequest, case.body):
        return True  # invalid bodies are the point of fuzzing: send them unchanged
    start = date.fromisoformat(str(case.body["start"]))
    end = date.fromisoformat(str(case.body["end"]))
    case.body["end"] = min(end, start + timedelta(days=30)).isoformat()
    case.body["replicates"] = min(int(case.body.get("replicates", 200)), 20)
    return True


def _check(case) -> None:
    if not _bounded(case):
        return
    response = case.call(timeout=300)
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body,
                                        response.text[:300])
    if response.status_code >= 400:
        err = response.json()["error"]
        assert isinstance(err, str) and "\n" not in err


def test_no_server_error(server):
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    calls = []

    def check(case) -> None:
        calls.append(case.method)
        _check(case)

    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run = settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                           phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))(
                given(case=op.as_strategy(mode))(check))
            try:
                run()
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise  # an operation without parameters has no invalid request to send
    assert len(calls) >= 5 * len(operations) and "POST" in calls
