"""Extraction against annotated mentions: does the tagger *find* what an offer's text states?

Gold (`offers_dev_spans.jsonl`): per offer, mentions with a verbatim quote, a kind and 1–3
acceptable ROME codes (none when `novel`). The metric, exactly as the extraction issue defines
it:
- a mention with codes is **recalled** when some found item carries one of its codes
  (strict), or, for savoir-faire and savoir-être, a code under the same macro-compétence as
  one of them (lenient); mentions without a code are not counted;
- **precision**: found items whose code is among the offer's gold codes (strict), or that
  share a macro-compétence with one of its savoir-faire/savoir-être gold codes (lenient).
Both are pooled over mentions and found items. Also: recall by kind, the share of recalled
mentions whose finding item's span overlaps the quote, and the recall of `novel` mentions by
`unmapped` spans.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.harness import bootstrap_ci
from evaluation.offers import Offer, load_offers
from indexing.errors import InvalidInput, UnknownCode
from indexing.referential import Referential
from models.competences import CompetenceExtractor, Extraction

KINDS = ("savoir_faire", "savoir", "savoir_etre", "contexte")
TREE_KINDS = ("savoir_faire", "savoir_etre")


@dataclass(frozen=True, slots=True)
class Mention:
    quote: str
    kind: str
    codes: tuple[str, ...]
    novel: bool


@dataclass(frozen=True, slots=True)
class GoldOffer:
    id: str
    mentions: tuple[Mention, ...]


def load_gold(path: Path) -> list[GoldOffer]:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    out = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            mentions = tuple(
                Mention(
                    m.get("quote", ""), m["kind"], tuple(m.get("codes") or ()), bool(m.get("novel"))
                )
                for m in record["mentions"]
            )
        except (ValueError, KeyError, TypeError):
            raise InvalidInput(
                f"{path}, line {line_no}: not a gold offer {{id, mentions: [{{quote, kind, "
                "codes, novel}]}}"
            ) from None
        out.append(GoldOffer(str(record["id"]), mentions))
    return out


def macro_of(ref: Referential, code: str) -> str | None:
    try:
        return ref.macro_of(code).code_ogr
    except UnknownCode:
        return None


def gold_sets(gold: GoldOffer, ref: Referential) -> tuple[set[str], set[str]]:
    """An offer's gold codes, and the macro-compétences of its savoir-faire/savoir-être ones
    (what lenient precision accepts)."""
    codes = {c for m in gold.mentions for c in m.codes}
    macros = {
        mc
        for m in gold.mentions
        if m.kind in TREE_KINDS
        for c in m.codes
        if (mc := macro_of(ref, c))
    }
    return codes, macros


def lenient_hit(code: str, codes: set[str], macros: set[str], ref: Referential) -> bool:
    return code in codes or macro_of(ref, code) in macros


@dataclass
class _Counts:
    mentions: int = 0
    strict: int = 0
    lenient: int = 0
    spans: int = 0


@dataclass(frozen=True, slots=True)
class OfferScore:
    """One offer's counts: what the pooled figures and their intervals are made of."""

    id: str
    found: int
    strict_correct: int
    lenient_correct: int
    by_kind: dict[str, tuple[int, int, int]]  # kind → (mentions, strict, lenient)
    span_overlaps: int
    novel: int
    novel_unmapped: int
    # (probability, lenient hit) of each found item that has a probability (clause statements)
    stated: tuple[tuple[float, bool], ...] = ()


def score_offer(gold: GoldOffer, text: str, extraction: Extraction, ref: Referential) -> OfferScore:
    found = extraction.found
    found_codes = {i.code_ogr for i in found}
    found_macros = {mc for i in found if (mc := macro_of(ref, i.code_ogr))}
    gold_codes, gold_macros = gold_sets(gold, ref)
    by_kind = {k: _Counts() for k in KINDS}
    overlaps = novel = novel_unmapped = 0
    unmapped = getattr(extraction, "unmapped", ())
    for m in gold.mentions:
        start = text.find(m.quote)
        quote_span = (start, start + len(m.quote)) if start >= 0 else None
        if not m.codes:
            if m.novel:
                novel += 1
                novel_unmapped += any(_overlap(quote_span, (u.start, u.end)) for u in unmapped)
            continue
        counts = by_kind.setdefault(m.kind, _Counts())
        counts.mentions += 1
        strict = bool(found_codes & set(m.codes))
        macros = (
            {mc for c in m.codes if (mc := macro_of(ref, c))} if m.kind in TREE_KINDS else set()
        )
        lenient = strict or bool(found_macros & macros)
        counts.strict += strict
        counts.lenient += lenient
        if lenient and quote_span is not None:
            finders = [
                i
                for i in found
                if i.code_ogr in m.codes or (macros and macro_of(ref, i.code_ogr) in macros)
            ]
            overlaps += any(
                _overlap(quote_span, (s.start, s.end)) for i in finders for s in i.spans
            )
    strict_correct = sum(1 for i in found if i.code_ogr in gold_codes)
    lenient_correct = sum(1 for i in found if lenient_hit(i.code_ogr, gold_codes, gold_macros, ref))
    stated = tuple(
        (i.probability, lenient_hit(i.code_ogr, gold_codes, gold_macros, ref))
        for i in found
        if i.probability is not None
    )
    return OfferScore(
        gold.id,
        len(found),
        strict_correct,
        lenient_correct,
        {k: (c.mentions, c.strict, c.lenient) for k, c in by_kind.items()},
        overlaps,
        novel,
        novel_unmapped,
        stated,
    )


def reliability(scores: Sequence[OfferScore], width: float = 0.1) -> list[dict[str, Any]]:
    """How often a stated item is right, by its probability: one row per bin of `width`
    (what a calibrated probability should match: the share right near p is about p)."""
    bins: dict[int, list[tuple[float, bool]]] = {}
    for s in scores:
        for p, hit in s.stated:
            bins.setdefault(min(int(p / width), int(1 / width) - 1), []).append((p, hit))
    return [
        {
            "from": round(b * width, 2),
            "to": round((b + 1) * width, 2),
            "items": len(rows),
            "mean_probability": round(sum(p for p, _ in rows) / len(rows), 4),
            "share_right": round(sum(h for _, h in rows) / len(rows), 4),
        }
        for b, rows in sorted(bins.items())
    ]


def _overlap(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def summarise(scores: Sequence[OfferScore]) -> dict[str, Any]:
    found = sum(s.found for s in scores)
    totals = {k: [0, 0, 0] for k in KINDS}
    for s in scores:
        for k, (n, st, le) in s.by_kind.items():
            for i, v in enumerate((n, st, le)):
                totals.setdefault(k, [0, 0, 0])[i] += v
    mentions = sum(t[0] for t in totals.values())
    out: dict[str, Any] = {
        "offers": len(scores),
        "mentions": mentions,
        "found_per_offer": round(found / len(scores), 2) if scores else None,
    }
    for name, col, correct in (("strict", 1, "strict_correct"), ("lenient", 2, "lenient_correct")):
        recalled = sum(t[col] for t in totals.values())
        # Intervals resample offers: an offer's mentions are not independent of each other.
        per_offer_recall = [
            sum(v[col] for v in s.by_kind.values()) / n
            if (n := sum(v[0] for v in s.by_kind.values()))
            else None
            for s in scores
        ]
        out[name] = {
            "recall": _ratio(recalled, mentions),
            "recall_ci95_offers": bootstrap_ci(per_offer_recall),
            "precision": _ratio(sum(getattr(s, correct) for s in scores), found),
            "recall_by_kind": {k: _ratio(t[col], t[0]) for k, t in totals.items()},
        }
    lenient_recalled = sum(t[2] for t in totals.values())
    out["span_overlap"] = _ratio(sum(s.span_overlaps for s in scores), lenient_recalled)
    out["novel_mentions"] = sum(s.novel for s in scores)
    out["unmapped_recall"] = _ratio(sum(s.novel_unmapped for s in scores), out["novel_mentions"])
    out["reliability"] = reliability(scores)
    return out


def evaluate(
    extractor: CompetenceExtractor,
    gold: Sequence[GoldOffer],
    offers: Sequence[Offer],
    progress: Callable[[int], None] | None = None,
    min_probability: float | None = None,
) -> dict[str, Any]:
    """Tag each gold offer's description and score it; the whole set and its two halves
    (first and last half in file order), so that what carries over shows."""
    by_id = {o.id: o for o in offers}
    missing = [g.id for g in gold if g.id not in by_id]
    if missing:
        raise InvalidInput(
            f"{len(missing)} gold offers are not in the offers file (first: {missing[0]}); "
            "pass the offers file the gold was annotated on"
        )
    scores = []
    for i, g in enumerate(gold):
        offer = by_id[g.id]
        extraction = extractor.extract(
            offer.description, offer.title, min_probability=min_probability
        )
        scores.append(score_offer(g, offer.description, extraction, extractor.ref))
        if progress:
            progress(i + 1)
    half = len(scores) // 2
    return {
        **summarise(scores),
        "halves": {"first": summarise(scores[:half]), "last": summarise(scores[half:])},
    }


def load(gold_path: Path, offers_path: Path) -> tuple[list[GoldOffer], list[Offer]]:
    return load_gold(gold_path), load_offers(offers_path)
