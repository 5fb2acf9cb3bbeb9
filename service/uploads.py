"""What a CV request carries, read from any of the body forms `POST /v1/cvs/parse` accepts:
a raw file (PDF, DOCX, text), a multipart form with a `file` field, or JSON `{"text": ...}`."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from indexing.errors import InvalidInput
from models.cv.parser import CVParse, CVParser
from service.cv_schemas import CVTextIn


@dataclass(frozen=True, slots=True)
class CVUpload:
    data: bytes
    content_type: str
    filename: str | None
    text: str | None  # a JSON body's text; then `data` is not read

    def parse(self, parser: CVParser) -> CVParse:
        if self.text is not None:
            return parser.parse_text(self.text)
        return parser.parse_bytes(self.data, self.content_type, self.filename)


async def read_cv_upload(request: Request) -> CVUpload:
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
    if content_type.split(";")[0].strip().lower() != "application/json":
        return CVUpload(data, content_type, filename, None)
    try:
        body = CVTextIn.model_validate(json.loads(data or b"null"))
    except (ValueError, ValidationError, RecursionError):
        raise InvalidInput(
            'JSON body must be {"text": "<the CV text>"}; or send the file itself'
        ) from None
    return CVUpload(b"", content_type, filename, body.text)
