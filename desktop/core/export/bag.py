"""Writing an export plan as a BagIt bag (RFC 8493), into a ZIP (UTF-8 names) or a folder.

Streaming: stored files go through in 1 MiB chunks and are hashed on the way, so memory stays
flat whatever the size; only one converted page or one item's merged PDF is held at a time.
The bag is written under a temporary name and renamed when complete: a cancelled or failed
export leaves nothing that looks like an export."""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import os
import queue
import shutil
import sys
import tempfile
import threading
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from desktop import __version__
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.models import AuditEntry, Person
from desktop.core.archive.store import sha256_of
from desktop.core.common import digests, formats
from desktop.core.common.atomic import (
    NO_ROOM,
    AtomicFile,
    AtomicFolder,
    WriteFailed,
    database_failure,
    remove_tree,
    write_failed,
)
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Cancelled, Progress, as_progress
from desktop.core.export import convert, documents, stamp
from desktop.core.export.marks import marked_copy
from desktop.core.export.model import (  # noqa: F401 - the bag's names, also imported from here
    AUDIT_JSONL,
    EXPORT_FORMAT,
    MANIFEST_JSON,
    MANIFEST_SM3,
    TAGMANIFEST_SM3,
    ExportFile,
    ExportPlan,
    PlannedItem,
    PlannedMaterial,
)
from desktop.core.export.plan import CATALOGUE, FORM_NAME, MERGED_NAME, refusal
from desktop.core.materials.render import release_decoded_images

CHUNK = 1 << 20
PHOTO_IN_MEMORY = 64 << 20  # a photo up to this size is read into memory once for its page


class ExportCancelled(Cancelled):
    """The user cancelled; the partial output has been removed."""


@dataclass
class Written:
    path: str  # "data/…"
    sha256: str
    size: int
    role: str  # material / form / catalogue / merged
    material: int | None = None
    source_sha256: str | None = None
    source_name: str | None = None
    action: str | None = None
    copy_of: str | None = None  # a marked copy: the clean file's path ("data/…")
    sm3: str | None = None  # GB/T 32905 digest, set when the tag files are written
    archival_number: str | None = None  # its material's 档号
    stamped: bool | None = None  # the 归档章 drawn on its first page (export/stamp.py)
    source_size: int | None = None  # of the archived file a stamped copy begins with

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ExportResult:
    out: str
    bag_name: str
    files: int
    bytes: int
    materials: int
    draft: bool
    notes: list[str] = field(default_factory=list)
    #: every payload file's (SHA-256, SM3) as computed from the bytes written, by path
    #: ("data/…"): verify_export(known=…) reads the files back and uses them (see there)
    digests: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    #: with write_export(check=True): what the streaming check found of each payload file it
    #: read back as it was written (verify.StreamCheck), for verify_export(checked=…)
    checked: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("digests", "checked")}


#: what a verbatim copy's bytes must be: the stored file's SHA-256 and, when it was recorded
#: as it was stored, its SM3
Expected = tuple[str, str | None]


class _DigestPipe:
    """The digests computed on a second thread from the chunks the sink writes (hashlib lets
    go of the GIL while it hashes), overlapping everything else the export does instead of
    adding to it: each file's SM3 (a quarter of SHA-256's speed), and the SHA-256 of a
    verbatim copy, which only has to be found to be the stored file's (`mismatched()`). At
    most `depth` chunks wait for it; `digests()` waits for the rest."""

    def __init__(self, depth: int = 16) -> None:
        self.queue: queue.Queue[tuple[tuple[Any, ...], bytes] | None] = queue.Queue(
            maxsize=depth)
        self.hashes: dict[str, Any] = {}
        self.expected: dict[str, tuple[str, Any]] = {}
        self.thread = threading.Thread(target=self._run, name="zicha-export-digests",
                                       daemon=True)
        self.thread.start()

    def begin(self, path: str, expected: Expected | None = None, *,
              compare: bool = True) -> tuple[Any, ...]:
        """The hashes to feed `path`'s chunks to: its SM3 unless `expected` has it, and (with
        `compare`) the SHA-256 that must come out as `expected`'s."""
        hashes: list[Any] = []
        if expected is not None and expected[1] is not None:
            self.hashes[path] = expected[1]
        else:
            national = self.hashes[path] = digests.sm3()  # raises when OpenSSL has no SM3
            hashes.append(national)
        if expected is not None and compare:
            digest = hashlib.sha256()
            self.expected[path] = (expected[0], digest)
            hashes.append(digest)
        return tuple(hashes)

    def must_be(self, path: str, data: bytes, sha: str) -> None:
        """`data`, read from the stored file that `path` is made from, must be that file (SHA-256
        `sha`): hashed on the thread while `path` is made, named by mismatched() when not."""
        digest = hashlib.sha256()
        self.expected[path] = (sha, digest)
        self.queue.put(((digest,), data))

    def feed(self, hashes: tuple[Any, ...], chunk: bytes) -> None:
        if hashes:
            self.queue.put((hashes, chunk))

    def _run(self) -> None:
        while (job := self.queue.get()) is not None:
            hashes, chunk = job
            try:
                for h in hashes:
                    h.update(chunk)
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def digests(self) -> dict[str, str]:
        """Every file's SM3 by path."""
        self.queue.join()
        return {path: h if isinstance(h, str) else str(h.hexdigest())
                for path, h in self.hashes.items()}

    def mismatched(self) -> list[str]:
        """The verbatim copies whose bytes were not the stored file's, and the files made from
        stored bytes that were not (must_be())."""
        self.queue.join()
        return [path for path, (sha, h) in self.expected.items() if h.hexdigest() != sha]

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


class _Sink(ABC):
    """Where the bag's files go: `put` streams one file in and returns its SHA-256 and size;
    `sm3()` gives every file's SM3 by path. With a `check` (verify.StreamCheck), each payload
    file is handed to it once complete, to be read back while the next ones are written; it is
    done before the bag gets its name (it reads the files under their temporary one)."""

    pipe: _DigestPipe
    check: Any = None  # verify.StreamCheck | None
    #: the verbatim copies the streaming check hashes as it reads them back, with the stored
    #: file's SHA-256 they must come out as (hashing them here too would be the same work twice)
    read_back: dict[str, str]

    def checked(self) -> dict[str, Any]:
        """Wait for the streaming check; what it found (nothing without one)."""
        if self.check is None:
            return {}
        check, self.check = self.check, None
        return check.close()

    def _stop_check(self) -> None:
        if self.check is not None:
            check, self.check = self.check, None
            check.cancel()

    @abstractmethod
    def put(self, path: str, chunks: Iterable[bytes], *, deflate: bool = False,
            expected: Expected | None = None, source: Path | None = None) -> tuple[str, int]:
        """`expected`: what the bytes of a verbatim copy must be (the stored file's SHA-256,
        and SM3 if recorded), and `source` the stored file. Its SHA-256 is then computed from
        the bytes the streaming check reads back, or without a check on the pipe's thread, and
        returned as expected; `mismatched()` names the copies that were not."""

    def _digests(self, path: str, expected: Expected | None) -> tuple[Any, tuple[Any, ...]]:
        """The SHA-256 computed here (None for a verbatim copy), and the hashes for the pipe."""
        if expected is None:
            return hashlib.sha256(), self.pipe.begin(path)
        if self.check is not None and path.startswith("data/"):
            self.read_back[path] = expected[0]
            return None, self.pipe.begin(path, expected, compare=False)
        return None, self.pipe.begin(path, expected)

    def _stream(self, chunks: Iterable[bytes], dst: Any, digest: Any,
                hashes: tuple[Any, ...]) -> int:
        """Write `chunks` to `dst`, hashed here (`digest`) and on the pipe's thread (`hashes`);
        the bytes written. A failure to read them is raised as _SourceFailed."""
        size = 0
        for chunk in _written(chunks):
            self.pipe.feed(hashes, chunk)
            if digest is not None:
                digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
        return size

    def mismatched(self) -> list[str]:
        """The verbatim copies whose bytes were not the stored file's (waits for their
        hashes)."""
        bad = self.pipe.mismatched()
        if self.read_back:
            found = self.check.read_back() if self.check is not None else {}
            bad += [path for path, sha in self.read_back.items()
                    if (found[path] if path in found else self._sha256(path)) != sha]
        return bad

    @abstractmethod
    def _sha256(self, path: str) -> str:
        """The SHA-256 of the bag's file `path` as written ("" when it cannot be read back as
        what was written)."""

    def sm3(self) -> dict[str, str]:
        return self.pipe.digests()

    @abstractmethod
    def finish(self) -> None:
        """Make the complete bag appear under its name."""

    @abstractmethod
    def abort(self) -> None:
        """Remove everything written so far."""


class _SourceFailed(Exception):
    """Reading what goes into the bag failed (told apart from writing the bag)."""

    def __init__(self, error: OSError) -> None:
        self.error = error


def _written(chunks: Iterable[bytes]) -> Iterator[bytes]:
    iterator = iter(chunks)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except OSError as exc:
            raise _SourceFailed(exc) from exc
        yield chunk


class _ZipSink(_Sink):
    """The ZIP, written as an atomic.AtomicFile next to `out`: under its final name only once
    complete and on the disk; never over a file that appeared there meanwhile."""

    def __init__(self, out: Path, root: str, needed: int, check: Any = None) -> None:
        self.out, self.root, self.check = out, root, check
        self.target = AtomicFile(out, needed=needed, overwrite=False)
        try:
            self.fh = self.target.open()
        except OSError as exc:
            raise self.target.failed(exc) from None
        self.zip = zipfile.ZipFile(self.fh, "w", allowZip64=True)
        self.stamp = dt.datetime.now().timetuple()[:6]
        self.pipe = _DigestPipe()
        self.read_back = {}
        self.syncs = _EarlySync(self.fh)

    def put(self, path: str, chunks: Iterable[bytes], *, deflate: bool = False,
            expected: Expected | None = None, source: Path | None = None) -> tuple[str, int]:
        info = zipfile.ZipInfo(f"{self.root}/{path}", date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        digest, hashes = self._digests(path, expected)
        # non-ASCII names get the UTF-8 flag (bit 11) from zipfile itself
        try:
            with self.zip.open(info, "w", force_zip64=True) as dst:
                size = self._stream(chunks, dst, digest, hashes)
        except _SourceFailed as exc:
            raise exc.error from None
        except OSError as exc:
            self._close()
            raise self.target.failed(exc) from None
        if self.check is not None and path.startswith("data/"):
            try:
                self.fh.flush()  # the member's bytes and its rewritten header, for the check
            except OSError as exc:
                self._close()
                raise self.target.failed(exc) from None
            # a copy read back as the stored file's bytes is checked as the stored file: the
            # same bytes, without writing them out of the ZIP a second time
            same = (source, expected[0]) if source is not None and expected is not None \
                else None
            self.check.member(path, self.target.path, info, same)
        try:
            self.syncs.written(size)
        except OSError as exc:
            self._close()
            raise self.target.failed(exc) from None
        return (digest.hexdigest() if digest is not None else expected[0]), size  # type: ignore[index]

    def _sha256(self, path: str) -> str:
        from desktop.core.export.verify import member_sha256

        try:
            return member_sha256(self.target.path, self.zip.getinfo(f"{self.root}/{path}"))
        except ValueError:  # its header, size or CRC-32 is not what was written
            return ""
        except OSError as exc:
            raise self.target.failed(exc) from None

    def finish(self) -> None:
        self.pipe.close()
        try:
            self.syncs.wait()
            self.zip.close()  # the central directory
            self.fh.close()
        except OSError as exc:
            self._close()
            raise self.target.failed(exc) from None
        self.target.commit()

    def _close(self) -> None:
        self.pipe.close()
        self._stop_check()
        with suppress(OSError):
            self.syncs.wait()
        with suppress(Exception):  # a full disk may refuse the central directory too
            self.zip.close()
        with suppress(OSError):
            self.fh.close()

    def abort(self) -> None:
        self._close()
        self.target.discard()


class _FolderSink(_Sink):
    """The folder, built as an atomic.AtomicFolder. Each file is flushed to the disk (fsync)
    on a second thread once written, while the next is written: their flushes overlap the
    copying and the disk commits them together; finish() waits for all of them."""

    SYNCS_PENDING = 32  # files written and not yet flushed, at most

    def __init__(self, out: Path, needed: int, check: Any = None) -> None:
        self.out, self.check = out, check
        self.folder = AtomicFolder(out, needed=needed)
        self.pipe = _DigestPipe()
        self.read_back = {}
        self.syncer = ThreadPoolExecutor(1, thread_name_prefix="zicha-export-fsync")
        self.syncs: collections.deque[Future[None]] = collections.deque()

    def put(self, path: str, chunks: Iterable[bytes], *, deflate: bool = False,
            expected: Expected | None = None, source: Path | None = None) -> tuple[str, int]:
        target = self.folder.path / path
        digest, hashes = self._digests(path, expected)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            dst = open(target, "wb")  # noqa: SIM115 - closed by _flush_and_close
            try:
                # a copy that nothing here has to hash (the check hashes it as it reads it
                # back, its SM3 was recorded) is copied by the kernel
                copied = _kernel_copy(source, dst) if source is not None and \
                    digest is None and not hashes else None
                size = copied if copied is not None else \
                    self._stream(chunks, dst, digest, hashes)
                dst.flush()
            except BaseException:
                dst.close()
                raise
            self.syncs.append(self.syncer.submit(_flush_and_close, dst))
            if self.check is not None and path.startswith("data/"):
                self.check.file(path, target)
            while len(self.syncs) > self.SYNCS_PENDING:
                self.syncs.popleft().result()
        except _SourceFailed as exc:
            raise exc.error from None
        except OSError as exc:
            raise self.folder.failed(exc) from None
        return (digest.hexdigest() if digest is not None else expected[0]), size  # type: ignore[index]

    def _sha256(self, path: str) -> str:
        try:
            return sha256_of(self.folder.path / path)
        except OSError as exc:
            raise self.folder.failed(exc) from None

    def _synced(self) -> None:
        """Wait for every pending flush; the first failure is raised."""
        try:
            while self.syncs:
                self.syncs.popleft().result()
        finally:
            for pending in self.syncs:  # after a failure: let the others end too
                with suppress(OSError):
                    pending.result()
            self.syncs.clear()
            self.syncer.shutdown()

    def finish(self) -> None:
        self.pipe.close()
        try:
            self._synced()
        except OSError as exc:
            raise self.folder.failed(exc) from None
        self.folder.commit()

    def abort(self) -> None:
        self.pipe.close()
        self._stop_check()
        with suppress(OSError):
            self._synced()
        self.folder.discard()


class _EarlySync:
    """Starts flushing a file still being written to the disk (fsync on a thread) after every
    EVERY bytes written, so that the fsync of its commit finds little left to write: the disk
    works while the export goes on (the folder's files are each flushed on a thread as they
    are complete, for the same reason). A failed flush is raised by the next written() or by
    wait()."""

    EVERY = 32 << 20

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.unsynced = 0
        self.pending: Future[None] | None = None
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="zicha-export-fsync")

    def written(self, size: int) -> None:
        self.unsynced += size
        if self.unsynced < self.EVERY or (self.pending is not None and
                                          not self.pending.done()):
            return  # one flush at a time: the next one takes what was written meanwhile
        if self.pending is not None:
            self.pending.result()
        self.fh.flush()
        self.pending = self.pool.submit(os.fsync, self.fh.fileno())
        self.unsynced = 0

    def wait(self) -> None:
        """Wait for the flush under way (raises its failure); no more are started."""
        try:
            if self.pending is not None:
                pending, self.pending = self.pending, None
                pending.result()
        finally:
            self.pool.shutdown()


def _flush_and_close(fh: BinaryIO) -> None:
    try:
        os.fsync(fh.fileno())
    finally:
        fh.close()


_SENDFILE = sys.platform.startswith("linux") and hasattr(os, "sendfile")


def _kernel_copy(source: Path, dst: BinaryIO) -> int | None:
    """`source` copied into the empty `dst` by the kernel (Linux's sendfile: no trip through
    Python's buffers); its size. None where the kernel does not, and then nothing is left in
    `dst`: the caller copies it itself (and so tells a failure to read `source` from one to
    write `dst`). A full disk is raised as it is."""
    if not _SENDFILE:
        return None
    try:
        with open(source, "rb") as src:
            size, done = os.fstat(src.fileno()).st_size, 0
            while done < size and (sent := os.sendfile(dst.fileno(), src.fileno(), done,
                                                       size - done)):
                done += sent
    except OSError as exc:
        if exc.errno in NO_ROOM:
            raise
        dst.seek(0)
        dst.truncate()
        return None
    return done


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def check_destination(out: Path, as_zip: bool) -> None:
    if out.exists():
        raise ZichaError(f"{out} 已存在；导出不会覆盖已有文件或文件夹，请换一个名称")
    if not out.parent.is_dir():
        raise ZichaError(f"{out.parent} 不存在；请先建好要保存到的文件夹")
    if as_zip and out.suffix.lower() != ".zip":
        raise ZichaError(f"{out.name}：ZIP 导出的文件名须以 .zip 结尾",
                         hint="或用 --folder 导出为文件夹")


def write_export(archive: Archive, plan: ExportPlan, out: Path, *, as_zip: bool = True,
                 actor: str | None = None, progress: Progress | None = None,
                 check: bool = False) -> ExportResult:
    """Carry out `plan` into the bag `out` (a .zip file, or a folder), then log the export.
    `progress` steps once per item folder, file and catalogue; cancelled, the partial bag is
    removed and ExportCancelled (a Cancelled) raised. `check`: each payload file is read back
    and checked as soon as it is written, while the next ones are (verify.StreamCheck); what
    that found is the result's `checked`, for verify_export(known=…, checked=…)."""
    out = Path(out)
    steps = as_progress(progress)
    check_destination(out, as_zip)
    if (refused := refusal(plan)) is not None:
        raise refused
    if not plan.materials:
        what = "材料" if plan.draft else "终审通过的材料"
        raise ZichaError(f"没有可导出的{what}；先完成审核，或导出草稿（含未终审的材料）",
                         hint="用 --all-stages 导出草稿")
    bag_name = out.stem if as_zip else out.name
    # for the disk-full message: the stored files, plus a form per item and the catalogues
    needed = sum(f.size for m in plan.materials for f in m.files) + (len(plan.items) + 2) * 40960
    streaming = None
    if check:
        from desktop.core.export.verify import StreamCheck

        streaming = StreamCheck()
    try:
        sink: _Sink = _ZipSink(out, bag_name, needed, streaming) if as_zip else \
            _FolderSink(out, needed, streaming)
    except BaseException:
        if streaming is not None:
            streaming.cancel()
        raise
    written: list[Written] = []
    total = sum(len(m.files) for m in plan.materials) + len(plan.items) + 2
    step = 0

    def tick(what: str) -> None:
        nonlocal step
        if steps.cancelled:
            raise ExportCancelled("导出已取消，没有留下不完整的导出")
        step += 1
        steps.step(step, total, what)

    work_dir = Path(tempfile.gettempdir())
    try:
        with tempfile.TemporaryDirectory(prefix="zicha-export-") as work:
            work_dir = Path(work)
            for item in plan.items:
                _write_item(archive, plan, item, sink, written, Path(work), tick)
            tick(CATALOGUE)
            for suffix, writer in ((".docx", documents.write_catalogue_docx),
                                   (".xlsx", documents.write_catalogue_xlsx)):
                target = Path(work) / f"{CATALOGUE}{suffix}"
                writer(plan, target)
                sha, size = sink.put(f"data/{CATALOGUE}{suffix}", _file_chunks(target))
                written.append(Written(f"data/{CATALOGUE}{suffix}", sha, size, "catalogue"))
            tick("bagit")
            if damaged := sink.mismatched():
                f = next(f for m in plan.materials for f in m.files
                         if f"data/{f.path}" == damaged[0])
                if sha256_of(archive.store.path_for(f.source_sha256)) != f.source_sha256:
                    raise _damaged(f.material_id, f)
                raise _miswritten(out, damaged[0])
            _write_tags(archive, plan, sink, written)
        checked = sink.checked()
        sink.finish()
    except OSError as exc:
        sink.abort()
        if exc.errno in NO_ROOM:  # the bag's own WriteFailed is raised as it is
            raise write_failed(exc, work_dir) from None  # converting or building documents
        raise
    except BaseException:
        sink.abort()
        raise
    payload = sum(w.size for w in written)
    try:
        with archive.write(actor) as (_session, log):
            log("export.write", f"export:{bag_name}", {
                "out": str(out), "draft": plan.draft, "files": len(written), "bytes": payload,
                "materials": sorted({m.id for m in plan.materials})})
    except BaseException as exc:  # an export not in the audit log is not left as an export
        if as_zip:
            out.unlink(missing_ok=True)
        else:
            remove_tree(out)
        failure = database_failure(exc, archive.root / DB_NAME)
        if failure is None:
            raise
        raise WriteFailed(f"{failure}（导出 {out.name} 因此没有留下）", path=failure.path,
                          code=failure.errno) from None
    return ExportResult(str(out), bag_name, len(written), payload,
                        len({m.id for m in plan.materials}), plan.draft, list(plan.notes),
                        {w.path: (w.sha256, w.sm3 or "") for w in written}, checked)


def _write_item(archive: Archive, plan: ExportPlan, item: PlannedItem, sink: _Sink,
                written: list[Written], work: Path, tick: Callable[[str], None]) -> None:
    tick(item.folder)
    if not item.materials:
        return  # the catalogue lists it as missing; no empty folder
    store = archive.store
    merged_parts: list[tuple[str, bytes | Path]] = []
    for m in item.materials:
        for f in m.files:
            tick(f.path)
            source = store.path_for(f.source_sha256)
            chunks: Iterable[bytes]
            as_pdf: bytes | Path | None = None  # the file as written, when it is a PDF
            # what is converted must be the file signed: a copy is checked as it streams, a
            # photo's bytes are read once and hashed on the pipe's thread while they are set
            # on a page, anything else is checked here first
            photo: Path | bytes = source
            if f.action == "image_pdf" and source.is_file() and \
                    source.stat().st_size <= PHOTO_IN_MEMORY:
                photo = source.read_bytes()
                sink.pipe.must_be(f"data/{f.path}", photo, f.source_sha256)
            elif f.action != "copy" and source.is_file() and \
                    sha256_of(source) != f.source_sha256:
                raise _damaged(m.id, f)
            if f.action == "image_pdf":
                data = convert.image_page_pdf(photo, m.caption, m.title)
                chunks = [data]
                merged_parts.append((f"{m.seq:03d} {m.title}", data))
            elif f.action in ("text_pdf", "ofd_pdf") and (drawn := (
                    _text_pdf(plan, f, source, m.title) if f.action == "text_pdf"
                    else _ofd_pdf(plan, f, source))):
                chunks, as_pdf = [drawn], drawn
                merged_parts.append((f"{m.seq:03d} {m.title}", drawn))
            elif f.action in ("docx_pdf", "office_pdf") and (
                    pdf := _office_pdf(plan, f, source, work)):
                chunks = _file_chunks(pdf)
                merged_parts.append((f"{m.seq:03d} {m.title}", pdf))
            else:
                chunks = _file_chunks(source)
                if f.source_kind == "pdf":
                    merged_parts.append((f"{m.seq:03d} {m.title}", source))
                    as_pdf = source
            chunks, extra = _stamped(plan, m, f, chunks, work)
            verbatim = f.action == "copy" and not extra.get("stamped")
            # a verbatim copy must be the stored file (its SHA-256 checked on the pipe's
            # thread, write_export waits for it); its SM3 is then the one recorded for it
            sha, size = sink.put(f"data/{f.path}", chunks,
                                 expected=(f.source_sha256, f.source_sm3) if verbatim else None,
                                 source=source if verbatim else None)
            number = m.archival_number["code"] if m.archival_number else None
            written.append(Written(f"data/{f.path}", sha, size, "material", m.id,
                                   f.source_sha256, f.source_name, f.action,
                                   archival_number=number, **extra))
            if m.marks and (marked := marked_copy(item, m, f, as_pdf, work)) is not None:
                path, drawn_copy = marked  # 红线标注 drawn in a copy beside the clean original
                sha, size = sink.put(f"data/{path}", _file_chunks(drawn_copy))
                drawn_copy.unlink()
                written.append(Written(f"data/{path}", sha, size, "marked", m.id,
                                       f.source_sha256, f.source_name, "marked",
                                       copy_of=f"data/{f.path}"))
    if plan.rules.merged_pdf and merged_parts:
        target = work / "merged.pdf"
        convert.merge_pdfs(merged_parts, target, f"{item.code} {item.name}")
        path = f"data/{item.folder}/{MERGED_NAME}"
        sha, size = sink.put(path, _file_chunks(target))
        written.append(Written(path, sha, size, "merged"))
        target.unlink()
    release_decoded_images()  # the photos and scans converted or merged for this item
    form = work / "form.docx"
    documents.write_submission_form(plan, item, form)
    path = f"data/{item.folder}/{FORM_NAME}"
    sha, size = sink.put(path, _file_chunks(form), deflate=True)
    written.append(Written(path, sha, size, "form"))


def _stamped(plan: ExportPlan, m: PlannedMaterial, f: ExportFile, chunks: Iterable[bytes],
             work: Path) -> tuple[Iterable[bytes], dict[str, Any]]:
    """The file with the 归档章 on its first page when the export asks for it and the file is
    a PDF of a numbered material (export/stamp.py), with what the manifest records of it;
    else the file as it is."""
    if not stamp.wanted(plan.rules, m.archival_number, f.action, f.source_kind):
        return chunks, {}
    assert m.archival_number is not None
    fields = stamp.StampFields.of(m.archival_number, m.department, m.page_count)
    try:
        data, extra = stamp.stamp_chunks(chunks, fields, plan.rules.stamp_color, work,
                                         f.source_sha256 if f.action == "copy" else None)
    except stamp.SourceChanged:
        raise _damaged(m.id, f) from None
    except stamp.StampError as exc:
        raise ZichaError(f"无法在 {f.source_name}（材料 #{m.id}）的第一页加盖归档章：{exc}；"
                         "可不加盖归档章导出") from None
    return [data], extra


def _damaged(material_id: int, f: ExportFile) -> ZichaError:
    return ZichaError(f"档案中存储的文件 {f.source_name}（材料 #{material_id}）已损坏：内容与"
                      "审核签名时的哈希不符，不能导出；请先检查档案", hint="用 zicha verify 检查")


def _miswritten(out: Path, path: str) -> ZichaError:
    return ZichaError(f"导出包中的 {path} 写入后读回的内容与档案中存储的文件不符（存储的文件"
                      f"完好），导出没有留下：{out.parent} 所在的磁盘或 U 盘可能有问题",
                      hint="换一个位置（或另一个 U 盘）重新导出")


def _text_pdf(plan: ExportPlan, f: ExportFile, source: Path, title: str) -> bytes | None:
    """The text file set on pages; one whose encoding cannot be read is exported as it is,
    noted (the plan changes, so the forms and the catalogue name the file written)."""
    try:
        return convert.text_pages_pdf(source, title)
    except convert.ConversionError as exc:
        f.path = f.path.rsplit(".", 1)[0] + _text_extension(f)
        f.action = "copy"
        plan.notes.append(str(exc).replace(source.name, f.source_name))
        return None


def _text_extension(f: ExportFile) -> str:
    return formats.format_of(f.source_kind).extension or Path(f.source_name).suffix.lower()


def _ofd_pdf(plan: ExportPlan, f: ExportFile, source: Path) -> bytes | None:
    """The OFD drawn as a PDF; an OFD that cannot be drawn is exported as it is, noted."""
    from desktop.core.extract.base import ExtractError
    from desktop.core.extract.ofd import ofd_to_pdf

    try:
        return ofd_to_pdf(source)
    except ExtractError as exc:
        f.path = f.path.rsplit(".", 1)[0] + ".ofd"
        f.action = "copy"
        plan.notes.append(f"{f.source_name} 无法转为 PDF（{exc.reason}），已按 OFD 原件导出")
        return None


def _office_pdf(plan: ExportPlan, f: ExportFile, source: Path, work: Path) -> Path | None:
    """The Office/WPS document converted by LibreOffice; when that fails the original is
    exported instead (the plan is changed, so the forms and the catalogue name the file
    written)."""
    extension = formats.format_of(f.source_kind).extension
    local = work / f"{f.source_sha256}{extension}"
    shutil.copyfile(source, local)
    try:
        return convert.docx_to_pdf(local, work)
    except convert.ConversionError as exc:
        f.path = f.path.rsplit(".", 1)[0] + extension
        f.action = "copy"
        plan.notes.append(str(exc).replace(local.name, f.source_name))
        return None
    finally:
        local.unlink(missing_ok=True)


def _encode_path(path: str) -> str:
    """RFC 8493 §2.1.3: manifests percent-encode CR, LF and % in file paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _write_tags(archive: Archive, plan: ExportPlan, sink: _Sink,
                written: list[Written]) -> None:
    tags: list[tuple[str, str]] = []  # (path, sha256) for the tag manifests

    def tag(path: str, text: str) -> None:
        sha, _ = sink.put(path, [text.encode("utf-8")], deflate=True)
        tags.append((path, sha))

    national = sink.sm3()
    for w in written:
        w.sm3 = national[w.path]

    payload_bytes = sum(w.size for w in written)
    tag("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    kind = "草稿导出（含未终审材料）" if plan.draft else "终审通过材料"
    tag("bag-info.txt", "".join(f"{k}: {v}\n" for k, v in (
        ("Source-Organization", plan.bureau or "未填写"),
        ("Bagging-Date", dt.date.today().isoformat()),
        ("Payload-Oxum", f"{payload_bytes}.{len(written)}"),
        ("Bag-Size", f"{payload_bytes / 1048576:.1f} MB"),
        ("External-Description", f"全国文明城市测评网上申报材料，{kind}"),
        ("Bag-Software-Agent", f"Zicha {__version__}"),
        ("Zicha-Export", "draft" if plan.draft else "final"),
        *([("Zicha-Audit-Head", f"{plan.audit_head['seq']} {plan.audit_head['hash']}")]
          if plan.audit_head else []),
    )))
    tag("manifest-sha256.txt", "".join(f"{w.sha256}  {_encode_path(w.path)}\n"
                                       for w in written))
    tag(MANIFEST_SM3, "".join(f"{w.sm3}  {_encode_path(w.path)}\n" for w in written))
    tag(MANIFEST_JSON, json.dumps(_manifest(archive, plan, written), ensure_ascii=False,
                                  indent=1))
    tag(AUDIT_JSONL, "".join(json.dumps(e, ensure_ascii=False) + "\n"
                             for e in _audit_excerpt(archive, plan)))
    lines = "".join(f"{sha}  {_encode_path(path)}\n" for path, sha in tags)
    sink.put("tagmanifest-sha256.txt", [lines.encode("utf-8")], deflate=True)
    national = sink.sm3()
    lines = "".join(f"{national[path]}  {_encode_path(path)}\n" for path, _sha in tags)
    sink.put(TAGMANIFEST_SM3, [lines.encode("utf-8")], deflate=True)


def _manifest(archive: Archive, plan: ExportPlan, written: list[Written]) -> dict[str, Any]:
    reviewers = {d.reviewer for m in plan.materials for d in m.decisions}
    with archive.read() as session:
        roster = [{"name": p.name, "department": p.department.name if p.department else "",
                   "public_key": p.public_key}
                  for p in session.scalars(select(Person)) if p.name in reviewers]
    materials: dict[int, dict[str, Any]] = {}
    for item in plan.items:
        for m in item.materials:
            entry = materials.setdefault(m.id, {
                "id": m.id, "title": m.title, "doc_number": m.doc_number,
                "material_date": m.material_date, "department": m.department,
                "material_type": m.material_type, "state": m.state, "bonus": m.bonus,
                "items": [],
                "decisions": [{"payload": d.payload, "signature": d.signature, "hash": d.hash}
                              for d in m.decisions]})
            if m.signed_as is not None:
                entry["signed_as"] = m.signed_as
            if plan.archival_rules is not None:
                entry["archival_number"] = (m.archival_number["code"] if m.archival_number
                                            else None)
            if m.marks:
                entry["marks"] = m.marks
            entry["items"].append({"code": item.code, "seq": m.seq})
    return {
        "format": EXPORT_FORMAT, "software": f"Zicha {__version__}",
        "archive_id": plan.archive_id, "bureau": plan.bureau, "created_at": plan.created_at,
        "draft": plan.draft, "rules": plan.rules.to_json(), "notes": plan.notes,
        "audit_head": plan.audit_head, "roster": roster,
        "systems": [system.to_json() for system, _items in plan.sections],
        "items": [{"code": i.code, "name": i.name, "category": i.category_code,
                   "system": i.system.id, "folder": f"data/{i.folder}", "tasks": i.tasks,
                   "materials": [m.id for m in i.materials],
                   "not_ready": [{"id": n, "title": t, "state": s} for n, t, s in i.not_ready],
                   **({"conclusion": {"text": i.conclusion, "by": i.conclusion_by,
                                      "at": i.conclusion_at}} if i.conclusion else {})}
                  for i in plan.items],
        "materials": list(materials.values()),
        **({"archival": {"rules": plan.archival_rules, "stamp": plan.rules.archival_stamp,
                         "stamp_color": plan.rules.stamp_color,
                         "register": plan.archival_register}}
           if plan.archival_rules is not None else {}),
        "files": [w.to_json() for w in written],
    }


def _audit_excerpt(archive: Archive, plan: ExportPlan) -> list[dict[str, Any]]:
    """Every audit entry about an exported material, as stored: `detail` is the exact text
    that audit.entry_hash covers, so each entry's hash can be recomputed."""
    targets = {f"material:{m.id}" for m in plan.materials}
    with archive.read() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.target.like("material:%"))
                                  .order_by(AuditEntry.seq))
        return [{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
                 "target": e.target, "detail": e.detail, "prev_hash": e.prev_hash,
                 "hash": e.hash}
                for e in entries if e.target in targets]
