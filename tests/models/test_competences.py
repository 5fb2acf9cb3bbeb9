import dataclasses

import pytest

from indexing.errors import InputTooLarge, InvalidInput
from indexing.referential import CoreLevel, Kind
from models.competences import CompetenceExtractor
from models.segments import content_stems, segment, stem

OFFER = (
    "Nous sommes un groupe leader de la grande distribution.\n"
    "Vos missions :\n"
    "- Conseiller le client sur un produit et encaisser le paiement.\n"
    "- Charger et décharger les marchandises.\n"
    "Permis C exigé. Techniques de vente appréciées.\n"
    "Vous êtes rigoureux et avez l'esprit d'équipe.\n"
    "Avantages : mutuelle, tickets restaurant. Postulez avec votre CV."
)


@pytest.fixture(scope="module")
def extractor(mini_core):
    return mini_core.competences


def test_segments_keep_offsets_and_stems_meet_across_word_forms():
    text = "Missions :\n- Installation des équipements; réalisation des soins."
    segs = segment(text, 10)
    assert [text[s.start : s.end] for s in segs] == [
        "Missions :",
        "Installation des équipements;",
        "réalisation des soins.",
    ]
    assert stem("installation") == stem("installer") == "install"
    assert stem("accueillir") == stem("accueil")
    assert stem("pharmacovigilance") != stem("pharmacie")
    assert content_stems("Réaliser les soins") == ("realis", "soin")


def test_found_items_have_spans_pointing_into_the_text(extractor):
    result = extractor.extract(OFFER, "Vendeur en boulangerie")
    assert result.job is not None and result.job.candidates[0].fiche.code_rome == "D1107"
    found = {i.code_ogr: i for i in result.found}
    assert {"100007", "100008", "100004"} <= set(found)
    for item in result.found:
        assert item.spans
        for span in item.spans:
            assert OFFER[span.start : span.end] == span.text
    # Level is relative to the resolved fiche: core in D1106, simply listed in D1107.
    assert (found["100007"].fiche, found["100007"].level) == ("D1107", CoreLevel.LISTED)
    core = extractor.extract(
        "Réaliser les soins d'hygiène et de confort du patient.", "Aide-soignant"
    )
    assert {i.code_ogr: i.level for i in core.found}["100001"] is CoreLevel.PRINCIPALE
    assert found["100007"].path is not None and found["100007"].path.macro.code == "5A101"


def test_an_offer_relayed_as_html_is_tagged_like_its_text(extractor):
    html = (
        OFFER.replace("\n", "&lt;br /&gt;")
        .replace("'", "&#39;")
        .replace(" :", "&#xa0;:")
        .replace("é", "&#233;")  # inside words: "d&#233;charger"
    )
    as_text = {i.code_ogr for i in extractor.extract(OFFER, "Vendeur en boulangerie").found}
    result = extractor.extract(html, "Vendeur en boulangerie")
    assert {i.code_ogr for i in result.found} == as_text
    for item in result.found:  # spans still point into what was sent
        assert all(html[s.start : s.end] == s.text for s in item.spans)
    # Without reading the markup, the escaped line breaks glue the bullets into one segment.
    assert "100004" in as_text


def test_found_and_suggested_are_kept_apart(extractor):
    result = extractor.extract(OFFER, "Vendeur en boulangerie")
    found = {i.code_ogr for i in result.found}
    suggested = {i.code_ogr for i in result.suggested}
    assert not found & suggested
    assert all(not i.spans for i in result.suggested)
    assert "200001" in suggested  # hygiene rules: listed for the fiche, not in the text


def test_boilerplate_never_yields_competences(extractor):
    result = extractor.extract(OFFER, "Vendeur en boulangerie")
    pitch = [s for s in result.boilerplate if "groupe leader" in s.text]
    assert pitch and any("mutuelle" in s.text for s in result.boilerplate)
    for item in result.found:
        for span in item.spans:
            assert not any(b.start <= span.start < b.end for b in result.boilerplate)


def test_exigence_savoir_etre_and_certifications(extractor):
    result = extractor.extract(OFFER, "Vendeur en boulangerie")
    found = {i.code_ogr: i for i in result.found}
    assert found["200002"].required is True  # "Permis C exigé", found though not linked
    assert found["200002"].level is None
    assert found["200004"].required is False  # "Techniques de vente appréciées"
    assert {"300490", "300465"} <= set(found)  # rigoureux, esprit d'équipe
    assert found["300490"].spans[0].text == "rigoureux"


def test_negation_drops_the_item(extractor):
    result = extractor.extract(
        "Conduire un poids lourd. Pas de permis C nécessaire.", "Chauffeur poids lourd"
    )
    assert "200002" in {i.code_ogr for i in result.negated}
    assert "200002" not in {i.code_ogr for i in result.found}


def test_aggregates_by_macro_and_enjeu(extractor):
    result = extractor.extract(OFFER, "Vendeur en boulangerie")
    by_enjeu = {a.code: a for a in result.by_enjeu}
    assert by_enjeu["5A"].found == 2
    assert by_enjeu["6D"].found == 2
    assert sum(a.found for a in result.by_macro) == sum(
        1 for i in result.found if i.path is not None
    )


def test_ranked_list_puts_evidence_first(extractor):
    ranked = extractor.extract(OFFER, "Vendeur en boulangerie").ranked()
    assert ranked[0].found and ranked[0].kind in (Kind.COMPETENCE, Kind.SAVOIR)


def test_limits_and_empty_text(extractor):
    with pytest.raises(InputTooLarge, match="at most 50000"):
        extractor.extract("a" * 50_001)
    with pytest.raises(InvalidInput, match="empty"):
        extractor.extract("   ")


def test_long_text_without_title(extractor):
    text = "Aide-soignant\n" + "Réaliser les soins d'hygiène et de confort du patient. " * 200
    result = extractor.extract(text)
    assert len(text) > 10_000
    assert result.job is not None and result.job.candidates[0].fiche.code_rome == "J1501"
    assert "100001" in {i.code_ogr for i in result.found}


def test_offers_longer_than_the_resolvers_limit_are_tagged(extractor):
    # Tagging accepts 50,000 characters; the job is judged on the first 20,000.
    text = (
        "Conduire un poids lourd sur de longues distances, puis charger et décharger "
        "des marchandises au dépôt. "
    ) * 450
    assert 20_000 < len(text) <= 50_000
    result = extractor.extract(text, "Chauffeur PL")
    assert result.job is not None and result.job.candidates[0].fiche.code_rome == "N4101"
    assert {"100003", "100004"} <= {i.code_ogr for i in result.found}
    # Evidence is found to the end of the text, past what the resolver read.
    last = max(s.end for i in result.found for s in i.spans)
    assert last > 40_000


def test_short_labels_must_be_quoted_as_a_phrase(extractor):
    scattered = extractor.extract("Techniques variées, accueil et vente.", "Vendeur en boulangerie")
    assert "200004" not in {i.code_ogr for i in scattered.found}
    quoted = extractor.extract("Bonnes techniques de vente.", "Vendeur en boulangerie")
    assert "200004" in {i.code_ogr for i in quoted.found}


def test_an_unsure_job_lets_its_second_fiche_weigh_more(extractor):
    job = extractor.titles.resolve("Vendeur")
    by_fiche = {c.fiche.code_rome: c for c in job.candidates}
    # D1106 first, D1107 second: "Charger et décharger des marchandises" is D1107's only.
    job = dataclasses.replace(job, candidates=(by_fiche["D1106"], by_fiche["D1107"]))

    def score(abstained: bool) -> float:
        items = extractor.suggestions(dataclasses.replace(job, abstained=abstained))
        return float(next(i.score for i in items if i.code_ogr == "100004"))

    assert score(True) > score(False)


def test_job_content_that_shares_a_word_with_boilerplate_is_read(extractor):
    text = (
        "Entretien du logement et accompagnement des personnes en situation de handicap.\n"
        "Être en lien avec le réseau local des partenaires.\n"
        "Un entretien individuel vous sera proposé.\n"
        "Tous nos postes sont ouverts aux personnes en situation de handicap."
    )
    read = {text[s.start : s.end] for s in extractor.extract(text, "Aide à domicile").boilerplate}
    assert read == {
        "Un entretien individuel vous sera proposé.",
        "Tous nos postes sont ouverts aux personnes en situation de handicap.",
    }


def test_items_carried_over_from_rome_v3_rank_above_new_ones(extractor):
    job = extractor.titles.resolve("Vendeur en alimentation")

    def score(code: str, below: int) -> float:
        config = dataclasses.replace(extractor.config, legacy_below=below, legacy_prior=1.0)
        tagger = CompetenceExtractor(extractor.ref, extractor.titles, config, extractor.matcher)
        return float(next(i.score for i in tagger.suggestions(job) if i.code_ogr == code))

    # 100008 counts as carried over when the boundary is above its code, as new otherwise.
    assert score("100008", 100009) > score("100008", 100008)


def test_a_certification_named_after_a_job_needs_a_qualification_in_the_text(extractor):
    # "Vendeur en boulangerie" is both an appellation and a certification savoir (200005).
    boss = extractor.extract("Sous la responsabilité du vendeur en boulangerie.", "Vendeur")
    assert "200005" not in {i.code_ogr for i in boss.found}
    held = extractor.extract("Titulaire du titre de vendeur en boulangerie.", "Vendeur")
    assert "200005" in {i.code_ogr for i in held.found}


@pytest.mark.parametrize("level", ["macro_breadth", "objectif_breadth"])
def test_items_of_a_branch_the_fiche_details_rank_higher(extractor, level):
    job = extractor.titles.resolve("Vendeur en boulangerie")
    assert job.candidates[0].fiche.code_rome == "D1107"

    def scores(weight: float) -> dict[str, float]:
        weights = {"macro_breadth": 0.0, "objectif_breadth": 0.0, level: weight}
        config = dataclasses.replace(extractor.config, **weights)
        tagger = CompetenceExtractor(extractor.ref, extractor.titles, config, extractor.matcher)
        return {i.code_ogr: i.score for i in tagger.suggestions(job)}

    flat, broad = scores(0.0), scores(1.0)
    # D1107 lists 100007 and 100008 under macro 300400, and 100004 alone under 300200 (and
    # alone under its objectif).
    assert broad["100008"] > flat["100008"]
    assert broad["100004"] == flat["100004"]


def test_a_long_label_matched_on_some_words_needs_its_rarest_one(extractor):
    # "Réaliser les soins d'hygiène et de confort du patient" (100001): of its five words,
    # "confort" is the one no other label of the mini referential uses.
    assert extractor.matcher._rarest("100001") == stem("confort")
    found = extractor.extract("Soins de confort du patient.", "Aide-soignant").found
    assert "100001" in {i.code_ogr for i in found}
    # The fiche-bound reading alone (no clause statement may add it: probability floor 1).
    found = extractor.extract(
        "Soins d'hygiène du patient.", "Aide-soignant", min_probability=1
    ).found
    assert "100001" not in {i.code_ogr for i in found}


def test_short_labels_must_be_quoted_in_their_order(extractor):
    listed = extractor.extract("Formation en vente, techniques commerciales.", "Vendeur")
    assert "200004" not in {i.code_ogr for i in listed.found}


@pytest.mark.parametrize("repeat", [1, 450])  # a short offer, and one past the resolver's limit
def test_a_text_is_cut_into_segments_once_per_tagging(extractor, monkeypatch, repeat):
    import models.evidence

    calls = []

    def counting(text, *args):
        calls.append(len(text))
        return segment(text, *args)

    monkeypatch.setattr(models.evidence, "segment", counting)
    offer = "Vendeur en boulangerie\n" + "Conseiller le client et encaisser le paiement. " * repeat
    extractor.titles.clear_cache()  # a title resolved before would skip its description
    extractor.extract(offer, "Vendeur H/F")
    assert calls == [len(offer)]
    calls.clear()
    extractor.extract_many([(offer, "Vendeur"), (OFFER, None)])
    assert calls == [len(offer), len(OFFER)]
