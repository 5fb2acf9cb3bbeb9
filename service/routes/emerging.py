"""Emerging skills and job titles in a small corpus (the CLI handles large ones)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from models import budgets
from models.emerging import MAX_DOCUMENTS_HTTP, CorpusDocument
from service.deps import Emerging

router = APIRouter(prefix="/v1/emerging", tags=["emerging"])


class DocumentIn(BaseModel):
    id: str = Field(max_length=200)
    text: str = Field(max_length=50_000)
    title: str | None = Field(None, max_length=300)
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}", description="ISO date")
    employer: str | None = Field(None, max_length=200, description="or a sector code")


class AnalyseIn(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=MAX_DOCUMENTS_HTTP)
    k: int = Field(50, ge=1, le=500)


@router.post(
    "/analyse",
    responses={
        413: {"description": f"documents over {budgets.EMERGING_CHARS:,} characters in all"},
        422: {"description": "malformed corpus"},
        503: {"description": "the detector is still loading (spaCy), or disabled"},
    },
    summary=f"Candidate new skills and job titles in up to {MAX_DOCUMENTS_HTTP} documents",
)
def analyse(body: AnalyseIn, detector: Emerging) -> dict[str, Any]:
    docs = [CorpusDocument(d.id, d.text, d.title, d.date, d.employer) for d in body.documents]
    return asdict(detector.analyse(docs, k=body.k, max_chars=budgets.EMERGING_CHARS))
