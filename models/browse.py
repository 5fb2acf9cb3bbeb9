"""Browsing the referential ("Accès au ROME 4.0"): read-only views composed from it."""

from __future__ import annotations

from dataclasses import dataclass

from indexing.referential import (
    Appellation,
    Competence,
    Contexte,
    CoreLevel,
    Fiche,
    MacroCompetence,
    Referential,
    Savoir,
    TreePath,
)


@dataclass(frozen=True, slots=True)
class LinkedCompetence:
    item: Competence | MacroCompetence
    path: TreePath
    level: CoreLevel


@dataclass(frozen=True, slots=True)
class EnjeuGroup:
    code: str
    label: str
    domaine: str
    competences: tuple[LinkedCompetence, ...]


@dataclass(frozen=True, slots=True)
class LinkedSavoir:
    item: Savoir
    level: CoreLevel


@dataclass(frozen=True, slots=True)
class MobilityTarget:
    fiche: Fiche
    order: int


@dataclass(frozen=True, slots=True)
class FicheView:
    fiche: Fiche
    appellations: tuple[Appellation, ...]
    competences_by_enjeu: tuple[EnjeuGroup, ...]
    savoir_etre: tuple[LinkedCompetence, ...]
    savoirs_by_categorie: dict[str, tuple[LinkedSavoir, ...]]
    contextes_by_type: dict[str, tuple[Contexte, ...]]
    mobility: tuple[MobilityTarget, ...]


def fiche_view(ref: Referential, code_rome: str) -> FicheView:
    fiche = ref.fiche(code_rome)
    links = ref.fiche_links(code_rome)
    groups: dict[str, list[LinkedCompetence]] = {}
    for code in links.savoir_faire:
        item = ref.competences.get(code) or ref.macros[code]
        path = ref.path(code)
        groups.setdefault(path.enjeu.code, []).append(
            LinkedCompetence(item, path, links.level(code))
        )
    by_enjeu = tuple(
        EnjeuGroup(code, ref.enjeux[code].label, ref.enjeux[code].domaine, tuple(items))
        for code, items in sorted(groups.items())
    )
    savoir_etre = tuple(
        LinkedCompetence(ref.macros[c], ref.path(c), links.level(c)) for c in links.savoir_etre
    )
    savoirs: dict[str, list[LinkedSavoir]] = {}
    for code in links.savoirs:
        s = ref.savoirs[code]
        savoirs.setdefault(s.categorie, []).append(LinkedSavoir(s, links.level(code)))
    contextes: dict[str, list[Contexte]] = {}
    for code in links.contextes:
        c = ref.contextes[code]
        contextes.setdefault(c.type_label, []).append(c)
    return FicheView(
        fiche=fiche,
        appellations=tuple(ref.appellations[a] for a in links.appellations),
        competences_by_enjeu=by_enjeu,
        savoir_etre=savoir_etre,
        savoirs_by_categorie={k: tuple(v) for k, v in savoirs.items()},
        contextes_by_type={k: tuple(v) for k, v in contextes.items()},
        mobility=tuple(
            MobilityTarget(ref.fiches[m.target], m.order) for m in ref.mobility.get(code_rome, ())
        ),
    )


@dataclass(frozen=True, slots=True)
class MacroView:
    macro: MacroCompetence
    path: TreePath
    competences: tuple[Competence, ...]


def macro_view(ref: Referential, code_ogr: str) -> MacroView:
    macro = ref.macro_of(code_ogr)
    if macro.code_ogr != code_ogr:
        from indexing.errors import UnknownCode

        raise UnknownCode("macro-compétence", code_ogr)
    below = tuple(c for c in ref.competences.values() if c.macro == code_ogr)
    return MacroView(macro, ref.path(code_ogr), below)
