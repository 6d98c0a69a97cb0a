"""The archive check while another program writes: no false alarms."""

from __future__ import annotations

import sqlite3
import threading
import time

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.materials.importer import ImportOptions, import_paths
from tests.conftest import FileBuilder


def test_verify_during_writes_reports_no_damage(core_archive: Archive,
                                                file_builder: FileBuilder) -> None:
    list(import_paths(core_archive, [file_builder.pdf("一.pdf")], ImportOptions(codes=["01"])))
    stop = threading.Event()
    commits = 0

    def writer() -> None:  # another process's short write transactions, as an import makes
        nonlocal commits
        conn = sqlite3.connect(core_archive.root / DB_NAME, timeout=30, isolation_level=None)
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO archive_info(key, value) VALUES('busy', ?)",
                         (str(time.monotonic()),))
            time.sleep(0.002)
            conn.execute("COMMIT")
            commits += 1
            time.sleep(0.005)  # the import's work between two files
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    reports = []
    give_up = time.monotonic() + 90
    try:  # enough checks and enough commits between them, however busy the machine is
        while (len(reports) < 8 or commits < 20) and time.monotonic() < give_up:
            reports.append(verify_archive(core_archive))
    finally:
        stop.set()
        thread.join()
    assert commits >= 20 and len(reports) >= 8
    problems = [p for r in reports for c in r.checks for p in c.problems]
    assert problems == []
