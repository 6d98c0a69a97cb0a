"""`zicha tasks import` on a list that groups its tasks under the bureau's own headings, laid
out like seed 001's plan (issue 15, item 1): without a mapping nothing is imported and the
unmapped headings are named with their proposals; with one every task lands under the mapped
测评项目; the mapping is kept with the list, so re-importing asks nothing and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ZichaCli
from tests.tasklist_fixtures import DEADLINES, HEADINGS, TASKS, expected_tasks, own_headings_list


def _mapping_args(tmp_path: Path) -> list[object]:
    """Three headings in a YAML file (as written, one without its （二）, one by name), two on
    the command line (without their 序号)."""
    mapping = tmp_path / "对应表.yaml"
    mapping.write_text(
        "（一）提升服务水平,建设廉洁高效政府: 06\n"
        "弘扬优秀传统,筑牢思想道德篱笆: \"02\"\n"
        "（三）营造诚信氛围,加强诚信守法建设: 思想道德建设\n", encoding="utf-8")
    return ["--mapping", mapping, "--category", "实施平安工程,营造安全稳定环境=09",
            "--category", "（七）优化生态环境，提高市民的满意度=10"]


def test_without_a_mapping_nothing_is_imported_and_the_headings_are_named(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    path = own_headings_list(tmp_path / "高新区任务分解表.xlsx")
    result = zicha_cli.run("tasks", "import", path, "--archive", cli_archive)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "未导入任何任务" in message
    for heading in HEADINGS:
        assert f"“{heading}”" in message
    assert "“（一）提升服务水平,建设廉洁高效政府”（第 4–6 行，建议 06 政务廉洁高效）" in message
    assert "“（三）营造诚信氛围,加强诚信守法建设”（第 9–10 行，无建议）" in message
    assert "--category '提升服务水平,建设廉洁高效政府=06'" in message  # how to give one
    assert "--mapping" in message
    assert zicha_cli.ok_json("tasks", "--archive", cli_archive) == []
    # a mapping for some headings only still imports nothing, naming the others
    partial = zicha_cli.run("tasks", "import", path, "--archive", cli_archive,
                            "--category", "提升服务水平,建设廉洁高效政府=06")
    assert partial.returncode == 1 and "有 4 个测评项目标题" in partial.stderr
    assert "（一）" not in partial.stderr.split("；")[0]
    assert zicha_cli.ok_json("tasks", "--archive", cli_archive) == []


def test_mapped_headings_import_every_task_and_reimport_asks_nothing(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    path = own_headings_list(tmp_path / "高新区任务分解表.xlsx")
    first = zicha_cli.ok_json("tasks", "import", path, "--archive", cli_archive,
                              *_mapping_args(tmp_path))
    assert first["skipped"] == [] and first["rows"] == len(TASKS)
    assert {h["heading"]: (h["code"], h["how"]) for h in first["headings"]} == {
        heading: (code, "given") for heading, code in HEADINGS.items()}
    tasks = zicha_cli.ok_json("tasks", "list", "--archive", cli_archive, "--today", "2019-06-01")
    assert {(t["category"], t["item_name"], t["department"]) for t in tasks} == \
        expected_tasks()
    assert len(first["tasks_created"]) == len(tasks) == 17
    # deadlines read as before
    written = {item: deadline for _h, item, _l, _s, deadline in TASKS}
    for task in tasks:
        kind, label = DEADLINES[written[task["item_name"]]]
        assert (task["deadline_kind"], task["deadline"]) == (kind, label)
    by_item = {t["item_name"]: t for t in tasks}
    assert by_item["进一步推进全面从严治党"]["item"] == "06.01"
    assert by_item["加强社会治安综合治理"]["item"] == "09.01"

    again = zicha_cli.ok_json("tasks", "import", path, "--archive", cli_archive)
    assert again["items_created"] == [] and again["tasks_created"] == []
    assert again["tasks_updated"] == [] and again["unchanged"] == 17
    assert {h["how"] for h in again["headings"]} == {"saved"}
    typo = zicha_cli.ok_json("tasks", "import", path, "--archive", cli_archive,
                             "--category", "提升服务水平建设廉洁高效政府=06")
    assert typo["warnings"] == ["指定的标题“提升服务水平建设廉洁高效政府”不在本清单中，未使用"]
    assert typo["unchanged"] == 17
    assert zicha_cli.ok_json("tasks", "list", "--archive", cli_archive,
                             "--today", "2019-06-01") == tasks

    # a revised list (another file name, one deadline moved, one task more): still no question
    revised_tasks = [*TASKS[:2], (*TASKS[2][:4], "2020.6.30"), *TASKS[3:],
                     ("（六）实施平安工程,营造安全稳定环境", "全力维护社会稳定", "政法办", "",
                      "每季度")]
    revised = own_headings_list(tmp_path / "高新区任务分解表（修订）.xlsx", revised_tasks)
    report = zicha_cli.ok_json("tasks", "import", revised, "--archive", cli_archive)
    assert report["items_created"] == ["09.02 全力维护社会稳定"]
    assert report["tasks_created"] == ["09.02 / 政法办"]
    assert sorted(report["tasks_updated"]) == [
        "06.03 / 司法所：完成时限（2019-12-31 → 2020-06-30）",
        "06.03 / 政务服务中心：完成时限（2019-12-31 → 2020-06-30）"]
    assert report["unchanged"] == 15 and report["not_in_list"] == []


def test_the_mapping_is_kept_with_the_list(zicha_cli: ZichaCli, cli_archive: Path,
                                           tmp_path: Path) -> None:
    import sqlite3

    path = own_headings_list(tmp_path / "高新区任务分解表.xlsx")
    zicha_cli.ok("tasks", "import", path, "--archive", cli_archive, *_mapping_args(tmp_path))
    with sqlite3.connect(cli_archive / "zicha.db") as conn:
        [(kind, name, source, mapping, at, by)] = conn.execute(
            "SELECT kind, name, source_file, mapping, imported_at, imported_by FROM task_list")
        lists = {row[0] for row in conn.execute("SELECT DISTINCT list_id FROM task")}
    assert (kind, name, source) == ("材料自查", "高新区任务分解表", "高新区任务分解表.xlsx")
    assert json.loads(mapping) == {
        "提升服务水平,建设廉洁高效政府": "06", "弘扬优秀传统,筑牢思想道德篱笆": "02",
        "营造诚信氛围,加强诚信守法建设": "02", "实施平安工程,营造安全稳定环境": "09",
        "优化生态环境,提高市民的满意度": "10"}
    assert at and by and len(lists) == 1


def test_bad_mappings_are_refused_by_name(zicha_cli: ZichaCli, cli_archive: Path,
                                          tmp_path: Path) -> None:
    path = own_headings_list(tmp_path / "高新区任务分解表.xlsx")
    unknown = zicha_cli.run("tasks", "import", path, "--archive", cli_archive,
                            "--category", "提升服务水平,建设廉洁高效政府=99")
    assert unknown.returncode == 1
    assert "“99”不在测评体系“全国文明城市（地级以上）测评体系”中" in unknown.stderr
    assert "06 政务廉洁高效" in unknown.stderr
    malformed = zicha_cli.run("tasks", "import", path, "--archive", cli_archive,
                              "--category", "没有等号")
    assert malformed.returncode == 2 and "标题=测评项目编号" in malformed.stderr
    not_a_map = tmp_path / "对应表.yaml"
    not_a_map.write_text("- 06\n- 02\n", encoding="utf-8")
    wrong = zicha_cli.run("tasks", "import", path, "--archive", cli_archive,
                          "--mapping", not_a_map)
    assert wrong.returncode == 1 and "对应表.yaml" in wrong.stderr
    assert zicha_cli.ok_json("tasks", "--archive", cli_archive) == []


def test_rows_without_a_department_are_named_not_skipped_in_silence(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    rows = [*TASKS[:3], ("（一）提升服务水平,建设廉洁高效政府", "进一步规范政务行为", "", "",
                         "常态化")]
    path = own_headings_list(tmp_path / "缺单位.xlsx", rows)
    refused = zicha_cli.run("tasks", "import", path, "--archive", cli_archive,
                            "--category", "提升服务水平,建设廉洁高效政府=06")
    assert refused.returncode == 1
    assert "第 7 行没有牵头单位或责任单位" in refused.stderr and "--allow-skipped" in refused.stderr
    assert zicha_cli.ok_json("tasks", "--archive", cli_archive) == []
    report = zicha_cli.ok_json("tasks", "import", path, "--archive", cli_archive,
                               "--category", "提升服务水平,建设廉洁高效政府=06",
                               "--allow-skipped")
    assert report["skipped"] == ["第 7 行：没有牵头单位或责任单位"]
    assert len(report["tasks_created"]) == 5


def test_an_et_and_an_xls_list_import_like_the_xlsx(zicha_cli: ZichaCli, cli_archive: Path,
                                                    tmp_path: Path) -> None:
    """WPS 表格's .et and Excel 97's .xls (made by LibreOffice; tests/fixtures/tasklists)."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "tasklists"
    first = zicha_cli.ok_json("tasks", "import", fixtures / "own-headings.et",
                              "--archive", cli_archive, *_mapping_args(tmp_path))
    assert first["file"] == "own-headings.et" and first["skipped"] == []
    assert len(first["tasks_created"]) == 18  # the 17 of the list and one with a date cell
    tasks = zicha_cli.ok_json("tasks", "--archive", cli_archive)
    assert {(t["category"], t["item_name"], t["department"]) for t in tasks} == \
        expected_tasks() | {("10", "推进生活垃圾分类", "城管局")}
    dated = next(t for t in tasks if t["item_name"] == "推进生活垃圾分类")
    assert (dated["deadline_kind"], dated["deadline"]) == ("date", "2019-09-30")
    again = zicha_cli.ok_json("tasks", "import", fixtures / "own-headings.xls",
                              "--archive", cli_archive)
    assert again["tasks_created"] == [] and again["tasks_updated"] == []
    assert again["unchanged"] == 18
