"""Three lists (issue 15, item 3): 材料自查, 省级部门评价项目 and 创新特色 (and the bureau's own)
each keep their tasks; importing one never touches another's; the task views, the 台账 XLSX
and the weekly report filter and total by list."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import ZichaCli


def _task_list(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """(测评项目, 测评内容, 牵头单位, 完成时限) under a one-row header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
    for n, row in enumerate(rows, 1):
        sheet.append([n, *row])
    book.save(path)
    return path


SELF_CHECK = [("01 理想信念教育", "深入学习宣传", "市委宣传部", "2024-06-30"),
              ("03 文明风尚培育", "规范市民文明行为", "市文明办", "2024-07-31")]
PROVINCIAL = [("01 理想信念教育", "深入学习宣传", "市委宣传部", "2024-09-30"),
              ("09 社会安全稳定", "平安建设群众满意度", "市委政法委", "每季度")]
INNOVATION = [("11 创建常态长效", "志愿服务典型经验获省级推介", "市文明办", "长期坚持")]


def _three_lists(cli: ZichaCli, archive: Path, tmp_path: Path) -> None:
    cli.ok("tasks", "import", _task_list(tmp_path / "材料自查任务清单.xlsx", SELF_CHECK),
           "--archive", archive)
    cli.ok("tasks", "import", _task_list(tmp_path / "省级部门评价项目任务清单.xlsx", PROVINCIAL),
           "--list-kind", "省级部门评价项目", "--archive", archive)
    cli.ok("tasks", "import", _task_list(tmp_path / "创新特色工作清单.xlsx", INNOVATION),
           "--list-kind", "创新特色", "--archive", archive)


def test_each_list_keeps_its_tasks(zicha_cli: ZichaCli, cli_archive: Path,
                                   tmp_path: Path) -> None:
    _three_lists(zicha_cli, cli_archive, tmp_path)
    tasks = zicha_cli.ok_json("tasks", "--archive", cli_archive, "--today", "2024-06-01")
    assert len(tasks) == 5
    # the same 测评内容 and department in two lists: two tasks, each with its own deadline
    same = sorted((t["list"], t["deadline"]) for t in tasks if t["item_name"] == "深入学习宣传")
    assert same == [("材料自查", "2024-06-30"), ("省级部门评价项目", "2024-09-30")]
    provincial = zicha_cli.ok_json("tasks", "list", "--list-kind", "省级部门评价项目",
                                   "--archive", cli_archive)
    assert sorted(t["item_name"] for t in provincial) == ["平安建设群众满意度", "深入学习宣传"]
    lists = zicha_cli.ok_json("tasks", "lists", "--archive", cli_archive)
    assert [(entry["kind"], entry["tasks"], entry["source_file"]) for entry in lists] == [
        ("材料自查", 2, "材料自查任务清单.xlsx"),
        ("省级部门评价项目", 2, "省级部门评价项目任务清单.xlsx"),
        ("创新特色", 1, "创新特色工作清单.xlsx")]
    text = zicha_cli.ok("tasks", "--archive", cli_archive).stdout
    assert "［创新特色］" in text and "共 5 项任务" in text


def test_importing_one_list_never_touches_another(zicha_cli: ZichaCli, cli_archive: Path,
                                                  tmp_path: Path) -> None:
    _three_lists(zicha_cli, cli_archive, tmp_path)
    before = {(t["list"], t["item_name"]): t for t in
              zicha_cli.ok_json("tasks", "--archive", cli_archive, "--today", "2024-06-01")}
    # a revised 材料自查 list: one deadline moved, one task dropped
    revised = _task_list(tmp_path / "材料自查任务清单（修订）.xlsx",
                         [("01 理想信念教育", "深入学习宣传", "市委宣传部", "2024-08-31")])
    report = zicha_cli.ok_json("tasks", "import", revised, "--archive", cli_archive)
    assert report["list_kind"] == "材料自查"
    assert report["tasks_updated"] == ["01.01 / 市委宣传部：完成时限（2024-06-30 → 2024-08-31）"]
    assert report["not_in_list"] == ["03.01 / 市文明办"]  # of its own list only
    after = {(t["list"], t["item_name"]): t for t in
             zicha_cli.ok_json("tasks", "--archive", cli_archive, "--today", "2024-06-01")}
    assert after[("材料自查", "深入学习宣传")]["deadline"] == "2024-08-31"
    for key in [("省级部门评价项目", "深入学习宣传"), ("省级部门评价项目", "平安建设群众满意度"),
                ("创新特色", "志愿服务典型经验获省级推介")]:
        assert after[key] == before[key]
    # the bureau's own kind of list
    own = zicha_cli.ok_json("tasks", "import", _task_list(tmp_path / "文明村镇.xlsx", [
        ("08 生活和谐宜居", "农村人居环境整治", "市农业农村局", "2024-12-31")]),
        "--list-kind", "文明村镇", "--archive", cli_archive)
    assert own["list_kind"] == "文明村镇" and own["not_in_list"] == []
    assert len(zicha_cli.ok_json("tasks", "--archive", cli_archive)) == 6


def test_ledger_file_and_weekly_report_by_list(zicha_cli: ZichaCli, cli_archive: Path,
                                               tmp_path: Path) -> None:
    import docx

    _three_lists(zicha_cli, cli_archive, tmp_path)
    zicha_cli.ok("tasks", "export", tmp_path / "台账.xlsx", "--archive", cli_archive,
                 "--today", "2024-07-15")
    book = openpyxl.load_workbook(tmp_path / "台账.xlsx")
    assert "按清单" in book.sheetnames
    header = [c.value for c in book["台账"][2]]
    assert header[-1] == "清单"
    kinds = [r[-1] for r in book["台账"].iter_rows(min_row=3, values_only=True)]
    assert sorted(kinds) == ["创新特色", "材料自查", "材料自查", "省级部门评价项目",
                             "省级部门评价项目"]
    totals = {r[0]: r[1] for r in book["按清单"].iter_rows(min_row=2, values_only=True)}
    assert totals == {"材料自查": 2, "省级部门评价项目": 2, "创新特色": 1, "合计": 5}

    zicha_cli.ok("tasks", "export", tmp_path / "省级.xlsx", "--list-kind", "省级部门评价项目",
                 "--archive", cli_archive, "--today", "2024-07-15")
    only = openpyxl.load_workbook(tmp_path / "省级.xlsx")["台账"]
    assert "省级部门评价项目清单" in only["A1"].value
    assert len(list(only.iter_rows(min_row=3, values_only=True))) == 2

    zicha_cli.ok("report", "weekly", tmp_path / "周报.docx", "--archive", cli_archive,
                 "--today", "2024-07-15")
    report = docx.Document(str(tmp_path / "周报.docx"))
    assert any(p.text == "各清单完成情况：" for p in report.paragraphs)
    by_list = next(t for t in report.tables if t.rows[0].cells[0].text == "清单")
    assert [r.cells[0].text for r in by_list.rows[1:]] == ["材料自查", "省级部门评价项目",
                                                           "创新特色"]
    zicha_cli.ok("report", "weekly", tmp_path / "创新.docx", "--list-kind", "创新特色",
                 "--archive", cli_archive, "--today", "2024-07-15")
    single = docx.Document(str(tmp_path / "创新.docx"))
    assert "创新特色清单" in single.paragraphs[0].text
    assert not any(p.text == "各清单完成情况：" for p in single.paragraphs)

    unknown = zicha_cli.run("tasks", "list", "--list-kind", "负面清单", "--archive", cli_archive)
    assert unknown.returncode == 1 and "没有“负面清单”清单" in unknown.stderr
    assert "“材料自查”、“省级部门评价项目”、“创新特色”" in unknown.stderr
