"""How close one competence is to another: the affinity matrix behind matching.

1 for the same code; `same_macro` for siblings under one macro-compétence (and between a macro
and its compétences); `same_objectif` one level up; and, across the tree, a semantic affinity
from the e5 vectors of the labels when their cosine passes a floor. The matrix is never stored
whole (17,810² cells): each row is computed on demand and cached, and can be inspected
(`GET /v1/competences/{code}/close`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexing.artifacts import IndexSet
from indexing.errors import UnknownCode
from indexing.referential import Kind, Referential
from models.configfile import flat


@dataclass(frozen=True, slots=True)
class AffinityConfig:
    same_macro: float
    same_objectif: float
    semantic_floor: float
    semantic_low: float
    semantic_high: float
    semantic_k: int
    close_threshold: float

    @classmethod
    def load(cls, path: Path | None = None) -> AffinityConfig:
        return flat(cls, "mobility.yaml", "affinity", path)


@dataclass(frozen=True, slots=True)
class Close:
    code: str
    affinity: float
    reason: str  # same_code, same_macro, same_objectif, semantic


class Affinity:
    def __init__(
        self, referential: Referential, indexes: IndexSet, config: AffinityConfig | None = None
    ) -> None:
        self.ref = referential
        self.config = config or AffinityConfig.load()
        self._children: dict[str, list[str]] = defaultdict(list)
        self._by_objectif: dict[str, list[str]] = defaultdict(list)
        for comp in referential.competences.values():
            self._children[comp.macro].append(comp.code_ogr)
        for macro in referential.macros.values():
            if not macro.savoir_etre:
                self._by_objectif[macro.objectif].append(macro.code_ogr)
        self._index = indexes["competences"]
        self._macro_index = indexes["macro_competences"]
        # Rows computed so far. Bounded by the referential (≈18k items × a few hundred
        # neighbours), so no eviction is needed.
        self._rows: dict[str, tuple[Close, ...]] = {}

    def macro_of(self, code: str) -> str:
        return self.ref.macro_of(code).code_ogr

    def objectif_of(self, code: str) -> str:
        return self.ref.macro_of(code).objectif

    def _check(self, code: str) -> None:
        kind = self.ref.kind_of(code)
        if kind not in (Kind.COMPETENCE, Kind.MACRO_COMPETENCE):
            raise UnknownCode("compétence or macro-compétence", code)

    def _vector(self, code: str) -> np.ndarray:
        index = self._index if code in self._index.row_of else self._macro_index
        vector: np.ndarray = index.vectors()[index.row_of[code]]
        return vector

    def _semantic(self, codes: list[str]) -> dict[str, list[Close]]:
        """Items whose label means nearly the same, anywhere in the tree; one batched search."""
        c = self.config
        out: dict[str, list[Close]] = {code: [] for code in codes}
        if not codes:
            return out
        queries = np.stack([self._vector(code) for code in codes])
        for index in (self._index, self._macro_index):
            for code, hits in zip(
                codes, index.dense_search(queries, c.semantic_k + 1), strict=True
            ):
                for hit in hits:
                    if hit.id == code or hit.score < c.semantic_floor:
                        continue
                    share = (hit.score - c.semantic_floor) / (1 - c.semantic_floor)
                    affinity = c.semantic_low + share * (c.semantic_high - c.semantic_low)
                    out[code].append(Close(hit.id, round(affinity, 4), "semantic"))
        return out

    def _compute_row(self, code: str, semantic: list[Close]) -> tuple[Close, ...]:
        c = self.config
        best: dict[str, Close] = {}

        def offer(item: Close) -> None:
            if item.code not in best or item.affinity > best[item.code].affinity:
                best[item.code] = item

        macro = self.macro_of(code)
        for sibling in (macro, *self._children[macro]):
            if sibling != code:
                offer(Close(sibling, c.same_macro, "same_macro"))
        for other_macro in self._by_objectif[self.objectif_of(code)]:
            if other_macro == macro:
                continue
            offer(Close(other_macro, c.same_objectif, "same_objectif"))
            for child in self._children[other_macro]:
                offer(Close(child, c.same_objectif, "same_objectif"))
        for item in semantic:
            offer(item)
        return tuple(sorted(best.values(), key=lambda i: (-i.affinity, i.code)))

    def prefetch(self, codes: list[str]) -> None:
        """Compute the rows of these codes (semantic neighbours in one batch)."""
        todo = list(dict.fromkeys(c for c in codes if c not in self._rows))
        for code in todo:
            self._check(code)
        for code, semantic in self._semantic(todo).items():
            self._rows[code] = self._compute_row(code, semantic)

    def row(self, code: str) -> tuple[Close, ...]:
        """Every item with a non-zero affinity to `code` (itself excluded), closest first."""
        if code not in self._rows:
            self.prefetch([code])
        return self._rows[code]

    def close(self, code: str, k: int = 20) -> list[Close]:
        return [Close(code, 1.0, "same_code"), *self.row(code)[: max(0, k - 1)]]

    def affinities(self, code: str) -> dict[str, float]:
        return {item.code: item.affinity for item in self.row(code)}
