"""Competence tagging of free-text offers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from models import budgets
from service.deps import Core
from service.schemas import OfferBatchIn, OfferBatchOut, OfferIn, OfferTagsOut

router = APIRouter(prefix="/v1/offers", tags=["offers"])
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {
        "description": f"text over {budgets.TEXT_CHARS:,} characters, or a batch over "
        f"{budgets.TAG_BATCH_CHARS:,} characters in all"
    },
    422: {"description": "empty or malformed input; the message says what is accepted"},
}


@router.post(
    "/tag",
    response_model=OfferTagsOut,
    responses=ERRORS,
    summary="Tag one offer: job, competences found (with spans) and suggested",
)
def tag(body: OfferIn, core: Core) -> OfferTagsOut:
    options = body.options
    extraction = core.competences.extract(
        body.text,
        body.title,
        min_probability=options.min_probability,
        alternatives=options.alternatives,
    )
    return OfferTagsOut.of(extraction, body.options)


@router.post(
    "/tag-batch",
    response_model=OfferBatchOut,
    responses=ERRORS,
    summary="Tag up to 20 offers in one request",
)
def tag_batch(body: OfferBatchIn, core: Core) -> OfferBatchOut:
    extractions = core.competences.extract_many(
        [(o.text, o.title) for o in body.offers],
        max_chars=budgets.TAG_BATCH_CHARS,
        min_probability=[o.options.min_probability for o in body.offers],
        alternatives=[o.options.alternatives for o in body.offers],
    )
    return OfferBatchOut(
        results=[
            OfferTagsOut.of(e, o.options) for e, o in zip(extractions, body.offers, strict=True)
        ]
    )
