"""What the service tells its operators: a request id on every reply, one JSON access-log line
per request, and Prometheus metrics (`GET /metrics`).

Never logged or labelled: bodies, query strings, path values (a route is named by its
template, e.g. `/v1/fiches/{code_rome}`), API keys or anything else a person sent.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models import stages
from service.errors import internal_error

access_log = logging.getLogger("passerelle.access")
log = logging.getLogger("passerelle")

REQUEST_ID = "x-request-id"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass
class Metrics:
    """One registry per app (tests build many apps in one process)."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    errors: Counter
    stages: Histogram

    @classmethod
    def create(cls) -> Metrics:
        registry = CollectorRegistry()
        return cls(
            registry,
            Counter(
                "passerelle_requests",
                "HTTP requests by route template, method and status",
                ["route", "method", "status"],
                registry=registry,
            ),
            Histogram(
                "passerelle_request_seconds",
                "HTTP request latency by route template",
                ["route", "method"],
                buckets=_LATENCY_BUCKETS,
                registry=registry,
            ),
            Counter(
                "passerelle_errors",
                "error replies by route template and error code",
                ["route", "error"],
                registry=registry,
            ),
            Histogram(
                "passerelle_stage_seconds",
                "time spent in each stage of the core (CV file reading, title resolution, ...)",
                ["stage"],
                buckets=_LATENCY_BUCKETS,
                registry=registry,
            ),
        )

    def gauge(
        self, name: str, doc: str, read: Callable[[], Iterable[tuple[str, float]]], label: str
    ) -> None:
        """A gauge read when /metrics is scraped (cache sizes, workers busy)."""
        self.registry.register(_Callback(name, doc, read, label))

    def watch(self, app: Any) -> None:
        """Gauges of the core the app has loaded, read at scrape time (none while loading)."""

        def core() -> Any:
            return getattr(app.state, "core", None)

        def caches() -> list[tuple[str, float]]:
            loaded = core()
            return list(loaded.cache_sizes().items()) if loaded else []

        def readers() -> list[tuple[str, float]]:
            loaded = core()
            return [("busy", loaded.cv_reader.busy)] if loaded else []

        def release() -> list[tuple[str, float]]:
            loaded = core()
            if not loaded:
                return []
            ref = loaded.referential.release
            return [(f"v{ref.version} {ref.checksum[:12]} {loaded.encoder.name}", 1)]

        self.gauge("passerelle_cache_entries", "entries in each in-memory cache", caches, "cache")
        self.gauge("passerelle_cv_readers", "CV reader processes at work", readers, "state")
        self.gauge(
            "passerelle_release", "the loaded referential release and encoder", release, "release"
        )


class _Callback(Collector):
    def __init__(
        self, name: str, doc: str, read: Callable[[], Iterable[tuple[str, float]]], label: str
    ) -> None:
        self.name, self.doc, self.read, self.label = name, doc, read, label

    def collect(self) -> Iterable[Gauge]:  # type: ignore[override]
        family = GaugeMetricFamily(self.name, self.doc, labels=[self.label])
        for value_label, value in self.read():
            family.add_metric([value_label], value)
        yield family  # type: ignore[misc]


def route_of(scope: Scope) -> str:
    """The template of the route that served this request (the router records it in the
    scope), or "unmatched": never the raw path, whose values may be anything sent."""
    route = scope.get("route")
    return str(getattr(route, "path_format", None) or getattr(route, "path", "unmatched"))


class Observability:
    """Pure ASGI middleware, outermost: request id, access log, metrics, and the last word on
    an unexpected exception (a 500 in the documented shape, logged by type and place only:
    an exception's message may quote what was sent)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = dict(scope["headers"]).get(REQUEST_ID.encode(), b"").decode("latin-1")
        request_id = sent if _GOOD_ID.match(sent) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        reply: dict[str, object] = {"status": 500, "error": None}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                reply["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID.encode(), request_id.encode()))
                message["headers"] = headers
                reply["started"] = True
            elif message["type"] == "http.response.body" and int(str(reply["status"])) >= 400:
                reply["error"] = _error_code(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            log.error(
                "unhandled %s at %s:%s (request %s)",
                type(exc).__name__,
                frame.filename,
                frame.lineno,
                request_id,
            )
            if reply.get("started"):
                raise
            reply["error"] = "InternalError"
            await internal_error()(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self._record(scope["method"], route_of(scope), reply, seconds, request_id)

    def _record(
        self, method: str, route: str, reply: dict[str, object], seconds: float, request_id: str
    ) -> None:
        status = int(str(reply["status"]))
        self.metrics.requests.labels(route, method, str(status)).inc()
        self.metrics.latency.labels(route, method).observe(seconds)
        error = reply.get("error")
        if error:
            self.metrics.errors.labels(route, str(error)).inc()
        access_log.info(
            json.dumps(
                {
                    "ts": round(time.time(), 3),
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    **({"error": error} if error else {}),
                }
            )
        )


def _error_code(body: bytes) -> str | None:
    """The `error` code of one of our error replies (their bodies are small JSON objects)."""
    if len(body) > 65_536:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    code = parsed.get("error") if isinstance(parsed, dict) else None
    return code if isinstance(code, str) else None


def observe_stages(metrics: Metrics) -> Callable[[], None]:
    """Send the core's stage timings to the histogram; returns the function that stops it."""

    def observe(stage: str, seconds: float) -> None:
        metrics.stages.labels(stage).observe(seconds)

    return stages.subscribe(observe)
