"""Query parameters of the JSON API: one an endpoint does not take, or a single-valued one given twice, is refused
(422, one line naming it) instead of ignored, so ``/api/forecast?as_of=...`` on a version without ``as_of`` cannot
answer another question than the one asked. What an endpoint takes is what its OpenAPI description lists, so the
check and the documentation are one list. Installed once, on every API router (:func:`crossings.web.app.create_app`).
A day, in a query or a request body, is a :data:`Day`: YYYY-MM-DD only, refused as the CLI refuses a bad date. The
refusal names the path asked (``/api/stats/totals_by_year``), not its route template.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated

from fastapi import FastAPI, HTTPException, Request
from pydantic import BeforeValidator

from ..errors import parse_day

#: Status of a refused query parameter (as for a query value FastAPI cannot validate).
REFUSED = 422


def _day(value: object) -> date:
    return value if isinstance(value, date) else parse_day(value)


#: A day of the web API: YYYY-MM-DD only (:func:`crossings.errors.parse_day`, the CLI's check), so 20251201, a
#: timestamp or 2025-1-1 is a 422 "<where>: '20251201' is not a date (YYYY-MM-DD)".
Day = Annotated[date, BeforeValidator(_day)]


def _repeatable(schema: dict) -> bool:
    """Whether a parameter's JSON schema is an array (then it may be given several times)."""
    return schema.get("type") == "array" or any(_repeatable(s) for s in schema.get("anyOf", ()))


def _documented(app: FastAPI) -> dict[tuple[str, str], dict[str, bool]]:
    """(path template, METHOD) -> {query parameter: repeatable}, read once from the app's OpenAPI description."""
    table = getattr(app.state, "query_parameters", None)
    if table is None:
        table = {}
        for path, ops in app.openapi().get("paths", {}).items():
            for method, op in ops.items():
                if isinstance(op, dict):
                    table[(path, method.upper())] = {p["name"]: _repeatable(p.get("schema", {}))
                                                     for p in op.get("parameters", ()) if p.get("in") == "query"}
        app.state.query_parameters = table
    return table


async def refuse_unknown_query(request: Request) -> None:
    """A dependency: 422 when the query string holds a parameter the endpoint does not take, or repeats one."""
    route = request.scope.get("route")
    taken = _documented(request.app).get((getattr(route, "path_format", None), request.method))
    if taken is None:  # not in the OpenAPI description: nothing to check against
        return
    counts = Counter(name for name, _ in request.query_params.multi_items())
    for name, n in counts.items():
        if name not in taken:
            known = ", ".join(sorted(taken)) or "no query parameters"
            raise HTTPException(REFUSED, f"unknown query parameter {name!r}: {request.url.path} takes {known}")
        if n > 1 and not taken[name]:
            raise HTTPException(REFUSED, f"query parameter {name!r} is given {n} times: give it once")
