from models.reposts import repost_groups

OFFER = (
    "Entreprise familiale de transport frigorifique, nous recherchons un conducteur de poids "
    "lourd pour des tournées régionales de nuit. Chargement à quai, respect de la chaîne du "
    "froid, relation avec les magasins livrés. Poste basé à {}, contact {}."
)
OTHER = (
    "Crèche associative de trente berceaux, nous recherchons une auxiliaire de puériculture "
    "pour accompagner les enfants dans les activités d'éveil, les repas et le sommeil."
)


def test_copies_that_differ_by_a_detail_are_one_group():
    texts = [OFFER.format("Dijon", "Mme A"), OTHER, OFFER.format("Beaune", "M. B"), ""]
    assert repost_groups(texts) == [0, 1, 0, 3]


def test_distinct_texts_and_empty_ones_copy_nothing():
    texts = [OTHER, OFFER.format("Dijon", "Mme A"), "", "", OTHER + " Poste à pourvoir en mars."]
    groups = repost_groups(texts)
    assert groups[:4] == [0, 1, 2, 3]  # two empty texts are not copies of each other
    assert groups[4] == 0


def test_the_threshold_decides_how_close_a_copy_is():
    texts = [OFFER.format("Dijon", "Mme A"), OFFER.format("Beaune", "M. B") + " Débutant accepté."]
    assert repost_groups(texts, threshold=0.7) == [0, 0]
    assert repost_groups(texts, threshold=0.95) == [0, 1]


def test_an_offer_relayed_as_html_copies_its_text_version():
    text = OFFER.format("Dijon", "Mme A")
    as_html = (
        "<p>" + text.replace(". ", ".</p><br /><p>").replace("chaîne", "cha&icirc;ne") + "</p>"
    )
    assert repost_groups([text, as_html]) == [0, 0]


def test_many_copies_of_one_text_are_one_group():
    texts = [OFFER.format("Dijon", f"ref {i}") for i in range(600)] + [OTHER]
    groups = repost_groups(texts)
    assert set(groups[:600]) == {0} and groups[600] == 600
