"""Importing files and folders as materials. A batch goes on past bad files and reports
one row per input file: stored, duplicate, or refused with the reason."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import queue
import stat
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import DBAPIError

from desktop.core import search
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.items import resolve_targets
from desktop.core.archive.kinds import MATERIAL_TYPES
from desktop.core.archive.models import (
    Blob,
    BlobPage,
    Filing,
    Material,
    MaterialFile,
    TextState,
)
from desktop.core.archive.store import Staged
from desktop.core.common import formats
from desktop.core.common.atomic import WriteFailed, database_failure
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Cancelled, Progress, as_progress
from desktop.core.extract.base import Extraction
from desktop.core.materials import docmeta, ingest, safety, texts
from desktop.core.materials.detect import Detected, Refused, archive_kind, check, detect
from desktop.core.materials.unpack import UnpackRefused, unpack
from desktop.core.review import workflow
from desktop.core.review.roster import department_named
from desktop.core.search import documents

STORED, DUPLICATE, REFUSED = "stored", "duplicate", "refused"


@dataclass
class ImportRow:
    path: str
    status: str
    id: int | None = None
    title: str = ""
    sha256: str | None = None
    items: list[str] = field(default_factory=list)
    reason: str = ""
    kind: str = ""  # what the content is (formats.py), once it was read

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportOptions:
    codes: Sequence[str]
    department: str | None = None
    title: str | None = None
    material_type: str | None = None
    actor: str | None = None
    # read title, date, 文号 and type from the document itself (docmeta); options given
    # explicitly always win over what the document says
    document_metadata: bool = True
    # an archive of files (ZIP, 7z, RAR) is unpacked and its files imported one by one,
    # instead of being filed as one archive
    unpack: bool = False
    # extraction children that parse the files (open check, metadata, safety scan, text) while
    # the main process hashes and stores the next ones; used from PARSE_FROM files on (fewer
    # are parsed here and their text extracted afterwards: a child takes a second to start).
    # 0: never
    workers: int = 2


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files to import, folders walked recursively in name order. Missing paths are an error
    up front, so nothing is imported from a mistyped command."""
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise ZichaError(f"找不到 {missing[0]}；请检查路径")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            _walk(path, files)
        else:
            files.append(path)
    return files


def _walk(top: Path, files: list[Path]) -> None:
    """Append the files under `top`, depth first in name order, without recursion (a folder
    nested thousands deep is walked like any other). Links are not followed (they can loop);
    a link, a folder that cannot be listed, or a folder seen before (a bind mount of its own
    parent) is appended itself, so that import_file reports it instead of passing over it."""
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            files.append(folder)
            continue
        if (st.st_dev, st.st_ino) in seen:
            files.append(folder)
            continue
        seen.add((st.st_dev, st.st_ino))
        subfolders: list[Path] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            (subfolders if is_folder else files).append(Path(entry.path))
        stack.extend(reversed(subfolders))


def not_a_file(path: Path) -> str | None:
    """Why `path` is skipped without being opened (a link loop, a broken link, a pipe, a
    socket, a device, a folder that cannot be listed), or None for a regular file."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(path)
            except OSError as exc:
                target = ""
                with contextlib.suppress(OSError):
                    target = f"（→ {os.readlink(path)}）"
                if exc.errno == errno.ELOOP:
                    return f"链接循环{target}：链接最终又指向自己，已跳过"
                if exc.errno == errno.ENOENT:
                    return f"链接指向的文件不存在{target}，无法读取，已跳过"
                return f"链接无法打开{target}（{exc.strerror or exc}），已跳过"
    except OSError as exc:
        return f"无法读取（{exc.strerror or exc}）"
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        if path.is_symlink():
            return "这是指向文件夹的链接，没有展开；请直接导入它指向的文件夹"
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            why = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or exc)
            return f"文件夹无法打开（{why}），其中的文件没有导入；请检查权限"
        return "这个文件夹在本次导入中已经出现过（挂载或链接造成的循环），没有再次展开"
    kinds = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字（socket）"),
             (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"))
    for test, what in kinds:
        if test(mode):
            return f"不是普通文件：这是{what}，没有打开，已跳过"
    if not stat.S_ISREG(mode):
        return "不是普通文件，已跳过"
    return None


def shown_path(path: Path) -> str:
    """`path` as text that can be printed and written to JSON: a name that is not valid in the
    file system's encoding (e.g. a GBK name on a UTF-8 system) shows its bytes escaped."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return text


def check_options(archive: Archive, files: Sequence[Path], options: ImportOptions) -> list[str]:
    if options.title is not None and len(files) != 1:
        raise ZichaError("指定材料名称只能用于导入单个文件；多个文件时各自取名",
                         hint="--title 只用于单个文件")
    if options.material_type is not None and options.material_type not in MATERIAL_TYPES:
        raise ZichaError(f"材料类型 {options.material_type} 不在 {'、'.join(MATERIAL_TYPES)} 之中")
    with archive.read() as session:
        return resolve_targets(session, list(options.codes))


class ImportStopped(ZichaError):
    """Writing to the archive failed (disk full, I/O error): the batch stopped. Every row
    reported before is true: what it says was stored is committed. `left`: how many files
    were not imported (the last `left` rows reported, the failed file's first)."""

    left: int = 0


def stopped(failure: WriteFailed, stored: int, left: int) -> ImportStopped:
    """The batch's one line when the archive could not be written: the failure, what was
    stored before it (committed), and how many files were not imported."""
    error = ImportStopped(f"{failure}（导入已停止：此前 {stored} 个文件已保存，"
                          f"其余 {left} 个未导入）")
    error.left = left
    return error


BATCH_FILES = 64  # files committed together (one transaction, one search-index update): the
# first batch is one file, each next one twice as many up to this, so the first rows come at once
BATCH_SECONDS = 0.5  # and at least this often, so a window shows the rows as they come
PARSE_FROM = 12  # files in one import from which on they are parsed in extraction children
READ_AHEAD = 2 * BATCH_FILES  # files stored ahead of the children's parsing, at most
JOBS_AT_ONCE = 8  # files a child is sent together, of those waiting


def import_paths(archive: Archive, paths: Sequence[Path], options: ImportOptions,
                 progress: Progress | None = None) -> Iterator[ImportRow]:
    """Yield one row per input file as it is committed (with `options.unpack`, one per file of
    an archive instead of the archive's); `progress` steps (n, files, name) after each file.
    Files are committed in batches (BATCH_FILES, or every BATCH_SECONDS): a row is yielded
    only once what it says is committed. Cancelled (or the driver stops iterating), the batch
    stops before the next file with Cancelled: every file already reported is committed (the
    files read so far are committed and reported first), the one in progress is not.

    When the archive cannot be written (disk full, I/O error) the batch stops: the file that
    failed (or the first of the batch whose commit failed) and every file after it get a
    refused row saying so, then ImportStopped is raised with one line naming the failure and
    what was stored before it."""
    progress = as_progress(progress)
    files = expand(paths)
    codes = check_options(archive, files, options)
    batch = _Batch(archive, codes, options)
    batch.expect(len(files))
    stored = 0
    n = 0
    try:
        for n, path in enumerate(files):
            try:
                progress.check("导入已取消")
            except Cancelled:
                for row in batch.commit():
                    yield row
                raise
            if options.unpack and (kind := archive_kind(path)) is not None:
                for row in _import_unpacked(archive, path, kind, codes, options, progress,
                                            batch):
                    stored += row.status == STORED
                    yield row
            else:
                for row in batch.add(path):
                    stored += row.status == STORED
                    yield row
            progress.step(n + 1, len(files), path.name)
        for row in batch.commit():
            stored += row.status == STORED
            yield row
        if stored:
            search.tidy(archive)  # the index's new segments, merged while nothing waits
    except _BatchFailed as failed:
        exc = failed.failure
        rows = failed.rows
        for row in rows[:failed.first]:
            stored += row.status == STORED
            yield row
        left = len(rows) - failed.first + len(files) - n - 1
        for k, row in enumerate(rows[failed.first:]):
            if k == 0 or not row.reason:  # a file that was waiting for the commit
                row.status, row.id, row.title = REFUSED, None, ""
                row.reason = str(exc) if k == 0 else "未导入：写入档案失败，导入已停止"
            yield row
        for rest in files[n + 1:]:
            yield ImportRow(path=shown_path(rest), status=REFUSED, items=list(codes),
                            reason="未导入：写入档案失败，导入已停止")
        raise stopped(exc, stored, left) from None
    finally:
        batch.abandon()  # what was read but not committed (the driver stopped iterating)
        batch.close()


def _import_unpacked(archive: Archive, path: Path, kind: str, codes: list[str],
                     options: ImportOptions, progress: Progress,
                     batch: _Batch) -> Iterator[ImportRow]:
    """The files of the archive `path`, unpacked into a temporary folder and imported one by
    one, each row named `包.zip › 文件夹/文件.pdf`; a member unpack refuses gets a refused
    row, an archive refused whole (a bomb, encrypted, damaged) one row of its own."""
    shown = shown_path(path)
    with tempfile.TemporaryDirectory(prefix="zicha-unpack-") as work:
        try:
            result = unpack(path, kind, Path(work) / "files")
        except UnpackRefused as exc:
            yield from batch.ready(ImportRow(path=shown, status=REFUSED, items=list(codes),
                                             reason=f"压缩包未解压：{exc}"))
            return
        for skipped in result.refused:
            yield from batch.ready(ImportRow(path=f"{shown} › {skipped.name}", status=REFUSED,
                                             items=list(codes), reason=skipped.reason))
        batch.expect(len(result.files))
        for member in result.files:
            try:
                progress.check("导入已取消")
            except Cancelled:
                yield from batch.commit()
                raise
            yield from batch.add(member.path, origin=f"{path.name} › {member.name}",
                                 shown=f"{shown} › {member.name}")
        yield from batch.commit()  # the unpacked files go with their folder


def import_file(archive: Archive, path: Path, codes: list[str],
                options: ImportOptions, *, origin: str | None = None) -> ImportRow:
    """Import one file; a file that cannot be imported gets a refused row with the reason.
    Raises atomic.WriteFailed when the archive itself cannot be written (disk full, I/O
    error): nothing of this file is kept, and every file imported before stays."""
    batch = _Batch(archive, codes, options)
    try:
        rows = [*batch.add(path, origin=origin), *batch.commit()]
    except _BatchFailed as failed:
        raise failed.failure from None
    finally:
        batch.abandon()
    return rows[0]


@dataclass
class _Read:
    """A file read into the store, waiting for its batch's commit."""

    row: ImportRow
    path: Path
    detected: Detected
    staged: Staged  # in the store's temporary folder until the batch is committed
    meta: docmeta.DocMeta
    active: list[str]
    origin: str | None
    parsing: Future[Any] | None = None  # the child's ingest.Parsed, while it parses the file
    text: Extraction | None = None  # its text, when the child extracted it


class _BatchFailed(Exception):
    """The archive could not be written: `rows` (in order) are the batch's, from `first` on
    not imported."""

    def __init__(self, failure: WriteFailed, rows: list[ImportRow], first: int) -> None:
        self.failure, self.rows, self.first = failure, rows, first


class _Batch:
    """Files read into the store and waiting to be committed together: one transaction, one
    search-index update and one audit-head write for up to BATCH_FILES files. Rows leave in
    the order the files came, each only once what it says is committed."""

    def __init__(self, archive: Archive, codes: list[str], options: ImportOptions) -> None:
        self.archive, self.codes, self.options = archive, codes, options
        self.items: list[ImportRow | _Read] = []
        self.shas: set[str] = set()
        self.started = 0.0
        self.size = 1  # files in the next commit (doubling up to BATCH_FILES)
        self.early: list[ImportRow] = []  # committed before their turn to be yielded
        self._whoosh: bool | None = None  # the engine, asked once per run
        self.parsers: _Parsers | None = None

    def expect(self, files: int) -> None:
        """`files` are coming: enough of them, and they are parsed in extraction children."""
        if self.parsers is None and self.options.workers > 0 and files >= PARSE_FROM:
            self.parsers = _Parsers(self.options.workers)

    def close(self) -> None:
        """Stop the children (after abandon() or the last commit)."""
        if self.parsers is not None:
            self.parsers.close()
            self.parsers = None

    def ready(self, row: ImportRow) -> Iterator[ImportRow]:
        """A row that needs no commit, kept in its place among the others."""
        if not self.items:
            yield row
            return
        self.items.append(row)

    def add(self, path: Path, *, origin: str | None = None,
            shown: str | None = None) -> Iterator[ImportRow]:
        """Read `path` into the store; rows that are committed by now."""
        try:
            got = self._read(path, origin)
        except WriteFailed as exc:  # the store: what was read before is committed first
            failed = ImportRow(path=shown or shown_path(path), status=REFUSED,
                               items=list(self.codes))
            committed = list(self.commit())
            raise _BatchFailed(exc, [*committed, failed], len(committed)) from None
        if isinstance(got, tuple):  # the same content as a material committed before
            material_id, sha = got
            yield from self.commit()
            row = ImportRow(path=shown or shown_path(path), status=REFUSED,
                            items=list(self.codes))
            try:
                yield _file_duplicate(self.archive, row, material_id, sha, self.codes,
                                      self.options)
            except WriteFailed as exc:
                raise _BatchFailed(exc, [row], 0) from None
            except DBAPIError as exc:
                if (failure := database_failure(exc, self.archive.root / DB_NAME)) is None:
                    raise
                raise _BatchFailed(failure, [row], 0) from None
            return
        if isinstance(got, ImportRow):
            if shown:
                got.path = shown
            yield from self.ready(got)
            return
        if shown:
            got.row.path = shown
        if not self.items:
            self.started = time.monotonic()
        self.items.append(got)
        self.shas.add(got.staged.sha256)
        if (sum(isinstance(i, _Read) for i in self.items) >= self.size
                or time.monotonic() - self.started >= BATCH_SECONDS):
            yield from self.commit(ready_only=True)

    def _read(self, path: Path, origin: str | None) -> ImportRow | _Read | tuple[int, str]:
        """The file read into the store; or its refused row; or (material, sha256) when a
        committed material has the same content."""
        archive, options = self.archive, self.options
        row = ImportRow(path=shown_path(path), status=REFUSED, items=list(self.codes))
        if (why := not_a_file(path)) is not None:
            row.reason = why
            return row
        if row.path != str(path):
            row.reason = _undecodable_name(path)
            return row
        if Path(os.path.realpath(archive.root)) in Path(os.path.realpath(path)).parents:
            row.reason = "这个文件在档案文件夹内部，不能再导入"
            return row
        try:
            detected = detect(path, deep=self.parsers is None)  # else the child checks it
            row.kind = detected.kind
        except Refused as exc:
            row.reason = str(exc)
            return row
        except OSError as exc:
            row.reason = f"无法读取（{exc.strerror or exc}）"
            return row
        try:
            staged = archive.store.stage(path)  # read once: hashed while it is copied
        except WriteFailed:
            raise
        except OSError as exc:  # reading the source failed while copying it
            row.reason = f"无法读取（{exc.strerror or exc}）"
            return row
        sha = staged.sha256
        try:
            if sha in self.shas:  # the same content twice in this batch: the first one first
                try:
                    self.early = list(self.commit())
                except _BatchFailed as failed:
                    failed.rows.append(row)
                    raise
            try:
                existing = _material_with(archive, sha)
            except DBAPIError as exc:
                if (failure := database_failure(exc, archive.root / DB_NAME)) is not None:
                    raise failure from None
                raise
        except BaseException:
            archive.store.unstage(staged)
            raise
        if existing is not None:
            archive.store.unstage(staged)
            return existing, sha
        if self.parsers is not None and staged.tmp is not None:  # parsed in a child, meanwhile
            parsing = self.parsers.submit(ingest.job(staged.tmp, detected.kind, path.name,
                                                     options.document_metadata))
            return _Read(row, path, detected, staged, docmeta.DocMeta(), [], origin, parsing)
        meta = (docmeta.read(path, detected.kind) if options.document_metadata
                else docmeta.DocMeta())
        active = safety.scan(path)  # stored all the same, but the clerk learns of it now
        return _Read(row, path, detected, staged, meta, active, origin)

    def _parsed(self, read: _Read) -> _Read | ImportRow:
        """The file with what its child found, or its refused row (a damaged or encrypted file
        is only known to be one once it is parsed)."""
        future, read.parsing = read.parsing, None
        assert future is not None
        try:
            found = future.result()
        except Exception:  # noqa: BLE001 - no child could be started: parse it here
            return self._parse_here(read)
        if isinstance(found, Extraction):  # the child failed on it (time limit, crash)
            read.active = [f"活动内容未能检查完（{found.reason}），不能确认安全"]
            read.text = found
            return read
        if found.refused:  # a library's message may name the copy it read: name the file
            tmp = read.staged.tmp
            return self._refuse(read, found.refused.replace(str(tmp), str(read.path))
                                if tmp is not None else found.refused)
        read.detected = replace(read.detected, page_count=found.page_count)
        read.meta, read.active, read.text = found.meta, list(found.active), found.text
        return read

    def _parse_here(self, read: _Read) -> _Read | ImportRow:
        """What the child would have found but the text (the text pass extracts it later)."""
        kind = read.detected.kind
        try:
            pages = check(read.path, kind)
        except Refused as exc:
            return self._refuse(read, str(exc))
        except OSError as exc:
            return self._refuse(read, f"无法读取（{exc.strerror or exc}）")
        read.detected = replace(read.detected, page_count=pages)
        read.meta = (docmeta.read(read.path, kind) if self.options.document_metadata
                     else docmeta.DocMeta())
        read.active = safety.scan(read.path)
        return read

    def _refuse(self, read: _Read, reason: str) -> ImportRow:
        self.archive.store.unstage(read.staged)
        read.row.reason, read.row.kind = reason, ""  # as when detect() refuses it up front
        return read.row

    def _settle_parsing(self) -> None:
        """Wait for the children's findings on every file of the batch."""
        for k, item in enumerate(self.items):
            if isinstance(item, _Read) and item.parsing is not None:
                self.items[k] = self._parsed(item)

    def _ready_prefix(self) -> int:
        """How many items from the start are ready to commit: files whose parsing is done, at
        least self.size of them (or any once BATCH_SECONDS passed); 0 while the children are
        still at them and no more than READ_AHEAD files wait for them (the run's first file is
        waited for: its row is the sign that the import is under way)."""
        while True:
            k = reads = 0
            for item in self.items:
                if isinstance(item, _Read):
                    if item.parsing is not None and not item.parsing.done():
                        break
                    reads += 1
                k += 1
            waiting = [i.parsing for i in self.items[k:]
                       if isinstance(i, _Read) and i.parsing is not None]
            if not waiting or reads >= self.size or (
                    reads and time.monotonic() - self.started >= BATCH_SECONDS):
                return k if reads or not waiting else 0
            if len(waiting) < READ_AHEAD and self.size > 1:
                return 0
            wait_for(waiting[:1])  # the first file's row comes at once (the window shows it)

    def _rows(self) -> list[ImportRow]:
        return [i.row if isinstance(i, _Read) else i for i in self.items]

    def _first_pending(self) -> int:
        """Where the first file waiting for the commit is among the batch's rows."""
        return next((k for k, i in enumerate(self.items) if isinstance(i, _Read)),
                    len(self.items))

    def commit(self, *, ready_only: bool = False) -> Iterator[ImportRow]:
        """Commit what is waiting; its rows, in order (with any committed early). With
        `ready_only` only the files the children are done with (see _ready_prefix): the others
        stay waiting for the next commit."""
        rest: list[ImportRow | _Read] = []
        if ready_only and self.parsers is not None:
            k = self._ready_prefix()
            self.items, rest = self.items[:k], self.items[k:]
        self._settle_parsing()
        early, self.early = self.early, []
        try:
            rows = self._commit_items()
        except _BatchFailed as failed:
            failed.rows[:0] = early
            failed.first += len(early)
            failed.rows.extend(self._forget(rest))
            raise
        except BaseException:
            self._forget(rest)
            raise
        self.items = rest
        self.shas = {i.staged.sha256 for i in rest if isinstance(i, _Read)}
        if rest:
            self.started = time.monotonic()
        yield from early
        yield from rows

    def _forget(self, items: list[ImportRow | _Read]) -> list[ImportRow]:
        """Drop files that were read and will not be committed; their rows."""
        for item in items:
            if isinstance(item, _Read):
                if item.parsing is not None:
                    item.parsing.cancel()
                self.archive.store.unstage(item.staged)
        return [i.row if isinstance(i, _Read) else i for i in items]

    def _commit_items(self) -> list[ImportRow]:
        reads = [i for i in self.items if isinstance(i, _Read)]
        if reads:
            if self._whoosh is None:
                self._whoosh = search.uses_whoosh(self.archive)
            try:
                self.archive.store.settle([r.staged for r in reads])
                _record_all(self.archive, reads, self.codes, self.options, self._whoosh)
                self.size = min(self.size * 2, BATCH_FILES)
            except BaseException as exc:
                rows, first = self._rows(), self._first_pending()
                if _surely_not_committed(exc, self.archive):
                    self._drop_blobs()
                self.items, self.shas = [], set()
                failure = exc if isinstance(exc, WriteFailed) else (
                    database_failure(exc, self.archive.root / DB_NAME)
                    if isinstance(exc, DBAPIError) else None)
                if failure is not None:
                    raise _BatchFailed(failure, rows, first) from None
                raise
        rows = self._rows()
        self.items, self.shas = [], set()
        return rows

    def _drop_blobs(self) -> None:
        for item in self.items:
            if isinstance(item, _Read):
                if item.parsing is not None:
                    item.parsing.cancel()
                self.archive.store.unstage(item.staged)
                if item.staged.new:
                    self.archive.store.discard(item.staged.sha256)  # no material refers to it

    def abandon(self) -> None:
        """Forget what was read and not committed (its new copies are removed)."""
        if self.parsers is not None and any(
                isinstance(i, _Read) and i.parsing is not None for i in self.items):
            self.parsers.close()  # the children stop at once: they read the copies removed now
            self.parsers = None
        self._drop_blobs()
        self.items, self.shas, self.early = [], set(), []


def _surely_not_committed(exc: BaseException, archive: Archive) -> bool:
    """After an I/O error in the commit itself SQLite may still find the transaction in its
    log when it next opens the database, so the copy is kept then (an unreferenced file is
    only a note for verify, a missing one would be damage). A full disk or an error before
    the commit means nothing was written."""
    if not isinstance(exc, DBAPIError):
        return True
    failure = database_failure(exc, archive.root / DB_NAME)
    return failure is not None and failure.disk_full


def _undecodable_name(path: Path) -> str:
    raw = os.fsencode(path.name)
    guess = ""
    with contextlib.suppress(UnicodeDecodeError):
        guess = f"（按 GBK 编码读作“{raw.decode('gb18030')}”）"
    return (f"文件名不是本机使用的 UTF-8 编码{guess}，无法正确保存文件名；"
            "请把文件改名后再导入")


_SAME_CONTENT = (select(MaterialFile.material_id)
                 .where(MaterialFile.sha256 == bindparam("sha")).limit(1))


def _material_with(archive: Archive, sha: str) -> int | None:
    with archive.read() as session:  # a Core statement on the session's connection (asked
        # once per file: the ORM's own execution path cost more than the query)
        return session.connection().execute(_SAME_CONTENT, {"sha": sha}).scalar()


def _file_duplicate(archive: Archive, row: ImportRow, material_id: int, sha: str,
                    codes: list[str], options: ImportOptions) -> ImportRow:
    with archive.write(options.actor) as (session, log):
        material = session.get(Material, material_id)
        assert material is not None
        added = [c for c in codes if c not in material.codes]
        # filings are part of what reviewers sign: a material in review keeps its own
        locked = bool(added) and material.state not in workflow.EDITABLE_STATES
        if added and not locked:
            material.filings.extend(Filing(node_code=c) for c in added)
            log("material.file_under", f"material:{material_id}",
                {"added": added, "via": "duplicate import", "path": row.path})
        row.items = material.codes
        row.id, row.title = material.id, material.title
        state = workflow.STATE_LABELS[workflow.ReviewState(material.state)]
    row.status, row.sha256 = DUPLICATE, sha
    row.reason = f"内容与已有材料 #{material_id}《{row.title}》相同，未重复保存"
    if locked:
        row.reason += (f"；它的状态是「{state}」，审核中或已通过的材料不改归档，没有归入 "
                       f"{'、'.join(added)}（退回后可再归入）")
    elif added:
        row.reason += f"；已将其同时归入 {'、'.join(added)}"
    return row


def _record_all(archive: Archive, reads: list[_Read], codes: list[str], options: ImportOptions,
                whoosh: bool) -> None:
    """One transaction for the files of a batch: their blobs, materials, filings, one audit
    entry each and the search documents of them all."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with archive.write(options.actor) as (session, log):
        known = set(session.scalars(select(Blob.sha256).where(
            Blob.sha256.in_({r.staged.sha256 for r in reads}))))
        department = (department_named(session, options.department)
                      if options.department else None)
        materials = []
        pages: list[dict[str, Any]] = []
        for read in reads:
            path, detected, meta = read.path, read.detected, read.meta
            sha, size = read.staged.sha256, read.staged.size
            title = (options.title or meta.title or path.stem).strip() or path.name
            material_type = options.material_type or meta.material_type or (
                "图片" if detected.kind in formats.IMAGE_KINDS
                else "视频" if detected.kind in formats.VIDEO_KINDS else "其他")
            if sha not in known:
                known.add(sha)
                session.add(Blob(sha256=sha, size=size, kind=detected.kind, mime=detected.mime,
                                 page_count=detected.page_count, stored_at=now,
                                 sm3=read.staged.sm3))
                if read.text is None:  # its text is extracted in the background
                    session.add(TextState(sha256=sha))
                else:  # the child extracted it: stored with it, searchable at once
                    state, rows = texts.first_text(sha, read.text, now)
                    session.add(state)
                    pages += rows
            material = Material(
                title=title, material_type=material_type, created_at=now, updated_at=now,
                created_by=log.actor, material_date=meta.date, doc_number=meta.doc_number,
                caption_time=meta.caption_time, description=meta.note, department=department,
            )
            material.files = [MaterialFile(sha256=sha, filename=path.name, position=0)]
            material.filings = [Filing(node_code=c) for c in codes]
            session.add(material)
            materials.append((read, material, title))
        session.flush()
        if pages:
            session.execute(insert(BlobPage), pages)
        for read, material, title in materials:
            log("material.import", f"material:{material.id}",
                _entry(read, title, codes, options))
        documents.refresh(session, [m.id for _, m, _ in materials], pending=whoosh)
    for read, material, title in materials:
        detected, row = read.detected, read.row
        warning = (f"注意：含活动内容（{'；'.join(read.active)}），导出时不能通过四性检测"
                   "（安全性）；请换用不含脚本、附件和宏的版本") if read.active else ""
        packed = ("压缩包已原样保存为一份材料；要把其中的文件逐个归档，请用“解压导入”"
                  if detected.kind in formats.ARCHIVE_KINDS else "")
        row.status, row.sha256, row.title = STORED, read.staged.sha256, title
        row.kind = detected.kind
        row.id = material.id
        row.reason = "；".join(r for r in (detected.note, warning, packed) if r)


def _entry(read: _Read, title: str, codes: list[str], options: ImportOptions) -> dict[str, Any]:
    """The audit entry of one imported file."""
    meta = read.meta
    entry: dict[str, Any] = {
        "title": title, "items": codes, "department": options.department or "",
        "files": [{"name": read.path.name, "sha256": read.staged.sha256,
                   "size": read.staged.size, "kind": read.detected.kind}],
    }
    if meta != docmeta.DocMeta():  # what was taken from the document, for the trail
        entry["from_document"] = {
            k: v for k, v in (("title", meta.title), ("source", meta.source),
                              ("material_date", meta.date.isoformat() if meta.date else ""),
                              ("doc_number", meta.doc_number),
                              ("material_type", meta.material_type),
                              ("caption_time", meta.caption_time),
                              ("note", meta.note)) if v}
    if read.active:
        entry["active_content"] = read.active
    if read.origin:
        entry["unpacked_from"] = read.origin
    return entry


class _Parsers:
    """Extraction children (ExtractRunner) that parse the files of one import, one thread
    driving each; submit() returns the future of a job's result (ingest.Parsed, or a failed
    Extraction when the child failed on the file)."""

    def __init__(self, workers: int) -> None:
        from desktop.core.extract.runner import ExtractRunner

        self.jobs: queue.SimpleQueue[tuple[Future[Any], Any] | None] = queue.SimpleQueue()
        self.closing = False
        self.runners = [ExtractRunner() for _ in range(workers)]
        for runner in self.runners:
            runner.start()  # the children import their libraries while the first files are read
        self.threads = [threading.Thread(target=self._work, args=(runner,), daemon=True,
                                         name=f"zicha-parse-{n}")
                        for n, runner in enumerate(self.runners)]
        for thread in self.threads:
            thread.start()

    def submit(self, job: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.put((future, job))
        return future

    def _work(self, runner: Any) -> None:
        stop = False
        while not stop:
            item = self.jobs.get()
            if item is None:
                return
            taken = [item]  # what is waiting goes to the child together (ingest.several)
            while len(taken) < JOBS_AT_ONCE:
                try:
                    more = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                taken.append(more)
            started = [(f, job) for f, job in taken if f.set_running_or_notify_cancel()]
            try:
                self._run(runner, started)
            except BaseException as exc:  # noqa: BLE001 - the child could not be started
                for future, _job in started:
                    if not future.done():
                        future.set_exception(exc)

    def _run(self, runner: Any, started: list[tuple[Future[Any], Any]]) -> None:
        if len(started) > 1:
            found = runner.call(ingest.several([job for _f, job in started]))
            if isinstance(found, list) and len(found) == len(started):
                for (future, _job), one in zip(started, found, strict=True):
                    future.set_result(one)
                return
            if self.closing:  # stopped (close): no child is started again
                for future, _job in started:
                    future.set_result(found)
                return
            # the child failed on one of them (time limit, crash): each alone, so that only
            # that file is reported failed
        for future, job in started:
            future.set_result(runner.call(job))

    def close(self) -> None:
        """Stop: jobs not started are cancelled, running ones killed, the children ended."""
        self.closing = True
        while True:
            try:
                item = self.jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        for _ in self.threads:
            self.jobs.put(None)
        for runner in self.runners:
            runner.cancel()
        for thread in self.threads:
            thread.join(timeout=10)
        closing = [threading.Thread(target=r.close, daemon=True) for r in self.runners]
        for thread in closing:
            thread.start()
        for thread in closing:
            thread.join()
