"""Small helpers shared by the task evaluations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that apply (None = not applicable), rounded; None if none apply."""
    kept = [v for v in values if v is not None]
    return round(sum(kept) / len(kept), 4) if kept else None


def with_groups(
    items: Sequence[T], group: Callable[[T], str], block: Callable[[Sequence[T]], dict[str, Any]]
) -> dict[str, object]:
    """`block` over all items, plus `groups`: the same per group (e.g. source prefix)."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        groups[group(item)].append(item)
    result: dict[str, object] = dict(block(items))
    result["groups"] = {name: block(members) for name, members in sorted(groups.items())}
    return result
