"""Emerging skills and job titles in a small corpus (the CLI handles large ones)."""

from __future__ import annotations

from fastapi import APIRouter

from models import budgets
from models.emerging import MAX_DOCUMENTS_HTTP
from service.deps import Emerging
from service.emerging_schemas import AnalyseIn, EmergingOut

router = APIRouter(prefix="/v1/emerging", tags=["emerging"])


@router.post(
    "/analyse",
    response_model=EmergingOut,
    responses={
        413: {"description": f"documents over {budgets.EMERGING_CHARS:,} characters in all"},
        422: {"description": "malformed corpus"},
        503: {"description": "the detector is still loading (spaCy), or disabled"},
    },
    summary=f"Candidate new skills and job titles in up to {MAX_DOCUMENTS_HTTP} documents",
)
def analyse(body: AnalyseIn, detector: Emerging) -> EmergingOut:
    docs = [d.document() for d in body.documents]
    report = detector.analyse(docs, k=body.k, max_chars=budgets.EMERGING_CHARS)
    return EmergingOut.model_validate(report)
