import pytest

from indexing.errors import InvalidInput, UnknownCode
from models.matching import Candidate, Requirement


def test_affinity_rows_say_why(mini_core):
    close = {c.code: c for c in mini_core.affinity.close("100001", k=50)}
    assert close["100001"].reason == "same_code" and close["100001"].affinity == 1.0
    assert close["100002"].reason == "same_macro"  # both under "Réaliser des soins..."
    assert close["300100"].reason == "same_macro"  # and their macro-compétence
    assert "100007" not in close  # selling is not care
    assert len(mini_core.affinity.close("100001", k=2)) == 2
    with pytest.raises(UnknownCode):
        mini_core.affinity.close("200001")  # a savoir has no affinity row


def test_mobility_from_a_fiche_ranks_close_jobs_and_explains_the_gap(mini_core):
    result = mini_core.mobility.from_fiche("D1106", k=4, tension={"D1107": "forte"})
    codes = [t.fiche.code_rome for t in result.targets]
    assert "D1106" not in codes
    assert codes[0] == "D1107"  # same competences, same domaine
    best = result.targets[0]
    assert best.official and best.official_order == 1
    assert set(best.shared) == {"100007", "100008"}
    # D1107 also asks for loading goods: a gap under the transport macro-compétence.
    assert [(g.macro, g.items) for g in best.gaps] == [("300200", ("100004",))]
    assert best.tension == "forte"
    assert result.targets[1].tension is None
    assert best.score >= result.targets[1].score


def test_mobility_from_a_profile_uses_close_competences(mini_core):
    result = mini_core.mobility.from_profile(["100003"], k=2)
    top = result.targets[0]
    assert top.fiche.code_rome == "N4101"
    assert top.shared == ("100003",)
    # "Charger et décharger" is a sibling of "Conduire un poids lourd": within reach.
    assert [(t.target_item, t.have, t.reason) for t in top.transferable] == [
        ("100004", "100003", "same_macro")
    ]
    assert top.coverage == 1.0


def test_mobility_bad_input(mini_core):
    with pytest.raises(UnknownCode):
        mini_core.mobility.from_fiche("Z9999")
    with pytest.raises(InvalidInput, match="unknown code_ogr"):
        mini_core.mobility.from_profile(["999999"])
    with pytest.raises(InvalidInput, match="savoir-être"):
        mini_core.mobility.from_profile(["300465"])  # savoir-être alone
    with pytest.raises(InvalidInput):
        mini_core.mobility.from_profile([])
    with pytest.raises(InvalidInput, match="k must be"):
        mini_core.mobility.from_fiche("D1106", k=0)


def test_matching_ranks_profiles_and_explains(mini_core):
    offer = [Requirement("100001", True), Requirement("100002", True), Requirement("200001", False)]
    profiles = [
        Candidate("partial", frozenset({"100001"})),
        Candidate("full", frozenset({"100001", "100002", "200001"})),
        Candidate("driver", frozenset({"100003", "100004"})),
    ]
    results = mini_core.matcher.rank_profiles(offer, profiles, k=3)
    assert [r.id for r in results] == ["full", "partial", "driver"]
    full, partial, driver = results
    assert full.score == 1.0 and set(full.exact) == {"100001", "100002", "200001"}
    assert partial.exact == ("100001",)
    assert [(m.requirement, m.have, m.reason) for m in partial.through_affinity] == [
        ("100002", "100001", "same_macro")
    ]
    assert partial.missing_optional == ("200001",)
    # weights: required 1, optional 0.5 → (1 + 0.7) / 2.5
    assert partial.score == pytest.approx((1 + 0.7) / 2.5, abs=1e-4)
    assert driver.score == 0.0 and set(driver.missing_required) == {"100001", "100002"}


def test_matching_one_profile_against_offers(mini_core):
    offers = [
        ("care", [Requirement("100001"), Requirement("100002")]),
        ("sales", [Requirement("100007"), Requirement("100008")]),
    ]
    ranked = mini_core.matcher.rank_offers(frozenset({"100007"}), offers, k=2)
    assert [r.id for r in ranked] == ["sales", "care"]
    assert ranked[0].through_affinity[0].requirement == "100008"
    with pytest.raises(InvalidInput):
        mini_core.matcher.rank_offers(frozenset(), offers)
    with pytest.raises(InvalidInput, match="unknown code_ogr"):
        mini_core.matcher.check_codes(["123456789"], "profile")


def test_requirements_from_a_tagged_offer(mini_core):
    extraction = mini_core.competences.extract(
        "Vous réaliserez les soins d'hygiène et de confort du patient.", "Aide-soignant"
    )
    reqs = {r.code: r for r in mini_core.matcher.requirements_from(extraction)}
    assert reqs["100001"].required
