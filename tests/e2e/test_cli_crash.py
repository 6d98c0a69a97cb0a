"""kill -9 in the middle of an import: nothing committed is lost, the archive checks clean,
and the next import completes (DESIGN.md §7, issue 2 "What must be shown")."""

from __future__ import annotations

import queue
import signal
import threading
import time
from pathlib import Path

from tests.conftest import FileBuilder, ZichaCli

FILES = 240  # parsed in children, committed in batches: enough that the kill lands mid-way
KILL_AFTER = 2


def _pump(stream, lines: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def test_import_killed_midway_leaves_a_clean_archive(zicha_cli: ZichaCli, cli_archive: Path,
                                                     file_builder: FileBuilder) -> None:
    folder = file_builder.base / "批量导入"
    for n in range(FILES):
        sub = f"第{n // 20 + 1}批"
        file_builder.pdf(f"批量导入/{sub}/材料{n:03d} 关于文明创建的报告.pdf",
                         text=f"文明创建工作报告 {n}" * 4, pages=1 + n % 3)

    proc = zicha_cli.popen("import", folder, "--item", "06", "--archive", cli_archive)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
    reader.start()
    printed: list[str] = []
    deadline = time.monotonic() + 60
    while sum(line.startswith("已保存") for line in printed) < KILL_AFTER:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        assert line is not None, f"import ended before it was killed: {printed}"
        printed.append(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=30)
    while (line := lines.get_nowait()) is not None:
        printed.append(line)
    assert proc.stderr is not None
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    committed = {int(line.split("\t")[1].lstrip("#")) for line in printed
                 if line.startswith("已保存")}
    assert KILL_AFTER <= len(committed) < FILES, "the kill did not land mid-way"

    report = zicha_cli.ok_json("verify", cli_archive)
    assert report["ok"] is True, report
    survived = zicha_cli.ok_json("list", "--archive", cli_archive)
    assert committed <= {m["id"] for m in survived}  # nothing reported as stored was lost

    rows = zicha_cli.ok_json("import", folder, "--item", "06", "--archive", cli_archive)
    assert len(rows) == FILES
    assert {r["status"] for r in rows} <= {"stored", "duplicate"}
    assert sum(r["status"] == "duplicate" for r in rows) == len(survived)
    materials = zicha_cli.ok_json("list", "--archive", cli_archive)
    assert len(materials) == FILES
    assert len({m["files"][0]["sha256"] for m in materials}) == FILES
    blobs = [p for p in (cli_archive / "files").rglob("*") if p.is_file()]
    assert len(blobs) == FILES
    assert list((cli_archive / "tmp").iterdir()) == []
    final = zicha_cli.ok_json("verify", cli_archive)
    assert final["ok"] is True, final
    assert all(not c["notes"] for c in final["checks"]), final
