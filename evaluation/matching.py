"""`passerelle eval matching`: offer ↔ profile matching on synthetic profiles built from fiches.

The generator (seeded, documented here so the figures can be reproduced):
- fiches: a random sample of fiches with at least 10 savoir-faire items;
- the offer of fiche X asks for all of X's core ("Principale") savoir-faire (required) and half
  of its other items (required or not, at random);
- a profile of fiche X holds a random half of X's savoir-faire; each of those is, with
  probability `swap`, replaced by a sibling under the same macro-compétence that X does not
  list (people rarely word their competences as the offer does); plus `noise` items of random
  other fiches.

Metrics:
- `mrr`: each profile of X ranks every sampled offer; reciprocal rank of X's offer, averaged;
  `top1` the share ranked first. With affinity and with exact codes only, to see what it adds.
- `neighbour_win_rate`: for the offer of X, a profile of an official mobility neighbour Y of X
  scores above a profile of an unrelated fiche Z (outside X's domaine professionnel and mobility
  list) this often (ties count half).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from indexing.referential import CoreLevel, Referential
from models.matching import Candidate, Matcher, Requirement


def offer_of(ref: Referential, code: str, rng: random.Random) -> list[Requirement]:
    links = ref.links[code]
    out = []
    for item in links.savoir_faire:
        core = links.level(item) is CoreLevel.PRINCIPALE
        if core:
            out.append(Requirement(item, True, True))
        elif rng.random() < 0.5:
            out.append(Requirement(item, rng.random() < 0.5, False))
    return out or [Requirement(links.savoir_faire[0], True, False)]


def profile_of(
    ref: Referential,
    code: str,
    rng: random.Random,
    siblings: dict[str, list[str]],
    swap: float,
    noise: int,
    pool: Sequence[str],
) -> frozenset[str]:
    items = list(ref.links[code].savoir_faire)
    own = set(items)
    kept = rng.sample(items, max(1, len(items) // 2))
    out = set()
    for item in kept:
        if rng.random() < swap:
            options = [s for s in siblings[ref.macro_of(item).code_ogr] if s not in own]
            if options:
                out.add(rng.choice(options))
                continue
        out.add(item)
    for _ in range(noise):
        other = rng.choice(pool)
        out.add(rng.choice(ref.links[other].savoir_faire))
    return frozenset(out)


def evaluate(
    matcher: Matcher,
    n_fiches: int = 300,
    seed: int = 0,
    swap: float = 0.3,
    noise: int = 3,
    min_items: int = 10,
) -> dict[str, Any]:
    ref = matcher.ref
    rng = random.Random(seed)
    eligible = sorted(c for c in ref.fiches if len(ref.links[c].savoir_faire) >= min_items)
    fiches = rng.sample(eligible, min(n_fiches, len(eligible)))
    siblings: dict[str, list[str]] = defaultdict(list)
    for comp in sorted(ref.competences):
        siblings[ref.competences[comp].macro].append(comp)
    offers = [(code, offer_of(ref, code, rng)) for code in fiches]
    profiles = {
        code: profile_of(ref, code, rng, siblings, swap, noise, eligible) for code in fiches
    }
    exact_only = Matcher(ref, matcher.affinity, matcher.config, threshold=1.01)
    report: dict[str, Any] = {
        "n_fiches": len(fiches),
        "seed": seed,
        "swap": swap,
        "noise": noise,
        "min_items": min_items,
    }
    for name, m in (("affinity", matcher), ("exact_codes", exact_only)):
        reciprocal, top1 = [], []
        for code in fiches:
            ranked = m.rank_offers(profiles[code], offers, k=len(offers))
            rank = next(i for i, r in enumerate(ranked) if r.id == code) + 1
            reciprocal.append(1 / rank)
            top1.append(rank == 1)
        report[name] = {
            "mrr": round(sum(reciprocal) / len(reciprocal), 4),
            "top1": round(sum(top1) / len(top1), 4),
        }
    report["neighbour_win_rate"] = _neighbours(
        matcher, fiches, eligible, rng, siblings, swap, noise
    )
    report["neighbour_win_rate_exact_codes"] = _neighbours(
        exact_only, fiches, eligible, random.Random(seed), siblings, swap, noise
    )
    return report


def _neighbours(
    matcher: Matcher,
    fiches: Sequence[str],
    pool: Sequence[str],
    rng: random.Random,
    siblings: dict[str, list[str]],
    swap: float,
    noise: int,
) -> dict[str, float | int]:
    ref = matcher.ref
    wins, pairs = 0.0, 0
    for code in fiches:
        targets = [link.target for link in ref.mobility.get(code, ()) if link.target in ref.links]
        if not targets:
            continue
        domaine = ref.fiches[code].domaine_pro
        unrelated = [
            z
            for z in pool
            if z != code and z not in targets and ref.fiches[z].domaine_pro != domaine
        ]
        offer = offer_of(ref, code, rng)
        for y in targets[:5]:
            z = rng.choice(unrelated)
            py = profile_of(ref, y, rng, siblings, swap, noise, pool)
            pz = profile_of(ref, z, rng, siblings, swap, noise, pool)
            ranked = matcher.rank_profiles(offer, [Candidate("y", py), Candidate("z", pz)], k=2)
            score = {r.id: r.score for r in ranked}
            wins += 1.0 if score["y"] > score["z"] else 0.5 if score["y"] == score["z"] else 0.0
            pairs += 1
    return {"pairs": pairs, "win_rate": round(wins / pairs, 4) if pairs else 0.0}


def synthetic_profiles(
    ref: Referential, n: int, seed: int = 0, min_items: int = 10
) -> list[Candidate]:
    """`n` profiles from random fiches (for the speed benchmark)."""
    rng = random.Random(seed)
    eligible = sorted(c for c in ref.fiches if len(ref.links[c].savoir_faire) >= min_items)
    siblings: dict[str, list[str]] = defaultdict(list)
    for comp in sorted(ref.competences):
        siblings[ref.competences[comp].macro].append(comp)
    return [
        Candidate(f"p{i}", profile_of(ref, rng.choice(eligible), rng, siblings, 0.3, 3, eligible))
        for i in range(n)
    ]
