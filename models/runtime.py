"""The Passerelle core: referential + encoder + indexes + task models, loaded once.

A plain object usable from a notebook, the CLI or the service alike; nothing here knows HTTP.
Construction is cheap; `Passerelle.load` is the one known moment where heavy things load.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from indexing.artifacts import Hit, IndexSet, Progress, build_indexes, index_key
from indexing.encoder import Encoder
from indexing.errors import InvalidInput
from indexing.loader import load_referential_cached
from indexing.referential import Referential
from indexing.textnorm import fold
from models.affinity import Affinity
from models.autocomplete import Autocompleter
from models.competences import CompetenceExtractor, ExtractionConfig
from models.cv.isolation import IsolatedReader
from models.cv.parser import CVParser
from models.derived import cached
from models.domain_words import DomainWords, bags_of
from models.emerging import Coverage, EmergingConfig, EmergingDetector, PhraseExtractor
from models.encoders.registry import ensure_e5, load_encoder
from models.evidence import ItemMatcher
from models.lexicon import french_words
from models.matching import Matcher
from models.matchmaking import Matchmaking
from models.mobility import Mobility
from models.proximity import Proximity
from models.settings import DEFAULT_REFERENTIAL, CoreSettings
from models.statements import StatementModel, StatementReader
from models.titles import TitleResolver

# Weight of the dense score in hybrid search; the rest goes to the lexical score.
# 0.6/0.4 was the best blend measured on offer titles (../shared/notes/baselines.md).
DENSE_WEIGHT = 0.6


@dataclass(frozen=True, slots=True)
class SearchResult:
    id: str
    label: str
    score: float
    dense: float
    lexical: float


@dataclass
class Passerelle:
    config: CoreSettings
    referential: Referential
    encoder: Encoder
    indexes: IndexSet
    titles: TitleResolver
    autocomplete: Autocompleter
    competences: CompetenceExtractor
    cvs: CVParser
    affinity: Affinity
    mobility: Mobility
    matcher: Matcher
    matchmaking: Matchmaking
    cv_reader: IsolatedReader
    load_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def cache_sizes(self) -> dict[str, int]:
        """Entries in the bounded in-memory caches (what /metrics reports)."""
        statements = self.competences.statements
        return {
            **self.titles.cache_sizes(),
            **(statements.cache_sizes() if statements else {}),
        }

    def start_workers(self) -> None:
        """Start the CV reader processes now rather than on the first file (the service does
        it once it listens: their imports would compete with its start-up on few cores)."""
        self.cv_reader.start()

    def close(self) -> None:
        """Stop the CV reader processes (the service's shutdown; harmless twice)."""
        self.cv_reader.close()

    def clear_caches(self) -> None:
        """Forget query vectors and text reads (benchmarks measure first-time work)."""
        self.titles.clear_cache()
        if self.competences.statements is not None:
            self.competences.statements.clear_cache()

    @classmethod
    def load(
        cls,
        config: CoreSettings,
        build_missing: bool = False,
        progress: Progress | None = None,
        log: Callable[[str], None] = lambda _msg: None,
        with_statements: bool = True,
    ) -> Passerelle:
        """Load everything. With `build_missing`, build the encoder and indexes first if
        absent (set-up path); otherwise a missing artifact is an error that says to build."""
        # Loading makes millions of objects that live as long as the process: the cyclic
        # collector scanning them again and again while they are made cost 0.7-0.8 s of the
        # service's 4.7 s load. It runs again (on everything, once) when loading is done.
        paused = gc.isenabled()
        gc.disable()
        try:
            return cls._load(config, build_missing, progress, log, with_statements)
        finally:
            if paused:
                gc.enable()

    @classmethod
    def _load(
        cls,
        config: CoreSettings,
        build_missing: bool,
        progress: Progress | None,
        log: Callable[[str], None],
        with_statements: bool,
    ) -> Passerelle:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        t = time.perf_counter()
        referential = load_referential_cached(
            config.referential, config.cache_dir, tree_fallback=DEFAULT_REFERENTIAL
        )
        timings["referential"] = time.perf_counter() - t
        if build_missing and config.encoder == "e5":
            ensure_e5(config.cache_dir, log)
        t = time.perf_counter()
        encoder = load_encoder(config.encoder, config.cache_dir, config.encoder_threads())
        timings["encoder"] = time.perf_counter() - t
        root = config.cache_dir / "indexes"
        if build_missing:
            folder, built = build_indexes(referential, encoder, root, progress)
            if built:
                log(f"built indexes in {folder}")
        else:
            folder = root / index_key(referential, encoder)
        t = time.perf_counter()
        indexes = IndexSet.load(folder, encoder, referential)
        timings["indexes"] = time.perf_counter() - t
        t = time.perf_counter()
        extraction = ExtractionConfig.load()
        items = ItemMatcher(referential, extraction.evidence)
        derived_dir = config.cache_dir / "derived"
        items.use_stem_table(cached(derived_dir, "item_stems", referential, items.stem_table))
        titles = TitleResolver(
            referential,
            encoder,
            indexes,
            items=items,
            domains=DomainWords(
                referential,
                items.item_stems,
                bags=cached(
                    derived_dir,
                    "domain_words",
                    referential,
                    lambda: bags_of(referential, items.item_stems),
                ),
            ),
            french=french_words(config.cache_dir / "lexicon"),
        )
        autocomplete = Autocompleter(referential, indexes["appellations"])
        competences = CompetenceExtractor(
            referential,
            titles,
            extraction,
            items,
            statements=StatementReader(referential, encoder, indexes, items),
            # Without it (when it is being fitted) clauses are read but nothing is kept.
            statement_model=StatementModel.load() if with_statements else None,
        )
        # Its processes start on the first file, or when the service calls `start_workers`.
        cv_reader = IsolatedReader(config.cv_limits())
        cvs = CVParser(titles, competences, reader=cv_reader.read)
        affinity = Affinity(referential, indexes)
        mobility = Mobility(referential, Proximity(referential, indexes), affinity)
        matcher = Matcher(referential, affinity)
        timings["task_models"] = time.perf_counter() - t
        return cls(
            config,
            referential,
            encoder,
            indexes,
            titles,
            autocomplete,
            competences,
            cvs,
            affinity,
            mobility,
            matcher,
            Matchmaking(matcher, competences),
            cv_reader,
            load_seconds=time.perf_counter() - started,
            timings=timings,
        )

    def load_emerging(self) -> EmergingDetector:
        """The emerging-skill detector: spaCy's French pipeline (several seconds to load) and
        the coverage matrix. Kept out of `load` so the service is ready without it."""
        extractor = PhraseExtractor.load(
            EmergingConfig.load(), self.competences.config.evidence.boilerplate
        )
        coverage = Coverage(self.referential, self.indexes)
        return EmergingDetector(
            self.referential, self.encoder, coverage, extractor, titles=self.titles
        )

    def search(self, collection: str, query: str, k: int = 10) -> list[SearchResult]:
        """Hybrid (dense + lexical) search over one collection of the referential."""
        if collection not in self.indexes.collections:
            raise InvalidInput(
                f"unknown collection {collection!r}; choose one of "
                f"{', '.join(sorted(self.indexes.collections))}"
            )
        if not fold(query):
            raise InvalidInput("query has no letters or digits; type at least one word")
        index = self.indexes[collection]
        pool = max(k * 5, 50)
        qv = self.encoder.encode([query])[0]
        dense_hits: list[Hit] = index.dense_search(qv[None, :], pool)[0]
        lexical_hits = index.lexical_search(query, pool)
        dense = {h.row: h.score for h in dense_hits}
        lexical = {h.row: h.score for h in lexical_hits}
        rows = set(dense) | set(lexical)
        if not rows:
            return []
        vectors = index.vectors()
        results = []
        for row in rows:
            d = dense.get(row)
            if d is None:
                d = float(np.dot(vectors[row], qv))
            lx = lexical.get(row, 0.0)
            code = index.ids[row]
            label = (
                self.referential.fiches[code].label
                if collection == "fiches"
                else self.referential.label_of(code)
            )
            results.append(
                SearchResult(code, label, DENSE_WEIGHT * d + (1 - DENSE_WEIGHT) * lx, d, lx)
            )
        results.sort(key=lambda r: -r.score)
        return results[:k]
