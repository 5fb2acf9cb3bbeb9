"""Split free text (offers, CVs) into segments and words, keeping character offsets.

Evidence spans must point into the text the caller sent, so every word keeps its offsets into
the original string while matching works on folded stems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from indexing.textnorm import STOPWORDS, fold
from models.lru import BoundedCache

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
# written word, in a cache of models.lru so that a CV's words (names, places) stay private.
_WORD_STEMS: BoundedCache[str, tuple[str, ...]] = BoundedCache(65_536)


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


def located(segments: Sequence[Segment], where: Sequence[int]) -> list[Segment]:
    """Segments cut from a text's plain form (`indexing.textnorm.plain_text_offsets`), their
    offsets and their words' moved back into the text it was made from."""

    def at(start: int, end: int) -> tuple[int, int]:
        return where[start], where[end - 1] + 1

    out = []
    for seg in segments:
        start, end = at(seg.start, seg.end)
        words = tuple(Word(*at(w.start, w.end), w.stem) for w in seg.words)
        out.append(replace(seg, start=start, end=end, words=words))
    return out


_HEADING_END = re.compile(r"[:?]\s*$")
HEADING_WORDS = 6  # "Ce que nous vous offrons :", "Pourquoi nous rejoindre ?"
# A list item under such a heading: "Participation aux frais de transport", "Environnement de
# travail agréable"; longer, it is a sentence of the offer's own.
SECTION_ITEM_WORDS = 6


def _is_heading(seg: Segment) -> bool:
    """A short segment ending in ':' or '?' heads a section ("Avantages :", "Qui sommes-nous ?")."""
    return bool(_HEADING_END.search(seg.text)) and len(seg.folded.split()) <= HEADING_WORDS


def boilerplate_flags(
    text: str, segments: Sequence[Segment], matches: Callable[[Segment], bool]
) -> list[bool]:
    """Which segments are boilerplate: those `matches` says, and the short items of a list
    under a heading it says ("Avantages :" then "Mutuelle", "Participation aux frais"). The
    list ends at the next heading, a blank line after its first item, or a longer sentence:
    offers run their profile on after the benefits without a heading of its own."""
    flags, in_section, items = [], False, 0
    previous_end = 0
    for seg in segments:
        matched = matches(seg)
        if _is_heading(seg):
            in_section, items = matched, 0
        elif in_section:
            blank_line = items > 0 and "\n\n" in text[previous_end : seg.start].replace(" ", "")
            if blank_line or len(seg.folded.split()) > SECTION_ITEM_WORDS:
                in_section = False
            else:
                items += 1
        flags.append(matched or in_section)
        previous_end = seg.end
    return flags
