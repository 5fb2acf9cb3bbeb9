"""What the load benchmark sends: real titles and offer texts when a file of offers is given
(read in memory only), otherwise a small built-in set."""

from __future__ import annotations

from pathlib import Path

from evaluation.offers import load_offers

_TITLES = [
    "Aide-soignant (H/F)",
    "chauffeur poids lourd",
    "Développeur Java",
    "Cariste",
    "serveur restaurant",
    "Comptable",
    "Infirmier de nuit",
    "Maçon",
]
_TEXT = (
    "Nous recherchons un cariste pour notre entrepôt. Missions : charger et décharger les "
    "camions à l'aide des chariots, préparer les commandes, contrôler la marchandise. "
    "Profil : CACES 1, 3 et 5 exigés, rigueur et ponctualité. Horaires du lundi au vendredi. "
)
CODES = ["J1501", "N4101", "M1805", "N1101", "G1803", "M1203", "J1506", "F1703"]


def load_inputs(path: str | None) -> tuple[list[str], list[str], list[str]]:
    if not path or not Path(path).exists():
        return _TITLES, [(_TEXT * 6)[:1500]], CODES
    offers = load_offers(Path(path))
    titles = [o.title for o in offers if o.title]
    # Offers of ~1,500 characters, as the benchmark's mix asks.
    texts = [o.description[:1500] for o in offers if len(o.description) >= 1000]
    codes = sorted({o.rome_code for o in offers if o.rome_code})
    return titles, texts or [(_TEXT * 6)[:1500]], codes or CODES
