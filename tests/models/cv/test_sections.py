from models.cv.sections import SectionType, heading_of, split_sections

CV = """Nadia Lefort
Aide-soignante
PROFIL
Aide-soignante depuis 7 ans.
Expériences professionnelles
2019 – aujourd'hui Aide-soignante – CH Valence
• Formation des nouveaux arrivants
Langues : anglais courant, espagnol
Centres d'intérêt :
Randonnée"""


def test_headings_in_any_case_with_or_without_colon():
    assert heading_of("EXPÉRIENCES PROFESSIONNELLES") == (SectionType.EXPERIENCE, 28)
    assert heading_of("Centres d'intérêt :") is not None
    assert heading_of("Parcours professionnel") == (SectionType.EXPERIENCE, 22)
    # A sentence that starts like a heading is content.
    assert heading_of("Formation des nouveaux arrivants") is None
    assert heading_of("Missions :") is None


def test_sections_keep_offsets_and_inline_content():
    sections = split_sections(CV)
    assert [s.type for s in sections] == [
        SectionType.HEADER,
        SectionType.SUMMARY,
        SectionType.EXPERIENCE,
        SectionType.LANGUAGES,
        SectionType.INTERESTS,
    ]
    languages = sections[3]
    assert languages.heading == "Langues"
    assert CV[languages.start : languages.end] == "anglais courant, espagnol"
    experience = sections[2]
    assert [ln.text for ln in experience.lines][-1] == "• Formation des nouveaux arrivants"
    for s in sections:
        for line in s.lines:
            assert CV[line.start : line.end] == line.text


def test_a_cv_without_headings_is_all_header():
    sections = split_sections("Jean Dupont\nMaçon\n2010 – 2020 Maçon chez Martin")
    assert [s.type for s in sections] == [SectionType.HEADER]
