"""The FastAPI application factory: settings, lifespan loading, routers, error mapping."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from threadpoolctl import threadpool_limits

from models.emerging import EmergingDetector
from models.runtime import Passerelle
from service import errors, memory
from service.body_limits import BodyLimit
from service.concurrency import HeavyGate, HeavyRouteLimiter
from service.observability import Metrics, Observability, observe_stages
from service.routes import (
    cvs,
    emerging,
    health,
    mobility,
    offers,
    referential,
    titles,
)
from service.routes import metrics as metrics_route
from service.settings import Settings

log = logging.getLogger("passerelle")

Loader = Callable[[Settings], Passerelle]
EmergingLoader = Callable[[Passerelle], EmergingDetector]
# CPU-bound routes: they wait for a slot under the heavy-request limit (service/concurrency.py).
HEAVY_ROUTES = (
    "/v1/titles/resolve",
    "/v1/offers/tag",
    "/v1/offers/tag-batch",
    "/v1/cvs/parse",
    "/v1/mobility",
    "/v1/match",
    "/v1/emerging/analyse",
)


def default_loader(settings: Settings) -> Passerelle:
    return Passerelle.load(settings.core(serving=True))


def default_emerging_loader(core: Passerelle) -> EmergingDetector:
    return core.load_emerging()


def create_app(
    settings: Settings | None = None,
    loader: Loader = default_loader,
    emerging_loader: EmergingLoader = default_emerging_loader,
    defer_background: bool = False,
) -> FastAPI:
    """Build the app. `loader` runs once in the lifespan; tests hand in a tiny core. The
    emerging-skill detector (spaCy, slow to load) loads in a background thread after that, so
    the service is ready without waiting for it; its route answers 503 until then. The CV
    reader processes start then too. With `defer_background`, both start when
    `app.state.start_background()` is called: the server calls it once it listens, so that
    their imports do not hold up its own start on a machine with few cores."""
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
        memory.settle()
        stop_observing = observe_stages(meters)
        started = threading.Event()

        def start_background() -> None:
            if started.is_set():
                return
            started.set()
            core.start_workers()
            if settings.emerging:
                threading.Thread(
                    target=_load_emerging, args=(app, core), name="load-emerging", daemon=True
                ).start()

        app.state.start_background = start_background
        if not defer_background:
            start_background()
        yield
        stop_observing()
        core.close()
        app.state.core = None
        app.state.emerging = None

    def _load_emerging(app: FastAPI, core: Passerelle) -> None:
        try:
            app.state.emerging = emerging_loader(core)
            memory.settle()
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
    meters = Metrics.create()
    app.state.metrics = meters
    meters.watch(app)
    app.state.settings = settings
    app.state.core = None
    app.state.emerging = None
    app.state.emerging_error = None
    errors.install(app)

    gate = HeavyGate(settings.heavy_limits())
    meters.gauge(
        "passerelle_heavy_requests",
        "heavy requests in flight and waiting for a slot",
        lambda: [("in_flight", gate.in_flight), ("waiting", gate.waiting)],
        "state",
    )
    # Added last is outermost: observability sees every reply, the limiter's 503s included.
    app.add_middleware(HeavyRouteLimiter, gate=gate, paths=HEAVY_ROUTES)
    app.add_middleware(BodyLimit)  # an oversize body is refused before it waits for a turn
    app.add_middleware(Observability, metrics=meters)

    app.include_router(health.router)
    app.include_router(referential.router)
    app.include_router(titles.router)
    app.include_router(offers.router)
    app.include_router(cvs.router)
    app.include_router(mobility.router)
    app.include_router(emerging.router)
    app.include_router(metrics_route.router)
    return app
