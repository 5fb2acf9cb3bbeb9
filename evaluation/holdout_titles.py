"""Leave-appellation-out: can the resolver place a job title the referential does not hold?

Appellations whose fiche has at least one other are split into folds (seeded). For each fold, a
resolver is built on a referential without them: their rows leave the appellation index (its
lexical part is rebuilt, so word weights do not count them), and their words leave the
vocabulary that spelling correction and title heads are made of. Each held-out appellation's
label (its first gender form) is then resolved as a title, with no description: fiche top-1 and
top-5, and the parent fiche's top-1. This mirrors variant titles of other referentials (ESCO),
which name ROME's jobs in words ROME does not use for them.

    passerelle eval titles --holdout-appellations [--folds 5] [--seed 0] [--json]

The fiche labels stay: a held-out appellation worded like its fiche's label is found through it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import faiss
import numpy as np

from indexing.artifacts import CollectionIndex, IndexSet
from indexing.documents import appellation_documents
from indexing.lexical import LexicalIndex
from indexing.referential import Referential
from indexing.textnorm import gender_forms
from models.runtime import Passerelle
from models.titles import MAX_TITLE_CHARS, TitleQuery, TitleResolver


@dataclass(frozen=True, slots=True)
class HeldOut:
    code_ogr: str
    title: str
    fiche: str
    parent: str


def eligible(ref: Referential) -> list[HeldOut]:
    """Appellations that are not their fiche's only one, as the titles to resolve."""
    out = []
    for code, links in ref.links.items():
        if len(links.appellations) < 2 or code not in ref.fiches:
            continue
        for a in links.appellations:
            app = ref.appellations[a]
            title = gender_forms(app.label)[0][:MAX_TITLE_CHARS]
            out.append(HeldOut(a, title, code, ref.fiches[code].parent))
    return sorted(out, key=lambda h: h.code_ogr)


def folds(items: Sequence[HeldOut], k: int, seed: int) -> list[list[HeldOut]]:
    """`k` folds; a fiche's appellations are dealt round the folds from a random one, so no fold
    takes all of a fiche's appellations away (each has at least two, and k >= 2)."""
    if k < 2:
        raise ValueError("--folds must be at least 2")
    rng = random.Random(seed)
    by_fiche: dict[str, list[HeldOut]] = {}
    for h in items:
        by_fiche.setdefault(h.fiche, []).append(h)
    out: list[list[HeldOut]] = [[] for _ in range(k)]
    for fiche in sorted(by_fiche):
        group = by_fiche[fiche]
        rng.shuffle(group)
        start = rng.randrange(k)
        for j, h in enumerate(group):
            out[(start + j) % k].append(h)
    return out


def without(ref: Referential, indexes: IndexSet, held: set[str]) -> tuple[Referential, IndexSet]:
    """The referential and indexes as if these appellations did not exist."""
    kept_ref = replace(
        ref,
        appellations={c: a for c, a in ref.appellations.items() if c not in held},
        links={
            code: replace(links, appellations=tuple(a for a in links.appellations if a not in held))
            for code, links in ref.links.items()
        },
    )
    index = indexes["appellations"]
    docs = appellation_documents(kept_ref)
    vectors = index.vectors()[[index.row_of[d.id] for d in docs]]
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
    lexical = LexicalIndex.build([d.forms for d in docs])
    apps = CollectionIndex([d.id for d in docs], dense, lexical)
    return kept_ref, replace(indexes, collections={**indexes.collections, "appellations": apps})


def evaluate(
    core: Passerelle,
    k: int = 5,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    ref = core.referential
    titles = core.titles
    config, french = titles.config, titles.french
    rows: list[tuple[bool, bool, bool]] = []
    parts = folds(eligible(ref), k, seed)
    for i, part in enumerate(parts):
        kept_ref, kept_indexes = without(ref, core.indexes, {h.code_ogr for h in part})
        resolver = TitleResolver(kept_ref, core.encoder, kept_indexes, config, french=french)
        queries = resolver.prime([TitleQuery(h.title) for h in part])
        for h, q in zip(part, queries, strict=True):
            fiches = [c.fiche for c in resolver.resolve(q, k=5).candidates]
            codes = [f.code_rome for f in fiches]
            rows.append(
                (
                    bool(codes) and codes[0] == h.fiche,
                    h.fiche in codes,
                    bool(fiches) and fiches[0].parent == h.parent,
                )
            )
        if progress:
            progress(i + 1, len(parts))
    n = len(rows)
    return {
        "titles": n,
        "folds": k,
        "seed": seed,
        "fiche_top1": round(sum(r[0] for r in rows) / n, 4) if n else None,
        "fiche_top5": round(sum(r[1] for r in rows) / n, 4) if n else None,
        "parent_top1": round(sum(r[2] for r in rows) / n, 4) if n else None,
    }
