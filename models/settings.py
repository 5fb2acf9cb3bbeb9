"""What the core needs to load: one typed, validated object, read from PASSERELLE_* variables.

The service's settings (`service/settings.py`) extend it with what only a server has (bind
address, gates, access log); the command line, the notebooks and the evaluation read this one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.cv.isolation import IsolationLimits, MiB

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENTIAL = PROJECT_ROOT / "data" / "rome" / "v460.zip"
DEFAULT_CACHE = PROJECT_ROOT / ".cache" / "passerelle"

# The server's settings (`service/settings.py`; a test keeps this list in step with it), and
# the variables of the PASSERELLE_ family that the project's scripts and notebooks read.
SERVER_SETTINGS = frozenset(
    {
        "host",
        "port",
        "allow_public_bind",
        "search_max_k",
        "emerging",
        "access_log",
        "heavy_requests",
        "heavy_queue",
        "heavy_wait_seconds",
    }
)
OTHER_VARIABLES = frozenset(
    {
        "PASSERELLE_EXTRAS",  # scripts/env.sh: which extras to install
        "PASSERELLE_NB_OFFERS",  # the evaluation notebooks' inputs
        "PASSERELLE_NB_GOLD",
        "PASSERELLE_NB_DOCUMENTS",
        "PASSERELLE_NB_PLANTED",
        "PASSERELLE_LOAD_OFFERS",  # the load benchmark's inputs
        "PASSERELLE_LOAD_SEED",
    }
)


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

    @model_validator(mode="after")
    def _refuse_unknown_variables(self) -> CoreSettings:
        # A misspelt variable would otherwise leave its setting at the default, silently.
        known = {
            f"PASSERELLE_{name.upper()}" for name in {*CoreSettings.model_fields, *SERVER_SETTINGS}
        }
        unknown = sorted(
            name
            for name in os.environ
            if name.upper().startswith("PASSERELLE_")
            and name.upper() not in known | OTHER_VARIABLES
        )
        if unknown:
            raise ValueError(
                f"unknown setting(s) {', '.join(unknown)}; the settings are "
                f"{', '.join(sorted(known))} (README, Configuration)"
            )
        return self

    def encoder_threads(self) -> int:
        return self.threads or len(os.sched_getaffinity(0))

    def cv_limits(self) -> IsolationLimits:
        return IsolationLimits(
            workers=self.cv_workers,
            cpu_seconds=self.cv_cpu_seconds,
            wall_seconds=self.cv_cpu_seconds + 0.5,
            memory_bytes=self.cv_memory_mib * MiB,
        )
