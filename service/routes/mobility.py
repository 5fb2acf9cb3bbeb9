"""Aires de mobilité, offer ↔ profile matching, and the competence affinity behind them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from service.deps import Core
from service.mobility_schemas import MAX_K, CloseListOut, MatchIn, MatchOut, MobilityIn, MobilityOut

router = APIRouter(prefix="/v1", tags=["mobility and matching"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "unknown code"},
    422: {"description": "malformed or empty input; the message says what is accepted"},
}
CodeRome = Annotated[str, Path(pattern=r"^[A-Na-n]\d{4}$", description="e.g. G1703")]


@router.get(
    "/mobility/{code_rome}",
    response_model=MobilityOut,
    responses=ERRORS,
    summary="Jobs within reach of a job: shared, transferable and missing competences",
)
def mobility_from_fiche(
    code_rome: CodeRome,
    core: Core,
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
    in_tension: Annotated[
        list[str] | None, Query(description="code_rome of jobs in tension (repeat the parameter)")
    ] = None,
) -> MobilityOut:
    tension = dict.fromkeys(in_tension or [], True)
    result = core.mobility.from_fiche(code_rome.upper(), k, tension)
    return MobilityOut.of(result, core.referential)


@router.post(
    "/mobility",
    response_model=MobilityOut,
    responses=ERRORS,
    summary="Jobs within reach of a person's competences (codes, a CV parse or a tagging)",
)
def mobility_from_profile(body: MobilityIn, core: Core) -> MobilityOut:
    current = body.current_fiche.upper() if body.current_fiche else None
    result = core.mobility.from_profile(body.codes(), body.k, body.tension, current)
    return MobilityOut.of(result, core.referential)


@router.get(
    "/competences/{code_ogr}/close",
    response_model=CloseListOut,
    responses=ERRORS,
    summary="The affinity row of a competence: what matching accepts in its place, and why",
)
def close_competences(
    code_ogr: Annotated[str, Path(pattern=r"^\d{1,9}$")],
    core: Core,
    k: Annotated[int, Query(ge=1, le=500)] = 20,
) -> CloseListOut:
    return CloseListOut.of(code_ogr, core.affinity.close(code_ogr, k), core.referential)


@router.post(
    "/match",
    response_model=MatchOut,
    responses=ERRORS,
    summary="Rank profiles for an offer, or offers for a profile, with the reasons",
)
def match(body: MatchIn, core: Core) -> MatchOut:
    return MatchOut.of(core.matchmaking.match(body.request()), core.referential)
