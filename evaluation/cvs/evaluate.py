"""`passerelle eval cvs`: parse every CV file of a folder and compare with its gold labels.

Metrics (JSON keys):
- `experience_title_rome_top1`: gold experiences whose parsed counterpart (same title as
  written, else same position) has the gold fiche first; a missed experience counts as wrong.
- `section_accuracy`: for each gold section, its probe line (its last line as rendered) lies in
  a parsed section of the same type.
- `competence_recall@10`: gold key competences among the profile's first ten (found, then
  suggested).
- `duration_accuracy`: parsed experiences whose months equal the gold months.
- `languages_recall`, `licences_recall`; `seconds_p50` / `seconds_max` per file.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from evaluation.cvs.dataset import REFERENCE_DATE
from evaluation.cvs.render import iter_gold
from evaluation.metrics import mean, with_groups
from indexing.textnorm import fold
from models.cv.parser import CVParse, CVParser, Experience


@dataclass(frozen=True, slots=True)
class CVOutcome:
    file: str
    sector: str
    titles: tuple[bool, ...]
    sections: tuple[bool, ...]
    competences: tuple[bool, ...]
    durations: tuple[bool, ...]
    languages: tuple[bool, ...]
    licences: tuple[bool, ...]
    seconds: float


def _match(parsed: tuple[Experience, ...], title: str, position: int) -> Experience | None:
    for exp in parsed:
        if fold(exp.title) == fold(title):
            return exp
    return parsed[position] if position < len(parsed) else None


def _section_of(result: CVParse, probe: str) -> str | None:
    # The probe as rendered may be wrapped or re-spaced by the PDF: match its first words
    # across any whitespace.
    words = probe.split()[:6]
    pattern = r"^\W*" + r"\s+".join(re.escape(w) for w in words)
    found = re.search(pattern, result.text, re.IGNORECASE | re.MULTILINE)
    if found is None:
        return None
    for section in result.sections:
        if section.span.start <= found.start() <= section.span.end:
            return section.type.value
    return None


def judge(result: CVParse, gold: dict[str, Any], seconds: float) -> CVOutcome:
    titles, durations = [], []
    for i, g in enumerate(gold["experiences"]):
        exp = _match(result.experiences, g["title"], i)
        best = exp.job.best if exp is not None and exp.job is not None else None
        titles.append(best is not None and best.fiche.code_rome == g["rome"])
        if g.get("months") is not None:
            durations.append(exp is not None and exp.months == g["months"])
    ranked = result.ranked()[:10]
    names = {lang.name for lang in result.languages}
    cats = {c for c, _ in result.licences}
    return CVOutcome(
        file=gold["file"],
        sector=gold["sector"],
        titles=tuple(titles),
        sections=tuple(_section_of(result, s["probe"]) == s["type"] for s in gold["sections"]),
        competences=tuple(c in ranked for c in gold["competences"]),
        durations=tuple(durations),
        languages=tuple(lang in names for lang in gold["languages"]),
        licences=tuple(cat in cats for cat in gold["licences"]),
        seconds=seconds,
    )


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarise(outcomes: list[CVOutcome]) -> dict[str, object]:
    def block(items: Any) -> dict[str, Any]:
        seconds = [o.seconds for o in items]
        return {
            "n": len(items),
            "experience_title_rome_top1": _rate([t for o in items for t in o.titles]),
            "section_accuracy": _rate([s for o in items for s in o.sections]),
            "competence_recall@10": mean(_rate(list(o.competences)) for o in items),
            "duration_accuracy": _rate([d for o in items for d in o.durations]),
            "languages_recall": _rate([x for o in items for x in o.languages]),
            "licences_recall": _rate([x for o in items for x in o.licences]),
            "seconds_p50": round(statistics.median(seconds), 4) if seconds else None,
            "seconds_max": round(max(seconds), 4) if seconds else None,
        }

    return with_groups(outcomes, lambda o: o.file.rsplit(".", 1)[-1], block)


def evaluate_folder(parser: CVParser, folder: Path) -> tuple[dict[str, object], list[CVOutcome]]:
    today = date.fromisoformat(REFERENCE_DATE)
    outcomes = []
    for gold in iter_gold(folder):
        name = str(gold["file"])
        data = (folder / name).read_bytes()
        started = time.perf_counter()
        result = parser.parse_bytes(data, None, name, today=today)
        outcomes.append(judge(result, gold, time.perf_counter() - started))
    return summarise(outcomes), outcomes
