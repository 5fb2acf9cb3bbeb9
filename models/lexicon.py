"""French words, so that spelling correction leaves real words alone.

The words are the lemmatiser tables that the spaCy French pipeline (fr_core_news_sm, already
installed for emerging-skill detection) ships: about 94,000 folded lemmas and forms. Only the
tables are read, not the pipeline; still, importing spaCy and folding the tables takes ~3.5 s,
so the folded list is kept in the cache folder, keyed by the package version and the folding
(~50 ms to read).
"""

from __future__ import annotations

import os
from pathlib import Path

from indexing.errors import ArtifactMissing
from indexing.textnorm import NORMALISATION_VERSION, fold


class LexiconMissing(ArtifactMissing):
    """fr_core_news_sm or its lemmatiser tables are not installed."""


def _package() -> tuple[Path, str]:
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    spec = find_spec("fr_core_news_sm")
    if spec is None or spec.origin is None:
        raise LexiconMissing("fr_core_news_sm is not installed; run `bash scripts/env.sh`")
    try:
        release = version("fr-core-news-sm")
    except PackageNotFoundError:  # pragma: no cover - importable yet without metadata
        release = "unknown"
    return Path(spec.origin).parent, release


def _read_tables(package: Path) -> frozenset[str]:
    from spacy.lookups import Lookups

    folders = sorted(package.glob("*/lemmatizer/lookups"))
    if not folders:
        raise LexiconMissing(f"no lemmatizer tables under {package}; reinstall fr-core-news-sm")
    lookups = Lookups().from_disk(folders[-1])
    written: set[str] = set()
    for words in lookups.get_table("lemma_index").values():
        written.update(words)
    for words in lookups.get_table("lemma_lookup").values():
        written.update(words)
    # One fold over all the words at once: folding 100,000 words one by one takes 4 s.
    return frozenset(fold(" ".join(written)).split())


def french_words(cache_dir: Path | None = None) -> frozenset[str]:
    """Folded French lemmas and word forms ("partiel", "proche", "traumatologue")."""
    package, release = _package()
    if cache_dir is None:
        return _read_tables(package)
    # Folded words: a new folding (NORMALISATION_VERSION) must not read the old list.
    path = cache_dir / f"french-words-{release}-n{NORMALISATION_VERSION}.txt"
    if path.exists():
        return frozenset(path.read_text(encoding="utf-8").split())
    words = _read_tables(package)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text("\n".join(sorted(words)), encoding="utf-8")
    tmp.replace(path)  # atomic: a concurrent start never reads half a list
    return words
