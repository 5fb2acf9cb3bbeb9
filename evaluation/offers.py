"""Job offers in the France Travail "Offres d'emploi v2" API format, for evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexing.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class GoldCompetence:
    code: str
    label: str
    required: bool  # exigence "E" (exigé) vs "S" (souhaité)


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    source: str
    title: str
    description: str
    rome_code: str | None
    appellation_label: str | None
    competences: tuple[GoldCompetence, ...]
    qualites: tuple[str, ...]
    naf: str | None

    @property
    def group(self) -> str:
        """The source prefix used to report metrics per group ("ft-api", "ft-it", ...)."""
        parts = self.source.split("-")
        return "-".join(parts[:2]) if len(parts) >= 2 else (self.source or "all")


def _offer(record: dict[str, Any], line: int, path: Path) -> Offer:
    title = record.get("intitule")
    if not isinstance(title, str):
        raise InvalidInput(f"{path}, line {line}: no 'intitule' (title) string")
    return Offer(
        id=str(record.get("id", line)),
        source=str(record.get("source") or ""),
        title=title,
        description=str(record.get("description") or ""),
        rome_code=record.get("romeCode") or None,
        appellation_label=record.get("appellationlibelle") or None,
        competences=tuple(
            GoldCompetence(
                str(c.get("code", "")), str(c.get("libelle", "")), c.get("exigence") == "E"
            )
            for c in record.get("competences") or []
            if isinstance(c, dict)
        ),
        qualites=tuple(
            str(q.get("libelle", "")) if isinstance(q, dict) else str(q)
            for q in record.get("qualitesProfessionnelles") or []
        ),
        naf=record.get("codeNAF") or None,
    )


def load_offers(path: Path) -> list[Offer]:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    offers = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path}, line {line_no}: not JSON ({exc.msg})") from None
            offers.append(_offer(record, line_no, path))
    return offers
