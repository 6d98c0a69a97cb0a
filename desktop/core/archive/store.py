"""Content-addressed file store: files/ab/<sha256>, written once, atomically, never modified."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from desktop.core.common.atomic import fsync_dir, write_failed

CHUNK = 1 << 20


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


class BlobStore:
    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.tmp = tmp

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, source: Path) -> tuple[str, int]:
        """Copy `source` into the store; return (sha256, size). Safe against a crash at any point:
        a partial copy only ever exists as a temporary file, which the next writer removes.

        A failure to read `source` raises its OSError; a failure to write into the store (disk
        full, I/O error, no permission) raises atomic.WriteFailed naming the store."""
        digest = hashlib.sha256()
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
                    while True:
                        chunk = _read(src)
                        if not chunk:
                            break
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                sha = digest.hexdigest()
                dest = self.path_for(sha)
                if dest.is_file():
                    tmp_path.unlink()
                    return sha, size
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
                os.replace(tmp_path, dest)
                tmp_path = None
                fsync_dir(dest.parent)
                return sha, size
            except _SourceUnreadable as exc:
                raise exc.error from None
            except OSError as exc:
                raise write_failed(exc, self.root, needed=max(needed, size)) from None
            finally:
                if tmp_path is not None:
                    tmp_path.unlink(missing_ok=True)

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


class _SourceUnreadable(Exception):
    def __init__(self, error: OSError) -> None:
        self.error = error


def _read(src: BinaryIO) -> bytes:
    """A chunk of the source; its read errors are told apart from the store's write errors."""
    try:
        return src.read(CHUNK)
    except OSError as exc:
        raise _SourceUnreadable(exc) from exc
