"""Getting the text out of stored files, in the background and resumably: the text phase for
every file first, OCR (slow) last. Each result is committed with the search documents of the
materials that use the file, so the index never lags the text."""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select

from desktop.core import search
from desktop.core.archive.archive import Archive
from desktop.core.archive.models import Blob, BlobPage, MaterialFile, TextState
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, as_progress
from desktop.core.search import documents

if TYPE_CHECKING:  # the runner (and what it imports) loads only when a text pass starts
    from desktop.core.extract.runner import ExtractRunner

PENDING, DONE, NO_TEXT, FAILED = "pending", "done", "no_text", "failed"


@dataclass
class TextStats:
    done: int = 0
    no_text: int = 0
    failed: int = 0
    ocr_done: int = 0
    ocr_failed: int = 0
    cancelled: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)  # (sha256, reason)


def waiting(archive: Archive, *, keys: Iterable[str] | None = None,
            ocr: bool = False) -> list[tuple[str, str, list[int]]]:
    """(sha256, kind, pages) of files waiting for the text phase, or for OCR."""
    with archive.read() as session:
        query = select(TextState.sha256, Blob.kind, TextState.ocr_pages).join(
            Blob, Blob.sha256 == TextState.sha256)
        if ocr:
            query = query.where(TextState.ocr_state == PENDING)
        else:
            query = query.where(TextState.state == PENDING)
        if keys is not None:
            query = query.where(TextState.sha256.in_(list(keys)))
        rows = session.execute(query.order_by(Blob.stored_at, Blob.sha256)).all()
    return [(sha, kind, json.loads(pages)) for sha, kind, pages in rows]


def counts(archive: Archive) -> dict[str, int]:
    """How many files are in each state, for the status indicator and verify."""
    with archive.read() as session:
        result = {"pending": 0, "ocr_pending": 0, "failed": 0, "done": 0, "no_text": 0}
        for state, ocr_state in session.execute(select(TextState.state, TextState.ocr_state)):
            result[state] = result.get(state, 0) + 1
            if ocr_state == PENDING:
                result["ocr_pending"] += 1
    return result


def record(archive: Archive, sha256: str, phase: str, result) -> None:  # type: ignore[no-untyped-def]
    """Store one extraction result (desktop.core.extract.Extraction) and re-index the
    materials that use the file, in one transaction."""
    record_many(archive, [(sha256, phase, result)])


def record_many(archive: Archive, results: Sequence[tuple[str, str, Any]], *,
                whoosh: bool | None = None) -> None:
    """Store extraction results and re-index the materials that use those files, all in one
    transaction (one commit for a batch is what makes 100+ files/s possible). The text phase's
    pages are replaced set-at-a-time (one delete, one insert for the batch). `whoosh`: whether
    the archive uses Whoosh, when the caller knows (a pass asks once)."""
    if not results:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with archive.write() as (session, _log):
        shas = [sha for sha, _, _ in results]
        states = {s.sha256: s for s in session.scalars(
            select(TextState).where(TextState.sha256.in_(shas)))}
        touched = [sha for sha in shas if sha in states]
        texts = [(sha, r) for sha, phase, r in results if phase == "text" and sha in states]
        if texts:
            session.execute(delete(BlobPage).where(BlobPage.sha256.in_([s for s, _ in texts])),
                            execution_options={"synchronize_session": False})
            pages = [{"sha256": sha, "page": p.index, "source": p.source, "text": p.text}
                     for sha, r in texts for p in r.pages]
            if pages:
                session.execute(insert(BlobPage), pages)
        for sha256, phase, result in results:
            if (state := states.get(sha256)) is not None:
                _apply(session, state, sha256, phase, result)
                state.updated_at = now
        session.flush()
        chars: dict[str, int | None] = dict(session.execute(
            select(BlobPage.sha256, func.sum(func.length(BlobPage.text)))
            .where(BlobPage.sha256.in_(touched)).group_by(BlobPage.sha256)).all())
        for sha256 in touched:
            states[sha256].chars = int(chars.get(sha256) or 0)
        users = set(session.scalars(
            select(MaterialFile.material_id).where(MaterialFile.sha256.in_(touched))))
        if whoosh is None:
            search.refresh(archive, session, users)
        else:
            documents.refresh(session, users, pending=whoosh)


def first_text(sha256: str, result: Any,  # desktop.core.extract.Extraction
               now: dt.datetime) -> tuple[TextState, list[dict[str, Any]]]:
    """The text state of a file whose text phase ran before it was first recorded (the import
    parses in the extraction child), and its pages as rows for one insert of BlobPage."""
    state = TextState(sha256=sha256, updated_at=now,
                      chars=sum(len(p.text) for p in result.pages))
    _apply(None, state, sha256, "text", result)
    pages = [{"sha256": sha256, "page": p.index, "source": p.source, "text": p.text}
             for p in result.pages]
    return state, pages


def _apply(session, state: TextState, sha256: str, phase: str, result) -> None:  # type: ignore[no-untyped-def]
    if phase == "text":  # its pages: replaced by record_many for the whole batch
        state.state = result.state
        state.reason = result.reason
        state.ocr_pages = json.dumps(list(result.ocr_pages))
        state.ocr_state = PENDING if result.ocr_pages and result.state != FAILED else "none"
        return
    if result.state == FAILED:
        state.ocr_state, state.ocr_reason = FAILED, result.reason
    else:
        state.ocr_state, state.ocr_reason = DONE, ""
    if result.pages and state.state == NO_TEXT:
        state.state = DONE
    for page in result.pages:
        existing = session.get(BlobPage, (sha256, page.index))
        if existing is None:
            session.add(BlobPage(sha256=sha256, page=page.index, source=page.source,
                                 text=page.text))
        elif len(page.text.strip()) > len(existing.text.strip()):
            existing.text, existing.source = page.text, "ocr"


class TextPass:
    """One pass over the waiting files: the text phase on `workers` child processes, OCR on
    one (it is slow and CPU-hungry; the window must stay responsive). Results are committed in
    batches. cancel() from another thread (or cancelling the Progress given to run) ends the
    pass soon; unfinished files stay waiting. A cancelled pass is no failure: run returns its
    stats with `cancelled` set rather than raising Cancelled (the window's background pass
    is cancelled whenever the archive closes)."""

    BATCH = 64
    BATCH_SECONDS = 0.5

    def __init__(self, archive: Archive, *, workers: int = 2, runner=None,  # type: ignore[no-untyped-def]
                 low_priority: bool = False) -> None:
        self.archive = archive
        self.low_priority = low_priority  # the window's passes yield the CPU to the window
        self.workers = max(1, workers)
        self._given = runner
        self._runners: list = []
        self._cancel = threading.Event()
        self.finished = threading.Event()
        self._whoosh: bool | None = None  # the engine, asked once per pass

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
        for runner in list(self._runners):
            runner.cancel()  # ends the job in progress at once (OCR can take a while)

    def run(self, *, keys: Iterable[str] | None = None, ocr: bool = True,
            progress: Progress | None = None) -> TextStats:
        """`progress` steps (done, total, phase) per committed batch of each phase."""
        stats = TextStats()
        keys = list(keys) if keys is not None else None
        progress = as_progress(progress)
        forget = progress.on_cancel(self.cancel)
        try:
            for phase in ("text", "ocr") if ocr else ("text",):
                todo = waiting(self.archive, keys=keys, ocr=phase == "ocr")
                workers = 1 if phase == "ocr" or self._given else self.workers
                self._phase(phase, todo, workers, stats, progress)
                if self.cancelled:
                    stats.cancelled = True
                    return stats
            if stats.done or stats.ocr_done or stats.no_text:
                search.tidy(self.archive)
            search.sync(self.archive)
        finally:
            forget()
            self.close()
            self.finished.set()
        return stats

    def _phase(self, phase: str, todo: list[tuple[str, str, list[int]]], workers: int,
               stats: TextStats, progress: Progress) -> None:
        from desktop.core.extract.runner import ExtractJob, ExtractRunner

        if not todo:
            return
        jobs: queue.Queue = queue.Queue()
        for sha, kind, pages in todo:
            jobs.put(ExtractJob(sha, self.archive.store.path_for(sha), kind, phase, tuple(pages)))
        results: queue.Queue = queue.Queue()
        while len(self._runners) < workers:
            self._runners.append(self._given or ExtractRunner(low_priority=self.low_priority))

        errors: list[Exception] = []

        def work(runner) -> None:  # type: ignore[no-untyped-def]
            try:
                while not self.cancelled:
                    try:
                        job = jobs.get_nowait()
                    except queue.Empty:
                        break
                    results.put((job.key, runner.run(job)))
            except Exception as exc:  # the child could not start: leave the files waiting
                errors.append(exc)
            finally:
                results.put(None)  # this worker is done

        threads = [threading.Thread(target=work, args=(r,), daemon=True, name=f"extract-{n}")
                   for n, r in enumerate(self._runners[:workers])]
        for t in threads:
            t.start()
        done, running, batch = 0, len(threads), []
        deadline = time.monotonic() + self.BATCH_SECONDS
        progress.step(0, len(todo), phase)
        while running:
            try:
                item = results.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                item = False
            if item is None:
                running -= 1
            elif item:
                batch.append(item)
            if batch and (len(batch) >= self.BATCH or time.monotonic() >= deadline
                          or not running):
                if self.cancelled:  # results cut short by cancel() must not be recorded
                    batch.clear()
                    break
                if self._whoosh is None:
                    self._whoosh = search.uses_whoosh(self.archive)
                record_many(self.archive, [(sha, phase, r) for sha, r in batch],
                            whoosh=self._whoosh)
                for sha, r in batch:
                    _count(stats, phase, r, sha)
                done += len(batch)
                batch.clear()
                progress.step(done, len(todo), phase)
            if time.monotonic() >= deadline:
                deadline = time.monotonic() + self.BATCH_SECONDS
        for t in threads:
            t.join(timeout=5)
        if errors and not self.cancelled:
            raise ZichaError(f"文字提取进程无法启动（{errors[0]}）；文件仍在等待，稍后会重试")

    def close(self) -> None:
        """Stop the pass's children, side by side (each may take a moment to exit)."""
        if self._given is None:
            closing = [threading.Thread(target=r.close, daemon=True) for r in self._runners]
            for t in closing:
                t.start()
            for t in closing:
                t.join()
        self._runners.clear()


def process(archive: Archive, *, keys: Iterable[str] | None = None, ocr: bool = True,
            progress: Progress | None = None,
            runner: ExtractRunner | None = None) -> TextStats:
    """Extract every waiting file (or only `keys`): all text phases first, then OCR."""
    text_pass = TextPass(archive, runner=runner)
    steps = as_progress(progress)
    if steps.polls:
        threading.Thread(target=_watch, args=(text_pass, steps), daemon=True).start()
    return text_pass.run(keys=keys, ocr=ocr, progress=steps)


def _watch(text_pass: TextPass, progress: Progress) -> None:
    """Poll a driver's `cancelled()` callable (a Progress.cancel() needs no polling)."""
    while not text_pass.finished.wait(0.1):
        if progress.cancelled:
            return


def _count(stats: TextStats, phase: str, result, sha: str) -> None:  # type: ignore[no-untyped-def]
    if phase == "ocr":
        if result.state == FAILED:
            stats.ocr_failed += 1
            stats.failures.append((sha, result.reason))
        else:
            stats.ocr_done += 1
    elif result.state == FAILED:
        stats.failed += 1
        stats.failures.append((sha, result.reason))
    elif result.state == NO_TEXT:
        stats.no_text += 1
    else:
        stats.done += 1


@dataclass(frozen=True)
class FileText:
    sha256: str
    kind: str
    files: list[str]  # names it was imported under
    materials: list[int]
    state: str
    ocr_state: str
    reason: str
    chars: int

    def to_json(self) -> dict:
        return self.__dict__.copy()


def extracted_pages(archive: Archive, sha256: str) -> list[tuple[int, str]] | None:
    """The text the text pass extracted from a stored file, page by page ([] when it has
    none), or None while it has not been extracted. Raises ZichaError with the reason when
    the extraction failed."""
    with archive.read() as session:
        state = session.get(TextState, sha256)
        if state is None or state.state == PENDING:
            return None
        if state.state == FAILED:
            raise ZichaError(state.reason or "文字提取失败")
        rows = session.execute(select(BlobPage.page, BlobPage.text)
                               .where(BlobPage.sha256 == sha256).order_by(BlobPage.page)).all()
    return [(page, text) for page, text in rows]


def file_states(archive: Archive, *, problems_only: bool = False) -> list[FileText]:
    with archive.read() as session:
        uses: dict[str, tuple[list[str], list[int]]] = {}
        for sha, name, material_id in session.execute(
                select(MaterialFile.sha256, MaterialFile.filename, MaterialFile.material_id)):
            names, ids = uses.setdefault(sha, ([], []))
            names.append(name)
            ids.append(material_id)
        rows = session.execute(select(TextState, Blob.kind).join(
            Blob, Blob.sha256 == TextState.sha256).order_by(Blob.stored_at)).all()
    result = []
    for state, kind in rows:
        if problems_only and state.state != FAILED and state.ocr_state != FAILED:
            continue
        names, ids = uses.get(state.sha256, ([], []))
        reason = "；".join(r for r in (state.reason, state.ocr_reason) if r)
        result.append(FileText(state.sha256, kind, names, sorted(set(ids)), state.state,
                               state.ocr_state, reason, state.chars))
    return result
