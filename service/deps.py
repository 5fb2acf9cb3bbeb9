"""FastAPI dependencies: the loaded core and the settings, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from indexing.errors import NotReady
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


Core = Annotated[Passerelle, Depends(get_core)]
AppSettings = Annotated[Settings, Depends(get_settings)]
