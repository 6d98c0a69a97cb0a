"""What a command does while its modules load: Python's cycle collector paused, and openpyxl
loaded without numpy. Both only change how long starting takes, never what a command does."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator

from desktop.core.common.heap import collector_paused

_first_command = True  # no command has finished in this process yet


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """The cycle collector paused while the block runs (imports, as a rule), then, during the
    process's first command, everything alive frozen (gc.freeze) so that later collections do
    not walk it again. Loading SQLAlchemy, python-docx, openpyxl and PyMuPDF makes some
    200,000 long-lived objects and next to no garbage (23 objects in a whole export's
    start-up); the collector's full passes over them during the imports cost 0.15 CPU seconds
    of the 0.8 the imports take. Nested blocks are fine; the collector runs again after the
    outermost. Frozen objects are never collected as cycles, so a process that runs one
    command after another (the tests run the CLI in-process) freezes only once, before its
    first command has finished (see command_finished)."""
    outermost = gc.isenabled()
    try:
        with collector_paused():
            yield
    finally:
        if outermost and _first_command:
            gc.freeze()


def command_finished() -> None:
    """A command has run to its end in this process: later loading() blocks freeze nothing."""
    global _first_command
    _first_command = False


def openpyxl_without_numpy() -> None:
    """Import openpyxl while numpy cannot be imported, unless either is loaded already.
    openpyxl imports numpy only to take numpy's number types as cell values (Zicha never
    writes one), and numpy's import costs as much CPU time as openpyxl's own (0.08 s). For a
    command's start, while no other thread runs: meanwhile an import of numpy elsewhere would
    fail."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    # importlib: a None in sys.modules makes the import raise ImportError
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        if "numpy" in sys.modules and sys.modules["numpy"] is None:
            del sys.modules["numpy"]
