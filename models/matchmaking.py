"""A match request end to end: offers given as text are tagged, codes are checked, then ranked.

`Matcher` scores requirements against codes; this module turns what a caller sends (offers as
text or as codes, profiles as codes) into those requirements, so that every caller (the
service, the CLI, a notebook) matches the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from indexing.errors import InvalidInput
from models import budgets
from models.competences import CompetenceExtractor
from models.matching import Candidate, Matcher, MatchResult, Requirement

MAX_TEXT_OFFERS = 20  # offers sent as text, tagged on the fly, in one request


@dataclass(frozen=True, slots=True)
class OfferSide:
    """An offer: the competences it asks for, or its text (tagged on the fly) when it has none."""

    id: str
    requirements: tuple[Requirement, ...] = ()
    text: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileSide:
    id: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchRequest:
    """One offer against profiles, or one profile against offers."""

    offer: OfferSide | None = None
    profiles: tuple[ProfileSide, ...] = ()
    profile: ProfileSide | None = None
    offers: tuple[OfferSide, ...] = ()
    k: int = 20


@dataclass(frozen=True, slots=True)
class MatchReport:
    direction: Literal["offer_to_profiles", "profile_to_offers"]
    requirements: dict[str, tuple[Requirement, ...]]  # what each offer was taken to ask
    results: tuple[MatchResult, ...]


class Matchmaking:
    def __init__(self, matcher: Matcher, competences: CompetenceExtractor) -> None:
        self.matcher = matcher
        self.competences = competences

    def match(self, request: MatchRequest) -> MatchReport:
        if (request.offer is None) == (request.profile is None):
            raise InvalidInput("send either 'offer' with 'profiles', or 'profile' with 'offers'")
        if request.offer is not None:
            return self.offer_to_profiles(request.offer, request.profiles, request.k)
        assert request.profile is not None
        return self.profile_to_offers(request.profile, request.offers, request.k)

    def offer_to_profiles(
        self, offer: OfferSide, profiles: Sequence[ProfileSide], k: int = 20
    ) -> MatchReport:
        requirements = self.requirements_of(offer, "offer")
        candidates = []
        for i, p in enumerate(profiles):
            self.matcher.check_codes(p.codes, f"profiles[{i}]")
            candidates.append(Candidate(p.id, frozenset(p.codes)))
        results = self.matcher.rank_profiles(requirements, candidates, k)
        return MatchReport("offer_to_profiles", {offer.id: tuple(requirements)}, tuple(results))

    def profile_to_offers(
        self, profile: ProfileSide, offers: Sequence[OfferSide], k: int = 20
    ) -> MatchReport:
        self.matcher.check_codes(profile.codes, "profile")
        texts = [o.text or "" for o in offers if not o.requirements]
        if len(texts) > MAX_TEXT_OFFERS:
            raise InvalidInput(
                f"{len(texts)} offers sent as text; tag at most {MAX_TEXT_OFFERS} per request "
                "(or send their competences)"
            )
        budgets.check(
            sum(map(len, texts)),
            budgets.TAG_BATCH_CHARS,
            "the length of the offers sent as text",
            "send fewer offers as text, or their competences",
        )
        asked = [(o.id, self.requirements_of(o, f"offers[{i}]")) for i, o in enumerate(offers)]
        results = self.matcher.rank_offers(frozenset(profile.codes), asked, k)
        return MatchReport(
            "profile_to_offers", {oid: tuple(reqs) for oid, reqs in asked}, tuple(results)
        )

    def requirements_of(self, offer: OfferSide, where: str) -> list[Requirement]:
        """The offer's own list when it sent one; else what its text states (`where` names
        the offer in messages: "offers[3]")."""
        if offer.requirements:
            self.matcher.check_codes([r.code for r in offer.requirements], where)
            return list(offer.requirements)
        extraction = self.competences.extract(offer.text or "", offer.title)
        requirements = self.matcher.requirements_from(extraction)
        if not requirements:
            raise InvalidInput(f"{where}: no competence found in the text; send 'competences'")
        return requirements
