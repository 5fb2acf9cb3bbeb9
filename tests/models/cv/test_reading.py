import contextlib
import io
import zipfile

import pytest

from evaluation.cvs.render import write_docx, write_pdf
from indexing.errors import InputTooLarge, InvalidInput, UnsupportedFormat
from models.cv.limits import MAX_PAGES
from models.cv.reading import (
    DocFormat,
    detect_format,
    read_document,
)


def _pdf(tmp_path, draw, pages=1, **canvas_args):
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "x.pdf"
    canvas = Canvas(str(path), **canvas_args)
    for _ in range(pages):
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return path.read_bytes()


def _text(canvas):
    canvas.drawString(72, 720, "Aide-soignante depuis 2019")


def test_formats_are_sniffed_when_the_type_says_nothing(mini_cv, tmp_path):
    write_pdf(mini_cv, tmp_path / "a.pdf", two_columns=False)
    write_docx(mini_cv, tmp_path / "a.docx", two_columns=False)
    assert detect_format((tmp_path / "a.pdf").read_bytes(), None) is DocFormat.PDF
    assert detect_format((tmp_path / "a.docx").read_bytes(), "application/octet-stream") is (
        DocFormat.DOCX
    )
    assert detect_format(b"Jean Dupont", "text/plain; charset=utf-8") is DocFormat.TEXT
    with pytest.raises(UnsupportedFormat, match="OCR"):
        detect_format(b"\x89PNG...", "image/png")
    with pytest.raises(UnsupportedFormat, match="DOCX"):
        detect_format(b"\xd0\xcf\x11\xe0", "application/msword")


def test_two_column_pdf_is_read_column_by_column(mini_cv, tmp_path):
    path = tmp_path / "a.pdf"
    write_pdf(mini_cv, path, two_columns=True)
    text = read_document(path.read_bytes(), DocFormat.PDF).text
    lines = text.splitlines()
    # The sidebar (skills, languages) comes whole, not interleaved with the experiences.
    sidebar = lines.index("LANGUES")
    assert lines[sidebar + 1 : sidebar + 3] == ["Anglais : courant (B2)", "Espagnol : notions"]
    assert "• Conduire un poids lourd" in lines  # bullets mapped from the font's glyph


def test_cp1252_text_is_decoded():
    doc = read_document("Aide-soignante expérimentée".encode("cp1252"), DocFormat.TEXT)
    assert doc.text == "Aide-soignante expérimentée"


@pytest.mark.parametrize(
    ("data", "fmt", "error", "message"),
    [
        (b"", DocFormat.PDF, InvalidInput, "empty"),
        (b"%PDF-1.4\nnot really a pdf", DocFormat.PDF, InvalidInput, "corrupt"),
        (b"PK\x03\x04broken", DocFormat.DOCX, InvalidInput, "corrupt"),
        (b"   \n\n  ", DocFormat.TEXT, InvalidInput, "no text"),
        (b"a\x00b", DocFormat.TEXT, UnsupportedFormat, "binary"),
        (b"x" * (4 * 1024 * 1024 + 1), DocFormat.TEXT, InputTooLarge, "MiB"),
    ],
)
def test_bad_files_get_clear_errors(data, fmt, error, message):
    with pytest.raises(error, match=message):
        read_document(data, fmt)


def test_encrypted_scanned_and_long_pdfs_are_refused(tmp_path):
    with pytest.raises(InvalidInput, match="password"):
        read_document(_pdf(tmp_path, _text, encrypt="secret"), DocFormat.PDF)
    with pytest.raises(InvalidInput, match="OCR"):
        read_document(_pdf(tmp_path, lambda c: c.rect(72, 72, 300, 300, fill=1)), DocFormat.PDF)
    with pytest.raises(InputTooLarge, match=str(MAX_PAGES)):
        read_document(_pdf(tmp_path, _text, pages=MAX_PAGES + 1), DocFormat.PDF)


def test_zip_bombs_and_foreign_zips_are_refused_before_parsing():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (30 * 1024 * 1024))
    with pytest.raises(InputTooLarge, match="expands"):
        read_document(bomb.getvalue(), DocFormat.DOCX)
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("photo.txt", b"hello")
    with pytest.raises(InvalidInput, match="not a Word document"):
        read_document(other.getvalue(), DocFormat.DOCX)


def test_zip_with_an_unsupported_version_is_a_clear_error(mini_cv, tmp_path):
    path = tmp_path / "cv.docx"
    write_docx(mini_cv, path, two_columns=False)
    data = bytearray(path.read_bytes())
    # "Version needed to extract" 8.6 in every central directory entry: zipfile refuses it
    # with NotImplementedError, which must come out as a 422, not a 500.
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 6 : at + 8] = (86).to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    with pytest.raises(InvalidInput, match="corrupt"):
        read_document(bytes(data), DocFormat.DOCX)


def test_mutated_files_only_ever_raise_clear_errors(mini_cv, tmp_path):
    import random

    write_pdf(mini_cv, tmp_path / "cv.pdf", two_columns=True)
    write_docx(mini_cv, tmp_path / "cv.docx", two_columns=False)
    rng = random.Random(7)
    for name, fmt in (("cv.pdf", DocFormat.PDF), ("cv.docx", DocFormat.DOCX)):
        seed = (tmp_path / name).read_bytes()
        for _ in range(40):
            data = bytearray(seed)
            for _ in range(rng.randint(1, 10)):
                pos = rng.randrange(len(data))
                if rng.random() < 0.6:
                    data[pos] = rng.randrange(256)
                else:
                    del data[pos : pos + rng.randint(1, 100)]
            # Any other exception (a parser's own) fails the test: it would be a 500.
            with contextlib.suppress(InvalidInput, InputTooLarge, UnsupportedFormat):
                read_document(bytes(data), fmt)
