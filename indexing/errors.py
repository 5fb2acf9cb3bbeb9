"""The error vocabulary shared by every layer; `service/errors.py` maps it to HTTP.

    PasserelleError
    ├── ReferentialError   the release files cannot be loaded (file, row, fix)
    ├── IndexMismatch      artifacts missing or built for another encoder/referential
    ├── UnknownCode        a code the referential does not contain          → 404
    ├── InvalidInput       input the task models cannot accept              → 422
    ├── InputTooLarge      input over a documented limit                     → 413
    ├── UnsupportedFormat  a document type we do not read (a CV as an image)  → 415
    ├── NotReady           used before its heavy parts were loaded           → 503
    └── Busy               every worker for this kind of request is taken   → 503 + Retry-After

Messages say what to do.
"""

from __future__ import annotations


class PasserelleError(Exception):
    """Base of every error Passerelle raises on purpose."""


class ReferentialError(PasserelleError, ValueError):
    """The release cannot be loaded; the message names the file, the row and the fix."""


class IndexMismatch(PasserelleError, RuntimeError):
    """Artifacts built for another encoder or referential, or missing."""


class UnknownCode(PasserelleError, KeyError):
    """A code that the referential does not contain."""

    def __init__(self, kind: str, code: str) -> None:
        super().__init__(code)
        self.kind = kind
        self.code = code

    def __str__(self) -> str:
        return f"unknown {self.kind} code {self.code!r}"


class InvalidInput(PasserelleError, ValueError):
    """Input that cannot be processed; the message says what is accepted."""


class InputTooLarge(PasserelleError, ValueError):
    """Input over a documented size limit."""


class UnsupportedFormat(PasserelleError, ValueError):
    """A document format we cannot read; the message lists the accepted ones."""


class NotReady(PasserelleError, RuntimeError):
    """A component was used before `load()`/initialisation."""


class Busy(PasserelleError, RuntimeError):
    """Every worker for this kind of request is taken; retry after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after
