"""What each clause of a text states, read against the whole referential.

A segment (sentence, bullet, line) is cut into clauses at its punctuation; each clause and
each short segment is encoded once (e5, batched and cached by text) and compared with every
savoir-faire, savoir, contexte de travail and savoir-être of the release. A clause's nearest
items overall, of each kind and among those the resolved fiches list are *statement*
candidates, described by what decides whether the clause states them (`Statement.features`).
`StatementModel` turns those into a probability (`models/config/statements.json`, learned by
`evaluation/statements_fit.py`); a clause keeps its most probable item (`best_per_span`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from indexing.artifacts import IndexSet
from indexing.encoder import Encoder
from indexing.errors import ConfigError
from indexing.referential import Kind, Referential
from models.evidence import ItemMatcher, Span
from models.lru import LRU
from models.segments import Segment

MODEL_PATH = Path(__file__).parent / "config" / "statements.json"
VECTOR_CACHE_SIZE = 8_192
CHUNK = 64  # clauses compared with the whole release at once
# Where a clause ends inside a segment: punctuation that lists or opens (",", ";", ":",
# parentheses, slashes between words, a spaced dash).
_CUT = re.compile(r"[,;:()]|\s/\s|\s[-–—]\s")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
MIN_LETTERS = 3  # "Excel", "HACCP", "Word" are clauses of their own; "et", "H/F" are not
WHOLE_SEGMENT_WORDS = 25  # longer segments are read clause by clause only
COLLECTIONS = (
    ("competences", Kind.COMPETENCE),
    ("savoirs", Kind.SAVOIR),
    ("contextes", Kind.CONTEXTE),
)
_KINDS = (Kind.COMPETENCE, Kind.SAVOIR, Kind.CONTEXTE, Kind.SAVOIR_ETRE)
FEATURES = (
    "cos",
    "margin",
    "coverage",
    "clause_share",
    "rarest_held",
    "linked",
    "short",
    "boilerplate",
    "macro_cos",
    "macro_margin",
    *(f"kind_{k.value}" for k in _KINDS),
)


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    text: str
    segment: Segment
    boilerplate: bool  # in a segment the boilerplate rules set aside (pitch, pay, process)


@dataclass(frozen=True, slots=True)
class Statement:
    clause: Clause
    code: str
    kind: Kind
    cos: float
    margin: float
    coverage: float  # of the item's words, weighted by how telling each is, the clause holds
    clause_share: float  # of the clause's words, weighted likewise, the item holds
    rarest_held: bool  # the item's rarest word is in the clause
    linked: bool
    alternatives: tuple[tuple[str, float], ...]  # the next nearest items, with their cosine
    # Cosine of the clause to the prototype of the item's macro-compétence (the mean of its
    # compétences: siblings are near-paraphrases), and how far that is below the clause's
    # nearest prototype; 0 for items outside the competence tree.
    macro_cos: float = 0.0
    macro_margin: float = 0.0

    def features(self) -> list[float]:
        words = len(_LETTERS.findall(self.clause.text))
        return [
            self.cos,
            self.margin,
            self.coverage,
            self.clause_share,
            float(self.rarest_held),
            float(self.linked),
            1.0 / max(1, words),
            float(self.clause.boilerplate),
            self.macro_cos,
            self.macro_margin,
            *(float(self.kind is k) for k in _KINDS),
        ]


def clauses_of(segments: Sequence[Segment], boilerplate: Sequence[Segment] = ()) -> list[Clause]:
    """Each segment's clauses (cut at its punctuation), and the segment itself when it is
    short enough to state one thing; offsets point into the text the segments come from.
    Boilerplate segments are read too, marked: schedules sit beside pay in "conditions"."""
    out: list[Clause] = []
    aside = {id(seg) for seg in boilerplate}
    for seg in sorted((*segments, *boilerplate), key=lambda sg: sg.start):
        parts = []
        position = 0
        for cut in [*_CUT.finditer(seg.text), None]:
            end = cut.start() if cut else len(seg.text)
            parts.append((position, end))
            position = cut.end() if cut else end
        words = len(_LETTERS.findall(seg.text))
        seen: set[tuple[int, int]] = set()
        if len(parts) > 1 and words <= WHOLE_SEGMENT_WORDS:
            parts.append((0, len(seg.text)))
        for a, b in parts:
            piece = seg.text[a:b]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if sum(len(w) for w in _LETTERS.findall(piece)) < MIN_LETTERS:
                continue
            span = (seg.start + a + lead, seg.start + a + lead + len(piece))
            if span in seen:
                continue
            seen.add(span)
            out.append(Clause(span[0], span[1], piece, seg, id(seg) in aside))
    return out


@dataclass(frozen=True, slots=True)
class StatementModel:
    """A logistic model over `Statement.features()`: the probability that the clause states
    the item (lenient: the item or a sibling under its macro-compétence is right)."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> StatementModel:
        try:
            raw = json.loads(path.read_text())
            if tuple(raw["features"]) != FEATURES:
                raise ConfigError(
                    f"{path}: features {raw['features']} are not {FEATURES}; refit it "
                    "(python -m evaluation.statements_fit)"
                )
            weights = tuple(float(w) for w in raw["weights"])
            model = cls(weights, float(raw["bias"]), float(raw["threshold"]))
        except ConfigError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}: not a statement model ({exc}); refit it") from None
        if len(model.weights) != len(FEATURES):
            raise ConfigError(f"{path}: {len(model.weights)} weights for {len(FEATURES)} features")
        return model

    def probability(self, statement: Statement) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, statement.features(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))


class StatementReader:
    """The nearest referential items of every clause of a text."""

    def __init__(
        self,
        referential: Referential,
        encoder: Encoder,
        indexes: IndexSet,
        items: ItemMatcher,
        alternatives: int = 3,
        nearest: int = 3,
    ) -> None:
        self.ref = referential
        self.encoder = encoder
        self.items = items
        self.alternatives = alternatives
        self.nearest = nearest  # candidates per clause from the whole release
        codes: list[str] = []
        kinds: list[Kind] = []
        # The collections' own vectors (shared with the other task models, not copied) and
        # which of their rows are read: 33,000 × 384 floats would otherwise be held twice.
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []
        for name, kind in (*COLLECTIONS, ("macro_competences", Kind.SAVOIR_ETRE)):
            index = indexes[name]
            keep = [
                row
                for row, code in enumerate(index.ids)
                if (kind is not Kind.COMPETENCE or code in referential.competences)
                # Savoir-être are the 16 macro rows flagged as such.
                and (kind is not Kind.SAVOIR_ETRE or referential.macros[code].savoir_etre)
            ]
            self._blocks.append((index.vectors(), np.array(keep, dtype=int)))
            codes.extend(index.ids[r] for r in keep)
            kinds.extend([kind] * len(keep))
        # Clause vectors by text: an employer's offers repeat their clauses, and a batch
        # encodes all its clauses at once (`prime`). Private inside `models.lru.private()`.
        self._vectors: LRU[str, np.ndarray] = LRU(VECTOR_CACHE_SIZE)
        self.codes = tuple(codes)
        self.kinds = tuple(kinds)
        self._row_of = {code: row for row, code in enumerate(self.codes)}
        self._kind_rows = [
            np.array([r for r, k in enumerate(self.kinds) if k is kind], dtype=int)
            for kind in (Kind.SAVOIR, Kind.CONTEXTE, Kind.SAVOIR_ETRE)
        ]
        self._prototypes(indexes)

    def _prototypes(self, indexes: IndexSet) -> None:
        """One vector per macro-compétence: the normalised mean of its compétences' vectors.
        A clause may word a competence unlike any one sibling and still sit near their mean."""
        members: dict[str, list[int]] = {}
        for row, (code, kind) in enumerate(zip(self.codes, self.kinds, strict=True)):
            if kind is Kind.COMPETENCE:
                members.setdefault(self.ref.competences[code].macro, []).append(row)
        self._macros = sorted(members)
        vectors = indexes["competences"].vectors()
        index_row = {code: r for r, code in enumerate(indexes["competences"].ids)}
        protos = (
            np.vstack(
                [
                    vectors[[index_row[self.codes[r]] for r in members[m]]].mean(axis=0)
                    for m in self._macros
                ]
            )
            if self._macros
            else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        )
        norms = np.linalg.norm(protos, axis=1, keepdims=True)
        self._protos = (protos / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        self._members = [np.array(members[m], dtype=int) for m in self._macros]
        macro_index = {m: i for i, m in enumerate(self._macros)}
        self._macro_of_row = np.array(
            [
                macro_index[self.ref.competences[c].macro] if k is Kind.COMPETENCE else -1
                for c, k in zip(self.codes, self.kinds, strict=True)
            ],
            dtype=int,
        )

    def prime(self, texts: Sequence[str]) -> None:
        """Encode these clause texts together (one call keeps every core busy)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self._vectors.put(text, vector)

    def _encoded(self, texts: Sequence[str]) -> np.ndarray:
        self.prime(texts)
        cached = [self._vectors.get(t) for t in texts]
        if any(v is None for v in cached):  # evicted meanwhile by another thread's batch
            return self.encoder.encode(list(texts))
        return np.vstack([v for v in cached if v is not None])

    def clear_cache(self) -> None:
        self._vectors.clear()

    def cache_sizes(self) -> dict[str, int]:
        return {"clause_vectors": len(self._vectors)}

    def read(self, clauses: Sequence[Clause], linked: frozenset[str]) -> list[Statement]:
        """Per clause, its nearest items in the whole release, of each kind, and among those
        the resolved fiches list (the model weighs them)."""
        linked_rows = np.array(
            sorted(r for c in linked if (r := self._row_of.get(c)) is not None), dtype=int
        )
        out: list[Statement] = []
        # In chunks: a 50,000-character text has ~1,500 clauses, and their similarities to
        # 33,000 items at once would be 200 MB.
        for first in range(0, len(clauses), CHUNK):
            out.extend(self._read_chunk(clauses[first : first + CHUNK], linked, linked_rows))
        return out

    def _read_chunk(
        self, clauses: Sequence[Clause], linked: frozenset[str], linked_rows: np.ndarray
    ) -> list[Statement]:
        vectors = self._encoded([c.text for c in clauses])
        sims = np.hstack([(vectors @ block.T)[:, rows] for block, rows in self._blocks])
        n = max(self.alternatives, self.nearest) + 1
        top = np.argpartition(-sims, n, axis=1)[:, :n]
        proto_sims = vectors @ self._protos.T if len(self._macros) else None
        out = []
        for i, clause in enumerate(clauses):
            rows = sorted(top[i], key=lambda r: -sims[i, r])
            clause_stems = {
                w.stem for w in clause.segment.words if clause.start <= w.start < clause.end
            }
            picks = [int(r) for r in rows[: self.nearest]]
            # The nearest item of each kind and of the fiches' own: 17,810 savoir-faire
            # outnumber the rest, and would otherwise always be nearest.
            groups = [*self._kind_rows, linked_rows]
            if proto_sims is not None:  # and the nearest compétence of the nearest prototype
                groups.append(self._members[int(np.argmax(proto_sims[i]))])
            for group in groups:
                if len(group):
                    near = int(group[np.argmax(sims[i, group])])
                    if near not in picks:
                        picks.append(near)
            for row in picks:
                others = [r for r in rows if r != row]
                st = self._statement(clause, clause_stems, sims[i], row, others, linked)
                macro = self._macro_of_row[row]
                if proto_sims is not None and macro >= 0:
                    best = float(proto_sims[i].max())
                    own = float(proto_sims[i, macro])
                    st = replace(st, macro_cos=own, macro_margin=own - best)
                out.append(st)
        return out

    def _statement(
        self,
        clause: Clause,
        clause_stems: set[str],
        sims: np.ndarray,
        row: int,
        others: Sequence[int],
        linked: frozenset[str],
    ) -> Statement:
        code = self.codes[row]
        weight = self.items.stem_weight
        stems = set(self.items.item_stems(code))
        held = stems & clause_stems
        item_mass = sum(weight(s) for s in stems)
        clause_mass = sum(weight(s) for s in clause_stems)
        held_mass = sum(weight(s) for s in held)
        return Statement(
            clause,
            code,
            self.kinds[row],
            float(sims[row]),
            float(sims[row] - sims[others[0]]),
            held_mass / item_mass if item_mass else 0.0,
            held_mass / clause_mass if clause_mass else 0.0,
            bool(stems) and self.items.rarest(code) in clause_stems,
            code in linked,
            tuple((self.codes[r], round(float(sims[r]), 4)) for r in others),
        )


def best_per_span(statements: Sequence[tuple[Statement, float]]) -> list[tuple[Statement, float]]:
    """One item per stated thing: each clause keeps its most probable item, and of clauses
    that overlap (a clause and its whole segment) each item is kept once, where it is most
    probable."""
    per_clause: dict[tuple[int, int], tuple[Statement, float]] = {}
    for st, p in statements:
        key = (st.clause.start, st.clause.end)
        if key not in per_clause or p > per_clause[key][1]:
            per_clause[key] = (st, p)
    kept: list[tuple[Statement, float]] = []
    for st, p in sorted(per_clause.values(), key=lambda sp: -sp[1]):
        overlapping = [
            k for k, _ in kept if k.clause.start < st.clause.end and st.clause.start < k.clause.end
        ]
        if any(k.code == st.code for k in overlapping):
            continue
        # A whole segment repeats what its clauses already say: it adds nothing once one of
        # its clauses is kept.
        if any(
            k.clause.start >= st.clause.start and k.clause.end <= st.clause.end for k in overlapping
        ):
            continue
        kept.append((st, p))
    return kept


def span_of(statement: Statement, text: str) -> Span:
    c = statement.clause
    return Span(c.start, c.end, text[c.start : c.end])
