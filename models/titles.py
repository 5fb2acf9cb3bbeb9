"""Job-title resolution: any way people write a job title → ROME appellations and fiches.

Pipeline for one title:
1. clean the offer noise ("(H/F)", "CDI", "- Lyon (69)", inclusive writing) and keep side
   segments apart;
2. expand abbreviations and English job words from a curated vocabulary (config/titles.yaml),
   keeping the original words;
3. correct unknown words against the referential's own title vocabulary (rapidfuzz);
4. score appellations by a blend of e5 similarity and character n-gram similarity, and fiches
   by their best appellation or their own label, plus how many of the fiche's appellations
   contain every word of the title (what a bare "Infirmier" means);
5. when a description is given, rerank the best fiches by how close the description is to
   what each fiche is about (its label and core competences);
6. calibrate the blended score into a confidence in [0, 1] and abstain under a threshold.

Every candidate says why it was chosen (which form matched, lexically or semantically, which
words were expanded or corrected, what the description added).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from indexing.artifacts import IndexSet
from indexing.encoder import Encoder, Vectors
from indexing.errors import InputTooLarge, InvalidInput
from indexing.referential import Appellation, CoreLevel, Fiche, Referential
from indexing.textnorm import STOPWORDS, clean_offer_title, fold, plain_text
from models import budgets
from models import configfile as cf
from models.configfile import section
from models.domain_words import DomainWords
from models.evidence import ItemMatcher, ReadText
from models.lru import LRU
from models.stages import timed

MAX_TITLE_CHARS = 300
MAX_K = 20  # candidates per title, at most (the API's limit)
MAX_CONTEXT_CHARS = 20_000
VECTOR_CACHE_SIZE = 4096
ITEMS_SHOWN = 3  # competences named in an `items` evidence line
CONTEXT_PREFIX_CHARS = 200  # the start of a description says the most about the job


def _referential_words(ref: Referential, indexes: IndexSet) -> frozenset[str]:
    """Every folded word of the referential's labels (the lexical indexes keep them) and of
    its fiche definitions."""
    words = {w for index in indexes.collections.values() for w in index.lexical.words}
    written = {word for f in ref.fiches.values() for word in f.definition.split()}
    words.update(w for word in written for w in fold(word).split())  # each distinct word once
    return frozenset(words)


def _stem(word: str) -> str:
    """Plural folded, nothing more. The tagger's stems (`models.segments.content_stems`) merge
    title words that name different jobs: with them, ft-it top-1 fell from .545 to .533."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _label_words(label: str, masculine: bool = False) -> frozenset[str]:
    """Content words of a label, plurals folded; `masculine`: of its first gender form only
    ("Chef / Cheffe de chantier" → chef, chantier), the form cleaned titles keep."""
    parts = label.split(" / ")
    if masculine and len(parts) == 2:
        head, rest = parts[0].split(), parts[1].split()
        label = " ".join(head + rest[len(head) :])
    return frozenset(_stem(w) for w in fold(label).split() if w not in STOPWORDS)


@dataclass(frozen=True, slots=True)
class TitleConfig:
    dense_weight: float
    lexical_weight: float
    context_weight: float
    domain_weight: float
    sector_weight: float
    context_skip: float
    items_weight: float
    items_pool: int
    ignored_sectors: frozenset[str]
    side_weight: float
    pool: int
    fiche_pool: int
    spell_min_length: int
    spell_min_similarity: float
    spell_max_length_change: int
    abstain_threshold: float
    aliases: dict[str, str]
    coverage_weight: float
    # Logistic calibration of the blended score: confidence = 1 / (1 + exp(-(a * s + b))).
    calibration: tuple[float, float]

    @classmethod
    def load(cls, path: Path | None = None) -> TitleConfig:
        with section("titles.yaml", path=path) as raw:
            w, c, s = raw["weights"], raw["candidates"], raw["spelling"]
            calibration = raw["calibration"]
            return cls(
                dense_weight=cf.number(w["dense"]),
                lexical_weight=cf.number(w["lexical"]),
                context_weight=cf.number(w["context"]),
                domain_weight=cf.number(w["domain"]),
                sector_weight=cf.number(w["sector"]),
                context_skip=cf.number(w["context_skip"]),
                items_weight=cf.number(w["items"]),
                items_pool=cf.integer(c["items_pool"]),
                ignored_sectors=frozenset(cf.text(x) for x in raw["ignored_sectors"]),
                side_weight=cf.number(w["side_segments"]),
                pool=cf.integer(c["pool"]),
                fiche_pool=cf.integer(c["fiches"]),
                spell_min_length=cf.integer(s["min_word_length"]),
                spell_min_similarity=cf.number(s["min_similarity"]),
                spell_max_length_change=cf.integer(s["max_length_change"]),
                abstain_threshold=cf.number(raw["abstain"]["threshold"]),
                aliases={fold(k): fold(v) for k, v in raw["aliases"].items()},
                calibration=(cf.number(calibration["a"]), cf.number(calibration["b"])),
                coverage_weight=cf.number(w["coverage"]),
            )


@dataclass(frozen=True, slots=True)
class TitleQuery:
    title: str
    description: str | None = None
    naf: str | None = None  # the employer's NAF code ("47.11F", "4711F" or the division "47")
    sector: str | None = None  # or a ROME secteur d'activité code ("110")
    # The description already cut into segments, when the caller has read it (the tagger
    # reads an offer once for the job and the competences alike).
    read: ReadText | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a candidate was proposed; `kind` is lexical, semantic, fiche_label, context, domain
    (the description's words vs the fiche's trade), items (competences of the fiche named in
    the description), coverage (the fiche's appellations that contain every title word),
    general (the best-matching appellation says more than the title, the principal one says
    all of it: the principal one is given) or sector."""

    kind: str
    matched: str
    score: float


@dataclass(frozen=True, slots=True)
class TitleCandidate:
    appellation: Appellation
    fiche: Fiche
    score: float  # calibrated confidence in [0, 1]
    raw_score: float  # the blended score before calibration
    semantic: float
    lexical: float
    context: float | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class TitleResolution:
    title: str
    cleaned: str  # what was searched, after cleaning, expansion and correction
    candidates: tuple[TitleCandidate, ...]
    abstained: bool  # True when the best confidence is under the threshold
    rewrites: tuple[str, ...] = field(default=())  # expansions and corrections applied

    @property
    def best(self) -> TitleCandidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True, slots=True)
class PreparedTitle:
    lexical: str  # folded, expanded and corrected: what the n-gram index matches
    dense: str  # what the encoder reads
    extra: tuple[str, ...]  # the other segments, folded
    rewrites: tuple[str, ...]


class TitleResolver:
    """Resolves titles; build once (it precomputes fiche vectors), then call `resolve`."""

    def __init__(
        self,
        referential: Referential,
        encoder: Encoder,
        indexes: IndexSet,
        config: TitleConfig | None = None,
        items: ItemMatcher | None = None,
        domains: DomainWords | None = None,
        french: frozenset[str] = frozenset(),
    ) -> None:
        self.ref = referential
        self.encoder = encoder
        self.config = config or TitleConfig.load()
        self.french = french  # French words spelling leaves alone (kept to build variants)
        # Reads which candidate fiche's competences a description names; None: not used.
        self.items = items
        # Reads which trade a description's words belong to; None: not used (needs `items`).
        self.domains = domains
        self._apps = indexes["appellations"]
        self._fiches = indexes["fiches"]
        self._fiche_rows = {code: i for i, code in enumerate(self._fiches.ids)}
        self._app_fiche = [self.ref.appellations[a].code_rome for a in self._apps.ids]
        # Words the referential uses in titles: unknown query words are corrected towards them.
        vocabulary = set(self._apps.lexical.words) | set(self._fiches.lexical.words)
        for expansion in self.config.aliases.values():
            vocabulary.update(expansion.split())
        # By first letter and length: a correction keeps the one, and the other within
        # `spell_max_length_change` (see `_correct`).
        self._vocabulary_by_shape: dict[tuple[str, int], list[str]] = {}
        for w in sorted(w for w in vocabulary if len(w) >= 3):
            self._vocabulary_by_shape.setdefault((w[0], len(w)), []).append(w)
        # Words the referential uses anywhere, and French words (`french`, see models.lexicon),
        # are not typos: "travailleur" must not become "ravaleur", nor "traumatologue"
        # "rhumatologue", nor "temps partiel" "temps partie".
        self._known = (
            frozenset(vocabulary)
            | STOPWORDS
            | frozenset(self.config.aliases)
            | _referential_words(referential, indexes)
            | french
        )
        self._alias_pattern = self._compile_aliases(self.config.aliases)
        self._heads = self._title_heads()
        self._fiche_context = self._fiche_context_vectors(indexes)
        self._title_words = self._appellation_words()
        self._principal = {
            code: next(
                (
                    self.ref.appellations[a]
                    for a in links.appellations
                    if self.ref.appellations[a].principale
                ),
                self.ref.appellations[links.appellations[0]],
            )
            for code, links in self.ref.links.items()
            if code in self.ref.fiches and links.appellations
        }
        # Read for every covering candidate of every title: computed once here.
        self._principal_words = {
            code: _label_words(app.label) for code, app in self._principal.items()
        }
        self._vectors: LRU[str, Vectors] = LRU(VECTOR_CACHE_SIZE)  # query vectors
        # Titles found sure enough by `prime` that their description is not read.
        self._sure: LRU[tuple[str, str | None, str | None], TitleResolution] = LRU(
            VECTOR_CACHE_SIZE
        )

    def cache_sizes(self) -> dict[str, int]:
        return {"title_vectors": len(self._vectors), "sure_titles": len(self._sure)}

    # --- text preparation -------------------------------------------------------------------

    def _title_heads(self) -> frozenset[str]:
        """First words of every appellation and fiche label form ("Vendeur / Vendeuse en X":
        vendeur, vendeuse), and of the aliases. Distinct written words are folded once."""
        labels = [f.label for f in self.ref.fiches.values()]
        for a in self.ref.appellations.values():
            labels += [a.label, a.label_court]
        written = {
            words[0] for label in labels for part in label.split("/") if (words := part.split())
        }
        heads = {folded[0] for word in written if (folded := fold(word).split())}
        return frozenset(heads | set(self.config.aliases))

    def _appellation_words(self) -> dict[str, dict[str, list[frozenset[str]]]]:
        """Fiche → word → the word sets of its appellations holding that word (light stems)."""
        out: dict[str, dict[str, list[frozenset[str]]]] = {}
        for a in self.ref.appellations.values():
            words = _label_words(a.label)
            by_word = out.setdefault(a.code_rome, {})
            for w in words:
                by_word.setdefault(w, []).append(words)
        return out

    def _names_none(self, code: str, row: int, words: frozenset[str]) -> bool:
        """The title says no more than the fiche's principal appellation, and the best-matching
        appellation adds words the title does not say: "Infirmier" matched "Infirmier
        militaire" best, but names the nurse of the fiche in general."""
        principal = self._principal_words.get(code)
        if principal is None:
            return False
        matched = self.ref.appellations[self._apps.ids[row]].label
        return not _label_words(matched, masculine=True) <= words and words <= principal

    def _coverage(self, code: str, words: frozenset[str]) -> int:
        """How many of the fiche's appellations say every word of the title."""
        if not words:
            return 0
        first = next(iter(words))
        return sum(1 for ws in self._title_words.get(code, {}).get(first, ()) if words <= ws)

    @staticmethod
    def _compile_aliases(aliases: dict[str, str]) -> re.Pattern[str] | None:
        if not aliases:
            return None
        keys = sorted(aliases, key=len, reverse=True)  # multi-word keys first
        return re.compile(r"(?<![\w+#])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w+#])")

    def _expand(self, folded: str) -> tuple[str, list[str]]:
        if self._alias_pattern is None:
            return folded, []
        rewrites: list[str] = []

        def repl(m: re.Match[str]) -> str:
            key = m.group(1)
            expansion = self.config.aliases[key]
            if expansion == key:
                return key
            rewrites.append(f"{key} → {expansion}")
            return f"{key} {expansion}"

        return self._alias_pattern.sub(repl, folded), rewrites

    def _correct(self, text: str) -> tuple[str, list[str]]:
        out, rewrites = [], []
        for word in text.split():
            if (
                word in self._known
                or len(word) < self.config.spell_min_length
                or any(ch.isdigit() for ch in word)
            ):
                out.append(word)
                continue
            # A typo seldom touches the first letter, while a rewrite that changes it is
            # mostly another word ("looker" → "booker", "bresse" → "presse").
            # Nor does it add or drop more than a couple of letters: "agentique" is not a
            # misspelt "agente".
            change = self.config.spell_max_length_change
            match = process.extractOne(
                word,
                [
                    known
                    for size in range(len(word) - change, len(word) + change + 1)
                    for known in self._vocabulary_by_shape.get((word[0], size), ())
                ],
                scorer=fuzz.ratio,
                score_cutoff=self.config.spell_min_similarity,
            )
            if match is None:
                out.append(word)
            else:
                out.append(match[0])
                rewrites.append(f"{word} → {match[0]}")
        return " ".join(out), rewrites

    def prepare(self, title: str) -> PreparedTitle:
        """The job title out of an offer title: cleaned, segment chosen, rewritten."""
        cleaned = clean_offer_title(plain_text(title))  # "Ingénieur R&amp;D" as relayed in HTML
        segments = [cleaned.main, *cleaned.extra] if cleaned.main else []
        if not any(ch.isalpha() for ch in fold(cleaned.main)):
            raise InvalidInput(
                "the title has no job words once '(H/F)', contract and place are removed; "
                "send a job title such as 'Aide-soignant de nuit'"
            )
        chosen = self._job_segment(segments)
        main = segments[chosen]
        extra = tuple(fold(s) for i, s in enumerate(segments) if i != chosen)
        expanded, rewrites = self._expand(fold(main))
        corrected, corrections = self._correct(expanded)
        rewrites += corrections
        # e5 reads case and accents ("Opérateur" is closer to ROME's labels than "operateur"):
        # it sees the title as written unless a word had to be expanded or corrected.
        dense = corrected if rewrites else main
        return PreparedTitle(corrected, dense, extra, tuple(rewrites))

    def _job_segment(self, segments: Sequence[str]) -> int:
        """Which segment is the job: "Super U - Employé de rayon" names the employer first.

        The first segment stays unless its first word starts no ROME title while a later
        segment's does ("Manpower France - Chasseur", "Stage PFE - Data Analyst"). A softer
        rule (the later segment's n-grams match titles better) took "Services Financiers" and
        "Cybersécurité" for the job in IT offers: IT top-1 0.486 → 0.461.
        """
        if len(segments) < 2 or self._starts_title(segments[0]):
            return 0
        return next((i for i, s in enumerate(segments) if self._starts_title(s)), 0)

    def _starts_title(self, segment: str) -> bool:
        words = fold(segment).split()
        return bool(words) and words[0] in self._heads

    # --- scoring ------------------------------------------------------------------------------

    def _encode_cached(self, text: str) -> Vectors:
        vector = self._vectors.get(text)
        if vector is None:
            vector = self.encoder.encode([text])[0]
            self._vectors.put(text, vector)
        return vector

    def clear_cache(self) -> None:
        self._vectors.clear()
        self._sure.clear()

    def prime(self, queries: Sequence[TitleQuery]) -> list[TitleQuery]:
        """Encode every text these queries will need in one bulk call (batched, one worker per
        core) instead of one call per text: what makes batch tagging fast. Returns the queries
        with their descriptions read: resolve those, not the originals, to read each once."""
        queries = [self.with_read(q) for q in queries]
        texts: list[str] = []
        for q in queries:
            try:
                prepared = self.prepare(q.title)
            except InvalidInput:
                continue  # resolve() will report it
            texts.append(prepared.dense)
            if prepared.extra:
                texts.append(" ".join(prepared.extra))
        self._encode_missing(texts)
        # Then the descriptions of the titles that will need them (see `resolve`).
        contexts = []
        for q in queries:
            context = self.context_text(q)
            if context is None or context in self._vectors:
                continue
            try:
                alone = self.resolve(TitleQuery(q.title, None, q.naf, q.sector), k=MAX_K)
            except (InvalidInput, InputTooLarge):
                continue
            if alone.best is None or alone.best.score < self.config.context_skip:
                contexts.append(context)
            else:  # resolve(q) would compute exactly this again: keep it
                self._sure.put((q.title, q.naf, q.sector), alone)
        self._encode_missing(contexts)
        return queries

    def _encode_missing(self, texts: list[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self._vectors.put(text, vector)

    def _fiche_context_vectors(self, indexes: IndexSet) -> Vectors:
        """What each fiche is about: its label and its core savoir-faire, averaged."""
        comp = indexes["competences"]
        macro = indexes["macro_competences"]
        comp_vectors, macro_vectors = comp.vectors(), macro.vectors()
        fiche_vectors = self._fiches.vectors()
        out = np.zeros_like(fiche_vectors)
        for row, code in enumerate(self._fiches.ids):
            links = self.ref.links[code]
            parts = [fiche_vectors[row] * 2.0]
            for item in links.savoir_faire:
                weight = 2.0 if links.level(item) is CoreLevel.PRINCIPALE else 1.0
                if item in comp.row_of:
                    parts.append(comp_vectors[comp.row_of[item]] * weight)
                elif item in macro.row_of:
                    parts.append(macro_vectors[macro.row_of[item]] * weight)
            v = np.sum(parts, axis=0)
            out[row] = v / (np.linalg.norm(v) or 1.0)
        return out

    def _title_scores(
        self, text: str, vector: Vectors
    ) -> tuple[dict[int, tuple[float, float]], dict[str, tuple[float, float]]]:
        """Appellation rows → (semantic, lexical); fiche codes → (semantic, lexical) of labels.

        Exact scores over every item (one matrix-vector product each): at ROME scale this is
        faster than a faiss search for a single query, and nothing is missed by a pool cut.
        """
        w_dense, w_lex = self.config.dense_weight, self.config.lexical_weight
        out: list[dict[int, tuple[float, float]]] = []
        for index, pool in ((self._apps, self.config.pool), (self._fiches, self.config.fiche_pool)):
            dense = index.vectors() @ vector
            lexical = index.lexical.scores(text)
            blended = w_dense * dense + w_lex * lexical
            pool = min(pool, len(blended))
            top = np.argpartition(-blended, pool - 1)[:pool]
            out.append({int(r): (float(dense[r]), float(lexical[r])) for r in top})
        apps, fiche_rows = out
        return apps, {self._fiches.ids[r]: v for r, v in fiche_rows.items()}

    def _blend(self, semantic: float, lexical: float) -> float:
        c = self.config
        return (c.dense_weight * semantic + c.lexical_weight * lexical) / (
            c.dense_weight + c.lexical_weight
        )

    def calibrate(self, raw: float) -> float:
        a, b = self.config.calibration
        return 1.0 / (1.0 + math.exp(-(a * raw + b)))

    def resolve(self, query: TitleQuery | str, k: int = 5) -> TitleResolution:
        q = TitleQuery(query) if isinstance(query, str) else query
        if len(q.title) > MAX_TITLE_CHARS:
            raise InputTooLarge(
                f"title is {len(q.title)} characters; send at most {MAX_TITLE_CHARS} "
                "(put the rest of the offer in 'description')"
            )
        if q.description is not None and len(q.description) > MAX_CONTEXT_CHARS:
            raise InputTooLarge(
                f"description is {len(q.description)} characters; at most {MAX_CONTEXT_CHARS}"
            )
        if q.description is not None:
            known = self._sure.get((q.title, q.naf, q.sector))
            if known is not None:
                return replace(known, candidates=known.candidates[:k])
        prepared = self.prepare(q.title)
        text, extra, rewrites = prepared.lexical, prepared.extra, prepared.rewrites
        vector = self._encode_cached(prepared.dense)
        apps, fiche_labels = self._title_scores(text, vector)

        # Best appellation per fiche, and the fiche label's own score.
        # (score, appellation row or None, semantic, lexical, matched through the fiche label)
        best: dict[str, tuple[float, int | None, float, float, bool]] = {}
        for row, (sem, lex) in apps.items():
            score = self._blend(sem, lex)
            code = self._app_fiche[row]
            if code not in best or score > best[code][0]:
                best[code] = (score, row, sem, lex, False)
        for code, (sem, lex) in fiche_labels.items():
            score = self._blend(sem, lex)
            if code not in best or score > best[code][0]:
                app_row = best[code][1] if code in best else None
                best[code] = (score, app_row, sem, lex, True)

        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[: self.config.fiche_pool]
        side = self._side_scores([code for code, _ in ranked], extra)
        sector = self.ref.sector(q.naf, q.sector)
        if sector is not None and sector.key in self.config.ignored_sectors:
            sector = None
        base = {}
        for code, (score, _, _, _, _) in ranked:
            final = score
            if side is not None:
                final = (1 - self.config.side_weight) * final + self.config.side_weight * side[code]
            if sector is not None and code in sector.fiches:
                final += self.config.sector_weight
            base[code] = final
        # A title the resolver is already sure of does not need its description (measured on
        # the dev offers: at confidence ≥ 0.7, 39 % of them, the description never changed the
        # top fiche), and encoding the description is most of the cost of tagging an offer.
        sure = bool(base) and self.calibrate(max(base.values())) >= self.config.context_skip
        codes = [code for code, _ in ranked]
        if not sure:
            q = self.with_read(q)
        context = None if sure else self._context_scores(codes, q)
        said = None if sure else self._items_said(codes, q)
        domain = None if sure else self._domain_scores(codes, q)
        qwords = frozenset(_stem(w) for w in text.split() if w not in STOPWORDS and len(w) > 1)
        results = []
        for code, (_, app_row, sem, lex, via_label) in ranked:
            final = base[code]
            ctx = context[code] if context is not None else None
            if ctx is not None:
                final += self.config.context_weight * ctx
            dom = domain.get(code) if domain is not None else None
            if dom is not None:
                final += self.config.domain_weight * dom
            items = said.get(code, ()) if said is not None else ()
            # A bare title ("Infirmier", "Développeur") reads as the fiche that lists it the
            # most: ROME gives the general-care fiche most of its nurse appellations.
            covering = self._coverage(code, qwords)
            final += self.config.coverage_weight * math.log1p(covering)
            if items:  # the log keeps a long fiche (90 items) from winning on its length
                final += self.config.items_weight * math.log1p(len(items))
            in_sector = sector is not None and code in sector.fiches
            general = (
                bool(covering) and app_row is not None and self._names_none(code, app_row, qwords)
            )
            results.append(
                (
                    final,
                    code,
                    app_row,
                    sem,
                    lex,
                    ctx,
                    via_label,
                    in_sector,
                    items,
                    dom,
                    covering,
                    general,
                )
            )
        results.sort(key=lambda r: -r[0])
        candidates = [self._candidate(*r) for r in results[:k]]
        abstained = not candidates or candidates[0].score < self.config.abstain_threshold
        return TitleResolution(q.title, text, tuple(candidates), abstained, tuple(rewrites))

    @timed("titles.resolve")
    def resolve_many(self, queries: Sequence[TitleQuery], k: int = 5) -> list[TitleResolution]:
        """Resolve a batch; an error names the position of the title that caused it."""
        budgets.check(
            sum(len(q.description or "") for q in queries),
            budgets.RESOLVE_DESCRIPTION_CHARS,
            "the descriptions' total length",
            "send the titles in smaller batches, or shorter descriptions (the start of the "
            "description decides)",
        )
        queries = self.prime(queries)
        out = []
        for i, query in enumerate(queries):
            try:
                out.append(self.resolve(query, k))
            except (InvalidInput, InputTooLarge) as exc:
                raise type(exc)(f"titles[{i}]: {exc}") from None
        return out

    def _closeness(self, codes: Sequence[str], text: str) -> np.ndarray:
        """Cosine of a text to each candidate fiche's profile (label + core competences)."""
        rows = [self._fiche_rows[c] for c in codes]
        sims: np.ndarray = self._fiche_context[rows] @ self._encode_cached(text)
        return sims

    def _side_scores(self, codes: Sequence[str], extra: Sequence[str]) -> dict[str, float] | None:
        """Side segments ("Java/Spring") as weak evidence; places score low everywhere."""
        if not extra or not codes:
            return None
        sims = self._closeness(codes, " ".join(extra))
        return dict(zip(codes, (float(s) for s in sims), strict=True))

    def with_read(self, q: TitleQuery) -> TitleQuery:
        """The query with its description read (segments, boilerplate apart), once."""
        if q.read is not None or self.items is None or not q.description:
            return q
        return replace(q, read=self.items.read(q.description))

    def context_text(self, q: TitleQuery) -> str | None:
        """What is encoded of a description: the title and the start of what the description
        says of the job, boilerplate (company pitch, benefits, legal notices) skipped.

        Skipping the boilerplate let the prefix shrink from 400 to 200 characters, halving the
        encoding that dominates batch tagging, while ft-api top-1 went up (0.7235 → 0.7297 on
        the dev offers; 0.7277 at 250 and 300 characters, 0.7297 at 400).
        """
        if not q.description or not fold(q.description):
            return None
        read = self.with_read(q).read
        if read is None:
            return f"{q.title}. {q.description[:CONTEXT_PREFIX_CHARS]}"
        parts, length = [], 0
        for seg in read.useful:
            parts.append(seg.text)
            length += len(seg.text) + 1
            if length >= CONTEXT_PREFIX_CHARS:
                break
        useful = " ".join(parts)[:CONTEXT_PREFIX_CHARS]
        return f"{q.title}. {useful}" if useful else None

    def _items_said(self, codes: Sequence[str], q: TitleQuery) -> dict[str, tuple[str, ...]] | None:
        """How many savoir-faire and savoirs of each of the best fiches the description says.

        Only the first `items_pool` fiches are read: their items are matched against every
        segment, which costs about a millisecond per fiche on an offer.
        """
        if self.items is None or not q.description or not fold(q.description):
            return None
        read = self.with_read(q).read
        assert read is not None
        return self.items.fiche_support(read, codes[: self.config.items_pool])

    def _domain_scores(self, codes: Sequence[str], q: TitleQuery) -> dict[str, float] | None:
        """How much more the description's words sound like each candidate's domaine
        professionnel than like the other candidates' (z-score; see `models.domain_words`)."""
        # A description with no words has no useful segment, so `scores` says nothing.
        read = self.with_read(q).read
        if self.domains is None or read is None:
            return None
        return self.domains.scores(read, codes)

    def _context_scores(self, codes: Sequence[str], q: TitleQuery) -> dict[str, float] | None:
        """How much closer the description is to each candidate fiche than to the others.

        e5 cosines between a description and fiche profiles all sit around 0.85-0.9, so the raw
        value says little; its standardised deviation across the candidates is what ranks.
        """
        text = self.context_text(q)
        if text is None or len(codes) < 2:
            return None
        sims = self._closeness(codes, text)
        z = (sims - sims.mean()) / (float(sims.std()) or 1.0)
        return dict(zip(codes, (float(v) for v in z), strict=True))

    def _candidate(
        self,
        final: float,
        code: str,
        row: int | None,
        sem: float,
        lex: float,
        ctx: float | None,
        via_label: bool,
        in_sector: bool = False,
        items: tuple[str, ...] = (),
        domain: float | None = None,
        covering: int = 0,
        general: bool = False,
    ) -> TitleCandidate:
        fiche = self.ref.fiches[code]
        # Only the fiche label matched, or the title names the fiche's job in general: the
        # fiche's principal appellation is the answer.
        app = (
            self._principal[code]
            if row is None or general
            else self.ref.appellations[self._apps.ids[row]]
        )
        matched = (
            fiche.label
            if via_label or row is None
            else self.ref.appellations[self._apps.ids[row]].label
        )
        evidence = []
        if via_label:
            evidence.append(Evidence("fiche_label", matched, round(self._blend(sem, lex), 4)))
        if lex > 0:
            evidence.append(Evidence("lexical", matched, round(lex, 4)))
        evidence.append(Evidence("semantic", matched, round(sem, 4)))
        if ctx is not None:
            evidence.append(
                Evidence(
                    "context",
                    "description vs fiche label and core competences (z-score)",
                    round(ctx, 4),
                )
            )
        if domain is not None:
            evidence.append(
                Evidence(
                    "domain",
                    f"description's words vs the trade of this fiche ({fiche.domaine_pro_label}"
                    ", z-score)",
                    round(domain, 4),
                )
            )
        if items:
            named = "; ".join(self.ref.label_of(c) for c in items[:ITEMS_SHOWN])
            more = f" (+{len(items) - ITEMS_SHOWN} more)" if len(items) > ITEMS_SHOWN else ""
            evidence.append(
                Evidence(
                    "items",
                    f"{len(items)} of this fiche's competences named in the description: "
                    f"{named}{more}",
                    float(len(items)),
                )
            )
        if covering:
            evidence.append(
                Evidence(
                    "coverage",
                    f"{covering} of this fiche's appellations contain every word of the title",
                    float(covering),
                )
            )
        if general:
            evidence.append(
                Evidence(
                    "general",
                    "the best-matching appellation says more than the title and the "
                    "principal one says all of it: the principal appellation is given",
                    1.0,
                )
            )
        if in_sector:
            evidence.append(
                Evidence("sector", "ROME lists this fiche in the employer's sector", 1.0)
            )
        return TitleCandidate(
            appellation=app,
            fiche=fiche,
            score=round(self.calibrate(final), 4),
            raw_score=round(final, 4),
            semantic=round(sem, 4),
            lexical=round(lex, 4),
            context=None if ctx is None else round(ctx, 4),
            evidence=tuple(evidence),
        )
