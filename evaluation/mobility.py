"""`passerelle eval mobility`: does computed proximity recover the official ROME→ROME mobility
links (which it never reads)?

For every fiche with official links, all other fiches are ranked by proximity; recall@10 is the
share of its official targets in the first ten, AP the average precision over its targets.
Reported for the plain-Jaccard baseline (savoir-faire codes) and for the blended proximity, on
all fiches and on two halves: `tune` (fiches at even positions in code order, where the blend
weights were chosen) and `held_out` (odd positions, never looked at while tuning).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from indexing.referential import Referential
from models.proximity import BLOCKS, FICHE_ONLY, Proximity, jaccard_rows


def official_targets(ref: Referential, fiches: Sequence[str]) -> dict[int, set[int]]:
    row = {code: i for i, code in enumerate(fiches)}
    out: dict[int, set[int]] = {}
    for source, links in ref.mobility.items():
        targets = {
            row[link.target] for link in links if link.target in row and link.target != source
        }
        if source in row and targets:
            out[row[source]] = targets
    return out


def per_source(
    scores: np.ndarray, gold: dict[int, set[int]], sources: Sequence[int]
) -> tuple[list[float], list[float]]:
    """Recall@10 and average precision of each source fiche."""
    recalls, aps = [], []
    for i in sources:
        row = scores[i].astype(np.float64).copy()
        row[i] = -np.inf
        order = np.argsort(-row, kind="stable")
        targets = gold[i]
        recalls.append(len(targets & set(order[:10].tolist())) / len(targets))
        precision_sum = 0.0
        ranks = np.empty_like(order)
        ranks[order] = np.arange(len(order))
        for hits, rank in enumerate(sorted(int(ranks[t]) for t in targets), start=1):
            precision_sum += hits / (rank + 1)
        aps.append(precision_sum / len(targets))
    return recalls, aps


def rank_metrics(
    scores: np.ndarray, gold: dict[int, set[int]], sources: Sequence[int]
) -> dict[str, float]:
    recalls, aps = per_source(scores, gold, sources)
    return {
        "recall@10": round(float(np.mean(recalls)), 4),
        "map": round(float(np.mean(aps)), 4),
    }


def per_source_recall(
    prox: Proximity, part: str = "held_out", pairs: dict[str, np.ndarray] | None = None
) -> list[float]:
    """Recall@10 of each source fiche of a part (for confidence intervals)."""
    gold = official_targets(prox.ref, prox.fiches)
    scores = blend(pairs or prox.all_pairs(), prox.config.weights)
    return per_source(scores, gold, halves(gold)[part])[0]


def halves(gold: dict[int, set[int]]) -> dict[str, list[int]]:
    sources = sorted(gold)
    return {
        "all": sources,
        "tune": [i for i in sources if i % 2 == 0],
        "held_out": [i for i in sources if i % 2 == 1],
    }


def blend(pairs: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    total = sum(w for b, w in weights.items() if b in pairs) or 1.0
    return np.asarray(sum(weights[b] * pairs[b] for b in BLOCKS if weights.get(b)) / total)


def evaluate(
    prox: Proximity,
    weights: dict[str, float] | None = None,
    pairs: dict[str, np.ndarray] | None = None,
) -> dict[str, Any]:
    ref = prox.ref
    gold = official_targets(ref, prox.fiches)
    parts = halves(gold)
    pairs = pairs or prox.all_pairs()
    weights = weights or prox.config.weights
    methods = {
        "jaccard": jaccard_rows(ref, prox.fiches),
        "proximity": blend(pairs, weights),
        # What a person's competences alone can use (no domain, no job label).
        "proximity_competences_only": blend(
            pairs, {b: w for b, w in weights.items() if b not in FICHE_ONLY}
        ),
    }
    report: dict[str, Any] = {"n_sources": len(gold), "links": sum(len(t) for t in gold.values())}
    for name, scores in methods.items():
        report[name] = {part: rank_metrics(scores, gold, rows) for part, rows in parts.items()}
    for block in BLOCKS:  # each block alone, to see what carries the signal
        report.setdefault("blocks_alone", {})[block] = rank_metrics(
            pairs[block], gold, parts["all"]
        )
    base = report["jaccard"]["held_out"]["recall@10"]
    report["relative_gain_recall@10_held_out"] = (
        round(report["proximity"]["held_out"]["recall@10"] / base - 1, 4) if base else None
    )
    return report


def tune(
    prox: Proximity,
    values: Sequence[float] = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0),
    rounds: int = 3,
) -> tuple[float, dict[str, float]]:
    """Coordinate ascent of the blend weights on recall@10 of the `tune` half only (items fixed
    at 1): each block's weight in turn takes the best of `values`."""
    gold = official_targets(prox.ref, prox.fiches)
    rows = halves(gold)["tune"]
    pairs = prox.all_pairs()
    weights = dict(prox.config.weights)
    weights["items"] = 1.0
    best = rank_metrics(blend(pairs, weights), gold, rows)["recall@10"]
    for _ in range(rounds):
        for block in BLOCKS:
            if block == "items":
                continue
            for value in values:
                trial = {**weights, block: value}
                score = rank_metrics(blend(pairs, trial), gold, rows)["recall@10"]
                if score > best:
                    best, weights = score, trial
    return best, weights
