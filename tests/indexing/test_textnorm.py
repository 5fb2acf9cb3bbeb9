import pytest

from indexing.textnorm import clean_offer_title, collapse_gender, fold, gender_forms, typography


def test_fold_removes_case_accents_and_punctuation_but_keeps_cpp_and_csharp():
    assert fold("Œuvre d’art…  Éducateur / C++ & C#") == "oeuvre d art educateur c++ c#"


def test_typography_unifies_apostrophes_and_doubled_quotes_from_csv():
    assert typography("L''Assistant d’accueil…") == "L'Assistant d'accueil..."


@pytest.mark.parametrize(
    ("label", "forms"),
    [
        (
            "Vendeur / Vendeuse en boulangerie",
            ["Vendeur en boulangerie", "Vendeuse en boulangerie"],
        ),
        (
            "Responsable commercial / commerciale export",
            ["Responsable commercial export", "Responsable commerciale export"],
        ),
        ("Aide-soignant / Aide-soignante", ["Aide-soignant", "Aide-soignante"]),
        ("Chef / Cheffe de chantier", ["Chef de chantier", "Cheffe de chantier"]),
        ("Plombier", ["Plombier"]),
    ],
)
def test_gender_forms_of_rome_labels(label, forms):
    assert gender_forms(label) == forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Technicien(ne) de maintenance", "Technicien de maintenance"),
        ("Chargé·e de mission", "Chargé de mission"),
        ("Développeur/euse", "Développeur"),
        ("Ingénieure / Ingénieur Data", "Ingénieur Data"),
        ("Jardinière / jardinier à domicile", "jardinier à domicile"),
        ("Magasinier (H/F)", "Magasinier"),
        ("Cloud Architect F/H", "Cloud Architect"),
        ("Java/ Spring", "Java/ Spring"),
    ],
)
def test_collapse_gender(text, expected):
    assert collapse_gender(text) == expected


@pytest.mark.parametrize(
    ("title", "main", "extra"),
    [
        ("ALTERNANCE - Ingénieure / Ingénieur Développeur BI F/H", "Ingénieur Développeur BI", ()),
        ("Conducteur - Conductrice de Travaux VRD", "Conducteur de Travaux VRD", ()),
        ("Chef de projet - Lyon", "Chef de projet", ("Lyon",)),
        ("Assistant(e) de Vie aux familles en alternance H/F", "Assistant de Vie aux familles", ()),
        (
            "Ingénieur Cybersécurité en alternance - Toulouse (31) H/F",
            "Ingénieur Cybersécurité",
            ("Toulouse",),
        ),
        ("Responsable de Salle #CDI (H/F)", "Responsable de Salle", ()),
        ("Data Analyst Expérimenté H/F", "Data Analyst", ()),
        ("(H/F)", "", ()),
        # An acronym in parentheses keeps its closing one; stray or wrapping ones go.
        ("Infirmier Coordinateur (IDEC) (H/F)", "Infirmier Coordinateur (IDEC)", ()),
        ("(Chef de projet) - Lyon", "Chef de projet", ("Lyon",)),
        ("Serveur) - Lyon", "Serveur", ("Lyon",)),
    ],
)
def test_clean_offer_title(title, main, extra):
    cleaned = clean_offer_title(title)
    assert (cleaned.main, cleaned.extra) == (main, extra)


def test_plain_text_reads_relayed_html_and_says_where_each_character_was():
    from indexing.textnorm import plain_text, plain_text_offsets

    html = (
        "Tech Lead &lt;br /&gt;Stack :&#xa0;Java,&#xa0;Databricks"
        "<li>R&#233;aliser l&#39;équipe R&amp;D</li>"
    )
    plain, where = plain_text_offsets(html)
    assert plain == plain_text(html) and where is not None and len(where) == len(plain)
    assert fold(plain) == "tech lead stack java databricks realiser l equipe r d"
    assert "Réaliser" in plain  # an entity inside a word leaves the word whole
    assert html[where[plain.index("\n")]] == "&"  # the line break is where "&lt;br" was
    at = plain.index("Databricks")
    assert html[where[at] : where[at + 9] + 1] == "Databricks"  # offsets point into the original
    word = plain.index("Réaliser")
    assert html[where[word] : where[word + 7] + 1] == "R&#233;aliser"
    # Plain text, and what only looks like markup, are left alone.
    for text in ("a < b & c", "Dupont &cie; x", "Vendeur (H/F)"):
        assert plain_text_offsets(text) == (text, None)
