"""Getting the text out of stored files, in the background and resumably: the text phase for
every file first, OCR (slow) last. Each result is committed with the search documents of the
materials that use the file, so the index never lags the text."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from desktop.core import search
from desktop.core.archive import Archive
from desktop.core.models import Blob, BlobPage, MaterialFile, TextState

PENDING, DONE, NO_TEXT, FAILED = "pending", "done", "no_text", "failed"
Progress = Callable[[int, int, str], None]


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
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with archive.write() as (session, _log):
        state = session.get(TextState, sha256)
        if state is None:
            return
        if phase == "text":
            session.execute(delete(BlobPage).where(BlobPage.sha256 == sha256))
            state.state = result.state
            state.reason = result.reason
            state.ocr_pages = json.dumps(list(result.ocr_pages))
            state.ocr_state = PENDING if result.ocr_pages and result.state != FAILED else "none"
        else:
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
            elif page.source == "ocr" and len(page.text.strip()) > len(existing.text.strip()):
                existing.text, existing.source = page.text, "ocr"
        session.flush()
        state.chars = sum(len(p.text) for p in session.scalars(
            select(BlobPage).where(BlobPage.sha256 == sha256)))
        state.updated_at = now
        users = set(session.scalars(
            select(MaterialFile.material_id).where(MaterialFile.sha256 == sha256)))
        search.refresh(archive, session, users)


def process(archive: Archive, *, keys: Iterable[str] | None = None, ocr: bool = True,
            progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
            runner=None) -> TextStats:  # type: ignore[no-untyped-def]
    """Extract every waiting file (or only `keys`): all text phases first, then OCR."""
    from desktop.core.extract.runner import ExtractJob, ExtractRunner

    stats = TextStats()
    keys = list(keys) if keys is not None else None
    own = runner is None
    runner = runner or ExtractRunner()
    try:
        for phase in ("text", "ocr") if ocr else ("text",):
            todo = waiting(archive, keys=keys, ocr=phase == "ocr")
            for n, (sha, kind, pages) in enumerate(todo, 1):
                if cancelled and cancelled():
                    stats.cancelled = True
                    return stats
                if progress:
                    progress(n - 1, len(todo), phase)
                job = ExtractJob(sha, archive.store.path_for(sha), kind, phase, tuple(pages))
                result = runner.run(job)
                if cancelled and cancelled():  # the run may have been cut short: keep it waiting
                    stats.cancelled = True
                    return stats
                record(archive, sha, phase, result)
                _count(stats, phase, result, sha)
            if progress and todo:
                progress(len(todo), len(todo), phase)
        search.sync(archive)
    finally:
        if own:
            runner.close()
    return stats


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
