"""Languages, driving licences and trainings as a CV states them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from indexing.textnorm import fold
from models.cv.dates import find_period
from models.cv.sections import Section, SectionType
from models.evidence import Span

_LANGUAGES = (
    "français anglais espagnol allemand italien portugais arabe chinois mandarin cantonais "
    "russe néerlandais roumain polonais turc vietnamien japonais coréen hindi wolof berbère "
    "kabyle tamoul ukrainien grec hébreu suédois danois norvégien finnois bulgare serbe croate "
    "albanais lingala créole bambara persan farsi ourdou bengali tagalog malgache swahili "
    "catalan breton basque occitan corse tchèque slovaque hongrois arménien géorgien"
).split()
_LANGUAGE_BY_FOLDED = {fold(name): name for name in _LANGUAGES}
_SIGN_LANGUAGE = re.compile(r"\blangue des signes\b|\bLSF\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")

# "Permis B", "permis C et CE", "permis B, C1", "Permis poids lourd", "permis VL".
_CATEGORY = r"(?:AM|A1|A2|B1|BE|B|C1E|C1|CE|C|D1E|D1|DE|D|A)"
_LICENCE = re.compile(
    rf"\bpermis\s+(?:de\s+conduire\s+)?(?:cat[ée]gorie\s+|cat\.?\s+)?"
    rf"(?P<cats>{_CATEGORY}(?:\s*(?:,|/|\+|et|&)\s*{_CATEGORY})*)\b",
    re.IGNORECASE,
)
_CATEGORY_RE = re.compile(_CATEGORY)
_LICENCE_WORDS = {"poids lourd": "C", "vl": "B", "super lourd": "CE", "transport en commun": "D"}


@dataclass(frozen=True, slots=True)
class Language:
    name: str
    level: str | None  # as written ("courant", "B2", "langue maternelle")
    span: Span


@dataclass(frozen=True, slots=True)
class Training:
    text: str  # as written
    year: int | None
    span: Span


def languages(sections: list[Section]) -> list[Language]:
    """Languages named in the languages section, or on a "Anglais : courant" line anywhere."""
    out: dict[str, Language] = {}
    for section in sections:
        for line in section.lines:
            in_section = section.type is SectionType.LANGUAGES
            for piece_start, piece in _pieces(line.text):
                words = list(_WORD.finditer(piece))
                for i, m in enumerate(words):
                    name = _LANGUAGE_BY_FOLDED.get(fold(m.group()))
                    if name is None:
                        continue
                    # Outside the languages section, only "Anglais : ..." / "Anglais (B2)".
                    after = piece[m.end() :].lstrip()
                    if not in_section and (i > 0 or not after.startswith((":", "(", "-", "–"))):
                        continue
                    level = _level(after)
                    start = line.start + piece_start + m.start()
                    out.setdefault(
                        name, Language(name, level, Span(start, start + len(m.group()), m.group()))
                    )
                    break
            if in_section and (m2 := _SIGN_LANGUAGE.search(line.text)):
                start = line.start + m2.start()
                out.setdefault(
                    "langue des signes",
                    Language(
                        "langue des signes", None, Span(start, line.start + m2.end(), m2.group())
                    ),
                )
    return list(out.values())


def _level(after: str) -> str | None:
    """ ": courant (B2)" → "courant (B2)"; "(B2)" → "B2"."""
    level = after.lstrip(":-– ").strip(" .;")
    if level.startswith("(") and level.endswith(")") and level.count("(") == 1:
        level = level[1:-1]
    elif level.endswith(")") and "(" not in level:
        level = level[:-1]
    return level.strip() or None


def _pieces(line: str) -> list[tuple[int, str]]:
    """A languages line may list several: "Anglais (B2), espagnol (notions)"."""
    out, start = [], 0
    for m in re.finditer(r"[,;/•|]|\s[–-]\s", line):
        out.append((start, line[start : m.start()]))
        start = m.end()
    out.append((start, line[start:]))
    return [(s, p) for s, p in out if p.strip()]


def licences(text: str) -> list[tuple[str, Span]]:
    """Driving licence categories stated anywhere ("Permis B", "permis C et CE")."""
    found: dict[str, Span] = {}
    for m in _LICENCE.finditer(text):
        span = Span(m.start(), m.end(), m.group())
        for cat in _CATEGORY_RE.findall(m.group("cats")):
            found.setdefault(cat, span)
    for m in re.finditer(
        r"\bpermis\s+(poids lourds?|super lourd|vl|transport en commun)\b", text, re.IGNORECASE
    ):
        key = fold(m.group(1)).rstrip("s") if m.group(1).lower() != "vl" else "vl"
        cat = _LICENCE_WORDS.get(key)
        if cat:
            found.setdefault(cat, Span(m.start(), m.end(), m.group()))
    order = {
        "AM": 0,
        "A1": 1,
        "A2": 2,
        "A": 3,
        "B1": 4,
        "B": 5,
        "BE": 6,
        "C1": 7,
        "C1E": 8,
        "C": 9,
        "CE": 10,
        "D1": 11,
        "D1E": 12,
        "D": 13,
        "DE": 14,
    }
    return sorted(found.items(), key=lambda kv: order.get(kv[0], 99))


def trainings(sections: list[Section], today: date) -> list[Training]:
    """Each line of the education section, as written, with its year when stated."""
    out = []
    for section in sections:
        if section.type is not SectionType.EDUCATION:
            continue
        for line in section.lines:
            text = line.text.lstrip("•·▪►✓➢-* ").strip()
            if not text:
                continue
            period = find_period(text, today)
            year = None
            if period is not None:
                year = period.to_year or period.from_year
            out.append(Training(text, year, Span(line.start, line.end, line.text)))
    return out
