"""Fit the statement model (`models/config/statements.json`): a logistic regression over
the features of each clause's nearest referential item, labelled by annotated offers.

    python -m evaluation.statements_fit --labels evaluation/data/statement_labels.jsonl \\
        --offers ../shared/eval/offers_dev.jsonl

The labels are annotations of dev offers made for this purpose, **not** the evaluation set
(`offers_dev_spans.jsonl`): codes only, no text of the offers (the clauses are read from the
offers file at fit time). A statement is a positive when its item, or for savoir-faire and
savoir-être a sibling under its macro-compétence, is among the codes annotated for the offer
(the extraction issue's lenient precision). The threshold is the lowest probability at which
the found items (the fiche-bound reading's and the statements') keep a pooled lenient precision
of `--precision` on the labelled offers, with out-of-fold probabilities (folds by offer).
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from evaluation.extraction import (
    GoldOffer,
    gold_sets,
    lenient_hit,
    load_gold,
    score_offer,
    summarise,
)
from evaluation.offers import Offer, load_offers
from models.competences import Extraction, TaggedItem
from models.runtime import Passerelle
from models.settings import CoreSettings
from models.statements import FEATURES, MODEL_PATH, Statement, best_per_span


@dataclass
class LabelledOffer:
    gold: GoldOffer
    offer: Offer
    extraction: Extraction  # what the fiche-bound reading finds without statements
    statements: list[Statement]
    labels: list[bool]


def labelled(core: Passerelle, labels: Path, offers: Path) -> list[LabelledOffer]:
    ref = core.referential
    by_id = {o.id: o for o in load_offers(offers)}
    out = []
    for gold in load_gold(labels):
        offer = by_id[gold.id]
        codes, macros = gold_sets(gold, ref)
        statements = core.competences.statement_candidates(offer.description, offer.title)
        out.append(
            LabelledOffer(
                gold,
                offer,
                core.competences.extract(offer.description, offer.title),
                statements,
                [lenient_hit(st.code, codes, macros, ref) for st in statements],
            )
        )
    return out


def pooled(
    core: Passerelle, data: list[LabelledOffer], probabilities: list[np.ndarray], threshold: float
) -> dict[str, Any]:
    """The extraction metric on the labelled offers when statements above `threshold` join
    what the fiche-bound reading found (as `CompetenceExtractor._stated` adds them)."""
    scores = []
    for d, p in zip(data, probabilities, strict=True):
        kept = best_per_span(
            [(st, q) for st, q in zip(d.statements, p, strict=True) if q >= threshold]
        )
        have = {i.code_ogr for i in d.extraction.found}
        extra = []
        for st, q in kept:
            if st.code not in have:
                have.add(st.code)
                extra.append(_found(st, q))
        with_statements = replace(d.extraction, found=(*d.extraction.found, *extra))
        scores.append(score_offer(d.gold, d.offer.description, with_statements, core.referential))
    return summarise(scores)


def _found(st: Statement, probability: float) -> TaggedItem:
    return TaggedItem(
        st.code, "", st.kind, probability, True, (), None, None, None, None, None, None, None
    )


GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def _fit(x: np.ndarray, y: np.ndarray) -> Pipeline:
    # Standardised: the cosine moves over a few hundredths, the other features over units.
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)).fit(x, y)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--offers", type=Path, required=True)
    parser.add_argument(
        "--precision",
        type=float,
        default=0.70,
        help="lenient precision the found items must keep on the labelled offers",
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    core = Passerelle.load(CoreSettings(), with_statements=False)
    data = labelled(core, args.labels, args.offers)
    x = np.array([st.features() for d in data for st in d.statements])
    y = np.array([label for d in data for label in d.labels])
    groups = [d.gold.id for d in data for _ in d.statements]
    # Out-of-fold probabilities choose the threshold: in-sample ones would flatter it.
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        oof[test] = _fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    bounds = np.cumsum([0, *(len(d.statements) for d in data)])
    per_offer = [oof[a:b] for a, b in itertools.pairwise(bounds)]
    curve = {}
    threshold = 1.0
    for q in GRID:
        summary = pooled(core, data, per_offer, q)
        lenient = summary["lenient"]
        curve[f"{q:.2f}"] = {
            "found_per_offer": summary["found_per_offer"],
            "recall": lenient["recall"],
            "precision": lenient["precision"],
            "savoir_faire_recall": lenient["recall_by_kind"]["savoir_faire"],
        }
        if lenient["precision"] is not None and lenient["precision"] >= args.precision:
            threshold = min(threshold, q)
    model = _fit(x, y)
    scaler, logistic = model.named_steps["standardscaler"], model.named_steps["logisticregression"]
    # Stored on the raw features: w / σ, and the means folded into the bias.
    weights = logistic.coef_[0] / scaler.scale_
    bias = logistic.intercept_[0] - float(np.sum(logistic.coef_[0] * scaler.mean_ / scaler.scale_))
    report = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(float(bias), 6),
        "threshold": round(threshold, 4),
        "fitted_on": {
            "labels": args.labels.name,
            "offers": len(set(groups)),
            "statements": len(y),
            "positives": int(y.sum()),
            "pooled_precision_target": args.precision,
            "out_of_fold_curve": curve,
        },
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
