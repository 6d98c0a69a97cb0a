"""Import survives the file system (issue 12, item 6): link loops, broken links, named pipes,
sockets, devices, unreadable folders and files, folders nested thousands deep, a folder
mounted inside itself and names that are not UTF-8 are each skipped with a reason, shown by
`zicha import` (text and --json) and in the window's import report; every other file of the
batch is imported, and nothing is ever opened that could block."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import IS_ROOT, FileBuilder, ZichaCli, archive_snapshot
from tests.fault.conftest import can_drop_capabilities, mode, run_unprivileged
from tests.gui.helpers import open_and_wait


def _rows(result) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {Path(r["path"]).name: r for r in result.json()}


def _one_clean_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    line = result.stderr_lines[0]
    assert "内部错误" not in line and "Traceback" not in result.stderr, str(result)
    return line


def test_a_symlink_loop_is_skipped_and_the_rest_imported(zicha_cli: ZichaCli, cli_archive: Path,
                                                         file_builder: FileBuilder) -> None:
    folder = file_builder.base / "材料"
    ok = file_builder.pdf("材料/ok.pdf")
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    (folder / "自己.pdf").symlink_to("自己.pdf")
    result = zicha_cli.run("import", folder, "--item", "01", "--json", "--no-ocr",
                           "--archive", cli_archive)
    line = _one_clean_line(result)
    rows = _rows(result)
    assert rows["ok.pdf"]["status"] == "stored"
    for name in ("a", "b", "自己.pdf"):
        assert rows[name]["status"] == "refused"
        assert "链接循环" in rows[name]["reason"], rows[name]
    assert "3 个文件未导入" in line
    listed = zicha_cli.ok_json("list", "--archive", cli_archive)
    assert [m["title"] for m in listed] == [ok.stem]


def test_a_loop_given_by_name_is_skipped_too(zicha_cli: ZichaCli, cli_archive: Path,
                                             file_builder: FileBuilder) -> None:
    ok = file_builder.pdf("ok.pdf")
    loop = file_builder.base / "环.pdf"
    loop.symlink_to(loop.name)
    result = zicha_cli.run("import", loop, ok, "--item", "01", "--json", "--no-ocr",
                           "--archive", cli_archive)
    line = _one_clean_line(result)
    rows = _rows(result)
    assert rows["ok.pdf"]["status"] == "stored"
    assert "链接循环" in rows["环.pdf"]["reason"] and "链接循环" in line


def test_special_files_are_skipped_without_being_opened(zicha_cli: ZichaCli, cli_archive: Path,
                                                        file_builder: FileBuilder,
                                                        tmp_path: Path) -> None:
    folder = file_builder.base / "批次"
    ok = [file_builder.pdf("批次/01-方案.pdf"), file_builder.image("批次/子/02-照片.png", "PNG")]
    os.mkfifo(folder / "管道.pdf")  # opened for reading, it would wait for a writer for ever
    (folder / "失效.pdf").symlink_to(folder / "不存在.pdf")
    (folder / "设备.pdf").symlink_to("/dev/zero")  # endless if read
    listener = socket.socket(socket.AF_UNIX)
    sock_dir = Path(f"/tmp/zicha-sock-{os.getpid()}")  # AF_UNIX paths must be short
    sock_dir.mkdir(exist_ok=True)
    try:
        listener.bind(str(sock_dir / "s"))
        (folder / "套接字.pdf").symlink_to(sock_dir / "s")
        os.mkfifo(tmp_path / "直接给出的管道.pdf")
        started = time.monotonic()
        result = zicha_cli.run("import", folder, tmp_path / "直接给出的管道.pdf", "--item", "01",
                               "--json", "--no-ocr", "--archive", cli_archive, timeout=60)
        elapsed = time.monotonic() - started
    finally:
        listener.close()
        for p in sock_dir.iterdir():
            p.unlink()
        sock_dir.rmdir()
    _one_clean_line(result)
    rows = _rows(result)
    for path in ok:
        assert rows[path.name]["status"] == "stored", rows[path.name]
    expected = {"管道.pdf": "命名管道", "直接给出的管道.pdf": "命名管道", "失效.pdf": "不存在",
                "设备.pdf": "设备", "套接字.pdf": "套接字"}
    for name, word in expected.items():
        assert rows[name]["status"] == "refused", rows[name]
        assert word in rows[name]["reason"], rows[name]
    assert elapsed < 60
    assert len(zicha_cli.ok_json("list", "--archive", cli_archive)) == 2


@pytest.mark.skipif(IS_ROOT and not can_drop_capabilities(),
                    reason="root without a way to drop CAP_DAC_OVERRIDE reads any mode 000 file")
def test_unreadable_folders_and_files_are_skipped(zicha_cli: ZichaCli, cli_archive: Path,
                                                  file_builder: FileBuilder) -> None:
    folder = file_builder.base / "批次"
    ok = file_builder.pdf("批次/01-可读.pdf")
    hidden = file_builder.pdf("批次/锁住的文件夹/里面.pdf")
    locked_file = file_builder.pdf("批次/02-锁住的文件.pdf")
    with mode(hidden.parent, 0), mode(locked_file, 0):
        result = run_unprivileged(zicha_cli, "import", folder, "--item", "01", "--json",
                                  "--no-ocr", "--archive", cli_archive)
    _one_clean_line(result)
    rows = _rows(result)
    assert rows[ok.name]["status"] == "stored"
    assert rows["锁住的文件夹"]["status"] == "refused"
    assert "文件夹无法打开" in rows["锁住的文件夹"]["reason"]
    assert "权限" in rows["锁住的文件夹"]["reason"]
    assert rows[locked_file.name]["status"] == "refused"
    assert "权限" in rows[locked_file.name]["reason"]
    assert hidden.name not in rows


def test_a_folder_nested_thousands_deep(zicha_cli: ZichaCli, cli_archive: Path,
                                        file_builder: FileBuilder) -> None:
    # deeper than Python's recursion limit (os.walk recursed once per level)
    # outside pytest's folders: a leftover this deep would break pytest's own clean-up (shutil.
    # rmtree recurses once per level), so the test removes it itself, level by level
    top = Path(tempfile.mkdtemp(prefix="zicha-deep-")) / "深"
    top.mkdir()
    deep = top
    for _ in range(1200):  # 2,400 bytes: within PATH_MAX (4,096)
        deep = deep / "d"
        deep.mkdir()  # one level at a time: mkdir(parents=True) recurses too
    try:
        file_builder.pdf(deep / "最深处.pdf")
        ok = file_builder.pdf(top / "顶层.pdf")
        result = zicha_cli.run("import", top, "--item", "01", "--json", "--no-ocr",
                               "--archive", cli_archive)
    finally:  # pytest's own clean-up (and rglob) would recurse once per level as well
        (deep / "最深处.pdf").unlink(missing_ok=True)
        (top / "顶层.pdf").unlink(missing_ok=True)
        while deep != top.parent:
            deep.rmdir()
            deep = deep.parent
        top.parent.rmdir()
    assert result.returncode == 0, str(result)
    rows = _rows(result)
    assert rows["最深处.pdf"]["status"] == rows[ok.name]["status"] == "stored"


@pytest.mark.skipif(not IS_ROOT, reason="a bind mount needs root")
def test_a_folder_mounted_inside_itself_is_walked_once(zicha_cli: ZichaCli, cli_archive: Path,
                                                       file_builder: FileBuilder) -> None:
    top = file_builder.base / "顶"
    file_builder.pdf(top / "a.pdf")
    inner = top / "子" / "回到顶"
    inner.mkdir(parents=True)
    if subprocess.run(["mount", "--bind", str(top), str(inner)], check=False,
                      capture_output=True).returncode != 0:
        pytest.skip("this machine cannot bind-mount")
    try:
        result = zicha_cli.run("import", top, "--item", "01", "--json", "--no-ocr",
                               "--archive", cli_archive, timeout=60)
    finally:
        subprocess.run(["umount", str(inner)], check=False, capture_output=True)
    _one_clean_line(result)
    rows = result.json()
    assert [Path(r["path"]).name for r in rows if r["status"] == "stored"] == ["a.pdf"]
    (looped,) = [r for r in rows if r["status"] == "refused"]
    assert Path(looped["path"]) == inner and "已经出现过" in looped["reason"]


def test_a_name_that_is_not_utf8(zicha_cli: ZichaCli, cli_archive: Path,
                                 file_builder: FileBuilder) -> None:
    folder = file_builder.base / "U盘"
    ok = file_builder.pdf("U盘/ok.pdf")
    # a name written by a GBK system (not valid UTF-8)
    gbk = os.fsdecode("文明城市通知".encode("gbk") + b".txt")
    (folder / gbk).write_text("文明城市创建工作通知", encoding="utf-8")
    before = archive_snapshot(zicha_cli, cli_archive)
    result = zicha_cli.run("import", folder, "--item", "01", "--json", "--no-ocr",
                           "--archive", cli_archive)
    line = _one_clean_line(result)
    rows = result.json()  # valid UTF-8 JSON although the name is not UTF-8
    stored = [r for r in rows if r["status"] == "stored"]
    assert [Path(r["path"]).name for r in stored] == [ok.name]
    (bad,) = [r for r in rows if r["status"] == "refused"]
    assert "UTF-8" in bad["reason"] and "文明城市通知" in bad["reason"]
    assert "改名" in bad["reason"]
    assert "\\x" in bad["path"] and "UTF-8" in line
    assert len(archive_snapshot(zicha_cli, cli_archive)["materials"]) == \
        len(before["materials"]) + 1


def test_the_window_shows_each_skipped_file_with_its_reason(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            file_builder: FileBuilder) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.ui.app import settings
    from desktop.ui.dialogs import ImportReportDialog
    from desktop.ui.main_window import MainWindow

    root = tmp_path / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
    folder = file_builder.base / "材料"
    file_builder.pdf("材料/ok.pdf")
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    os.mkfifo(folder / "管道.pdf")
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    boxes: list[str] = []  # a real message box would wait for a click for ever offscreen
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *_a, **_k: boxes.append(text))
    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    open_and_wait(qtbot, window, root)
    try:
        with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
            window.import_paths("01.01", [folder])
        statuses = {Path(r.path).name: r.status for r in blocker.args[0]}
        assert boxes == []  # no failure of the whole import
        assert statuses == {"a": "refused", "b": "refused", "ok.pdf": "stored",
                            "管道.pdf": "refused"}
        reports = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, ImportReportDialog) and w.isVisible()]
        assert reports
        table = reports[0].table
        shown = {Path(table.item(n, 1).text()).name: table.item(n, 2).text()
                 for n in range(table.rowCount())}
        assert "链接循环" in shown["a"] and "链接循环" in shown["b"]
        assert "命名管道" in shown["管道.pdf"]
        for dialog in reports:
            dialog.close()
    finally:
        window.close_archive()
