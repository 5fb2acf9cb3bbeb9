"""The task models' parameter files (`models/config/*.yaml`), read strictly.

Each loader reads its section through `section(...)`: a key it asks for that the file lacks,
a key the file has that no loader asks for (a misspelling that would otherwise leave the
value at what the code assumed), a value of the wrong type, and a section no module reads
all fail at load with a `ConfigError` naming the file and the key path.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import yaml

from indexing.errors import ConfigError

CONFIG_DIR = Path(__file__).parent / "config"
T = TypeVar("T")

# The sections of each file, and so which module reads each (None: the whole file is one).
SECTIONS: dict[str, tuple[str, ...] | None] = {
    "competences.yaml": None,
    "emerging.yaml": None,
    "titles.yaml": None,
    "mobility.yaml": ("proximity", "affinity", "mobility", "matching"),
}


class Strict:
    """A mapping of the file that records what is read; nested mappings are `Strict` too."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self._data = data
        self._where = where
        self._read: set[str] = set()
        self._children: dict[str, Strict] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._data:
            raise ConfigError(f"{self._where}: missing key {key!r}; add it (see its comment)")
        self._read.add(key)
        value = self._data[key]
        if isinstance(value, dict):
            if key not in self._children:
                self._children[key] = Strict(value, f"{self._where}.{key}")
            return self._children[key]
        return value

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every entry (a free mapping: cue lists, aliases): all of it counts as read."""
        for key in self._data:
            yield key, self[key]

    def unread(self) -> list[str]:
        here = [f"{self._where}.{k}" for k in self._data if k not in self._read]
        return here + [path for child in self._children.values() for path in child.unread()]


def number(value: Any) -> float:
    """A number as the file wrote it (not a boolean, not a string of digits)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"expected a number, found {value!r}")
    return float(value)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"expected a whole number, found {value!r}")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"expected text, found {type(value).__name__} {value!r}")
    return value


_CONVERT: dict[type, Any] = {float: number, int: integer, str: text}


def _read(name: str, path: Path | None) -> dict[str, Any]:
    source = path or CONFIG_DIR / name
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{source}: cannot be read ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: must be a mapping of keys to values")
    sections = SECTIONS[name]
    if sections is not None and (unknown := sorted(set(raw) - set(sections))):
        raise ConfigError(
            f"{source}: unknown section(s) {', '.join(unknown)}; known: {', '.join(sections)}"
        )
    return raw


@contextmanager
def section(name: str, part: str | None = None, path: Path | None = None) -> Iterator[Strict]:
    """Read `part` of config file `name` (or the whole file) strictly; `path` replaces the
    shipped file (tests, experiments). Conversion errors inside the block become
    `ConfigError`s, and so do keys the block did not read."""
    raw = _read(name, path)
    where = f"{name}:{part}" if part else name
    if part is not None and part not in raw:
        raise ConfigError(f"{where}: missing section {part!r}")
    strict = Strict(raw[part] if part else raw, where)
    try:
        yield strict
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    except (TypeError, ValueError, KeyError, re.error) as exc:
        raise ConfigError(f"{where}: a value has the wrong type or form ({exc})") from None
    if unread := strict.unread():
        raise ConfigError(
            f"unknown key(s) {', '.join(unread)}: no code reads them (misspelt? removed?)"
        )


def flat(cls: type[T], name: str, part: str, path: Path | None = None) -> T:
    """A section whose keys are the fields of dataclass `cls`, each a number or a string."""
    hints = typing.get_type_hints(cls)
    with section(name, part, path) as raw:
        values = {f.name: _CONVERT[hints[f.name]](raw[f.name]) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**values)
