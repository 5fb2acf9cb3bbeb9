"""Typo-tolerant lexical index: TF-IDF over character 2–4-grams of folded text.

A document may have several surface forms (masculine and feminine labels, long and short
labels); its score is the best of its forms. Kept dependency-free (numpy + scipy) and cheap per
query: a query touches only the columns of its own n-grams.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from indexing.textnorm import fold

NGRAM_SIZES = (2, 3, 4)
COMMON_NGRAM_SHARE = 0.2


def _grams(folded: str) -> Counter[str]:
    padded = f" {folded} "
    return Counter(padded[i : i + n] for n in NGRAM_SIZES for i in range(len(padded) - n + 1))


def char_ngrams(text: str) -> Counter[str]:
    return _grams(fold(text))


class LexicalIndex:
    def __init__(
        self,
        vocabulary: dict[str, int],
        idf: npt.NDArray[np.float32],
        matrix: sparse.csc_matrix,
        starts: npt.NDArray[np.int64],
        words: Sequence[str],
    ) -> None:
        self._vocabulary = vocabulary
        self._idf = idf
        self._matrix = matrix  # rows = forms, grouped by document; CSC for column slicing
        # Raw CSC arrays: a query gathers its columns and sums per row with bincount, which is
        # several times faster than scipy's fancy indexing for one short query.
        self._indptr = np.asarray(matrix.indptr, dtype=np.int64)
        self._rows = np.asarray(matrix.indices, dtype=np.int64)
        self._data = np.asarray(matrix.data, dtype=np.float32)
        self._n_forms = matrix.shape[0]
        # N-grams in more than this many forms (" de", "eur ") weigh little (low idf) but cost
        # most of the query time; they still count in the query norm, just not in the sum.
        self._max_postings = max(50, int(COMMON_NGRAM_SHARE * self._n_forms))
        self._starts = starts  # first form row of each document
        self.words = tuple(words)  # folded words of all forms, for spelling correction

    @property
    def size(self) -> int:
        return len(self._starts)

    @classmethod
    def build(cls, forms_per_doc: Sequence[Sequence[str]]) -> LexicalIndex:
        rows: list[Counter[str]] = []
        starts: list[int] = []
        words: set[str] = set()
        for forms in forms_per_doc:
            starts.append(len(rows))
            for form in forms or [""]:
                folded = fold(form)
                rows.append(_grams(folded))
                words.update(folded.split())
        vocabulary: dict[str, int] = {}
        df: Counter[str] = Counter()
        for grams in rows:
            df.update(grams.keys())
        for gram in sorted(df):
            vocabulary[gram] = len(vocabulary)
        n = len(rows)
        idf = np.array(
            [math.log((1 + n) / (1 + df[g])) + 1.0 for g in sorted(df)], dtype=np.float32
        )
        indptr, indices, data = [0], [], []
        for grams in rows:
            cols = [vocabulary[g] for g in grams]
            vals = np.array([(1.0 + math.log(c)) for c in grams.values()], dtype=np.float32)
            vals *= idf[cols] if cols else 1.0
            norm = float(np.linalg.norm(vals)) or 1.0
            indices.extend(cols)
            data.extend((vals / norm).tolist())
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(n, len(vocabulary)),
        ).tocsc()
        return cls(vocabulary, idf, matrix, np.asarray(starts, dtype=np.int64), sorted(words))

    def _query_vector(self, text: str) -> tuple[list[int], npt.NDArray[np.float32]]:
        grams = char_ngrams(text)
        cols, vals = [], []
        for gram, count in grams.items():
            col = self._vocabulary.get(gram)
            if col is not None:
                cols.append(col)
                vals.append((1.0 + math.log(count)) * float(self._idf[col]))
        # Unknown n-grams still count in the norm: a query full of them matches weakly.
        unknown = [
            (1.0 + math.log(c)) * float(self._idf.max())
            for g, c in grams.items()
            if g not in self._vocabulary
        ]
        norm = math.sqrt(sum(v * v for v in vals) + sum(u * u for u in unknown)) or 1.0
        return cols, np.asarray(vals, dtype=np.float32) / norm

    def scores(self, text: str) -> npt.NDArray[np.float32]:
        """Cosine of the query to every document (best form), shape (size,)."""
        cols, vals = self._query_vector(text)
        if not cols:
            return np.zeros(self.size, dtype=np.float32)
        starts, ends = self._indptr[cols], self._indptr[np.asarray(cols) + 1]
        keep = (ends - starts) <= self._max_postings
        if not keep.any():
            return np.zeros(self.size, dtype=np.float32)
        starts, ends, vals = starts[keep], ends[keep], vals[keep]
        rows = np.concatenate([self._rows[a:b] for a, b in zip(starts, ends, strict=True)])
        weights = np.concatenate(
            [self._data[a:b] * v for a, b, v in zip(starts, ends, vals, strict=True)]
        )
        per_form = np.bincount(rows, weights=weights, minlength=self._n_forms)
        return np.maximum.reduceat(per_form, self._starts).astype(np.float32)

    def search(self, text: str, k: int) -> list[tuple[int, float]]:
        scores = self.scores(text)
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    # --- persistence --------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        grams = sorted(self._vocabulary, key=self._vocabulary.__getitem__)
        (folder / "lexical_vocabulary.json").write_text(json.dumps(grams, ensure_ascii=False))
        (folder / "lexical_words.json").write_text(json.dumps(list(self.words), ensure_ascii=False))
        np.save(folder / "lexical_idf.npy", self._idf)
        np.save(folder / "lexical_starts.npy", self._starts)
        sparse.save_npz(folder / "lexical_matrix.npz", self._matrix)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        grams: Iterable[str] = json.loads((folder / "lexical_vocabulary.json").read_text())
        words = json.loads((folder / "lexical_words.json").read_text())
        matrix = sparse.csc_matrix(sparse.load_npz(folder / "lexical_matrix.npz"))
        return cls(
            {g: i for i, g in enumerate(grams)},
            np.load(folder / "lexical_idf.npy"),
            matrix,
            np.load(folder / "lexical_starts.npy"),
            words,
        )
