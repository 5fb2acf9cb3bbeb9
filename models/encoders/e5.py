"""multilingual-e5-small, int8 ONNX, run with onnxruntime + tokenizers (built by `e5_build`)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from indexing.encoder import Vectors
from indexing.errors import ArtifactMissing

MAX_TOKENS = 512
# Measured on 2 cores (AVX2, no VNNI): one single-threaded session run from one worker per core
# over length-sorted batches of 32 encodes 186 labels/s, against 147/s for one two-threaded
# session over batches of 64; a single query is no slower on one thread (5.7 ms).
BULK_BATCH = 32


class EncoderNotBuilt(ArtifactMissing):
    """The encoder folder is missing or incomplete."""


class E5Manifest(BaseModel):
    """What `build_e5` records of a build; the fields the encoder reads are required, the
    build's own record (sources, check, versions, timings) comes along."""

    model_config = ConfigDict(frozen=True, extra="allow")

    name: str
    fingerprint: str
    dim: int
    prefix: str  # e5's input prefix, "query: " on both sides


class E5Encoder:
    """Loads the folder written by `build_e5`. Texts get e5's "query: " prefix on both sides,
    which worked best for title↔title and phrase↔phrase matching."""

    def __init__(self, folder: Path, threads: int = 2) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            raise EncoderNotBuilt(
                f"no e5 encoder at {folder}; run `passerelle setup` (or `bash scripts/run.sh`)"
            )
        try:
            self.manifest = E5Manifest.model_validate_json(manifest_path.read_text())
        except ValidationError as exc:
            raise EncoderNotBuilt(
                f"the e5 build at {folder} is incomplete ({exc.error_count()} problem(s) in its "
                "manifest); delete the folder and run `passerelle setup`"
            ) from None
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._workers = max(1, threads)
        self._pool: ThreadPoolExecutor | None = None
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=1, pad_token="<pad>")
        self._prefix = self.manifest.prefix

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def fingerprint(self) -> str:
        return self.manifest.fingerprint

    @property
    def dim(self) -> int:
        return self.manifest.dim

    def _run(self, texts: list[str]) -> Vectors:
        enc = self._tokenizer.encode_batch([self._prefix + t for t in texts])
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        vectors: Vectors = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return vectors

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # Batching texts of similar length keeps padding (wasted compute) small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[i : i + BULK_BATCH] for i in range(0, len(order), BULK_BATCH)]
        if len(batches) == 1 or self._workers == 1:
            results = [self._run([texts[i] for i in b]) for b in batches]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="e5")
            # onnxruntime releases the GIL in run(): one batch per core in parallel.
            results = list(self._pool.map(lambda b: self._run([texts[i] for i in b]), batches))
        for batch, vectors in zip(batches, results, strict=True):
            out[batch] = vectors
        return out
