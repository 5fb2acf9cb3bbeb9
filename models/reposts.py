"""Reposts: near-copies of one document inside a corpus.

Job boards carry the same offer several times (reposted, one per site or city, one per agency
that relays it): about a fifth of the dev offers near-copy another. Counted as separate
documents, a phrase that one employer wrote once looks like a trend. Two documents are copies
when their word 5-shingles overlap by `threshold` (Jaccard) or more; MinHash with banded
locality-sensitive hashing finds the pairs to check without comparing every pair, so a corpus
of many thousand documents costs seconds, and every proposed pair is verified exactly.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Generic, TypeVar

import numpy as np

from indexing.textnorm import fold, plain_text

SHINGLE = 5  # words
THRESHOLD = 0.7  # reposts of one offer differ by place, date and contact: measured 0.7-1.0
_BANDS, _ROWS = 16, 4  # 64 hashes; a pair at Jaccard 0.7 becomes a candidate with p = 0.99
_PRIME = (1 << 31) - 1
_WORD = re.compile(r"\w+")
T = TypeVar("T", int, str)


class DisjointSets(Generic[T]):
    """Union-find over items met on the way; a group's representative is its smallest item."""

    def __init__(self) -> None:
        self._parent: dict[T, T] = {}

    def find(self, x: T) -> T:
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: T, y: T) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self._parent[max(rx, ry)] = min(rx, ry)


def repost_groups(texts: Sequence[str], threshold: float = THRESHOLD) -> list[int]:
    """For each text, the index of the first text of its group of near-copies (itself when it
    copies none). Empty texts copy nothing."""
    shingles = [_shingles(t) for t in texts]
    groups: DisjointSets[int] = DisjointSets()

    rng = np.random.default_rng(0)  # fixed: the same corpus always groups the same way
    a = rng.integers(1, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, s in enumerate(shingles):
        if not s:
            continue
        h = np.fromiter(s, dtype=np.uint64, count=len(s)) % _PRIME
        signature = ((a[:, None] * h[None, :] + b[:, None]) % _PRIME).min(axis=1)
        for band in range(_BANDS):
            key = signature[band * _ROWS : (band + 1) * _ROWS].tobytes()
            buckets[(band, key)].append(i)
    for members in buckets.values():
        # Each text is checked against one member per group already in the bucket, not every
        # member: a bucket of 3,000 copies costs 3,000 checks, not 4.5 million.
        seen: list[int] = []
        for i in members:
            for j in seen:
                if groups.find(i) == groups.find(j):
                    break
                if _jaccard(shingles[i], shingles[j]) >= threshold:
                    groups.union(i, j)
                    break
            else:
                seen.append(i)
    return [groups.find(i) for i in range(len(texts))]


def _shingles(text: str) -> frozenset[int]:
    # One offer relayed by two sites may come once as HTML, once as text.
    words = _WORD.findall(fold(plain_text(text)))
    if not words:
        return frozenset()
    spans = (" ".join(words[k : k + SHINGLE]) for k in range(max(1, len(words) - SHINGLE + 1)))
    # crc32, not hash(): Python salts str hashes per process, and groups must be reproducible.
    return frozenset(zlib.crc32(s.encode()) for s in spans)


def _jaccard(x: frozenset[int], y: frozenset[int]) -> float:
    return len(x & y) / len(x | y)
