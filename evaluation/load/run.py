"""The load benchmark: start the service on loopback, send it the hostile inputs of the
hardening issue, the realistic mix with locust at 8 and 32 users, and a burst of concurrent
maximal tag requests while /health is polled; report latencies, statuses and memory.

    python -m evaluation.load.run --offers ../shared/eval/offers_dev.jsonl [--seconds 60]

Every request goes to 127.0.0.1, each phase is bounded in count and time, and the service
is stopped at the end. Run it alone on the machine: it measures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from evaluation.load import hostile

HOST = "127.0.0.1"
MiB = 1024 * 1024


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def children_rss_mib(pid: int) -> float:
    total = 0.0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += rss_mib(int(child))
    return round(total, 1)


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 1)

    return {
        "n": len(ordered),
        "p50_ms": at(0.5),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1] * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
    }


class Service:
    def __init__(self, port: int) -> None:
        self.url = f"http://{HOST}:{port}"
        env = {**os.environ, "PASSERELLE_PORT": str(port), "PASSERELLE_HOST": HOST}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "passerelle.cli", "serve", "--no-build"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_ready(self, timeout: float = 180) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if httpx.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    ready = time.monotonic() - started
                    self._wait_emerging(timeout)
                    return ready
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the service did not become ready")

    def _wait_emerging(self, timeout: float) -> None:
        """The detector loads in the background after /ready; measure once it has."""
        probe = {"documents": [{"id": "1", "text": "Maîtrise de Kubernetes."}]}
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            reply = httpx.post(f"{self.url}/v1/emerging/analyse", json=probe, timeout=30)
            if reply.status_code != 503:
                return
            time.sleep(0.5)

    def memory(self) -> dict[str, float]:
        return {
            "service_mib": rss_mib(self.process.pid),
            "cv_readers_mib": children_rss_mib(self.process.pid),
        }

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def hostile_inputs(url: str) -> list[dict[str, Any]]:
    """Each input of the hardening issue: its status and how long the answer took."""
    big = 5 * MiB
    fiche = httpx.get(f"{url}/v1/fiches/J1501", timeout=30).json()
    codes = [c["code_ogr"] for g in fiche["competences_by_enjeu"] for c in g["competences"]]
    deep = b'{"tagged": {"found": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    # Built before any clock starts: the timings are the service's, not the bombs' making.
    one_spot = hostile.overlapping_runs(1_000_000)
    one_spot_large = hostile.overlapping_runs(20_000_000)
    along_a_line = hostile.runs_along_a_line(1_200)
    inflating = hostile.inflating_content(2048 * MiB)

    def chunks(size: int) -> Any:
        for _ in range(size // 65_536 + 1):
            yield b" " * 65_536

    pdf, js = "application/pdf", "application/json"
    match = {
        "offer": {"competences": [{"code": c} for c in codes[:10]]},
        "profiles": [{"id": str(i), "competences": (codes * 20)[:300]} for i in range(10_000)],
        "k": 10_000,
    }
    # (what, route, the body — made when sent: a chunked body is a fresh generator —, type)
    bodies: list[tuple[str, str, Callable[[], Any], str]] = [
        ("pdf runs at one spot (3.6 kB)", "/v1/cvs/parse", lambda: one_spot, pdf),
        (
            "pdf runs at one spot (60 kB, 20 MB content)",
            "/v1/cvs/parse",
            lambda: one_spot_large,
            pdf,
        ),
        ("pdf runs along a line", "/v1/cvs/parse", lambda: along_a_line, pdf),
        ("pdf inflating to 2 GB", "/v1/cvs/parse", lambda: inflating, pdf),
        ("chunked 40 MB match", "/v1/match", lambda: chunks(40 * MiB), js),
        ("chunked 6 MiB resolve", "/v1/titles/resolve", lambda: chunks(6 * MiB), js),
        ("chunked 50 MB CV", "/v1/cvs/parse", lambda: chunks(50 * MiB), pdf),
        ("nested JSON CV", "/v1/cvs/parse", lambda: b"[" * 100_000, js),
        ("nested JSON mobility", "/v1/mobility", lambda: deep, js),
        ("invalid UTF-8 JSON", "/v1/offers/tag", lambda: b"\xff\xfe{", js),
        (
            "match with 10,000 profiles x 300 codes",
            "/v1/match",
            lambda: json.dumps(match).encode(),
            js,
        ),
    ]
    cases = [(name, _poster(route, body, kind)) for name, route, body, kind in bodies]
    many = [{"title": "Cariste", "description": "Conduite de chariots. " * 900}] * 100
    cases += [
        (
            "multipart flood",
            lambda c: c.post(
                "/v1/cvs/parse",
                data={f"f{i}": "x" for i in range(5_000)},
                files={"file": ("cv.txt", b"Cariste", "text/plain")},
            ),
        ),
        (
            "100 titles x 20 kB descriptions",
            lambda c: c.post("/v1/titles/resolve", json={"titles": many}),
        ),
    ]
    out = [_declared_oversize(url, big)]
    with httpx.Client(base_url=url, timeout=60) as client:
        for name, send in cases:
            started = time.monotonic()
            try:
                response = send(client)
                status: int | str = response.status_code
                error = response.json().get("error") if response.content[:1] == b"{" else None
            except httpx.HTTPError as exc:
                status, error = type(exc).__name__, None
            out.append(
                {
                    "input": name,
                    "status": status,
                    "error": error,
                    "seconds": round(time.monotonic() - started, 2),
                }
            )
    return out


def _poster(
    route: str, body: Callable[[], Any], kind: str
) -> Callable[[httpx.Client], httpx.Response]:
    def send(client: httpx.Client) -> httpx.Response:
        return client.post(route, content=body(), headers={"content-type": kind})

    return send


def _declared_oversize(url: str, length: int) -> dict[str, Any]:
    """A body declared larger than the limit (httpx will not send a lying Content-Length)."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(
            b"POST /v1/offers/tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {length}\r\nConnection: close\r\n\r\n{{}}".encode()
        )
        status = int(conn.recv(65_536).split(b" ", 2)[1])
    return {
        "input": "body declared over the limit",
        "status": status,
        "error": None,
        "seconds": round(time.monotonic() - started, 2),
    }


def run_locust(
    url: str, users: int, seconds: int, offers: str | None, folder: Path
) -> dict[str, Any]:
    prefix = folder / f"u{users}"
    env = {**os.environ, "PASSERELLE_LOAD_OFFERS": offers or ""}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )
    routes: dict[str, Any] = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            routes[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "rps": round(float(row["Requests/s"]), 1),
            }
    failures: Counter[str] = Counter()
    with open(f"{prefix}_failures.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            failures[f"{row['Name']}: {row['Error'][:80]}"] += int(row["Occurrences"])
    return {"users": users, "seconds": seconds, "routes": routes, "failures": dict(failures)}


def burst(url: str, concurrent: int, text: str) -> dict[str, Any]:
    """`concurrent` maximal tag requests at once while /health is polled every 10 ms."""
    statuses: Counter[int | str] = Counter()
    health: list[float] = []
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=url, timeout=10) as client:
            while not done.is_set():
                started = time.perf_counter()
                client.get("/health")
                health.append(time.perf_counter() - started)
                time.sleep(0.01)

    def tag() -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            try:
                statuses[client.post("/v1/offers/tag", json={"text": text}).status_code] += 1
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] += 1

    poller = threading.Thread(target=poll)
    poller.start()
    started = time.monotonic()
    threads = [threading.Thread(target=tag) for _ in range(concurrent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    seconds = time.monotonic() - started
    done.set()
    poller.join()
    return {
        "requests": concurrent,
        "characters": len(text),
        "seconds": round(seconds, 1),
        "statuses": {str(k): v for k, v in statuses.items()},
        "health": _percentiles(health),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", help="JSONL offers to draw titles and texts from")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--out", type=Path, help="also write the report here (JSON)")
    parser.add_argument(
        "--phases",
        nargs="+",
        default=["hostile", "load", "burst"],
        choices=["hostile", "load", "burst"],
    )
    args = parser.parse_args(argv)
    from evaluation.load.inputs import load_inputs

    _, texts, _ = load_inputs(args.offers)
    maximal = (" ".join(texts) * 50)[:50_000]
    service = Service(args.port)
    report: dict[str, Any] = {}
    try:
        report["ready_seconds"] = round(service.wait_ready(), 1)
        httpx.post(f"{service.url}/v1/offers/tag", json={"text": texts[0]}, timeout=60)
        report["memory_start"] = service.memory()
        if "hostile" in args.phases:
            report["hostile"] = hostile_inputs(service.url)
            report["memory_after_hostile"] = service.memory()
        if "load" in args.phases:
            with tempfile.TemporaryDirectory() as folder:
                report["load"] = [
                    run_locust(service.url, users, args.seconds, args.offers, Path(folder))
                    for users in args.users
                ]
            report["memory_after_load"] = service.memory()
        if "burst" in args.phases:
            report["burst"] = burst(service.url, 32, maximal)
        report["memory_end"] = service.memory()
    finally:
        service.stop()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
