"""What a command does while its modules load: Python's cycle collector paused, and openpyxl
loaded without numpy. Both only change how long starting takes, never what a command does."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """The cycle collector paused while the block runs (imports, as a rule), then everything
    alive frozen (gc.freeze) so that later collections do not walk it again. Loading
    SQLAlchemy, python-docx, openpyxl and PyMuPDF makes some 200,000 long-lived objects and
    next to no garbage (23 objects in a whole export's start-up); the collector's full passes
    over them during the imports cost 0.15 CPU seconds of the 0.8 the imports take. Nested
    blocks are fine; the collector runs again after the outermost."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def openpyxl_without_numpy() -> None:
    """Import openpyxl while numpy cannot be imported, unless either is loaded already.
    openpyxl imports numpy only to take numpy's number types as cell values (Zicha never
    writes one), and numpy's import costs as much CPU time as openpyxl's own (0.08 s). For a
    command's start, while no other thread runs: meanwhile an import of numpy elsewhere would
    fail."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment] - importlib: None blocks the import
    try:
        import openpyxl  # noqa: F401
    finally:
        if "numpy" in sys.modules and sys.modules["numpy"] is None:
            del sys.modules["numpy"]
