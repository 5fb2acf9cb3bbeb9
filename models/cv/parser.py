"""From a CV's text to a competence profile.

1. Sections from headings (`sections.py`).
2. Experiences: in the experience section, entries are anchored on their periods
   ("2019 – aujourd'hui"); the rest of the entry's first line(s) is split into title, employer
   and place; bullets and lines below are the entry's description.
3. Each experience's title is resolved with its description as context; its competences are
   extracted from its own text with that job, so "Réaliser les soins" under "Aide-soignante"
   is tagged against the aide-soignant fiche.
4. Skills, summary and education are tagged against the jobs of the experiences (or the
   headline when there are none); certifications and savoir-être are found anywhere.
5. The profile merges what was found (with spans into the text and where it came from) and
   keeps apart what the main job usually also requires (suggested, no span).

Nothing here logs or stores the CV.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from indexing.errors import InvalidInput
from indexing.referential import Kind
from indexing.textnorm import fold
from models.competences import (
    Aggregate,
    CompetenceExtractor,
    TaggedItem,
    aggregate,
    by_enjeu,
    by_macro,
)
from models.cv.dates import Period, find_period, has_range, strip_periods
from models.cv.facts import Language, Training, languages, licences, trainings
from models.cv.reading import (
    CVDocument,
    DocFormat,
    detect_format,
    read_document,
    text_document,
)
from models.cv.sections import Line, Section, SectionType, split_sections
from models.evidence import Span
from models.lru import private
from models.stages import timed
from models.titles import MAX_TITLE_CHARS, TitleQuery, TitleResolution, TitleResolver

_BULLETS = "•·▪►✓➢*-–—o"
_PARTS = re.compile(r"\s*(?:\||–|—|\s-\s|,|;|\bchez\b|@|\bat\b)\s*", re.IGNORECASE)
_PLACE = re.compile(r"\(([^()]{2,40})\)\s*$")
# A second part only wins the title if the resolver is this much surer of it.
TITLE_MARGIN = 0.15
SUGGESTED = 15  # suggested items kept in the profile (what the main job usually also needs)


@dataclass(frozen=True, slots=True)
class Experience:
    title: str  # as written
    title_span: Span
    employer: str | None
    place: str | None
    period: Period | None
    start_date: str | None  # "2019-03" / "2019"
    end_date: str | None  # None when ongoing or unknown
    ongoing: bool
    months: int | None
    span: Span  # the whole entry
    job: TitleResolution | None
    competences: tuple[TaggedItem, ...]  # found in this entry's text


@dataclass(frozen=True, slots=True)
class ProfileItem:
    item: TaggedItem
    sources: tuple[str, ...]  # "experience[0]", "skills", "summary", ...


@dataclass(frozen=True, slots=True)
class SectionOut:
    type: SectionType
    heading: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class CVParse:
    format: DocFormat
    pages: int | None
    text: str  # every span points into this text
    sections: tuple[SectionOut, ...]
    experiences: tuple[Experience, ...]
    found: tuple[ProfileItem, ...]
    suggested: tuple[TaggedItem, ...]
    by_macro: tuple[Aggregate, ...]
    by_enjeu: tuple[Aggregate, ...]
    languages: tuple[Language, ...]
    licences: tuple[tuple[str, Span], ...]
    trainings: tuple[Training, ...]
    total_months: int | None = field(default=None)

    def ranked(self, kinds: Sequence[Kind] = (Kind.COMPETENCE, Kind.MACRO_COMPETENCE)) -> list[str]:
        """Codes found then suggested, best first (what evaluation ranks)."""
        found = [p.item for p in self.found if p.item.kind in kinds]
        found.sort(key=lambda i: -i.score)
        rest = [i for i in self.suggested if i.kind in kinds]
        return [i.code_ogr for i in (*found, *rest)]


@dataclass
class _Entry:
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    period_line: Line | None = None


DocumentReader = Callable[[bytes, DocFormat], CVDocument]


class CVParser:
    """`reader` turns a file's bytes into text: in the service, `IsolatedReader.read` (worker
    processes with hard limits); by default the same readers in this process."""

    def __init__(
        self,
        titles: TitleResolver,
        competences: CompetenceExtractor,
        reader: DocumentReader = read_document,
    ) -> None:
        self.titles = titles
        self.competences = competences
        self.reader = reader

    def parse_bytes(
        self,
        data: bytes,
        content_type: str | None,
        filename: str | None = None,
        today: date | None = None,
    ) -> CVParse:
        fmt = detect_format(data, content_type, filename)
        return self.parse_document(self.reader(data, fmt), today)

    def parse_text(self, text: str, today: date | None = None) -> CVParse:
        return self.parse_document(text_document(text), today)

    @timed("cv.parse")
    def parse_document(self, doc: CVDocument, today: date | None = None) -> CVParse:
        # CVs are personal data: the caches keep what this parse encodes and reads to itself.
        with private():
            return self._parse(doc, today or date.today())

    def _parse(self, doc: CVDocument, today: date) -> CVParse:
        text = doc.text
        sections = split_sections(text)
        entries = [
            (i, e)
            for i, s in enumerate(sections)
            if s.type is SectionType.EXPERIENCE
            for e in _entries(s.lines)
        ]
        experiences = self._experiences(text, [e for _, e in entries], today)
        found: dict[str, tuple[TaggedItem, list[str]]] = {}
        for n, exp in enumerate(experiences):
            for item in exp.competences:
                _merge(found, item, f"experience[{n}]")
        jobs = [e.job for e in experiences if e.job is not None and e.job.best is not None]
        if not jobs:
            headline = self._headline_job(text, sections)
            jobs = [headline] if headline is not None else []
        suggested: list[TaggedItem] = []
        other_types = (
            SectionType.SKILLS,
            SectionType.SUMMARY,
            SectionType.EDUCATION,
            SectionType.HEADER,
        )
        # Sections outside experiences: tagged against the CV's distinct jobs (most recent first).
        distinct = list({j.best.fiche.code_rome: j for j in jobs if j.best}.values())[:3]
        section_jobs: list[TitleResolution | None] = [*distinct] or [None]
        for section in sections:
            if section.type not in other_types or not section.lines:
                continue
            for job in section_jobs:
                # The header's lines are a name, contacts and a title: no clause states a skill.
                clauses = section.type is not SectionType.HEADER
                for item in self._tag(text, section.start, section.end, None, job, clauses):
                    _merge(found, item, section.type.value)
        if distinct:
            suggested = [
                i for i in self.competences.suggestions(distinct[0]) if i.code_ogr not in found
            ][:SUGGESTED]
        items = sorted((i for i, _ in found.values()), key=lambda i: -i.score)
        profile = tuple(ProfileItem(i, tuple(found[i.code_ogr][1])) for i in items)
        months = [e.months for e in experiences if e.months is not None]
        return CVParse(
            format=doc.format,
            pages=doc.pages,
            text=text,
            sections=tuple(
                SectionOut(s.type, s.heading, Span(s.start, s.end, "")) for s in sections
            ),
            experiences=tuple(experiences),
            found=profile,
            suggested=tuple(suggested),
            by_macro=aggregate(items, suggested, by_macro),
            by_enjeu=aggregate(items, suggested, by_enjeu),
            languages=tuple(languages(sections)),
            licences=tuple(licences(text)),
            trainings=tuple(trainings(sections, today)),
            total_months=sum(months) if months else None,
        )

    # --- experiences --------------------------------------------------------------------------

    def _experiences(self, text: str, entries: list[_Entry], today: date) -> list[Experience]:
        heads = [_header_parts(e, today) for e in entries]
        descriptions = [_description(text, e) for e in entries]
        # Which part is the title: ask the resolver about the first two parts, in one batch.
        self.titles.prime(
            [TitleQuery(p[:MAX_TITLE_CHARS]) for parts, _ in heads for p, _ in parts[:2]]
        )
        chosen = []
        for entry, (parts, period), description in zip(entries, heads, descriptions, strict=True):
            if not parts:
                continue
            title_at = 0
            if len(parts) > 1:
                scores = [self._confidence(p) for p, _ in parts[:2]]
                if scores[1] > scores[0] + TITLE_MARGIN:
                    title_at = 1
            chosen.append((entry, parts, title_at, period, description))
        # Every title's description context, encoded in one batch too.
        queries = self.titles.prime(
            [TitleQuery(parts[i][0][:MAX_TITLE_CHARS], d) for _, parts, i, _, d in chosen]
        )
        return [self._experience(text, *c, q) for c, q in zip(chosen, queries, strict=True)]

    def _experience(
        self,
        text: str,
        entry: _Entry,
        parts: list[tuple[str, Span]],
        title_at: int,
        period: Period | None,
        description: str | None,
        query: TitleQuery,
    ) -> Experience:
        title, title_span = parts[title_at]
        others = [p for i, (p, _) in enumerate(parts) if i != title_at]
        employer = others[0] if others else None
        place = others[1] if len(others) > 1 else None
        if employer and (m := _PLACE.search(employer)):
            employer, place = employer[: m.start()].strip() or None, m.group(1).strip()
        job = self._resolve_query(query)
        start = min(ln.start for ln in (*entry.header, *entry.body))
        end = max(ln.end for ln in (*entry.header, *entry.body))
        return Experience(
            title=title,
            title_span=title_span,
            employer=employer,
            place=place,
            period=period,
            start_date=_ym(period.from_year, period.from_month) if period else None,
            end_date=_ym(period.to_year, period.to_month) if period else None,
            ongoing=bool(period and period.ongoing),
            months=period.months if period else None,
            span=Span(start, end, ""),
            job=job,
            competences=self._tag(text, start, end, title, job),
        )

    def _confidence(self, title: str) -> float:
        try:
            best = self.titles.resolve(TitleQuery(title[:MAX_TITLE_CHARS]), k=1).best
        except InvalidInput:
            return 0.0
        return best.score if best else 0.0

    def _resolve(self, title: str, description: str | None) -> TitleResolution | None:
        return self._resolve_query(TitleQuery(title[:MAX_TITLE_CHARS], description))

    def _resolve_query(self, query: TitleQuery) -> TitleResolution | None:
        try:
            return self.titles.resolve(query, k=5)
        except InvalidInput:
            return None

    def _headline_job(self, text: str, sections: list[Section]) -> TitleResolution | None:
        header = next((s for s in sections if s.type is SectionType.HEADER), None)
        if header is None:
            return None
        # The headline is usually the header's second line (after the name).
        for line in header.lines[1:3]:
            job = self._resolve(line.text, None)
            if job is not None and not job.abstained:
                return job
        return None

    def _tag(
        self,
        text: str,
        start: int,
        end: int,
        title: str | None,
        job: TitleResolution | None,
        read_clauses: bool = True,
    ) -> tuple[TaggedItem, ...]:
        """Items found in text[start:end], their spans moved to the CV's offsets."""
        piece = text[start:end]
        if not fold(piece):
            return ()
        extraction = self.competences.extract(piece, title, job=job, read_clauses=read_clauses)
        return tuple(_shift(i, start, text) for i in extraction.found)


def _shift(item: TaggedItem, offset: int, text: str) -> TaggedItem:
    spans = tuple(
        Span(s.start + offset, s.end + offset, text[s.start + offset : s.end + offset])
        for s in item.spans
    )
    return replace(item, spans=spans)


def _merge(found: dict[str, tuple[TaggedItem, list[str]]], item: TaggedItem, source: str) -> None:
    if item.code_ogr not in found:
        found[item.code_ogr] = (item, [source])
        return
    kept, sources = found[item.code_ogr]
    if source not in sources:
        sources.append(source)
    spans = tuple(dict.fromkeys((*kept.spans, *item.spans)))
    best = item if item.score > kept.score else kept
    found[item.code_ogr] = (replace(best, spans=spans), sources)


def _ym(year: int | None, month: int | None) -> str | None:
    if year is None:
        return None
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _is_bullet(line: Line) -> bool:
    t = line.text
    return len(t) > 1 and t[0] in _BULLETS and (t[1] == " " or t[0] in "•·▪►✓➢")


def _entries(lines: Sequence[Line]) -> list[_Entry]:
    """Group an experience section's lines into entries, anchored on their periods.

    Two layouts exist: the period on the entry's first line ("2019 – 2021 Vendeuse, Zara") or
    on a later header line ("Vendeuse" then "Zara — 2019 – 2021"). The first entry tells which:
    in the second layout a plain line followed by a dated line opens the next entry; in the
    first, plain lines are description."""
    entries: list[_Entry] = []
    date_first: bool | None = None
    plain = [ln for ln in lines if not _is_bullet(ln)]
    dated = {id(ln) for ln in plain if has_range(ln.text) or _duration_only(ln.text)}
    following = {id(a): b for a, b in itertools.pairwise(plain)}
    for line in lines:
        current = entries[-1] if entries else None
        if _is_bullet(line):
            if current is None:
                current = _Entry()
                entries.append(current)
            current.body.append(line)
            continue
        if id(line) in dated:
            if current is not None and current.period_line is None and not current.body:
                current.header.append(line)
                current.period_line = line
                date_first = False if date_first is None else date_first
            else:
                entries.append(_Entry([line], [], line))
                date_first = True if date_first is None else date_first
            continue
        nxt = following.get(id(line))
        if current is None:
            entries.append(_Entry([line], []))
        elif current.period_line is None and not current.body:
            current.header.append(line)  # a multi-line header: title, then employer
        elif current.period_line is None or (
            date_first is False and nxt is not None and id(nxt) in dated
        ):
            # An undated entry ended with its bullets, or the next entry's title.
            entries.append(_Entry([line], []))
        else:
            current.body.append(line)
    return [e for e in entries if e.header]


def _duration_only(line: str) -> bool:
    p = find_period(line, date(2000, 1, 1))
    return p is not None and p.from_year is None and p.months is not None and len(line) < 80


def _header_parts(entry: _Entry, today: date) -> tuple[list[tuple[str, Span]], Period | None]:
    """The header's parts (title, employer, place) with spans, and its period."""
    period = None
    parts: list[tuple[str, Span]] = []
    for line in entry.header:
        text = line.text
        if line is entry.period_line:
            period = find_period(text, today)
            text = strip_periods(text)
        position = 0
        for piece in _PARTS.split(text):
            clean = _trim(piece)
            at = line.text.find(clean, position) if clean else -1
            if len(clean) < 2 or not re.search(r"[^\W\d_]{2}", clean):
                continue
            position = at + len(clean) if at >= 0 else position
            start = line.start + max(at, 0)
            parts.append((clean, Span(start, start + len(clean), clean)))
    return parts, period


def _trim(piece: str) -> str:
    """Strip separators and unbalanced brackets, keep "(ASH)" and "(Rennes)"."""
    clean = piece.strip(" :.-–—|*")
    if clean.startswith("(") and ")" not in clean:
        clean = clean[1:].strip()
    if clean.endswith(")") and "(" not in clean:
        clean = clean[:-1].strip()
    return clean


def _description(text: str, entry: _Entry) -> str | None:
    if not entry.body:
        return None
    return text[entry.body[0].start : entry.body[-1].end]
