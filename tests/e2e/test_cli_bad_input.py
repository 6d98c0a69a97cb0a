"""Bad input gives exit code != 0, one line on stderr naming the problem, and changes nothing
(DESIGN.md §6 exit-code rule, §7 bad-input bar; issue 2 "What must be shown")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, CliResult, FileBuilder, ZichaCli, archive_snapshot


def assert_failed(result: CliResult, *needles: str) -> None:
    assert result.returncode != 0, str(result)
    assert len(result.stderr_lines) == 1, str(result)
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, str(result)
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, str(result)


@pytest.fixture(scope="module")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory,
                     _pristine_cli_archive: Path) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("seeded")
    root = base / "档案"
    shutil.copytree(_pristine_cli_archive, root, symlinks=True)
    cli, files = ZichaCli(base, base), FileBuilder(base / "src")
    cli.ok("items", "add", "02.01", "道德模范", "--archive", root)
    cli.ok("import", files.pdf("已有/道德模范评选方案.pdf"), files.docx("已有/评选结果公示.docx"),
           "--item", "02.01", "--archive", root)
    return root, archive_snapshot(cli, root)


@pytest.fixture
def seeded(tmp_path: Path, _seeded_template: tuple[Path, dict]) -> Path:
    """An archive with one item and two materials, so 'nothing changed' means something."""
    root = tmp_path / "档案"
    shutil.copytree(_seeded_template[0], root, symlinks=True)
    return root


@pytest.fixture
def before(_seeded_template: tuple[Path, dict]) -> dict:
    """archive_snapshot() of `seeded` as it is handed to the test."""
    assert len(_seeded_template[1]["materials"]) == 2
    return _seeded_template[1]


def test_unknown_item_code(zicha_cli: ZichaCli, seeded: Path, before: dict,
                           file_builder: FileBuilder) -> None:
    result = zicha_cli.run("import", file_builder.pdf("新材料.pdf"), "--item", "02.01",
                           "--item", "09.77", "--archive", seeded)
    assert_failed(result, "09.77", "未知的测评内容编号")
    assert result.stdout == ""
    # a category code once the bureau has items under it
    result = zicha_cli.run("import", file_builder.pdf("另一份.pdf"), "--item", "02",
                           "--archive", seeded)
    assert_failed(result, "02.01", "测评项目 02")
    result = zicha_cli.run("list", "--item", "99", "--archive", seeded)
    assert_failed(result, "99")
    assert archive_snapshot(zicha_cli, seeded) == before


def test_a_path_that_does_not_exist(zicha_cli: ZichaCli, seeded: Path, before: dict,
                                    file_builder: FileBuilder) -> None:
    good = file_builder.pdf("存在的文件.pdf")
    missing = file_builder.base / "不存在的文件夹" / "通知.pdf"
    result = zicha_cli.run("import", good, missing, "--item", "02.01", "--archive", seeded)
    assert_failed(result, "找不到", str(missing))
    assert result.stdout == ""
    assert archive_snapshot(zicha_cli, seeded) == before  # not even the good file


def test_an_unreadable_file(zicha_cli: ZichaCli, seeded: Path, before: dict,
                            file_builder: FileBuilder) -> None:
    path, how = file_builder.unreadable("无法读取的通知.pdf")
    result = zicha_cli.run("import", path, "--item", "02.01", "--json", "--archive", seeded)
    assert_failed(result, str(path), "读")
    (row,) = result.json()
    assert (row["status"], row["id"], row["sha256"]) == ("refused", None, None), how
    assert row["reason"] in result.stderr
    assert archive_snapshot(zicha_cli, seeded) == before


def test_bad_files_in_a_batch(zicha_cli: ZichaCli, seeded: Path, before: dict,
                              file_builder: FileBuilder) -> None:
    batch = file_builder.base / "批次"
    good = [file_builder.pdf("批次/01-工作方案.pdf"), file_builder.docx("批次/05-总结.docx"),
            file_builder.image("批次/子目录/07-照片.png", "PNG")]
    bad = {
        file_builder.corrupt_pdf("批次/02-损坏.pdf"): "PDF",
        file_builder.encrypted_pdf("批次/03-加密.pdf"): "加密",
        file_builder.unreadable("批次/04-读不出.pdf")[0]: "读",
        file_builder.bytes("批次/06-空文件.docx", b""): "空",
        batch / "08-管道.pdf": "不是普通文件",  # a FIFO: reading it would hang the import
    }
    os.mkfifo(batch / "08-管道.pdf")
    result = zicha_cli.run("import", batch, "--item", "02.01", "--json", "--archive", seeded)
    assert_failed(result, "5 个文件未导入", "02-损坏.pdf")
    rows = {Path(r["path"]): r for r in result.json()}
    assert set(rows) == set(good) | set(bad)
    for path in good:
        assert rows[path]["status"] == "stored", rows[path]
    for path, word in bad.items():
        assert rows[path]["status"] == "refused", rows[path]
        assert word in rows[path]["reason"], rows[path]

    after = archive_snapshot(zicha_cli, seeded)
    assert len(after["materials"]) == len(before["materials"]) + 3
    assert after["materials"][:2] == before["materials"]
    # the DOCX is named by its heading (docmeta), the others by their file names
    assert {m["title"] for m in after["materials"][2:]} == {
        "01-工作方案", "关于开展文明交通志愿服务活动的通知", "07-照片"}
    assert len(after["blobs"]) == len(before["blobs"]) + 3
    assert len(after["audit"]) == len(before["audit"]) + 3
    assert zicha_cli.ok_json("verify", seeded)["ok"] is True


def test_a_folder_that_is_not_an_archive(zicha_cli: ZichaCli, tmp_path: Path,
                                         file_builder: FileBuilder) -> None:
    pdf = file_builder.pdf("通知.pdf")
    folder = tmp_path / "普通文件夹"
    folder.mkdir()
    (folder / "笔记.txt").write_text("不是档案", encoding="utf-8")
    contents = sorted(folder.rglob("*"))
    missing = tmp_path / "没有这个档案"
    calls = [[*args, "--archive", folder] for args in (
        ["import", pdf, "--item", "01"], ["list"], ["show", "1"], ["verify"],
        ["edit", "1", "--title", "x"])]
    for result in zicha_cli.run_all(*calls, ["verify", folder]):
        assert_failed(result, str(folder), "不是 Zicha 档案")
    missing_import, init_here, no_default = zicha_cli.run_all(
        ["import", pdf, "--item", "01", "--archive", missing], ["init", "--archive", folder],
        ["list"])
    assert_failed(missing_import, str(missing), "不存在")
    assert_failed(init_here, str(folder), "不是空的")
    # no --archive and no ZICHA_ARCHIVE: the default archive under the user data folder,
    # which the command line does not create behind the user's back
    default = Path(zicha_cli.env["XDG_DATA_HOME"]) / "zicha" / "archive"
    assert_failed(no_default, str(default), "zicha init")
    assert not default.exists()
    assert sorted(folder.rglob("*")) == contents
    assert not missing.exists()


HOLDER = """
import sys, time
from pathlib import Path
from desktop.core.archive.archive import Archive
archive = Archive.open(Path(sys.argv[1]))
print("READY", flush=True)
time.sleep(120)
"""


def test_an_archive_locked_by_another_process(zicha_cli: ZichaCli, seeded: Path, before: dict,
                                              file_builder: FileBuilder) -> None:
    pdf = file_builder.pdf("锁定期间的材料.pdf")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(seeded)], cwd=REPO,
                              env=zicha_cli.env, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "READY"
        result, edit, listing = zicha_cli.run_all(
            ["import", pdf, "--item", "02.01", "--archive", seeded],
            ["edit", "1", "--title", "改名", "--archive", seeded],
            ["list", "--json", "--archive", seeded])
        assert_failed(result, str(seeded), "正被另一个程序使用", f"pid {holder.pid}")
        assert result.stdout == ""
        assert_failed(edit, "正被另一个程序使用")
        # readers are not locked out
        assert listing.succeeded().json() == before["materials"]
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout:
            holder.stdout.close()
    assert archive_snapshot(zicha_cli, seeded) == before
    assert zicha_cli.ok_json("verify", seeded)["ok"] is True


def test_usage_errors(zicha_cli: ZichaCli, seeded: Path, before: dict,
                      file_builder: FileBuilder) -> None:
    pdf = file_builder.pdf("x.pdf")
    # these fail before they open the archive, so they may run side by side
    no_item, no_command, no_material = zicha_cli.run_all(
        ["import", pdf, "--archive", seeded], ["no-such-command"],
        ["show", "999", "--archive", seeded])
    assert_failed(no_item, "--item")
    assert_failed(no_command, "no-such-command")
    assert_failed(no_material, "999")
    assert_failed(zicha_cli.run("import", pdf, pdf, "--item", "02.01", "--title", "同名",
                                "--archive", seeded), "--title")
    assert_failed(zicha_cli.run("import", pdf, "--item", "02.01", "--type", "乱写",
                                "--archive", seeded), "材料类型 乱写")
    assert_failed(zicha_cli.run("edit", "1", "--date", "2024年6月", "--archive", seeded),
                  "2024年6月")
    assert archive_snapshot(zicha_cli, seeded) == before
