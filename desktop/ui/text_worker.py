"""Extraction and OCR in the background while the window is open: started when an archive
opens and after every import; resumable because the waiting state lives in the archive."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.core.archive.archive import Archive
from desktop.core.materials import texts
from desktop.ui.workers import Job, start


class TextWorker(QObject):
    progress = Signal(str, int, int)  # phase ("text" / "ocr"), done, total
    idle = Signal(object)  # texts.TextStats of the last pass
    changed = Signal()  # a file's text was stored (search results may change)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._job: Job | None = None
        self._again = False
        self._pass: texts.TextPass | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def set_archive(self, archive: Archive | None) -> None:
        self.stop()
        self._archive = archive
        if archive is not None:
            self.kick()

    def kick(self) -> None:
        """Process whatever waits; if a pass is running, run another one after it."""
        if self._archive is None:
            return
        if self._job is not None:
            self._again = True
            return
        archive = self._archive
        self._pass = text_pass = texts.TextPass(archive, low_priority=True)

        def work(job: Job) -> texts.TextStats:
            return text_pass.run(progress=job.progress)  # job.cancel() stops the pass

        job = Job(work)
        job.signals.progress.connect(self._step)
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(lambda _msg: self._finished(texts.TextStats()))
        self._job = job
        start(job, long=True)

    def _step(self, done: int, total: int, phase: str) -> None:
        self.progress.emit(phase, done, total)
        if done:
            self.changed.emit()  # a batch was committed

    def _finished(self, stats: texts.TextStats) -> None:
        self._job = None
        self._pass = None
        if self._again and not stats.cancelled:
            self._again = False
            self.kick()
        else:
            self._again = False
            self.idle.emit(stats)

    def stop(self, wait_s: float = 10.0) -> None:
        """Cancel the pass; a file half done stays waiting for next time."""
        job, text_pass = self._job, self._pass
        if job is None:
            return
        job.cancel()  # through the pass's Progress: ends an OCR page at once
        if text_pass is not None:
            text_pass.cancel()  # also when the job has not started its pass yet
        job.done.wait(wait_s)
        self._job = None
        self._pass = None
        self._again = False
