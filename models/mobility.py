"""Aires de mobilité: from a job or from a person's competences, the jobs within reach.

Targets are ranked by proximity (`proximity.py`); each comes with what is shared, what is
within reach through close competences (same macro-compétence, or nearly the same meaning),
and what must be learnt, grouped by macro-compétence: the gap to train for. Whether the target
is in France Travail's official mobility list is said, never used to rank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexing.errors import InvalidInput, UnknownCode
from indexing.referential import CoreLevel, Fiche, Referential
from models.affinity import Affinity
from models.configfile import flat
from models.proximity import Profile, Proximity
from models.stages import timed

MAX_K = 100


@dataclass(frozen=True, slots=True)
class Transfer:
    target_item: str  # what the target job asks
    have: str  # the close competence the person has
    affinity: float
    reason: str


@dataclass(frozen=True, slots=True)
class Gap:
    macro: str  # code_ogr of the macro-compétence
    label: str
    items: tuple[str, ...]  # the target's items under it that the person lacks
    core: int  # how many of them are core to the target


@dataclass(frozen=True, slots=True)
class Target:
    fiche: Fiche
    score: float
    official: bool  # in the official ROME→ROME mobility list of the source fiche
    official_order: int | None
    shared: tuple[str, ...]
    transferable: tuple[Transfer, ...]
    gaps: tuple[Gap, ...]
    missing_savoirs: tuple[str, ...]
    coverage: float  # share of the target's savoir-faire shared or within reach
    tension: Any  # what the caller said about the target ("in tension" data), echoed


@dataclass(frozen=True, slots=True)
class MobilityResult:
    source_fiche: str | None
    profile_size: int
    targets: tuple[Target, ...]


@dataclass(frozen=True, slots=True)
class MobilityConfig:
    transferable: float  # from this affinity, an item the target asks for is within reach

    @classmethod
    def load(cls, path: Path | None = None) -> MobilityConfig:
        return flat(cls, "mobility.yaml", "mobility", path)


class Mobility:
    def __init__(
        self,
        referential: Referential,
        proximity: Proximity,
        affinity: Affinity,
        config: MobilityConfig | None = None,
    ) -> None:
        self.ref = referential
        self.proximity = proximity
        self.affinity = affinity
        self.config = config or MobilityConfig.load()
        self.transferable = self.config.transferable

    @timed("mobility")
    def from_fiche(
        self, code_rome: str, k: int = 10, tension: Mapping[str, Any] | None = None
    ) -> MobilityResult:
        self.proximity.check_fiche(code_rome)
        profile = self.proximity.fiche_profile(code_rome)
        scores = self.proximity.scores(profile, fiche=code_rome)
        return self._result(profile, scores, k, code_rome, tension)

    @timed("mobility")
    def from_profile(
        self,
        codes: Iterable[str],
        k: int = 10,
        tension: Mapping[str, Any] | None = None,
        current_fiche: str | None = None,
    ) -> MobilityResult:
        """From a person's competences (code_ogr); `current_fiche` (their job, if known) is
        left out of the targets and names the official list to flag."""
        codes = list(dict.fromkeys(codes))
        if not codes:
            raise InvalidInput(
                "no competence in the profile: send code_ogr in 'competences', or a CV parse "
                "or offer tagging that found some in 'tagged'"
            )
        if current_fiche is not None:
            self.proximity.check_fiche(current_fiche)
        try:
            profile = self.proximity.profile_of(codes)
        except UnknownCode as exc:
            raise InvalidInput(
                f"unknown code_ogr {exc.code_value!r} in the profile; "
                "send codes of this ROME release"
            ) from None
        scores = self.proximity.scores(profile)
        return self._result(profile, scores, k, current_fiche, tension)

    def _result(
        self,
        profile: Profile,
        scores: np.ndarray,
        k: int,
        source: str | None,
        tension: Mapping[str, Any] | None,
    ) -> MobilityResult:
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}")
        order = np.argsort(-scores, kind="stable")
        official = {link.target: link.order for link in self.ref.mobility.get(source or "", ())}
        self.affinity.prefetch(list(profile.savoir_faire))
        reach = self._reach(profile)
        targets = []
        for row in order:
            code = self.proximity.fiches[int(row)]
            if code == source:
                continue
            targets.append(
                self._target(code, float(scores[row]), profile, reach, official, tension)
            )
            if len(targets) == k:
                break
        return MobilityResult(source, len(profile.savoir_faire), tuple(targets))

    def _reach(self, profile: Profile) -> dict[str, tuple[float, str, str]]:
        """For every item close to something the person has: (affinity, have, reason)."""
        reach: dict[str, tuple[float, str, str]] = {}
        for have in profile.savoir_faire:
            for close in self.affinity.row(have):
                if close.affinity < self.transferable:
                    break  # rows are sorted, closest first
                if close.code not in reach or close.affinity > reach[close.code][0]:
                    reach[close.code] = (close.affinity, have, close.reason)
        return reach

    def _target(
        self,
        code: str,
        score: float,
        profile: Profile,
        reach: Mapping[str, tuple[float, str, str]],
        official: Mapping[str, int],
        tension: Mapping[str, Any] | None,
    ) -> Target:
        links = self.ref.links[code]
        shared, transfers = [], []
        missing: dict[str, list[str]] = defaultdict(list)
        for item in links.savoir_faire:
            if item in profile.savoir_faire:
                shared.append(item)
            elif item in reach:
                affinity, have, reason = reach[item]
                transfers.append(Transfer(item, have, affinity, reason))
            else:
                missing[self.ref.macro_of(item).code_ogr].append(item)
        gaps = sorted(
            (
                Gap(
                    macro,
                    self.ref.macros[macro].label,
                    tuple(items),
                    sum(1 for i in items if links.level(i) is CoreLevel.PRINCIPALE),
                )
                for macro, items in missing.items()
            ),
            key=lambda g: (-g.core, -len(g.items), g.macro),
        )
        total = len(links.savoir_faire) or 1
        return Target(
            fiche=self.ref.fiches[code],
            score=round(score, 4),
            official=code in official,
            official_order=official.get(code),
            shared=tuple(shared),
            transferable=tuple(transfers),
            gaps=tuple(gaps),
            missing_savoirs=tuple(s for s in links.savoirs if s not in profile.savoirs),
            coverage=round((len(shared) + len(transfers)) / total, 4),
            tension=(tension or {}).get(code),
        )
