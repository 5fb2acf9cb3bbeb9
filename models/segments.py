"""Split free text (offers, CVs) into segments and words, keeping character offsets.

Evidence spans must point into the text the caller sent, so every word keeps its offsets into
the original string while matching works on folded stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexing.textnorm import STOPWORDS, fold
from models.lru import LRU

# Sentence ends, line breaks and bullets start a new segment.
_BOUNDARY = re.compile(r"\n+|(?<=[.!?;:])\s+|\s[•·▪►✓➢\-*]\s|^[•·▪►✓➢\-*]\s", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# Longest first. Enough of French derivation to let nouns meet verbs ("installation",
# "installer" → "install") without merging unrelated words the way a fixed-length cut did
# ("pharmacovigilance" and "pharmacie" both became "pharma").
_SUFFIXES = tuple(
    sorted(
        """
    issements issement ications ication ations ation itions ition ements ement ateurs ateur
    atrices atrice euses euse eurs eur ances ance ences ence iques ique ismes isme istes iste
    ables able ibles ible ives ive ifs if ions ion ees ee es e er ez ir re s x
    """.split(),
        key=len,
        reverse=True,
    )
)
MIN_STEM = 4


def stem(word: str) -> str:
    """A light French stem: folded, one derivational or inflectional suffix removed."""
    return _stem_folded(fold(word))


def _stem_folded(w: str) -> str:
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            w = w[: -len(suffix)]
            break
    if len(w) > MIN_STEM and w.endswith(("e", "i")):  # realis(e|i), psycholog(i)
        w = w[:-1]
    if w.endswith("ill"):  # accueill(ir) / accueil
        w = w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    stem: str


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    text: str
    folded: str
    words: tuple[Word, ...]
    stems: frozenset[str] = frozenset()  # of `words`, for quick rejection of items


# Folding word by word was most of the time spent cutting long offers: stems are cached per
# written word. An LRU of models.lru, so that a CV's words (names, places) stay private.
_WORD_STEMS: LRU[str, tuple[str, ...]] = LRU(65_536)


def _word_stems(word: str) -> tuple[str, ...]:
    """Stems of one written word (folding may split it: "l'œuvre"), stop words left out."""
    stems = _WORD_STEMS.get(word)
    if stems is None:
        stems = tuple(_stem_folded(part) for part in fold(word).split() if part not in STOPWORDS)
        _WORD_STEMS.put(word, stems)
    return stems


def content_stems(text: str) -> tuple[str, ...]:
    """Distinct stems of the content words of a label, in order."""
    out: dict[str, None] = {}
    for m in _WORD.finditer(text):
        for st in _word_stems(m.group()):
            out.setdefault(st, None)
    return tuple(out)


def segment(text: str, max_segments: int) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    pieces = _BOUNDARY.split(text)
    for piece in pieces:
        start = text.find(piece, position) if piece else position
        if start < 0:
            start = position
        end = start + len(piece)
        position = end
        stripped = piece.strip()
        if len(stripped) < 3:
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        words = tuple(
            Word(offset + m.start(), offset + m.end(), st)
            for m in _WORD.finditer(stripped)
            for st in _word_stems(m.group())
        )
        segments.append(
            Segment(
                offset,
                offset + len(stripped),
                stripped,
                fold(stripped),
                words,
                frozenset(w.stem for w in words),
            )
        )
        if len(segments) >= max_segments:
            break
    return segments
