import pytest

from indexing.errors import InputTooLarge, InvalidInput


@pytest.fixture(scope="module")
def auto(mini_core):
    return mini_core.autocomplete


def test_prefixes_of_any_word(auto):
    labels = [s.label for s in auto.suggest("aide so")]
    assert labels[0] == "Aide-soignant / Aide-soignante"
    assert {s.code_rome for s in auto.suggest("poids")} == {"N4101"}
    assert auto.suggest("vendeuse boul")[0].code == "20002"


def test_typos_fall_back_to_fuzzy(auto):
    suggestions = auto.suggest("chaufeur")
    assert suggestions[0].code == "11989"
    assert suggestions[0].match == "fuzzy"


def test_fiche_and_its_same_label_appellation_appear_once(auto):
    labels = [(s.label, s.code_rome) for s in auto.suggest("aide", k=10)]
    assert len(labels) == len(set(labels))


def test_limits(auto):
    with pytest.raises(InvalidInput, match="at least 2"):
        auto.suggest("a")
    with pytest.raises(InputTooLarge):
        auto.suggest("a" * 101)
    assert len(auto.suggest("ve", k=1)) == 1
