"""Index artifacts: one immutable folder per (referential, encoder, normalisation, recipe).

Layout::

    <root>/<key>/manifest.json
    <root>/<key>/<collection>/ids.json, dense.faiss, lexical_*.{json,npy,npz}

The key is a hash of everything the content depends on, so a rebuild with the same inputs
reuses the folder and a changed input never overwrites an existing one. A folder is written
under a temporary name and renamed when complete, so a crash leaves no half index behind.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import faiss
import numpy as np

from indexing.documents import COLLECTIONS, Document
from indexing.encoder import Encoder, Vectors
from indexing.errors import IndexMismatch
from indexing.lexical import LexicalIndex
from indexing.manifest import CollectionStamp, EncoderStamp, IndexManifest, ReferentialStamp
from indexing.referential import Referential
from indexing.textnorm import NORMALISATION_VERSION

FORMAT_VERSION = "1"
ENCODE_CHUNK = 1024  # texts per progress step

Progress = Callable[[str, int, int], None]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def index_key(referential: Referential, encoder: Encoder) -> str:
    h = hashlib.sha256()
    for part in (
        FORMAT_VERSION,
        NORMALISATION_VERSION,
        referential.release.checksum,
        encoder.name,
        encoder.fingerprint,
    ):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Hit:
    row: int
    id: str
    score: float


class CollectionIndex:
    """Dense + lexical search over one collection; rows are positions in `ids`."""

    def __init__(self, ids: Sequence[str], dense: faiss.Index, lexical: LexicalIndex) -> None:
        self.ids = tuple(ids)
        self.row_of = {code: i for i, code in enumerate(self.ids)}
        self.dense = dense
        self.lexical = lexical
        self._vectors: Vectors | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def vectors(self) -> Vectors:
        """All document vectors (n, dim), reconstructed from the faiss index once."""
        if self._vectors is None:
            self._vectors = np.asarray(
                self.dense.reconstruct_n(0, self.dense.ntotal), dtype=np.float32
            )
        return self._vectors

    def dense_search(self, queries: Vectors, k: int) -> list[list[Hit]]:
        k = min(k, len(self.ids))
        scores, rows = self.dense.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return [
            [Hit(int(r), self.ids[r], float(s)) for r, s in zip(rs, ss, strict=True) if r >= 0]
            for rs, ss in zip(rows, scores, strict=True)
        ]

    def lexical_search(self, text: str, k: int) -> list[Hit]:
        return [Hit(r, self.ids[r], s) for r, s in self.lexical.search(text, k)]


@dataclass(frozen=True, slots=True)
class IndexSet:
    folder: Path
    manifest: IndexManifest
    collections: dict[str, CollectionIndex]

    def __getitem__(self, name: str) -> CollectionIndex:
        return self.collections[name]

    @classmethod
    def load(cls, folder: Path, encoder: Encoder, referential: Referential) -> IndexSet:
        manifest = IndexManifest.read(folder, FORMAT_VERSION)
        problems = []
        enc = manifest.encoder
        if (enc.name, enc.fingerprint) != (encoder.name, encoder.fingerprint):
            problems.append(
                f"built with encoder {enc.name}/{enc.fingerprint}, "
                f"service uses {encoder.name}/{encoder.fingerprint}"
            )
        ref = manifest.referential
        if ref.checksum != referential.release.checksum:
            problems.append(
                f"built from referential v{ref.release} ({ref.checksum[:12]}), "
                f"service loaded v{referential.release.version} "
                f"({referential.release.checksum[:12]})"
            )
        if manifest.normalisation != NORMALISATION_VERSION:
            problems.append("text normalisation changed since the build")
        if problems:
            raise IndexMismatch(
                f"index at {folder} does not match: {'; '.join(problems)}. "
                "Rebuild it with `passerelle build`."
            )
        collections = {}
        for name in manifest.collections:
            sub = folder / name
            collections[name] = CollectionIndex(
                json.loads((sub / "ids.json").read_text()),
                faiss.read_index(str(sub / "dense.faiss")),
                LexicalIndex.load(sub),
            )
        return cls(folder, manifest, collections)


def _encode(
    encoder: Encoder, docs: Sequence[Document], name: str, progress: Progress | None
) -> Vectors:
    """Encode each distinct text once, longest-first batches of similar length."""
    unique = sorted({d.text for d in docs}, key=len)
    parts = []
    for start in range(0, len(unique), ENCODE_CHUNK):
        parts.append(encoder.encode(unique[start : start + ENCODE_CHUNK]))
        if progress:
            progress(name, min(start + ENCODE_CHUNK, len(unique)), len(unique))
    if not parts:
        return np.zeros((len(docs), encoder.dim), dtype=np.float32)
    vectors = np.vstack(parts)
    row = {text: i for i, text in enumerate(unique)}
    return np.ascontiguousarray(vectors[[row[d.text] for d in docs]], dtype=np.float32)


def build_indexes(
    referential: Referential,
    encoder: Encoder,
    root: Path,
    progress: Progress | None = None,
    force: bool = False,
) -> tuple[Path, bool]:
    """Build (or reuse) the artifact folder. Returns (folder, built_now)."""
    folder = root / index_key(referential, encoder)
    if (folder / "manifest.json").exists() and not force:
        return folder, False
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=root, prefix=".building-") as tmp:
        tmp_dir = Path(tmp)
        summary: dict[str, CollectionStamp] = {}
        for name, make_docs in COLLECTIONS.items():
            t0 = time.perf_counter()
            docs = make_docs(referential)
            sub = tmp_dir / name
            sub.mkdir()
            (sub / "ids.json").write_text(json.dumps([d.id for d in docs]))
            vectors = _encode(encoder, docs, name, progress)
            dense = faiss.IndexFlatIP(encoder.dim)
            dense.add(vectors)
            faiss.write_index(dense, str(sub / "dense.faiss"))
            LexicalIndex.build([d.forms for d in docs]).save(sub)
            summary[name] = CollectionStamp(
                documents=len(docs), seconds=round(time.perf_counter() - t0, 1)
            )
        IndexManifest(
            format_version=FORMAT_VERSION,
            key=folder.name,
            built_at=datetime.now(UTC).replace(microsecond=0),
            build_seconds=round(time.perf_counter() - started, 1),
            encoder=EncoderStamp(
                name=encoder.name, fingerprint=encoder.fingerprint, dim=encoder.dim
            ),
            normalisation=NORMALISATION_VERSION,
            referential=ReferentialStamp(
                release=referential.release.version, checksum=referential.release.checksum
            ),
            collections=summary,
            dense="faiss.IndexFlatIP (exact inner product on L2-normalised vectors)",
            lexical="tf-idf over character 2-4-grams of folded text, best form per item",
            versions={
                "python": platform.python_version(),
                "faiss": _version("faiss-cpu"),
                "numpy": np.__version__,
                "passerelle": _version("passerelle"),
            },
        ).write(tmp_dir)
        if folder.exists():
            shutil.rmtree(folder)
        tmp_dir.rename(folder)
        tmp_dir.mkdir()  # let TemporaryDirectory clean up an empty folder
    return folder, True
