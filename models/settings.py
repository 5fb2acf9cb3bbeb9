"""What the core needs to load: one typed, validated object, read from PASSERELLE_* variables.

The service's settings (`service/settings.py`) extend it with what only a server has (bind
address, gates, access log); the command line, the notebooks and the evaluation read this one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.cv.isolation import IsolationLimits, MiB

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENTIAL = PROJECT_ROOT / "data" / "rome" / "v460.zip"
DEFAULT_CACHE = PROJECT_ROOT / ".cache" / "passerelle"


class CoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_", extra="ignore", frozen=True)

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
    cv_workers: int = Field(2, ge=1, le=64, description="CV file reader processes")
    cv_cpu_seconds: int = Field(4, ge=1, le=600, description="CPU time one CV file may take")
    cv_memory_mib: int = Field(768, ge=256, le=65_536, description="memory of a CV reader")

    def encoder_threads(self) -> int:
        return self.threads or len(os.sched_getaffinity(0))

    def cv_limits(self) -> IsolationLimits:
        return IsolationLimits(
            workers=self.cv_workers,
            cpu_seconds=self.cv_cpu_seconds,
            wall_seconds=self.cv_cpu_seconds + 0.5,
            memory_bytes=self.cv_memory_mib * MiB,
        )
