"""HTTP schemas of mobility, matching and competence affinity."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from pydantic import BaseModel, Field, model_validator

from indexing.referential import Referential
from models import budgets
from models.affinity import Close
from models.matching import MAX_ITEMS, MAX_OFFERS, MAX_PROFILES, MatchResult, Met, Requirement
from models.matchmaking import MatchReport, MatchRequest, OfferSide, ProfileSide
from models.mobility import MobilityResult, Target
from service.schemas import FicheRef

MAX_K = 100


def item_ref(ref: Referential, code: str) -> dict[str, str]:
    """A referential item as the responses name it: code and label."""
    return {"code_ogr": code, "label": ref.label_of(code)}


class ItemRefIn(BaseModel):
    """An item of a tagging or CV reply; only its code is read (the rest may come along)."""

    code_ogr: str = Field(pattern=r"^\d{1,9}$")


class FoundIn(BaseModel):
    savoir_faire: list[ItemRefIn] = Field(default_factory=list)
    savoirs: list[ItemRefIn] = Field(default_factory=list)
    savoir_etre: list[ItemRefIn] = Field(default_factory=list)
    contextes: list[ItemRefIn] = Field(default_factory=list)


class TaggedIn(BaseModel):
    """The JSON of `POST /v1/offers/tag` or `POST /v1/cvs/parse`, as it was returned: its
    `found` items are read (not what it suggested); every other field is ignored."""

    found: FoundIn

    def codes(self) -> list[str]:
        f = self.found
        items = (*f.savoir_faire, *f.savoirs, *f.savoir_etre, *f.contextes)
        return list(dict.fromkeys(i.code_ogr for i in items))


class ProfileIn(BaseModel):
    """A person's competences: code_ogr, and/or the JSON of `POST /v1/cvs/parse` or of
    `POST /v1/offers/tag` (its `found` items are read)."""

    id: str = Field("profile", max_length=200)
    competences: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    tagged: TaggedIn | None = Field(None, description="a CV parse or tagging response")

    def codes(self) -> list[str]:
        tagged = self.tagged.codes() if self.tagged else []
        return list(dict.fromkeys([*self.competences, *tagged]))[:MAX_ITEMS]

    def side(self) -> ProfileSide:
        return ProfileSide(self.id, tuple(self.codes()))


class MobilityIn(ProfileIn):
    current_fiche: str | None = Field(
        None, pattern=r"^[A-Na-n]\d{4}$", description="the person's job, left out of targets"
    )
    k: int = Field(10, ge=1, le=MAX_K)
    tension: dict[str, Any] = Field(
        default_factory=dict,
        description="what you know of the labour market per code_rome (e.g. tension "
        "indicators); echoed on each target",
    )


class TransferOut(BaseModel):
    target_item: str
    target_label: str
    have: str
    have_label: str
    affinity: float
    reason: str


class GapOut(BaseModel):
    macro_competence: str
    label: str
    core: int = Field(description="how many missing items are core to the target")
    items: list[dict[str, str]]


class TargetOut(BaseModel):
    fiche: FicheRef
    score: float = Field(description="proximity in [0, 1]")
    coverage: float = Field(description="share of the target's savoir-faire shared or in reach")
    official: bool = Field(description="in France Travail's mobility list of the source fiche")
    official_order: int | None
    shared: list[dict[str, str]]
    transferable: list[TransferOut] = Field(description="met through a close competence")
    missing_by_macro_competence: list[GapOut] = Field(description="the gap to train for")
    missing_savoirs: list[dict[str, str]]
    transitions: dict[str, Any]
    tension: Any = Field(description="echoed from the request")

    @classmethod
    def of(cls, t: Target, ref: Referential) -> TargetOut:
        item = partial(item_ref, ref)
        flags = t.fiche.flags
        return cls(
            fiche=FicheRef.of(t.fiche),
            score=t.score,
            coverage=t.coverage,
            official=t.official,
            official_order=t.official_order,
            shared=[item(c) for c in t.shared],
            transferable=[
                TransferOut(
                    target_item=x.target_item,
                    target_label=ref.label_of(x.target_item),
                    have=x.have,
                    have_label=ref.label_of(x.have),
                    affinity=x.affinity,
                    reason=x.reason,
                )
                for x in t.transferable
            ],
            missing_by_macro_competence=[
                GapOut(
                    macro_competence=g.macro,
                    label=g.label,
                    core=g.core,
                    items=[item(c) for c in g.items],
                )
                for g in t.gaps
            ],
            missing_savoirs=[item(c) for c in t.missing_savoirs],
            transitions={
                "ecological": flags.transition_eco,
                "digital": flags.transition_num,
                "demographic": flags.transition_demo,
            },
            tension=t.tension,
        )


class MobilityOut(BaseModel):
    source_fiche: str | None
    profile_size: int = Field(description="savoir-faire items the proximity was computed from")
    targets: list[TargetOut]

    @classmethod
    def of(cls, r: MobilityResult, ref: Referential) -> MobilityOut:
        return cls(
            source_fiche=r.source_fiche,
            profile_size=r.profile_size,
            targets=[TargetOut.of(t, ref) for t in r.targets],
        )


class CloseOut(BaseModel):
    code_ogr: str
    label: str
    affinity: float
    reason: str = Field(description="same_code, same_macro, same_objectif or semantic")

    @classmethod
    def of(cls, c: Close, ref: Referential) -> CloseOut:
        return cls(
            code_ogr=c.code, label=ref.label_of(c.code), affinity=c.affinity, reason=c.reason
        )


class CloseListOut(BaseModel):
    code_ogr: str
    label: str
    close: list[CloseOut]

    @classmethod
    def of(cls, code: str, close: Sequence[Close], ref: Referential) -> CloseListOut:
        return cls(
            code_ogr=code, label=ref.label_of(code), close=[CloseOut.of(c, ref) for c in close]
        )


class RequirementIn(BaseModel):
    code: str = Field(pattern=r"^\d{1,9}$")
    required: bool = True


class OfferSideIn(BaseModel):
    """An offer: its text (tagged on the fly) or the competences it asks for."""

    id: str = Field("offer", max_length=200)
    title: str | None = Field(None, max_length=300)
    text: str | None = Field(None, max_length=budgets.TEXT_CHARS)
    competences: list[RequirementIn] = Field(default_factory=list, max_length=MAX_ITEMS)

    def side(self) -> OfferSide:
        asked = tuple(Requirement(r.code, r.required) for r in self.competences)
        return OfferSide(self.id, asked, self.text, self.title)

    @model_validator(mode="after")
    def _something(self) -> OfferSideIn:
        if not self.competences and not (self.text and self.text.strip()):
            raise ValueError("an offer needs 'text' or 'competences'")
        return self


class MatchIn(BaseModel):
    """Either one offer and many profiles, or one profile and many offers."""

    offer: OfferSideIn | None = None
    profiles: list[ProfileIn] = Field(default_factory=list, max_length=MAX_PROFILES)
    profile: ProfileIn | None = None
    offers: list[OfferSideIn] = Field(default_factory=list, max_length=MAX_OFFERS)
    k: int = Field(20, ge=1, le=MAX_PROFILES)

    @model_validator(mode="after")
    def _one_direction(self) -> MatchIn:
        if (self.offer is None) == (self.profile is None):
            raise ValueError("send either 'offer' with 'profiles', or 'profile' with 'offers'")
        if self.offer is not None and not self.profiles:
            raise ValueError("'offer' needs a non-empty 'profiles' list")
        if self.profile is not None and not self.offers:
            raise ValueError("'profile' needs a non-empty 'offers' list")
        return self

    def request(self) -> MatchRequest:
        return MatchRequest(
            offer=self.offer.side() if self.offer else None,
            profiles=tuple(p.side() for p in self.profiles),
            profile=self.profile.side() if self.profile else None,
            offers=tuple(o.side() for o in self.offers),
            k=self.k,
        )


class MetOut(BaseModel):
    requirement: str
    requirement_label: str
    have: str
    have_label: str
    affinity: float
    reason: str


class MatchResultOut(BaseModel):
    id: str
    score: float = Field(description="weighted share of the requirements met, in [0, 1]")
    exact: list[dict[str, str]]
    through_affinity: list[MetOut]
    missing_required: list[dict[str, str]]
    missing_optional: list[dict[str, str]]

    @classmethod
    def of(cls, r: MatchResult, ref: Referential) -> MatchResultOut:
        item = partial(item_ref, ref)

        def met(m: Met) -> MetOut:
            return MetOut(
                requirement=m.requirement,
                requirement_label=ref.label_of(m.requirement),
                have=m.have,
                have_label=ref.label_of(m.have),
                affinity=m.affinity,
                reason=m.reason,
            )

        return cls(
            id=r.id,
            score=r.score,
            exact=[item(c) for c in r.exact],
            through_affinity=[met(m) for m in r.through_affinity],
            missing_required=[item(c) for c in r.missing_required],
            missing_optional=[item(c) for c in r.missing_optional],
        )


class RequirementOut(BaseModel):
    code_ogr: str
    label: str
    required: bool
    core: bool = Field(description="core (Principale) for the offer's resolved fiche")


class MatchOut(BaseModel):
    direction: str = Field(description="offer_to_profiles or profile_to_offers")
    requirements: dict[str, list[RequirementOut]] = Field(
        description="what each offer was taken to ask (code, label, required, core)"
    )
    results: list[MatchResultOut]

    @classmethod
    def of(cls, report: MatchReport, ref: Referential) -> MatchOut:
        return cls(
            direction=report.direction,
            requirements={
                oid: [
                    RequirementOut(
                        code_ogr=r.code,
                        label=ref.label_of(r.code),
                        required=r.required,
                        core=r.core,
                    )
                    for r in reqs
                ]
                for oid, reqs in report.requirements.items()
            },
            results=[MatchResultOut.of(r, ref) for r in report.results],
        )
