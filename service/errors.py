"""Domain errors → HTTP status codes. The only place that knows this mapping."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from indexing.errors import (
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
    (IndexMismatch, 503),
    (ReferentialError, 503),
)


def _body(error: str, message: str) -> dict[str, str]:
    return {"error": error, "message": message}


def install(app: FastAPI) -> None:
    @app.exception_handler(PasserelleError)
    async def domain_error(_request: Request, exc: PasserelleError) -> JSONResponse:
        status = next((code for cls, code in STATUS if isinstance(exc, cls)), 500)
        return JSONResponse(_body(type(exc).__name__, str(exc)), status_code=status)

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
