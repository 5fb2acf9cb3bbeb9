"""What an index folder says of itself (`manifest.json`): typed, written and read here only."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from indexing.errors import IndexMismatch


class _Stamp(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EncoderStamp(_Stamp):
    name: str
    fingerprint: str
    dim: int


class ReferentialStamp(_Stamp):
    release: str
    checksum: str


class CollectionStamp(_Stamp):
    documents: int
    seconds: float


class IndexManifest(_Stamp):
    format_version: str
    key: str
    # Folders built before the field had its name say "created_at"; they stay readable.
    built_at: datetime = Field(validation_alias=AliasChoices("built_at", "created_at"))
    build_seconds: float
    encoder: EncoderStamp
    normalisation: str
    referential: ReferentialStamp
    collections: dict[str, CollectionStamp]
    dense: str
    lexical: str
    versions: dict[str, str | None]

    def write(self, folder: Path) -> None:
        (folder / "manifest.json").write_text(self.model_dump_json(indent=2))

    @classmethod
    def read(cls, folder: Path, format_version: str) -> IndexManifest:
        path = folder / "manifest.json"
        if not path.exists():
            raise IndexMismatch(f"no index at {folder}; run `passerelle build`")
        try:
            raw = json.loads(path.read_text())
            found = raw.get("format_version") if isinstance(raw, dict) else None
            if found != format_version:
                raise IndexMismatch(
                    f"index at {folder} has format {found}, this code reads {format_version}. "
                    "Rebuild it with `passerelle build`."
                )
            return cls.model_validate(raw)
        except (ValueError, ValidationError) as exc:
            raise IndexMismatch(
                f"index manifest {path} is unreadable ({type(exc).__name__}). "
                "Rebuild it with `passerelle build`."
            ) from None
