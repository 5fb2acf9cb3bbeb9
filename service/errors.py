"""Domain errors → HTTP status codes, and every other client error in the same shape.

Every error answers `{"error": <code>, "message": <what to do>}` (plus `details` for
validation). The codes are stable and documented in the README; nothing of the request body
is ever echoed (it may be a CV).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from indexing.errors import (
    ArtifactMissing,
    BuildError,
    Busy,
    ConfigError,
    IndexMismatch,
    InputTooLarge,
    InvalidInput,
    NotReady,
    PasserelleError,
    ReferentialError,
    UnknownCode,
    UnsupportedFormat,
)

STATUS: tuple[tuple[type[PasserelleError], int], ...] = (
    (UnknownCode, 404),
    (InvalidInput, 422),
    (InputTooLarge, 413),
    (UnsupportedFormat, 415),
    (NotReady, 503),
    (Busy, 503),
    (IndexMismatch, 503),
    (ReferentialError, 503),
    (ArtifactMissing, 503),
    (BuildError, 503),
    (ConfigError, 503),
)

# What the framework itself refuses, in the same vocabulary. A 400 is a body that could not
# be parsed at all (not UTF-8, JSON nested past the parser's depth): a malformed input.
_HTTP: dict[int, tuple[int, str, str]] = {
    400: (
        422,
        "InvalidInput",
        "the request body cannot be parsed; send UTF-8 JSON nested "
        "at most a few hundred levels (see /docs for the schema)",
    ),
    404: (404, "NotFound", "no such route; see /docs for the routes"),
    405: (405, "MethodNotAllowed", "this route does not take that method; see /docs"),
    413: (
        413,
        "InputTooLarge",
        "the request body is over this route's limit (see /docs); "
        "send fewer or shorter documents per request",
    ),
    415: (415, "UnsupportedFormat", "send the body as application/json (see /docs)"),
}


def _body(error: str, message: str) -> dict[str, str]:
    return {"error": error, "message": message}


def internal_error() -> JSONResponse:
    """A bug, not the client's fault (the caller logs its type and place, never its message)."""
    return JSONResponse(
        _body(
            "InternalError",
            "an unexpected error on our side; it was logged without the request's content. "
            "Retry, or report it with the X-Request-ID of the reply",
        ),
        status_code=500,
    )


def status_of(exc: PasserelleError) -> int:
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 500)


def domain_response(exc: PasserelleError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else None
    return JSONResponse(_body(exc.code, str(exc)), status_code=status_of(exc), headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(PasserelleError)
    async def domain_error(_request: Request, exc: PasserelleError) -> JSONResponse:
        return domain_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Say where and what, never echo the input back (it may be a CV).
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        return JSONResponse(
            {**_body("InvalidInput", "; ".join(problems)), "details": problems},
            status_code=422,
        )

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        status, error, message = _HTTP.get(
            exc.status_code, (exc.status_code, "HTTPError", str(exc.detail))
        )
        if exc.status_code == 413:  # the body limit's own message names the limit
            message = str(exc.detail)
        return JSONResponse(_body(error, message), status_code=status, headers=exc.headers)

    @app.exception_handler(RecursionError)
    async def too_deep(_request: Request, _exc: RecursionError) -> JSONResponse:
        status, error, message = _HTTP[400]
        return JSONResponse(_body(error, message), status_code=status)
