"""The cyclic garbage collector paused while a run reads and loads.

A run's chunks make hundreds of thousands of short-lived tuples; each automatic full collection then walked
them and every object the imported libraries hold (0.5-0.7 s of a 200k-row read, measured). Reference counting
still frees what a run drops; the few cycles it makes wait for the first collection after the last
concurrent run ends.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Nestable and thread-safe: the collector comes back (if it was on) when the last holder leaves."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
