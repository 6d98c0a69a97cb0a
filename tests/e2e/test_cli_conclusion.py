"""结论性说明 (issue 19, item 3): a clerk writes the conclusion of a 测评内容 with `zicha items
conclusion`; the export prints it with its 填表人 and date in that item's 测评材料提交表 and
keeps it in manifest.json; the 四性检测 still passes. Bad input is refused and changes
nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from tests.conftest import ZichaCli, archive_snapshot, build_reviewed_archive

ITEM = "01.01"
TEXT = "本单位已建立学习制度并开展专题学习 12 次。\n材料齐全，成效明显。"


@pytest.fixture(scope="module")
def _reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("conclusion")
    root = base / "档案"
    build_reviewed_archive(root, base / "home", base / "files")
    return root


@pytest.fixture
def archive(tmp_path: Path, _reviewed: Path) -> Path:
    return Path(shutil.copytree(_reviewed, tmp_path / "档案", symlinks=True))


def test_the_conclusion_is_printed_in_the_form(zicha_cli: ZichaCli, archive: Path,
                                               tmp_path: Path) -> None:
    shown = zicha_cli.ok_json("items", "conclusion", ITEM, "--archive", archive)
    assert shown["text"] == "" and shown["written_by"] == ""
    written = zicha_cli.ok_json("items", "conclusion", ITEM, TEXT, "--as", "张经办",
                                "--archive", archive)
    assert (written["text"], written["written_by"]) == (TEXT, "张经办")
    assert zicha_cli.ok_json("items", "conclusion", ITEM, "--archive", archive)["text"] == TEXT

    out = tmp_path / "申报材料"
    zicha_cli.ok("export", out, "--folder", "--archive", archive)
    [form] = (out / "data").glob(f"*/{ITEM} */000_测评材料提交表.docx")
    paragraphs = [p.text for p in docx.Document(str(form)).paragraphs]
    at = paragraphs.index("结论性说明：")
    assert paragraphs[at + 1:at + 3] == TEXT.splitlines()
    assert paragraphs[at + 3].startswith("填表人：张经办") and "日期：20" in paragraphs[at + 3]
    doc = json.loads((out / "zicha/manifest.json").read_text(encoding="utf-8"))
    [item] = [i for i in doc["items"] if i["code"] == ITEM]
    assert item["conclusion"]["text"] == TEXT and item["conclusion"]["by"] == "张经办"
    assert all("conclusion" not in i for i in doc["items"] if i["code"] != ITEM)
    assert zicha_cli.ok_json("verify", out)["ok"]

    # an item without one keeps the blank lines to fill in by hand
    other = next(f for f in (out / "data").rglob("000_测评材料提交表.docx") if f != form)
    lines = [p.text for p in docx.Document(str(other)).paragraphs]
    sign = next(t for t in lines if t.startswith("填表人："))
    assert "张经办" not in sign and not sign.removeprefix("填表人：").split("日期")[0].strip()

    cleared = zicha_cli.run("items", "conclusion", ITEM, "--clear", "--archive", archive)
    assert cleared.succeeded().stdout.strip() == f"已删除 {ITEM} 的结论性说明"
    assert zicha_cli.ok_json("items", "conclusion", ITEM, "--archive", archive)["text"] == ""


def test_a_conclusion_from_a_file(zicha_cli: ZichaCli, archive: Path, tmp_path: Path) -> None:
    source = tmp_path / "结论.txt"
    source.write_text(TEXT + "\n", encoding="utf-8")
    zicha_cli.ok("items", "conclusion", ITEM, "--file", source, "--archive", archive)
    assert zicha_cli.ok_json("items", "conclusion", ITEM, "--archive", archive)["text"] == TEXT


def test_bad_conclusions_are_refused_and_change_nothing(zicha_cli: ZichaCli, archive: Path,
                                                       tmp_path: Path) -> None:
    before = archive_snapshot(zicha_cli, archive)
    for args, needle, code in (
            (("01", TEXT), "是测评项目", 1),
            (("99.99", TEXT), "未知的测评内容编号 99.99", 1),
            ((ITEM, "长" * 2001), "超过 2000 字", 1),
            ((ITEM, TEXT, "--clear"), "只能用一个", 2),
            ((ITEM, "--file", tmp_path / "没有这个文件.txt"), "无法读取", 1)):
        result = zicha_cli.run("items", "conclusion", *args, "--archive", archive)
        assert result.returncode == code and needle in result.stderr, str(result)
        assert len(result.stderr_lines) == 1 and "Traceback" not in result.stderr
    assert archive_snapshot(zicha_cli, archive) == before
