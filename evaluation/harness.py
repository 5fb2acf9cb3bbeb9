"""One harness for every task's evaluation: named metrics with a primary one, bootstrap 95 %
confidence intervals on the headline metrics, and what was measured with what (encoder,
indexes, referential release, data checksum), appended to a JSONL run log that
`passerelle eval compare` reads.

Each `run_*` function imports the same task models the service uses and returns a `Run`.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexing.errors import InvalidInput
from indexing.textnorm import clean_offer_title, fold
from models.runtime import Passerelle
from models.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from evaluation.offers import Offer

BOOTSTRAP_ITERATIONS = 1000


@dataclass(frozen=True, slots=True)
class Run:
    task: str
    primary: str
    metrics: dict[str, Any]
    ci95: dict[str, tuple[float, float]]  # headline metric → (low, high), bootstrap
    n: int
    data: dict[str, str]  # path and sha256 of what was evaluated
    context: dict[str, Any]  # encoder, indexes, referential, code version
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    id: str = ""
    at: str = ""

    def headline(self) -> str:
        value = self.metrics.get(self.primary)
        ci = self.ci95.get(self.primary)
        text = f"{value}" if ci is None else f"{value} [{ci[0]}, {ci[1]}]"
        return f"{self.task}: {self.primary} = {text}"


def bootstrap_ci(
    values: Sequence[float | None],
    iterations: int = BOOTSTRAP_ITERATIONS,
    seed: int = 0,
    clusters: Sequence[Hashable] | None = None,
) -> tuple[float, float] | None:
    """95 % interval of the mean of per-item values (percentile bootstrap, seeded). With
    `clusters` (one key per value), whole clusters are resampled: copies of one offer are one
    observation, and resampling them apart would make the interval too narrow."""
    keys = list(clusters) if clusters is not None else list(range(len(values)))
    by_cluster: dict[Hashable, list[float]] = {}
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            by_cluster.setdefault(key, []).append(value)
    if sum(len(v) for v in by_cluster.values()) < 2:
        return None
    groups = [(sum(v), len(v)) for v in by_cluster.values()]
    rng = random.Random(seed)
    means = []
    for _ in range(iterations):
        drawn = rng.choices(groups, k=len(groups))
        means.append(sum(s for s, _ in drawn) / sum(n for _, n in drawn))
    means.sort()
    return round(means[int(0.025 * iterations)], 4), round(means[int(0.975 * iterations) - 1], 4)


def offer_clusters(offers: Sequence[Offer]) -> list[tuple[int, str]]:
    """One key per offer, shared by its reposts: a near-copy of the description (see
    `models.reposts`) under the same title. A fifth of the dev offers copy another."""
    from models.reposts import repost_groups

    groups = repost_groups([o.description for o in offers])
    return [(g, fold(clean_offer_title(o.title).main)) for g, o in zip(groups, offers, strict=True)]


def checksum(path: Path) -> str:
    """sha256 of a file, or of a folder's files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def context_of(core: Passerelle) -> dict[str, Any]:
    release = core.referential.release
    manifest = core.indexes.manifest
    return {
        "referential": {"version": release.version, "checksum": release.checksum[:16]},
        "encoder": {"name": core.encoder.name, "fingerprint": core.encoder.fingerprint[:16]},
        "indexes": {"key": manifest.key, "built_at": manifest.built_at.isoformat()},
        "code": _git_commit(),
    }


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _finish(run: Run, started: float) -> Run:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    seed = f"{run.task}{at}{run.data.get('sha256', '')}{json.dumps(run.metrics, sort_keys=True)}"
    return Run(
        **{
            **asdict(run),
            "seconds": round(time.perf_counter() - started, 2),
            "at": at,
            "id": hashlib.sha1(seed.encode()).hexdigest()[:10],
        }
    )


def _cis(
    rows: Sequence[dict[str, float | None]],
    names: Iterable[str],
    clusters: Sequence[Hashable] | None = None,
) -> dict[str, Any]:
    out = {}
    for name in names:
        ci = bootstrap_ci([r.get(name) for r in rows], clusters=clusters)
        if ci is not None:
            out[name] = ci
    return out


# --- tasks ------------------------------------------------------------------------------------


def run_titles(core: Passerelle, offers_path: Path, use_description: bool = True) -> Run:
    from evaluation.offers import load_offers
    from evaluation.titles import per_offer, resolve_offers, summarise

    started = time.perf_counter()
    offers = load_offers(offers_path)
    outcomes = resolve_offers(core.titles, offers, use_description)
    rows = [per_offer(o, core.referential) for o in outcomes]
    metrics = summarise(outcomes, core.referential)
    return _finish(
        Run(
            task="titles",
            primary="rome_top1",
            metrics=metrics,
            ci95=_cis(rows, ("rome_top1", "rome_top5", "appellation_top1"), offer_clusters(offers)),
            n=int(metrics["n"]),  # type: ignore[call-overload]
            data={"path": str(offers_path), "sha256": checksum(offers_path)},
            context=context_of(core),
            params={"use_description": use_description},
        ),
        started,
    )


def run_competences(core: Passerelle, offers_path: Path) -> Run:
    from evaluation.competences import extract_offers, per_offer, summarise
    from evaluation.offers import load_offers

    started = time.perf_counter()
    offers = [o for o in load_offers(offers_path) if o.competences or o.qualites]
    outcomes = extract_offers(core.competences, offers)
    old = core.competences.config.old_labels
    rows = [per_offer(o, core.referential, old) for o in outcomes]
    metrics = summarise(outcomes, core.referential, old)
    return _finish(
        Run(
            task="competences",
            primary="rp@5",
            metrics=metrics,
            ci95=_cis(
                rows, ("rp@5", "recall@10", "macro_rp@5", "savoir_etre_f1"), offer_clusters(offers)
            ),
            n=int(metrics["n"]),  # type: ignore[call-overload]
            data={"path": str(offers_path), "sha256": checksum(offers_path)},
            context=context_of(core),
        ),
        started,
    )


def run_cvs(core: Passerelle, folder: Path) -> Run:
    from evaluation.cvs.evaluate import evaluate_folder

    started = time.perf_counter()
    metrics, outcomes = evaluate_folder(core.cvs, folder)
    titles = [{"t": float(t)} for o in outcomes for t in o.titles]
    sections = [{"s": float(s)} for o in outcomes for s in o.sections]
    recall = [{"r": sum(o.competences) / len(o.competences)} for o in outcomes if o.competences]
    ci95 = {
        name: ci
        for name, rows, key in (
            ("experience_title_rome_top1", titles, "t"),
            ("section_accuracy", sections, "s"),
            ("competence_recall@10", recall, "r"),
        )
        if (ci := bootstrap_ci([r[key] for r in rows])) is not None
    }
    return _finish(
        Run(
            task="cvs",
            primary="experience_title_rome_top1",
            metrics=metrics,
            ci95=ci95,
            n=len(outcomes),
            data={"path": str(folder), "sha256": checksum(folder)},
            context=context_of(core),
        ),
        started,
    )


def run_mobility(core: Passerelle) -> Run:
    from evaluation.mobility import evaluate, per_source_recall

    started = time.perf_counter()
    proximity = core.mobility.proximity
    pairs = proximity.all_pairs()  # 1,584² per block: computed once for both
    metrics = evaluate(proximity, pairs=pairs)
    held_out = per_source_recall(proximity, part="held_out", pairs=pairs)
    ci = bootstrap_ci(held_out)
    return _finish(
        Run(
            task="mobility",
            primary="held_out_recall@10",
            metrics={
                **metrics,
                "held_out_recall@10": metrics["proximity"]["held_out"]["recall@10"],
            },
            ci95={"held_out_recall@10": ci} if ci else {},
            n=int(metrics["n_sources"]),
            data={
                "path": "referential mobility links",
                "sha256": core.referential.release.checksum,
            },
            context=context_of(core),
        ),
        started,
    )


def run_matching(core: Passerelle, n_fiches: int = 300, seed: int = 0) -> Run:
    from evaluation.matching import evaluate

    started = time.perf_counter()
    metrics = evaluate(core.matcher, n_fiches=n_fiches, seed=seed)
    return _finish(
        Run(
            task="matching",
            primary="neighbour_win_rate",
            metrics={**metrics, "neighbour_win_rate": metrics["neighbour_win_rate"]["win_rate"]},
            ci95={},
            n=int(metrics["n_fiches"]),
            data={
                "path": f"synthetic from fiches, seed {seed}",
                "sha256": core.referential.release.checksum,
            },
            context=context_of(core),
            params={"n_fiches": n_fiches, "seed": seed},
        ),
        started,
    )


def run_emerging(
    core: Passerelle, offers_path: Path, seeds: Sequence[int] = (2,), documents: int = 400
) -> Run:
    """The hold-out simulation on each seed, pooled. One seed's 30 plants move by two or three
    when encoder vectors move in their fourth decimal (newer packages did that), so the
    pooled figure over several seeds is the one to compare changes with."""
    from evaluation.emerging import evaluate_holdout, evaluate_titles
    from evaluation.offers import load_offers

    if not seeds:
        raise InvalidInput("give at least one seed for the hold-out simulation")
    started = time.perf_counter()
    detector = core.load_emerging()
    texts = [o.description for o in load_offers(offers_path)][:documents]
    runs = [
        evaluate_holdout(core.referential, detector, core.indexes, texts, seed=seed)
        for seed in seeds
    ]
    titles = evaluate_titles(core.referential, detector, core.indexes)
    # Per planted held-out item: found among the top 50 or not. 30 items make a wide interval;
    # each seed's items are drawn apart, so they are independent observations.
    found = [0.0 if rank is None else 1.0 for run in runs for rank in run["found_at_ranks"]]
    ci = bootstrap_ci(found)
    metrics: dict[str, Any]
    if len(runs) == 1:
        metrics = {k: v for k, v in runs[0].items() if k not in ("missed", "found_at_ranks")}
    else:
        flagged = [float(run["kept_flagged_share@50"]) for run in runs]
        metrics = {
            "seeds": list(seeds),
            "planted_held_out": sum(int(run["planted_held_out"]) for run in runs),
            "holdout_recall@50": round(sum(found) / max(1, len(found)), 4),
            "holdout_recall@50_by_seed": [run["holdout_recall@50"] for run in runs],
            "kept_flagged_share@50": round(sum(flagged) / len(flagged), 4),
            "kept_flagged_share@50_by_seed": flagged,
        }
    return _finish(
        Run(
            task="emerging",
            primary="holdout_recall@50",
            metrics={**metrics, **titles},
            ci95={"holdout_recall@50": ci} if ci else {},
            n=len(found),
            data={"path": str(offers_path), "sha256": checksum(offers_path)},
            context=context_of(core),
            params={"seeds": list(seeds), "documents": documents},
        ),
        started,
    )


# --- log --------------------------------------------------------------------------------------


def append(log: Path, run: Run) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(run), ensure_ascii=False) + "\n")


def read_log(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]


def compare(
    runs: Sequence[dict[str, Any]], a: str | None = None, b: str | None = None
) -> list[dict[str, Any]]:
    """Metric by metric, run `a` against run `b` (ids); by default, for each task, its last
    run against the one before."""
    by_id = {r["id"]: r for r in runs}
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    if a and b:
        if a not in by_id or b not in by_id:
            missing = a if a not in by_id else b
            raise KeyError(f"no run {missing!r} in the log")
        pairs.append((by_id[a], by_id[b]))
    else:
        last: dict[str, list[dict[str, Any]]] = {}
        for run in runs:
            last.setdefault(run["task"], []).append(run)
        pairs = [(rs[-2], rs[-1]) for rs in last.values() if len(rs) >= 2]
    rows = []
    for old, new in pairs:
        for name, value in new["metrics"].items():
            before = old["metrics"].get(name)
            if isinstance(value, int | float) and isinstance(before, int | float):
                rows.append(
                    {
                        "task": new["task"],
                        "metric": name,
                        "before": before,
                        "after": value,
                        "delta": round(value - before, 4),
                        "primary": name == new["primary"],
                        "runs": f"{old['id']} → {new['id']}",
                        "same_data": old["data"].get("sha256") == new["data"].get("sha256"),
                    }
                )
    return rows
