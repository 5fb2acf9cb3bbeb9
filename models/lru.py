"""A small least-recently-used cache that threads can share (the service answers requests from
a thread pool: a plain OrderedDict read then moved could lose its key to another thread's
eviction in between and raise).

Inside `private()`, what caches learn stays in the block and is dropped at its end: CV parsing
runs there, so nothing of a CV outlives its request, while the parse still reuses its own
batched encodings.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Lock
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_PRIVATE: ContextVar[dict[tuple[int, Any], Any] | None] = ContextVar("lru_private", default=None)


@contextmanager
def private() -> Iterator[None]:
    token = _PRIVATE.set({})
    try:
        yield
    finally:
        _PRIVATE.reset(token)


class LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        own = _PRIVATE.get()
        if own is not None and (id(self), key) in own:
            mine: V = own[(id(self), key)]
            return mine
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        own = _PRIVATE.get()
        if own is not None:
            own[(id(self), key)] = value
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        own = _PRIVATE.get()
        if own is not None and (id(self), key) in own:
            return True
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class BoundedCache(Generic[K, V]):
    """A cache for values that are cheap to recompute and asked for very often (a word's
    stems: half a million lookups to load the referential): a plain dict, emptied when full,
    so a lookup takes no lock (one dict read is atomic). `private()` applies as for `LRU`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        own = _PRIVATE.get()
        if own is not None:
            mine: V | None = own.get((id(self), key))
            if mine is not None:
                return mine
        return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        own = _PRIVATE.get()
        if own is not None:
            own[(id(self), key)] = value
            return
        if len(self._items) >= self.size:
            self._items = {}  # a new dict: a reader holding the old one is unaffected
        self._items[key] = value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items = {}
