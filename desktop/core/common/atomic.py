"""Output files that appear whole or not at all, and one clear line when the disk says no.

Every file Zicha writes for the user (exports, review packages, decisions files, 台账, 周报,
keys) goes through `AtomicFile`: it is written under a hidden temporary name in the same
folder, flushed to the disk (fsync), renamed to its final name, and the folder is flushed so
the rename survives a power cut. On any error the temporary file is removed, so a full disk
leaves neither a partial nor an empty file under the final name.

`WriteFailed` turns the operating system's error into a sentence naming the file: a full disk
says how much was needed and how much is left ("磁盘已满：写入 … 需要约 N MB，剩余 M MB").
It is a ZichaError (the command line and the window show it as is) and also an OSError, so
code that already handles OSError for a file it writes shows the sentence too.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from desktop.core.common.errors import ZichaError

# errors that can only come from writing: a full disk, a quota, a file size limit
# (RLIMIT_FSIZE, or 4 GB on a FAT32 USB stick)
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_MB = 1 << 20


class WriteFailed(ZichaError, OSError):
    """A file could not be written: disk full, file size limit, I/O error, no permission."""

    def __init__(self, message: str, *, path: Path, code: int | None = None,
                 hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.path = Path(path)
        self.errno = code  # OSError's attribute: callers may test for errno.ENOSPC

    @property
    def disk_full(self) -> bool:
        return self.errno in NO_ROOM


def mb_text(size: int) -> str:
    """Megabytes: "0.05 MB" (at least 0.01 for anything but nothing), "3.4 MB", "12 MB"."""
    if size <= 0:
        return "0 MB"
    value = size / _MB
    if value >= 10:
        return f"{value:.0f} MB"
    if value >= 1:
        return f"{value:.1f} MB"
    return f"{max(value, 0.01):.2f} MB"


def free_space(path: Path) -> int | None:
    """Bytes free for this user on the disk holding `path` (or its nearest existing parent)."""
    for candidate in (Path(path), *Path(path).parents):
        with suppress(OSError):
            if candidate.exists():
                return shutil.disk_usage(candidate).free
    return None


def write_failed(exc: OSError, path: Path, *, needed: int | None = None) -> WriteFailed:
    """The one line for an OSError raised while writing `path`."""
    if isinstance(exc, WriteFailed):
        return exc
    path = Path(path)
    code = exc.errno
    if code in NO_ROOM:
        free = free_space(path.parent)
        left = f"，剩余 {mb_text(free)}" if free is not None else ""
        need = f"需要约 {mb_text(needed)}" if needed else "空间不足"
        if code == errno.EFBIG:
            return WriteFailed(
                f"文件太大：写入 {path} {need}，超过了这个磁盘或系统允许的单个文件大小"
                f"（FAT32 格式的 U 盘最大 4 GB）；请换一个磁盘（NTFS/exFAT）后重试",
                path=path, code=code)
        return WriteFailed(f"磁盘已满：写入 {path} {need}{left}；请腾出空间或换一个位置后重试",
                           path=path, code=code)
    if code == errno.EIO:
        return WriteFailed(f"磁盘读写错误：写入 {path} 失败；请检查磁盘或 U 盘是否已拔出或损坏，"
                           "然后重试", path=path, code=code)
    if code == errno.EROFS:
        return WriteFailed(f"{path.parent} 所在的磁盘是只读的，无法写入 {path.name}；"
                           "请换一个位置", path=path, code=code)
    if code in (errno.EACCES, errno.EPERM):
        return WriteFailed(f"没有写入 {path} 的权限；请换一个位置或检查文件夹权限",
                           path=path, code=code)
    if code == errno.ENAMETOOLONG:
        return WriteFailed(f"文件名太长，无法写入 {path}；请换一个短一些的名称",
                           path=path, code=code)
    if code == errno.EISDIR:
        return WriteFailed(f"{path} 是一个文件夹；请给出文件名", path=path, code=code)
    if code == errno.ENOENT:
        return WriteFailed(f"无法写入 {path}：文件夹 {path.parent} 不存在（或已被移走）；"
                           "请先建好要保存到的文件夹", path=path, code=code)
    return WriteFailed(f"无法写入 {path}：{exc.strerror or exc}", path=path, code=code)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; Windows cannot open a folder, NTFS journals)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows needs write access
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(out: Path) -> Path:
    """A hidden name next to `out` that no other writer picks, short enough for any file
    system (the final name may already be near the 255-byte limit)."""
    return out.with_name(f".{out.name[:40]}.{secrets.token_hex(4)}.tmp")


class AtomicFile:
    """`out`, written under a temporary name. Create the file with `open()` (or write to `path`
    with a library that saves to a path), then `commit()`; `discard()` on failure.

    `needed` is the expected size, for the disk-full message. `private` makes the file readable
    by its owner only from the moment it exists (keys). `overwrite=False` refuses to replace a
    file that appeared meanwhile under the final name."""

    def __init__(self, out: Path, *, needed: int | None = None, private: bool = False,
                 overwrite: bool = True) -> None:
        self.out = Path(out)
        self.needed = needed
        self.overwrite = overwrite
        self.path = temporary_name(self.out)
        mode = 0o600 if private else 0o666  # the umask applies, as for any new file
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            os.close(os.open(self.path, flags, mode))
        except OSError as exc:
            raise write_failed(exc, self.out, needed=needed) from None
        self._done = False
        self.published = False

    def open(self) -> BinaryIO:
        """The temporary file, for writing (closing it is the caller's job)."""
        return open(self.path, "r+b")  # noqa: SIM115 - the caller closes it

    def failed(self, exc: OSError) -> WriteFailed:
        """`exc`, raised while writing this file, as the one line to show; needed is at least
        what was written so far."""
        size = 0
        with suppress(OSError):
            size = self.path.stat().st_size
        self.discard()
        return write_failed(exc, self.out, needed=max(self.needed or 0, size) or None)

    def commit(self) -> None:
        """Flush the complete file to the disk and give it its final name."""
        if self._done:
            raise RuntimeError("AtomicFile committed or discarded twice")
        try:
            fsync_file(self.path)
            self._publish()
            self._done = self.published = True
            fsync_dir(self.out.parent)
        except OSError as exc:
            if not self._done:
                raise self.failed(exc) from None
            # the file is complete under its name; only the folder's flush failed
            raise write_failed(exc, self.out, needed=self.needed) from None

    def publish(self) -> None:
        """Give the file its final name without flushing it (see write_bytes(durable=False))."""
        self._publish()
        self._done = self.published = True

    def _publish(self) -> None:
        if self.overwrite:
            os.replace(self.path, self.out)
            return
        try:  # a hard link fails if the name is taken, with no window for a race
            os.link(self.path, self.out)
        except FileExistsError:
            self.discard()
            raise ZichaError(f"{self.out} 已存在；不会覆盖（请换一个名称）") from None
        except OSError:  # FAT and some network drives have no hard links
            if self.out.exists():
                self.discard()
                raise ZichaError(f"{self.out} 已存在；不会覆盖（请换一个名称）") from None
            os.replace(self.path, self.out)
            return
        self.path.unlink()

    def discard(self) -> None:
        """Remove the temporary file (nothing under the final name was touched)."""
        self._done = True
        with suppress(OSError):
            self.path.unlink()

    def retract(self) -> None:
        """Undo: the temporary file, or the published file if it was already renamed."""
        if self.published:
            with suppress(OSError):
                self.out.unlink()
            self.published = False
        self.discard()


@contextmanager
def undone_on_failure(db_path: Path) -> Iterator[list[AtomicFile]]:
    """Wrap a database transaction that records files it publishes (append each AtomicFile
    to the list): if the block fails — the commit itself included — they are removed again, so
    no file is left that the archive's log does not know. A commit the disk refused becomes
    the one line of database_failure()."""
    published: list[AtomicFile] = []
    try:
        yield published
    except BaseException as exc:
        for target in published:
            target.retract()
        failure = database_failure(exc, db_path)
        if failure is None:
            raise
        names = "、".join(t.out.name for t in published)
        suffix = f"（{names} 因此没有留下）" if names else ""
        raise WriteFailed(f"{failure}{suffix}", path=failure.path,
                          code=failure.errno) from None


@contextmanager
def atomic_path(out: Path, *, needed: int | None = None, private: bool = False,
                overwrite: bool = True) -> Iterator[Path]:
    """A temporary path for a library that saves to a path; committed when the block ends."""
    target = AtomicFile(out, needed=needed, private=private, overwrite=overwrite)
    try:
        yield target.path
    except OSError as exc:
        if exc.errno in NO_ROOM:
            raise target.failed(exc) from None
        target.discard()
        raise
    except BaseException:
        target.discard()
        raise
    target.commit()


@contextmanager
def atomic_file(out: Path, *, needed: int | None = None, private: bool = False,
                overwrite: bool = True) -> Iterator[BinaryIO]:
    """An open temporary file; closed, flushed and renamed to `out` when the block ends. A
    full disk (also when the last buffered bytes are written on closing) raises WriteFailed."""
    target = AtomicFile(out, needed=needed, private=private, overwrite=overwrite)
    try:
        fh = target.open()
    except OSError as exc:
        raise target.failed(exc) from None
    try:
        yield fh
    except OSError as exc:
        with suppress(OSError):
            fh.close()
        if exc.errno in NO_ROOM:
            raise target.failed(exc) from None
        target.discard()
        raise
    except BaseException:
        with suppress(OSError):
            fh.close()
        target.discard()
        raise
    try:
        fh.close()  # writes what is still buffered: a full disk may show only here
    except OSError as exc:
        raise target.failed(exc) from None
    target.commit()


def write_bytes(out: Path, data: bytes, *, private: bool = False,
                overwrite: bool = True, durable: bool = True) -> None:
    """`data` as the complete content of `out`, or (on any error) no change to `out`.
    `durable=False` skips the flushes to the disk (for a small record rewritten at every
    commit, whose caller flushes it later): whole or absent after a crash of the program,
    possibly older after a power cut."""
    if durable:
        with atomic_file(out, needed=len(data), private=private, overwrite=overwrite) as fh:
            fh.write(data)
        return
    target = AtomicFile(out, needed=len(data), private=private, overwrite=overwrite)
    try:
        with target.open() as fh:
            fh.write(data)
        target.publish()
    except OSError as exc:
        raise target.failed(exc) from None


def remove_tree(path: Path) -> None:
    """Remove a folder written in part (read-only files included), ignoring what is gone."""
    def writable_then_retry(func, target, _exc):  # type: ignore[no-untyped-def]
        with suppress(OSError):
            os.chmod(target, stat.S_IRWXU)
            func(target)

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=writable_then_retry)


class AtomicFolder:
    """A folder `out` built under a temporary name next to it and renamed when complete
    (export --folder); `discard()` removes all of it."""

    def __init__(self, out: Path, *, needed: int | None = None) -> None:
        self.out = Path(out)
        self.needed = needed
        self.path = temporary_name(self.out)
        try:
            self.path.mkdir()
        except OSError as exc:
            raise write_failed(exc, self.out, needed=needed) from None

    def failed(self, exc: OSError) -> WriteFailed:
        written = 0
        with suppress(OSError):
            written = sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        self.discard()
        return write_failed(exc, self.out, needed=max(self.needed or 0, written) or None)

    def commit(self) -> None:
        """Flush every folder of the tree (the files are flushed as they are written), then
        give the tree its final name."""
        try:
            for top, _dirs, _files in os.walk(self.path):
                fsync_dir(Path(top))
            if self.out.exists():
                self.discard()
                raise ZichaError(f"{self.out} 已存在；不会覆盖（请换一个名称）")
            os.rename(self.path, self.out)
            fsync_dir(self.out.parent)
        except OSError as exc:
            if self.path.exists():
                raise self.failed(exc) from None
            raise write_failed(exc, self.out, needed=self.needed) from None

    def discard(self) -> None:
        remove_tree(self.path)


# -- the archive database -------------------------------------------------------------------

_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_READONLY = 13, 10, 8


def database_failure(exc: BaseException, db_path: Path) -> WriteFailed | None:
    """The one line for SQLite refusing a write because of the disk (full, I/O error, read
    only), or None for anything else. A failed commit leaves the database as it was before
    the transaction: the message says so, so that it never reads like corruption."""
    orig = getattr(exc, "orig", exc)  # SQLAlchemy wraps the sqlite3 error
    if not isinstance(orig, sqlite3.DatabaseError):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(orig).lower()
    unchanged = "这一步的改动没有保存，档案中已有的内容不受影响"
    free = free_space(db_path.parent)
    left = f"，剩余 {mb_text(free)}" if free is not None else ""
    if primary == _SQLITE_FULL or "database or disk is full" in text or (
            primary == _SQLITE_IOERR and free is not None and free < 4 * _MB):
        # a full disk often shows as "disk I/O error" (SQLite could not grow its WAL file)
        return WriteFailed(f"磁盘已满：写入档案数据库 {db_path} 失败{left}；{unchanged}；"
                           "请腾出空间后重试", path=db_path, code=errno.ENOSPC)
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return WriteFailed(f"磁盘读写错误：写入档案数据库 {db_path} 失败；{unchanged}；"
                           "请检查磁盘（或 U 盘是否已拔出）后重试", path=db_path, code=errno.EIO)
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return WriteFailed(f"档案数据库 {db_path} 是只读的（只读磁盘或没有写权限）；{unchanged}",
                           path=db_path, code=errno.EROFS)
    return None
