import json

import pytest

from evaluation.metrics import mean, with_groups
from evaluation.offers import load_offers
from indexing.errors import InvalidInput


def test_offers_in_the_api_format(tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "x",
                "source": "ft-api-synthetic",
                "intitule": "Soudeur (H/F)",
                "romeCode": "H2913",
                "competences": [{"code": "1", "libelle": "a", "exigence": "E"}],
                "qualitesProfessionnelles": [{"libelle": "Faire preuve d'autonomie"}],
            }
        )
        + "\n\n"
    )
    (offer,) = load_offers(path)
    assert offer.group == "ft-api" and offer.description == ""
    assert offer.competences[0].required and offer.qualites == ("Faire preuve d'autonomie",)


def test_broken_offer_files_name_the_line(tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text('{"intitule": "ok"}\n{not json\n')
    with pytest.raises(InvalidInput, match="line 2: not JSON"):
        load_offers(path)
    path.write_text('{"description": "no title"}\n')
    with pytest.raises(InvalidInput, match="line 1: no 'intitule'"):
        load_offers(path)


def test_mean_ignores_not_applicable_and_groups_are_reported():
    assert mean([1.0, None, 0.0]) == 0.5 and mean([None]) is None
    result = with_groups(["a1", "a2", "b1"], lambda s: s[0], lambda xs: {"n": len(xs)})
    assert result == {"n": 3, "groups": {"a": {"n": 2}, "b": {"n": 1}}}
