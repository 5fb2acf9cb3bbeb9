"""A bound on heavy requests in flight, so that one caller cannot starve the others.

Heavy routes (encoding, tagging, parsing, matching) are CPU-bound: past a few per core they
only queue in the thread pool and every reply gets slower. Past `limit` in flight a request
waits its turn, at most `wait_seconds` and behind at most `queue` others; otherwise it gets
a 503 with `Retry-After` at once. Light routes (health, referential reads, autocomplete)
never wait here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from indexing.errors import Busy
from service.errors import domain_response


@dataclass(frozen=True, slots=True)
class HeavyLimits:
    limit: int = 2
    queue: int = 16
    wait_seconds: float = 5.0


class HeavyGate:
    """The count of heavy requests in flight and waiting; one per app."""

    def __init__(self, limits: HeavyLimits) -> None:
        self.limits = limits
        self.in_flight = 0
        self.waiting = 0
        self._slots: asyncio.Semaphore | None = None  # made in the server's event loop

    async def enter(self) -> bool:
        """Take a slot, waiting in line if there is room in it; False when busy."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limits.limit)
        if self._slots.locked() and self.waiting >= self.limits.queue:
            return False
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.limits.wait_seconds)
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1
        self.in_flight += 1
        return True

    def leave(self) -> None:
        assert self._slots is not None
        self.in_flight -= 1
        self._slots.release()

    def busy(self) -> Busy:
        retry = max(1, round(self.limits.wait_seconds / 2))
        return Busy(
            f"the service is at its limit of {self.limits.limit} heavy requests at once, with "
            f"{self.limits.queue} waiting; retry in {retry} s, or send smaller batches less "
            "often",
            retry_after=retry,
        )


class HeavyRouteLimiter:
    """ASGI middleware: requests to `paths` go through the gate."""

    def __init__(self, app: ASGIApp, gate: HeavyGate, paths: Collection[str]) -> None:
        self.app = app
        self.gate = gate
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        if not await self.gate.enter():
            await domain_response(self.gate.busy())(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.leave()
