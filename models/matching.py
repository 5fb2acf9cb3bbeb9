"""Offer ↔ profile matching on explicit competences, explained.

A requirement (an item the offer asks for) is met by a profile with the best affinity of any of
the profile's items to it: 1 for the item itself, less for a sibling under the same
macro-compétence, an item under the same objectif, or one that means nearly the same
(`affinity.py`). The score is the weighted mean over requirements (required and core items
weigh more). One offer against many profiles is computed as sparse matrix products, so ten
thousand profiles take well under a second; one profile against many offers is the same
computation per offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from indexing.errors import InvalidInput, UnknownCode
from indexing.referential import CoreLevel, Kind, Referential
from models import budgets
from models.affinity import Affinity
from models.competences import Extraction
from models.configfile import flat
from models.stages import timed

MAX_PROFILES = 10_000
MAX_OFFERS = 1_000
MAX_ITEMS = 500  # per profile or offer


@dataclass(frozen=True, slots=True)
class Requirement:
    code: str
    required: bool = True
    core: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Met:
    requirement: str
    have: str
    affinity: float
    reason: str  # same_code, same_macro, same_objectif, semantic


@dataclass(frozen=True, slots=True)
class MatchResult:
    id: str
    score: float
    exact: tuple[str, ...]
    through_affinity: tuple[Met, ...]
    missing_required: tuple[str, ...]
    missing_optional: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchingConfig:
    required_weight: float
    optional_weight: float
    core_bonus: float

    @classmethod
    def load(cls, path: Path | None = None) -> MatchingConfig:
        return flat(cls, "mobility.yaml", "matching", path)


class Matcher:
    def __init__(
        self,
        referential: Referential,
        affinity: Affinity,
        config: MatchingConfig | None = None,
        threshold: float | None = None,
    ) -> None:
        self.ref = referential
        self.affinity = affinity
        self.config = config or MatchingConfig.load()
        # Affinity from which a requirement counts as met; above 1, only equal codes count.
        self.threshold = affinity.config.close_threshold if threshold is None else threshold
        self._cache: dict[str, dict[str, tuple[float, str]]] = {}

    # --- inputs -------------------------------------------------------------------------------

    def requirements_from(self, extraction: Extraction) -> list[Requirement]:
        """What a tagged offer asks: the items found in its text (required unless it said
        "souhaité"), and the core items of its fiche as nice-to-have."""
        out: dict[str, Requirement] = {}
        for item in extraction.found:
            if item.kind is Kind.CONTEXTE:
                continue
            out[item.code_ogr] = Requirement(
                item.code_ogr, item.required is not False, item.level is CoreLevel.PRINCIPALE
            )
        for item in extraction.suggested:
            if item.level is CoreLevel.PRINCIPALE and item.kind is not Kind.CONTEXTE:
                out.setdefault(item.code_ogr, Requirement(item.code_ogr, False, True))
        return list(out.values())

    def check_codes(self, codes: Sequence[str], where: str) -> None:
        if len(codes) > MAX_ITEMS:
            raise InvalidInput(f"{where}: at most {MAX_ITEMS} items")
        for code in codes:
            try:
                self.ref.kind_of(code)
            except UnknownCode:
                # In a request body an unknown code is bad input (422), not a missing page.
                raise InvalidInput(
                    f"{where}: unknown code_ogr {code!r}; send codes of this ROME release"
                ) from None

    def _weight(self, r: Requirement) -> float:
        c = self.config
        return (c.required_weight if r.required else c.optional_weight) + (
            c.core_bonus if r.core else 0.0
        )

    def _neighbours(self, code: str) -> dict[str, tuple[float, str]]:
        """Items meeting `code` through affinity (competences and macros only); cached, as the
        affinity rows are (bounded by the referential)."""
        found = self._cache.get(code)
        if found is None:
            found = self._cache[code] = (
                {
                    c.code: (c.affinity, c.reason)
                    for c in self.affinity.row(code)
                    if c.affinity >= self.threshold
                }
                if self.ref.kind_of(code) in (Kind.COMPETENCE, Kind.MACRO_COMPETENCE)
                else {}
            )
        return found

    # --- one offer, many profiles -------------------------------------------------------------

    @timed("match.rank")
    def rank_profiles(
        self, requirements: Sequence[Requirement], profiles: Sequence[Candidate], k: int = 20
    ) -> list[MatchResult]:
        if not requirements:
            raise InvalidInput("the offer asks for no competence; send codes or a richer text")
        if not profiles:
            raise InvalidInput("send at least one profile")
        if len(profiles) > MAX_PROFILES:
            raise InvalidInput(f"at most {MAX_PROFILES} profiles per request")
        budgets.check(
            sum(len(p.codes) for p in profiles),
            budgets.MATCH_PROFILE_CODES,
            "the number of codes over all profiles",
            "send fewer profiles per request",
        )
        _check_reply(min(k, len(profiles)), len(requirements))
        self.affinity.prefetch(
            [
                r.code
                for r in requirements
                if self.ref.kind_of(r.code) in (Kind.COMPETENCE, Kind.MACRO_COMPETENCE)
            ]
        )
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, p in enumerate(profiles):
            for code in p.codes:
                rows.append(i)
                cols.append(vocab.setdefault(code, len(vocab)))
        have = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(profiles), len(vocab))
        )
        best = np.zeros((len(profiles), len(requirements)), dtype=np.float32)
        for j, r in enumerate(requirements):
            columns = [(vocab[r.code], 1.0)] if r.code in vocab else []
            for code, (aff, _) in self._neighbours(r.code).items():
                if code in vocab:
                    columns.append((vocab[code], aff))
            if not columns:
                continue
            idx = [c for c, _ in columns]
            weights = sparse.diags(np.array([a for _, a in columns], dtype=np.float32))
            best[:, j] = (have[:, idx] @ weights).max(axis=1).toarray().ravel()
        w = np.array([self._weight(r) for r in requirements], dtype=np.float32)
        scores = best @ w / w.sum()
        top = np.argsort(-scores, kind="stable")[: max(1, k)]
        return [
            self._explain(profiles[i].id, float(scores[i]), requirements, profiles[i].codes)
            for i in top
        ]

    # --- one profile, many offers -------------------------------------------------------------

    @timed("match.rank")
    def rank_offers(
        self,
        profile: frozenset[str],
        offers: Sequence[tuple[str, Sequence[Requirement]]],
        k: int = 20,
    ) -> list[MatchResult]:
        if not profile:
            raise InvalidInput("the profile has no competence; send codes or a CV parse")
        if len(offers) > MAX_OFFERS:
            raise InvalidInput(f"at most {MAX_OFFERS} offers per request")
        budgets.check(
            sum(len(reqs) for _, reqs in offers) * len(profile),
            budgets.MATCH_PAIRS,
            "requirements of all offers × the profile's codes",
            "send fewer offers per request",
        )
        _check_reply(min(k, len(offers)), max((len(reqs) for _, reqs in offers), default=0))
        self.affinity.prefetch(
            [
                r.code
                for _, reqs in offers
                for r in reqs
                if self.ref.kind_of(r.code) in (Kind.COMPETENCE, Kind.MACRO_COMPETENCE)
            ]
        )
        scored = []
        for offer_id, reqs in offers:
            if not reqs:
                scored.append((0.0, offer_id, reqs))
                continue
            total = sum(self._weight(r) for r in reqs)
            value = sum(self._weight(r) * self._met(r, profile)[0] for r in reqs) / total
            scored.append((value, offer_id, reqs))
        scored.sort(key=lambda s: -s[0])
        return [self._explain(oid, v, reqs, profile) for v, oid, reqs in scored[: max(1, k)]]

    # --- explanations -------------------------------------------------------------------------

    def _met(self, r: Requirement, codes: frozenset[str]) -> tuple[float, Met | None]:
        if r.code in codes:
            return 1.0, Met(r.code, r.code, 1.0, "same_code")
        best: tuple[float, Met | None] = (0.0, None)
        neighbours = self._neighbours(r.code)
        for code in codes:  # a profile is small; a neighbourhood is hundreds of items
            found = neighbours.get(code)
            if found is not None and found[0] > best[0]:
                best = (found[0], Met(r.code, code, found[0], found[1]))
        return best

    def _explain(
        self, id_: str, score: float, requirements: Sequence[Requirement], codes: frozenset[str]
    ) -> MatchResult:
        exact, through, missing_req, missing_opt = [], [], [], []
        for r in requirements:
            _, met = self._met(r, codes)
            if met is not None and met.reason == "same_code":
                exact.append(r.code)
            elif met is not None:
                through.append(met)
            elif r.required:
                missing_req.append(r.code)
            else:
                missing_opt.append(r.code)
        return MatchResult(
            id_,
            round(score, 4),
            tuple(exact),
            tuple(through),
            tuple(missing_req),
            tuple(missing_opt),
        )


def _check_reply(results: int, requirements: int) -> None:
    budgets.check(
        results * requirements,
        budgets.MATCH_REPLY_ENTRIES,
        "results (k) × requirements explained",
        "ask for fewer results (k)",
    )
