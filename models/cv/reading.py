"""Turn an uploaded CV (PDF, DOCX, text) into plain text, refusing what could hurt the service.

The limits are checked before any parser sees the bytes: a DOCX is a zip, so its declared sizes
and compression ratio are checked first (zip bombs); a PDF is read a bounded number of pages.
Nothing from the document is ever put in an error message or a log: CVs are personal data.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from indexing.errors import InputTooLarge, InvalidInput, UnsupportedFormat
from models.cv.limits import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
)

ACCEPTED = 'PDF (application/pdf), DOCX, plain text (text/plain) or JSON {"text": ...}'


class DocFormat(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TYPES = {
    "application/pdf": DocFormat.PDF,
    "application/x-pdf": DocFormat.PDF,
    DOCX_TYPE: DocFormat.DOCX,
    "text/plain": DocFormat.TEXT,
    "text/markdown": DocFormat.TEXT,
}
_SNIFFED = {"", "application/octet-stream", "binary/octet-stream"}
_BULLET = "• "


@dataclass(frozen=True, slots=True)
class CVDocument:
    text: str
    format: DocFormat
    pages: int | None


def detect_format(data: bytes, content_type: str | None, filename: str | None = None) -> DocFormat:
    """The format from the declared type, or from the bytes when the type says nothing."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in _TYPES:
        return _TYPES[declared]
    if declared in _SNIFFED:
        if data.startswith(b"%PDF-"):
            return DocFormat.PDF
        if data.startswith(b"PK\x03\x04"):
            return DocFormat.DOCX
        name = (filename or "").lower()
        if name.endswith((".txt", ".md")) or (data and b"\x00" not in data[:4096]):
            return DocFormat.TEXT
    raise UnsupportedFormat(
        f"cannot read a CV sent as {declared or 'an unknown type'}; send {ACCEPTED}. "
        "A scan (image) needs OCR first; an old .doc must be saved as DOCX or PDF"
    )


def read_document(data: bytes, fmt: DocFormat) -> CVDocument:
    if not data:
        raise InvalidInput("the file is empty; send the CV's bytes")
    if len(data) > MAX_FILE_BYTES:
        raise InputTooLarge(
            f"the file is {len(data) // 1024} KiB; send at most {MAX_FILE_BYTES // (1024 * 1024)} "
            "MiB (a CV without embedded pictures is well under that)"
        )
    if fmt is DocFormat.PDF:
        from models.cv.pdf import pdf_text  # pdfminer loads only when a PDF arrives

        text, pages = pdf_text(data)
    elif fmt is DocFormat.DOCX:
        text, pages = _docx_text(data), None
    else:
        text, pages = _plain_text(data), None
    return _finish(text, fmt, pages)


def text_document(text: str) -> CVDocument:
    """A CV sent as text (JSON): the same checks as a file, without decoding."""
    return _finish(text.replace("\x00", " "), DocFormat.TEXT, None)


def _finish(text: str, fmt: DocFormat, pages: int | None) -> CVDocument:
    text = _tidy(text)
    if not text.strip():
        if fmt is DocFormat.PDF:
            raise InvalidInput(
                "the PDF has no text layer (a scanned CV?); run OCR on it or send the DOCX or "
                "the text"
            )
        raise InvalidInput("the document contains no text; send a CV with its text")
    if len(text) > MAX_TEXT_CHARS:
        raise InputTooLarge(
            f"the CV has {len(text)} characters of text; at most {MAX_TEXT_CHARS} are read"
        )
    return CVDocument(text, fmt, pages)


def _plain_text(data: bytes) -> str:
    if b"\x00" in data:
        raise UnsupportedFormat(f"this is not plain text (binary content); send {ACCEPTED}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows editors still save French text as cp1252.
        return data.decode("cp1252", errors="replace")


# --- DOCX --------------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        _check_archive(data)
    except (InvalidInput, InputTooLarge):  # ours (they are ValueErrors too): keep them
        raise
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
        # Broken headers, unknown compression or zip versions: all mean "not readable".
        raise InvalidInput(
            "the DOCX cannot be read (corrupt or not a DOCX); save it again or send a PDF"
        ) from None


def _check_archive(data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if (
            len(infos) > MAX_ZIP_ENTRIES
            or total > MAX_UNZIPPED_BYTES
            or total / packed > (MAX_ZIP_RATIO)
        ):
            raise InputTooLarge(
                "the DOCX expands to more than a CV can be (too many or too large parts); "
                "save it again without embedded objects or send a PDF"
            )
        if "word/document.xml" not in archive.namelist():
            raise InvalidInput("the file is a zip but not a Word document; send a DOCX or a PDF")


def _docx_text(data: bytes) -> str:
    _check_zip(data)
    import docx  # imported here: only needed when a DOCX arrives
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocumentObject = docx.Document(io.BytesIO(data))
        lines: list[str] = []

        def paragraph(p: Paragraph) -> None:
            text = p.text.strip()
            if not text:
                return
            style = (p.style.name if p.style is not None else "") or ""
            lines.append(f"{_BULLET}{text}" if "List" in style else text)

        def table(t: Table) -> None:
            # Two-column CVs are often a one-row table: read cell by cell (column by column).
            seen: set[int] = set()
            for row in t.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    for block in cell.iter_inner_content():
                        paragraph(block) if isinstance(block, Paragraph) else table(block)
                    lines.append("")

        for block in document.iter_inner_content():
            paragraph(block) if isinstance(block, Paragraph) else table(block)
    except (InputTooLarge, InvalidInput):
        raise
    except Exception:
        raise InvalidInput(
            "the DOCX cannot be read (corrupt or not a DOCX); save it again or send a PDF"
        ) from None
    return "\n".join(lines)


# --- common ------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
# Glyphs a PDF font does not map to Unicode come out as "(cid:N)": at a line start it is
# almost always the bullet.
_CID_BULLET = re.compile(r"^\(cid:\d+\)\s*", re.MULTILINE)
_CID = re.compile(r"\(cid:\d+\)")
_BLANKS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _CID.sub(" ", _CID_BULLET.sub(_BULLET, text))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()
