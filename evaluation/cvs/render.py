"""Render the synthetic CVs as the files integrators receive: PDF (one or two columns) and DOCX,
with a gold file beside them (`gold.jsonl`) that `passerelle eval cvs` reads."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evaluation.cvs.dataset import CVS, SyntheticCV, SyntheticExperience

GOLD_FILE = "gold.jsonl"
_ORDER = ("summary", "experience", "education", "skills", "languages", "interests")
_SIDEBAR = ("skills", "languages", "interests")


@dataclass(frozen=True, slots=True)
class Block:
    """One line of a rendered CV: a heading, a plain line or a bullet."""

    kind: str  # heading, line, bullet, title
    text: str


def entry_lines(exp: SyntheticExperience, style: int) -> list[Block]:
    """The first line(s) of an experience, in one of the four shapes CVs use."""
    if style == 0:
        head = [Block("line", f"{exp.dates}  {exp.title} – {exp.employer}, {exp.place}")]
    elif style == 1:
        head = [Block("line", f"{exp.title} | {exp.employer} | {exp.dates}")]
    elif style == 2:
        head = [
            Block("line", exp.title),
            Block("line", f"{exp.employer}, {exp.place} — {exp.dates}"),
        ]
    else:
        head = [Block("line", f"{exp.dates} : {exp.title} chez {exp.employer} ({exp.place})")]
    return head + [Block("bullet", b) for b in exp.bullets]


def section_blocks(cv: SyntheticCV, section: str) -> list[Block]:
    heading = cv.headings.get(section)
    if heading is None:
        return []
    body: list[Block] = []
    if section == "summary" and cv.summary:
        body = [Block("line", cv.summary)]
    elif section == "experience":
        for exp in cv.experiences:
            body += entry_lines(exp, cv.entry_style)
    elif section == "education":
        body = [Block("line", e) for e in cv.education]
    elif section == "skills":
        body = [Block("bullet", s) for s in cv.skills]
    elif section == "languages":
        body = [Block("line", s) for s in cv.languages]
    elif section == "interests":
        body = [Block("line", ", ".join(cv.interests))] if cv.interests else []
    return [Block("heading", heading), *body] if body else []


def header_blocks(cv: SyntheticCV) -> list[Block]:
    first = cv.name.split()[0].lower()
    return [
        Block("title", cv.name),
        Block("line", cv.headline),
        Block("line", f"06 12 34 56 78 · {first}@example.org"),
    ]


def gold(cv: SyntheticCV, file: str) -> dict[str, object]:
    """What the parser should find in this file."""
    probes = []
    for section in _ORDER:
        blocks = [b for b in section_blocks(cv, section) if b.kind != "heading"]
        if blocks:
            probes.append({"type": section, "probe": blocks[-1].text})
    return {
        "file": file,
        "cv": cv.id,
        "sector": cv.sector,
        "experiences": [
            {"title": e.title, "rome": e.gold_rome, "months": e.gold_months} for e in cv.experiences
        ],
        "sections": probes,
        "competences": list(cv.gold_competences),
        "languages": list(cv.gold_languages),
        "licences": list(cv.gold_licences),
    }


def write_set(out: Path, cvs: tuple[SyntheticCV, ...] = CVS) -> list[Path]:
    """Each CV as a PDF (alternately one and two columns) and a DOCX, plus gold.jsonl."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    rows = []
    for n, cv in enumerate(cvs):
        pdf = out / f"{cv.id}.pdf"
        write_pdf(cv, pdf, two_columns=n % 2 == 0)
        docx_path = out / f"{cv.id}.docx"
        write_docx(cv, docx_path, two_columns=n % 2 == 1)
        for path in (pdf, docx_path):
            files.append(path)
            rows.append(gold(cv, path.name))
    with (out / GOLD_FILE).open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return files


# --- PDF (reportlab) ---------------------------------------------------------------------------


def write_pdf(cv: SyntheticCV, path: Path, two_columns: bool) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    width, height = A4
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    styles = {
        "title": ("Helvetica-Bold", 16),
        "heading": ("Helvetica-Bold", 11),
        "line": ("Helvetica", 9.5),
        "bullet": ("Helvetica", 9.5),
    }

    def column(blocks: list[Block], x: float, y: float, w: float) -> float:
        for block in blocks:
            font, size = styles[block.kind]
            text = f"• {block.text}" if block.kind == "bullet" else block.text
            if block.kind == "heading":
                y -= 6
                text = text.upper() if two_columns else text
            for part in simpleSplit(text, font, size, w):
                if y < 50:
                    canvas.showPage()
                    y = height - 50
                canvas.setFont(font, size)
                canvas.drawString(x, y, part)
                y -= size * 1.35
        return y

    y = column(header_blocks(cv), 40, height - 50, width - 80) - 10
    if two_columns:
        side = [b for s in _SIDEBAR for b in section_blocks(cv, s)]
        main = [b for s in _ORDER if s not in _SIDEBAR for b in section_blocks(cv, s)]
        column(side, 40, y, 150)
        column(main, 215, y, width - 255)
    else:
        column([b for s in _ORDER for b in section_blocks(cv, s)], 40, y, width - 80)
    canvas.showPage()
    canvas.save()


# --- DOCX (python-docx) ------------------------------------------------------------------------


def write_docx(cv: SyntheticCV, path: Path, two_columns: bool) -> None:
    import docx

    document = docx.Document()
    # Fixed properties (and zip times, below) keep the bytes reproducible.
    document.core_properties.author = "Passerelle synthetic CV"

    def put(container: object, blocks: list[Block]) -> None:
        for block in blocks:
            if block.kind == "title":
                container.add_paragraph(block.text, style="Title")  # type: ignore[attr-defined]
            elif block.kind == "heading":
                container.add_paragraph(block.text, style="Heading 1")  # type: ignore[attr-defined]
            elif block.kind == "bullet":
                container.add_paragraph(block.text, style="List Bullet")  # type: ignore[attr-defined]
            else:
                container.add_paragraph(block.text)  # type: ignore[attr-defined]

    put(document, header_blocks(cv))
    if two_columns:
        table = document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        put(left, [b for s in _SIDEBAR for b in section_blocks(cv, s)])
        put(right, [b for s in _ORDER if s not in _SIDEBAR for b in section_blocks(cv, s)])
    else:
        put(document, [b for s in _ORDER for b in section_blocks(cv, s)])
    document.save(str(path))
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite a DOCX with a fixed time on every zip entry: python-docx stamps the current
    time, which made every rendering of the set a different file (and the harness's data
    checksum of the CV set different at each run)."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            out.writestr(fixed, data)


def iter_gold(folder: Path) -> Iterator[dict[str, object]]:
    with (folder / GOLD_FILE).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def long_cv() -> SyntheticCV:
    """A two-page CV (ten experiences, as a long career reads) for the speed benchmark."""
    from dataclasses import replace

    experiences = tuple(e for cv in CVS[:5] for e in cv.experiences)
    education = tuple(t for cv in CVS[:5] for t in cv.education)
    skills = tuple(t for cv in CVS[:5] for t in cv.skills)
    return replace(CVS[0], id="long", experiences=experiences, education=education, skills=skills)
