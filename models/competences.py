"""Competence extraction from free text (offers, CV sections), mapped up the ROME 4.0 tree.

1. Resolve the job (title resolver, with the text as context) and take the items the best
   fiches list: savoir-faire, savoirs, savoir-être, contextes de travail.
2. Cut the text into segments; drop boilerplate (company pitch, benefits, legal notices, how to
   apply) so it never yields competences.
3. An item is *found* when a segment contains most of its content words (French stems, so
   "installation" meets "installer"); its evidence is the span of those words. Savoir-être are
   found from their own cue words. A negation in the segment ("pas de permis") drops it; cue
   words set whether it is required or nice-to-have.
4. Rank: found items first, then the fiche's items by what recruiters pick: items ROME 4.0
   carried over from ROME v3, core ("Principale") items, items of the branches of the tree
   the fiche details most, earlier items of its lists; emerging ones last. Items not found
   are *suggested*: what the job usually asks.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from indexing.errors import ConfigError, InputTooLarge, InvalidInput
from indexing.referential import CoreLevel, Kind, Referential, TreePath
from indexing.textnorm import fold, gender_forms
from models import budgets
from models import configfile as cf
from models.configfile import Strict, section
from models.evidence import EvidenceRules, ItemMatcher, ReadText, Span
from models.segments import Segment, content_stems
from models.stages import timed
from models.statements import (
    Statement,
    StatementModel,
    StatementReader,
    best_per_span,
    clauses_of,
    span_of,
)
from models.titles import (
    MAX_CONTEXT_CHARS,
    MAX_TITLE_CHARS,
    TitleQuery,
    TitleResolution,
    TitleResolver,
)

CERTIFICATIONS = "Certifications et habilitations"
STATED_TIE = 0.01  # a statement's probability only breaks ties between equal priors


@dataclass(frozen=True, slots=True)
class ExtractionConfig:
    top_fiches: int
    second_weight: float
    second_offset: float
    unsure_second_weight: float
    unsure_second_offset: float
    evidence: EvidenceRules
    found_bonus: dict[Kind, float]
    kind_prior: dict[Kind, float]
    level_prior: dict[CoreLevel, float]
    not_linked_prior: float
    order_decay: float
    legacy_below: int
    legacy_prior: float
    macro_breadth: float
    objectif_breadth: float
    required_cues: tuple[str, ...]
    optional_cues: tuple[str, ...]
    negation_cues: tuple[str, ...]
    qualification_cues: tuple[str, ...]
    savoir_etre_cues: dict[str, tuple[str, ...]]
    old_labels: dict[str, str]

    @classmethod
    def load(cls, path: Path | None = None) -> ExtractionConfig:
        with section("competences.yaml", path=path) as raw:
            ranking = raw["ranking"]
            return cls(
                top_fiches=cf.integer(raw["fiches"]["top"]),
                second_weight=cf.number(raw["fiches"]["second_weight"]),
                second_offset=cf.number(raw["fiches"]["second_offset"]),
                unsure_second_weight=cf.number(raw["fiches"]["unsure_second_weight"]),
                unsure_second_offset=cf.number(raw["fiches"]["unsure_second_offset"]),
                evidence=EvidenceRules(
                    min_coverage=cf.number(raw["evidence"]["min_coverage"]),
                    min_matched=cf.integer(raw["evidence"]["min_matched"]),
                    max_segments=cf.integer(raw["limits"]["max_segments"]),
                    boilerplate=tuple(re.compile(p) for p in raw["boilerplate"]),
                ),
                found_bonus=_per_kind(ranking["found_bonus"]),
                kind_prior=_per_kind(ranking["kind_prior"]),
                level_prior={
                    CoreLevel.PRINCIPALE: cf.number(ranking["principale"]),
                    CoreLevel.EMERGENTE: cf.number(ranking["emergente"]),
                    CoreLevel.LISTED: cf.number(ranking["listed"]),
                },
                not_linked_prior=cf.number(ranking["not_linked"]),
                order_decay=cf.number(ranking["order_decay"]),
                legacy_below=cf.integer(ranking["legacy"]["below"]),
                legacy_prior=cf.number(ranking["legacy"]["prior"]),
                macro_breadth=cf.number(ranking["breadth"]["macro"]),
                objectif_breadth=cf.number(ranking["breadth"]["objectif"]),
                required_cues=tuple(fold(c) for c in raw["required_cues"]),
                optional_cues=tuple(fold(c) for c in raw["optional_cues"]),
                negation_cues=tuple(fold(c) for c in raw["negation_cues"]),
                qualification_cues=tuple(fold(c) for c in raw["qualification_cues"]),
                savoir_etre_cues={
                    str(code): tuple(fold(c) for c in cues)
                    for code, cues in raw["savoir_etre"].items()
                },
                old_labels={fold(k): str(v) for k, v in raw["old_labels"].items()},
            )


def _per_kind(raw: Strict) -> dict[Kind, float]:
    """A value for every kind of item, none left to a default."""
    values = {Kind(k): cf.number(v) for k, v in raw.items()}
    if missing := [k.value for k in Kind if k is not Kind.APPELLATION and k not in values]:
        raise ConfigError(f"no value for {', '.join(missing)}")
    return values


@dataclass(frozen=True, slots=True)
class TaggedItem:
    code_ogr: str
    label: str
    kind: Kind  # competence, macro_competence, savoir_etre, savoir or contexte
    score: float
    found: bool  # evidenced in the text (spans) or only suggested by the fiche
    spans: tuple[Span, ...]
    required: bool | None  # True exigé, False souhaité/apprécié, None not said
    level: CoreLevel | None  # core/emerging/listed for the resolved fiche; None if not listed
    fiche: str | None  # the resolved fiche that lists it
    path: TreePath | None  # up the tree, for savoir-faire and savoir-être
    categorie: str | None  # savoirs: category; contextes: type
    transition_eco: bool | None
    transition_num: bool | None
    # How probable it is that the span states this item (or a sibling under its macro), by the
    # statement model, for items a clause states; None for items found by their words alone.
    probability: float | None = None
    # The clause's next most probable items, on request (`alternatives=`), best first.
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True, slots=True)
class Alternative:
    code_ogr: str
    label: str
    kind: Kind
    probability: float


@dataclass(frozen=True, slots=True)
class Aggregate:
    code: str
    label: str
    found: int
    suggested: int


@dataclass(frozen=True, slots=True)
class Extraction:
    job: TitleResolution | None
    found: tuple[TaggedItem, ...]
    suggested: tuple[TaggedItem, ...]
    negated: tuple[TaggedItem, ...]  # found but negated in the text ("pas de permis")
    by_macro: tuple[Aggregate, ...]
    by_enjeu: tuple[Aggregate, ...]
    boilerplate: tuple[Span, ...]  # segments ignored as company pitch, benefits, legal text

    def ranked(self, kinds: Sequence[Kind] = (Kind.COMPETENCE, Kind.SAVOIR)) -> list[TaggedItem]:
        """Found and suggested items of these kinds, best first (what evaluation ranks)."""
        items = [i for i in (*self.found, *self.suggested) if i.kind in kinds]
        return sorted(items, key=lambda i: -i.score)


@dataclass
class _Candidate:
    code: str
    prior: float
    level: CoreLevel
    fiche: str


class CompetenceExtractor:
    def __init__(
        self,
        referential: Referential,
        titles: TitleResolver,
        config: ExtractionConfig | None = None,
        matcher: ItemMatcher | None = None,
        statements: StatementReader | None = None,
        statement_model: StatementModel | None = None,
    ) -> None:
        self.ref = referential
        self.titles = titles
        self.config = config or ExtractionConfig.load()
        self.matcher = matcher or ItemMatcher(referential, self.config.evidence)
        # Every clause read against the whole referential (found beside the fiche's items).
        self.statements = statements
        self.statement_model = statement_model
        self._cue_stems = {
            code: tuple(content_stems(cue) for cue in cues)
            for code, cues in self.config.savoir_etre_cues.items()
        }
        # Certifications and licences ("Permis B", "CACES R489") are asked for whatever the
        # fiche lists: they are matched against every savoir of that category.
        self._certifications = {
            code: stems
            for code, s in referential.savoirs.items()
            if s.categorie == CERTIFICATIONS and (stems := content_stems(s.label))
        }
        self._breadth: dict[str, dict[str, float]] = {}
        self._cert_by_stem: dict[str, list[str]] = defaultdict(list)
        for code, stems in self._certifications.items():
            self._cert_by_stem[stems[0]].append(code)
        # Savoirs named after a job ("Cuisinier", "Barman": titles one can hold) are the
        # qualification, not the person: "sous la responsabilité du chef cuisinier" does not
        # ask for it. They are found only where the text speaks of a qualification.
        job_names = {
            fold(form)
            for label in (
                *(a.label for a in referential.appellations.values()),
                *(f.label for f in referential.fiches.values()),
            )
            for form in gender_forms(label)
        }
        self._job_named = frozenset(
            code for code, s in referential.savoirs.items() if fold(s.label) in job_names
        )

    # --- candidates ---------------------------------------------------------------------------

    def _candidates(self, job: TitleResolution | None) -> dict[str, _Candidate]:
        out: dict[str, _Candidate] = {}
        if job is None:
            return out
        c = self.config
        # When the resolver abstains, its second fiche is nearly as likely as its first.
        second = (
            (c.unsure_second_weight, c.unsure_second_offset)
            if job.abstained
            else (c.second_weight, c.second_offset)
        )
        for rank, cand in enumerate(job.candidates[: c.top_fiches]):
            weight, offset = (1.0, 0.0) if rank == 0 else second
            links = self.ref.links[cand.fiche.code_rome]
            breadth = self._breadth_prior(cand.fiche.code_rome)
            groups = [links.savoir_faire, links.savoirs, links.contextes]
            if rank == 0:  # savoir-être of the best fiche only (measured: F1 0.45 → 0.49)
                groups.append(links.savoir_etre)
            for group in groups:
                for position, code in enumerate(group):
                    level = links.level(code)
                    kind_prior = c.kind_prior[self.ref.kind_of(code)]
                    legacy = c.legacy_prior if _ogr(code) < c.legacy_below else 0.0
                    structure = legacy + breadth.get(code, 0.0)
                    prior = (
                        weight * (c.level_prior[level] + structure - c.order_decay * position)
                        - offset
                        + kind_prior
                    )
                    if code not in out or prior > out[code].prior:
                        out[code] = _Candidate(code, prior, level, cand.fiche.code_rome)
        return out

    def _breadth_prior(self, code_rome: str) -> dict[str, float]:
        """Per savoir-faire of the fiche: `macro_breadth` × log of how many of the fiche's
        savoir-faire share its macro-compétence, plus `objectif_breadth` × log of how many
        share its objectif. What the fiche details through many items is central to the job,
        and recruiters choose from it."""
        cached = self._breadth.get(code_rome)
        if cached is None:
            sf = [x for x in self.ref.links[code_rome].savoir_faire if x in self.ref.competences]
            paths = {x: self.ref.path(x) for x in sf}
            macros = Counter(p.macro.code_ogr for p in paths.values())
            objectifs = Counter(p.objectif.code for p in paths.values())
            c = self.config
            cached = self._breadth[code_rome] = {
                x: c.macro_breadth * math.log(macros[p.macro.code_ogr])
                + c.objectif_breadth * math.log(objectifs[p.objectif.code])
                for x, p in paths.items()
            }
        return cached

    # --- evidence -----------------------------------------------------------------------------

    def _certifications_in(self, segments: Sequence[Segment]) -> set[str]:
        """Certifications all of whose words appear in one segment."""
        out: set[str] = set()
        for seg in segments:
            stems = {w.stem for w in seg.words}
            for first in stems:
                for code in self._cert_by_stem.get(first, ()):
                    if all(
                        st in stems for st in self._certifications[code]
                    ) and self._readable_here(code, seg):
                        out.add(code)
        return out

    def _exigence(self, seg: Segment) -> bool | None:
        # Cues match word starts, so "apprécié" also covers "appréciées".
        text = f" {seg.folded} "
        if any(f" {cue}" in text for cue in self.config.required_cues):
            return True
        if any(f" {cue}" in text for cue in self.config.optional_cues):
            return False
        return None

    def _readable_here(self, code: str, seg: Segment) -> bool:
        """A savoir named after a job is read only where the segment speaks of a qualification."""
        return code not in self._job_named or _says_any(seg, self.config.qualification_cues)

    def _negated(self, seg: Segment) -> bool:
        return _says_any(seg, self.config.negation_cues)

    def _savoir_etre_match(self, code: str, seg: Segment) -> Span | None:
        text = f" {seg.folded} "
        for cue, stems in zip(
            self.config.savoir_etre_cues.get(code, ()), self._cue_stems.get(code, ()), strict=True
        ):
            if f" {cue} " not in text:
                continue
            words = [w for w in seg.words if w.stem in stems]
            if words:
                return Span(min(w.start for w in words), max(w.end for w in words), "")
            return Span(seg.start, seg.end, "")
        return None

    # --- main ---------------------------------------------------------------------------------

    @timed("offers.tag")
    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        job: TitleResolution | None = None,
        min_probability: float | None = None,
        read_clauses: bool = True,
        read: ReadText | None = None,
        alternatives: int = 0,
    ) -> Extraction:
        """Tag one document. `job` may be given (e.g. a CV experience already resolved).
        `min_probability` sets how sure a clause's statement must be to be found (default:
        the statement model's threshold, fitted for precision); without `read_clauses` only
        the fiche-bound reading runs (a CV's header names a person and a title, no skill).
        `read` is the text already cut into segments, when the caller has it; each item a
        clause states comes with up to `alternatives` other items the clause may mean."""
        c = self.config
        if len(text) > budgets.TEXT_CHARS:
            raise InputTooLarge(
                f"text is {len(text)} characters; send at most {budgets.TEXT_CHARS}"
            )
        if not fold(text) and not (title and fold(title)):
            raise InvalidInput("text is empty; send the offer or CV text in 'text'")
        if read is None:
            read = self.matcher.read(text)
        if job is None:
            job = self._resolve_job(text, title, read)
        useful, boilerplate = read.useful, read.boilerplate
        candidates = self._candidates(job)
        for code in self._certifications_in(useful):
            if code not in candidates:
                candidates[code] = _Candidate(code, c.kind_prior[Kind.SAVOIR], CoreLevel.LISTED, "")
        # Savoir-être are few and cue-based: look for all 16, linked to the fiche or not.
        for code in c.savoir_etre_cues:
            if code not in candidates and code in self.ref.macros:
                candidates[code] = _Candidate(code, -1.0, CoreLevel.LISTED, "")

        # Cue words belong to the segment, not the item: read them once per segment.
        per_segment = [(seg, self._negated(seg), self._exigence(seg)) for seg in useful]
        found, suggested, negated = [], [], []
        for cand in candidates.values():
            kind = self.ref.kind_of(cand.code)
            spans: list[Span] = []
            best = 0.0
            required: bool | None = None
            is_negated = False
            # Items whose words the text lacks altogether are not compared segment by segment.
            readable = kind is Kind.SAVOIR_ETRE or self.matcher.possible(cand.code, read.stems)
            for seg, seg_negated, exigence in per_segment if readable else ():
                if kind is Kind.SAVOIR_ETRE:
                    span = self._savoir_etre_match(cand.code, seg)
                    hit = (1.0, span) if span else None
                else:
                    hit = self.matcher.match(cand.code, seg)
                if hit is None:
                    continue
                coverage, span = hit
                if not self._readable_here(cand.code, seg):
                    continue
                span = Span(span.start, span.end, text[span.start : span.end])
                if seg_negated:
                    is_negated = True
                    continue
                spans.append(span)
                best = max(best, coverage)
                if exigence is not None:
                    required = exigence if required is None else (required or exigence)
            item = self._item(cand, kind, spans, best, required)
            if spans:
                found.append(item)
            elif is_negated:
                negated.append(item)
            elif cand.fiche:  # unlinked items are only reported when found
                suggested.append(item)
        if read_clauses and self.statements is not None and self.statement_model is not None:
            stated = self._stated(
                text,
                useful,
                boilerplate,
                candidates,
                per_segment,
                found,
                negated,
                min_probability,
                alternatives,
            )
            found.extend(stated)
            taken = {i.code_ogr for i in stated}
            suggested = [i for i in suggested if i.code_ogr not in taken]
        found.sort(key=lambda i: -i.score)
        suggested.sort(key=lambda i: -i.score)
        return Extraction(
            job=job,
            found=tuple(found),
            suggested=tuple(suggested),
            negated=tuple(negated),
            by_macro=aggregate(found, suggested, by_macro),
            by_enjeu=aggregate(found, suggested, by_enjeu),
            boilerplate=tuple(Span(s.start, s.end, s.text) for s in boilerplate),
        )

    def _stated(
        self,
        text: str,
        useful: Sequence[Segment],
        boilerplate: Sequence[Segment],
        candidates: dict[str, _Candidate],
        per_segment: Sequence[tuple[Segment, bool, bool | None]],
        found: Sequence[TaggedItem],
        negated: Sequence[TaggedItem],
        min_probability: float | None,
        alternatives: int = 0,
    ) -> list[TaggedItem]:
        """Items the clauses state that the fiche-bound reading did not find: each clause's
        most probable candidate, kept when the statement model puts it at `floor` or above."""
        assert self.statements is not None and self.statement_model is not None
        reader, model = self.statements, self.statement_model
        floor = model.threshold if min_probability is None else min_probability
        linked = frozenset(code for code, cand in candidates.items() if cand.fiche)
        cues = {seg.start: (neg, exigence) for seg, neg, exigence in per_segment}
        scored = [
            (st, model.probability(st))
            for st in reader.read(clauses_of(useful, boilerplate), linked)
        ]
        statements = [(st, p) for st, p in scored if p >= floor]
        by_clause: dict[tuple[int, int], list[tuple[Statement, float]]] = defaultdict(list)
        for st, p in scored:
            by_clause[(st.clause.start, st.clause.end)].append((st, p))
        have = {i.code_ogr for i in (*found, *negated)}
        out = []
        for st, p in best_per_span(statements):
            neg, exigence = cues.get(st.clause.segment.start, (False, None))
            if st.code in have or neg:
                continue
            # Ranked where the fiche puts it (what it would rank as suggested), so that reading
            # the clauses changes what is found, not what the job is judged to ask most.
            cand = candidates.get(st.code) or _Candidate(
                st.code, self.config.not_linked_prior, CoreLevel.LISTED, ""
            )
            item = self._item(cand, st.kind, [span_of(st, text)], 0.0, exigence)
            others = by_clause[(st.clause.start, st.clause.end)] if alternatives else []
            out.append(
                replace(
                    item,
                    score=round(cand.prior + STATED_TIE * p, 4),
                    probability=round(p, 4),
                    alternatives=self._alternatives(st.code, others, alternatives),
                )
            )
        return out

    def _alternatives(
        self, chosen: str, candidates: Sequence[tuple[Statement, float]], n: int
    ) -> tuple[Alternative, ...]:
        best: dict[str, tuple[Statement, float]] = {}
        for st, p in candidates:
            if st.code != chosen and (st.code not in best or p > best[st.code][1]):
                best[st.code] = (st, p)
        ranked = sorted(best.values(), key=lambda sp: -sp[1])[:n]
        return tuple(
            Alternative(st.code, self.ref.label_of(st.code), st.kind, round(p, 4))
            for st, p in ranked
        )

    def statement_candidates(self, text: str, title: str | None = None) -> list[Statement]:
        """Every clause's nearest item before the statement model decides (what the model is
        fitted on: `evaluation/statements_fit.py`)."""
        assert self.statements is not None
        read = self.matcher.read(text)
        job = self._resolve_job(text, title, read)
        linked = frozenset(code for code, cand in self._candidates(job).items() if cand.fiche)
        return self.statements.read(clauses_of(read.useful, read.boilerplate), linked)

    def suggestions(self, job: TitleResolution) -> tuple[TaggedItem, ...]:
        """What the job's fiches list, best first, with no text read (no spans)."""
        items = [
            self._item(cand, self.ref.kind_of(cand.code), [], 0.0, None)
            for cand in self._candidates(job).values()
        ]
        return tuple(sorted(items, key=lambda i: -i.score))

    def extract_many(
        self,
        documents: Sequence[tuple[str, str | None]],
        max_chars: int | None = None,
        min_probability: Sequence[float | None] | None = None,
        alternatives: Sequence[int] | None = None,
    ) -> list[Extraction]:
        """Tag (text, title) pairs; the job queries are encoded together first, in bulk. An
        error names the position of the document; `max_chars` bounds the texts' total."""
        if max_chars is not None:
            budgets.check(
                sum(len(text) for text, _ in documents),
                max_chars,
                "the texts' total length",
                "send the offers in smaller batches",
            )
        reads = [self.matcher.read(text) for text, _ in documents]
        pairs = zip(documents, reads, strict=True)
        self.titles.prime([self.job_query(text, title, read) for (text, title), read in pairs])
        if self.statements is not None:
            self.statements.prime(
                [c.text for r in reads for c in clauses_of(r.useful, r.boilerplate)]
            )
        out = []
        for i, (text, title) in enumerate(documents):
            try:
                floor = min_probability[i] if min_probability else None
                out.append(
                    self.extract(
                        text,
                        title,
                        min_probability=floor,
                        read=reads[i],
                        alternatives=alternatives[i] if alternatives else 0,
                    )
                )
            except (InvalidInput, InputTooLarge) as exc:
                raise type(exc)(f"offers[{i}]: {exc}") from None
        return out

    @staticmethod
    def job_query(text: str, title: str | None, read: ReadText | None = None) -> TitleQuery:
        if not (title and fold(title)):
            # No title: the first line usually names the job.
            title = next((line for line in text.splitlines() if fold(line)), "")
        # The resolver reads at most MAX_CONTEXT_CHARS of a description; a longer document
        # (tagging accepts up to `budgets.TEXT_CHARS`) is judged on its start.
        description = text if len(text) <= MAX_CONTEXT_CHARS else text[:MAX_CONTEXT_CHARS]
        within = read.within(MAX_CONTEXT_CHARS) if read is not None else None
        return TitleQuery(title[:MAX_TITLE_CHARS], description, read=within)

    def _resolve_job(
        self, text: str, title: str | None, read: ReadText | None = None
    ) -> TitleResolution | None:
        try:
            return self.titles.resolve(self.job_query(text, title, read), k=5)
        except InvalidInput:
            if title and fold(title):
                raise
            return None

    def _item(
        self,
        cand: _Candidate,
        kind: Kind,
        spans: list[Span],
        coverage: float,
        required: bool | None,
    ) -> TaggedItem:
        ref = self.ref
        bonus = self.config.found_bonus[kind] * coverage if spans else 0.0
        score = cand.prior + bonus
        path = (
            ref.path(cand.code)
            if kind in (Kind.COMPETENCE, Kind.MACRO_COMPETENCE, Kind.SAVOIR_ETRE)
            else None
        )
        categorie = None
        eco = num = None
        if kind is Kind.SAVOIR:
            s = ref.savoirs[cand.code]
            categorie, eco, num = s.categorie, s.transition_eco, s.transition_num
        elif kind is Kind.CONTEXTE:
            categorie = ref.contextes[cand.code].type_label
        elif kind is Kind.COMPETENCE:
            comp = ref.competences[cand.code]
            eco, num = comp.transition_eco, comp.transition_num
        elif cand.code in ref.macros:
            macro = ref.macros[cand.code]
            eco, num = macro.transition_eco, macro.transition_num
        return TaggedItem(
            code_ogr=cand.code,
            label=ref.label_of(cand.code),
            kind=kind,
            score=round(score, 4),
            found=bool(spans),
            spans=tuple(spans),
            required=required,
            level=cand.level if cand.fiche else None,
            fiche=cand.fiche or None,
            path=path,
            categorie=categorie,
            transition_eco=eco,
            transition_num=num,
        )


def by_macro(path: TreePath) -> tuple[str, str]:
    return path.macro.code_ogr, path.macro.label


def by_enjeu(path: TreePath) -> tuple[str, str]:
    return path.enjeu.code, path.enjeu.label


def aggregate(
    found: Sequence[TaggedItem],
    suggested: Sequence[TaggedItem],
    key: Callable[[TreePath], tuple[str, str]],
) -> tuple[Aggregate, ...]:
    """Found and suggested counts per tree node (macro-compétence, enjeu), most found first."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for items, slot in ((found, 0), (suggested, 1)):
        for item in items:
            if item.path is not None:
                counts[key(item.path)][slot] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0][0]))
    return tuple(Aggregate(code, label, f, s) for (code, label), (f, s) in ordered)


def _ogr(code: str) -> int:
    """code_ogr as a number (codes are digits; anything else counts as new)."""
    return int(code) if code.isdigit() else 1 << 62


def _says_any(seg: Segment, cues: Sequence[str]) -> bool:
    """Whether the segment holds one of these folded cues as whole words."""
    text = f" {seg.folded} "
    return any(f" {cue} " in text for cue in cues)
