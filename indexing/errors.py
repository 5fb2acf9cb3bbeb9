"""The error vocabulary shared by every layer, with the stable public code of each.

`code` is what clients read (`{"error": code, "message": ...}` over HTTP, `error [code]: ...`
on the command line): it never changes when a class is renamed or moved. `service/errors.py`
maps the classes to HTTP statuses; the README's "Errors" table lists every code, with its
status (a test keeps them in step).

    PasserelleError
    ├── ReferentialError   the release files cannot be loaded (file, row, fix)
    ├── IndexMismatch      artifacts built for another encoder or referential
    ├── ArtifactMissing    a built artifact (encoder, lexicon) is not there
    ├── BuildError         an artifact could not be built or failed its check
    ├── ConfigError        a parameter file or setting is malformed
    ├── UnknownCode        a code the referential does not contain
    ├── InvalidInput       input the task models cannot accept
    │   └── UnknownEncoder an encoder name we do not know (its code stays InvalidInput)
    ├── InputTooLarge      input over a documented limit or work budget
    ├── UnsupportedFormat  a document type we do not read (a CV as an image)
    ├── NotReady           used before its heavy parts were loaded
    └── Busy               every worker for this kind of request is taken

Messages say what to do.
"""

from __future__ import annotations

from typing import ClassVar


class PasserelleError(Exception):
    """Base of every error Passerelle raises on purpose."""

    code: ClassVar[str] = "InternalError"


class ReferentialError(PasserelleError, ValueError):
    """The release cannot be loaded; the message names the file, the row and the fix."""

    code = "ReferentialError"


class IndexMismatch(PasserelleError, RuntimeError):
    """Artifacts built for another encoder or referential, or missing."""

    code = "IndexMismatch"


class ArtifactMissing(PasserelleError, RuntimeError):
    """A built artifact is missing or incomplete; the message says which command builds it."""

    code = "ArtifactMissing"


class BuildError(PasserelleError, RuntimeError):
    """An artifact could not be built, or the build failed its own check."""

    code = "BuildError"


class ConfigError(PasserelleError, ValueError):
    """A parameter file or a setting is malformed: the message names the file and the key."""

    code = "ConfigError"


class UnknownCode(PasserelleError, KeyError):
    """A code that the referential does not contain."""

    code = "UnknownCode"

    def __init__(self, kind: str, code: str) -> None:
        super().__init__(code)
        self.kind = kind
        self.code_value = code

    def __str__(self) -> str:
        return f"unknown {self.kind} code {self.code_value!r}"


class InvalidInput(PasserelleError, ValueError):
    """Input that cannot be processed; the message says what is accepted."""

    code = "InvalidInput"


class UnknownEncoder(InvalidInput):
    """An encoder name that the registry does not know."""


class InputTooLarge(PasserelleError, ValueError):
    """Input over a documented size limit."""

    code = "InputTooLarge"


class UnsupportedFormat(PasserelleError, ValueError):
    """A document format we cannot read; the message lists the accepted ones."""

    code = "UnsupportedFormat"


class NotReady(PasserelleError, RuntimeError):
    """A component was used before `load()`/initialisation."""

    code = "NotReady"


class Busy(PasserelleError, RuntimeError):
    """Every worker for this kind of request is taken; retry after `retry_after` seconds."""

    code = "Busy"

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after
