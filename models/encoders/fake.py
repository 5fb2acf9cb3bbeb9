"""A deterministic, model-free encoder for tests and quick local runs.

Each folded word and each word's character trigrams are hashed onto a few dimensions, so texts
sharing words (or most of a misspelt word) are close, and unrelated texts are not. It lets the
ranking and indexing logic be tested in milliseconds without a model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from indexing.encoder import Vectors
from indexing.textnorm import fold


def _bucket(token: str, dim: int) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little") % dim


class FakeEncoder:
    def __init__(self, dim: int = 256) -> None:
        self._dim = dim

    @property
    def name(self) -> str:
        return f"fake-hash-{self._dim}"

    @property
    def fingerprint(self) -> str:
        return f"fake-v1-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in fold(text).split():
                out[row, _bucket("w:" + word, self._dim)] += 1.0
                padded = f"#{word}#"
                for i in range(len(padded) - 2):
                    out[row, _bucket("t:" + padded[i : i + 3], self._dim)] += 0.25
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out
