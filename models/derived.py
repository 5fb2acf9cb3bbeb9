"""Tables the task models derive from the referential's text, kept between starts.

Stemming every label and definition of a release takes about a second of each start; the
result depends only on the release and on the code that reads words. Each table is pickled
under the cache folder, keyed by the release's checksum and the bytes of that code, so a new
release or a change to stemming gets a new file and an old one is never mistaken for it. The
files are our own artifacts, never user input; an unreadable one is rebuilt.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from indexing.referential import Referential

T = TypeVar("T")
_ROOT = Path(__file__).resolve().parents[1]
# The code a derived table depends on: how text is folded and cut into stems, and what reads it.
SOURCES = (
    _ROOT / "indexing" / "textnorm.py",
    _ROOT / "models" / "segments.py",
    _ROOT / "models" / "evidence.py",
    _ROOT / "models" / "domain_words.py",
)


def _key(name: str, referential: Referential) -> str:
    digest = hashlib.sha256(f"{name}\0{referential.release.checksum}\0".encode())
    for source in SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cached(folder: Path, name: str, referential: Referential, build: Callable[[], T]) -> T:
    """The table `name` of this release: read from `folder`, or built and written there."""
    path = folder / f"{name}-{_key(name, referential)}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                value: T = pickle.load(fh)
            return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # unreadable or from another layout: built again below
    value = build()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return value
