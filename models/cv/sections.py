"""Find a CV's sections from its headings, keeping character offsets into the text.

A heading is a short line whose words are a known heading ("Expériences professionnelles",
"PARCOURS PROFESSIONNEL", "Centres d'intérêt :"), or a known heading followed by a colon and
content on the same line ("Langues : anglais, espagnol"). Text before the first heading is the
header (name, contact, headline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from indexing.textnorm import fold


class SectionType(StrEnum):
    HEADER = "header"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    LANGUAGES = "languages"
    INTERESTS = "interests"


_HEADINGS: dict[SectionType, tuple[str, ...]] = {
    SectionType.EXPERIENCE: (
        "experience",
        "experiences",
        "experience professionnelle",
        "experiences professionnelles",
        "parcours professionnel",
        "parcours",
        "emplois",
        "emplois occupes",
        "postes occupes",
        "historique professionnel",
        "carriere",
        "experience pro",
        "experiences pro",
        "work experience",
        "experience",
    ),
    SectionType.EDUCATION: (
        "formation",
        "formations",
        "diplome",
        "diplomes",
        "diplomes et formations",
        "formations et diplomes",
        "formation et diplomes",
        "formation et certifications",
        "formations et certifications",
        "permis et formations",
        "etudes",
        "cursus",
        "certifications",
        "scolarite",
        "education",
        "formation professionnelle",
    ),
    SectionType.SKILLS: (
        "competences",
        "competence",
        "competences techniques",
        "competences cles",
        "competences professionnelles",
        "savoir faire",
        "savoir etre",
        "aptitudes",
        "informatique",
        "logiciels",
        "outils",
        "qualites",
        "atouts",
        "points forts",
        "skills",
        "competences et qualites",
        "domaines de competences",
    ),
    SectionType.LANGUAGES: ("langues", "langue", "langues etrangeres", "languages"),
    SectionType.INTERESTS: (
        "centres d interet",
        "centre d interet",
        "centres d interets",
        "loisirs",
        "passions",
        "interets",
        "hobbies",
        "activites extra professionnelles",
        "vie associative",
        "engagements",
        "activites",
    ),
    SectionType.SUMMARY: (
        "profil",
        "profil professionnel",
        "resume",
        "a propos",
        "a propos de moi",
        "objectif",
        "objectif professionnel",
        "presentation",
        "synthese",
        "en bref",
        "qui suis je",
    ),
}
_BY_WORDS = {
    tuple(fold(h).split()): section
    for section, names in _HEADINGS.items()
    for name in names
    for h in (name,)
}
_MAX_HEADING_WORDS = max(len(k) for k in _BY_WORDS)
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    type: SectionType
    heading: str | None  # as written
    start: int  # offsets of the content (after the heading)
    end: int
    lines: tuple[Line, ...]

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


def heading_of(line: str) -> tuple[SectionType, int] | None:
    """The section a line opens, and where its own content starts (after "Langues :")."""
    head, colon, _rest = line.partition(":")
    words = tuple(fold(head).split())
    if not words or len(words) > _MAX_HEADING_WORDS:
        return None
    section = _BY_WORDS.get(words)
    if section is None:
        return None
    if colon:
        rest_at = len(head) + 1
        return section, rest_at + (len(line) - rest_at - len(line[rest_at:].lstrip()))
    return section, len(line)


def split_sections(text: str) -> list[Section]:
    sections: list[Section] = []
    current_type, current_heading = SectionType.HEADER, None
    current_start = 0
    lines: list[Line] = []

    def close(end: int) -> None:
        if lines or current_type is not SectionType.HEADER:
            start = lines[0].start if lines else current_start
            sections.append(
                Section(current_type, current_heading, start, max(end, start), tuple(lines))
            )

    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        found = heading_of(stripped)
        if found is not None:
            close(lines[-1].end if lines else start)
            current_type, content_at = found
            current_heading = stripped[:content_at].rstrip(" :")
            current_start, lines = start + content_at, []
            if content_at < len(stripped):  # "Langues : anglais courant"
                lines.append(Line(start + content_at, start + len(stripped), stripped[content_at:]))
            continue
        lines.append(Line(start, start + len(stripped), stripped))
    close(lines[-1].end if lines else len(text))
    return sections
