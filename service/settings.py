"""Deployment settings: one typed object, from environment variables prefixed PASSERELLE_."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.cv.isolation import IsolationLimits, MiB
from models.runtime import DEFAULT_CACHE, DEFAULT_REFERENTIAL, RuntimeConfig
from service.concurrency import HeavyLimits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_", extra="ignore")

    referential: Path = Field(DEFAULT_REFERENTIAL, description="RefRomeCsv folder or zip")
    cache_dir: Path = Field(DEFAULT_CACHE, description="built encoder and index artifacts")
    encoder: Literal["e5", "use", "fake"] = "e5"
    threads: int | None = Field(
        None,
        ge=1,
        le=64,
        description="inference threads per encoder call; by default every core for the "
        "command line, and cores ÷ heavy requests for the service, whose requests run in "
        "parallel (more threads than cores starve the event loop that answers /health)",
    )
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
    cv_workers: int = Field(2, ge=1, le=64, description="CV file reader processes")
    cv_cpu_seconds: int = Field(4, ge=1, le=600, description="CPU time one CV file may take")
    cv_memory_mib: int = Field(768, ge=256, le=65_536, description="memory of a CV reader")

    @model_validator(mode="after")
    def _refuse_unsafe_bind(self) -> Settings:
        # The service has no authentication: exposing it must be a deliberate choice.
        if self.host not in ("127.0.0.1", "localhost", "::1") and not self.allow_public_bind:
            raise ValueError(
                f"host {self.host!r} is not loopback; set PASSERELLE_ALLOW_PUBLIC_BIND=true "
                "if you really mean to expose the unauthenticated service"
            )
        return self

    def runtime(self, serving: bool = False) -> RuntimeConfig:
        reading = IsolationLimits(
            workers=self.cv_workers,
            cpu_seconds=self.cv_cpu_seconds,
            wall_seconds=self.cv_cpu_seconds + 0.5,
            memory_bytes=self.cv_memory_mib * MiB,
        )
        cores = len(os.sched_getaffinity(0))
        threads = self.threads or max(1, cores // (self.heavy_requests if serving else 1))
        return RuntimeConfig(
            self.referential, self.cache_dir, self.encoder, threads, cv_reading=reading
        )

    def heavy_limits(self) -> HeavyLimits:
        return HeavyLimits(self.heavy_requests, self.heavy_queue, self.heavy_wait_seconds)
