"""The spaCy phrase extractor on the sentences offers use to state requirements."""

import pytest

from models.emerging import EmergingConfig, PhraseExtractor

pytestmark = pytest.mark.slow  # loads the spaCy pipeline


@pytest.fixture(scope="module")
def extractor() -> PhraseExtractor:
    return PhraseExtractor.load(EmergingConfig.load())


def _keys(extractor: PhraseExtractor, text: str) -> list[str]:
    return [key for key, *_ in extractor.phrases([text])[0]]


def test_requirement_lead_ins_and_offer_words_are_not_part_of_the_phrase(extractor):
    keys = _keys(
        extractor,
        "Maîtrise de la mise à jour des connaissances sur les véhicules électriques exigée.",
    )
    assert "mise jour connaissance vehicule electrique" in keys
    assert not any(k.startswith("maitrise") or "exige" in k for k in keys)


def test_offer_words_cut_the_phrase_instead_of_dropping_it(extractor):
    keys = _keys(extractor, "Notions de connaissance des bois pour la lutherie appréciées.")
    assert "bois lutherie" in keys
    assert not any("appreciee" in k or k.startswith("notion") for k in keys)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Maîtrise des logiciels de paie sur lesquels vous travaillerez.", "logiciels de paie"),
        ("Connaissance des normes comptables que vous appliquerez.", "normes comptables"),
    ],
)
def test_a_relative_clause_is_left_out(extractor, text, phrase):
    surfaces = [surface for _, surface, *_ in extractor.phrases([text])[0]]
    assert surfaces == [phrase]  # the skill stays, without "sur lesquels vous travaillerez"


def test_one_word_after_a_lead_in_is_a_skill(extractor):
    assert "urbanisme" in _keys(extractor, "Connaissances en urbanisme souhaitées.")
    assert _keys(extractor, "Une expérience dans le secteur.") == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Maîtrise de urbanisme exigée.", "urbanisme"),  # "Maîtrise" opening a line: a name
        ("Connaissance de Kubernetes", "kubernete"),  # the small model's PER
        ("Maîtrise de PDO exigée.", "pdo"),  # ORG, and under the 4-character floor
    ],
)
def test_what_follows_a_lead_in_is_a_skill_whatever_ner_says(extractor, text, key):
    assert key in _keys(extractor, text)


def test_a_name_keys_on_how_it_is_written_whatever_its_context(extractor):
    # The small model lemmatises "MLOps" to "mlop" in one sentence and "mlops" in the other.
    assert "mlops" in _keys(extractor, "Maîtrise de MLOps exigée.")
    assert "mlops" in _keys(extractor, "Connaissance de MLOps appréciée.")
    assert "api rest" in _keys(extractor, "Maîtrise des APIs REST.")  # an acronym's plural


def test_a_pair_joined_by_et_or_ou_is_a_phrase_beside_its_halves(extractor):
    keys = _keys(extractor, "- réaliser le montage et l'assemblage du bijou")
    assert {"realiser montage assemblage bijou", "realiser montage", "assemblage bijou"} <= set(
        keys
    )
    keys = _keys(
        extractor, "Vous serez chargé(e) de vérifier les costumes et réaliser les retouches."
    )
    assert "verifier costume realiser retouche" in keys
    assert not any(k.startswith("costume") for k in keys)  # a noun does not pair with a verb


def test_what_et_joins_is_no_pair_when_it_is_names_or_another_construction(extractor):
    assert _keys(extractor, "Maîtrise de MLOps et Kubernetes exigée.") == ["mlops", "kubernete"]
    keys = _keys(extractor, "Travailler en équipe et sous la responsabilité d'un chef de projet.")
    assert not any(k.startswith("equipe") for k in keys)


def test_short_acronyms_need_a_lead_in(extractor):
    assert _keys(extractor, "Contrat en CDI.") == []


def test_a_name_ends_the_phrase_instead_of_dropping_it(extractor):
    keys = _keys(extractor, "Contrôler la gestion financière des fonds publics de l'Etat.")
    assert "gestion financier fonds public" in keys


def test_light_verb_constructions_and_locutions(extractor):
    keys = _keys(extractor, "Vous devrez mettre en place des procédures qualité.")
    assert "mettre place procedure qualite" in keys
    assert not any(k.startswith("place") for k in keys)
    assert _keys(extractor, "Travailler au sein de l'équipe logistique.") == ["equipe logistique"]


def test_company_pitch_is_offer_talk(extractor):
    found = extractor.phrases(["Le Groupe aide les organisations à mener leur transformation."])
    assert found[0] and all(in_pitch for *_, in_pitch in found[0])


@pytest.mark.full_referential
def test_pitch_wordings_match_no_rome_label():
    """A pitch pattern that matched a ROME label would hide that skill from the detector."""
    from indexing.loader import load_referential
    from indexing.textnorm import fold
    from models.settings import DEFAULT_REFERENTIAL

    ref = load_referential(DEFAULT_REFERENTIAL)
    labels = [fold(ref.label_of(c)) for c in (*ref.competences, *ref.savoirs)]
    config = EmergingConfig.load()
    assert config.pitch
    for pattern in config.pitch:
        assert not [label for label in labels if pattern.search(label)], pattern.pattern


def test_verbs_sharing_an_object_make_one_phrase(extractor):
    keys = _keys(extractor, "Capacité à entretenir et développer le réseau professionnel.")
    assert "entretenir developper reseau professionnel" in keys
    assert "developper reseau professionnel" not in keys


def test_verbs_with_their_own_objects_stay_apart(extractor):
    keys = _keys(extractor, "Préparer les commandes et livrer les clients.")
    assert {"preparer commande", "livrer client"} <= set(keys)
    # The pair is a phrase too, but "livrer" never takes "commandes" for its object.
    assert not any("commande" in k and k.startswith("livrer") for k in keys)


def test_a_lead_in_keeps_the_complements_the_parser_hangs_on_it(extractor):
    # The small model hangs "domaine" on "Maîtrise", which cut the phrase at "technologique".
    keys = _keys(extractor, "Maîtrise de veille technologique dans le domaine du spectacle exigée.")
    assert "veille technologique domaine spectacle" in keys
    assert not any("exige" in k or k.startswith("maitrise") for k in keys)


def test_names_in_a_list_are_phrases_whatever_ner_says(extractor):
    # The small model reads list items as organisations or people and the noun phrases cut
    # the list up; each name is its own phrase.
    keys = _keys(extractor, "Stack : Python, Spark, Databricks et Power BI.")
    assert {"python", "spark", "databricks", "power bi"} <= set(keys)
    assert _keys(extractor, "Vous rejoindrez une équipe à Lyon.") == []


def test_the_last_bullet_of_a_list_without_a_full_stop_is_read(extractor):
    # The parser hangs the blank line on "électroniques": a phrase running over it was dropped.
    text = "La sécurité des environnements.\n- circuits électroniques\n\nVous participerez"
    surfaces = [surface for _, surface, *_ in extractor.phrases([text])[0]]
    assert "circuits électroniques" in surfaces
    assert not any("\n" in s for s in surfaces)


def test_a_benefits_section_is_offer_talk_up_to_the_next_heading(extractor):
    text = (
        "Pourquoi nous rejoindre ?\n- Des frais de transport remboursés\n"
        "Profil recherché :\n- Maîtrise de la soudure TIG\n"
        "Ce que nous offrons :\n- Un parcours de formation interne"
    )
    in_pitch = {surface: pitch for _, surface, _, _, pitch in extractor.phrases([text])[0]}
    assert in_pitch["frais de transport"] is True  # under "Pourquoi nous rejoindre ?"
    assert in_pitch["parcours de formation interne"] is True
    assert in_pitch["soudure TIG"] is False  # the next heading ends the section


def test_praise_is_no_phrase_and_no_part_of_one(extractor):
    keys = _keys(
        extractor,
        "Vous proposez des solutions concrètes. Construire des flux de données fiables.",
    )
    assert not any("concret" in k or "fiable" in k for k in keys)
    assert "solution" not in keys  # one common word once the praise is gone
    assert any(k.endswith("flux donnee") for k in keys)


def test_a_sector_is_where_the_work_is_not_a_skill(extractor):
    keys = _keys(
        extractor, "Expérience dans le domaine des travaux publics ou le secteur sanitaire."
    )
    assert not any(k.startswith(("domaine", "secteur")) for k in keys)
    assert "travail public" in keys  # what the sector word headed is read on its own


@pytest.mark.parametrize(
    ("text", "short", "whole"),
    [
        # What the object is handled by or about, straight after it.
        (
            "Capacité à assembler les tôles par soudage, rivetage et collage.",
            "assembler tole",
            "assembler tole soudage",
        ),
        (
            "Vous devrez informer le public sur la pratique de la discipline sportive.",
            "informer public",
            "informer public pratique discipline sportif",
        ),
    ],
)
def test_a_verb_phrase_is_read_short_and_whole(extractor, text, short, whole):
    keys = _keys(extractor, text)
    assert short in keys and whole in keys


def test_only_the_first_complement_extends_a_verb_phrase(extractor):
    keys = _keys(extractor, "Vous devrez nettoyer les sols chaque jour avec une autolaveuse.")
    assert "nettoyer sol" in keys
    assert not any(k.startswith("nettoyer") and "autolaveuse" in k for k in keys)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("- rincer des véhicules", "rincer vehicule"),  # tagged a participle
        ("- empiler des grumes", "empiler grume"),  # "des" read as a preposition
        # Capitalised first words of bullets, taken for a place, a person or a name.
        ("Vos missions :\n- Accueillir les clients\n- Préparer les commandes", "accueillir client"),
        (
            "Vos missions :\n- Accueillir les clients\n- Contrôler les livraisons",
            "controler livraison",
        ),
    ],
)
def test_the_small_models_misreadings_of_a_bullets_verb(extractor, text, key):
    assert key in _keys(extractor, text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Maîtrise des systèmes embarqués exigée.", "systeme embarquer"),
        ("Vous devrez réaliser des cartographies détaillées.", "cartographie detailler"),
    ],
)
def test_a_participle_qualifying_a_noun_stays_in_its_phrase(extractor, text, key):
    assert key in _keys(extractor, text)


def test_a_participle_with_its_own_complement_opens_a_clause(extractor):
    keys = _keys(extractor, "Vous utiliserez les logiciels mis à disposition.")
    assert not any("mettre" in k for k in keys)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Vous serez chargé(e) de veiller au respect des règles d'hygiène.", "veiller respect"),
        ("- participer à la conception des nouveaux produits", "participer conception"),
    ],
)
def test_a_verb_with_an_object_behind_a_preposition_is_a_phrase(extractor, text, key):
    assert any(k.startswith(key) for k in _keys(extractor, text))


def test_a_run_of_spaces_or_a_tab_inside_a_line_ends_a_phrase(extractor):
    # What is left of a lost bullet between two items ("Mise en rayon • Étiquetage").
    for text in ("Mise en rayon    étiquetage des produits", "- Mise en rayon\tétiquetage"):
        keys = _keys(extractor, text)
        assert "mise rayon" in keys
        assert not any("etiquetage" in k and "rayon" in k for k in keys)
