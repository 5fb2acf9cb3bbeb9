"""How many bytes a request body may carry, counted as they arrive.

`Content-Length` is not trusted: a chunked upload has none, and a client may lie. The
middleware counts the bytes the server hands the app and, past the route's limit, stops the
read with a 413 in the documented shape (the endpoint never sees a partial body).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexing.errors import InputTooLarge
from service import memory
from service.errors import domain_response
from service.memory import LARGE_BODY_BYTES

MiB = 1024 * 1024
MAX_BODY_BYTES = 4 * MiB  # 20 offers of 50,000 characters fit; a CV upload too
# Matching takes up to 10,000 profiles in one request.
ROUTE_BODY_BYTES: Mapping[str, int] = {"/v1/match": 32 * MiB}


class BodyTooLarge(HTTPException):
    """Raised from `receive` while the app reads the body; FastAPI lets HTTP errors through
    its body parsing, and the app's handler answers them in the documented shape."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=_message(limit))


def _message(limit: int) -> str:
    return f"request body over {limit // MiB} MiB; send fewer or shorter documents per request"


def limit_of(path: str) -> int:
    return ROUTE_BODY_BYTES.get(path, MAX_BODY_BYTES)


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_of(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await domain_response(InputTooLarge(_message(limit)))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
        if received > LARGE_BODY_BYTES:
            memory.give_back()
