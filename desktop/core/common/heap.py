"""Python's cycle collector paused while a long read builds many objects.

Reading tens of thousands of ORM rows (an export's plan, every 测评内容's checklist at 50,000
materials) makes the collector run its full pass over the whole heap again and again: 14 full
passes of 0.7-0.9 s each, 4.2 of a plan's 20 CPU seconds. A full pass holds the GIL, so on a
worker it froze the window as long. Paused, the objects are still freed as their references go
(the reads make almost no cyclic garbage); the collector resumes when the last pause ends."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0  # pauses running now, on any thread
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off while the block runs (and any other pause on another thread);
    as it was before once the last one ends."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
