from __future__ import annotations

from fastapi import APIRouter

from service.deps import Core
from service.schemas import ATTRIBUTION, Health, Ready

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness")
async def health() -> Health:
    # async: answered on the event loop, never behind heavy work in the thread pool
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Ready,
    summary="Readiness: what is loaded",
    responses={503: {"description": "still loading"}},
)
def ready(core: Core) -> Ready:
    ref = core.referential
    return Ready(
        status="ready",
        release=ref.release.version,
        referential_checksum=ref.release.checksum,
        encoder=core.encoder.name,
        encoder_fingerprint=core.encoder.fingerprint,
        index_key=core.indexes.manifest.key,
        counts=ref.counts(),
        load_seconds=round(core.load_seconds, 2),
        attribution=f"{ATTRIBUTION}, version {ref.release.version}",
    )
