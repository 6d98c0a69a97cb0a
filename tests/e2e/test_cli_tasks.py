"""`zicha tasks`, `zicha report weekly` and `zicha problem` on real archives: importing task
lists (the shared sample and a revised one), the derived status around the deadline, 销号, the
ledger files and the 问题整改 loop."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import REPO, ZichaCli, build_reviewed_archive

SAMPLE = REPO.parent / "shared" / "corpus" / "任务分解清单-示例.xlsx"


def _task_list(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A small list: title row, header, (测评项目, 测评内容, 牵头单位, 配合单位, 完成时限)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append(["2024年创建全国文明城市任务分解清单"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "测评项目", "测评内容", "工作要求", "牵头单位", "配合单位", "完成时限"])
    for n, (category, item, lead, support, deadline) in enumerate(rows, 1):
        ws.append([n, category, item, f"{item}的工作要求", lead, support, deadline])
    wb.save(path)
    return path


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared sample is not next to the repo")
def test_the_shared_sample_imports_once_and_again_without_duplicates(
        zicha_cli: ZichaCli, cli_archive: Path) -> None:
    first = zicha_cli.ok_json("tasks", "import", SAMPLE, "--archive", cli_archive)
    assert first["rows"] == 39 and len(first["items_created"]) == 39
    assert len(first["tasks_created"]) == 102 and first["skipped"] == []
    assert "01.01 深入学习贯彻习近平新时代中国特色社会主义思想" in first["items_created"]
    tasks = zicha_cli.ok_json("tasks", "list", "--archive", cli_archive, "--today", "2022-06-25")
    assert len(tasks) == 102
    row = next(t for t in tasks if t["item"] == "02.01" and t["department"] == "团市委")
    assert (row["role"], row["deadline"], row["status"]) == ("support", "2022-12-31", "white")
    again = zicha_cli.ok_json("tasks", "import", SAMPLE, "--archive", cli_archive)
    assert again["tasks_created"] == [] and again["items_created"] == []
    assert again["unchanged"] == 102
    assert len(zicha_cli.ok_json("tasks", "--archive", cli_archive)) == 102


def test_a_revised_list_updates_and_reports_what_changed(zicha_cli: ZichaCli, cli_archive: Path,
                                                         tmp_path: Path) -> None:
    first = _task_list(tmp_path / "清单.xlsx", [
        ("01 理想信念教育", "深入学习宣传", "市委宣传部", "市教育局、团市委", "2024年6月30日"),
        ("03 文明风尚培育", "规范市民文明行为", "市文明办", "", "每季度"),
        ("10 生态环境良好", "推进垃圾分类", "市城管局", "", "长期坚持"),
    ])
    created = zicha_cli.ok_json("tasks", "import", first, "--archive", cli_archive)
    assert created["items_created"] == ["01.01 深入学习宣传", "03.01 规范市民文明行为",
                                        "10.01 推进垃圾分类"]
    assert len(created["tasks_created"]) == 5
    revised = _task_list(tmp_path / "清单（修订）.xlsx", [
        ("01 理想信念教育", "深入学习宣传", "市委宣传部", "市教育局", "2024.9.30"),
        ("03 文明风尚培育", "规范市民文明行为", "市文明办", "市公安局", "每季度"),
    ])
    report = zicha_cli.ok_json("tasks", "import", revised, "--archive", cli_archive)
    assert report["items_created"] == [] and report["tasks_created"] == ["03.01 / 市公安局"]
    assert report["tasks_updated"] == ["01.01 / 市委宣传部：完成时限（2024-06-30 → 2024-09-30）",
                                       "01.01 / 市教育局：完成时限（2024-06-30 → 2024-09-30）"]
    assert report["unchanged"] == 1
    assert sorted(report["not_in_list"]) == ["01.01 / 团市委", "10.01 / 市城管局"]
    tasks = zicha_cli.ok_json("tasks", "list", "--archive", cli_archive)
    assert len(tasks) == 6  # kept, never duplicated
    kinds = {(t["item"], t["department"]): (t["deadline_kind"], t["deadline"]) for t in tasks}
    assert kinds[("03.01", "市文明办")] == ("recurring", "每季度")
    assert kinds[("10.01", "市城管局")] == ("open", "长期坚持")


@pytest.mark.parametrize(("today", "status", "days"), [
    ("2024-06-22", "white", 8), ("2024-06-23", "yellow", 7), ("2024-06-30", "yellow", 0),
    ("2024-07-01", "red", -1)])
def test_status_around_the_deadline(zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path,
                                    today: str, status: str, days: int) -> None:
    path = _task_list(tmp_path / "清单.xlsx",
                      [("01 理想信念教育", "深入学习宣传", "市委宣传部", "", "2024-06-30")])
    zicha_cli.ok("tasks", "import", path, "--archive", cli_archive)
    [task] = zicha_cli.ok_json("tasks", "list", "--archive", cli_archive, "--today", today)
    assert (task["status"], task["days_left"]) == (status, days)
    only = zicha_cli.ok_json("tasks", "list", "--archive", cli_archive, "--today", today,
                             "--status", status)
    assert [t["id"] for t in only] == [task["id"]]


@pytest.fixture(scope="module")
def _reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("tasks-reviewed")
    build_reviewed_archive(base / "档案", base / "home", base / "files")
    return base / "档案", base / "home"


@pytest.fixture
def office(tmp_path: Path, _reviewed: tuple[Path, Path]) -> tuple[ZichaCli, Path]:
    """A reviewed archive (final-approved material of 市文明办 under 01.01, 03.01 and 08.02),
    with an admin, and the task list imported."""
    root, home = _reviewed
    shutil.copytree(root, tmp_path / "档案")
    shutil.copytree(home, tmp_path / "home")
    cli = ZichaCli(tmp_path, tmp_path)
    cli.env["ZICHA_HOME"] = str(tmp_path / "home")
    archive = tmp_path / "档案"
    cli.env["ZICHA_PASSPHRASE"] = "admin-pass-1"
    key = cli.ok("key", "new", "管理员戊", "--archive", archive).stdout.strip().split()[-1]
    clerk_key = cli.ok("key", "new", "经办人庚", "--archive", archive).stdout.strip().split()[-1]
    cli.ok("user", "add", "管理员戊", "--department", "市创城办", "--role", "admin",
           "--public-key", key, "--archive", archive)
    cli.ok("user", "add", "经办人庚", "--department", "市城管局", "--role", "clerk@市城管局",
           "--public-key", clerk_key, "--archive", archive)
    other_key = cli.ok("key", "new", "经办人辛", "--archive", archive).stdout.strip().split()[-1]
    cli.ok("user", "add", "经办人辛", "--department", "市文明办", "--role", "clerk@市文明办",
           "--public-key", other_key, "--archive", archive)
    path = _task_list(tmp_path / "清单.xlsx", [
        ("01 理想信念教育", "深入学习贯彻习近平新时代中国特色社会主义思想", "市文明办", "市教育局",
         "2024-06-30"),
        ("03 文明风尚培育", "规范市民文明行为", "市文明办", "", "2024-07-15"),
        ("08 生活和谐宜居", "推进生活垃圾分类", "市城管局", "", "2024-06-10"),
    ])
    cli.ok("tasks", "import", path, "--archive", archive)
    return cli, archive


def test_final_approved_material_of_the_department_completes_its_task(office) -> None:  # type: ignore[no-untyped-def]
    cli, archive = office
    tasks = cli.ok_json("tasks", "list", "--archive", archive, "--today", "2024-06-25")
    status = {(t["item"], t["department"]): (t["status"], t["materials"], t["final_approved"])
              for t in tasks}
    assert status[("01.01", "市文明办")] == ("done", 2, 2)
    assert status[("01.01", "市教育局")] == ("yellow", 0, 0)  # its own material is missing
    assert status[("03.01", "市文明办")] == ("done", 1, 1)
    assert status[("08.02", "市城管局")] == ("red", 0, 0)


def test_only_an_admin_closes_a_task_with_a_reason(office) -> None:  # type: ignore[no-untyped-def]
    cli, archive = office
    tasks = cli.ok_json("tasks", "list", "--archive", archive, "--today", "2024-06-25",
                        "--status", "red")
    [red] = tasks
    refused = cli.run("tasks", "close", str(red["id"]), "--reason", "已整改", "--as", "经办人庚",
                      "--archive", archive)
    assert refused.returncode == 1 and "只有管理员可以销号" in refused.stderr
    no_reason = cli.run("tasks", "close", str(red["id"]), "--reason", " ", "--as", "管理员戊",
                        "--archive", archive)
    assert no_reason.returncode == 1 and "理由" in no_reason.stderr
    cli.ok("tasks", "close", str(red["id"]), "--reason", "该项由区级统一报送", "--as", "管理员戊",
           "--archive", archive)
    [closed] = [t for t in cli.ok_json("tasks", "--archive", archive, "--today", "2024-06-25")
                if t["id"] == red["id"]]
    assert closed["status"] == "closed" and closed["closed_reason"] == "该项由区级统一报送"
    again = cli.run("tasks", "close", str(red["id"]), "--reason", "x", "--as", "管理员戊",
                    "--archive", archive)
    assert again.returncode == 1 and "已于" in again.stderr


def test_ledger_and_weekly_report_files(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    cli, archive = office
    cli.ok("tasks", "export", tmp_path / "台账.xlsx", "--archive", archive, "--today",
           "2024-06-25")
    sheet = openpyxl.load_workbook(tmp_path / "台账.xlsx")["台账"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert len(rows) == 4 and sheet.freeze_panes == "A3" and sheet.auto_filter.ref
    statuses = {r[3]: r[12] for r in rows}  # 责任单位 -> 状态
    assert statuses["市城管局"] == "红" and statuses["市教育局"] == "黄"
    cli.ok("report", "weekly", tmp_path / "周报.docx", "--archive", archive, "--today",
           "2024-06-25")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "周报.docx")).paragraphs)
    assert "四、红色清单" in text and "五、黄色清单" in text
    bad = cli.run("report", "weekly", tmp_path / "周报.pdf", "--archive", archive)
    assert bad.returncode == 1 and ".docx" in bad.stderr


def test_problem_found_assigned_rectified_sent_back_and_confirmed(office) -> None:  # type: ignore[no-untyped-def]
    cli, archive = office
    found = cli.ok_json("problem", "add", "垃圾分类宣传栏破损", "--item", "08.02",
                        "--as", "初审乙", "--archive", archive)
    number = str(found["id"])
    assert cli.ok_json("problem", "--archive", archive)[0]["state"] == "found"
    cli.ok("problem", "assign", number, "--department", "市城管局", "--deadline", "2024-06-20",
           "--as", "管理员戊", "--archive", archive)
    [late] = cli.ok_json("problem", "--archive", archive, "--today", "2024-06-25")
    assert late["state"] == "assigned" and late["overdue"]
    wrong = cli.run("problem", "rectify", number, "--note", "已修复", "--as", "经办人辛",
                    "--archive", archive)
    assert wrong.returncode == 1 and "不是“市城管局”的经办人" in wrong.stderr
    cli.ok("problem", "rectify", number, "--note", "已更换宣传栏", "--evidence", "4",
           "--as", "经办人庚", "--archive", archive)
    refused = cli.run("problem", "return", number, "--comment", "", "--as", "管理员戊",
                      "--archive", archive)
    assert refused.returncode != 0
    cli.ok("problem", "return", number, "--comment", "缺少整改后照片", "--as", "管理员戊",
           "--archive", archive)
    cli.ok("problem", "rectify", number, "--note", "补充整改后照片", "--as", "经办人庚",
           "--archive", archive)
    cli.ok("problem", "confirm", number, "--as", "复审丙", "--archive", archive)
    [done] = cli.ok_json("problem", "--archive", archive)
    assert (done["state"], done["rectification"], done["evidence"]) == (
        "confirmed", "补充整改后照片", [4])
    not_reviewer = cli.run("problem", "add", "x", "--item", "08.02", "--as", "经办人庚",
                           "--archive", archive)
    assert not_reviewer.returncode == 1 and "没有督查权限" in not_reviewer.stderr


def test_a_damaged_xls_is_refused_and_nothing_changes(zicha_cli: ZichaCli, cli_archive: Path,
                                                      tmp_path: Path) -> None:
    old = tmp_path / "任务清单.xls"
    old.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    result = zicha_cli.run("tasks", "import", old, "--archive", cli_archive)
    assert result.returncode == 1 and "“任务清单.xls”已损坏" in result.stderr
    assert ".xlsx" in result.stderr
    assert zicha_cli.ok_json("tasks", "--archive", cli_archive) == []
