"""A few checks with the real e5 encoder (built by `bash scripts/test.sh` if missing), on the
tiny referential so they stay fast."""

import pytest

from models.runtime import Passerelle
from models.settings import DEFAULT_CACHE, CoreSettings
from models.titles import TitleQuery

pytestmark = pytest.mark.real_model


@pytest.fixture(scope="module")
def e5_core(mini_release, tmp_path_factory):
    cache = tmp_path_factory.mktemp("e5cache")
    # Reuse the encoder built at set-up; only the tiny indexes are built here.
    (cache / "encoders").symlink_to(DEFAULT_CACHE / "encoders", target_is_directory=True)
    return Passerelle.load(
        CoreSettings(referential=mini_release, cache_dir=cache, encoder="e5", threads=2),
        build_missing=True,
    )


@pytest.mark.parametrize(
    ("title", "fiche"),
    [
        ("aide sognante (H/F)", "J1501"),
        ("AS en EHPAD", "J1501"),
        ("chaufeur PL", "N4101"),
        ("Developer fullstack", "M1805"),
        ("Vendeuse boulangerie CDI - Annecy", "D1107"),
    ],
)
def test_real_encoder_resolves_titles_as_written(e5_core, title, fiche):
    assert e5_core.titles.resolve(title).candidates[0].fiche.code_rome == fiche


def test_real_encoder_uses_the_description(e5_core):
    result = e5_core.titles.resolve(
        TitleQuery("Vendeur", "Vente de pain, de viennoiseries et de pâtisseries en boulangerie.")
    )
    assert result.candidates[0].fiche.code_rome == "D1107"


def test_real_encoder_tags_an_offer(e5_core):
    text = (
        "Missions : réaliser les soins d'hygiène et de confort du patient, surveiller "
        "l'état de santé des patients. Travail de nuit. Vous êtes rigoureux."
    )
    result = e5_core.competences.extract(text, "Aide-soignant de nuit")
    found = {i.code_ogr for i in result.found}
    assert {"100001", "100002", "300490"} <= found


def test_a_phrase_gets_the_same_vector_whatever_else_the_corpus_holds(e5_core):
    # The int8 model quantises a batch as a whole: in a batch, a phrase's vector moves with
    # its batch-mates, which made candidates near the coverage floor come and go.
    import numpy as np

    from models.emerging import _encode_each

    phrase = "maintenance prédictive"
    others = ["Développer des pipelines de données", "Préparer les entrées froides", "LLM"]
    batched = e5_core.encoder.encode([phrase, *others])[0]
    assert not np.allclose(batched, e5_core.encoder.encode([phrase, others[0]])[0], atol=1e-6)
    alone = _encode_each(e5_core.encoder, [phrase, *others])[0]
    assert np.array_equal(alone, _encode_each(e5_core.encoder, [others[1], phrase])[1])
