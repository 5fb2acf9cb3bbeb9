"""Job-title resolution and autocomplete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models.titles import TitleQuery
from service.deps import Core
from service.schemas import (
    AutocompleteOut,
    ResolutionOut,
    ResolveIn,
    ResolveOut,
    SuggestionOut,
)

router = APIRouter(prefix="/v1/titles", tags=["titles"])


@router.post(
    "/resolve",
    response_model=ResolveOut,
    summary="Resolve job titles (with optional description) to appellations and fiches",
    responses={
        413: {"description": "title or description too long"},
        422: {"description": "invalid input; the message says what is accepted"},
    },
)
def resolve(body: ResolveIn, core: Core) -> ResolveOut:
    queries = [TitleQuery(t.title, t.description, t.naf, t.sector) for t in body.titles]
    results = core.titles.resolve_many(queries, k=body.k)
    return ResolveOut(
        abstain_threshold=core.titles.config.abstain_threshold,
        results=[ResolutionOut.of(r) for r in results],
    )


@router.get(
    "/autocomplete",
    response_model=AutocompleteOut,
    summary="Prefix- and typo-tolerant suggestions while typing (from 2 characters)",
)
def autocomplete(
    core: Core,
    q: Annotated[str, Query(min_length=2, max_length=100, description="what was typed so far")],
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> AutocompleteOut:
    return AutocompleteOut(
        query=q, suggestions=[SuggestionOut.of(s) for s in core.autocomplete.suggest(q, k)]
    )
