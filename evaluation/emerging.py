"""`passerelle eval emerging`: does the detector find what the referential lacks?

Hold-out simulation (seeded; parameters in the report):
- hold out 10 % of the savoir-faire compétences and 10 % of the savoirs (random), plus every
  item flagged "Émergente" in some fiche; the detector's coverage is rebuilt without them (the
  index vectors of the other items are kept as they are: a flat index without those rows is the
  index rebuilt without them);
- plant mentions of `planted` held-out items (only those that no kept item words again: see
  `without_twins`) and of `planted` kept items (the control) into
  real offer texts, each in `copies` different offers, worded through templates ("Vous serez
  chargé(e) de …", "Bonne connaissance en …") with light synonym swaps (réaliser → effectuer,
  gérer → piloter, …) and parentheses dropped;
- run the detector over those offers and read its top 50:
  `holdout_recall@50` = held-out planted items found among them;
  `kept_flagged_share@50` = share of the top 50 that are planted kept items (wrongly new).

New job titles: appellations with code_ogr ≥ 403634 are ROME's recent additions. With the
coverage built without them, each is checked as a title: is it flagged as not covered, and do
its nearest kept appellations still place it under its own fiche?
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from indexing.artifacts import IndexSet
from indexing.referential import CoreLevel, Referential
from models.emerging import (
    SKILL_COLLECTIONS,
    Candidate,
    CorpusDocument,
    Coverage,
    EmergingDetector,
)
from models.segments import content_stems

RECENT_APPELLATION = 403634
TWIN_COSINE = 0.95
TWIN_STEMS = 0.6
_SYNONYMS = {
    "réaliser": "effectuer",
    "assurer": "garantir",
    "gérer": "piloter",
    "utiliser": "employer",
    "contrôler": "vérifier",
    "élaborer": "concevoir",
    "suivre": "superviser",
    "techniques": "méthodes",
    "mettre en oeuvre": "appliquer",
    "mettre en œuvre": "appliquer",
}
_VERB_TEMPLATES = ("Vous serez chargé(e) de {}.", "Capacité à {}.", "Vous devrez {}.", "- {}")
_NOUN_TEMPLATES = (
    "Bonne connaissance en {}.",
    "Maîtrise de {} exigée.",
    "Notions de {} appréciées.",
    "- {}",
)


# Words of the templates themselves: a candidate made of them names no item.
_TEMPLATE_STEMS = frozenset(
    s for t in (*_VERB_TEMPLATES, *_NOUN_TEMPLATES) for s in content_stems(t.format(""))
)


@dataclass(frozen=True, slots=True)
class Plant:
    code: str
    held_out: bool
    surfaces: tuple[str, ...]


def holdout(ref: Referential, seed: int, share: float = 0.10) -> set[str]:
    """The sampled items: `share` of the compétences and of the savoirs, and every item
    flagged "Émergente" in some fiche."""
    rng = random.Random(seed)
    competences = sorted(ref.competences)
    savoirs = sorted(ref.savoirs)
    held = set(rng.sample(competences, int(share * len(competences))))
    held |= set(rng.sample(savoirs, int(share * len(savoirs))))
    held |= {
        code
        for links in ref.links.values()
        for code, level in links.core.items()
        if level is CoreLevel.EMERGENTE
    }
    return held


def without_twins(ref: Referential, indexes: IndexSet, held: set[str], kept: Coverage) -> set[str]:
    """The held-out items that no kept item words again. ROME words many concepts two or
    three times ("Utilisation de logiciels de gestion de production" and "Utiliser des
    logiciels de gestion de production"); holding out one wording leaves the concept in the
    referential, and a detector that calls its mention covered is right. So only held-out
    items without a kept twin are planted: no label of `kept` (the coverage without `held`)
    within e5 cosine `TWIN_COSINE` of theirs, none sharing `TWIN_STEMS` of their stems
    (Jaccard). Fixed here, not read from the detector's settings, so that tuning the detector
    cannot move what is planted."""
    stems_of: dict[str, frozenset[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for name in SKILL_COLLECTIONS:
        for code in indexes[name].ids:
            stems = frozenset(content_stems(ref.label_of(code)))
            stems_of[code] = stems
            if code not in held:
                for st in stems:
                    by_stem.setdefault(st, []).append(code)
    twinned: set[str] = set()
    for code in held:
        mine = stems_of.get(code)
        if not mine:
            continue
        for other in {o for st in mine for o in by_stem.get(st, ())}:
            theirs = stems_of[other]
            if len(mine & theirs) / len(mine | theirs) >= TWIN_STEMS:
                twinned.add(code)
                break
    for name in SKILL_COLLECTIONS:
        index = indexes[name]
        codes = sorted(c for c in held if c in index.row_of and c not in twinned)
        vectors = index.vectors()[[index.row_of[c] for c in codes]]
        best = kept.best_similarity(vectors, titles=False)
        twinned.update(c for c, b in zip(codes, best, strict=True) if b >= TWIN_COSINE)
    return {c for c in held if c not in twinned}


def paraphrase(label: str, verbal: bool, rng: random.Random) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", label).strip()
    for word, other in _SYNONYMS.items():
        if rng.random() < 0.5:
            text = re.sub(rf"\b{re.escape(word)}\b", other, text, flags=re.IGNORECASE)
    if text[:2].isupper() is False:
        text = text[:1].lower() + text[1:]
    return rng.choice(_VERB_TEMPLATES if verbal else _NOUN_TEMPLATES).format(text)


def plant(
    ref: Referential,
    texts: Sequence[str],
    held: set[str],
    rng: random.Random,
    planted: int,
    copies: int,
    absent: set[str] | None = None,
) -> tuple[list[str], list[Plant]]:
    """Offer texts with planted mentions, and what was planted where: held-out items drawn
    from `held`, kept ones from the items not `absent` from the coverage (default `held`)."""
    absent = held if absent is None else absent
    kept_pool = sorted(c for c in (*ref.competences, *ref.savoirs) if c not in absent)
    held_pool = sorted(c for c in held if c in ref.competences or c in ref.savoirs)
    chosen = [(c, True) for c in rng.sample(held_pool, min(planted, len(held_pool)))]
    chosen += [(c, False) for c in rng.sample(kept_pool, min(planted, len(kept_pool)))]
    out = list(texts)
    plants = []
    for code, is_held in chosen:
        verbal = code in ref.competences
        surfaces = []
        for index in rng.sample(range(len(out)), min(copies, len(out))):
            sentence = paraphrase(ref.label_of(code), verbal, rng)
            lines = out[index].split("\n")
            lines.insert(rng.randrange(len(lines) + 1), sentence)
            out[index] = "\n".join(lines)
            surfaces.append(sentence)
        plants.append(Plant(code, is_held, tuple(surfaces)))
    return out, plants


def _matches(candidate: Candidate, plant: Plant, ref: Referential) -> bool:
    """A candidate names a planted item when one of its phrases is mostly made of the item's
    words (80 %) and covers at least half of them (stems; the planted wording or the label;
    the templates' lead-in words left out on both sides)."""
    forms = [ref.label_of(plant.code), *plant.surfaces]
    targets = [set(content_stems(f)) for f in forms]
    for phrase in (candidate.label, *candidate.variants):
        # The templates' own words ("Maîtrise de …") are the plant's wrapping, not the item.
        stems = set(content_stems(phrase)) - _TEMPLATE_STEMS
        if not stems:
            continue
        for target in targets[:1] + [t - _TEMPLATE_STEMS for t in targets[1:]]:
            shared = len(stems & target)
            if target and shared / len(stems) >= 0.8 and shared / len(target) >= 0.5:
                return True
    return False


def evaluate_holdout(
    ref: Referential,
    detector: EmergingDetector,
    indexes: IndexSet,
    texts: Sequence[str],
    seed: int = 0,
    planted: int = 30,
    copies: int = 4,
    top: int = 50,
) -> dict[str, Any]:
    rng = random.Random(seed)
    held = holdout(ref, seed)
    coverage = Coverage(ref, indexes, exclude=held)
    lacking = without_twins(ref, indexes, held, coverage)
    corpus, plants = plant(ref, texts, lacking, rng, planted, copies, absent=held)
    blind = EmergingDetector(ref, detector.encoder, coverage, detector.extractor)
    report = blind.analyse([CorpusDocument(f"doc{i}", t) for i, t in enumerate(corpus)], k=top)
    candidates = report.candidates
    held_plants = [p for p in plants if p.held_out]
    kept_plants = [p for p in plants if not p.held_out]
    found = [p for p in held_plants if any(_matches(c, p, ref) for c in candidates)]
    # Rank (1-based) of the first candidate naming each held-out item: the recall curve.
    ranks = [
        next((r for r, c in enumerate(candidates, start=1) if _matches(c, p, ref)), None)
        for p in held_plants
    ]
    wrongly = [c for c in candidates if any(_matches(c, p, ref) for p in kept_plants)]
    return {
        "seed": seed,
        "documents": len(corpus),
        "held_out_items": len(held),
        "held_out_without_twin": len(lacking),
        "planted_held_out": len(held_plants),
        "planted_kept": len(kept_plants),
        "copies": copies,
        "holdout_recall@50": round(len(found) / max(1, len(held_plants)), 4),
        "found_at_ranks": ranks,
        "kept_flagged_share@50": round(len(wrongly) / max(1, len(candidates)), 4),
        "kept_items_flagged": len(
            {p.code for c in wrongly for p in kept_plants if _matches(c, p, ref)}
        ),
        "missed": [ref.label_of(p.code) for p in held_plants if p not in found][:20],
    }


def evaluate_titles(
    ref: Referential, detector: EmergingDetector, indexes: IndexSet, limit: int | None = None
) -> dict[str, Any]:
    recent = sorted(
        (a for a in ref.appellations.values() if int(a.code_ogr) >= RECENT_APPELLATION),
        key=lambda a: int(a.code_ogr),
    )[:limit]
    coverage = Coverage(ref, indexes, exclude={a.code_ogr for a in recent})
    index = indexes["appellations"]
    vectors = index.vectors()[[index.row_of[a.code_ogr] for a in recent]]
    nearest = coverage.nearest(vectors, titles=True, k=3)
    c = detector.config
    flagged = placed = both = 0
    for app, near in zip(recent, nearest, strict=True):
        label = app.label.split(" / ")[0]
        best = near[0].similarity if near else 0.0
        is_new = best < c.title_semantic and coverage.lexical(label, titles=True) < c.lexical
        votes: dict[str, float] = {}
        for item in near:
            fiche = ref.appellations[item.code].code_rome
            votes[fiche] = votes.get(fiche, 0.0) + item.similarity
        right = bool(votes) and max(votes, key=lambda f: votes[f]) == app.code_rome
        flagged += is_new
        placed += right
        both += is_new and right
    n = len(recent) or 1
    return {
        "recent_appellations": len(recent),
        "flagged_not_covered": round(flagged / n, 4),
        "placed_under_right_fiche": round(placed / n, 4),
        "flagged_and_placed": round(both / n, 4),
    }
