"""Aires de mobilité, offer ↔ profile matching, and the competence affinity behind them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from indexing.errors import InvalidInput
from models.matching import Candidate, Requirement
from models.runtime import Passerelle
from service.deps import Core
from service.mobility_schemas import (
    MAX_K,
    CloseListOut,
    CloseOut,
    MatchIn,
    MatchOut,
    MatchResultOut,
    MobilityIn,
    MobilityOut,
    OfferSideIn,
)

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
    codes = body.codes()
    if not codes:
        raise InvalidInput(
            "no competence in the profile: send 'competences' (code_ogr) or 'tagged' (the JSON "
            "of /v1/cvs/parse or /v1/offers/tag)"
        )
    current = body.current_fiche.upper() if body.current_fiche else None
    result = core.mobility.from_profile(codes, body.k, body.tension, current)
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
    ref = core.referential
    close = core.affinity.close(code_ogr, k)
    return CloseListOut(
        code_ogr=code_ogr,
        label=ref.label_of(code_ogr),
        close=[CloseOut.of(c, ref) for c in close],
    )


def _requirements(core: Passerelle, offer: OfferSideIn, where: str) -> list[Requirement]:
    if offer.competences:
        codes = [r.code for r in offer.competences]
        core.matcher.check_codes(codes, where)
        return [Requirement(r.code, r.required) for r in offer.competences]
    extraction = core.competences.extract(offer.text or "", offer.title)
    requirements = core.matcher.requirements_from(extraction)
    if not requirements:
        raise InvalidInput(f"{where}: no competence found in the text; send 'competences'")
    return requirements


def _describe(core: Passerelle, reqs: list[Requirement]) -> list[dict[str, Any]]:
    ref = core.referential
    return [
        {"code_ogr": r.code, "label": ref.label_of(r.code), "required": r.required, "core": r.core}
        for r in reqs
    ]


@router.post(
    "/match",
    response_model=MatchOut,
    responses=ERRORS,
    summary="Rank profiles for an offer, or offers for a profile, with the reasons",
)
def match(body: MatchIn, core: Core) -> MatchOut:
    ref = core.referential
    if body.offer is not None:
        requirements = _requirements(core, body.offer, "offer")
        candidates = []
        for i, p in enumerate(body.profiles):
            codes = p.codes()
            core.matcher.check_codes(codes, f"profiles[{i}]")
            candidates.append(Candidate(p.id, frozenset(codes)))
        results = core.matcher.rank_profiles(requirements, candidates, body.k)
        return MatchOut(
            direction="offer_to_profiles",
            requirements={body.offer.id: _describe(core, requirements)},
            results=[MatchResultOut.of(r, ref) for r in results],
        )
    assert body.profile is not None  # the schema checked one direction is given
    codes = body.profile.codes()
    core.matcher.check_codes(codes, "profile")
    offers = [(o.id, _requirements(core, o, f"offers[{i}]")) for i, o in enumerate(body.offers)]
    results = core.matcher.rank_offers(frozenset(codes), offers, body.k)
    return MatchOut(
        direction="profile_to_offers",
        requirements={oid: _describe(core, reqs) for oid, reqs in offers},
        results=[MatchResultOut.of(r, ref) for r in results],
    )
