"""How close two jobs are, or a person's competences to a job, in the ROME competence language.

Each fiche is described by blocks of weighted features: its savoir-faire (core items weigh
more), the macro-compétences and objectifs they sit under (so "informer, renseigner une personne"
in a reception job is close to "renseigner un usager" in a social job), its savoirs, its
contextes de travail, and the mean e5 vector of its savoir-faire labels. Items shared by many
fiches ("Respecter les règles QHSSE") carry little: features are IDF-weighted. Proximity is a
weighted sum of per-block cosines. A person's profile (a list of code_ogr) is projected into the
same blocks, so "from a job" and "from a profile" are one computation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from indexing.artifacts import IndexSet
from indexing.errors import InvalidInput, UnknownCode
from indexing.referential import CoreLevel, Kind, Referential
from models import configfile as cf
from models.configfile import section

BLOCKS = ("items", "macros", "objectifs", "savoirs", "contextes", "semantic", "domaine", "label")
# Only a fiche has a domain and a label: from a person's profile these blocks are left out.
FICHE_ONLY = ("domaine", "label")


@dataclass(frozen=True, slots=True)
class ProximityConfig:
    weights: dict[str, float]
    level_weight: dict[CoreLevel, float]

    @classmethod
    def load(cls, path: Path | None = None) -> ProximityConfig:
        with section("mobility.yaml", "proximity", path) as raw:
            return cls(
                weights={b: cf.number(raw["weights"][b]) for b in BLOCKS},
                level_weight={CoreLevel(k): cf.number(v) for k, v in raw["level_weight"].items()},
            )


@dataclass(frozen=True, slots=True)
class Profile:
    """What a person (or a job) has: savoir-faire with weights, savoirs, contextes."""

    savoir_faire: dict[str, float]
    savoirs: frozenset[str]
    contextes: frozenset[str]


class Proximity:
    def __init__(
        self, referential: Referential, indexes: IndexSet, config: ProximityConfig | None = None
    ) -> None:
        self.ref = referential
        self.config = config or ProximityConfig.load()
        self.fiches: tuple[str, ...] = tuple(sorted(referential.fiches))
        self.row_of = {code: i for i, code in enumerate(self.fiches)}
        self._vocab: dict[str, dict[str, int]] = {b: {} for b in BLOCKS if b != "semantic"}
        profiles = [self.fiche_profile(code) for code in self.fiches]
        raw = {b: self._counts(profiles, b) for b in self._vocab}
        self._idf = {b: self._idf_of(m) for b, m in raw.items()}
        self.blocks: dict[str, sparse.csr_matrix] = {
            b: _normalise_rows(m.multiply(self._idf[b]).tocsr()) for b, m in raw.items()
        }
        self._item_vectors = _item_vectors(referential, indexes)
        self._dim = indexes["competences"].vectors().shape[1]
        self.semantic = self._semantic_rows(profiles)
        fiche_index = indexes["fiches"]
        self.labels = fiche_index.vectors()[[fiche_index.row_of[c] for c in self.fiches]]
        self.domains = self._domain_matrix()

    # --- profiles -----------------------------------------------------------------------------

    def fiche_profile(self, code_rome: str) -> Profile:
        links = self.ref.fiche_links(code_rome)
        weights = self.config.level_weight
        return Profile(
            savoir_faire={c: weights[links.level(c)] for c in links.savoir_faire},
            savoirs=frozenset(links.savoirs),
            contextes=frozenset(links.contextes),
        )

    def profile_of(self, codes: Iterable[str]) -> Profile:
        """A person's profile from code_ogr of any kind (unknown codes are an error)."""
        savoir_faire: dict[str, float] = {}
        savoirs, contextes = set(), set()
        for code in codes:
            kind = self.ref.kind_of(code)  # raises UnknownCode
            if kind in (Kind.COMPETENCE, Kind.MACRO_COMPETENCE):
                savoir_faire[code] = 1.0
            elif kind is Kind.SAVOIR:
                savoirs.add(code)
            elif kind is Kind.CONTEXTE:
                contextes.add(code)
        if not savoir_faire and not savoirs:
            raise InvalidInput(
                "the profile has no savoir-faire or savoir; send compétence, macro-compétence "
                "or savoir code_ogr (savoir-être and contextes alone say nothing of a job)"
            )
        return Profile(savoir_faire, frozenset(savoirs), frozenset(contextes))

    def _features(self, profile: Profile, block: str) -> dict[str, float]:
        ref = self.ref
        out: dict[str, float] = defaultdict(float)
        if block == "items":
            out.update(profile.savoir_faire)
        elif block in ("macros", "objectifs"):
            for code, w in profile.savoir_faire.items():
                macro = ref.macro_of(code)
                key = macro.code_ogr if block == "macros" else macro.objectif
                out[key] += w
        elif block == "savoirs":
            out.update(dict.fromkeys(profile.savoirs, 1.0))
        elif block == "contextes":
            out.update(dict.fromkeys(profile.contextes, 1.0))
        return out

    def _counts(self, profiles: Sequence[Profile], block: str) -> sparse.csr_matrix:
        vocab = self._vocab[block]
        rows, cols, vals = [], [], []
        for i, profile in enumerate(profiles):
            for key, w in self._features(profile, block).items():
                cols.append(vocab.setdefault(key, len(vocab)))
                rows.append(i)
                vals.append(w)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(profiles), len(vocab)))

    @staticmethod
    def _idf_of(m: sparse.csr_matrix) -> np.ndarray:
        df = np.asarray((m > 0).sum(axis=0)).ravel()
        n = m.shape[0]
        return np.log((n + 1) / (df + 1)) + 1.0

    def _query(self, profile: Profile, block: str) -> np.ndarray:
        vocab = self._vocab[block]
        q = np.zeros(len(vocab), dtype=np.float64)
        for key, w in self._features(profile, block).items():
            col = vocab.get(key)
            if col is not None:
                q[col] = w * self._idf[block][col]
        norm = np.linalg.norm(q)
        return q / norm if norm else q

    def _semantic_vector(self, profile: Profile) -> np.ndarray:
        vectors = [
            w * self._item_vectors[c]
            for c, w in profile.savoir_faire.items()
            if c in self._item_vectors
        ]
        if not vectors:
            return np.zeros(self._dim, dtype=np.float32)
        v = np.sum(vectors, axis=0)
        return np.asarray(v / (np.linalg.norm(v) or 1.0), dtype=np.float32)

    def _semantic_rows(self, profiles: Sequence[Profile]) -> np.ndarray:
        return np.stack([self._semantic_vector(p) for p in profiles])

    def _domain_matrix(self) -> sparse.csr_matrix:
        """Unit rows over (domaine pro, grand domaine) indicators: the cosine of two fiches is
        1 in the same domaine pro (N41), 0.5 in the same grand domaine (N) only."""
        keys: dict[str, int] = {}
        rows, cols = [], []
        for i, code in enumerate(self.fiches):
            fiche = self.ref.fiches[code]
            for key in (f"d:{fiche.domaine_pro}", f"g:{fiche.grand_domaine}"):
                rows.append(i)
                cols.append(keys.setdefault(key, len(keys)))
        m = sparse.csr_matrix(
            (np.full(len(rows), 1 / math.sqrt(2)), (rows, cols)),
            shape=(len(self.fiches), len(keys)),
        )
        return m

    # --- scores -------------------------------------------------------------------------------

    def block_scores(self, profile: Profile, fiche: str | None = None) -> dict[str, np.ndarray]:
        """Per block, the cosine of the profile with every fiche (rows in `self.fiches`); the
        fiche-only blocks when the profile is that fiche's."""
        out = {b: self.blocks[b] @ self._query(profile, b) for b in self.blocks}
        out["semantic"] = self.semantic @ self._semantic_vector(profile)
        if fiche is not None:
            row = self.row_of[fiche]
            out["domaine"] = (self.domains @ self.domains[row].T).toarray().ravel()
            out["label"] = self.labels @ self.labels[row]
        return out

    def scores(self, profile: Profile, fiche: str | None = None) -> np.ndarray:
        """Blended proximity of the profile (of `fiche`, if it is one) to every fiche."""
        blocks = self.block_scores(profile, fiche)
        weights = {b: w for b, w in self.config.weights.items() if b in blocks}
        total = sum(weights.values()) or 1.0
        return np.asarray(sum(w * blocks[b] for b, w in weights.items()) / total)

    def all_pairs(self) -> dict[str, np.ndarray]:
        """Fiche × fiche cosine per block (for evaluation: 1,584² floats per block)."""
        out = {b: (m @ m.T).toarray().astype(np.float32) for b, m in self.blocks.items()}
        out["semantic"] = self.semantic @ self.semantic.T
        out["domaine"] = (self.domains @ self.domains.T).toarray().astype(np.float32)
        out["label"] = self.labels @ self.labels.T
        return out

    def check_fiche(self, code_rome: str) -> None:
        if code_rome not in self.row_of:
            raise UnknownCode("fiche (code_rome)", code_rome)


def _normalise_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def _item_vectors(ref: Referential, indexes: IndexSet) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name in ("competences", "macro_competences"):
        index = indexes[name]
        vectors = index.vectors()
        for row, code in enumerate(index.ids):
            out[code] = vectors[row]
    return out


def jaccard_rows(ref: Referential, fiches: Sequence[str]) -> np.ndarray:
    """The baseline: plain Jaccard overlap of the fiches' savoir-faire codes."""
    sets = [set(ref.links[c].savoir_faire) for c in fiches]
    n = len(fiches)
    out = np.zeros((n, n), dtype=np.float32)
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, s in enumerate(sets):
        for code in s:
            rows.append(i)
            cols.append(vocab.setdefault(code, len(vocab)))
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocab)))
    inter = (m @ m.T).toarray()
    sizes = np.asarray(m.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - inter
    np.divide(inter, union, out=out, where=union > 0, casting="unsafe")
    return out
