"""Opening an archive folder that this process already has open (issue 11, item 9): the
window reopening the archive it shows, or the demo opened twice, shares the lock; another
process is still refused with the lock message."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item, nodes
from desktop.core.common.errors import ArchiveLocked

OTHER_PROCESS = r"""
import sys
from desktop.core.archive.archive import Archive
from desktop.core.common.errors import ArchiveLocked
try:
    archive = Archive.open(sys.argv[1])
except ArchiveLocked as exc:
    print("LOCKED", exc, flush=True)
    sys.exit(3)
print("OPEN", flush=True)
sys.stdin.readline()
archive.close()
"""


@contextmanager
def other_process(root: Path) -> Iterator[subprocess.Popen[str]]:
    """A second Python process that tries to open `root` writable and, if it can, keeps it open
    until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS, str(root)], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, encoding="utf-8")
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.communicate("\n", timeout=60)


def first_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    return proc.stdout.readline().strip()


def codes(archive: Archive) -> set[str]:
    return {n.code for n in nodes(archive)}


def test_reopening_in_the_same_process_shares_the_archive(core_archive: Archive) -> None:
    root = core_archive.root
    again = Archive.open(root)  # no ArchiveLocked: this process already holds the folder
    assert again.writable
    add_item(again, "01.01", "由第二次打开写入")
    add_item(core_archive, "01.02", "由第一次打开写入")
    assert {"01.01", "01.02"} <= codes(again) and {"01.01", "01.02"} <= codes(core_archive)
    # the same folder reached by another spelling of its path is the same archive
    third = Archive.open(root.parent / ".." / root.parent.name / root.name)
    third.close()
    again.close()
    # the first opening still holds the folder: another process is still refused
    with other_process(root) as proc:
        line = first_line(proc)
        assert proc.wait(timeout=60) == 3, line
    assert line.startswith("LOCKED") and "正被另一个程序使用" in line and "pid" in line
    add_item(core_archive, "01.03", "仍可写入")


def test_the_window_pattern_open_new_then_close_old(core_archive: Archive) -> None:
    """The window opens the archive it is switching to before it closes the one it shows."""
    root = core_archive.root
    new = Archive.open(root)
    core_archive.close()
    add_item(new, "02.01", "关闭旧的之后仍可写")
    with other_process(root) as proc:
        assert first_line(proc).startswith("LOCKED")
    new.close()
    with other_process(root) as proc:  # the last one closed: the folder is free
        assert first_line(proc) == "OPEN"
        with pytest.raises(ArchiveLocked, match="正被另一个程序使用"):
            Archive.open(root)
        with Archive.open(root, writable=False) as reader:  # readers need no lock
            assert "02.01" in codes(reader)


def test_a_failed_open_leaves_no_share_behind(tmp_path: Path, core_archive: Archive) -> None:
    root = core_archive.root
    core_archive.close()
    with other_process(root) as proc:
        assert first_line(proc) == "OPEN"
        with pytest.raises(ArchiveLocked):
            Archive.open(root)
    with Archive.open(root) as archive:  # the refused attempt did not count as an opening
        assert archive.writable
    with other_process(root) as proc:
        assert first_line(proc) == "OPEN"


def test_writes_from_two_openings_on_two_threads_are_serialised(core_archive: Archive) -> None:
    again = Archive.open(core_archive.root)
    errors: list[BaseException] = []

    def add(archive: Archive, start: int) -> None:
        try:
            for n in range(start, start + 10):
                add_item(archive, f"03.{n:02d}", f"测评内容 {n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(a, s))
               for a, s in ((core_archive, 1), (again, 11))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    again.close()
    assert errors == []
    assert {f"03.{n:02d}" for n in range(1, 21)} <= codes(core_archive)
