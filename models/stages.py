"""Timings of the core's stages, for whoever listens (the service's metrics).

The core says `with stage("cv.read"): ...`; it knows nothing of who observes. With no
subscriber a stage costs one clock read.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
Observer = Callable[[str, float], None]
_observers: list[Observer] = []
_lock = threading.Lock()


def subscribe(observer: Observer) -> Callable[[], None]:
    """Call `observer(stage, seconds)` after each stage; returns the unsubscribe function."""
    with _lock:
        _observers.append(observer)

    def unsubscribe() -> None:
        with _lock:
            if observer in _observers:
                _observers.remove(observer)

    return unsubscribe


@contextmanager
def stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        for observer in tuple(_observers):
            observer(name, seconds)


def timed(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the whole call is the stage `name`."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            with stage(name):
                return function(*args, **kwargs)

        return call

    return wrap
