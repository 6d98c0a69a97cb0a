"""The one way the window changes an archive: an operation is a core call that carries the
acting person and returns what changed (desktop.core.common.changes.Changes). It runs on the write
lane, one worker thread that takes writes one after another (SQLite wants one writer); when
it ends, `changed` announces the record to every view, or `failed` carries the message."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.core.common.changes import Changes
from desktop.ui.workers import Job


class Operations(QObject):
    changed = Signal(object)  # Changes
    failed = Signal(str, str)  # what was being done, the message
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lane = QThreadPool(self)
        self._lane.setMaxThreadCount(1)
        self._running: list[Job] = []

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, what: str, work: Callable[[], Changes | None], *,
            done: Callable[[Changes], None] | None = None,
            error: Callable[[str], None] | None = None) -> Job:
        """Run `work()` on the write lane. `done` (after `changed` is announced) and `error`
        run on the GUI thread; without `error` a failure goes to `failed`."""
        job = Job(lambda _job: work() or Changes())

        def finished(changes: Changes) -> None:
            self._forget(job)
            self.changed.emit(changes)
            if done is not None:
                done(changes)

        def failed(message: str) -> None:
            self._forget(job)
            if error is not None:
                error(message)
            else:
                self.failed.emit(what, message)

        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        self._running.append(job)
        self._lane.start(job)
        return job

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until queued writes are done (closing an archive)."""
        return self._lane.waitForDone(timeout_ms)

    def _forget(self, job: Job) -> None:
        if job in self._running:
            self._running.remove(job)
        if not self._running:
            self.idle.emit()
