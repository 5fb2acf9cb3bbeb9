import dataclasses
import json

import numpy as np
import pytest

from evaluation.extraction import GoldOffer, Mention, score_offer, summarise
from indexing.errors import ConfigError
from indexing.referential import Kind
from models.segments import segment
from models.statements import (
    FEATURES,
    Clause,
    Statement,
    StatementModel,
    best_per_span,
    clauses_of,
)


def test_clauses_are_cut_at_punctuation_and_point_into_the_text():
    text = "Missions : conduire un poids lourd, charger les palettes (CACES).\nExcel, Word"
    segs = segment(text, 10)
    clauses = clauses_of(segs[1:], boilerplate=segs[:1])
    pieces = [text[c.start : c.end] for c in clauses]
    assert all(c.text == text[c.start : c.end] for c in clauses)
    assert "conduire un poids lourd" in pieces and "charger les palettes" in pieces
    assert "CACES" in pieces and "Excel" in pieces and "Word" in pieces  # names of their own
    assert clauses[0].boilerplate and not clauses[-1].boilerplate
    # A short segment is also read whole; a piece without three letters is not a clause.
    assert "conduire un poids lourd, charger les palettes (CACES)." in pieces
    assert not any(p in ("(", ")", ".") for p in pieces)


def _statement(start, end, code, whole=(0, 40)):
    seg = segment("x" * 40, 1)[0]
    clause = Clause(start, end, "x" * (end - start), seg, False)
    return Statement(clause, code, Kind.COMPETENCE, 0.9, 0.01, 0.5, 0.5, True, False, ())


def test_one_item_per_clause_and_a_whole_segment_adds_nothing_once_a_clause_is_kept():
    a = _statement(0, 10, "1")
    a_other = _statement(0, 10, "2")
    whole = _statement(0, 40, "3")
    kept = best_per_span([(a, 0.9), (a_other, 0.5), (whole, 0.8)])
    assert [st.code for st, _ in kept] == ["1"]


def test_the_model_refuses_features_it_was_not_fitted_on(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"features": ["cos"], "weights": [1], "bias": 0, "threshold": 0.5}))
    with pytest.raises(ConfigError, match=r"are not .* refit it"):
        StatementModel.load(path)
    path.write_text("{}")
    with pytest.raises(ConfigError, match="not a statement model"):
        StatementModel.load(path)
    model = StatementModel.load()
    assert len(model.weights) == len(FEATURES) and 0 < model.threshold < 1


def test_a_clause_that_names_an_item_outside_the_fiche_is_found(mini_core):
    extractor = mini_core.competences
    text = "Aide-soignant de nuit.\nConduire un poids lourd."
    always = dataclasses.replace(extractor.statement_model, threshold=0.0)
    extractor_always = dataclasses.replace  # noqa: F841  (readability of the next lines)
    before = extractor.statement_model
    extractor.statement_model = always
    try:
        extraction = extractor.extract(text, "Aide-soignant")
    finally:
        extractor.statement_model = before
    stated = {i.code_ogr: i for i in extraction.found}
    assert "100003" in stated  # N4101's, not the aide-soignant fiche's
    item = stated["100003"]
    assert item.fiche is None and item.level is None
    assert text[item.spans[0].start : item.spans[0].end] == "Conduire un poids lourd."
    # The default threshold keeps fewer; an explicit floor of 1 keeps none of the stated.
    strict = extractor.extract(text, "Aide-soignant", min_probability=1.0)
    assert "100003" not in {i.code_ogr for i in strict.found}


def test_the_extraction_metric_counts_strict_lenient_and_precision(mini_core):
    ref = mini_core.referential
    text = "Réaliser les soins. Conduire un poids lourd."
    gold = GoldOffer(
        "o1",
        (
            Mention("Réaliser les soins", "savoir_faire", ("100001",), False),
            Mention("Conduire un poids lourd", "savoir_faire", ("100003",), False),
            Mention("MLOps", "savoir", (), True),
        ),
    )
    extraction = mini_core.competences.extract(text, "Aide-soignant", min_probability=1.0)
    sibling = next(
        c
        for c, comp in ref.competences.items()
        if comp.macro == ref.competences["100001"].macro and c != "100001"
    )
    found = [i for i in extraction.found if i.code_ogr not in ("100001", "100003")]
    fake = dataclasses.replace(
        extraction.found[0] if extraction.found else extraction.suggested[0], code_ogr=sibling
    )
    scored = score_offer(gold, text, dataclasses.replace(extraction, found=(fake, *found)), ref)
    summary = summarise([scored])
    assert summary["mentions"] == 2  # the novel one is not counted
    assert summary["strict"]["recall"] == 0.0
    assert summary["lenient"]["recall"] == 0.5  # a sibling under the same macro
    assert summary["lenient"]["precision"] >= summary["strict"]["precision"]
    assert summary["novel_mentions"] == 1


def test_each_clause_is_also_read_against_the_mean_of_each_macro_competence(mini_core):
    reader = mini_core.competences.statements
    ref = mini_core.referential
    macros_with_competences = {c.macro for c in ref.competences.values()}
    assert set(reader._macros) == macros_with_competences
    assert np.allclose(np.linalg.norm(reader._protos, axis=1), 1.0, atol=1e-5)
    text = "Conduire un poids lourd et réaliser les soins."
    clauses = clauses_of(segment(text, 10))
    statements = reader.read(clauses, frozenset())
    competences = [st for st in statements if st.kind is Kind.COMPETENCE]
    assert competences and all(st.macro_margin <= 1e-6 for st in competences)
    for clause in clauses:  # the nearest prototype's best compétence is a candidate
        vector = reader._encoded([clause.text])[0]
        best_macro = reader._macros[int(np.argmax(reader._protos @ vector))]
        own = [st for st in competences if st.clause == clause]
        assert any(ref.competences[st.code].macro == best_macro for st in own)
        assert max(st.macro_margin for st in own) == pytest.approx(0.0, abs=1e-6)
    others = [st for st in statements if st.kind is not Kind.COMPETENCE]
    assert all(st.macro_cos == 0.0 and st.macro_margin == 0.0 for st in others)


def test_the_reliability_table_bins_stated_items_by_probability():
    from evaluation.extraction import OfferScore, reliability

    score = OfferScore("o", 3, 0, 2, {}, 0, 0, 0, ((0.05, False), (0.62, True), (0.68, False)))
    rows = reliability([score])
    assert rows == [
        {"from": 0.0, "to": 0.1, "items": 1, "mean_probability": 0.05, "share_right": 0.0},
        {"from": 0.6, "to": 0.7, "items": 2, "mean_probability": 0.65, "share_right": 0.5},
    ]
