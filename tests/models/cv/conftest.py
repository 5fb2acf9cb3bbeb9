"""Small CVs for the mini referential (5 fiches: aide-soignant, poids lourd, développeur,
vendeurs), written by the tests as PDF and DOCX through the same renderers as the evaluation set."""

from __future__ import annotations

import pytest

from evaluation.cvs.dataset import SyntheticCV, SyntheticExperience

MINI_CV = SyntheticCV(
    id="mini",
    sector="care",
    name="Nadia Lefort",
    headline="Aide-soignante",
    summary="Aide-soignante rigoureuse, permis C.",
    experiences=(
        SyntheticExperience(
            "Aide-soignante",
            "Hôpital Nord",
            "Lyon",
            "2019 – aujourd'hui",
            (
                "Réaliser les soins d'hygiène et de confort du patient",
                "Surveiller l'état de santé des patients",
            ),
            "J1501",
            94,
        ),
        SyntheticExperience(
            "Chauffeur poids lourd",
            "Transports Martin",
            "Vienne",
            "2015 – 2019",
            ("Conduire un poids lourd", "Charger et décharger des marchandises"),
            "N4101",
            48,
        ),
    ),
    education=("2019 Diplôme d'État d'aide-soignant",),
    skills=("Travail en équipe",),
    languages=("Anglais : courant (B2)", "Espagnol : notions"),
    interests=("Randonnée",),
    headings={
        "summary": "Profil",
        "experience": "Expériences professionnelles",
        "education": "Formation",
        "skills": "Compétences",
        "languages": "Langues",
        "interests": "Loisirs",
    },
    entry_style=0,
    gold_competences=("100001", "100002", "100003", "100004"),
    gold_licences=("C",),
    gold_languages=("anglais", "espagnol"),
)


@pytest.fixture()
def mini_cv() -> SyntheticCV:
    return MINI_CV
