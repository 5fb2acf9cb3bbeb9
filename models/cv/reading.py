"""Turn an uploaded CV (PDF, DOCX, text) into plain text, refusing what could hurt the service.

The limits are checked before any parser sees the bytes: a DOCX is a zip, so its declared sizes
and compression ratio are checked first (zip bombs); a PDF is read a bounded number of pages.
Nothing from the document is ever put in an error message or a log: CVs are personal data.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from indexing.errors import InputTooLarge, InvalidInput, UnsupportedFormat
from models.cv.dates import has_range

# pdfminer logs what it cannot parse in a broken PDF; nothing of a CV belongs in the logs.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_PAGES = 10
MAX_TEXT_CHARS = 50_000  # the competence extractor's own limit
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
MAX_ZIP_RATIO = 100  # DOCX XML compresses ~5-10x; 100x is a bomb
MAX_ZIP_ENTRIES = 2_000

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
        text, pages = _pdf_text(data)
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


# --- PDF ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    x0: float
    x1: float
    top: float
    text: str


def _pdf_text(data: bytes) -> tuple[str, int]:
    # Imported here: pdfminer is only needed when a PDF arrives (and keeps import time low).
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[str] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(), maxpages=MAX_PAGES + 1):
            if len(pages) == MAX_PAGES:
                raise InputTooLarge(
                    f"the PDF has more than {MAX_PAGES} pages; a CV is read up to {MAX_PAGES}"
                )
            lines = [
                _Line(line.x0, line.x1, page.height - line.y1, line.get_text().strip())
                for box in page
                if isinstance(box, LTTextBox)
                for line in box
                if isinstance(line, LTTextLine) and line.get_text().strip()
            ]
            pages.append("\n".join(_reading_order(lines, page.width)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InvalidInput(
            "the PDF is password-protected; remove the protection or send the DOCX"
        ) from None
    except (InputTooLarge, InvalidInput):
        raise
    except Exception:  # pdfminer raises many kinds of errors on broken files
        raise InvalidInput(
            "the PDF cannot be read (corrupt or not a PDF); export it again or send the DOCX"
        ) from None
    return "\n\n".join(pages), len(pages)


def _reading_order(lines: list[_Line], width: float) -> list[str]:
    """Lines in reading order. Two-column CVs (a sidebar beside the main column) are read
    column by column: a vertical gutter that no line crosses splits the page."""
    if not lines:
        return []
    gutter = _gutter(lines, width)
    if gutter is None:
        return _joined(sorted(lines, key=lambda ln: (round(ln.top), ln.x0)))
    spanning = [ln for ln in lines if ln.x0 < gutter < ln.x1]
    left = [ln for ln in lines if ln.x1 <= gutter]
    right = [ln for ln in lines if ln.x0 >= gutter]
    columns_top = min(ln.top for ln in left + right)
    above = [ln for ln in spanning if ln.top < columns_top]
    below = [ln for ln in spanning if ln.top >= columns_top]
    out: list[str] = []
    for group in (above, left, right, below):
        out.extend(_joined(sorted(group, key=lambda ln: (round(ln.top), ln.x0))))
    return out


def _gutter(lines: list[_Line], width: float) -> float | None:
    best: tuple[int, float] | None = None
    for step in range(20, 81, 2):
        x = width * step / 100
        crossing = sum(1 for ln in lines if ln.x0 < x < ln.x1)
        left = sum(1 for ln in lines if ln.x1 <= x)
        right = sum(1 for ln in lines if ln.x0 >= x)
        # Both sides must carry real text; a few full-width lines (name, title) may cross.
        if (
            left >= 4
            and right >= 4
            and crossing <= max(2, len(lines) // 10)
            and (best is None or crossing < best[0])
        ):
            best = (crossing, x)
    return best[1] if best else None


def _joined(lines: list[_Line]) -> list[str]:
    """Merge lines that a PDF wrapped: a line that reached the column's right edge, followed by
    one starting in lower case, is one line, unless that one opens a dated entry."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    wrap_at = right - 0.2 * (right - left)
    out: list[str] = []
    previous: _Line | None = None
    for ln in lines:
        if (
            previous is not None
            and previous.x1 >= wrap_at
            and ln.text[:1].islower()
            and not has_range(ln.text)  # "sept. 2019 – mars 2021 ..." opens an entry
        ):
            out[-1] = f"{out[-1]} {ln.text}"
        else:
            out.append(ln.text)
        previous = ln
    return out


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
