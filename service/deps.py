"""FastAPI dependencies: the loaded core and the settings, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from indexing.errors import NotReady
from models.emerging import EmergingDetector
from models.runtime import Passerelle
from service.settings import Settings


def get_core(request: Request) -> Passerelle:
    core: Passerelle | None = getattr(request.app.state, "core", None)
    if core is None:
        raise NotReady("the service is still loading its models; retry in a few seconds")
    return core


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_emerging(request: Request) -> EmergingDetector:
    detector: EmergingDetector | None = getattr(request.app.state, "emerging", None)
    if detector is None:
        error = getattr(request.app.state, "emerging_error", None)
        if error:
            raise NotReady(f"the emerging-skill detector could not load ({error})")
        if not request.app.state.settings.emerging:
            raise NotReady("emerging-skill detection is off (PASSERELLE_EMERGING=false)")
        raise NotReady(
            "the emerging-skill detector is still loading (about 10 s after start); retry"
        )
    return detector


Core = Annotated[Passerelle, Depends(get_core)]
Emerging = Annotated[EmergingDetector, Depends(get_emerging)]
AppSettings = Annotated[Settings, Depends(get_settings)]
