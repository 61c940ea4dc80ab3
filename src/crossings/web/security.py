"""Safe to expose: security headers, a cap on request bodies, and every error as a one-line JSON answer."""
from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import CrossingsError
from .jobs import Busy, TimedOut
from .settings import MAX_BODY_BYTES
from .state import StoreUnavailable

log = logging.getLogger("crossings.web")

#: Only this origin: no inline script or style element, no outside host. ``data:``/``blob:`` images are what
#: plotly's PNG/SVG download and swagger-ui's icons make in the page itself.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
EMBED_PREFIX = "/embed/"


def _headers(path: str) -> list[tuple[bytes, bytes]]:
    embed = path.startswith(EMBED_PREFIX)
    csp = CSP + ("; frame-ancestors *" if embed else "; frame-ancestors 'none'")
    out = [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin")]
    if not embed:
        out.append((b"x-frame-options", b"DENY"))
    return out


def _json_error(status: int, message: str) -> tuple[dict, bytes]:
    body = json.dumps({"error": message}).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}
    return start, body


class SecurityMiddleware:
    """Adds the security headers to every answer and refuses bodies over ``max_body`` bytes with 413."""

    def __init__(self, app, max_body: int = MAX_BODY_BYTES):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = _headers(scope.get("path", ""))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        too_big = f"the request body is larger than {self.max_body} bytes"
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            start, body = _json_error(413, too_big if length.isdigit() else "invalid Content-Length")
            await send_with_headers(start)
            return await send_with_headers({"type": "http.response.body", "body": body})
        seen, refused = 0, False

        async def guarded_send(message):
            if not refused:  # once refused, the application's own answer is dropped
                await send_with_headers(message)

        async def counted_receive():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body and not refused:
                    start, body = _json_error(413, too_big)
                    await send_with_headers(start)
                    await send_with_headers({"type": "http.response.body", "body": body})
                    refused = True
            if refused:
                return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:500]


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        msg = err.get("msg", "invalid").removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return _one_line("; ".join(parts) or "invalid request")


def install_error_handlers(app: FastAPI) -> None:
    """Every error answer is ``{"error": "one line"}`` with a fitting status; no traceback reaches a user."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": _one_line(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return JSONResponse({"error": _validation_message(exc)}, status_code=422)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return JSONResponse({"error": _one_line(exc)}, status_code=429, headers={"Retry-After": "10"})

    @app.exception_handler(TimedOut)
    async def timed_out(request: Request, exc: TimedOut):
        return JSONResponse({"error": _one_line(exc)}, status_code=504)

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable):
        return JSONResponse({"error": _one_line(exc)}, status_code=503)

    @app.exception_handler(CrossingsError)
    async def crossings_error(request: Request, exc: CrossingsError):
        return JSONResponse({"error": _one_line(exc)}, status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"error": f"internal error ({type(exc).__name__})"}, status_code=500)
