"""Fault injection for the fault suite (issue 12).

  - `small_disk`   : a folder on a real, small file system (tmpfs of 2 MB; else a loop-mounted
                     ext4 image) that a test can fill to the last byte. Mounting needs root:
                     elsewhere the tests using it are skipped, with the reason. The mount is
                     removed after the test, also when the test fails.
  - `run_limited`  : runs `zicha` with RLIMIT_FSIZE (no file the command writes may grow past
                     the limit: the write fails with EFBIG, Python ignores SIGXFSZ). Works on
                     every POSIX machine, root or not: the fallback of the disk-full tests.
  - `run_unprivileged` : runs `zicha` so that mode bits apply even as root (CAP_DAC_OVERRIDE
                     and CAP_DAC_READ_SEARCH dropped before the command starts), for
                     unreadable files and folders.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IS_ROOT, CliResult, ZichaCli

SMALL_DISK_BYTES = 2 * 1024 * 1024


@dataclass
class SmallDisk:
    path: Path  # an empty folder, the root of the small file system
    how: str  # what it is, for messages ("tmpfs 2 MB")

    def free(self) -> int:
        return shutil.disk_usage(self.path).free

    def fill(self, leave: int = 0) -> None:
        """Take the free space down to at most `leave` bytes with filler files (kept outside
        the folders under test: `path/.filler-*`)."""
        n = 0
        while (room := self.free() - leave) > 0:
            filler = self.path / f".filler-{n}"
            n += 1
            try:
                with filler.open("wb") as fh:
                    chunk = b"\0" * min(room, 1 << 16)
                    written = 0
                    while written < room:
                        fh.write(chunk[: room - written])
                        written += min(len(chunk), room - written)
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
                return
            if n > 64:
                return

    def unfill(self) -> None:
        for filler in self.path.glob(".filler-*"):
            filler.unlink()

    def contents(self, folder: Path | None = None) -> list[str]:
        """Every name under `folder` (default: the disk), fillers left out."""
        base = folder or self.path
        return sorted(p.relative_to(base).as_posix() for p in base.rglob("*")
                      if not p.name.startswith(".filler-"))


def _run(args: list[str]) -> bool:
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


def _mount_small(mount_point: Path, image: Path) -> str | None:
    """Mount a small file system on `mount_point`; what it is, or None if none can be made."""
    if _run(["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK_BYTES},mode=0755",
             "zicha-fault", str(mount_point)]):
        return f"tmpfs {SMALL_DISK_BYTES >> 20} MB"
    if shutil.which("mkfs.ext4") is None:
        return None
    with image.open("wb") as fh:
        fh.truncate(4 * SMALL_DISK_BYTES)
    if (_run(["mkfs.ext4", "-q", "-F", "-m", "0", str(image)])
            and _run(["mount", "-o", "loop", str(image), str(mount_point)])):
        return f"ext4 loop {4 * SMALL_DISK_BYTES >> 20} MB"
    return None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root; run_limited covers disk full")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    how = _mount_small(mount_point, tmp_path / "small-disk.img")
    if how is None:
        pytest.skip("this machine cannot mount a tmpfs or a loop ext4 file system")
    try:
        yield SmallDisk(mount_point, how)
    finally:
        if not _run(["umount", str(mount_point)]):
            _run(["umount", "-l", str(mount_point)])  # still busy: detach it anyway


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def run_limited(cli: ZichaCli, *args: str | Path, limit: int,
                timeout: float = 120) -> CliResult:
    """`zicha ARGS` where no file may grow past `limit` bytes (RLIMIT_FSIZE)."""
    if sys.platform == "win32":
        pytest.skip("RLIMIT_FSIZE is POSIX only")
    proc = subprocess.run(cli.command(*args), cwd=cli.cwd, env=cli.env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False,
                          preexec_fn=_file_size_limit(limit))
    return CliResult([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr)


_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _drop_file_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def can_drop_capabilities() -> bool:
    if not IS_ROOT:
        return True  # nothing to drop: mode bits apply already
    if not sys.platform.startswith("linux"):
        return False
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_drop_file_capabilities,
                           capture_output=True, check=False)
    return probe.returncode == 0


def run_unprivileged(cli: ZichaCli, *args: str | Path, timeout: float = 120) -> CliResult:
    """`zicha ARGS` for which a mode-000 file or folder is unreadable, also when the tests run
    as root (root's capabilities to ignore mode bits are dropped in the child; the files the
    command needs belong to the same user, so owner permissions let it work as usual)."""
    if IS_ROOT and not can_drop_capabilities():
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE for the child")
    preexec = _drop_file_capabilities if IS_ROOT else None
    proc = subprocess.run(cli.command(*args), cwd=cli.cwd, env=cli.env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False,
                          preexec_fn=preexec)
    return CliResult([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr)


@contextlib.contextmanager
def mode(path: Path, bits: int) -> Iterator[None]:
    """chmod `path` for the block, restored afterwards (so pytest can remove it)."""
    old = path.stat().st_mode & 0o7777
    os.chmod(path, bits)
    try:
        yield
    finally:
        os.chmod(path, old)
