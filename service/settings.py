"""Deployment settings: one typed object, from environment variables prefixed PASSERELLE_."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.runtime import DEFAULT_CACHE, DEFAULT_REFERENTIAL, RuntimeConfig


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_", extra="ignore")

    referential: Path = Field(DEFAULT_REFERENTIAL, description="RefRomeCsv folder or zip")
    cache_dir: Path = Field(DEFAULT_CACHE, description="built encoder and index artifacts")
    encoder: Literal["e5", "use", "fake"] = "e5"
    threads: int = Field(2, ge=1, le=64, description="inference threads per encoder call")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    allow_public_bind: bool = Field(
        False, description="must be true to bind to a non-loopback address"
    )
    search_max_k: int = Field(100, ge=1, le=1000)
    emerging: bool = Field(
        True, description="load the emerging-skill detector (spaCy) in the background at start"
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

    def runtime(self) -> RuntimeConfig:
        return RuntimeConfig(self.referential, self.cache_dir, self.encoder, self.threads)
