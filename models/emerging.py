"""Emerging skills and job titles: what a corpus (offers, CVs, trainings) says that ROME 4.0
does not cover yet, as proposals for the people who maintain the referential.

1. Candidate phrases: noun phrases (a noun and its modifiers, "déploiement de modèles de
   langage") and verb phrases (an infinitive and its object, "rédiger des prompts") from spaCy's
   French parser; job titles from the documents' titles.
2. Coverage: a phrase close in meaning (e5) or in words (stems) to an existing item is not new.
   What counts as existing is a `Coverage` built from the index vectors, optionally without some
   items (the hold-out evaluation removes items to see if the detector finds them again).
3. Variants are clustered by meaning; candidates are ranked by the independent documents citing
   them (reposts of one offer, and one employer's template pasted into several, count once),
   spread across employers (sectors when employers are unknown), growth over time, and novelty.
Each candidate says where it would go: nearest items, closest macro-compétence and fiches.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from indexing.artifacts import IndexSet
from indexing.encoder import Encoder
from indexing.errors import InputTooLarge, InvalidInput, NotReady
from indexing.referential import Kind, Referential
from indexing.textnorm import (
    STOPWORDS,
    clean_offer_title,
    drop_gender_marks,
    fold,
    plain_text,
)
from models import budgets
from models import configfile as cf
from models.configfile import section
from models.reposts import DisjointSets, repost_groups
from models.segments import boilerplate_flags, content_stems, segment
from models.stages import timed
from models.titles import MAX_CONTEXT_CHARS, MAX_TITLE_CHARS, TitleQuery, TitleResolver

SKILL_COLLECTIONS = ("competences", "macro_competences", "savoirs")
TITLE_COLLECTION = "appellations"
MAX_DOCUMENTS_HTTP = 200
MAX_LISTED_WITH = 5  # ROME tools reported beside a candidate
MAX_VARIANTS = 20  # most cited first
_NOUN_DEPS = {"amod", "nmod", "flat:name", "flat", "compound", "fixed", "case", "nummod"}
_URLISH = re.compile(r"@|https?:|www\.|\d{3,}")
_FRAGMENT = re.compile(r"[:*]|\.\S|\.\s")
# A phrase followed by a colon heads what follows ("Le poste en quelques mots :", "Vos missions
# au quotidien :", "Maintenance préventive : identifier…"): the words after it say the skill.
_HEADING = re.compile(r"[ \t\xa0]*:")
# An acronym's English plural: "LLMs", "APIs", "KPIs".
_ACRONYM_PLURAL = re.compile(r"^([A-Z0-9]{2,})s$")
# What may stand between "et" and the second half of a pair (see `PhraseExtractor._paired`).
_PAIR_PREPOSITIONS = frozenset(("de", "d'", "d’", "du", "des", "à", "au", "aux"))
_TEMPLATE_SIDE = 60  # folded characters on one side of a mention that tell a copied template
_JOINERS = frozenset({"et", "ou", ",", "/"})  # between verbs that share an object
# Between the names of a list. Not "&": between capitalised words it names a team, a company
# or a heading ("Data & IA", "EY Data & Analytics", "R&D": 49 of the 51 in the dev offers).
_LIST_JOINERS = _JOINERS | {"|", "+"}
_TOOL_SUBCATEGORIES = frozenset({"Langages informatiques", "Logiciels, progiciels"})
_TOOL_WORD = re.compile(r"[\w.#+-]*\w[#+]*")
_LABEL_WORD = re.compile(r"[\w#+]+")
_TOOL_ELSEWHERE = 8  # labels outside software that may use a tool's name ("Python": 2)
_ADDRESSING = frozenset("notre nos votre vos vous nous".split())
# Nouns that introduce a requirement ("Maîtrise de", "Notions de", "Expérience en").
_LEAD_IN = frozenset(
    "maitrise connaissance notion experience capacite aptitude competence base".split()
)
# Nouns of light-verb constructions ("mettre en place", "mettre en œuvre", "prendre en charge",
# "prendre en compte"): the verb phrase is the skill, the noun alone is not.
_LIGHT = frozenset("place oeuvre charge compte".split())
# Words that name a kind of knowledge, not the knowledge: "méthodes de relevé", "principes
# du relevé" and ROME's "Techniques de relevé" are one savoir (see `Coverage.lexical`); so
# are "consignes d'hygiène" and ROME's "Respecter les règles d'hygiène". Not "bases": "bases
# de données" is the thing itself; nor "procédures", which say how, not what is required.
_KIND_STEMS = frozenset(
    stem
    for word in ("techniques", "méthodes", "principes", "notions", "règles", "consignes", "normes")
    for stem in content_stems(word)
)
# Heads of prepositional locutions ("au sein de", "dans le cadre de", "à la fois", "de bout en
# bout", "de manière autonome"): what follows them has its own span.
_LOCUTIONS = frozenset(
    "sein cadre fois bout niveau travers part matiere terme facon maniere titre".split()
)
# What an offer says of a requirement, not the requirement: ends a phrase.
_OFFER_TALK = frozenset(
    fold(w)
    for w in (
        "exigé exigée exigés exigées apprécié appréciée appréciés appréciées souhaité souhaitée "
        "souhaités souhaitées requis requise requises indispensable indispensables obligatoire "
        "obligatoires impératif impérative recommandé recommandée bienvenu bienvenue "
        "souhaitable souhaitables idéalement"
    ).split()
)


@dataclass(frozen=True, slots=True)
class EmergingConfig:
    max_tokens: int
    min_chars: int
    min_documents: int
    semantic: float
    title_semantic: float
    skill_as_title: float
    lexical: float
    cluster: float
    noise_floor: float
    min_offer_talk: int
    max_offer_talk: int
    spread_weight: float
    trend_weight: float
    stated_weight: float
    generic: frozenset[str]
    unknown_name_bonus: float
    anchored_below: float
    pitch: tuple[re.Pattern[str], ...]
    evaluative: frozenset[str]
    setting_heads: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> EmergingConfig:
        with section("emerging.yaml", path=path) as raw:
            return cls(
                max_tokens=cf.integer(raw["phrases"]["max_tokens"]),
                min_chars=cf.integer(raw["phrases"]["min_chars"]),
                min_documents=cf.integer(raw["phrases"]["min_documents"]),
                semantic=cf.number(raw["coverage"]["semantic"]),
                title_semantic=cf.number(raw["coverage"]["title_semantic"]),
                skill_as_title=cf.number(raw["coverage"]["skill_as_title"]),
                lexical=cf.number(raw["coverage"]["lexical"]),
                cluster=cf.number(raw["clusters"]["semantic"]),
                noise_floor=cf.number(raw["ranking"]["noise_floor"]),
                min_offer_talk=cf.integer(raw["ranking"]["min_offer_talk"]),
                max_offer_talk=cf.integer(raw["ranking"]["max_offer_talk"]),
                spread_weight=cf.number(raw["ranking"]["spread_weight"]),
                trend_weight=cf.number(raw["ranking"]["trend_weight"]),
                stated_weight=cf.number(raw["ranking"]["stated_weight"]),
                unknown_name_bonus=cf.number(raw["ranking"]["unknown_name_bonus"]),
                anchored_below=cf.number(raw["coverage"]["anchored_below"]),
                generic=frozenset(fold(w) for w in cf.text(raw["generic"]).split()),
                pitch=tuple(re.compile(p) for p in raw["pitch"]),
                evaluative=frozenset(fold(w) for w in cf.text(raw["evaluative"]).split()),
                setting_heads=frozenset(fold(w) for w in cf.text(raw["setting_heads"]).split()),
            )


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO date; enables the trend
    employer: str | None = None  # or a sector code: what "spread" counts


@dataclass(frozen=True, slots=True)
class NearItem:
    code: str
    label: str
    kind: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Example:
    document: str
    snippet: str


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    kind: str  # skill or job_title
    variants: tuple[str, ...]
    documents: int
    independent: int  # documents once reposts and one template's copies count once
    spread: int  # distinct employers (or sectors) among those; `independent` when unknown
    examples: tuple[Example, ...]
    novelty: float  # 1 - similarity to the closest existing item
    trend: float | None  # in [-1, 1]: share of documents, recent half vs older half
    stated: float  # share of mentions written as a requirement or a list item (see _stated)
    score: float
    nearest: tuple[NearItem, ...]
    macro_competence: NearItem | None
    # A skill: the fiches of the offers citing it (score: share of them) when the documents
    # have titles; else, and for titles, the fiches of the nearest items (summed similarity).
    fiches: tuple[NearItem, ...]
    # ROME tools it was listed beside ("AutoCAD" for "Covadis"): what a name is, which e5
    # cannot tell ("Caneco" sits beside "Cancérologie" for it).
    listed_with: tuple[ListedTool, ...] = ()


@dataclass(frozen=True, slots=True)
class ListedTool:
    code: str  # the savoir's code_ogr
    label: str
    mentions: int  # of the candidate's mentions listed beside it


@dataclass(frozen=True, slots=True)
class EmergingReport:
    documents: int
    reposts: int  # documents that near-copy another one (models/reposts.py)
    phrases: int  # distinct phrases seen at least `min_documents` times
    covered: int  # of which the referential already covers
    candidates: tuple[Candidate, ...]


@dataclass
class _Phrase:
    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    docs: set[str] = field(default_factory=set)
    # The words around each mention -> the documents that have them.
    contexts: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    examples: list[Example] = field(default_factory=list)
    kind: str = "skill"
    stated: int = 0  # mentions written as a requirement or a list item
    tools: int = 0  # mentions in a list with a tool ROME knows ("Spark, Hadoop ou Kafka")
    listed_with: Counter[str] = field(default_factory=Counter)  # those tools' names
    at: set[tuple[str, int]] = field(default_factory=set)  # (document, offset) of each mention


class Coverage:
    """What the referential already says, searchable by meaning and by words; built from the
    index vectors (no re-encoding), optionally without some items. Without exclusions the
    index arrays are used as they are (no copy: the service keeps one of each)."""

    def __init__(
        self, referential: Referential, indexes: IndexSet, exclude: Iterable[str] = ()
    ) -> None:
        self.ref = referential
        excluded = set(exclude)
        self.skill_blocks = _blocks(indexes, SKILL_COLLECTIONS, excluded)
        self.title_blocks = _blocks(indexes, (TITLE_COLLECTION,), excluded)
        # Stems per item, for the lexical check: interned strings in tuples, items by number.
        self._codes: list[str] = []
        self._stems: list[tuple[str, ...]] = []
        self._is_title: list[bool] = []
        self._job_names: set[str] = set()
        self._words: set[str] = set()
        by_stem: dict[str, list[int]] = defaultdict(list)
        for blocks, is_title in ((self.skill_blocks, False), (self.title_blocks, True)):
            for ids, _ in blocks:
                for code in ids:
                    label = referential.label_of(code)
                    # An appellation's " / " separates its forms: the feminine, or another
                    # name altogether ("Responsable développement / Business Developer").
                    self._words.update(fold(label).split())
                    for form in label.split(" / ") if is_title else (label,):
                        if is_title:
                            self._job_names.add(fold(form))
                        stems = tuple(sys.intern(x) for x in content_stems(form))
                        number = len(self._codes)
                        self._codes.append(code)
                        self._stems.append(stems)
                        self._is_title.append(is_title)
                        for x in stems:
                            by_stem[x].append(number)
        self._by_stem = {x: np.asarray(v, dtype=np.int32) for x, v in by_stem.items()}
        total = 1 + len(self._codes)
        self._weights = {x: math.log(total / (1 + len(v))) for x, v in by_stem.items()}
        self._unseen_weight = math.log(total)

    @property
    def skill_count(self) -> int:
        return sum(len(ids) for ids, _ in self.skill_blocks)

    def skill_sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """`n` random item vectors of the skill collections (the skill-likeness positives)."""
        total = self.skill_count
        picks = np.sort(rng.choice(total, size=min(n, total), replace=False))
        out, offset = [], 0
        for ids, matrix in self.skill_blocks:
            mine = picks[(picks >= offset) & (picks < offset + len(ids))] - offset
            out.append(matrix[mine])
            offset += len(ids)
        return np.vstack(out)

    def nearest(self, vectors: np.ndarray, titles: bool, k: int = 3) -> list[list[NearItem]]:
        blocks = self.title_blocks if titles else self.skill_blocks
        if not len(vectors) or not any(len(ids) for ids, _ in blocks):
            return [[] for _ in range(len(vectors))]
        found: list[list[tuple[float, str]]] = [[] for _ in range(len(vectors))]
        for ids, matrix in blocks:
            for start, sims in _similarities(vectors, matrix):
                top = np.argsort(-sims, axis=1)[:, :k]
                for row, cols in enumerate(top):
                    found[start + row].extend((float(sims[row, c]), ids[c]) for c in cols)
        return [
            [
                NearItem(code, self.ref.label_of(code), self.ref.kind_of(code).value, round(sim, 4))
                for sim, code in sorted(hits, key=lambda h: -h[0])[:k]
            ]
            for hits in found
        ]

    def best_similarity(self, vectors: np.ndarray, titles: bool) -> np.ndarray:
        """Each vector's highest cosine to an item (0 when there is none), unrounded."""
        blocks = self.title_blocks if titles else self.skill_blocks
        best = np.zeros(len(vectors), dtype=np.float32)
        for _, matrix in blocks:
            for start, sims in _similarities(vectors, matrix):
                chunk = best[start : start + len(sims)]
                np.maximum(chunk, sims.max(axis=1), out=chunk)
        return best

    def uses(self, stem: str) -> bool:
        """Some item label holds this stem."""
        return stem in self._by_stem

    def is_job_name(self, text: str) -> bool:
        """The text is, word for word, a form of an appellation ("Scrum Master")."""
        return fold(text) in self._job_names

    def writes(self, text: str) -> bool:
        """Every word of the text, as written (folded, not stemmed), is some label's word."""
        return all(word in self._words for word in fold(text).split())

    def names_title(self, phrase: str) -> bool:
        """The phrase has exactly the words of an appellation form ("Data Scientist")."""
        stems = set(content_stems(phrase))
        if not stems:
            return False
        first = next(iter(stems))
        return any(
            self._is_title[n] and set(self._stems[n]) == stems
            for n in (int(x) for x in self._by_stem.get(first, ()))
        )

    def lexical(self, phrase: str, titles: bool) -> float:
        """Best stem Jaccard (weighted, see `_overlap`) between the phrase and an item label;
        1.0 when one label holds all the phrase's stems ("outils BI" in "Utilisation d'outils
        BI (Business Intelligence)"): a piece of an item is the item's, not a new skill."""
        stems = set(content_stems(phrase))
        if not stems:
            return 0.0
        best = self._best_overlap(stems, titles)
        # Named by its kind ("méthodes de relevé"), a savoir is ROME's under another kind
        # ("Techniques de relevé"): without the kind words, a label that holds the rest with
        # at most one word more covers it.
        rest = stems - _KIND_STEMS
        if best < 1.0 and rest and rest != stems and self._holds(rest, titles, spare=1):
            return 1.0
        return best

    def _best_overlap(self, stems: set[str], titles: bool) -> float:
        """Best `_overlap` of the stems with an item label; 1.0 when a label holds them all."""
        best = 0.0
        seen: set[int] = set()
        for x in stems:
            for number in self._by_stem.get(x, ()):
                n = int(number)
                if n in seen or self._is_title[n] != titles:
                    continue
                seen.add(n)
                other = set(self._stems[n])
                if stems <= other:
                    return 1.0
                best = max(best, self._overlap(stems, other))
        return best

    def _holds(self, stems: set[str], titles: bool, spare: int) -> bool:
        """Some item label, kind words left out, holds the stems and at most `spare` others."""
        first = min(stems, key=lambda x: len(self._by_stem.get(x, ())))
        return any(
            self._is_title[n] == titles
            and stems <= (other := set(self._stems[n]) - _KIND_STEMS)
            and len(other) <= len(stems) + spare
            for n in (int(x) for x in self._by_stem.get(first, ()))
        )

    def anchor(self, phrase: str) -> str | None:
        """The phrase's stem that ROME's labels use least (see `_weight`): what it is about."""
        stems = set(content_stems(phrase))
        return max(sorted(stems), key=self._weight) if stems else None

    def anchors(self, word: str, phrase: str) -> bool:
        """The word is (or ties with) the phrase's anchor."""
        anchor = self.anchor(phrase)
        return anchor is not None and any(
            self._weight(x) >= self._weight(anchor) for x in content_stems(word)
        )

    def shares_anchor(self, phrase: str, codes: Sequence[str]) -> bool:
        """One of the items' labels holds the phrase's anchor. A phrase with no content word
        has nothing to check."""
        anchor = self.anchor(phrase)
        return anchor is None or any(
            anchor in content_stems(self.ref.label_of(code)) for code in codes
        )

    def _overlap(self, mine: set[str], theirs: set[str]) -> float:
        """Jaccard of two stem sets, each stem weighted by how rarely ROME's labels use it:
        "mettre en place des ateliers de groupe" shares "mettre", "place" and "ateliers" with
        "Mettre en place des ateliers pédagogiques" (3 of 5 stems), but what sets the two
        apart is the word only one of them holds."""
        shared = sum(self._weight(x) for x in mine & theirs)
        return shared / sum(self._weight(x) for x in mine | theirs)

    def _weight(self, stem: str) -> float:
        """log(N / df) over the item labels (a stem no label holds weighs the most)."""
        weight = self._weights.get(stem)
        return self._unseen_weight if weight is None else weight


def _blocks(
    indexes: IndexSet, names: Sequence[str], excluded: set[str]
) -> list[tuple[tuple[str, ...], np.ndarray]]:
    out = []
    for name in names:
        index = indexes[name]
        vectors = index.vectors()
        if not excluded & set(index.ids):
            out.append((tuple(index.ids), vectors))
            continue
        keep = [i for i, code in enumerate(index.ids) if code not in excluded]
        out.append((tuple(index.ids[i] for i in keep), vectors[keep]))
    return out


# (key, surface, start, end, in boilerplate): boilerplate phrases are never candidates; they
# teach the detector what offer talk looks like.
Phrase = tuple[str, str, int, int, bool]


class PhraseSource(Protocol):
    """Where candidate phrases come from (spaCy in production; tests use a simpler one)."""

    config: EmergingConfig

    def phrases(self, texts: Sequence[str]) -> list[list[Phrase]]: ...


class PhraseExtractor:
    """Noun and verb phrases from French text with spaCy's small pipeline."""

    def __init__(
        self, nlp: Any, config: EmergingConfig, boilerplate: Sequence[re.Pattern[str]] = ()
    ) -> None:
        self.nlp = nlp
        self.config = config
        self.boilerplate = (*boilerplate, *config.pitch)

    @classmethod
    def load(
        cls, config: EmergingConfig, boilerplate: Sequence[re.Pattern[str]] = ()
    ) -> PhraseExtractor:
        # spaCy's thinc imports torch when it is installed (it is, for the one-off encoder
        # build): ~300 MB of resident memory for nothing, since the French pipeline runs on
        # numpy. Hide torch while spaCy loads; it stays importable afterwards.
        hide_torch = "torch" not in sys.modules
        if hide_torch:
            sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            import spacy

            nlp = spacy.load("fr_core_news_sm")
        except OSError as exc:  # the model package is missing
            raise NotReady(
                "the spaCy model fr_core_news_sm is not installed; run `bash scripts/env.sh`"
            ) from exc
        finally:
            if hide_torch:
                del sys.modules["torch"]
        return cls(nlp, config, boilerplate)

    def _boilerplate(self, text: str) -> list[tuple[int, int]]:
        """Spans of the company pitch, benefits and how-to-apply segments, with the short items
        listed under such a heading (`boilerplate_flags`)."""
        if not self.boilerplate:
            return []
        segments = segment(text, max_segments=2_000)
        flags = boilerplate_flags(
            text, segments, lambda seg: any(p.search(seg.folded) for p in self.boilerplate)
        )
        return [(seg.start, seg.end) for seg, flag in zip(segments, flags, strict=True) if flag]

    def phrases(self, texts: Sequence[str]) -> list[list[Phrase]]:
        """Per text: (key, surface, start, end, in_boilerplate) of each candidate phrase."""
        out = []
        for text, doc in zip(texts, self.nlp.pipe(texts, batch_size=32), strict=True):
            pitch = self._boilerplate(text)
            # Names of companies, places and people are not skills. The small model takes a
            # capitalised infinitive opening a bullet for one ("Accueillir", "Contrôler": 504
            # of the 7,057 such names in the dev offers), which lost that bullet's verb phrase.
            verbs = {t.i for t in doc if _infinitive(t)}
            named = {
                t.i
                for ent in doc.ents
                if ent.label_ in ("ORG", "LOC", "PER")
                for t in ent
                if t.i not in verbs
            }
            found = []
            seen: set[tuple[int, int]] = set()
            for token in doc:
                spans: Sequence[tuple[int, int] | None] = ()
                lead_in = _after_lead_in(token)
                verb = token.i in verbs
                if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "flat:name" and not verb:
                    lemma = fold(token.lemma_ or token.text)
                    if lemma in _LEAD_IN:
                        # "Maîtrise de [X]": X is the phrase. It has its own span too, which the
                        # parser may have cut short (see `_lead_in_span`).
                        spans, lead_in = [_lead_in_span(token)], True
                    elif lemma in _LOCUTIONS or (lemma in _LIGHT and _after_en(token)):
                        continue  # "au sein de", "à la fois", "mettre en [place]": no skill
                    else:
                        # nmod heads too: "Notions de [tarification en temps réel]".
                        spans = [self._noun_span(token)]
                elif verb:
                    spans = self._verb_spans(token)
                spans = [*spans, *(self._paired(doc, s, verbs) for s in spans if s)]
                for span in spans:
                    if span is None or span in seen:
                        continue
                    seen.add(span)
                    phrase = self._phrase(doc, span, lead_in, named, pitch)
                    if phrase is not None:
                        found.append(phrase)
            # Names in a list ("Spark, Hadoop ou Kafka", "LLM/RAG") are mostly technologies;
            # the small model takes them for organisations or people, and the noun phrases
            # cut the lists up. Each is its own phrase, whatever the NER says.
            emitted = {(f[2], f[3]) for f in found}
            for start, end in _listed_names(doc):
                begin, surface = doc[start].idx, doc[start:end].text
                if (begin, begin + len(surface)) in emitted:
                    continue
                key = self._key(list(doc[start:end]), after_lead_in=True)
                if key is None:
                    continue
                in_pitch = any(a <= begin < b for a, b in pitch)
                found.append((key, surface, begin, begin + len(surface), in_pitch))
            out.append(found)
        return out

    def _phrase(
        self,
        doc: Any,
        span: tuple[int, int],
        lead_in: bool,
        named: set[int],
        pitch: Sequence[tuple[int, int]],
    ) -> Phrase | None:
        start, end = span
        # A name ends the phrase ("gestion financière des fonds publics de l'[Etat]");
        # a phrase that starts with one is the name, not a skill. Unless the offer says
        # it is a skill: the small model takes "Maîtrise d'[Excel]" or "Connaissance de
        # [Kubernetes]" for people or organisations.
        names: set[int] = set() if lead_in else named
        end = _trim(doc, start, next((t.i for t in doc[start:end] if t.i in names), end))
        tokens = [t for t in doc[start:end] if not t.is_punct]
        if not tokens or tokens[0].i in names or "\n" in doc[start:end].text:
            return None
        key = self._key(tokens, after_lead_in=lead_in)
        if key is None:
            return None
        surface = doc[start:end].text.strip(" ,;:.-–(")
        if surface.count("(") != surface.count(")") or _FRAGMENT.search(surface):
            return None  # "amené(e", "projet.***En tant que" are cut-off fragments
        if any(t.lower_ in _ADDRESSING for t in tokens):
            return None  # "notre usine", "vos missions": the offer talking, not a skill
        begin = doc[start].idx
        in_pitch = any(a <= begin < b for a, b in pitch)
        return key, surface, begin, begin + len(surface), in_pitch

    def _paired(self, doc: Any, span: tuple[int, int], verbs: set[int]) -> tuple[int, int] | None:
        """The span and the noun or verb phrase "et" or "ou" joins to it right after: "le montage
        et l'assemblage du bijou", "vérifier les costumes et réaliser les retouches". ROME words
        many items as such a pair, and each half alone is often a piece that another item holds.
        The halves stay phrases of their own."""
        start, end = span
        if end >= len(doc) or doc[end].lower_ not in ("et", "ou"):
            return None
        i = end + 1
        # An article or "de", "à": "[l'équipe] et sous la responsabilité de" is no pair.
        while i < len(doc) and (doc[i].pos_ == "DET" or doc[i].lower_ in _PAIR_PREPOSITIONS):
            i += 1
        if i >= len(doc):
            return None
        token = doc[i]
        if _name_like(token) or _name_like(doc[end - 1]):
            return None  # "MLOps et Kubernetes": a list of names, each its own phrase
        if i in verbs:
            if start not in verbs:
                return None  # "[les costumes] et réaliser": no pair
            other = self._verb_span(token)
        elif token.pos_ == "NOUN":
            other = self._noun_span(token)
        else:
            return None
        return (start, other[1]) if other is not None and other[1] > i else None

    def _noun_span(self, head: Any) -> tuple[int, int] | None:
        left = [c for c in head.lefts if c.dep_ == "amod"]
        start = min([head.i, *(c.i for c in left)])
        right_end = head.i + 1
        for child in head.rights:
            if child.i == right_end and _adjective_participle(child):
                right_end += 1  # "systèmes [embarqués]", "cartographies [détaillées]"
                continue
            if child.dep_ not in _NOUN_DEPS:
                continue
            # The phrase runs on until a clause, a list or the offer's own words start:
            # "Maîtrise de [la soudure TIG] exigée", "[réseaux] (LAN, WAN)".
            stop = min((t.left_edge.i for t in child.subtree if _stops_phrase(t)), default=None)
            if stop is not None and stop <= child.i:
                break  # the stop is before the child's own word: nothing of it belongs
            right_end = max(right_end, child.right_edge.i + 1 if stop is None else stop)
            if stop is not None:
                break
        return start, _trim(head.doc, head.i, right_end)

    def _verb_spans(self, verb: Any) -> list[tuple[int, int]]:
        """The verb with its object; then, when a complement follows the object straight
        away, the same with what the object is handled by, for or about ("assembler les tôles
        [par soudage]", "informer le public [sur la pratique de la discipline sportive]").
        ROME words its savoir-faire that way, and the short phrase alone is often a piece that
        another item holds; both are kept, each counted where the corpus repeats it."""
        span = self._verb_span(verb)
        if span is None:
            return []
        start, end = span
        spans = [span]
        for child in verb.rights:
            if (
                child.i < end
                or child.dep_ not in ("obl", "obl:arg", "obl:mod")
                or child.pos_ not in ("NOUN", "PROPN")
            ):
                continue
            between = verb.doc[end : child.left_edge.i]
            complement = self._noun_span(child)
            if complement and all(t.pos_ in ("ADP", "DET") or t.dep_ == "case" for t in between):
                spans.append((start, complement[1]))
            break  # only the first complement after the object
        return spans

    def _verb_span(self, verb: Any) -> tuple[int, int] | None:
        objects = [c for c in verb.rights if c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN")]
        if not objects:
            # "empiler des grumes": the small model reads the article "des" (or "du") as the
            # preposition and the object as a complement.
            objects = [
                c
                for c in verb.rights
                if c.dep_ == "obl:arg"
                and c.pos_ == "NOUN"
                and c.i == verb.i + 2
                and verb.doc[verb.i + 1].lower_ in ("des", "du")
            ]
        if not objects:
            # "mettre en place des procédures", "prendre en charge les patients"
            objects = [
                c for c in verb.rights if fold(c.lemma_ or c.text) in _LIGHT and _after_en(c)
            ]
        if not objects:
            # A verb whose object takes a preposition: "veiller au respect des règles",
            # "participer à la conception", "former aux évolutions techniques". ROME words
            # many savoir-faire that way; only the complement right after the verb.
            objects = [
                c
                for c in verb.rights
                if c.dep_ == "obl:arg"
                and c.pos_ == "NOUN"
                and c.i - verb.i <= 3
                and all(t.pos_ in ("ADP", "DET") for t in verb.doc[verb.i + 1 : c.i])
            ][:1]
        if not objects:
            return None
        obj_span = self._noun_span(objects[0])
        return (_coordinated_start(verb), obj_span[1]) if obj_span else None

    def _key(self, tokens: Sequence[Any], after_lead_in: bool = False) -> str | None:
        words = [
            _key_word(t)
            for t in tokens
            if not t.is_stop and t.pos_ not in ("DET", "ADP", "PRON", "CCONJ", "NUM")
        ]
        words = [w for w in words if w and w not in STOPWORDS and w not in self.config.evaluative]
        if not words or len(words) > self.config.max_tokens:
            return None
        if len(words) == 1 and not (after_lead_in or _technical(tokens)):
            return None  # one common word ("contexte", "passion") is not a skill
        if all(w in self.config.generic for w in words) or words[0] in self.config.setting_heads:
            return None
        key = " ".join(words)
        # Short acronyms are mostly offer talk ("CDI", "RTT"), unless the offer asks for them
        # as a skill: "Maîtrise de PHP".
        short_ok = after_lead_in and _technical(tokens)
        if (len(key) < self.config.min_chars and not short_ok) or _URLISH.search(key):
            return None
        return key


def _key_word(token: Any) -> str:
    """The token's lemma, folded; a name written with capitals inside, digits or as a short
    acronym keys on how it is written: the small model lemmatises one name two ways by its
    context ("Maîtrise de MLOps exigée" gives "mlop", "Connaissance de MLOps appréciée"
    "mlops"), and the two mentions then counted as two phrases. A long word in capitals is a
    heading's ordinary word ("MISSIONS") and keeps its lemma."""
    text: str = token.text
    if _named(text, sentence_start=True) and (not text.isupper() or len(text) <= 6):
        return fold(_ACRONYM_PLURAL.sub(r"\1", text))
    return fold(token.lemma_ or text)


SIMILARITY_CHUNK = 512  # phrases per product with an item matrix


def _encode_each(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Each text encoded alone. The int8 model quantises a batch as a whole, so a phrase's
    vector moved with its batch-mates (cosine 0.997), and adding one offer to a corpus could
    push unrelated phrases across the 0.95 coverage floor. Alone, a phrase gets the same
    vector whatever the corpus; it costs ~8 ms a phrase instead of ~5."""
    if not texts:
        return encoder.encode(texts)
    return np.vstack([encoder.encode([text]) for text in texts])


def _similarities(vectors: np.ndarray, matrix: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, cosines) of `vectors` against `matrix`, a chunk of rows at a time: a corpus's
    phrases times ROME's items would not fit in memory at once. Nothing for an empty matrix."""
    if not len(matrix):
        return
    for start in range(0, len(vectors), SIMILARITY_CHUNK):
        yield start, vectors[start : start + SIMILARITY_CHUNK] @ matrix.T


def _trim(doc: Any, start: int, end: int) -> int:
    """End of the span without its dangling words: "bois pour la" → "bois"."""
    while end > start + 1 and doc[end - 1].pos_ in ("ADP", "DET", "CCONJ"):
        end -= 1
    return end


def _after_en(token: Any) -> bool:
    return bool(token.i > 0 and token.doc[token.i - 1].lower_ == "en")


def _after_lead_in(token: Any) -> bool:
    """ "Connaissances en [urbanisme]", "Maîtrise d'[Excel]": the offer says it is a skill, so
    one word is enough."""
    head = token.head
    return (
        token.dep_ in ("nmod", "obl")
        and head is not token
        and head.pos_ in ("NOUN", "PROPN")  # "Maîtrise" opening a line is read as a name
        and fold(head.lemma_ or head.text) in _LEAD_IN
    )


def _lead_in_span(lead: Any) -> tuple[int, int] | None:
    """What a requirement's lead-in introduces, up to where the offer's own words start:
    "Maîtrise de [veille technologique dans le domaine du spectacle] exigée". The small model
    hangs later complements on the lead-in itself ("domaine" on "Maîtrise"), which cuts the
    complement's own noun span short; read from the lead-in, the whole complement is one."""
    nouns = [c for c in lead.rights if c.dep_ in ("nmod", "obl") and c.pos_ in ("NOUN", "PROPN")]
    if not nouns:
        return None
    doc = lead.doc
    start = nouns[0].left_edge.i
    while start < nouns[0].i and doc[start].pos_ in ("ADP", "DET"):
        start += 1
    end = lead.right_edge.i + 1
    stop = next(
        (
            t.i
            for t in doc[nouns[0].i + 1 : end]
            if _stops_phrase(t) and not (t.i == t.head.i + 1 and _adjective_participle(t))
        ),
        end,
    )
    return start, _trim(doc, start, stop)


def _coordinated_start(verb: Any) -> int:
    """Where a verb phrase starts when verbs share its object: "[entretenir et développer] le
    réseau professionnel". The parser hangs the object on the last verb only, and ROME words
    many savoir-faire that way, so the phrase starts at the first verb of the chain. Only
    infinitives joined by "et"/"ou"/commas, and only those with no object of their own
    ("préparer les commandes et livrer les clients" stays two phrases)."""
    start: int = verb.i
    current = verb
    while current.dep_ == "conj" and current.head.i < current.i:
        first = current.head
        between = current.doc[first.i + 1 : current.i]
        if (
            first.pos_ != "VERB"
            or "Inf" not in first.morph.get("VerbForm")
            or any(c.dep_ == "obj" for c in first.rights if c.i < current.i)
            or not between
            or not all(t.dep_ in ("cc", "punct") or t.lower_ in _JOINERS for t in between)
        ):
            break
        start, current = first.i, first
    return start


def _adjective_participle(token: Any) -> bool:
    """A past participle that qualifies the noun before it as an adjective would ("systèmes
    embarqués", "nutrition adaptée"): the small model hangs it as a clause, which cut the
    phrase before it. One that takes its own complement ("équipe chargée de la gestion",
    "logiciels mis à disposition") opens a clause, and the offer's own words ("exigée")
    are none."""
    return bool(
        token.dep_ == "acl"
        and token.pos_ in ("VERB", "ADJ")
        and "Part" in token.morph.get("VerbForm")
        and fold(token.text) not in _OFFER_TALK
        and not any(c.dep_ not in ("punct", "advmod") for c in token.children)
    )


def _infinitive(token: Any) -> bool:
    """An infinitive, also when the small model tags one as a participle ("- rincer des
    véhicules" opening a bullet): a verb written as its own lemma with an infinitive's ending."""
    word: str = token.lower_
    if token.pos_ == "PROPN":
        # "- Contrôler les livraisons": a capitalised verb opening a bullet read as a name,
        # given away by the object it takes.
        return (
            _line_start(token)
            and word.endswith(("er", "ir", "re"))
            and any(c.dep_ == "obj" for c in token.rights)
        )
    if token.pos_ != "VERB":
        return False
    if "Inf" in token.morph.get("VerbForm"):
        return True
    return word == (token.lemma_ or "").lower() and word.endswith(("er", "ir", "re"))


def _stops_phrase(token: Any) -> bool:
    # A line break too: the parser hangs it on the last word of a bullet ("- circuits
    # électroniques⏎"), and a phrase that ran over it was thrown away whole. And a tab or a
    # run of spaces inside a line: what is left of a lost bullet or a table's column ("Mise
    # en rayon    tiquetage" joined two items).
    return bool(
        token.is_punct
        or (token.is_space and ("\n" in token.text or "\t" in token.text or len(token.text) > 1))
        or token.dep_ in ("acl", "acl:relcl", "advcl", "conj", "cc", "appos")
        or fold(token.text) in _OFFER_TALK
    )


def _technical(tokens: Sequence[Any]) -> bool:
    """A lone word worth keeping looks like a technical term: "Kubernetes", "Lakehouse",
    "SQL", "5G" (a proper noun or capitals inside, or digits and letters)."""
    content = [t for t in tokens if not t.is_stop and t.pos_ in ("NOUN", "PROPN")]
    if len(content) != 1:
        return False
    text = content[0].text
    # "SQL", "DevOps", "5G" by their letters; "Kubernetes" as a proper noun not opening a line.
    return _named(text, sentence_start=True) or (
        len(text) >= 2 and content[0].pos_ == "PROPN" and not _line_start(content[0])
    )


def _name_like(token: Any) -> bool:
    """Written like a product or technology name: "Databricks", "MLOps", "GCP", "S3"."""
    return not (token.is_stop or token.is_punct or token.is_space) and _named(
        token.text, sentence_start=_line_start(token)
    )


def _named(word: str, sentence_start: bool = False) -> bool:
    """Capitals inside or digits ("SQL", "DevOps", "5G"); or a capital first letter where a
    sentence does not force one ("Databricks")."""
    return (
        len(word) >= 2
        and any(ch.isalpha() for ch in word)
        and (
            any(ch.isupper() for ch in word[1:])
            or any(ch.isdigit() for ch in word)
            or (word[0].isupper() and not sentence_start)
        )
    )


def _name_shaped(form: str) -> bool:
    """One or two words, each written as a name: "Mensura", "Power BI", "LLM"."""
    words = form.split()
    return len(words) <= 2 and all(_named(w) for w in words)


def _listed_names(doc: Any) -> list[tuple[int, int]]:
    """Token spans of the names in lists of at least two names joined by commas, slashes,
    "et", "ou": "Spark, Hadoop ou Kafka", "Power BI / Tableau". A name is one or two words."""
    names: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        if not _name_like(doc[i]):
            i += 1
            continue
        j = i + 1
        if j < len(doc) and doc[i].whitespace_ == " " and _name_like(doc[j]):
            j += 1
        names.append((i, j))
        i = j
    out: list[tuple[int, int]] = []
    run = names[:1]
    for before, after in itertools.pairwise(names):
        between = doc[before[1] : after[0]]
        if 1 <= len(between) <= 2 and all(t.lower_ in _LIST_JOINERS for t in between):
            run.append(after)
            continue
        if len(run) >= 2:
            out.extend(run)
        run = [after]
    if len(run) >= 2:
        out.extend(run)
    return out


def tool_savoirs(
    referential: Referential, elsewhere: int = _TOOL_ELSEWHERE
) -> dict[str, tuple[str, ...]]:
    """Folded names of the software and programming languages ROME lists ("python", "sap",
    "javascript", "machine learning") -> the savoirs (code_ogr) whose label gives each. A list
    that holds one of the names is a list of tools. A word that `elsewhere` labels outside
    software use is left out."""
    codes: dict[str, list[str]] = defaultdict(list)
    for code, savoir in referential.savoirs.items():
        if savoir.sous_categorie not in _TOOL_SUBCATEGORIES:
            continue
        words = _TOOL_WORD.findall(savoir.label)
        names = set()
        # "SQL", "InDesign", "C++"; a one-word label ("Python"); the name a short label ends
        # on ("Programmation en JavaScript", "Système d'exploitation Linux"). Capitalised
        # words elsewhere are mostly the French of a title ("Système d'Information").
        for word in words:
            if any(ch.isupper() or ch.isdigit() or ch in "#+" for ch in word[1:]):
                names.add(fold(word))
        if len(words) == 1 or (len(words) <= 4 and words[-1][:1].isupper()):
            names.add(fold(words[-1]))
        # A name of several words, kept whole: "Machine Learning", "Google Analytics".
        if 2 <= len(words) <= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in words):
            names.add(fold(savoir.label))
        for name in names:
            codes[name].append(code)
    out = set(codes)
    # Those labels also hold ordinary words and trade acronyms ("Son", the "Data" of "Big
    # Data", "pour PME", "SAP RH"): a word that many labels outside software use is not a
    # product's name, and it made lists of anything tools ("PME, ETI, Grands Comptes").
    used: Counter[str] = Counter()
    labels = itertools.chain(
        (a.label for a in referential.appellations.values()),
        (c.label for c in referential.competences.values()),
        (
            s.label
            for s in referential.savoirs.values()
            if s.sous_categorie not in _TOOL_SUBCATEGORIES
        ),
    )
    for label in labels:  # lower case is enough here, and several times faster than `fold`
        used.update(set(_LABEL_WORD.findall(label.lower())) & out)
    return {name: tuple(found) for name, found in codes.items() if used[name] < elsewhere}


def _line_start(token: Any) -> bool:
    """First word of a sentence, line or bullet: capitalised there whatever it is ("Contrôler",
    "Diagnostiquer" open bullets)."""
    if token.is_sent_start or token.i == 0:
        return True
    before = token.doc[token.i - 1]
    return bool(before.is_space or "\n" in before.text or before.text in "-•*·")


class EmergingDetector:
    def __init__(
        self,
        referential: Referential,
        encoder: Encoder,
        coverage: Coverage,
        extractor: PhraseSource,
        config: EmergingConfig | None = None,
        titles: TitleResolver | None = None,
    ) -> None:
        self.ref = referential
        self.encoder = encoder
        self.coverage = coverage
        self.extractor = extractor
        self.config = config or extractor.config
        # Reads the documents' titles: a skill goes to the fiches of the offers that ask for it.
        self.titles = titles
        self._tool_savoirs = tool_savoirs(referential)
        self._tools = frozenset(self._tool_savoirs)
        # Which fiches list an item: where a candidate near that item would go.
        self._listed_by: dict[str, list[str]] = defaultdict(list)
        for code, links in referential.links.items():
            for item in (*links.savoir_faire, *links.savoirs):
                self._listed_by[item].append(code)

    @timed("emerging.analyse")
    def analyse(
        self,
        documents: Sequence[CorpusDocument],
        k: int = 50,
        progress: Callable[[int], None] | None = None,
        max_chars: int | None = None,
    ) -> EmergingReport:
        """Candidates in `documents`; `max_chars` bounds their total length (a request's
        budget; the command line reads whole corpora)."""
        if not documents:
            raise InvalidInput("the corpus is empty; send documents with 'id' and 'text'")
        if max_chars is not None:
            budgets.check(
                sum(len(d.text) for d in documents),
                max_chars,
                "the documents' total length",
                "send fewer documents per request, or use `passerelle emerging` on a file",
            )
        # Relayed offers come as HTML: "Dataiku,&#xa0;Databricks" is a list to its reader.
        documents = [
            replace(d, text=plain_text(d.text), title=d.title and plain_text(d.title))
            for d in documents
        ]
        phrases, offer_talk = self._collect(documents, progress)
        c = self.config
        groups = repost_groups([d.text for d in documents])
        copy_of = {d.id: g for d, g in zip(documents, groups, strict=True)}
        reposts = len(groups) - len(set(groups))
        frequent = [
            p
            for p in phrases.values()
            if len(p.docs) >= c.min_documents and _independent([p], copy_of) >= c.min_documents
        ]
        if not frequent:
            return EmergingReport(len(documents), reposts, 0, 0, ())
        labels = [p.surfaces.most_common(1)[0][0] for p in frequent]
        # Praise and vague quantities are no part of the skill, for e5 either: "Effectuer des
        # tâches administratives diverses" is read as "Effectuer des tâches administratives".
        worded_labels = [self._worded(label) for label in labels]
        vectors = _encode_each(self.encoder, worded_labels)
        uncovered, nearest_of, covered = [], {}, []
        for is_title in (False, True):
            rows = [i for i, p in enumerate(frequent) if (p.kind == "job_title") == is_title]
            if not rows:
                continue
            near = self.coverage.nearest(vectors[rows], titles=is_title)
            floor = c.title_semantic if is_title else c.semantic
            # A skill phrase that names a ROME job ("Data Scientist", "responsable d'atelier")
            # is covered too: ROME has it, as an appellation.
            as_title = (
                None if is_title else self.coverage.best_similarity(vectors[rows], titles=True)
            )
            for n, (i, items) in enumerate(zip(rows, near, strict=True)):
                best = items[0].similarity if items else 0.0
                # "pipelines de données fiables" is ROME's "Développement de pipelines de
                # données" by its words too.
                worded = worded_labels[i]
                # Just over the floor, e5 is as close to a neighbour as to a paraphrase
                # ("coordonner des programmes d'éducation thérapeutique" and "Coordination
                # de programmes éducatifs", 0.958): there the item must also hold the
                # phrase's most specific word.
                close = [it.code for it in items if it.similarity >= floor]
                semantic = bool(close) and (
                    is_title
                    or best >= c.anchored_below
                    or self.coverage.shares_anchor(worded, close)
                )
                lexical = self.coverage.lexical(worded, titles=is_title)
                # A tool is ROME's only as ROME writes it: "Azure" is not the "Azur" of
                # "Côte d'Azur", though the stems agree.
                if frequent[i].tools and not self.coverage.writes(worded):
                    lexical = 0.0
                if semantic or lexical >= c.lexical:
                    covered.append(i)
                    continue
                if not is_title and self._rome_writes_name(labels[i]):
                    covered.append(i)
                    continue
                if as_title is not None and (
                    as_title[n] >= c.skill_as_title or self.coverage.names_title(labels[i])
                ):
                    covered.append(i)
                    continue
                nearest_of[i] = items
                uncovered.append(i)
        clusters = self._cluster(uncovered, frequent, vectors)
        skill_like = self._skill_likeness(
            offer_talk, vectors, [i for i in covered if frequent[i].kind == "skill"]
        )
        # A repost is the same need again: it keeps the date of its first copy in the corpus.
        originals = [d for i, (d, g) in enumerate(zip(documents, groups, strict=True)) if g == i]
        dates = _period_split(originals)
        first_of = {d.id: documents[g].id for d, g in zip(documents, groups, strict=True)}
        # A skill goes where the offers citing it go by their titles; a new title, by what
        # the offers bearing it say (their description read with the title). Only the
        # documents that candidates cite are read.
        cited: dict[str, set[str]] = {"skill": set(), "job_title": set()}
        for i in uncovered:
            cited[frequent[i].kind] |= frequent[i].docs
        jobs = (
            self._jobs([d for d in documents if d.id in cited["skill"]]),
            self._jobs([d for d in documents if d.id in cited["job_title"]], described=True),
        )
        employer_of = {d.id: d.employer for d in documents}
        candidates = [
            self._candidate(
                members,
                frequent,
                labels,
                nearest_of,
                skill_like,
                employer_of,
                copy_of,
                first_of,
                dates,
                jobs,
            )
            for members in clusters
        ]
        candidates.sort(key=lambda cand: (-cand.score, cand.label))
        return EmergingReport(
            len(documents), reposts, len(frequent), len(covered), tuple(candidates[:k])
        )

    def _worded(self, label: str) -> str:
        """The label without its praise and vague quantities (`evaluative`); the label itself
        when nothing else is left of it."""
        words = [w for w in label.split() if fold(w) not in self.config.evaluative]
        return " ".join(words) or label

    def _holds_unknown_name(self, phrase: str) -> bool:
        """A word written as a name has a stem that no ROME label (of the coverage) uses."""
        return any(
            not self.coverage.uses(stem)
            for word in phrase.split()
            if _named(word)
            for stem in content_stems(word)
        )

    def _rome_writes_name(self, phrase: str) -> bool:
        """A skill phrase that is a name a ROME job is named after ("SOC": "Analyste SOC
        (Security Operations Center)"), or two content words one of which is a name, written
        with capitals inside, that a ROME skill label holds ("normes HACCP": "Sécurité
        alimentaire et HACCP") and that is what the phrase is about (its anchor: not "CAP"
        in "CAP métallier", which many diplomas' labels hold). Only names: "carrosserie
        automobile" sits in job titles too and is a skill those jobs hold; Title Case alone
        is no name ("Sécurité Opérationnelle")."""
        if _name_shaped(phrase) and self.coverage.lexical(phrase, titles=True) >= 1.0:
            return True
        return len(content_stems(phrase)) == 2 and any(
            _named(w, sentence_start=True)
            and self.coverage.lexical(w, titles=False) >= 1.0
            and self.coverage.anchors(w, phrase)
            for w in phrase.split()
        )

    # --- steps --------------------------------------------------------------------------------

    def _collect(
        self, documents: Sequence[CorpusDocument], progress: Callable[[int], None] | None
    ) -> tuple[dict[str, _Phrase], set[str]]:
        phrases: dict[str, _Phrase] = {}
        offer_talk: set[str] = set()
        # Names listed beside no ROME tool, read again once the corpus has taught its own.
        unlisted: list[tuple[_Phrase, str, int, int]] = []
        batch = 64
        for start in range(0, len(documents), batch):
            chunk = documents[start : start + batch]
            for doc, found in zip(
                chunk, self.extractor.phrases([d.text for d in chunk]), strict=True
            ):
                for key, surface, s, e, in_pitch in found:
                    if in_pitch:
                        offer_talk.add(surface)
                    elif not _HEADING.match(doc.text, e):
                        phrase = self._add(phrases, key, surface, doc, doc.text, s, e, "skill")
                        listed_with = _among_tools(
                            doc.text, s, e, self._tools, self.coverage.is_job_name
                        )
                        named = _name_shaped(surface)
                        listed = bool(listed_with) or (named and _listed_as_tools(doc.text, s, e))
                        phrase.tools += listed
                        phrase.listed_with.update(listed_with)
                        if not listed and named:
                            unlisted.append((phrase, doc.text, s, e))
            for doc in chunk:
                if doc.title and fold(doc.title):
                    main = clean_offer_title(doc.title).main
                    if main and fold(main):
                        key = "titre:" + fold(main)
                        self._add(
                            phrases, key, main, doc, doc.title, 0, len(doc.title), "job_title"
                        )
            if progress is not None:
                progress(min(start + batch, len(documents)))
        # One round more: a name listed beside a name the corpus listed beside a ROME tool is a
        # tool too ("LLM/RAG" once LLM is known). Only one: further rounds drift to the names
        # of teams and departments that sit in the same lists.
        learned = frozenset(
            fold(form)
            for phrase in phrases.values()
            if phrase.tools
            for form in phrase.surfaces
            if _name_shaped(form)
        )
        for phrase, text, s, e in unlisted:
            phrase.tools += bool(_among_tools(text, s, e, learned, self.coverage.is_job_name))
        self._tools_in_prose(phrases, documents)
        return phrases, offer_talk

    def _tools_in_prose(
        self, phrases: dict[str, _Phrase], documents: Sequence[CorpusDocument]
    ) -> None:
        """A name the corpus lists beside a tool ROME knows is a tool wherever the corpus writes
        it. "MLOps/DevOps" in one offer makes "des pipelines MLOps" in another a mention of
        MLOps, which the noun phrases had buried in a longer phrase and e5 cannot tell from
        offer talk; so every mention of it counts, each as a tool's."""
        learned: dict[str, _Phrase] = {}
        for phrase in phrases.values():
            if phrase.kind != "skill" or not phrase.tools:
                continue
            for form in phrase.surfaces:
                if _name_shaped(form):
                    learned.setdefault(form, phrase)
        if not learned:
            return
        # Longest first, so "Power BI" is not read as "Power"; case kept: "RAG" is not "rag".
        forms = sorted(learned, key=lambda f: (-len(f), f))
        pattern = re.compile(
            r"(?<![\w.#+-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w#+]|-\w)"
        )
        for doc in documents:
            for match in pattern.finditer(doc.text):
                phrase = learned[match.group(0)]
                if (doc.id, match.start()) in phrase.at or _HEADING.match(doc.text, match.end()):
                    continue
                self._add(
                    phrases,
                    phrase.key,
                    match.group(0),
                    doc,
                    doc.text,
                    match.start(),
                    match.end(),
                    "skill",
                )
        for phrase in {id(p): p for p in learned.values()}.values():
            phrase.tools = phrase.surfaces.total()

    @staticmethod
    def _add(
        phrases: dict[str, _Phrase],
        key: str,
        surface: str,
        doc: CorpusDocument,
        text: str,
        start: int,
        end: int,
        kind: str,
    ) -> _Phrase:
        phrase = phrases.get(key)
        if phrase is None:
            phrase = phrases[key] = _Phrase(key, kind=kind)
        phrase.surfaces[surface] += 1
        phrase.stated += _stated(text, start)
        phrase.at.add((doc.id, start))
        # One employer's offers repeat its pitch word for word: the words around a mention
        # tell copies from independent uses. (A title line has no words around it.)
        if kind == "skill":
            around = fold(text[max(0, start - 40) : start] + text[end : end + 40])
            phrase.contexts[around].add(doc.id)
            # A template pasted before different lists keeps one side only ("… sur des
            # missions de conseil de différentes natures :" then each offer's own bullets).
            # A long side alone is that evidence; short ones are too common to tell.
            before, after = fold(text[max(0, start - 80) : start]), fold(text[end : end + 80])
            for side, words in (("<", before), (">", after)):
                if len(words) >= _TEMPLATE_SIDE:
                    phrase.contexts[side + words].add(doc.id)
        if doc.id not in phrase.docs and len(phrase.examples) < 3:
            lo, hi = max(0, start - 60), min(len(text), end + 60)
            phrase.examples.append(Example(doc.id, " ".join(text[lo:hi].split())))
        phrase.docs.add(doc.id)
        return phrase

    @staticmethod
    def _likeness(kind: str, skill_like: np.ndarray | None, row: int) -> float:
        if skill_like is None:
            return 1.0
        # Job titles are not skills: they take the neutral probability, not the classifier's.
        return 0.5 if kind == "job_title" else float(skill_like[row])

    def _skill_likeness(
        self, offer_talk: set[str], vectors: np.ndarray, covered: Sequence[int]
    ) -> np.ndarray | None:
        """P(skill) of each phrase: a logistic regression on e5 vectors, fitted per corpus.
        Skills: the corpus's own phrases that ROME covers (skills as offers write them: short
        noun and verb phrases, like the candidates) and as many ROME labels (skills as ROME
        words them). Offer talk: the phrases of the corpus's boilerplate (pitch, benefits).
        With ROME labels alone, every short noun phrase looked like offer talk
        ("carrosserie automobile" at 0.04). None when the corpus has too little boilerplate
        to learn from."""
        c = self.config
        if len(offer_talk) < c.min_offer_talk or not len(vectors):
            return None
        from sklearn.linear_model import LogisticRegression

        rng = np.random.default_rng(0)
        talk = sorted(offer_talk)[: c.max_offer_talk]
        negatives = self.encoder.encode(talk)  # training data: no threshold to cross
        rome = self.coverage.skill_sample(max(len(covered), c.min_offer_talk), rng)
        positives = np.vstack([vectors[list(covered)], rome])
        x = np.vstack([positives, negatives])
        y = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=500)
        model.fit(x, y)
        return np.asarray(model.predict_proba(vectors)[:, 1])

    def _cluster(
        self, rows: list[int], phrases: Sequence[_Phrase], vectors: np.ndarray
    ) -> list[list[int]]:
        """Greedy: the most cited phrase leads; close enough phrases of the same kind join."""
        order = sorted(rows, key=lambda i: (-len(phrases[i].docs), phrases[i].key))
        clusters: list[list[int]] = []
        for kind in ("skill", "job_title"):
            mine = [i for i in order if phrases[i].kind == kind]
            leaders = np.empty((len(mine), vectors.shape[1]), dtype=vectors.dtype)
            home_of: list[int] = []  # leader number -> index in `clusters`
            count = 0
            for i in mine:
                if count:
                    sims = leaders[:count] @ vectors[i]
                    best = int(np.argmax(sims))
                    if sims[best] >= self.config.cluster:
                        clusters[home_of[best]].append(i)
                        continue
                leaders[count] = vectors[i]
                count += 1
                home_of.append(len(clusters))
                clusters.append([i])
        return clusters

    def _candidate(
        self,
        members: list[int],
        phrases: Sequence[_Phrase],
        labels: Sequence[str],
        nearest_of: dict[int, list[NearItem]],
        skill_like: np.ndarray | None,
        employer_of: dict[str, str | None],
        copy_of: dict[str, int],
        first_of: dict[str, str],
        dates: tuple[set[str], set[str]] | None,
        jobs: tuple[dict[str, str], dict[str, str]],
    ) -> Candidate:
        c = self.config
        lead = phrases[members[0]]
        docs = set().union(*(phrases[i].docs for i in members))
        employers = {e for d in docs if (e := employer_of[d])}
        independent = _independent([phrases[i] for i in members], copy_of)
        spread = min(len(employers), independent) if employers else independent
        nearest = nearest_of[members[0]]
        best_similarity = nearest[0].similarity if nearest else 0.0
        floor = c.title_semantic if lead.kind == "job_title" else c.semantic
        novelty = round(1.0 - best_similarity, 4)
        # Emerging skills sit at the edge of the referential: close to existing items in meaning
        # but not the same. Phrases far from every item are mostly offer talk, not skills.
        relevance = min(1.0, max(0.0, (best_similarity - c.noise_floor) / (floor - c.noise_floor)))
        trend = _trend({first_of[d] for d in docs}, dates)
        mentions = sum(phrases[i].surfaces.total() for i in members)
        stated = sum(phrases[i].stated for i in members) / max(1, mentions)
        # A name listed with tools ROME knows is a tool, though e5 has never seen it and puts
        # it as far from every item as offer talk ("Databricks": 0.88): the list says what it is.
        among_tools = sum(phrases[i].tools for i in members) / max(1, mentions)
        listed_with = self._listed_with(sum((phrases[i].listed_with for i in members), Counter()))
        relevance = max(relevance, among_tools)
        stated = max(stated, among_tools)
        # Skills are asked for ("Maîtrise de …", a bullet of the profile); offer talk is prose.
        # Titles come from the offer's title line, where the measure means nothing.
        asked = 1.0 if lead.kind == "job_title" else 1 - c.stated_weight * (1 - stated)
        # A name ROME has never written is the plainest sign of something new; e5, which has
        # not seen it either, puts it among the offer talk.
        unknown = lead.kind == "skill" and self._holds_unknown_name(labels[members[0]])
        named = lead.kind == "skill" and _name_shaped(labels[members[0]])
        score = (
            math.log1p(spread)
            * (1 + c.spread_weight * math.log1p(spread) / math.log1p(max(independent, 1)))
            * (1 + c.trend_weight * max(trend or 0.0, 0.0))
            * (0.25 + relevance)
            # Nor can e5 tell whether an unseen name is a skill; the list it sits in can.
            * max(self._likeness(lead.kind, skill_like, members[0]), among_tools if named else 0.0)
            * asked
            * (1 + c.unknown_name_bonus * unknown)
        )
        # One example per document: a phrase and its variants often come from the same line.
        by_document: dict[str, Example] = {}
        for i in members:
            for example in phrases[i].examples:
                by_document.setdefault(example.document, example)
        examples = list(by_document.values())[:3]
        return Candidate(
            label=labels[members[0]],
            kind=lead.kind,
            variants=tuple(labels[i] for i in members[1 : 1 + MAX_VARIANTS]),
            documents=len(docs),
            independent=independent,
            spread=spread,
            examples=tuple(examples),
            novelty=novelty,
            trend=trend,
            stated=round(stated, 4),
            score=round(score, 4),
            nearest=tuple(nearest),
            macro_competence=self._macro(nearest),
            # e5 places a name it has never seen by its letters ("SDK" beside interior
            # design): with no offer to say where it goes, a name goes nowhere.
            fiches=self._offer_fiches(docs, first_of, jobs[1 if lead.kind == "job_title" else 0])
            or (() if named else self._fiches(nearest, lead.kind)),
            listed_with=listed_with[:MAX_LISTED_WITH],
        )

    def _jobs(self, documents: Sequence[CorpusDocument], described: bool = False) -> dict[str, str]:
        """Each titled document's fiche, as the title resolver reads its title (with its text
        when `described`); a title it is unsure of (it abstains) gives none. Empty without a
        resolver."""
        if self.titles is None:
            return {}
        queries = {
            d.id: TitleQuery(
                d.title[:MAX_TITLE_CHARS], d.text[:MAX_CONTEXT_CHARS] if described else None
            )
            for d in documents
            if d.title and fold(d.title)
        }
        queries = dict(zip(queries, self.titles.prime(list(queries.values())), strict=True))
        fiche_of = {}
        unsure = []
        for doc_id, query in queries.items():
            try:
                resolution = self.titles.resolve(query, k=1)
            except (InvalidInput, InputTooLarge):
                continue
            if not resolution.abstained and resolution.best is not None:
                fiche_of[doc_id] = resolution.best.fiche.code_rome
            else:
                unsure.append(doc_id)
        # A title the resolver is unsure of alone ("Développeur NodeJS React") is read again
        # with its text, rather than leaving the vote to the offers with plainer titles.
        if unsure and not described:
            again = set(unsure)
            fiche_of |= self._jobs([d for d in documents if d.id in again], described=True)
        return fiche_of

    def _offer_fiches(
        self, docs: set[str], first_of: dict[str, str], job_of: dict[str, str]
    ) -> tuple[NearItem, ...]:
        """The fiches of the offers that cite a candidate, each group of copies once, by share
        of those offers: which jobs ask for a skill, where the offers bearing a new title go.
        e5's nearest items place an unknown tool by its letters ("Caneco" beside
        "Cancérologie"), and a new title by the words it shares ("Tech Lead" beside
        "Technico-commercial")."""
        jobs: dict[str, str] = {}
        for d in sorted(docs):
            if d in job_of:
                jobs.setdefault(first_of[d], job_of[d])
        votes = Counter(jobs.values())
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        return tuple(
            NearItem(code, self.ref.fiches[code].label, "fiche", round(n / len(jobs), 4))
            for code, n in ranked
        )

    def _listed_with(self, names: Counter[str]) -> tuple[ListedTool, ...]:
        """The ROME tool savoirs behind the names a candidate was listed beside, most first."""
        mentions: Counter[str] = Counter()
        for name, count in names.items():
            for code in self._tool_savoirs.get(name, ()):
                mentions[code] += count
        ranked = sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(ListedTool(code, self.ref.savoirs[code].label, n) for code, n in ranked)

    def _macro(self, nearest: Sequence[NearItem]) -> NearItem | None:
        for item in nearest:
            if item.kind in (Kind.COMPETENCE.value, Kind.MACRO_COMPETENCE.value):
                macro = self.ref.macro_of(item.code)
                return NearItem(
                    macro.code_ogr, macro.label, Kind.MACRO_COMPETENCE.value, item.similarity
                )
        return None

    def _fiches(self, nearest: Sequence[NearItem], kind: str) -> tuple[NearItem, ...]:
        """Fiches that list (or, for titles, own) the nearest items, by summed similarity."""
        votes: dict[str, float] = defaultdict(float)
        for item in nearest:
            if kind == "job_title":
                fiche = self.ref.appellations[item.code].code_rome
                votes[fiche] += item.similarity
                continue
            for code in self._listed_by.get(item.code, ()):
                votes[code] += item.similarity
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])[:3]
        return tuple(
            NearItem(code, self.ref.fiches[code].label, "fiche", round(v, 4)) for code, v in ranked
        )


# What opens a requirement, folded: "Maîtrise de", "Bonnes connaissances en", "Capacité à".
# The extractor's lead-in nouns, and two that open requirements without being lead-ins there
# ("Expertise en", "Pratique de"): as lead-ins they would hide the skills they head there
# ("expertise comptable", "pratiques écologiques").
_REQUIREMENT_OPENING = re.compile(
    r"\b(?:" + "|".join([*sorted(_LEAD_IN), "expertise", "pratique"]) + r")s?(?: \w+)?"
    r"(?: (?:de|d|du|des|en|a|au|aux|dans|sur))?(?: (?:la|le|les|l|un|une))?$"
)


def _stated(text: str, start: int) -> bool:
    """Whether the mention at `start` is written the way offers ask for a skill: first on its
    line (a bullet of the missions or the profile) or right after a requirement's opening
    words. Offer talk ("des solutions concrètes", "des données fiables") sits inside prose."""
    # Many offers reach us with their bullets run into one line ("Vos missions :• Concevoir…").
    item = _ITEM_BREAK.split(text[max(0, start - 200) : start])[-1]
    if item.count("(") > item.count(")"):
        return False  # an aside: "anomalies constatées\n(éclairages défectueux, fuites d'eau)"
    before = _NUMBERING.sub("", fold(item))
    return not before or bool(_REQUIREMENT_OPENING.search(before))


_ITEM_BREAK = re.compile(r"\n|[•·▪►✓✔➢➤]| [-–] ")
_NUMBERING = re.compile(r"^(?:\d{1,2}|[a-z])\s*(?=$|\s)")


def _among_tools(
    text: str,
    start: int,
    end: int,
    tools: frozenset[str],
    names_job: Callable[[str], bool] | None = None,
) -> frozenset[str]:
    """The tools ROME knows that other items of the list name, when the mention is one item
    of a list ("Python, Spark, Databricks" gives {"python"} for Databricks); else none. A list
    with an item that `names_job` is a team's ("PO, Scrum Master, développeurs BI, DevOps"):
    its names are roles, not tools."""
    lo, hi = _clause(text, start, end)
    # "Tech Lead DevOps / MLOps F/H": the gender mark is no list item, nor part of one.
    clause = drop_gender_marks(text[lo:hi])
    mention = fold(text[start:end])
    items = [fold(x) for x in _LIST_SPLIT.split(clause)]
    if mention not in items:
        return frozenset()
    others = [item for item in items if item != mention]
    found = frozenset().union(*(tools.intersection(_word_runs(item)) for item in others))
    if found and names_job is not None and any(names_job(item) for item in others if item):
        return frozenset()
    return found


def _listed_as_tools(text: str, start: int, end: int) -> bool:
    """The mention is one of the names a word for software opens a list of: "cloud (Azure,
    AWS, GCP)", "outils : Jira, Confluence". ROME names none of them, so `_among_tools` finds
    no tool beside them; the word before the list says what they are."""
    lo, hi = _clause(text, start, end)
    if lo == 0 or text[lo - 1] not in "(:":
        return False
    items = [fold(x) for x in _LIST_SPLIT.split(drop_gender_marks(text[lo:hi]))]
    if fold(text[start:end]) not in items or len([x for x in items if x]) < 2:
        return False
    # The word may be qualified: "environnements cloud (", "cloud souverain (".
    last_two = fold(text[max(0, lo - 41) : lo - 1]).split()[-2:]
    return any(word in _TOOL_KINDS for word in last_two)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause around a mention starts and ends."""
    # At most 200 characters either side, in whole words: a word cut by the window ("os" of
    # "Vos missions") could read as a tool's name.
    window = max(0, start - 200)
    lo = max(text.rfind(ch, window, start) + 1 or window for ch in _CLAUSE_ENDS)
    his = [i for ch in _CLAUSE_ENDS if (i := text.find(ch, end, end + 200)) >= 0]
    hi = min(his, default=end + 200)
    if lo == window and lo > 0 and text[lo - 1].isalnum():
        lo = next((i + 1 for i in range(lo, start) if text[i].isspace()), start)
    if not his and hi < len(text) and text[hi].isalnum():
        hi = next((i for i in range(hi - 1, end - 1, -1) if text[i].isspace()), end)
    return lo, hi


def _word_runs(item: str) -> set[str]:
    """Runs of one to three words: where a tool's name may sit in a list item ("modèles de
    machine learning")."""
    words = item.split()
    return {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}


_CLAUSE_ENDS = ".;:\n()[]•"
# Words for software that open a list of names (folded, singular and plural).
_TOOL_KINDS = frozenset(
    "logiciel logiciels outil outils langage langages framework frameworks cloud stack "
    "technologie technologies technologique technologiques plateforme plateformes".split()
)
_LIST_SPLIT = re.compile(r"\s*(?:[,/|+]|\bet\b|\bou\b)\s*")


def _independent(phrases: Iterable[_Phrase], copy_of: dict[str, int]) -> int:
    """Documents citing the phrases, each group of copies counted once: reposts of one document
    (`models.reposts`), and documents that share the words around a mention (one employer's
    template pasted into offers that otherwise differ)."""
    copies: DisjointSets[str] = DisjointSets()
    docs: set[str] = set()
    for phrase in phrases:
        docs |= phrase.docs
        for d in phrase.docs:
            if d in copy_of:
                copies.union(d, f"\0repost {copy_of[d]}")
        for sharing in phrase.contexts.values():
            first, *rest = sharing
            for d in rest:
                copies.union(first, d)
    return len({copies.find(d) for d in docs})


def _period_split(documents: Sequence[CorpusDocument]) -> tuple[set[str], set[str]] | None:
    dated = sorted((d.date[:10], d.id) for d in documents if d.date)
    if len(dated) < 4 or dated[0][0] == dated[-1][0]:
        return None
    middle = dated[len(dated) // 2][0]
    old = {i for day, i in dated if day < middle}
    recent = {i for day, i in dated if day >= middle}
    return (old, recent) if old and recent else None


def _trend(docs: set[str], split: tuple[set[str], set[str]] | None) -> float | None:
    if split is None:
        return None
    old, recent = split
    share_old = len(docs & old) / len(old)
    share_recent = len(docs & recent) / len(recent)
    total = share_old + share_recent
    return round((share_recent - share_old) / total, 4) if total else None


def documents_from_jsonl(rows: Iterable[dict[str, Any]]) -> list[CorpusDocument]:
    """Corpus rows: {id, text} or offers in the France Travail format (description, intitule,
    dateCreation, entreprise.nom or codeNAF), CVs and training descriptions alike."""
    out = []
    for n, row in enumerate(rows):
        text = row.get("text") or row.get("description") or ""
        if not isinstance(text, str):
            raise InvalidInput(f"document {n}: 'text' must be a string")
        employer = row.get("employer")
        if employer is None and isinstance(row.get("entreprise"), dict):
            employer = row["entreprise"].get("nom")
        if employer is None:
            employer = row.get("codeNAF")
        out.append(
            CorpusDocument(
                id=str(row.get("id", n)),
                text=text,
                title=row.get("title") or row.get("intitule"),
                date=row.get("date") or row.get("dateCreation"),
                employer=str(employer) if employer else None,
            )
        )
    return out
