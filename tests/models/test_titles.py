import dataclasses
import math

import pytest

from indexing.errors import InputTooLarge, InvalidInput
from models.titles import TitleCandidate, TitleConfig, TitleQuery, TitleResolver


@pytest.fixture(scope="module")
def resolver(mini_core):
    return mini_core.titles


def top(resolver, title, **kw):
    return resolver.resolve(TitleQuery(title, **kw)).candidates[0]


@pytest.mark.parametrize(
    ("title", "fiche"),
    [
        ("Aide-soignant", "J1501"),
        ("AIDE SOIGNANTE (H/F)", "J1501"),
        ("aide sognante", "J1501"),  # typo
        ("Chaufeur poids lourd CDI - Annecy (74)", "N4101"),  # typo and noise
        ("Conductrice PL", "N4101"),  # feminine + abbreviation
        ("Développeur/euse web Senior", "M1805"),
        ("Vendeuse en boulangerie", "D1107"),
    ],
)
def test_titles_as_people_write_them(resolver, title, fiche):
    assert top(resolver, title).fiche.code_rome == fiche


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Super Marché Dupont - Vendeuse en boulangerie (H/F)", "vendeuse en boulangerie"),
        ("Stage PFE - Développeur Java", "developpeur java"),
        ("Aide-soignant - Annecy", "aide soignant"),  # the job comes first: it stays
        ("Chauffeur - Vendeur en alimentation", "chauffeur"),  # both start a title: the first
        ("Aide-soignant&#xa0;&lt;b&gt;de nuit&lt;/b&gt;", "aide soignant de nuit"),  # HTML
    ],
)
def test_the_job_segment_is_chosen_over_an_employer_name(resolver, title, cleaned):
    assert resolver.resolve(title).cleaned == cleaned


def test_the_encoder_reads_the_title_as_written_unless_it_was_rewritten(resolver):
    assert resolver.prepare("Développeur Java - Lyon (H/F)").dense == "Développeur Java"
    rewritten = resolver.prepare("Chauffeur PL")
    assert rewritten.dense == rewritten.lexical == "chauffeur pl poids lourd"


def test_candidates_explain_themselves_and_are_calibrated(resolver):
    result = resolver.resolve("aide sognante")
    assert result.cleaned == "aide soignante"
    assert "sognante → soignante" in result.rewrites
    best = result.best
    assert best is not None and 0.0 <= best.score <= 1.0
    assert {e.kind for e in best.evidence} >= {"lexical", "semantic"}
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)


def test_words_the_referential_uses_are_not_typos(resolver):
    # "patient" is in no title of the mini referential but in its competences: it must not be
    # "corrected" to "batiment" (in v460, "travailleur social" became "ravaleur social").
    assert resolver.prepare("Aide patient").rewrites == ()
    assert resolver.prepare("Aide sognant").rewrites  # an unknown word is still corrected


def test_french_words_are_not_typos(resolver):
    # Neither is in the mini referential; both are close to an alias's "cariste" / "agent".
    assert resolver.prepare("Caviste").rewrites == ()
    assert resolver.prepare("Argent").rewrites == ()
    assert resolver.prepare("Chaufeur").rewrites == ("chaufeur → chauffeur",)


def test_a_rewrite_keeps_the_first_letter(resolver):
    # "xhauffeur" is one letter from "chauffeur", but a typo seldom hits the first letter
    # while a rewrite that changes it is mostly another word ("looker" → "booker").
    assert resolver.prepare("Xhauffeur").rewrites == ()


def test_a_rewrite_changes_the_length_by_two_letters_at_most(resolver):
    # "chauffeurtech" holds all of "chauffeur" (ratio 82), as "agentique" held "agente" and
    # "mobilitytech" "mobilite" in the dev offers: longer words, not typos.
    assert resolver.prepare("Chauffeurtech").rewrites == ()
    assert resolver.prepare("Chauffeurr").rewrites == ("chauffeurr → chauffeur",)


def test_abbreviations_are_expanded_but_kept(resolver):
    result = resolver.resolve("Chauffeur PL")
    assert any(r.startswith("pl →") for r in result.rewrites)
    assert "pl poids lourd" in result.cleaned


def test_abstains_on_gibberish(resolver):
    result = resolver.resolve("xkcd zzqw")
    assert result.abstained


def test_threshold_is_a_parameter(mini_core):
    strict = dataclasses.replace(mini_core.titles.config, abstain_threshold=1.01)
    resolver = TitleResolver(mini_core.referential, mini_core.encoder, mini_core.indexes, strict)
    assert resolver.resolve("Aide-soignant").abstained


def test_description_decides_between_close_fiches(resolver):
    plain = resolver.resolve("Vendeur")
    with_context = resolver.resolve(
        TitleQuery("Vendeur", "Vous vendez du pain et des viennoiseries en boulangerie.")
    )
    ranks = {c.fiche.code_rome: i for i, c in enumerate(with_context.candidates)}
    assert ranks["D1107"] < ranks["D1106"]
    assert all(c.context is None for c in plain.candidates)
    assert with_context.best is not None and with_context.best.context is not None


def test_competences_named_in_the_description_count_for_their_fiche(mini_core):
    query = TitleQuery(
        "Vendeur",
        "Vous chargez et déchargez les marchandises. Règles d'hygiène et d'asepsie.",
    )
    with_items = {c.fiche.code_rome: c for c in mini_core.titles.resolve(query).candidates}
    blind = TitleResolver(
        mini_core.referential,
        mini_core.encoder,
        mini_core.indexes,
        mini_core.titles.config,
        domains=mini_core.titles.domains,  # the same trade evidence: only `items` differs
    )
    without = {c.fiche.code_rome: c for c in blind.resolve(query).candidates}
    said = [e for e in with_items["D1107"].evidence if e.kind == "items"]
    assert said and said[0].score == 2  # one savoir-faire and one savoir of D1107
    # The evidence names them, so an integrator sees why.
    assert "Charger et décharger des marchandises" in said[0].matched
    assert "Règles d'hygiène et d'asepsie" in said[0].matched
    assert with_items["D1107"].raw_score > without["D1107"].raw_score
    # D1106 lists neither item: its score does not move.
    assert with_items["D1106"].raw_score == without["D1106"].raw_score
    assert not [e for e in with_items["D1106"].evidence if e.kind == "items"]


@pytest.mark.parametrize("title", ["(H/F)", "!!!", "CDI - 74"])
def test_titles_without_job_words_are_refused(resolver, title):
    with pytest.raises(InvalidInput, match="no job words"):
        resolver.resolve(title)


def test_oversize_title_and_batch_error_position(resolver):
    with pytest.raises(InputTooLarge, match="at most 300"):
        resolver.resolve("a" * 301)
    with pytest.raises(InvalidInput, match=r"titles\[1\]"):
        resolver.resolve_many([TitleQuery("Aide-soignant"), TitleQuery("(H/F)")])


def test_config_file_loads():
    config = TitleConfig.load()
    assert config.aliases["pl"] == "poids lourd"
    assert 0 < config.abstain_threshold < 1


def test_naf_context_favours_the_fiches_of_the_employers_sector(mini_core):
    from dataclasses import replace

    from models.titles import TitleQuery, TitleResolver

    ref = mini_core.referential
    assert ref.sector(naf="10.71C").fiches == {"D1107"}
    assert ref.sector(naf="1071C") == ref.sector(naf="10")
    assert ref.sector(naf="99.99Z") is None
    weight = mini_core.titles.config.sector_weight
    plain = {
        c.fiche.code_rome: c for c in mini_core.titles.resolve("Vendeur en magasin").candidates
    }
    bakery = mini_core.titles.resolve(TitleQuery("Vendeur en magasin", naf="10.71C"))
    boosted = {c.fiche.code_rome: c for c in bakery.candidates}
    # Exactly the configured weight, on the sector's fiches only.
    assert boosted["D1107"].raw_score == pytest.approx(plain["D1107"].raw_score + weight, abs=1e-3)
    assert boosted["D1106"].raw_score == pytest.approx(plain["D1106"].raw_score, abs=1e-3)
    assert any(e.kind == "sector" for e in boosted["D1107"].evidence)
    # A weight larger than the gap flips close fiches; an interim agency's NAF changes nothing.
    strong = TitleResolver(
        ref,
        mini_core.encoder,
        mini_core.indexes,
        replace(mini_core.titles.config, sector_weight=0.05),
    )
    for naf, expected in (("47.11F", "D1106"), ("10.71C", "D1107")):
        best = strong.resolve(TitleQuery("Vendeur", naf=naf)).best
        assert best is not None and best.fiche.code_rome == expected
    interim = strong.resolve(TitleQuery("Vendeur", naf="78.20Z"))
    assert not any(e.kind == "sector" for c in interim.candidates for e in c.evidence)


def test_the_description_is_read_only_when_the_title_is_not_enough(mini_core):
    from dataclasses import replace

    from models.titles import TitleQuery, TitleResolver

    query = TitleQuery("Vendeur", "Vend du pain et des viennoiseries en boulangerie.")

    def kinds(skip: float) -> set[str]:
        resolver = TitleResolver(
            mini_core.referential,
            mini_core.encoder,
            mini_core.indexes,
            replace(mini_core.titles.config, context_skip=skip),
        )
        resolver.prime([query])
        best = resolver.resolve(query).best
        assert best is not None
        return {e.kind for e in best.evidence}

    assert "context" in kinds(1.01)  # never sure enough: the description is read
    assert "context" not in kinds(0.0)  # always sure: it is not


def test_fiches_whose_appellations_say_every_title_word_are_preferred(mini_core):
    from dataclasses import replace

    def candidates(weight: float, title: str) -> dict[str, TitleCandidate]:
        resolver = TitleResolver(
            mini_core.referential,
            mini_core.encoder,
            mini_core.indexes,
            replace(mini_core.titles.config, coverage_weight=weight),
        )
        return {c.fiche.code_rome: c for c in resolver.resolve(title).candidates}

    title = "Vendeurs en boulangerie"
    off, on = candidates(0.0, title), candidates(0.05, title)
    # One bakery appellation holds "vendeur" (plural folded) and "boulangerie"; the food-shop
    # fiche's appellations lack "boulangerie", so it gets nothing.
    gain = 0.05 * math.log(2)
    assert on["D1107"].raw_score == pytest.approx(off["D1107"].raw_score + gain, abs=1e-3)
    assert on["D1106"].raw_score == pytest.approx(off["D1106"].raw_score, abs=1e-3)
    covering = [e for e in on["D1107"].evidence if e.kind == "coverage"]
    assert covering and covering[0].score == 1.0
    assert not any(e.kind == "coverage" for e in on["D1106"].evidence)


@pytest.mark.parametrize(
    ("title", "appellation", "general"),
    [
        ("Développeur", "38717", True),  # says no more than the principal "Développeur web"
        ("Développeur Java", "38718", False),  # names an appellation of its own
        ("Aide-soignante en gériatrie", "10893", False),
    ],
)
def test_a_title_naming_the_job_in_general_gets_the_principal_appellation(
    resolver, title, appellation, general
):
    best = resolver.resolve(title).best
    assert best is not None
    assert best.appellation.code_ogr == appellation
    assert any(e.kind == "general" for e in best.evidence) is general
