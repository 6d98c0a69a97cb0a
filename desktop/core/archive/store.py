"""Content-addressed file store: files/ab/<sha256>, written once, atomically, never modified."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop.core.common import digests
from desktop.core.common.atomic import fsync_dir, fsync_file, write_failed

CHUNK = 1 << 20
SYNC_THREADS = 16  # fsyncs run side by side (a journaling file system commits them together)
_sync_pool: ThreadPoolExecutor | None = None
_sync_lock = threading.Lock()


def _syncing() -> ThreadPoolExecutor:
    """The threads that make staged copies and their folders durable, started once per
    process (a pool started per batch cost more than the fsyncs of a small batch)."""
    global _sync_pool
    with _sync_lock:
        if _sync_pool is None:
            _sync_pool = ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="zicha-fsync")
        return _sync_pool


def _forget_pool() -> None:
    """In a forked child: the parent's threads are not there; a pool is started anew."""
    global _sync_pool, _sync_lock
    _sync_pool, _sync_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading, provided it is a regular file. Opened without waiting (a named
    pipe put in its place since it was checked would otherwise block for ever), then checked."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "不是普通文件（管道或设备）", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def digests_of(path: Path) -> tuple[str, str | None]:
    """The file's SHA-256 and SM3 from one read (SM3 None where OpenSSL has none)."""
    digest, national = hashlib.sha256(), digests.sm3_if_available()
    with open_regular(path) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            if national is not None:
                national.update(chunk)
    return digest.hexdigest(), None if national is None else str(national.hexdigest())


class BlobStore:
    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.tmp = tmp

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, source: Path) -> tuple[str, int]:
        """Copy `source` into the store; return (sha256, size). As stored()."""
        staged = self.stored(source)
        return staged.sha256, staged.size

    def stored(self, source: Path) -> Staged:
        """Copy `source` into the store; return what was stored (its sha256, size and sm3; `new`
        when the store did not hold it). Safe against a crash at any point:
        a partial copy only ever exists as a temporary file, which the next writer removes.

        A failure to read `source` raises its OSError; a failure to write into the store (disk
        full, I/O error, no permission) raises atomic.WriteFailed naming the store."""
        staged = self.stage(source)
        try:
            self.settle([staged])
        finally:
            self.unstage(staged)  # settled: nothing left; failed: its temporary file
        return staged

    def stage(self, source: Path) -> Staged:
        """Copy `source` (read once, hashed while it is copied) to a temporary file of the store,
        not yet put in place: settle() does that for many files at once. Its fsync starts at once
        on a thread of its own (it runs while the caller reads the next files; settle() waits
        for it). Errors as put()'s."""
        digest, national = hashlib.sha256(), digests.sm3_if_available()
        size = 0
        tmp_path: Path | None = None
        try:
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_failed(exc, self.root) from None
        with open_regular(source) as src:
            needed = os.fstat(src.fileno()).st_size
            try:
                fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="incoming-")
                tmp_path = Path(tmp_name)
                with os.fdopen(fd, "wb") as out:
                    while chunk := _read(src):
                        digest.update(chunk)
                        if national is not None:
                            national.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                staged = Staged(digest.hexdigest(), size, tmp_path,
                                sm3=None if national is None else str(national.hexdigest()))
                staged.synced = _syncing().submit(fsync_file, tmp_path)
                tmp_path = None
                return staged
            except _SourceUnreadable as exc:
                raise exc.error from None
            except OSError as exc:
                raise write_failed(exc, self.root, needed=max(needed, size)) from None
            finally:
                if tmp_path is not None:
                    tmp_path.unlink(missing_ok=True)

    def settle(self, staged: list[Staged]) -> None:
        """Make staged copies durable and put them in place (fsync, read-only, rename, fsync of
        their folders); each one's `new` says whether it added a content to the store. A copy of
        a content already stored is dropped. Raises atomic.WriteFailed naming the store."""
        waiting = [s for s in staged if s.tmp is not None]
        if not waiting:
            return
        pool = _syncing()
        try:
            for item in waiting:  # every copy durable before any is put in place
                assert item.tmp is not None
                synced, item.synced = item.synced, None
                if synced is None:
                    fsync_file(item.tmp)
                else:
                    synced.result()
            folders = set()
            for item in waiting:
                assert item.tmp is not None
                dest = self.path_for(item.sha256)
                if dest.is_file():
                    item.tmp.unlink()
                else:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.chmod(item.tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
                    os.replace(item.tmp, dest)
                    item.new = True
                    folders.add(dest.parent)
                item.tmp = None
            list(pool.map(fsync_dir, folders))
        except OSError as exc:
            raise write_failed(exc, self.root, needed=sum(s.size for s in waiting)) from None

    def unstage(self, staged: Staged) -> None:
        """Forget a staged copy that will not be settled."""
        synced, staged.synced = staged.synced, None
        if synced is not None and not synced.cancel():
            with suppress(OSError):  # (Windows cannot remove a file that is open)
                synced.result()
        if staged.tmp is not None:
            staged.tmp.unlink(missing_ok=True)
            staged.tmp = None

    def discard(self, sha256: str) -> None:
        """Remove a stored file that no material refers to (one just put whose record could
        not be committed)."""
        path = self.path_for(sha256)
        with suppress(OSError):
            path.unlink()

    def iter_stored(self) -> Iterator[tuple[str, Path]]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir():
                for path in sorted(sub.iterdir()):
                    yield path.name, path

    def clean_tmp(self) -> int:
        """Remove leftovers of interrupted writes. Only call while holding the archive lock."""
        removed = 0
        if self.tmp.is_dir():
            for path in self.tmp.iterdir():
                if path.is_file():
                    path.chmod(stat.S_IWUSR | stat.S_IRUSR)
                    path.unlink()
                    removed += 1
        return removed


@dataclass
class Staged:
    """A file copied into the store's temporary folder by stage(), until settle()."""

    sha256: str
    size: int
    tmp: Path | None  # None once settled (or dropped)
    new: bool = False  # settle() put a content into the store that was not there
    synced: Future[None] | None = None  # the copy's fsync, started by stage()
    sm3: str | None = None  # of the same bytes (None where OpenSSL has no SM3)


class _SourceUnreadable(Exception):
    def __init__(self, error: OSError) -> None:
        self.error = error


def _read(src: BinaryIO) -> bytes:
    """A chunk of the source; its read errors are told apart from the store's write errors."""
    try:
        return src.read(CHUNK)
    except OSError as exc:
        raise _SourceUnreadable(exc) from exc
