"""Read CV files in separate worker processes with hard limits, so that a hostile PDF or DOCX
costs one worker, never the service.

Each worker is a plain `python -m models.cv.isolation` child that imports only the readers. It
runs under an address-space limit (`RLIMIT_AS`) and, for each file, a CPU-time limit
(`RLIMIT_CPU`, whose signal kills it); the parent also waits a bounded wall-clock time and kills
a worker that has not answered. A killed worker is replaced at once, in the background of the
next request. The child's stderr goes nowhere: nothing of a CV reaches a log.

Protocol on the child's stdin/stdout: a request is a 1-byte format and a 4-byte length followed
by the file; the answer is a 4-byte length followed by a JSON object, either
`{"text", "format", "pages"}` or `{"error": <class name>, "message"}`.
"""

from __future__ import annotations

import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from indexing.errors import Busy, InputTooLarge, InvalidInput, UnsupportedFormat
from models.cv.reading import CVDocument, DocFormat, read_document
from models.stages import stage

_FORMATS = tuple(DocFormat)
_HEADER = struct.Struct("!BI")
_LENGTH = struct.Struct("!I")
_ERRORS: dict[str, type[Exception]] = {
    e.__name__: e for e in (InputTooLarge, InvalidInput, UnsupportedFormat)
}
MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class IsolationLimits:
    """How many workers read files at once and what one file may cost. A ten-page two-column
    CV takes well under a second of CPU and 150 MiB; the margins are for slow, shared cores."""

    workers: int = 2
    cpu_seconds: int = 4
    wall_seconds: float = 4.5
    memory_bytes: int = 768 * MiB
    jobs_per_worker: int = 200  # a fresh process now and then gives back what Python kept
    wait_seconds: float = 10.0  # for a free worker, before answering "busy"


def _too_costly(cpu_seconds: int, memory_bytes: int) -> str:
    return (
        f"the file takes more than a CV may to read ({cpu_seconds} s of CPU, "
        f"{memory_bytes // MiB} MiB); export it again as a plain PDF or DOCX, or send the text"
    )


class _Worker:
    def __init__(self, limits: IsolationLimits) -> None:
        self.limits = limits
        self.jobs = 0
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "models.cv.isolation",
                str(limits.memory_bytes),
                str(limits.cpu_seconds),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        )

    def read(self, data: bytes, fmt: DocFormat) -> CVDocument:
        """Send one file and wait for its text; raises the reader's error, or InputTooLarge
        when the worker died or ran out of time (it is then useless: the pool replaces it)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs += 1
        try:
            self.process.stdin.write(_HEADER.pack(_FORMATS.index(fmt), len(data)) + data)
            self.process.stdin.flush()
            deadline = time.monotonic() + self.limits.wall_seconds
            out = self.process.stdout.fileno()
            (size,) = _LENGTH.unpack(_read_exact(out, _LENGTH.size, deadline))
            answer = json.loads(_read_exact(out, size, deadline))
        except (OSError, EOFError, TimeoutError, ValueError):
            self.kill()
            raise InputTooLarge(
                _too_costly(self.limits.cpu_seconds, self.limits.memory_bytes)
            ) from None
        if "error" in answer:
            raise _ERRORS.get(answer["error"], InvalidInput)(answer["message"])
        return CVDocument(answer["text"], DocFormat(answer["format"]), answer["pages"])

    @property
    def usable(self) -> bool:
        return self.process.poll() is None and self.jobs < self.limits.jobs_per_worker

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class IsolatedReader:
    """A small pool of reader processes; `read` has the signature of `read_document`.
    Thread-safe: one request holds one worker at a time."""

    def __init__(self, limits: IsolationLimits | None = None) -> None:
        self.limits = limits or IsolationLimits()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.limits.workers)
        self._idle: list[_Worker] = []
        self._reading = 0

    def start(self) -> None:
        """Start the workers now (they import the readers while the service loads)."""
        with self._lock:
            while len(self._idle) < self.limits.workers:
                self._idle.append(_Worker(self.limits))

    def read(self, data: bytes, fmt: DocFormat) -> CVDocument:
        if fmt is DocFormat.TEXT:  # decoding text cannot blow up: no worker needed
            return read_document(data, fmt)
        if not self._slots.acquire(timeout=self.limits.wait_seconds):
            raise Busy("every CV reader is busy; retry in a few seconds", retry_after=2)
        worker: _Worker | None = None
        with self._lock:
            self._reading += 1
        try:
            worker = self._take()
            with stage("cv.read"):
                return worker.read(data, fmt)
        finally:
            if worker is not None:
                self._give_back(worker)
            with self._lock:
                self._reading -= 1
            self._slots.release()

    @property
    def busy(self) -> int:
        """Workers reading a file now."""
        return self._reading

    def close(self) -> None:
        """Stop the idle workers (at shutdown). A later `read` starts new ones."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.usable:
                    return worker
                worker.kill()
        return _Worker(self.limits)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.usable:
                self._idle.append(worker)
                return
        worker.kill()
        # Start the replacement now, so the next file does not wait for its imports.
        with self._lock:
            if len(self._idle) < self.limits.workers:
                self._idle.append(_Worker(self.limits))


# --- the worker process --------------------------------------------------------------------


def _serve(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # The parent gone (stdin closed) ends the loop; SIGPIPE must not print a traceback.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    from models.cv import pdf  # noqa: F401  (import the readers before the first file)

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return
        fmt_index, size = _HEADER.unpack(head)
        data = stdin.read(size)
        # CPU time is counted over the process's life: each file gets its own allowance.
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu_seconds, hard))
        try:
            doc = read_document(data, _FORMATS[fmt_index])
            answer: dict[str, object] = {
                "text": doc.text,
                "format": doc.format.value,
                "pages": doc.pages,
            }
        except (InputTooLarge, InvalidInput, UnsupportedFormat) as exc:
            answer = {"error": type(exc).__name__, "message": str(exc)}
        except MemoryError:
            answer = {"error": "InputTooLarge", "message": _too_costly(cpu_seconds, memory_bytes)}
        out = json.dumps(answer).encode()
        stdout.write(_LENGTH.pack(len(out)) + out)
        stdout.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
