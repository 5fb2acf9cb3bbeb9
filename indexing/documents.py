"""What each index holds: one `Document` per referential item, by collection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexing.referential import Referential
from indexing.textnorm import fold, gender_forms


@dataclass(frozen=True, slots=True)
class Document:
    id: str  # code_ogr, or code_rome for fiches
    text: str  # what the dense encoder sees
    forms: tuple[str, ...]  # what the lexical index matches (all surface forms)


def _unique(forms: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for form in forms:
        seen.setdefault(fold(form), form)
    return tuple(seen.values())


def appellation_documents(ref: Referential) -> list[Document]:
    docs = []
    for a in ref.appellations.values():
        forms = gender_forms(a.label) + gender_forms(a.label_court)
        docs.append(Document(a.code_ogr, forms[0], _unique(forms)))
    return docs


def fiche_documents(ref: Referential) -> list[Document]:
    docs = []
    for f in ref.fiches.values():
        forms = gender_forms(f.label)
        docs.append(Document(f.code_rome, forms[0], _unique(forms)))
    return docs


def competence_documents(ref: Referential) -> list[Document]:
    return [Document(c.code_ogr, c.label, (c.label,)) for c in ref.competences.values()]


def macro_documents(ref: Referential) -> list[Document]:
    return [Document(m.code_ogr, m.label, (m.label,)) for m in ref.macros.values()]


def savoir_documents(ref: Referential) -> list[Document]:
    return [Document(s.code_ogr, s.label, (s.label,)) for s in ref.savoirs.values()]


def contexte_documents(ref: Referential) -> list[Document]:
    return [Document(c.code_ogr, c.label, (c.label,)) for c in ref.contextes.values()]


COLLECTIONS: dict[str, Callable[[Referential], list[Document]]] = {
    "appellations": appellation_documents,
    "fiches": fiche_documents,
    "competences": competence_documents,
    "macro_competences": macro_documents,
    "savoirs": savoir_documents,
    "contextes": contexte_documents,
}
