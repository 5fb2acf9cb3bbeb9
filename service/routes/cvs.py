"""CV parsing. CVs are personal data: nothing of the content is logged, stored or cached, and
responses say so to caches (Cache-Control: no-store)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from indexing.errors import InvalidInput
from models.cv.limits import MAX_FILE_BYTES, MAX_PAGES
from models.cv.reading import ACCEPTED, DOCX_TYPE
from service.cv_schemas import CVParseOut, CVTextIn
from service.deps import Core

router = APIRouter(prefix="/v1/cvs", tags=["cvs"])

_LIMITS = (
    f"at most {MAX_FILE_BYTES // (1024 * 1024)} MiB, {MAX_PAGES} PDF pages and 50,000 "
    "characters of text"
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
    content_type = request.headers.get("content-type", "")
    filename = None
    if content_type.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=1, max_fields=5)
        except HTTPException as exc:
            if exc.status_code != 400:  # the body limit's 413
                raise
            raise InvalidInput(
                f"the multipart form cannot be read ({exc.detail}); send one 'file' field"
            ) from None
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("the multipart form has no 'file' field; send the CV as 'file'")
        data = await upload.read()
        content_type, filename = upload.content_type or "", upload.filename
    else:
        data = await request.body()
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            body = CVTextIn.model_validate(json.loads(data or b"null"))
        except (ValueError, ValidationError, RecursionError):
            raise InvalidInput(
                'JSON body must be {"text": "<the CV text>"}; or send the file itself'
            ) from None
        # PDF reading and tagging are CPU-bound: keep them off the event loop.
        result = await run_in_threadpool(core.cvs.parse_text, body.text)
    else:
        result = await run_in_threadpool(core.cvs.parse_bytes, data, content_type, filename)
    return CVParseOut.of(result, include_text)
