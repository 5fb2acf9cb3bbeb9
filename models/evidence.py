"""Where a referential item is said in a text: the lexical evidence shared by competence tagging
(what an offer asks for) and title resolution (which fiche's items an offer talks about).

An item is said in a segment when the segment holds most of its content words (French stems,
so "installation" meets "installer"); its evidence is the span of those words. Boilerplate
segments (company pitch, benefits, legal notices, how to apply) are never read.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from indexing.referential import Referential
from indexing.textnorm import STOPWORDS, fold, plain_text_offsets
from models.segments import Segment, content_stems, located, segment

SHORT_LABEL = 3  # labels of at most this many content words must match as a phrase


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EvidenceRules:
    min_coverage: float  # share of an item's content words that a segment must contain
    min_matched: int  # ...or at least this many of them, covering 60 % of the label
    max_segments: int  # sentences/bullets read per document
    boilerplate: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class ReadText:
    useful: tuple[Segment, ...]
    boilerplate: tuple[Segment, ...]
    stems: frozenset[str]  # of all useful segments: what `ItemMatcher.possible` tests

    def within(self, limit: int) -> ReadText:
        """The read of the text's first `limit` characters (segments that end there)."""
        if all(seg.end <= limit for seg in (*self.useful, *self.boilerplate)):
            return self
        useful = tuple(seg for seg in self.useful if seg.end <= limit)
        boilerplate = tuple(seg for seg in self.boilerplate if seg.end <= limit)
        return ReadText(useful, boilerplate, frozenset().union(*(s.stems for s in useful)))


class ItemMatcher:
    def __init__(self, referential: Referential, rules: EvidenceRules) -> None:
        self.ref = referential
        self.rules = rules
        self._stems: dict[str, tuple[str, ...]] = {}
        self._label_words: dict[str, list[str]] = {}
        self._frequency: Counter[str] | None = None  # labels holding each stem
        self._rarest_of: dict[str, str] = {}
        self._total_labels = 0
        # No rule of `match` accepts an item with fewer of its words than this share.
        self._floor = min(rules.min_coverage, 0.6)

    def read(self, text: str) -> ReadText:
        """The text's segments, boilerplate apart. Nothing is kept: a caller that needs the
        read twice passes it along (`TitleQuery.read`, `CompetenceExtractor.extract`)."""
        useful: list[Segment] = []
        boilerplate: list[Segment] = []
        # Offers relayed as HTML are read as their reader sees them; the offsets stay the text's.
        plain, where = plain_text_offsets(text)
        segments = segment(plain, self.rules.max_segments)
        for seg in segments if where is None else located(segments, where):
            (boilerplate if self.is_boilerplate(seg) else useful).append(seg)
        stems = frozenset().union(*(seg.stems for seg in useful))
        return ReadText(tuple(useful), tuple(boilerplate), stems)

    def is_boilerplate(self, seg: Segment) -> bool:
        return any(p.search(seg.folded) for p in self.rules.boilerplate)

    def warm(self) -> None:
        """Compute every item's stems and their frequency now (~0.7 s for v460) rather than on
        the first offers."""
        for code in (*self.ref.competences, *self.ref.savoirs, *self.ref.macros):
            self.item_stems(code)
        self._label_frequency()

    def stem_table(self) -> dict[str, tuple[str, ...]]:
        """Every item's stems (what `warm` computes), to keep between starts."""
        self.warm()
        return dict(self._stems)

    def use_stem_table(self, table: dict[str, tuple[str, ...]]) -> None:
        """Take the stems a previous `stem_table` gave, instead of computing them."""
        self._stems.update(table)
        self._label_frequency()

    def item_stems(self, code: str) -> tuple[str, ...]:
        stems = self._stems.get(code)
        if stems is None:
            stems = self._stems[code] = content_stems(self.ref.label_of(code))
        return stems

    def _label_frequency(self) -> Counter[str]:
        """How many item labels hold each stem (computed once; `warm` does it at load)."""
        if self._frequency is None:
            self._frequency = Counter(
                stem
                for item in (*self.ref.competences, *self.ref.savoirs, *self.ref.macros)
                for stem in set(self.item_stems(item))
            )
        return self._frequency

    def stem_weight(self, stem: str) -> float:
        """How telling a word is: the log of how many item labels there are over how many
        hold it (a word no label holds weighs the most)."""
        frequency = self._label_frequency()
        total = self._total_labels or len(self.ref.competences) + len(self.ref.savoirs)
        self._total_labels = total
        return math.log((total + 1) / (frequency[stem] + 1))

    def rarest(self, code: str) -> str:
        return self._rarest(code)

    def _rarest(self, code: str) -> str:
        """The item's content word that the fewest item labels use (kept per item: `match`
        asks for it segment after segment)."""
        rarest = self._rarest_of.get(code)
        if rarest is None:
            frequency = self._label_frequency()
            rarest = min(self.item_stems(code), key=lambda stem: (frequency[stem], stem))
            self._rarest_of[code] = rarest
        return rarest

    def possible(self, code: str, stems: frozenset[str]) -> bool:
        """Whether a text with these stems (all its segments together) could say the item:
        most items fail this, and are then never compared segment by segment."""
        own = self.item_stems(code)
        return bool(own) and len(stems.intersection(own)) >= self._floor * len(own)

    def match(self, code: str, seg: Segment) -> tuple[float, Span] | None:
        """Coverage of the item's content words by the segment, and their span (no text)."""
        stems = self.item_stems(code)
        if not stems:
            return None
        # Most items share no word, or too few, with a segment: reject them on set sizes
        # before looking at positions.
        if len(seg.stems.intersection(stems)) < self._floor * len(stems):
            return None
        positions = [w for w in seg.words if w.stem in stems]
        matched = {w.stem for w in positions}
        coverage = len(matched) / len(stems)
        # Long ROME labels ("Réaliser ou contrôler les soins d'hygiène, de confort et apporter
        # une aide au patient") are rarely quoted whole: enough distinct words also count.
        # ...provided the label's rarest word is among them: "règles et procédures d'hygiène
        # et de sécurité" is not "Règles d'hygiène et de sécurité alimentaire".
        enough = (
            len(matched) >= self.rules.min_matched
            and coverage >= 0.6
            and self._rarest(code) in matched
        )
        if coverage < self.rules.min_coverage and not enough:
            return None
        if 1 < len(stems) <= SHORT_LABEL and not self._close_together(stems, seg):
            return None
        if len(stems) == 1 and not self._single_word_quoted(code, seg):
            return None
        start = min(w.start for w in positions)
        end = max(w.end for w in positions)
        return coverage, Span(start, end, "")

    def said(self, code: str, segments: Sequence[Segment]) -> bool:
        return any(self.match(code, seg) is not None for seg in segments)

    def fiche_support(self, read: ReadText, codes: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Which of each fiche's savoir-faire and savoirs the text says (code_ogr)."""
        said: dict[str, bool] = {}
        out: dict[str, tuple[str, ...]] = {}
        for code in codes:
            links = self.ref.links[code]
            found = []
            for item in (*links.savoir_faire, *links.savoirs):
                hit = said.get(item)
                if hit is None:
                    hit = said[item] = self.possible(item, read.stems) and self.said(
                        item, read.useful
                    )
                if hit:
                    found.append(item)
            out[code] = tuple(found)
        return out

    def _single_word_quoted(self, code: str, seg: Segment) -> bool:
        """A one-word label ("Psychologie") must appear as that word (plural allowed), not
        just share its stem ("psychologique")."""
        words = self._label_words.get(code)
        if words is None:
            words = self._label_words[code] = [
                w for w in fold(self.ref.label_of(code)).split() if w not in STOPWORDS
            ]
        text = f" {seg.folded} "
        return any(f" {w} " in text or f" {w}s " in text for w in words)

    @staticmethod
    def _close_together(stems: tuple[str, ...], seg: Segment) -> bool:
        """Short labels ("Droit de la santé") must be quoted as a phrase, not gathered from
        words scattered over a list ("accès aux droits, éducation, santé")."""
        wanted = set(stems)
        window = len(stems)
        words = [w.stem for w in seg.words]
        # In the label's order too: "Formation en immobilier, droit ou gestion" lists two
        # fields; it does not say "Droit immobilier".
        order = list(dict.fromkeys(stems))
        return any(
            wanted <= set(words[i : i + window])
            and [w for w in dict.fromkeys(words[i : i + window]) if w in wanted] == order
            for i in range(len(words))
        )
