"""HTTP schemas of emerging-skill detection (`POST /v1/emerging/analyse`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from models import budgets
from models.emerging import MAX_DOCUMENTS_HTTP, CorpusDocument


class DocumentIn(BaseModel):
    id: str = Field(max_length=200)
    text: str = Field(max_length=budgets.TEXT_CHARS)
    title: str | None = Field(None, max_length=300)
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}", description="ISO date")
    employer: str | None = Field(None, max_length=200, description="or a sector code")

    def document(self) -> CorpusDocument:
        return CorpusDocument(self.id, self.text, self.title, self.date, self.employer)


class AnalyseIn(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=MAX_DOCUMENTS_HTTP)
    k: int = Field(50, ge=1, le=500)


class _FromDomain(BaseModel):
    # Read from the detector's frozen dataclasses, attribute by attribute.
    model_config = ConfigDict(from_attributes=True)


class NearItemOut(_FromDomain):
    code: str = Field(description="code_ogr of an item, or code_rome of a fiche")
    label: str
    kind: str
    similarity: float = Field(description="cosine similarity, or a share of documents")


class ExampleOut(_FromDomain):
    document: str = Field(description="the id of the document it comes from")
    snippet: str


class ListedToolOut(_FromDomain):
    code: str = Field(description="the savoir's code_ogr")
    label: str
    mentions: int = Field(description="of the candidate's mentions listed beside it")


class CandidateOut(_FromDomain):
    label: str
    kind: str = Field(description="skill or job_title")
    variants: list[str]
    documents: int
    independent: int = Field(description="documents, near-copies of one text counted once")
    spread: int = Field(description="distinct employers (or sectors) among them")
    examples: list[ExampleOut]
    novelty: float = Field(description="1 - similarity to the closest ROME item")
    trend: float | None = Field(description="recent half vs older half, in [-1, 1], when dated")
    stated: float = Field(description="share of mentions written as a requirement or list item")
    score: float
    nearest: list[NearItemOut]
    macro_competence: NearItemOut | None
    fiches: list[NearItemOut] = Field(description="where it would go")
    listed_with: list[ListedToolOut] = Field(description="ROME tools it was listed beside")


class EmergingOut(_FromDomain):
    documents: int
    reposts: int = Field(description="documents that near-copy another one")
    phrases: int = Field(description="distinct phrases seen often enough to judge")
    covered: int = Field(description="of which the referential already covers")
    candidates: list[CandidateOut]
