"""Evaluation of competence extraction against the competences recruiters chose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evaluation.metrics import mean, with_groups
from evaluation.offers import Offer
from indexing.referential import Kind, Referential
from indexing.textnorm import fold
from models.competences import CompetenceExtractor, Extraction

SAVOIR_ETRE_PREDICTED = 4  # F1 on the dev offers: 2 → 0.41, 3 → 0.49, 4 → 0.51


@dataclass(frozen=True, slots=True)
class CompetenceOutcome:
    offer: Offer
    extraction: Extraction


def savoir_etre_gold(offer: Offer, ref: Referential, old_labels: dict[str, str]) -> set[str]:
    by_label = {fold(m.label): m.code_ogr for m in ref.macros.values() if m.savoir_etre}
    by_label.update(old_labels)
    return {code for q in offer.qualites if (code := by_label.get(fold(q))) is not None}


def predicted_savoir_etre(extraction: Extraction) -> list[str]:
    """Found ones first, then the fiche's own, up to SAVOIR_ETRE_PREDICTED."""
    found = [i.code_ogr for i in extraction.found if i.kind is Kind.SAVOIR_ETRE]
    linked = [i.code_ogr for i in extraction.suggested if i.kind is Kind.SAVOIR_ETRE]
    out = list(dict.fromkeys(found + linked))
    return out[: max(SAVOIR_ETRE_PREDICTED, len(found))]


def extract_offers(
    extractor: CompetenceExtractor,
    offers: Sequence[Offer],
    progress: Callable[[int], None] | None = None,
) -> list[CompetenceOutcome]:
    out = []
    for i, offer in enumerate(offers):
        out.append(CompetenceOutcome(offer, extractor.extract(offer.description, offer.title)))
        if progress:
            progress(i + 1)
    return out


def per_offer(
    o: CompetenceOutcome, ref: Referential, old_labels: dict[str, str]
) -> dict[str, float | None]:
    gold = [
        c.code for c in o.offer.competences if c.code in ref.competences or c.code in ref.savoirs
    ]
    ranked = [i.code_ogr for i in o.extraction.ranked()]
    row: dict[str, float | None] = dict.fromkeys(
        ("rp@5", "recall@10", "macro_rp@5", "savoir_etre_f1")
    )
    if gold:
        gold_set = set(gold)
        row["rp@5"] = len(gold_set & set(ranked[:5])) / min(5, len(gold_set))
        row["recall@10"] = len(gold_set & set(ranked[:10])) / len(gold_set)
        gold_macros = {ref.macro_of(c).code_ogr for c in gold_set if c in ref.competences}
        pred_macros = list(
            dict.fromkeys(
                ref.macro_of(c).code_ogr for c in ranked if c in ref.competences or c in ref.macros
            )
        )
        if gold_macros:
            row["macro_rp@5"] = len(gold_macros & set(pred_macros[:5])) / min(5, len(gold_macros))
    gold_se = savoir_etre_gold(o.offer, ref, old_labels)
    if gold_se:
        pred = set(predicted_savoir_etre(o.extraction))
        hits = len(pred & gold_se)
        p = hits / len(pred) if pred else 0.0
        r = hits / len(gold_se)
        row["savoir_etre_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return row


def summarise(
    outcomes: Sequence[CompetenceOutcome], ref: Referential, old_labels: dict[str, str]
) -> dict[str, object]:
    def block(items: Sequence[CompetenceOutcome]) -> dict[str, float | int | None]:
        rows = [per_offer(o, ref, old_labels) for o in items]
        out: dict[str, float | int | None] = {"n": sum(1 for r in rows if r["rp@5"] is not None)}
        for metric in ("rp@5", "recall@10", "macro_rp@5", "savoir_etre_f1"):
            out[metric] = mean(r[metric] for r in rows)
        out["n_savoir_etre"] = sum(1 for r in rows if r["savoir_etre_f1"] is not None)
        return out

    return with_groups(outcomes, lambda o: o.offer.group, block)
