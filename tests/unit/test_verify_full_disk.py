"""Checking an archive on a full disk says the disk is full, not that the archive is damaged."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.common.errors import NotAnArchive, ZichaError


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_verify_on_a_full_disk_blames_the_disk(small_disk: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = small_disk / "档案"
    Archive.create(root).close()
    for leftover in (root / f"{DB_NAME}-wal", root / f"{DB_NAME}-shm"):
        leftover.unlink(missing_ok=True)
    before = (root / DB_NAME).read_bytes()
    with contextlib.suppress(OSError), (small_disk / "fill").open("wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
    assert shutil.disk_usage(small_disk).free < 65536
    with pytest.raises(ZichaError) as caught:
        Archive.open(root, writable=False)
    assert not isinstance(caught.value, NotAnArchive)
    assert "磁盘已满" in str(caught.value) and "不表示档案已损坏" in str(caught.value)
    assert (root / DB_NAME).read_bytes() == before
