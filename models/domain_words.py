"""Which trade a description's words belong to: evidence for a title's domaine professionnel.

e5 reads only the start of a description (see `TitleResolver.context_text`), and the
competence evidence counts only the items a description words almost as ROME does. Neither sees
that a "Plongeur" offer talks of dishes, kitchens and service rather than of diving: the
bag of all its words does. Each fiche is described by the stems of its referential text (its
label, appellations, savoir-faire, savoirs and definition) in a TF-IDF space; a description is
compared with the candidate fiches, and each fiche takes the best similarity found in its
domaine professionnel (G16, M18...).

Why the domaine and not the fiche: word bags tell trades apart, not roles within one. Compared
fiche by fiche, the IT offers' tool names (Java, Spark, AWS, listed by most M18 fiches) pulled
developers towards "Data engineer": ft-it top-1 0.531 → 0.496 on the dev offers, while ft-api
went 0.728 → 0.742. Per domaine: ft-api 0.736, top-5 0.869 → 0.886, ft-it 0.529.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from indexing.referential import Referential
from models.evidence import ReadText
from models.segments import content_stems

# Stems found in more than this share of fiches say nothing of the trade ("assurer", "client").
MAX_DOCUMENT_SHARE = 0.3
# A description with fewer distinct known stems than this (once boilerplate is set aside) says
# too little: "end week mercredi fin" gave a textile fiche a z of 3 for a tutoring offer whose
# job sentences all read as recruiting boilerplate.
MIN_WORDS = 15
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def fiche_words(
    ref: Referential, code: str, item_stems: Callable[[str], tuple[str, ...]] | None = None
) -> str:
    """A fiche's referential text as stems, one run per label or definition sentence (so a stem
    the fiche uses often counts more). `item_stems(code_ogr)` may reuse stems already computed
    (the tagger's `ItemMatcher.item_stems`: 1.6 s less at start-up)."""
    fiche, links = ref.fiches[code], ref.links[code]
    texts = [fiche.label, *(ref.appellations[a].label for a in links.appellations)]
    texts += _SENTENCE.split(fiche.definition) if fiche.definition else []
    runs = [content_stems(text) for text in texts]
    for item in (*links.savoir_faire, *links.savoirs):
        runs.append(item_stems(item) if item_stems else content_stems(ref.label_of(item)))
    return " ".join(" ".join(run) for run in runs)


def bags_of(ref: Referential, item_stems: Callable[[str], tuple[str, ...]] | None = None) -> _TfIdf:
    """The TF-IDF of every fiche's referential text, fiches in code order."""
    return _TfIdf([fiche_words(ref, code, item_stems) for code in sorted(ref.fiches)])


class DomainWords:
    """Build once per referential (1.7 s for v460 on 2 cores), then call `scores` per
    description (1.4 ms for 20 candidates)."""

    def __init__(
        self,
        ref: Referential,
        item_stems: Callable[[str], tuple[str, ...]] | None = None,
        min_words: int = MIN_WORDS,
        bags: _TfIdf | None = None,
    ) -> None:
        """`bags`: the fiches' TF-IDF as `bags_of` made it before (kept between starts)."""
        self.min_words = min_words
        self._codes = sorted(ref.fiches)
        self._row = {code: i for i, code in enumerate(self._codes)}
        self._domain = {code: f.domaine_pro or code[:3] for code, f in ref.fiches.items()}
        self._bags = bags or bags_of(ref, item_stems)
        self._matrix = self._bags.matrix

    def scores(self, read: ReadText, codes: Sequence[str]) -> dict[str, float] | None:
        """z-score of each candidate fiche's domaine (its best fiche's cosine to the
        description) across the candidates; None when there is nothing to compare."""
        if len(codes) < 2 or not read.useful:
            return None
        text = " ".join(" ".join(seg.stems) for seg in read.useful)
        vector = self._bags.transform(text)
        if vector.nnz < self.min_words:
            return None
        rows = [self._row[c] for c in codes]
        sims = np.asarray((self._matrix[rows] @ vector.T).todense()).ravel()
        best: dict[str, float] = {}
        for code, sim in zip(codes, sims, strict=True):
            domain = self._domain[code]
            best[domain] = max(best.get(domain, 0.0), float(sim))
        by_fiche = np.array([best[self._domain[c]] for c in codes])
        std = float(by_fiche.std())
        if std == 0.0:  # every candidate in one domaine: the words cannot choose
            return None
        z = (by_fiche - by_fiche.mean()) / std
        return dict(zip(codes, (float(v) for v in z), strict=True))


class _TfIdf:
    """TF-IDF of space-separated stems, as scikit-learn's `TfidfVectorizer(sublinear_tf=True,
    max_df=MAX_DOCUMENT_SHARE)` computes it (smoothed idf, rows L2-normalised), in a few lines
    of scipy: importing scikit-learn alone cost 1.5 s of the service's start-up."""

    def __init__(self, documents: Sequence[str]) -> None:
        counts = [Counter(doc.split()) for doc in documents]
        df: Counter[str] = Counter(term for c in counts for term in c)
        limit = MAX_DOCUMENT_SHARE * len(documents)
        self.vocabulary = {
            t: i for i, t in enumerate(sorted(t for t, n in df.items() if n <= limit))
        }
        n = len(documents)
        self.idf = np.array(
            [np.log((1 + n) / (1 + df[t])) + 1.0 for t in self.vocabulary], dtype=np.float64
        )
        self.matrix = self._rows(counts)

    def transform(self, text: str) -> sparse.csr_matrix:
        return self._rows([Counter(text.split())])

    def _rows(self, counts: Sequence[Counter[str]]) -> sparse.csr_matrix:
        rows, cols, tf = [], [], []
        for r, c in enumerate(counts):
            for term, k in c.items():
                col = self.vocabulary.get(term)
                if col is not None:
                    rows.append(r)
                    cols.append(col)
                    tf.append(k)
        at = np.array(cols, dtype=np.int64)
        values = (1.0 + np.log(np.array(tf, dtype=np.float64))) * self.idf[at]
        m = sparse.csr_matrix((values, (rows, at)), shape=(len(counts), len(self.vocabulary)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)
