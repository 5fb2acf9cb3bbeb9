from datetime import date

import pytest

from evaluation.cvs.render import write_docx, write_pdf
from models import segments
from models.cv.reading import DocFormat
from models.cv.sections import SectionType

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def parser(mini_core):
    return mini_core.cvs


@pytest.mark.parametrize(
    ("writer", "two_columns"),
    [(write_pdf, True), (write_pdf, False), (write_docx, True), (write_docx, False)],
)
def test_files_parse_into_sections_experiences_and_a_grounded_profile(
    parser, mini_cv, tmp_path, writer, two_columns
):
    path = tmp_path / f"cv.{'pdf' if writer is write_pdf else 'docx'}"
    writer(mini_cv, path, two_columns=two_columns)
    result = parser.parse_bytes(path.read_bytes(), None, path.name, today=TODAY)
    assert result.format is (DocFormat.PDF if writer is write_pdf else DocFormat.DOCX)
    types = {s.type for s in result.sections}
    assert {SectionType.EXPERIENCE, SectionType.EDUCATION, SectionType.LANGUAGES} <= types

    first, second = result.experiences
    assert (first.title, first.employer, first.place) == ("Aide-soignante", "Hôpital Nord", "Lyon")
    assert (first.months, first.ongoing, first.start_date) == (94, True, "2019")
    assert (second.title, second.months, second.end_date) == ("Chauffeur poids lourd", 48, "2019")
    assert first.job is not None and first.job.best.fiche.code_rome == "J1501"
    assert second.job is not None and second.job.best.fiche.code_rome == "N4101"

    found = {p.item.code_ogr: p for p in result.found}
    # Each experience is tagged against its own job.
    assert {"100001", "100002"} <= {i.code_ogr for i in first.competences}
    assert {"100003", "100004"} <= {i.code_ogr for i in second.competences}
    assert found["100003"].sources == ("experience[1]",)
    for p in result.found:
        for span in p.item.spans:
            assert result.text[span.start : span.end] == span.text
    assert not {i.code_ogr for i in result.suggested} & set(found)
    assert {lang.name: lang.level for lang in result.languages} == {
        "anglais": "courant (B2)",
        "espagnol": "notions",
    }
    assert [c for c, _ in result.licences] == ["C"]
    assert [t.year for t in result.trainings] == [2019]
    assert result.total_months == 94 + 48


def test_undated_entries_and_employer_first_headers(parser):
    text = (
        "Expérience\n"
        "Transports Martin – Chauffeur poids lourd\n"
        "- Conduire un poids lourd\n"
        "Aide-soignante, Hôpital Nord\n"
        "- Réaliser les soins d'hygiène et de confort du patient\n"
    )
    result = parser.parse_text(text, today=TODAY)
    titles = [(e.title, e.employer, e.months) for e in result.experiences]
    assert titles == [
        ("Chauffeur poids lourd", "Transports Martin", None),
        ("Aide-soignante", "Hôpital Nord", None),
    ]


def test_title_then_dated_employer_line_layout(parser):
    text = (
        "Parcours professionnel\n"
        "Développeur web\n"
        "Agence Pixel, Nantes — sept. 2019 – mars 2021\n"
        "Intégration de maquettes\n"
        "Vendeur en boulangerie\n"
        "Maison Paul, Lille — 2015 – 2019\n"
    )
    result = parser.parse_text(text, today=TODAY)
    assert [(e.title, e.employer, e.place, e.months) for e in result.experiences] == [
        ("Développeur web", "Agence Pixel", "Nantes", 19),
        ("Vendeur en boulangerie", "Maison Paul", "Lille", 48),
    ]


def test_a_cv_with_no_experience_section_uses_its_headline(parser):
    result = parser.parse_text(
        "Jean Martin\nChauffeur poids lourd\nCompétences\n- Conduire un poids lourd\n",
        today=TODAY,
    )
    assert result.experiences == ()
    assert "100003" in {p.item.code_ogr for p in result.found}
    assert {p.sources for p in result.found if p.item.code_ogr == "100003"} == {("skills",)}


def test_nothing_of_a_cv_stays_in_the_caches(parser, mini_core):
    text = (
        "Camille Zyrtek\nEXPÉRIENCE\n2019 - 2023 Vendeuse en boulangerie, Maison Zyrtek\n"
        "Conseiller un client sur un produit. Encaisser un paiement.\n"
    )
    result = parser.parse_text(text, TODAY)
    assert result.experiences  # the parse itself used the caches
    titles = mini_core.titles
    assert not any("Zyrtek" in str(k) for k in titles._vectors._items)
    assert not any("Zyrtek" in str(k) for k in titles._sure._items)
    assert not any("Zyrtek" in k for k in segments._WORD_STEMS._items)
