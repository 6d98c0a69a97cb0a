"""Content-addressed file store: files/ab/<sha256>, written once, atomically, never modified."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory for fsync; NTFS journals renames
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        a partial copy only ever exists as a temporary file, which the next writer removes."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="incoming-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
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
            _fsync_dir(dest.parent)
            return sha, size
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

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
