"""CV parsing. CVs are personal data: nothing of the content is logged, stored or cached, and
responses say so to caches (Cache-Control: no-store)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from models.cv.limits import MAX_FILE_BYTES, MAX_PAGES, MAX_TEXT_CHARS
from models.cv.reading import ACCEPTED, DOCX_TYPE
from service.cv_schemas import CVParseOut, CVTextIn
from service.deps import Core
from service.uploads import read_cv_upload

router = APIRouter(prefix="/v1/cvs", tags=["cvs"])

_LIMITS = (
    f"at most {MAX_FILE_BYTES // (1024 * 1024)} MiB, {MAX_PAGES} PDF pages and "
    f"{MAX_TEXT_CHARS:,} characters of text"
)
_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"The CV as {ACCEPTED}; or a multipart form with a 'file' field. {_LIMITS}.",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {"schema": CVTextIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": f"over the limits ({_LIMITS}), or a DOCX that expands like a zip bomb"},
    415: {"description": f"not a format we read; send {ACCEPTED}"},
    422: {"description": "empty, corrupt, password-protected, or a scan without a text layer"},
}


@router.post(
    "/parse",
    response_model=CVParseOut,
    responses=ERRORS,
    openapi_extra=_BODY,
    summary="Parse a CV: sections, experiences with resolved jobs, competences with spans",
)
async def parse(
    request: Request,
    response: Response,
    core: Core,
    include_text: Annotated[
        bool, Query(description="return the text read from the document (spans point into it)")
    ] = True,
) -> CVParseOut:
    response.headers["Cache-Control"] = "no-store"
    upload = await read_cv_upload(request)
    # PDF reading and tagging are CPU-bound: keep them off the event loop.
    result = await run_in_threadpool(upload.parse, core.cvs)
    return CVParseOut.of(result, include_text)
