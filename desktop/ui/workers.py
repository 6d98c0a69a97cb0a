"""Long work off the GUI thread: a QRunnable around a plain function. The job's `progress` (the
core's one long-work protocol, desktop/core/common/progress.py) is what the function hands to
the core operation: its steps become the `progress` signal, job.cancel() cancels it."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress

# Workers share the GIL with the GUI thread, and every paint calls back into Python (a
# model's data(), a delegate) once per cell: with Python's default 5 ms switch interval a busy
# worker can make each of those calls wait 5 ms, hundreds of them per paint. At 1 ms the GUI
# thread gets the interpreter back soon enough to keep the event loop within its 100 ms.
GIL_SWITCH_S = 0.001
if sys.getswitchinterval() > GIL_SWITCH_S:
    sys.setswitchinterval(GIL_SWITCH_S)


# Pool threads keep the process's priority. Lowering it (a nice of +5 per thread, as this
# module once did) inverts it through the interpreter lock: with other programs keeping the
# cores busy, a niced worker that holds the lock is scheduled last and keeps it for hundreds of
# milliseconds while the GUI thread waits for it (bench/window_bench.py at 50,000 materials,
# two CPU-bound processes beside it: longest gap 482-611 ms and 44 stalls over 100 ms niced,
# 53-65 ms and none at the process's priority). Only child processes, which have their own
# interpreter (text extraction, OCR), run at a lower priority.


class JobSignals(QObject):
    progress = Signal(int, int, str)  # done, total, what
    item = Signal(object)  # one result row (e.g. an ImportRow)
    finished = Signal(object)  # the function's return value
    failed = Signal(str)  # a one-line message for the user


class Job(QRunnable):
    """Runs `work(job)` on the pool. `work` passes job.progress to the core operation (or calls
    job.report(...)), job.emit_item(...) for result rows, and returns early when job.cancelled
    is set."""

    def __init__(self, work: Callable[[Job], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self._work = work
        self.progress = Progress(self.report)
        self.done = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled

    def cancel(self) -> None:
        self.progress.cancel()

    def report(self, done: int, total: int, what: str = "") -> None:
        self._tell("progress", done, total, what)

    def emit_item(self, item: object) -> None:
        self._tell("item", item)

    def run(self) -> None:
        try:
            result = self._work(self)
        except ZichaError as exc:
            self._end("failed", str(exc))
        except Exception as exc:  # shown to the user rather than lost on a worker thread
            traceback.print_exc()
            self._end("failed", f"内部错误 {type(exc).__name__}: {exc}")
        else:
            self._end("finished", result)
        finally:
            self.done.set()

    def _end(self, signal: str, value: object) -> None:
        self._tell(signal, value)

    def _tell(self, signal: str, *values: object) -> None:
        # the application may have quit meanwhile (its objects deleted while this job ran):
        # then there is nobody to tell, and the work is not failed for it
        with suppress(RuntimeError):
            if isValid(self.signals):
                getattr(self.signals, signal).emit(*values)


def while_alive(owner: QObject, slot: Callable[..., object]) -> Callable[..., None]:
    """`slot`, called only while `owner` still exists: a job's result can arrive after the
    widget that started it was closed, and a lambda keeps no Qt receiver that would drop it."""

    def call(*args: object) -> None:
        if isValid(owner):
            slot(*args)

    return call


_started: list[Job] = []  # jobs started, kept (the QRunnable's Python side) until they end


def _keep(job: Job) -> None:
    """A job outlives the widget that started it (closed while it runs): the pool holds only
    the C++ side, so the Python side is kept here until it has run (pruned at each start)."""
    _started[:] = [j for j in _started if not j.done.is_set()] + [job]


_long_pool: QThreadPool | None = None
_lanes: dict[str, QThreadPool] = {}


def start(job: Job, *, long: bool = False, lane: str | None = None) -> Job:
    """Run `job` on a pool thread. Long work (import, extraction, building an archive) gets its
    own pool, so it never holds up the short jobs (page rendering, search) the window waits
    for: the global pool has only as many threads as cores. A `lane` is a thread of its own
    for one kind of short job (the material table's pages), which then never waits behind
    other work queued on the global pool."""
    global _long_pool
    _keep(job)
    if lane is not None:
        pool = _lanes.get(lane)
        if pool is None:
            pool = _lanes[lane] = QThreadPool()
            pool.setMaxThreadCount(1)
        pool.start(job)
    elif long:
        if _long_pool is None:
            _long_pool = QThreadPool()
            _long_pool.setMaxThreadCount(4)
        _long_pool.start(job)
    else:
        QThreadPool.globalInstance().start(job)
    return job
