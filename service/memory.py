"""How the service process keeps its latency and memory steady under load.

- The loaded referential is millions of long-lived Python objects. The cyclic garbage
  collector's full passes walked all of them, holding the GIL for 100-300 ms while heavy
  requests allocate: `/health` waited behind them. After loading, those objects are frozen out
  of the collector's sight and full passes become rare (`settle`).
- Heavy threads hold the GIL in 5 ms slices by default; the event loop, which answers the
  light routes, gets it back sooner with a 0.5 ms switch interval.
- A large request body (a 30 MB match) leaves freed memory in glibc's arenas: it is given back
  to the system after such a request (`give_back`), and the threads share two arenas.
Figures: docs/benchmarks.md, "Robustness and load".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys

SWITCH_INTERVAL = 0.0005
# Young collections every 50,000 allocations; full ones only after 1,000 middle ones.
GC_THRESHOLDS = (50_000, 50, 1_000)
LARGE_BODY_BYTES = 1024 * 1024

_libc_name = ctypes.util.find_library("c")
_libc = ctypes.CDLL(_libc_name) if _libc_name else None
_malloc_trim = getattr(_libc, "malloc_trim", None)
_mallopt = getattr(_libc, "mallopt", None)
M_ARENA_MAX = -8  # glibc's mallopt parameter
# Each thread of the request pool would get a heap arena of its own (up to 8 per core), and
# memory freed in one is not reused by another: RSS crept up by hundreds of MB under load.
ARENAS = 2


def settle() -> None:
    """After loading: collect once, freeze what is loaded, tune the collector and the GIL."""
    if _mallopt is not None:
        _mallopt(M_ARENA_MAX, ARENAS)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL)


def give_back() -> None:
    """Return the heap's free pages to the system (glibc only; a no-op elsewhere)."""
    if _malloc_trim is not None:
        _malloc_trim(0)
