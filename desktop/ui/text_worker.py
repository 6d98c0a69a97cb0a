"""Extraction and OCR in the background while the window is open: started when an archive
opens and after every import; resumable because the waiting state lives in the archive."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.core import texts
from desktop.core.archive import Archive
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
        self._runner = None

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
        from desktop.core.extract.runner import ExtractRunner

        archive = self._archive
        self._runner = runner = ExtractRunner()

        def work(job: Job) -> texts.TextStats:
            def progress(done: int, total: int, phase: str) -> None:
                job.report(done, total, phase)
                if done:
                    job.emit_item(None)

            try:
                return texts.process(archive, progress=progress, cancelled=lambda: job.cancelled,
                                     runner=runner)
            finally:
                runner.close()

        job = Job(work)
        job.signals.progress.connect(lambda d, t, phase: self.progress.emit(phase, d, t))
        job.signals.item.connect(lambda _: self.changed.emit())
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(lambda _msg: self._finished(texts.TextStats()))
        self._job = job
        start(job)

    def _finished(self, stats: texts.TextStats) -> None:
        self._job = None
        self._runner = None
        if self._again and not stats.cancelled:
            self._again = False
            self.kick()
        else:
            self._again = False
            self.idle.emit(stats)

    def stop(self, wait_s: float = 10.0) -> None:
        """Cancel the pass; a file half done stays waiting for next time."""
        job, runner = self._job, self._runner
        if job is None:
            return
        job.cancel()
        if not job.done.wait(0.5) and runner is not None:
            runner.cancel()  # an OCR page can take a while: end it now; it stays waiting
        job.done.wait(wait_s)
        self._job = None
        self._runner = None
        self._again = False
