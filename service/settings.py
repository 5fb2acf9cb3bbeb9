"""Deployment settings: the core's settings and what only a server has, from PASSERELLE_*."""

from __future__ import annotations

import os

from pydantic import Field, model_validator

from models.settings import CoreSettings
from service.concurrency import HeavyLimits


class Settings(CoreSettings):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    allow_public_bind: bool = Field(
        False, description="must be true to bind to a non-loopback address"
    )
    search_max_k: int = Field(100, ge=1, le=1000)
    emerging: bool = Field(
        True, description="load the emerging-skill detector (spaCy) in the background at start"
    )
    access_log: bool = Field(
        True, description="one JSON line per request on stdout (route, status, duration)"
    )
    heavy_requests: int = Field(
        2, ge=1, le=256, description="heavy requests (encoding, tagging, parsing) at once"
    )
    heavy_queue: int = Field(16, ge=0, le=10_000, description="heavy requests waiting a turn")
    heavy_wait_seconds: float = Field(
        5.0, gt=0, le=600, description="longest wait for a turn before a 503"
    )

    @model_validator(mode="after")
    def _refuse_unsafe_bind(self) -> Settings:
        # The service has no authentication: exposing it must be a deliberate choice.
        if self.host not in ("127.0.0.1", "localhost", "::1") and not self.allow_public_bind:
            raise ValueError(
                f"host {self.host!r} is not loopback; set PASSERELLE_ALLOW_PUBLIC_BIND=true "
                "if you really mean to expose the unauthenticated service"
            )
        return self

    def core(self, serving: bool = False) -> CoreSettings:
        """The core's part; serving, encoder threads default to cores ÷ heavy requests."""
        cores = len(os.sched_getaffinity(0))
        threads = self.threads or max(1, cores // (self.heavy_requests if serving else 1))
        values = {name: getattr(self, name) for name in CoreSettings.model_fields}
        return CoreSettings.model_construct(**{**values, "threads": threads})

    def heavy_limits(self) -> HeavyLimits:
        return HeavyLimits(self.heavy_requests, self.heavy_queue, self.heavy_wait_seconds)
