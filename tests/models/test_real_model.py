"""A few checks with the real e5 encoder (built by `bash scripts/test.sh` if missing), on the
tiny referential so they stay fast."""

import pytest

from models.runtime import DEFAULT_CACHE, Passerelle, RuntimeConfig
from models.titles import TitleQuery

pytestmark = pytest.mark.real_model


@pytest.fixture(scope="module")
def e5_core(mini_release, tmp_path_factory):
    cache = tmp_path_factory.mktemp("e5cache")
    # Reuse the encoder built at set-up; only the tiny indexes are built here.
    (cache / "encoders").symlink_to(DEFAULT_CACHE / "encoders", target_is_directory=True)
    return Passerelle.load(
        RuntimeConfig(referential=mini_release, cache_dir=cache, encoder="e5", threads=2),
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
