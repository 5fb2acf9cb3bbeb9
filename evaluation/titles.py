"""Evaluation of title resolution against the codes recruiters chose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evaluation.metrics import mean, with_groups
from evaluation.offers import Offer
from indexing.referential import Referential
from indexing.textnorm import fold
from models.titles import TitleQuery, TitleResolution, TitleResolver

METRICS = ("rome_top1", "rome_top5", "parent_top1", "appellation_top1")


@dataclass(frozen=True, slots=True)
class TitleOutcome:
    offer: Offer
    resolution: TitleResolution
    gold_appellation: str | None  # code_ogr when the offer's label is an official one

    def fiches(self) -> list[str]:
        return [c.fiche.code_rome for c in self.resolution.candidates]


def official_labels(ref: Referential) -> dict[str, str]:
    """Folded long and short appellation labels → code_ogr."""
    out: dict[str, str] = {}
    for a in ref.appellations.values():
        out.setdefault(fold(a.label), a.code_ogr)
        out.setdefault(fold(a.label_court), a.code_ogr)
    return out


def resolve_offers(
    resolver: TitleResolver,
    offers: Sequence[Offer],
    use_description: bool,
    progress: Callable[[int], None] | None = None,
    use_naf: bool = False,
) -> list[TitleOutcome]:
    labels = official_labels(resolver.ref)
    outcomes = []
    for i, offer in enumerate(offers):
        query = TitleQuery(
            offer.title,
            offer.description if use_description else None,
            naf=offer.naf if use_naf else None,
        )
        resolution = resolver.resolve(query, k=5)
        gold_app = labels.get(fold(offer.appellation_label)) if offer.appellation_label else None
        outcomes.append(TitleOutcome(offer, resolution, gold_app))
        if progress:
            progress(i + 1)
    return outcomes


def per_offer(outcome: TitleOutcome, ref: Referential) -> dict[str, float | None]:
    gold = outcome.offer.rome_code
    fiches = outcome.fiches()
    if gold is None or gold not in ref.fiches:
        return dict.fromkeys(METRICS)
    top = fiches[0] if fiches else None
    best = outcome.resolution.best
    return {
        "rome_top1": float(top == gold),
        "rome_top5": float(gold in fiches[:5]),
        "parent_top1": float(top is not None and ref.fiches[top].parent == ref.fiches[gold].parent),
        "appellation_top1": (
            None
            if outcome.gold_appellation is None
            else float(best is not None and best.appellation.code_ogr == outcome.gold_appellation)
        ),
    }


def summarise(outcomes: Sequence[TitleOutcome], ref: Referential) -> dict[str, object]:
    def block(items: Sequence[TitleOutcome]) -> dict[str, float | int | None]:
        rows = [per_offer(o, ref) for o in items]
        out: dict[str, float | int | None] = {
            "n": sum(1 for r in rows if r["rome_top1"] is not None)
        }
        for metric in METRICS:
            out[metric] = mean(r[metric] for r in rows)
        out["n_appellation"] = sum(1 for r in rows if r["appellation_top1"] is not None)
        out["abstained"] = (
            round(sum(o.resolution.abstained for o in items) / len(items), 4) if items else None
        )
        return out

    return with_groups(outcomes, lambda o: o.offer.group, block)
