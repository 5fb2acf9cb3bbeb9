"""HTTP request/response schemas, separate from the domain dataclasses they present."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Self, TypeVar

from pydantic import BaseModel, Field

from indexing.referential import (
    Appellation,
    Competence,
    Contexte,
    Fiche,
    Kind,
    MacroCompetence,
    Referential,
    Savoir,
    TreePath,
)
from models import budgets
from models.autocomplete import Suggestion
from models.browse import FicheView, LinkedCompetence, MacroView
from models.competences import Extraction, TaggedItem
from models.runtime import SearchResult
from models.titles import TitleResolution

ATTRIBUTION = (
    "Source: France Travail, Répertoire Opérationnel des Métiers et des Emplois (ROME 4.0)"
)


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    release: str
    referential_checksum: str
    encoder: str
    encoder_fingerprint: str
    index_key: str
    counts: dict[str, int]
    load_seconds: float
    attribution: str


class FicheFlagsOut(BaseModel):
    transition_eco: str
    transition_num: bool | None
    transition_demo: bool | None
    emploi_reglemente: bool | None
    emploi_cadre: bool | None


class FicheRef(BaseModel):
    code_rome: str
    label: str
    parent: str

    @classmethod
    def of(cls, f: Fiche) -> FicheRef:
        return cls(code_rome=f.code_rome, label=f.label, parent=f.parent)


class AppellationOut(BaseModel):
    code_ogr: str
    label: str
    label_court: str
    principale: bool
    peu_usite: bool
    fiche: FicheRef

    @classmethod
    def of(cls, a: Appellation, ref: Referential) -> AppellationOut:
        return cls(
            code_ogr=a.code_ogr,
            label=a.label,
            label_court=a.label_court,
            principale=a.principale,
            peu_usite=a.peu_usite,
            fiche=FicheRef.of(ref.fiches[a.code_rome]),
        )


class Node(BaseModel):
    code: str
    label: str


class MacroNode(BaseModel):
    code_ogr: str
    code: str
    label: str


class PathOut(BaseModel):
    domaine: Node
    enjeu: Node
    objectif: Node
    macro_competence: MacroNode

    @classmethod
    def of(cls, p: TreePath) -> PathOut:
        return cls(
            domaine=Node(code=p.domaine.code, label=p.domaine.label),
            enjeu=Node(code=p.enjeu.code, label=p.enjeu.label),
            objectif=Node(code=p.objectif.code, label=p.objectif.label),
            macro_competence=MacroNode(
                code_ogr=p.macro.code_ogr, code=p.macro.code, label=p.macro.label
            ),
        )


class CompetenceOut(BaseModel):
    code_ogr: str
    label: str
    kind: str = Field(description="competence, macro_competence or savoir_etre")
    definition: str = ""
    sous_categorie: str
    transition_eco: bool | None
    transition_num: bool | None
    path: PathOut

    @classmethod
    def of(cls, item: Competence | MacroCompetence, path: TreePath) -> CompetenceOut:
        if isinstance(item, Competence):
            kind, definition = "competence", item.definition
        else:
            kind, definition = ("savoir_etre" if item.savoir_etre else "macro_competence"), ""
        return cls(
            code_ogr=item.code_ogr,
            label=item.label,
            kind=kind,
            definition=definition,
            sous_categorie=item.sous_categorie,
            transition_eco=item.transition_eco,
            transition_num=item.transition_num,
            path=PathOut.of(path),
        )


class LinkedCompetenceOut(BaseModel):
    code_ogr: str
    label: str
    kind: str
    level: str = Field(description="principale (core), emergente, or listed")
    macro_competence: MacroNode
    objectif: Node

    @classmethod
    def of(cls, lc: LinkedCompetence) -> LinkedCompetenceOut:
        out = CompetenceOut.of(lc.item, lc.path)
        return cls(
            code_ogr=out.code_ogr,
            label=out.label,
            kind=out.kind,
            level=lc.level.value,
            macro_competence=out.path.macro_competence,
            objectif=out.path.objectif,
        )


class EnjeuGroupOut(BaseModel):
    enjeu: Node
    domaine: str
    competences: list[LinkedCompetenceOut]


class SavoirOut(BaseModel):
    code_ogr: str
    label: str
    categorie: str
    sous_categorie: str
    transition_eco: bool | None
    transition_num: bool | None
    level: str | None = None

    @classmethod
    def of(cls, s: Savoir, level: str | None = None) -> SavoirOut:
        return cls(
            code_ogr=s.code_ogr,
            label=s.label,
            categorie=s.categorie,
            sous_categorie=s.sous_categorie,
            transition_eco=s.transition_eco,
            transition_num=s.transition_num,
            level=level,
        )


class ContexteOut(BaseModel):
    code_ogr: str
    label: str
    type_code: str
    type_label: str

    @classmethod
    def of(cls, c: Contexte) -> ContexteOut:
        return cls(
            code_ogr=c.code_ogr, label=c.label, type_code=c.type_code, type_label=c.type_label
        )


class MobilityOut(BaseModel):
    fiche: FicheRef
    order: int


class FicheOut(BaseModel):
    code_rome: str
    code_ogr: str
    label: str
    parent: FicheRef
    grand_domaine: Node
    domaine_professionnel: Node
    flags: FicheFlagsOut
    definition: str
    acces: str
    appellations: list[AppellationOut]
    competences_by_enjeu: list[EnjeuGroupOut]
    savoir_etre: list[LinkedCompetenceOut]
    savoirs_by_categorie: dict[str, list[SavoirOut]]
    contextes_by_type: dict[str, list[ContexteOut]]
    mobility: list[MobilityOut]

    @classmethod
    def of(cls, v: FicheView, ref: Referential) -> FicheOut:
        f = v.fiche
        return cls(
            code_rome=f.code_rome,
            code_ogr=f.code_ogr,
            label=f.label,
            parent=FicheRef.of(ref.fiches[f.parent]),
            grand_domaine=Node(code=f.grand_domaine, label=f.grand_domaine_label),
            domaine_professionnel=Node(code=f.domaine_pro, label=f.domaine_pro_label),
            flags=FicheFlagsOut(**{k: getattr(f.flags, k) for k in FicheFlagsOut.model_fields}),
            definition=f.definition,
            acces=f.acces,
            appellations=[AppellationOut.of(a, ref) for a in v.appellations],
            competences_by_enjeu=[
                EnjeuGroupOut(
                    enjeu=Node(code=g.code, label=g.label),
                    domaine=g.domaine,
                    competences=[LinkedCompetenceOut.of(c) for c in g.competences],
                )
                for g in v.competences_by_enjeu
            ],
            savoir_etre=[LinkedCompetenceOut.of(c) for c in v.savoir_etre],
            savoirs_by_categorie={
                k: [SavoirOut.of(s.item, s.level.value) for s in items]
                for k, items in v.savoirs_by_categorie.items()
            },
            contextes_by_type={
                k: [ContexteOut.of(c) for c in items] for k, items in v.contextes_by_type.items()
            },
            mobility=[MobilityOut(fiche=FicheRef.of(m.fiche), order=m.order) for m in v.mobility],
        )


class MacroOut(BaseModel):
    macro_competence: CompetenceOut
    competences: list[Node]

    @classmethod
    def of(cls, v: MacroView) -> MacroOut:
        return cls(
            macro_competence=CompetenceOut.of(v.macro, v.path),
            competences=[Node(code=c.code_ogr, label=c.label) for c in v.competences],
        )


class TreeMacro(BaseModel):
    code_ogr: str
    code: str
    label: str
    savoir_etre: bool
    competences: int


class TreeObjectif(Node):
    macro_competences: list[TreeMacro]


class TreeEnjeu(Node):
    objectifs: list[TreeObjectif]


class TreeDomaine(Node):
    enjeux: list[TreeEnjeu]


class Tree(BaseModel):
    release: str
    domaines: list[TreeDomaine]

    @classmethod
    def of(cls, ref: Referential) -> Tree:
        counts: dict[str, int] = {}
        for c in ref.competences.values():
            counts[c.macro] = counts.get(c.macro, 0) + 1
        macros = sorted(ref.macros.values(), key=lambda m: m.code)
        objectifs = sorted(ref.objectifs.values(), key=lambda o: o.code)
        enjeux = sorted(ref.enjeux.values(), key=lambda e: e.code)
        return cls(
            release=ref.release.version,
            domaines=[
                TreeDomaine(
                    code=d.code,
                    label=d.label,
                    enjeux=[
                        TreeEnjeu(
                            code=e.code,
                            label=e.label,
                            objectifs=[
                                TreeObjectif(
                                    code=o.code,
                                    label=o.label,
                                    macro_competences=[
                                        TreeMacro(
                                            code_ogr=m.code_ogr,
                                            code=m.code,
                                            label=m.label,
                                            savoir_etre=m.savoir_etre,
                                            competences=counts.get(m.code_ogr, 0),
                                        )
                                        for m in macros
                                        if m.objectif == o.code
                                    ],
                                )
                                for o in objectifs
                                if o.enjeu == e.code
                            ],
                        )
                        for e in enjeux
                        if e.domaine == d.code
                    ],
                )
                for d in sorted(ref.domaines.values(), key=lambda d: d.code)
            ],
        )


class SearchHitOut(BaseModel):
    id: str
    label: str
    score: float
    dense: float
    lexical: float

    @classmethod
    def of(cls, r: SearchResult) -> SearchHitOut:
        return cls(
            id=r.id,
            label=r.label,
            score=round(r.score, 4),
            dense=round(r.dense, 4),
            lexical=round(r.lexical, 4),
        )


class SearchOut(BaseModel):
    collection: str
    query: str
    results: list[SearchHitOut]


# --- titles ---------------------------------------------------------------------------------

MAX_TITLES_PER_REQUEST = 100


class TitleIn(BaseModel):
    title: str = Field(min_length=1, max_length=300, description="the job title as written")
    description: str | None = Field(
        None,
        max_length=20_000,
        description="optional offer text: helps choose between close fiches",
    )
    naf: str | None = Field(
        None,
        pattern=r"^\d{2}(\.?\d{1,2}[A-Za-z]?)?$",
        description="optional employer NAF code (47.11F, 4711F or the division 47): favours "
        "the fiches ROME lists in that sector",
    )
    sector: str | None = Field(
        None, pattern=r"^\d{1,4}$", description="or a ROME secteur d'activité code (e.g. 110)"
    )


class ResolveIn(BaseModel):
    titles: list[TitleIn] = Field(min_length=1, max_length=MAX_TITLES_PER_REQUEST)
    k: int = Field(5, ge=1, le=20, description="candidates per title")


class EvidenceOut(BaseModel):
    kind: str = Field(
        description="lexical, semantic, fiche_label, context, domain (the description's words "
        "vs the fiche's trade), items (competences of the fiche named in the description), "
        "coverage (the fiche's appellations that contain every word of the title), general "
        "(the best-matching appellation says more than the title and the principal one says "
        "all of it, so the principal one is given) or sector"
    )
    matched: str
    score: float


class AppellationRef(BaseModel):
    code_ogr: str
    label: str


class CandidateOut(BaseModel):
    appellation: AppellationRef
    fiche: FicheRef
    score: float = Field(description="calibrated confidence in [0, 1]")
    raw_score: float
    semantic: float
    lexical: float
    context: float | None
    evidence: list[EvidenceOut]


class ResolutionOut(BaseModel):
    title: str
    cleaned: str = Field(description="what was searched after cleaning and rewriting")
    rewrites: list[str]
    abstained: bool = Field(description="true when the best score is under the threshold")
    candidates: list[CandidateOut]

    @classmethod
    def of(cls, r: TitleResolution) -> ResolutionOut:
        return cls(
            title=r.title,
            cleaned=r.cleaned,
            rewrites=list(r.rewrites),
            abstained=r.abstained,
            candidates=[
                CandidateOut(
                    appellation=AppellationRef(
                        code_ogr=c.appellation.code_ogr, label=c.appellation.label
                    ),
                    fiche=FicheRef.of(c.fiche),
                    score=c.score,
                    raw_score=c.raw_score,
                    semantic=c.semantic,
                    lexical=c.lexical,
                    context=c.context,
                    evidence=[
                        EvidenceOut(kind=e.kind, matched=e.matched, score=e.score)
                        for e in c.evidence
                    ],
                )
                for c in r.candidates
            ],
        )


class ResolveOut(BaseModel):
    abstain_threshold: float
    results: list[ResolutionOut]


class SuggestionOut(BaseModel):
    kind: str = Field(description="appellation or fiche")
    code: str
    label: str
    code_rome: str
    fiche_label: str
    match: str = Field(description="prefix, or fuzzy when found despite a typo")

    @classmethod
    def of(cls, s: Suggestion) -> SuggestionOut:
        return cls(
            kind=s.kind,
            code=s.code,
            label=s.label,
            code_rome=s.code_rome,
            fiche_label=s.fiche_label,
            match=s.match,
        )


class AutocompleteOut(BaseModel):
    query: str
    suggestions: list[SuggestionOut]


# --- offers ---------------------------------------------------------------------------------

MAX_OFFERS_PER_REQUEST = 20


class TagOptions(BaseModel):
    suggestions: bool = Field(True, description="also return items the fiche usually asks for")
    max_suggested: int = Field(30, ge=0, le=200)
    min_probability: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="how probable a clause's statement of an item must be for the item to be "
        "found; lower finds more at lower precision (default: the model's threshold, chosen "
        "for a lenient precision of 0.70 on annotated offers)",
    )
    alternatives: int = Field(
        0,
        ge=0,
        le=5,
        description="for each item a clause states, up to this many other items the clause "
        "may mean, with their probabilities",
    )


class OfferIn(BaseModel):
    title: str | None = Field(None, max_length=300)
    text: str = Field(
        description=f"the offer (or CV-like) text; at most {budgets.TEXT_CHARS:,} characters"
    )
    options: TagOptions = Field(default_factory=TagOptions)


class OfferBatchIn(BaseModel):
    offers: list[OfferIn] = Field(min_length=1, max_length=MAX_OFFERS_PER_REQUEST)


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class AlternativeOut(BaseModel):
    code_ogr: str
    label: str
    kind: str
    probability: float


class TaggedItemOut(BaseModel):
    code_ogr: str
    label: str
    kind: str = Field(description="competence, macro_competence, savoir_etre, savoir, contexte")
    score: float
    found: bool = Field(description="true: evidenced in the text (spans); false: suggested")
    spans: list[SpanOut]
    required: bool | None = Field(description="true exigé, false souhaité/apprécié, null unsaid")
    level: str | None = Field(description="principale (core), emergente or listed for the fiche")
    fiche: str | None
    path: PathOut | None
    categorie: str | None = Field(description="savoirs: category; contextes: type")
    transition_eco: bool | None
    transition_num: bool | None
    probability: float | None = Field(
        description="how probable it is that the span states this item or a sibling under its "
        "macro-compétence (the statement model, calibrated on annotated offers), for items a "
        "clause states; null for items found by their words"
    )
    alternatives: list[AlternativeOut] = Field(
        description="other items the clause may mean (options.alternatives), best first"
    )

    @classmethod
    def of(cls, i: TaggedItem) -> TaggedItemOut:
        return cls(
            code_ogr=i.code_ogr,
            label=i.label,
            kind=i.kind.value,
            score=i.score,
            found=i.found,
            spans=[SpanOut(start=s.start, end=s.end, text=s.text) for s in i.spans],
            required=i.required,
            level=i.level.value if i.level else None,
            fiche=i.fiche,
            path=PathOut.of(i.path) if i.path else None,
            categorie=i.categorie,
            transition_eco=i.transition_eco,
            transition_num=i.transition_num,
            probability=i.probability,
            alternatives=[
                AlternativeOut(
                    code_ogr=a.code_ogr, label=a.label, kind=a.kind.value, probability=a.probability
                )
                for a in i.alternatives
            ],
        )


ItemT = TypeVar("ItemT", bound=TaggedItemOut)


class AggregateOut(BaseModel):
    code: str
    label: str
    found: int
    suggested: int


class TransitionsOut(BaseModel):
    ecological: int = Field(description="found items flagged for the ecological transition")
    digital: int = Field(description="found items flagged for the digital transition")


class ItemsByKind(BaseModel, Generic[ItemT]):
    """Items grouped by kind: the one shape of `found` and `suggested` in offer and CV replies,
    which `/v1/mobility` and `/v1/match` read back as `tagged`."""

    savoir_faire: list[ItemT] = Field(description="compétences and macro-compétences")
    savoirs: list[ItemT]
    savoir_etre: list[ItemT]
    contextes: list[ItemT]

    @classmethod
    def group(cls, items: Sequence[ItemT]) -> Self:
        def pick(*kinds: Kind) -> list[ItemT]:
            return [i for i in items if i.kind in {k.value for k in kinds}]

        return cls(
            savoir_faire=pick(Kind.COMPETENCE, Kind.MACRO_COMPETENCE),
            savoirs=pick(Kind.SAVOIR),
            savoir_etre=pick(Kind.SAVOIR_ETRE),
            contextes=pick(Kind.CONTEXTE),
        )

    @classmethod
    def of(cls, items: Sequence[TaggedItem]) -> ItemsByKind[TaggedItemOut]:
        return ItemsByKind[TaggedItemOut].group([TaggedItemOut.of(i) for i in items])


class OfferTagsOut(BaseModel):
    job: ResolutionOut | None
    found: ItemsByKind[TaggedItemOut] = Field(description="evidenced in the text, with spans")
    suggested: ItemsByKind[TaggedItemOut] = Field(
        description="usual for the resolved fiche, not evidenced"
    )
    negated: list[TaggedItemOut] = Field(description="mentioned but negated ('pas de permis')")
    by_macro_competence: list[AggregateOut]
    by_enjeu: list[AggregateOut]
    transitions: TransitionsOut
    boilerplate: list[SpanOut] = Field(description="segments ignored (pitch, benefits, legal)")

    @classmethod
    def of(cls, e: Extraction, options: TagOptions) -> OfferTagsOut:
        suggested = list(e.suggested[: options.max_suggested]) if options.suggestions else []
        return cls(
            job=ResolutionOut.of(e.job) if e.job else None,
            found=ItemsByKind.of(e.found),
            suggested=ItemsByKind.of(suggested),
            negated=[TaggedItemOut.of(i) for i in e.negated],
            by_macro_competence=[
                AggregateOut(code=a.code, label=a.label, found=a.found, suggested=a.suggested)
                for a in e.by_macro
            ],
            by_enjeu=[
                AggregateOut(code=a.code, label=a.label, found=a.found, suggested=a.suggested)
                for a in e.by_enjeu
            ],
            transitions=TransitionsOut(
                ecological=sum(1 for i in e.found if i.transition_eco),
                digital=sum(1 for i in e.found if i.transition_num),
            ),
            boilerplate=[SpanOut(start=s.start, end=s.end, text=s.text) for s in e.boilerplate],
        )


class OfferBatchOut(BaseModel):
    results: list[OfferTagsOut]
