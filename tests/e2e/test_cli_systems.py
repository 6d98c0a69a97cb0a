"""Two systems in one archive through the command line (issue 15, item 4): a bureau adds
未成年人思想道德建设 from its own YAML or empty, makes its 测评项目 from its task list
(新建测评项目), files material under them, and the city system's list is not touched."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import ZichaCli, archive_snapshot

WCN_YAML = """\
# 本局整理的未成年人思想道德建设测评体系（测评项目名称按市文明办下发的清单）
id: wcn-2023
name: 全国未成年人思想道德建设工作测评体系
edition: "2023"
weight: 20
categories:
  - {code: "01", name: 思想道德教育}
  - {code: "02", name: 校外活动场所建设}
"""


def _list(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """(测评项目, 测评内容, 牵头单位, 完成时限) under a title and a one-row header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年未成年人思想道德建设工作任务分解表"])
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
    for n, row in enumerate(rows, 1):
        sheet.append([n, *row])
    book.save(path)
    return path


MINORS = [("一、思想道德教育", "开展“我的中国梦”主题教育实践活动", "市教育局", "2024年6月30日"),
          ("一、思想道德教育", "组织开展中华经典诵读活动", "团市委", "长期坚持"),
          ("二、未成年人活动场所建设", "乡村学校少年宫建设", "市文明办", "每季度")]
CITY = [("01 理想信念教育", "深入学习宣传", "市委宣传部", "2024-06-30")]


def test_a_system_from_yaml_takes_its_own_list(zicha_cli: ZichaCli, cli_archive: Path,
                                               tmp_path: Path) -> None:
    yaml_file = tmp_path / "未成年人测评体系.yaml"
    yaml_file.write_text(WCN_YAML, encoding="utf-8")
    a = ("--archive", cli_archive)
    missing = zicha_cli.run("systems", "add", yaml_file, *a)
    assert missing.returncode == 1
    assert "没有写编号前缀" in missing.stderr and "加 --prefix W" in missing.stderr
    added = zicha_cli.ok_json("systems", "add", yaml_file, "--prefix", "W", *a)
    assert (added["prefix"], added["weight"], added["categories"]) == ("W", 20, 2)
    zicha_cli.ok("tasks", "import", _list(tmp_path / "城市清单.xlsx", CITY), *a)
    before = archive_snapshot(zicha_cli, cli_archive)
    listed = _list(tmp_path / "未成年人任务分解表.xlsx", MINORS)
    # its headings are not the city system's: nothing is written, each heading is named
    city = zicha_cli.run("tasks", "import", listed, "--list-kind", "未成年人", *a)
    assert city.returncode == 1 and "测评体系“全国文明城市（地级以上）测评体系”" in city.stderr
    # read as system W's list: 一、思想道德教育 is W01 by name, the other is proposed
    open_ = zicha_cli.run("tasks", "import", listed, "--list-kind", "未成年人", "--system", "W",
                          *a)
    assert open_.returncode == 1
    assert "“二、未成年人活动场所建设”（第 5 行，建议 W02 校外活动场所建设）" in open_.stderr
    assert "--category '未成年人活动场所建设=W02'" in open_.stderr
    assert archive_snapshot(zicha_cli, cli_archive) == before
    report = zicha_cli.ok_json("tasks", "import", listed, "--list-kind", "未成年人",
                               "--system", "W", "--category", "未成年人活动场所建设=02", *a)
    assert sorted(report["items_created"]) == [
        "W01.01 开展“我的中国梦”主题教育实践活动", "W01.02 组织开展中华经典诵读活动",
        "W02.01 乡村学校少年宫建设"]
    assert report["categories_created"] == []
    # saved with the list: the system too, so a re-import asks nothing and changes nothing
    again = zicha_cli.ok_json("tasks", "import", listed, "--list-kind", "未成年人", *a)
    assert (again["items_created"], again["tasks_created"], again["unchanged"]) == ([], [], 3)
    tasks = zicha_cli.ok_json("tasks", *a)
    assert sorted(t["item"] for t in tasks) == ["01.01", "W01.01", "W01.02", "W02.01"]
    # the list cannot be moved to another system once it has tasks
    zicha_cli.ok("systems", "add", "--name", "文明村镇", "--prefix", "C", *a)
    moved = zicha_cli.run("tasks", "import", listed, "--list-kind", "未成年人", "--system", "C",
                          *a)
    assert moved.returncode == 1 and "不能改为“文明村镇”" in moved.stderr
    assert "--list-kind" in moved.stderr


def test_an_empty_system_gets_its_categories_from_the_list(zicha_cli: ZichaCli,
                                                          cli_archive: Path,
                                                          tmp_path: Path) -> None:
    a = ("--archive", cli_archive)
    zicha_cli.ok("systems", "add", "--name", "全国未成年人思想道德建设工作测评体系",
                 "--prefix", "W", "--weight", "20", "--edition", "2023", *a)
    listed = _list(tmp_path / "未成年人任务分解表.xlsx", MINORS)
    # 新建 is only for a system the bureau added
    refused = zicha_cli.run("tasks", "import", listed, "--list-kind", "未成年人",
                            "--category", "思想道德教育=新建", *a)
    assert refused.returncode == 1 and "不能新建" in refused.stderr
    one = zicha_cli.ok_json("tasks", "import", listed, "--list-kind", "未成年人", "--system", "W",
                            "--category", "思想道德教育=新建", "--new-categories", *a)
    assert one["categories_created"] == ["W01 思想道德教育", "W02 未成年人活动场所建设"]
    assert [(h["code"], h["how"]) for h in one["headings"]] == [("W01", "new"), ("W02", "new")]
    text = zicha_cli.ok("items", *a).stdout
    assert "【全国未成年人思想道德建设工作测评体系（2023年版）】\nW01 思想道德教育（0）" in text
    assert "  W02.01 乡村学校少年宫建设（0）" in text
    shown = zicha_cli.ok_json("systems", *a)
    assert [(s["prefix"], s["weight"], s["categories"], s["items"]) for s in shown] == [
        ("", None, 11, 0), ("W", 20, 2, 3)]
    lines = zicha_cli.ok("systems", *a).stdout.splitlines()
    assert lines[1].startswith("W 全国未成年人思想道德建设工作测评体系（2023年版），权重 20%")
    # material filed under a W item; the system can then not be removed
    note = tmp_path / "少年宫活动记录.txt"
    note.write_text("乡村学校少年宫开展书法活动", encoding="utf-8")
    zicha_cli.ok("import", note, "--item", "W02.01", "--no-ocr", *a)
    assert zicha_cli.ok_json("list", "--item", "W02", *a)[0]["items"] == ["W02.01"]
    kept = zicha_cli.run("systems", "remove", "W", *a)
    assert kept.returncode == 1 and "不能删除" in kept.stderr
    edited = zicha_cli.ok("systems", "edit", "W", "--weight", "25", *a).stdout
    assert edited.strip() == "已修改测评体系：权重 20% → 25%"
    usage = zicha_cli.run("systems", "add", *a)
    assert usage.returncode == 2 and "二者选一" in usage.stderr
