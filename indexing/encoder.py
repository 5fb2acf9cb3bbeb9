"""The one thing indexing needs from a text encoder.

Concrete encoders live in `models.encoders` and are handed in by whoever builds (the CLI, the
service), so this package never imports a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors; cosine similarity is the dot product."""

    @property
    def name(self) -> str:
        """Stable identifier, e.g. "e5-small-int8"."""
        ...

    @property
    def fingerprint(self) -> str:
        """Checksum of the weights: an index built with other weights must be rebuilt."""
        ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Shape (len(texts), dim). Texts are encoded the same way for queries and documents."""
        ...
