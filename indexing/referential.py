"""Typed model of one ROME 4.0 release.

Everything is keyed by `code_ogr` (strings, as in the files), except fiches which are keyed by
`code_rome`. The competence tree is domaine → enjeu → objectif → macro-compétence →
compétence; the 16 savoir-être professionnels are macro-compétences of enjeu 6D with no
compétence below them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from indexing.errors import UnknownCode


class Kind(StrEnum):
    """What a code_ogr designates."""

    APPELLATION = "appellation"
    COMPETENCE = "competence"
    MACRO_COMPETENCE = "macro_competence"
    SAVOIR_ETRE = "savoir_etre"
    SAVOIR = "savoir"
    CONTEXTE = "contexte"


class CoreLevel(StrEnum):
    """Per fiche: is the item central to the job, emerging in it, or simply listed."""

    PRINCIPALE = "principale"
    EMERGENTE = "emergente"
    LISTED = "listed"


@dataclass(frozen=True, slots=True)
class Domaine:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Enjeu:
    code: str
    label: str
    domaine: str


@dataclass(frozen=True, slots=True)
class Objectif:
    code: str
    label: str
    enjeu: str


@dataclass(frozen=True, slots=True)
class MacroCompetence:
    code_ogr: str
    code: str  # e.g. "1A101": domaine 1, enjeu 1A, objectif 1A1
    label: str
    objectif: str
    savoir_etre: bool
    sous_categorie: str
    transition_eco: bool | None
    transition_num: bool | None


@dataclass(frozen=True, slots=True)
class Competence:
    code_ogr: str
    label: str
    definition: str
    macro: str  # code_ogr of its macro-compétence
    sous_categorie: str  # Technique / Technique expert / Transverse
    transition_eco: bool | None
    transition_num: bool | None


@dataclass(frozen=True, slots=True)
class Savoir:
    code_ogr: str
    label: str
    categorie: str
    sous_categorie: str
    transition_eco: bool | None
    transition_num: bool | None


@dataclass(frozen=True, slots=True)
class Contexte:
    code_ogr: str
    label: str
    type_code: str
    type_label: str


@dataclass(frozen=True, slots=True)
class Appellation:
    code_ogr: str
    label: str
    label_court: str
    code_rome: str
    principale: bool
    peu_usite: bool
    emploi_cadre: bool | None
    emploi_reglemente: bool | None


@dataclass(frozen=True, slots=True)
class FicheFlags:
    transition_eco: str  # "Emploi Blanc", "Emploi Vert", "Emploi Brun", "Emploi stratégique ..."
    transition_num: bool | None
    transition_demo: bool | None
    emploi_reglemente: bool | None
    emploi_cadre: bool | None


@dataclass(frozen=True, slots=True)
class Fiche:
    code_rome: str
    code_ogr: str
    label: str
    parent: str  # code_rome_parent
    flags: FicheFlags
    grand_domaine: str
    grand_domaine_label: str
    domaine_pro: str
    domaine_pro_label: str
    definition: str
    acces: str


@dataclass(frozen=True, slots=True)
class FicheLinks:
    """The items a fiche lists, each tuple in the files' own order."""

    appellations: tuple[str, ...]
    savoir_faire: tuple[str, ...]  # compétences and macro-compétences (rubrique 1)
    savoir_etre: tuple[str, ...]  # rubrique 2
    savoirs: tuple[str, ...]  # rubrique 3
    contextes: tuple[str, ...]  # bloc 6
    core: Mapping[str, CoreLevel] = field(default_factory=dict)

    def level(self, code_ogr: str) -> CoreLevel:
        return self.core.get(code_ogr, CoreLevel.LISTED)


@dataclass(frozen=True, slots=True)
class MobilityLink:
    source: str
    target: str
    order: int


@dataclass(frozen=True, slots=True)
class TreePath:
    """Where a competence sits: domaine → enjeu → objectif → macro-compétence."""

    domaine: Domaine
    enjeu: Enjeu
    objectif: Objectif
    macro: MacroCompetence


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    version: str  # e.g. "460"
    checksum: str  # sha256 over the files read, in name order
    source: str  # where it was read from (path), for messages


@dataclass(frozen=True, slots=True)
class Sector:
    """A sector and the fiches ROME files under it: a NAF division ("naf:78", Activités liées
    à l'emploi) or a ROME secteur d'activité ("activite:110")."""

    key: str
    label: str
    fiches: frozenset[str]


@dataclass(frozen=True, slots=True)
class Referential:
    release: ReleaseInfo
    domaines: Mapping[str, Domaine]
    enjeux: Mapping[str, Enjeu]
    objectifs: Mapping[str, Objectif]
    macros: Mapping[str, MacroCompetence]  # by code_ogr, savoir-être included
    competences: Mapping[str, Competence]
    savoirs: Mapping[str, Savoir]
    contextes: Mapping[str, Contexte]
    fiches: Mapping[str, Fiche]
    appellations: Mapping[str, Appellation]
    links: Mapping[str, FicheLinks]  # by code_rome
    mobility: Mapping[str, tuple[MobilityLink, ...]]  # by source code_rome, ordered
    sectors: Mapping[str, Sector] = field(default_factory=dict)  # optional files of a release

    # --- lookups ---------------------------------------------------------------------------

    def fiche(self, code_rome: str) -> Fiche:
        try:
            return self.fiches[code_rome]
        except KeyError:
            raise UnknownCode("fiche (code_rome)", code_rome) from None

    def appellation(self, code_ogr: str) -> Appellation:
        return _lookup(self.appellations, "appellation", code_ogr)

    def competence(self, code_ogr: str) -> Competence | MacroCompetence:
        """A compétence, or a macro-compétence (savoir-être are macro rows)."""
        item = self.competences.get(code_ogr) or self.macros.get(code_ogr)
        if item is None:
            raise UnknownCode("competence", code_ogr)
        return item

    def savoir(self, code_ogr: str) -> Savoir:
        return _lookup(self.savoirs, "savoir", code_ogr)

    def contexte(self, code_ogr: str) -> Contexte:
        return _lookup(self.contextes, "contexte de travail", code_ogr)

    def kind_of(self, code_ogr: str) -> Kind:
        if code_ogr in self.competences:
            return Kind.COMPETENCE
        if code_ogr in self.macros:
            return Kind.SAVOIR_ETRE if self.macros[code_ogr].savoir_etre else Kind.MACRO_COMPETENCE
        if code_ogr in self.savoirs:
            return Kind.SAVOIR
        if code_ogr in self.contextes:
            return Kind.CONTEXTE
        if code_ogr in self.appellations:
            return Kind.APPELLATION
        raise UnknownCode("item (code_ogr)", code_ogr)

    def label_of(self, code_ogr: str) -> str:
        for table in (
            self.competences,
            self.macros,
            self.savoirs,
            self.contextes,
            self.appellations,
        ):
            item = table.get(code_ogr)
            if item is not None:
                return str(item.label)
        raise UnknownCode("item (code_ogr)", code_ogr)

    def macro_of(self, code_ogr: str) -> MacroCompetence:
        """The macro-compétence of a compétence, or the macro itself."""
        if code_ogr in self.macros:
            return self.macros[code_ogr]
        comp = self.competences.get(code_ogr)
        if comp is None:
            raise UnknownCode("competence", code_ogr)
        return self.macros[comp.macro]

    def path(self, code_ogr: str) -> TreePath:
        """Path up the tree of a compétence, macro-compétence or savoir-être."""
        macro = self.macro_of(code_ogr)
        objectif = self.objectifs[macro.objectif]
        enjeu = self.enjeux[objectif.enjeu]
        return TreePath(self.domaines[enjeu.domaine], enjeu, objectif, macro)

    def sector(self, naf: str | None = None, activite: str | None = None) -> Sector | None:
        """The sector of a NAF code ("78.20Z", "7820Z", "78") or a ROME secteur d'activité
        code ("110"); None when the release does not know it."""
        if naf:
            digits = "".join(ch for ch in naf if ch.isdigit())[:2]
            if digits:
                return self.sectors.get(f"naf:{int(digits)}")
        if activite:
            return self.sectors.get(f"activite:{activite.strip()}")
        return None

    def fiche_links(self, code_rome: str) -> FicheLinks:
        self.fiche(code_rome)
        return self.links[code_rome]

    def counts(self) -> dict[str, int]:
        return {
            "domaines": len(self.domaines),
            "enjeux": len(self.enjeux),
            "objectifs": len(self.objectifs),
            "macro_competences": len(self.macros),
            "savoir_etre": sum(1 for m in self.macros.values() if m.savoir_etre),
            "competences": len(self.competences),
            "savoirs": len(self.savoirs),
            "contextes": len(self.contextes),
            "fiches": len(self.fiches),
            "parents": len({f.parent for f in self.fiches.values()}),
            "appellations": len(self.appellations),
            "mobility_links": sum(len(v) for v in self.mobility.values()),
        }


T = TypeVar("T")


def _lookup(table: Mapping[str, T], kind: str, code_ogr: str) -> T:
    try:
        return table[code_ogr]
    except KeyError:
        raise UnknownCode(kind, code_ogr) from None
