"""Browse the referential: fiches, appellations, competences, savoirs, contextes, the tree."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from models.browse import fiche_view, macro_view
from service.deps import AppSettings, Core
from service.schemas import (
    AppellationOut,
    CompetenceOut,
    ContexteOut,
    FicheOut,
    MacroOut,
    SavoirOut,
    SearchHitOut,
    SearchOut,
    Tree,
)

router = APIRouter(prefix="/v1", tags=["referential"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "unknown code"}}

CodeRome = Annotated[str, Path(pattern=r"^[A-Na-n]\d{4}$", description="e.g. K1302")]
CodeOgr = Annotated[str, Path(pattern=r"^\d{1,9}$", description="numeric code_ogr")]


@router.get("/fiches/{code_rome}", response_model=FicheOut, responses=NOT_FOUND)
def get_fiche(code_rome: CodeRome, core: Core) -> FicheOut:
    ref = core.referential
    return FicheOut.of(fiche_view(ref, code_rome.upper()), ref)


@router.get("/appellations/{code_ogr}", response_model=AppellationOut, responses=NOT_FOUND)
def get_appellation(code_ogr: CodeOgr, core: Core) -> AppellationOut:
    ref = core.referential
    return AppellationOut.of(ref.appellation(code_ogr), ref)


@router.get(
    "/competences/{code_ogr}",
    response_model=CompetenceOut,
    responses=NOT_FOUND,
    summary="A compétence, macro-compétence or savoir-être, with its path up the tree",
)
def get_competence(code_ogr: CodeOgr, core: Core) -> CompetenceOut:
    ref = core.referential
    return CompetenceOut.of(ref.competence(code_ogr), ref.path(code_ogr))


@router.get("/macro-competences/{code_ogr}", response_model=MacroOut, responses=NOT_FOUND)
def get_macro(code_ogr: CodeOgr, core: Core) -> MacroOut:
    return MacroOut.of(macro_view(core.referential, code_ogr))


@router.get("/savoirs/{code_ogr}", response_model=SavoirOut, responses=NOT_FOUND)
def get_savoir(code_ogr: CodeOgr, core: Core) -> SavoirOut:
    return SavoirOut.of(core.referential.savoir(code_ogr))


@router.get("/contextes/{code_ogr}", response_model=ContexteOut, responses=NOT_FOUND)
def get_contexte(code_ogr: CodeOgr, core: Core) -> ContexteOut:
    return ContexteOut.of(core.referential.contexte(code_ogr))


@router.get(
    "/tree",
    response_model=Tree,
    summary="The competence tree down to macro-compétences (with competence counts)",
)
def get_tree(core: Core) -> Tree:
    return Tree.of(core.referential)


@router.get(
    "/search",
    response_model=SearchOut,
    summary="Hybrid (semantic + typo-tolerant lexical) search in one collection",
)
def search(
    core: Core,
    settings: AppSettings,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    collection: Annotated[
        str,
        Query(
            description="appellations, fiches, competences, macro_competences, savoirs or contextes"
        ),
    ] = "appellations",
    k: Annotated[
        int, Query(ge=1, le=1000, description="results; at most PASSERELLE_SEARCH_MAX_K (100)")
    ] = 10,
) -> SearchOut:
    results = core.search(collection, q, min(k, settings.search_max_k))
    return SearchOut(collection=collection, query=q, results=[SearchHitOut.of(r) for r in results])
