"""Job-title autocomplete: prefix matching on every word, with a typo-tolerant fallback.

"aide soi" finds "Aide-soignant / Aide-soignante"; "chaufeur p" still finds "Chauffeur /
Chauffeuse de poids lourd" through the character n-gram index when no prefix matches.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass
from functools import lru_cache

from indexing.artifacts import CollectionIndex
from indexing.errors import InputTooLarge, InvalidInput
from indexing.referential import Referential
from indexing.textnorm import fold, gender_forms

MIN_CHARS = 2
MAX_CHARS = 100


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # "appellation" or "fiche"
    code: str  # code_ogr of the appellation, or code_rome
    label: str
    code_rome: str
    fiche_label: str
    match: str  # "prefix" or "fuzzy"


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    code: str
    label: str
    code_rome: str
    folded: str
    rank: tuple[int, int, int]  # lower is better: rarely used, not main, length


class Autocompleter:
    def __init__(self, referential: Referential, appellations: CollectionIndex) -> None:
        self.ref = referential
        self._lexical = appellations
        entries: list[_Entry] = []
        for a in referential.appellations.values():
            for form in {fold(f): f for f in gender_forms(a.label)}:
                entries.append(
                    _Entry(
                        "appellation",
                        a.code_ogr,
                        a.label,
                        a.code_rome,
                        form,
                        (int(a.peu_usite), int(not a.principale), len(form)),
                    )
                )
        for f in referential.fiches.values():
            for form in {fold(x): x for x in gender_forms(f.label)}:
                entries.append(
                    _Entry("fiche", f.code_rome, f.label, f.code_rome, form, (0, 0, len(form)))
                )
        # Entry ids follow the display order, so "best first" is "smallest id first".
        entries.sort(key=lambda e: (e.rank, e.folded))
        self._entries = entries
        postings: dict[str, set[int]] = {}
        for i, e in enumerate(entries):
            for word in e.folded.split():
                postings.setdefault(word, set()).add(i)
        self._words = sorted(postings)
        self._postings = [frozenset(postings[w]) for w in self._words]
        self._by_form = sorted((e.folded, i) for i, e in enumerate(entries))
        self._forms = [f for f, _ in self._by_form]
        self._prefix = lru_cache(maxsize=4096)(self._prefix_uncached)

    def _prefix_uncached(self, prefix: str) -> frozenset[int]:
        """Entries having a word that starts with `prefix`."""
        lo = bisect.bisect_left(self._words, prefix)
        hi = bisect.bisect_left(self._words, prefix + "\uffff")
        if hi - lo == 1:
            return self._postings[lo]
        out: set[int] = set()
        for i in range(lo, hi):
            out |= self._postings[i]
        return frozenset(out)

    def _starting_with(self, folded: str, k: int) -> list[int]:
        lo = bisect.bisect_left(self._forms, folded)
        hi = bisect.bisect_left(self._forms, folded + "\uffff")
        return heapq.nsmallest(k, (self._by_form[i][1] for i in range(lo, hi)))

    def _all_words(self, words: list[str], k: int) -> list[int]:
        sets = sorted((self._prefix(w) for w in words), key=len)
        matches = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        return heapq.nsmallest(k, matches)

    def suggest(self, query: str, k: int = 10) -> list[Suggestion]:
        if len(query) > MAX_CHARS:
            raise InputTooLarge(f"autocomplete takes at most {MAX_CHARS} characters")
        folded = fold(query)
        if len(folded.replace(" ", "")) < MIN_CHARS:
            raise InvalidInput(f"type at least {MIN_CHARS} letters or digits to get suggestions")
        out: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()

        def add(kind: str, code: str, match: str) -> bool:
            suggestion = self._suggestion(kind, code, match)
            # A fiche and its main appellation often share a label: show it once.
            key = (fold(suggestion.label), suggestion.code_rome)
            if key not in seen:
                seen.add(key)
                out.append(suggestion)
            return len(out) >= k

        # Labels starting with what was typed, then labels containing every typed word
        # as a word prefix, then (typos) the character n-gram index.
        pool = k * 4
        for i in self._starting_with(folded, pool) + self._all_words(folded.split(), pool):
            e = self._entries[i]
            if add(e.kind, e.code, "prefix"):
                return out
        for hit in self._lexical.lexical_search(folded, pool):
            if hit.score >= 0.3 and add("appellation", hit.id, "fuzzy"):
                break
        return out

    def _suggestion(self, kind: str, code: str, match: str) -> Suggestion:
        if kind == "fiche":
            fiche = self.ref.fiches[code]
            return Suggestion(kind, code, fiche.label, code, fiche.label, match)
        app = self.ref.appellations[code]
        fiche = self.ref.fiches[app.code_rome]
        return Suggestion(kind, code, app.label, fiche.code_rome, fiche.label, match)
