"""Disk full and I/O errors (issue 12, item 8): exports, review packages, decisions files,
台账, 周报, keys and imports on a disk with no room left — a real small file system (tmpfs,
`small_disk`) and, on every machine, a file size limit (`run_limited`, RLIMIT_FSIZE).

Each refused write must be one clear line naming the file ("磁盘已满：写入 … 需要约 N MB，
剩余 M MB"), never an internal error or a traceback; leave no partial, temporary or 0-byte
file and nothing under the final name; change nothing in the archive; and an import reports
honestly (--json included) what it had stored before the failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import (
    REVIEW_PASS,
    CliResult,
    ZichaCli,
    build_reviewed_archive,
    db_snapshot,
)
from tests.fault.conftest import SmallDisk, run_limited
from tests.gui.helpers import open_and_wait


@pytest.fixture(scope="session")
def _reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("disk-full")
    root, home = base / "档案", base / "home"
    ids = build_reviewed_archive(root, home, base / "files")
    return root, home, ids


@pytest.fixture
def reviewed(tmp_path: Path, _reviewed) -> tuple[Path, ZichaCli, dict[str, int]]:  # type: ignore[no-untyped-def]
    """A copy of an archive with final-approved materials, and the clerk's `zicha`."""
    root, home, ids = _reviewed
    copy = tmp_path / "档案"
    shutil.copytree(root, copy, symlinks=True)
    return copy, ZichaCli(tmp_path, tmp_path).as_person("经办人甲", home,
                                                         passphrase=REVIEW_PASS), ids


def _move(root: Path, disk: SmallDisk) -> Path:
    target = disk.path / "档案"
    shutil.copytree(root, target, symlinks=True)
    return target


def clean_failure(result: CliResult, *words: str) -> str:
    """Exit 1 and one line on stderr that names what it is about; no internal error."""
    assert result.returncode == 1, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    line = result.stderr_lines[0]
    assert "内部错误" not in line and "Traceback" not in result.stderr, str(result)
    assert "Errno" not in line, str(result)
    for word in words:
        assert word in line, (word, str(result))
    return line


def disk_full_line(result: CliResult, out: Path) -> str:
    line = clean_failure(result, f"磁盘已满：写入 {out} 需要约 ", " MB，剩余 ")
    return line


# -- exports -----------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", [False, True], ids=["zip", "folder"])
def test_an_export_onto_a_full_disk(small_disk: SmallDisk, reviewed, folder: bool) -> None:  # type: ignore[no-untyped-def]
    root, cli, _ids = reviewed
    out = small_disk.path / ("申报材料" if folder else "申报材料.zip")
    small_disk.fill(leave=64 * 1024)
    before = db_snapshot(root)
    result = cli.run("export", out, *(["--folder"] if folder else []), "--archive", root)
    # no OUT.zip, no OUT.zip.partial, no temporary file
    assert small_disk.contents() == [], str(result)
    disk_full_line(result, out)
    assert db_snapshot(root) == before  # no export in the audit log
    small_disk.unfill()  # with room again the same export works: nothing was harmed
    cli.ok("export", out, *(["--folder"] if folder else []), "--archive", root)
    assert out.exists()


def test_an_export_over_the_file_size_limit(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, cli, _ids = reviewed
    out_dir = tmp_path / "U盘"
    out_dir.mkdir()
    out = out_dir / "申报材料.zip"
    before = db_snapshot(root)
    result = run_limited(cli, "export", out, "--archive", root, limit=100_000)
    clean_failure(result, "文件太大：写入 ", "MB")
    assert list(out_dir.iterdir()) == []
    assert db_snapshot(root) == before


def test_an_export_whose_log_cannot_be_committed_leaves_nothing(small_disk: SmallDisk,  # type: ignore[no-untyped-def]
                                                                reviewed,
                                                                tmp_path: Path) -> None:
    """The bag is complete and on the disk, then the commit of `export.write` to the audit
    log fails (the archive's disk is full): the export must not stay under its name, looking
    like an export the archive does not know of."""
    root, cli, _ids = reviewed
    archive = _move(root, small_disk)
    out = tmp_path / "申报材料.zip"
    committed_failure = False
    # The archive must still open (SQLite's shared memory file, 32 KB, may have to be made),
    # then the first page of the log must not fit. Where exactly that is depends on the file
    # system's accounting: from no room at all upwards, 4 KB at a time, until it happens.
    for leave in range(0, 96 * 1024, 4096):
        before = db_snapshot(archive)
        small_disk.fill(leave=leave)
        result = cli.run("export", out, "--archive", archive)
        small_disk.unfill()
        if result.returncode == 0:
            break
        assert not out.exists() and list(tmp_path.glob("*申报材料*")) == [], str(result)
        line = clean_failure(result)
        assert db_snapshot(archive) == before
        if "写入档案数据库" in line:
            assert line.startswith(f"zicha: 磁盘已满：写入档案数据库 {archive / 'zicha.db'}")
            assert "申报材料.zip 因此没有留下" in line
            committed_failure = True
            break
    assert committed_failure, "no free space left made the log's commit the failing write"


# -- review packages and decisions files -----------------------------------------------------

def test_a_review_package_onto_a_full_disk(small_disk: SmallDisk, reviewed) -> None:  # type: ignore[no-untyped-def]
    root, cli, _ids = reviewed
    out = small_disk.path / "初审包.zip"
    small_disk.fill()
    before = db_snapshot(root)
    result = cli.run("package", "export", "--stage", "first", "--out", out, "--archive", root)
    disk_full_line(result, out)
    assert small_disk.contents() == []
    assert db_snapshot(root) == before


def test_a_decisions_file_onto_a_full_disk(small_disk: SmallDisk, reviewed,  # type: ignore[no-untyped-def]
                                           tmp_path: Path) -> None:
    root, cli, ids = reviewed
    package = tmp_path / "初审包.zip"
    cli.ok("package", "export", "--stage", "first", "--out", package, "--archive", root)
    reviewer = cli.as_person("初审乙", Path(cli.env["ZICHA_HOME"]), passphrase=REVIEW_PASS)
    out = small_disk.path / "初审决定.json"
    small_disk.fill()
    result = reviewer.run("package", "review", package, "--as", "初审乙", "--approve",
                          str(ids["尚在初审的工作总结"]), "--comment", "同意", "--out", out)
    disk_full_line(result, out)
    assert small_disk.contents() == []  # no 0-byte decisions file
    small_disk.unfill()
    reviewer.ok("package", "review", package, "--as", "初审乙", "--approve",
                str(ids["尚在初审的工作总结"]), "--comment", "同意", "--out", out)
    assert out.stat().st_size > 0


# -- 台账, 周报, keys --------------------------------------------------------------------------

@pytest.mark.parametrize(("command", "name"), [(("tasks", "export"), "台账.xlsx"),
                                               (("report", "weekly"), "周报.docx")])
def test_ledger_and_weekly_report_onto_a_full_disk(small_disk: SmallDisk, reviewed,  # type: ignore[no-untyped-def]
                                                   command: tuple[str, str], name: str) -> None:
    root, cli, _ids = reviewed
    out = small_disk.path / name
    small_disk.fill()
    result = cli.run(*command, out, "--archive", root)
    disk_full_line(result, out)
    assert small_disk.contents() == []  # no 0-byte file
    # a file of that name from last week stays as it was
    small_disk.unfill()
    out.write_bytes(b"last week's file")
    small_disk.fill()
    disk_full_line(cli.run(*command, out, "--archive", root), out)
    assert out.read_bytes() == b"last week's file"
    assert small_disk.contents() == [name]


def test_a_new_key_onto_a_full_disk(small_disk: SmallDisk, tmp_path: Path) -> None:
    cli = ZichaCli(tmp_path, tmp_path)
    cli.env.update({"ZICHA_HOME": str(small_disk.path / "zicha-home"),
                    "ZICHA_PASSPHRASE": "口令-甲乙丙丁"})
    (small_disk.path / "zicha-home" / "keys").mkdir(parents=True)
    small_disk.fill()
    result = cli.run("key", "new", "张三")
    clean_failure(result, "磁盘已满：写入 ", "张三.json")
    assert small_disk.contents() == ["zicha-home", "zicha-home/keys"]
    small_disk.unfill()
    cli.ok("key", "new", "张三")
    key = small_disk.path / "zicha-home" / "keys" / "张三.json"
    assert key.stat().st_mode & 0o077 == 0  # the owner's only


# -- import ------------------------------------------------------------------------------------

def _ten_files(base: Path) -> Path:
    folder = base / "十份材料"
    folder.mkdir()
    for n in range(1, 11):
        (folder / f"{n:02d}-材料.txt").write_text(f"文明城市创建材料 第 {n} 份。" * 20,
                                                  encoding="utf-8")
    return folder


def _honest(cli: ZichaCli, archive: Path, result: CliResult, before: list[int]) -> list[dict]:
    """The import stopped at a storage failure: --json still lists every file, what it calls
    stored is in the archive and nothing else is, and the stderr line says how many."""
    rows = result.json()
    assert len(rows) == 10
    stored = [r for r in rows if r["status"] == "stored"]
    n = len(stored)
    assert [r["status"] for r in rows[:n]] == ["stored"] * n  # stored, then the failure
    failure, rest = rows[n], rows[n + 1:]
    assert failure["status"] == "refused" and failure["id"] is None
    assert all(r["status"] == "refused" and "导入已停止" in r["reason"] for r in rest)
    line = clean_failure(result, f"导入已停止：此前 {n} 个文件已保存，其余 {10 - n} 个未导入")
    assert failure["reason"] in line
    now = [m["id"] for m in cli.ok_json("list", "--archive", archive)]
    assert now == before + [r["id"] for r in stored]
    verify = cli.ok_json("verify", archive)
    assert verify["ok"] is True, verify
    return rows


def test_a_failed_database_commit_during_import(small_disk: SmallDisk, reviewed,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    root, cli, _ids = reviewed
    folder = _ten_files(tmp_path)
    seen_commit_failure = False
    # each import's commit grows SQLite's log by tens of KB, a stored file takes 4 KB: with
    # this much room left, some files are stored and then a commit finds the disk full
    for leave in (400, 300, 200, 500, 600, 700, 100):
        archive = _move(root, small_disk)
        before = [m["id"] for m in cli.ok_json("list", "--archive", archive)]
        small_disk.fill(leave=leave * 1024)
        result = cli.run("import", folder, "--item", "01.01", "--json", "--no-ocr",
                         "--archive", archive)
        small_disk.unfill()
        assert result.returncode == 1, str(result)
        rows = _honest(cli, archive, result, before)
        failure = next(r for r in rows if r["status"] == "refused")
        assert failure["reason"].startswith("磁盘已满：写入"), failure
        if "档案数据库" in failure["reason"] and rows[0]["status"] == "stored":
            assert "这一步的改动没有保存" in failure["reason"]
            seen_commit_failure = True
            break
        shutil.rmtree(archive)
    assert seen_commit_failure, "no run had files stored and then a commit refused"


def test_an_import_over_the_file_size_limit(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, cli, _ids = reviewed
    folder = _ten_files(tmp_path)
    before = [m["id"] for m in cli.ok_json("list", "--archive", root)]
    # the archive's log may not grow past 300 KB: a few commits fit (the import commits in
    # batches of 1, 2, 4 … files, which grow the log less than a commit per file), then one is
    # refused
    result = run_limited(cli, "import", folder, "--item", "01.01", "--json", "--no-ocr",
                         "--archive", root, limit=300_000)
    rows = _honest(cli, root, result, before)
    failure = next(r for r in rows if r["status"] == "refused")
    assert "档案数据库" in failure["reason"] or "文件太大" in failure["reason"], failure


def test_the_window_reports_an_import_stopped_by_a_full_disk(qtbot, small_disk: SmallDisk,  # type: ignore[no-untyped-def]
                                                             reviewed, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.core.archive.archive import Archive
    from desktop.core.materials.service import list_materials
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    root, cli, _ids = reviewed
    folder = _ten_files(tmp_path)
    monkeypatch.setenv("ZICHA_HOME", cli.env["ZICHA_HOME"])
    boxes: list[str] = []  # a real message box would wait for a click for ever offscreen
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *_a, **_k: boxes.append(text))
    for leave in (400, 300, 500, 200, 600):
        archive = _move(root, small_disk)
        window = MainWindow(settings())
        qtbot.addWidget(window)
        window.show()
        open_and_wait(qtbot, window, archive)
        with Archive.open(archive, writable=False) as opened:
            before = len(list_materials(opened))
        small_disk.fill(leave=leave * 1024)
        try:
            with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
                window.import_paths("01.01", [folder])
        finally:
            small_disk.unfill()
            window.close_archive()
        rows = blocker.args[0]
        stored = [r for r in rows if r.status == "stored"]
        assert len(boxes) == 1, boxes
        message = boxes.pop()
        assert "内部错误" not in message and message.startswith("磁盘已满：写入")
        assert f"导入已停止：此前 {len(stored)} 个文件已保存" in message
        with Archive.open(archive, writable=False) as opened:
            assert len(list_materials(opened)) == before + len(stored)
        shutil.rmtree(archive)
        if stored:
            break
    else:
        pytest.fail("no run stored files before the disk was full")


# -- the atomic writer itself ----------------------------------------------------------------

def test_a_file_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    from desktop.core.common.atomic import AtomicFile
    from desktop.core.common.errors import ZichaError

    out = tmp_path / "决定.json"
    target = AtomicFile(out, overwrite=False)
    with target.open() as fh:
        fh.write(b"new decisions")
    out.write_bytes(b"decisions not yet delivered")  # another program, at the same moment
    with pytest.raises(ZichaError, match="已存在；不会覆盖"):
        target.commit()
    assert out.read_bytes() == b"decisions not yet delivered"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["决定.json"]


def test_a_private_file_is_the_owners_only_from_the_start(tmp_path: Path) -> None:
    from desktop.core.common.atomic import AtomicFile

    target = AtomicFile(tmp_path / "张三.json", private=True)
    assert target.path.stat().st_mode & 0o077 == 0  # before a byte of the key is written
    target.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_long_name_still_gets_a_temporary_name(tmp_path: Path) -> None:
    from desktop.core.common.atomic import write_bytes

    out = tmp_path / ("很长的名字" * 16 + ".xlsx")  # 245 bytes: near the 255-byte limit
    write_bytes(out, b"data")
    assert out.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_hashing_a_file_swapped_for_a_pipe_does_not_block(tmp_path: Path) -> None:
    """The importer checks a file, then reads it: a pipe put in its place meanwhile must not
    make the read wait for a writer for ever."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    fifo = tmp_path / "换成管道.pdf"
    os.mkfifo(fifo)
    code = ("import sys; from pathlib import Path\n"
            "from desktop.core.archive.store import sha256_of\n"
            "try:\n    sha256_of(Path(sys.argv[1]))\nexcept OSError as exc:\n"
            "    print(exc.strerror); sys.exit(3)\n")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                              text=True, timeout=20, cwd=REPO, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a named pipe blocked")
    assert done.returncode == 3 and "不是普通文件" in done.stdout, done


def test_init_onto_a_full_disk_leaves_no_half_made_archive(small_disk: SmallDisk,
                                                           tmp_path: Path) -> None:
    small_disk.fill(leave=48 * 1024)  # room for the folders, not for the database
    root = small_disk.path / "档案"
    cli = ZichaCli(tmp_path, tmp_path)
    line = clean_failure(cli.run("init", "--archive", root), "无法创建档案", "磁盘")
    assert "没有留下" in line
    assert not root.exists()
    for filler in small_disk.path.glob(".filler-*"):
        filler.unlink()
    cli.ok("init", "--archive", root)  # once there is room, the same command works
