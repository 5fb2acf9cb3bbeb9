"""Competence tagging of free-text offers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from indexing.errors import InputTooLarge, InvalidInput
from service.deps import Core
from service.schemas import OfferBatchIn, OfferBatchOut, OfferIn, OfferTagsOut

router = APIRouter(prefix="/v1/offers", tags=["offers"])
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "text over 50,000 characters"},
    422: {"description": "empty or malformed input; the message says what is accepted"},
}


@router.post(
    "/tag",
    response_model=OfferTagsOut,
    responses=ERRORS,
    summary="Tag one offer: job, competences found (with spans) and suggested",
)
def tag(body: OfferIn, core: Core) -> OfferTagsOut:
    return OfferTagsOut.of(core.competences.extract(body.text, body.title), body.options)


@router.post(
    "/tag-batch",
    response_model=OfferBatchOut,
    responses=ERRORS,
    summary="Tag up to 20 offers in one request",
)
def tag_batch(body: OfferBatchIn, core: Core) -> OfferBatchOut:
    # Encode every job query of the batch at once, then tag one by one (errors name the offer).
    core.competences.titles.prime(
        [core.competences.job_query(o.text, o.title) for o in body.offers]
    )
    results = []
    for i, offer in enumerate(body.offers):
        try:
            extraction = core.competences.extract(offer.text, offer.title)
        except (InvalidInput, InputTooLarge) as exc:
            raise type(exc)(f"offers[{i}]: {exc}") from None
        results.append(OfferTagsOut.of(extraction, offer.options))
    return OfferBatchOut(results=results)
