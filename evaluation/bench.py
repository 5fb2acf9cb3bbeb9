"""Speed benchmarks: in-process latency of the task models and HTTP load on loopback."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from evaluation.offers import Offer
from indexing.textnorm import fold
from models.autocomplete import MIN_CHARS
from models.runtime import Passerelle


@dataclass(frozen=True, slots=True)
class Latency:
    n: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    def as_dict(self) -> dict[str, float | int]:
        return {"n": self.n, "p50_ms": self.p50_ms, "p99_ms": self.p99_ms, "mean_ms": self.mean_ms}


def _latency(samples: Sequence[float]) -> Latency:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Latency(
        len(ordered),
        round(statistics.median(ordered) * 1000, 3),
        round(p99 * 1000, 3),
        round(statistics.fmean(ordered) * 1000, 3),
    )


def time_calls(func: Callable[[str], Any], inputs: Sequence[str], warmup: int = 20) -> Latency:
    for text in inputs[:warmup]:
        func(text)
    samples = []
    for text in inputs:
        t = time.perf_counter()
        func(text)
        samples.append(time.perf_counter() - t)
    return _latency(samples)


def bench_titles(core: Passerelle, titles: Sequence[str]) -> dict[str, Any]:
    """Single-title resolution on distinct titles with a fresh resolver (cold query cache),
    then the same titles again (warm cache: repeated titles are common in production), and
    autocomplete on every prefix of 2+ characters of the first 200 titles."""
    distinct = list(dict.fromkeys(t for t in titles if t.strip()))
    cold = core.titles
    cold.clear_cache()
    warmup = distinct[:20]
    for t in warmup:
        cold.resolve(t)
    measured = distinct[20:] or distinct
    cold_latency = time_calls(cold.resolve, measured, warmup=0)
    warm_latency = time_calls(cold.resolve, measured, warmup=0)
    prefixes = [
        t[:i]
        for t in distinct[:200]
        for i in range(2, min(len(t), 25) + 1)
        if len(fold(t[:i]).replace(" ", "")) >= MIN_CHARS
    ]
    auto = time_calls(lambda q: core.autocomplete.suggest(q, 10), prefixes)
    return {
        "resolve_cold_cache": cold_latency.as_dict(),
        "resolve_warm_cache": warm_latency.as_dict(),
        "autocomplete": auto.as_dict(),
    }


BATCH = 32  # offers per extract_many call, as the CLI batch mode does


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_offers(
    core: Passerelle, offers: Sequence[Offer], repeat: int = 1, cold: bool = False
) -> dict[str, Any]:
    """Batch tagging throughput, single-offer latency, and resident memory along the way.

    `cold`: every pass starts with empty query caches, so repeated passes over a small file
    measure first-time throughput (without it, later passes reuse the first one's vectors).
    """
    texts = [(o.title, o.description) for o in offers if o.description.strip()]
    chars = [len(t) for _, t in texts]
    memory: list[tuple[int, float]] = [(0, round(_rss_mb(), 1))]
    started = time.perf_counter()
    done = 0
    for _ in range(repeat):
        if cold:
            core.clear_caches()
        for start in range(0, len(texts), BATCH):
            chunk = texts[start : start + BATCH]
            core.competences.extract_many([(text, title) for title, text in chunk])
            done += len(chunk)
            if done // 500 > (done - len(chunk)) // 500:
                memory.append((done, round(_rss_mb(), 1)))
    batch_elapsed = time.perf_counter() - started
    # One offer at a time (what a single HTTP request does), on the first 200 offers, with
    # an empty query-vector cache so nothing is reused from the batch pass.
    core.clear_caches()
    by_text = dict((text, title) for title, text in texts[:200])
    single_latency = time_calls(
        lambda text: core.competences.extract(text, by_text[text]), list(by_text)
    )
    return {
        "offers": done,
        "mean_chars": round(statistics.fmean(chars), 0) if chars else 0,
        "batch_size": BATCH,
        "passes": repeat,
        "cold_passes": cold,
        "offers_per_second": round(done / batch_elapsed, 1) if batch_elapsed else 0.0,
        "single_offer_latency": single_latency.as_dict(),
        "rss_mb_by_offers": memory,
    }


async def _load(
    url: str, bodies: Sequence[dict[str, Any]], concurrency: int, max_seconds: float
) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = 0
    next_index = 0
    deadline = time.perf_counter() + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal next_index, errors
        while next_index < len(bodies) and time.perf_counter() < deadline:
            body = bodies[next_index]
            next_index += 1
            t = time.perf_counter()
            try:
                response = await client.post(url, json=body)
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30.0) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    lat = _latency(latencies) if latencies else Latency(0, 0.0, 0.0, 0.0)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "errors": errors,
        "error_rate": round(errors / max(1, len(latencies)), 4),
        "concurrency": concurrency,
        "latency": lat.as_dict(),
    }


def http_load(
    url: str, bodies: Sequence[dict[str, Any]], concurrency: int = 8, max_seconds: float = 60.0
) -> dict[str, Any]:
    """POST each body once to `url` (a loopback service), `concurrency` at a time; bounded in
    count and time."""
    if not url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise ValueError("load tests only target a service on this machine's loopback")
    return asyncio.run(_load(url, bodies, concurrency, max_seconds))


def bench_cvs(core: Passerelle, repeat: int = 20) -> dict[str, Any]:
    """Parse a two-page, two-column PDF CV `repeat` times (after a warm-up parse), in process."""
    import tempfile
    from pathlib import Path

    from evaluation.cvs.render import long_cv, write_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.pdf"
        write_pdf(long_cv(), path, two_columns=True)
        data = path.read_bytes()
    first = core.cvs.parse_bytes(data, "application/pdf")
    samples = []
    for _ in range(max(1, repeat)):
        core.titles.clear_cache()  # every CV is new: no title vector comes from a cache
        started = time.perf_counter()
        core.cvs.parse_bytes(data, "application/pdf")
        samples.append(time.perf_counter() - started)
    return {
        "pages": first.pages,
        "characters": len(first.text),
        "experiences": len(first.experiences),
        "found": len(first.found),
        "latency": {**_latency(samples).as_dict(), "max_ms": round(max(samples) * 1000, 3)},
    }


def bench_matching(
    core: Passerelle, n_profiles: int = 10_000, repeat: int = 5, http: str | None = None
) -> dict[str, Any]:
    """One offer (fiche G1703's, generated as in `evaluation.matching`) against `n_profiles`
    synthetic profiles, in process after a warm-up that fills the affinity rows; with `http`
    (a service on loopback), the same request posted as JSON, one at a time."""
    import random

    from evaluation.matching import offer_of, synthetic_profiles

    ref = core.referential
    profiles = synthetic_profiles(ref, n_profiles, min_items=2)
    code = "G1703" if "G1703" in ref.fiches else sorted(ref.fiches)[0]
    offer = offer_of(ref, code, random.Random(1))
    core.matcher.rank_profiles(offer, profiles, k=20)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        core.matcher.rank_profiles(offer, profiles, k=20)
        samples.append(time.perf_counter() - started)
    report: dict[str, Any] = {
        "profiles": len(profiles),
        "requirements": len(offer),
        "mean_profile_items": round(sum(len(p.codes) for p in profiles) / len(profiles), 1),
        "latency": {**_latency(samples).as_dict(), "max_ms": round(max(samples) * 1000, 3)},
    }
    if http:
        import json

        import httpx

        body = json.dumps(
            {
                "offer": {"competences": [{"code": r.code, "required": r.required} for r in offer]},
                "profiles": [{"id": p.id, "competences": sorted(p.codes)} for p in profiles],
                "k": 20,
            }
        ).encode()
        times = []
        with httpx.Client(timeout=120) as client:
            for _ in range(repeat + 1):
                started = time.perf_counter()
                response = client.post(
                    f"{http}/v1/match", content=body, headers={"content-type": "application/json"}
                )
                times.append(time.perf_counter() - started)
                response.raise_for_status()
        report["http"] = {
            "body_mb": round(len(body) / 1e6, 2),
            "first_ms": round(times[0] * 1000, 1),
            **_latency(times[1:]).as_dict(),
        }
    return report
