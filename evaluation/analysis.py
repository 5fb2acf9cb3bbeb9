"""What the evaluation notebooks display, computed here so the notebooks only display it.

Every function takes the loaded core (the same task models as the service) and data paths, and
returns plain dicts and lists.
"""

from __future__ import annotations

import html
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from models.runtime import Passerelle


def load_core_from_env() -> Passerelle:
    """The core as the service would load it, from the PASSERELLE_* environment variables."""
    from models.settings import CoreSettings

    return Passerelle.load(CoreSettings())


def offers_path_from_env() -> Path:
    path = os.environ.get("PASSERELLE_NB_OFFERS")
    if not path:
        raise SystemExit("set PASSERELLE_NB_OFFERS to a JSONL of offers (France Travail format)")
    return Path(path)


def gold_path_from_env() -> Path | None:
    """Annotated mentions (`offers_dev_spans.jsonl` format) of offers in PASSERELLE_NB_OFFERS,
    if PASSERELLE_NB_GOLD names a file."""
    path = os.environ.get("PASSERELLE_NB_GOLD")
    return Path(path) if path else None


# --- titles -----------------------------------------------------------------------------------


def title_analysis(core: Passerelle, offers_path: Path, bins: int = 10) -> dict[str, Any]:
    """Confusions between grands domaines (gold → predicted top-1), a calibration table of the
    resolver's confidence, and the most frequent fiche confusions."""
    from evaluation.offers import load_offers
    from evaluation.titles import resolve_offers

    ref = core.referential
    outcomes = resolve_offers(core.titles, load_offers(offers_path), use_description=True)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    pairs: Counter[tuple[str, str]] = Counter()
    calibration = [[0, 0.0, 0] for _ in range(bins)]  # n, sum of confidence, correct
    for o in outcomes:
        gold = o.offer.rome_code
        best = o.resolution.best
        if gold is None or gold not in ref.fiches or best is None:
            continue
        predicted = best.fiche.code_rome
        confusion[ref.fiches[gold].grand_domaine][best.fiche.grand_domaine] += 1
        if predicted != gold:
            pairs[(gold, predicted)] += 1
        slot = calibration[min(bins - 1, int(best.score * bins))]
        slot[0] += 1
        slot[1] += best.score
        slot[2] += int(predicted == gold)
    domains = sorted({d for row in confusion.values() for d in row} | set(confusion))
    return {
        "domains": domains,
        "domain_labels": {f.grand_domaine: f.grand_domaine_label for f in ref.fiches.values()},
        "confusion": [[confusion[g][p] for p in domains] for g in domains],
        "calibration": [
            {
                "bin": f"{i / bins:.1f}–{(i + 1) / bins:.1f}",
                "n": n,
                "confidence": round(total / n, 3) if n else None,
                "accuracy": round(correct / n, 3) if n else None,
            }
            for i, (n, total, correct) in enumerate(calibration)
        ],
        "top_confusions": [
            {
                "gold": g,
                "gold_label": ref.fiches[g].label,
                "predicted": p,
                "predicted_label": ref.fiches[p].label,
                "n": n,
            }
            for (g, p), n in pairs.most_common(15)
        ],
        "n": sum(sum(row.values()) for row in confusion.values()),
    }


# --- competences ------------------------------------------------------------------------------


RUBRIQUES = {"savoir-faire": ("competence", "macro_competence"), "savoirs": ("savoir",)}


def competence_analysis(core: Passerelle, offers_path: Path, examples: int = 3) -> dict[str, Any]:
    """Precision of what was found in the text and recall of the top 10 (found, then suggested)
    against the recruiters' codes, per rubrique; and offers with their spans highlighted."""
    from evaluation.competences import extract_offers
    from evaluation.offers import load_offers

    ref = core.referential
    offers = [o for o in load_offers(offers_path) if o.competences]
    outcomes = extract_offers(core.competences, offers)
    table = {}
    for rubrique, kinds in RUBRIQUES.items():
        found_n = found_hit = gold_n = recalled = 0
        for o in outcomes:
            gold = {
                c.code
                for c in o.offer.competences
                if c.code in ref.competences or c.code in ref.macros or c.code in ref.savoirs
            }
            gold = {c for c in gold if ref.kind_of(c).value in kinds}
            found = {i.code_ogr for i in o.extraction.found if i.kind.value in kinds}
            ranked = [i.code_ogr for i in o.extraction.ranked() if i.kind.value in kinds][:10]
            found_n += len(found)
            found_hit += len(found & gold)
            gold_n += len(gold)
            recalled += len(gold & set(ranked))
        table[rubrique] = {
            "found": found_n,
            "precision_found": round(found_hit / found_n, 3) if found_n else None,
            "gold": gold_n,
            "recall@10": round(recalled / gold_n, 3) if gold_n else None,
        }
    shown = []
    for o in outcomes[:examples]:
        text = o.offer.description
        spans = sorted({(s.start, s.end) for i in o.extraction.found for s in i.spans})
        shown.append({"title": o.offer.title, "html": highlight(text, spans)})
    return {"n": len(outcomes), "by_rubrique": table, "examples": shown}


def extraction_reliability(
    core: Passerelle, gold_path: Path, offers_path: Path, floor: float = 0.2
) -> list[dict[str, Any]]:
    """How often an item a clause states is right (lenient), by the probability the tagger
    gives it, over the annotated offers, reading down to `floor`."""
    from evaluation import extraction

    gold, offers = extraction.load(gold_path, offers_path)
    report = extraction.evaluate(core.competences, gold, offers, min_probability=floor)
    rows: list[dict[str, Any]] = report["reliability"]
    return rows


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """The text as HTML with the spans marked (overlaps merged)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "<div style='white-space: pre-wrap'>" + "".join(out) + "</div>"


# --- emerging ---------------------------------------------------------------------------------


def emerging_analysis(
    core: Passerelle, offers_path: Path, documents: int = 400, planted: int = 30, seed: int = 2
) -> dict[str, Any]:
    """The candidates found in the offers, their clusters, and the hold-out recall curve."""
    from evaluation.emerging import evaluate_holdout
    from evaluation.offers import load_offers
    from models.emerging import CorpusDocument

    detector = core.load_emerging()
    offers = load_offers(offers_path)[:documents]
    corpus = [CorpusDocument(str(i), o.description, o.title) for i, o in enumerate(offers)]
    report = detector.analyse(corpus, k=50)
    holdout = evaluate_holdout(
        core.referential,
        detector,
        core.indexes,
        [o.description for o in offers],
        seed=seed,
        planted=planted,
    )
    ranks = [r for r in holdout["found_at_ranks"] if r is not None]
    total = max(1, holdout["planted_held_out"])
    return {
        "candidates": [
            {
                "rank": i,
                "label": c.label,
                "kind": c.kind,
                "documents": c.documents,
                "independent": c.independent,
                "spread": c.spread,
                "novelty": c.novelty,
                "score": c.score,
                "nearest": c.nearest[0].label if c.nearest else None,
                "fiche": c.fiches[0].label if c.fiches else None,
                "listed_with": [t.label for t in c.listed_with],
            }
            for i, c in enumerate(report.candidates, start=1)
        ],
        "clusters": [
            {"label": c.label, "variants": list(c.variants)}
            for c in report.candidates
            if c.variants
        ],
        "recall_curve": [
            {"k": k, "recall": round(sum(1 for r in ranks if r <= k) / total, 4)}
            for k in range(1, 51)
        ],
        "holdout": {k: v for k, v in holdout.items() if k != "found_at_ranks"},
    }
