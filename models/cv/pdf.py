"""PDF text with its layout: lines in reading order (two columns read one after the other),
within limits on what a page may hold, checked while the page is drawn."""

from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream
from pdfminer.utils import Matrix

from indexing.errors import InputTooLarge, InvalidInput
from models.cv.dates import has_range
from models.cv.limits import (
    MAX_OVERDRAW,
    MAX_PAGE_CHARS,
    MAX_PAGE_CONTENT_BYTES,
    MAX_PAGE_GRAPHICS,
    MAX_PAGES,
)

# pdfminer logs what it cannot parse in a broken PDF; nothing of a CV belongs in the logs.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class _Line:
    x0: float
    x1: float
    top: float
    text: str


def pdf_text(data: bytes) -> tuple[str, int]:
    pages: list[str] = []
    try:
        resources = PDFResourceManager()
        device = _BoundedAggregator(resources, laparams=LAParams())
        interpreter = PDFPageInterpreter(resources, device)
        for pdf_page in PDFPage.get_pages(io.BytesIO(data), maxpages=MAX_PAGES + 1):
            if len(pages) == MAX_PAGES:
                raise InputTooLarge(
                    f"the PDF has more than {MAX_PAGES} pages; a CV is read up to {MAX_PAGES}"
                )
            _check_content_size(pdf_page)
            interpreter.process_page(pdf_page)
            page = device.get_result()
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
    except MemoryError:
        raise _too_heavy() from None
    except Exception:  # pdfminer raises many kinds of errors on broken files
        raise InvalidInput(
            "the PDF cannot be read (corrupt or not a PDF); export it again or send the DOCX"
        ) from None
    return "\n\n".join(pages), len(pages)


def _too_heavy() -> InputTooLarge:
    return InputTooLarge(
        "the PDF holds more than a CV page can (too much text or drawing on a page); export "
        "it again as a plain text PDF, or send the DOCX or the text"
    )


def _check_content_size(pdf_page: PDFPage) -> None:
    size = sum(len(s.get_data()) for s in pdf_page.contents if isinstance(s, PDFStream))
    if size > MAX_PAGE_CONTENT_BYTES:
        raise _too_heavy()


class _BoundedAggregator(PDFPageAggregator):
    """pdfminer's page aggregator that counts what a page draws as it is drawn and stops at
    the page limits, before the layout analysis sees it."""

    chars = 0
    graphics = 0
    spots: Counter[tuple[int, int]]

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        self.chars = self.graphics = 0
        self.spots = Counter()
        super().begin_page(page, ctm)

    def render_char(self, matrix: Matrix, *args: Any, **kwargs: Any) -> float:
        self.chars += 1
        spot = (round(matrix[4]), round(matrix[5]))
        self.spots[spot] += 1
        if self.chars > MAX_PAGE_CHARS or self.spots[spot] > MAX_OVERDRAW:
            raise _too_heavy()
        width: float = super().render_char(matrix, *args, **kwargs)
        return width

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self._graphic()
        super().paint_path(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self._graphic()
        super().render_image(*args, **kwargs)

    def _graphic(self) -> None:
        self.graphics += 1
        if self.graphics > MAX_PAGE_GRAPHICS:
            raise _too_heavy()


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
