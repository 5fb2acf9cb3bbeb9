"""The FastAPI application factory: settings, lifespan loading, routers, error mapping."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from threadpoolctl import threadpool_limits

from models.emerging import EmergingDetector
from models.runtime import Passerelle
from service import errors
from service.routes import cvs, emerging, health, mobility, offers, referential, titles
from service.settings import Settings

log = logging.getLogger("passerelle")

Loader = Callable[[Settings], Passerelle]
EmergingLoader = Callable[[Passerelle], EmergingDetector]
MAX_BODY_BYTES = 4 * 1024 * 1024  # 20 offers of 50,000 characters fit; a CV upload too
# Matching takes up to 10,000 profiles in one request.
LARGER_BODIES = {"/v1/match": 32 * 1024 * 1024}


def default_loader(settings: Settings) -> Passerelle:
    return Passerelle.load(settings.runtime())


def default_emerging_loader(core: Passerelle) -> EmergingDetector:
    return core.load_emerging()


def create_app(
    settings: Settings | None = None,
    loader: Loader = default_loader,
    emerging_loader: EmergingLoader = default_emerging_loader,
) -> FastAPI:
    """Build the app. `loader` runs once in the lifespan; tests hand in a tiny core. The
    emerging-skill detector (spaCy, slow to load) loads in a background thread after that, so
    the service is ready without waiting for it; its route answers 503 until then."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Requests run in a thread pool; BLAS spreading each small matrix-vector product over
        # every core makes concurrent requests fight for the same cores (measured: 40 → 90
        # requests/s on 2 cores with one BLAS thread). Parallelism comes from requests.
        threadpool_limits(limits=1, user_api="blas")
        core = loader(settings)
        log.info(
            "ready: referential v%s, encoder %s, loaded in %.1fs",
            core.referential.release.version,
            core.encoder.name,
            core.load_seconds,
        )
        app.state.core = core
        if settings.emerging:
            threading.Thread(
                target=_load_emerging, args=(app, core), name="load-emerging", daemon=True
            ).start()
        yield
        app.state.core = None
        app.state.emerging = None

    def _load_emerging(app: FastAPI, core: Passerelle) -> None:
        try:
            app.state.emerging = emerging_loader(core)
            log.info("emerging-skill detector loaded")
        except Exception as exc:  # reported by the route; the rest of the service runs on
            app.state.emerging_error = f"{type(exc).__name__}: {exc}"
            log.error("emerging-skill detector failed to load: %s", exc)

    app = FastAPI(
        title="Passerelle",
        version="0.1.0",
        description="ROME 4.0 (France Travail) made usable by machines: browse, search, "
        "resolve and extract. Data: Licence Ouverte 2.0, source France Travail.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.core = None
    app.state.emerging = None
    app.state.emerging_error = None
    errors.install(app)

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Any]) -> Response:
        # Refuse oversize bodies before reading them (documented limit, 413 not a hang).
        length = request.headers.get("content-length")
        limit = LARGER_BODIES.get(request.url.path, MAX_BODY_BYTES)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return JSONResponse(
                {
                    "error": "InputTooLarge",
                    "message": f"request body over {limit // (1024 * 1024)} MiB; "
                    "send fewer or shorter documents per request",
                },
                status_code=413,
            )
        response: Response = await call_next(request)
        return response

    app.include_router(health.router)
    app.include_router(referential.router)
    app.include_router(titles.router)
    app.include_router(offers.router)
    app.include_router(cvs.router)
    app.include_router(mobility.router)
    app.include_router(emerging.router)
    return app
