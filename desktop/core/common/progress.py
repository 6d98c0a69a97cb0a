"""The one long-work protocol: every long core operation takes one `Progress` object.

The operation calls `progress.step(done, total, what)` as it goes and `progress.check()` at each
safe point (between two committed files, between two written parts); `check()` raises
`Cancelled` once someone called `progress.cancel()` (any thread) or the driver's `cancelled`
callable says so. What was committed before the safe point stays; what the operation promises
to clean up (a half-written export) it removes before `Cancelled` leaves it.

Why an object rather than a generator of step records: most long work here is a plain function
with a result (an export, a report, a count) and several of them run parts on other threads or
child processes (the text pass, OCR); a generator would have to be threaded through each
and could not stop a child process in the middle of a page. An object passes through unchanged,
carries cancel across threads (a `threading.Event`), and lets work that must stop at once (the
OCR child) register `on_cancel`. The import keeps yielding its result rows (the CLI prints each
as it is done) but reports and cancels through the same object.

The three faces drive it the same way: the CLI passes `Progress(report=…)` that draws its one
line (never on --json output), the window's worker passes the job's `Progress` whose report
becomes a Qt signal and whose cancel is the dialog's 取消 button, tests pass one and cancel it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TextIO

from desktop.core.common.errors import ZichaError

Report = Callable[[int, int, str], None]


class Cancelled(ZichaError):
    """The user cancelled long work; it stopped at a safe point and kept what was committed."""

    def __init__(self, message: str = "已取消", *, hint: str = "") -> None:
        super().__init__(message, hint=hint)


class Progress:
    """Reporting and cancelling for one long operation (see the module docstring)."""

    def __init__(self, report: Report | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self._report = report
        self._asked = cancelled
        self._event = threading.Event()
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def step(self, done: int, total: int, what: str = "") -> None:
        if self._report is not None:
            self._report(done, total, what)

    @property
    def cancelled(self) -> bool:
        if not self._event.is_set() and self._asked is not None and self._asked():
            self.cancel()
        return self._event.is_set()

    @property
    def polls(self) -> bool:
        """Cancel is asked by a callable that must be polled (not only by cancel())."""
        return self._asked is not None

    def cancel(self) -> None:
        """Ask the operation to stop at its next safe point (safe from any thread)."""
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def on_cancel(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` when cancelled (at once if already); returns the undo."""
        with self._lock:
            now = self._event.is_set()
            if not now:
                self._listeners.append(listener)
        if now:
            listener()

        def undo() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return undo

    def check(self, message: str = "已取消") -> None:
        """The safe point: raise Cancelled(message) if cancel was asked for."""
        if self.cancelled:
            raise Cancelled(message)


class CounterLine(Progress):
    """The command line's one progress display: `label done/total` redrawn on one line of a
    terminal (`live`; never on a pipe or a --json run), ended by finish()."""

    def __init__(self, stream: TextIO, label: str | Callable[[str], str], *, live: bool,
                 cancelled: Callable[[], bool] | None = None) -> None:
        super().__init__(self._draw, cancelled)
        self.stream, self.label, self.live = stream, label, live

    def _draw(self, done: int, total: int, what: str) -> None:
        if self.live:
            label = self.label if isinstance(self.label, str) else self.label(what)
            print(f"\r{label} {done}/{total}", end="", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.live:
            print(file=self.stream)


def follow(steps: Iterator[tuple[int, int, str]], progress: Progress,
           message: str = "已取消") -> None:
    """Drive work written as a generator of (done, total, what) (the demo archive): report
    each step, and stop at the next one once cancelled (Cancelled(message)); the generator is
    closed either way, so its `with` blocks run."""
    try:
        for done, total, what in steps:
            progress.step(done, total, what)
            progress.check(message)
    finally:
        close = getattr(steps, "close", None)
        if close is not None:
            close()


def as_progress(progress: Progress | None) -> Progress:
    """The Progress given, or one that reports nowhere and is never cancelled."""
    return progress if progress is not None else Progress()
