import pytest

from models.domain_words import DomainWords, fiche_words
from models.titles import TitleQuery, TitleResolver

ALL = ["J1501", "N4101", "M1805", "D1106", "D1107"]


@pytest.fixture(scope="module")
def domains(mini_ref):
    # The mini referential's descriptions know few words: judge from one.
    return DomainWords(mini_ref, min_words=1)


def _scores(mini_core, domains, text, codes=ALL):
    return domains.scores(mini_core.titles.items.read(text), codes)


def test_a_fiche_is_described_by_its_referential_text(mini_ref):
    words = fiche_words(mini_ref, "N4101").split()
    assert "lourd" in words  # label and appellations
    assert "transport" in words  # definition ("pour transporter des marchandises")


def test_the_description_votes_for_the_trade_it_talks_of(mini_core, domains):
    z = _scores(mini_core, domains, "Vous prenez le volant d'un poids lourd sur de longs trajets.")
    assert z is not None
    assert max(z, key=lambda c: z[c]) == "N4101"
    assert z["N4101"] > 0 > z["M1805"]


def test_fiches_of_one_domaine_share_its_score(mini_core, domains):
    # Word bags tell trades apart, not roles within one: D1106 and D1107 are both D11.
    z = _scores(mini_core, domains, "Vous vendez du pain et des viennoiseries en boulangerie.")
    assert z is not None
    assert z["D1106"] == z["D1107"] > 0
    assert z["J1501"] < 0


def test_nothing_to_say_when_all_candidates_share_a_domaine_or_no_word_is_known(mini_core, domains):
    text = "Vous vendez du pain en boulangerie."
    assert _scores(mini_core, domains, text, ["D1106", "D1107"]) is None
    assert _scores(mini_core, domains, "Zorglub wxq.") is None
    assert _scores(mini_core, domains, text, ["D1106"]) is None


def test_too_few_known_words_say_nothing(mini_core):
    # A description whose job sentences were all boilerplate left "end week mercredi fin": a
    # z-score over so little gave a textile fiche the lead for a tutoring offer.
    text = "Vous prenez le volant d'un poids lourd."
    assert _scores(mini_core, DomainWords(mini_core.referential, min_words=1), text) is not None
    assert _scores(mini_core, DomainWords(mini_core.referential, min_words=15), text) is None


def test_the_resolver_shows_the_trade_evidence_and_uses_it(mini_core, domains):
    query = TitleQuery("Vendeur", "Vous vendez du pain et des viennoiseries en boulangerie.")
    base = mini_core.titles
    seeing, blind = (
        TitleResolver(
            mini_core.referential,
            mini_core.encoder,
            mini_core.indexes,
            base.config,
            items=base.items,
            domains=d,
        )
        for d in (domains, None)
    )
    seen = {c.fiche.code_rome: c for c in seeing.resolve(query).candidates}
    without = {c.fiche.code_rome: c for c in blind.resolve(query).candidates}
    domain = [e for e in seen["D1107"].evidence if e.kind == "domain"]
    assert domain and domain[0].score > 0
    assert "Domaine D11" in domain[0].matched  # names the trade for the integrator
    assert seen["D1107"].raw_score > without["D1107"].raw_score
    assert not [e for e in without["D1107"].evidence if e.kind == "domain"]
