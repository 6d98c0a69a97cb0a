"""Task lists as records (issue 15): the migration to 0006 on an archive made before it, the
proposals for a list's own headings, and the mapping kept with the list."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from desktop.core.archive import db
from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.ledger.headings import CODE, NAME, NONE, PROPOSED, Category, heading_key, settle
from desktop.core.ledger.tasks import HeadingsUnmapped, import_tasks, ledger
from tests.tasklist_fixtures import HEADINGS, own_headings_list

SYSTEM = [Category(c, n) for c, n in [
    ("01", "理想信念教育"), ("02", "思想道德建设"), ("03", "文明风尚培育"), ("04", "教育科技进步"),
    ("05", "文化事业和文化产业发展"), ("06", "政务廉洁高效"), ("07", "法治公平正义"),
    ("08", "生活和谐宜居"), ("09", "社会安全稳定"), ("10", "生态环境良好"),
    ("11", "创建常态长效")]]


def test_an_archive_with_tasks_from_before_lists_is_migrated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    Archive.create(root).close()
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0005")
    engine.dispose()
    now = dt.datetime(2024, 6, 1).isoformat(" ")
    with sqlite3.connect(root / DB_NAME) as conn:  # what 0005 wrote: tasks with no list
        conn.execute("INSERT INTO indicator_node (code, parent_code, kind, name, criterion, "
                     "position, source) VALUES ('01.01', '01', 'item', '学习宣传', '', 0, 't')")
        conn.execute("INSERT INTO department (id, name) VALUES (7, '市文明办')")
        for task_id in (1, 2):
            conn.execute(
                "INSERT INTO task (id, node_code, department_id, role, requirement, "
                "material_requirement, responsible, deadline_kind, deadline_text, source, "
                "closed_by, closed_reason, created_at, updated_at) VALUES (?, ?, 7, 'lead', '', "
                "'', '', 'none', '', 'x', '', '', ?, ?)", (task_id, ["01.01", "01"][task_id - 1],
                                                         now, now))
        conn.execute("INSERT INTO problem (id, node_code, task_id, description, found_at, "
                     "found_by, state, rectification, feedback, created_at, updated_at) VALUES "
                     "(1, '01.01', 2, '缺照片', '2024-06-01', '甲', 'found', '', '', ?, ?)",
                     (now, now))
    with Archive.open(root) as archive:
        assert db.current_revision(archive.engine) == db.HEAD_REVISION
        assert [t.item_code for t in ledger(archive).tasks] == ["01", "01.01"]
    with sqlite3.connect(root / DB_NAME) as conn:
        assert conn.execute("SELECT id, kind, mapping FROM task_list").fetchall() == [
            (1, "材料自查", "{}")]
        assert conn.execute("SELECT id, list_id FROM task ORDER BY id").fetchall() == [
            (1, 1), (2, 1)]
        # the problem still points at its task (the table copy did not null it)
        assert conn.execute("SELECT task_id FROM problem").fetchall() == [(2,)]
        # one task per list, item and department
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO task (list_id, node_code, department_id, role, "
                         "requirement, material_requirement, responsible, deadline_kind, "
                         "deadline_text, source, closed_by, closed_reason, created_at, "
                         "updated_at) SELECT list_id, node_code, department_id, role, "
                         "requirement, material_requirement, responsible, deadline_kind, "
                         "deadline_text, source, closed_by, closed_reason, created_at, "
                         "updated_at FROM task WHERE id = 1")


def test_an_empty_archive_is_migrated_without_a_list(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    Archive.create(root).close()
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0005")
    command.upgrade(db._alembic_config(engine), "head")
    engine.dispose()
    with sqlite3.connect(root / DB_NAME) as conn:
        assert conn.execute("SELECT count(*) FROM task_list").fetchone() == (0,)


@pytest.mark.parametrize(("heading", "how", "code"), [
    ("（一）提升服务水平,建设廉洁高效政府", PROPOSED, "06"),
    ("（二）弘扬优秀传统,筑牢思想道德篱笆", PROPOSED, "02"),
    ("（四）提高市民素质,塑造高新文明风尚", PROPOSED, "03"),
    ("（五）建立幸福指数,打造和谐宜居高新", PROPOSED, "08"),
    ("（六）实施平安工程,营造安全稳定环境", PROPOSED, "09"),
    ("（七）优化生态环境,提高市民的满意度", PROPOSED, "10"),
    ("（九）丰富创建活动,完善创建工作机制", PROPOSED, "11"),
    ("（三）营造诚信氛围,加强诚信守法建设", NONE, None),  # only generic words in common
    ("一、提升服务水平", PROPOSED, "01"),  # an explicit 序号 wins, but is only proposed
    ("一、理想信念教育", NAME, "01"),
    ("01 理想信念教育", NAME, "01"),
    ("06 提升服务", CODE, "06"),
    ("理想信念", NAME, "01"),
])
def test_proposals_for_seed_001_headings(heading: str, how: str, code: str | None) -> None:
    choice = settle(heading, [5], SYSTEM, {}, {})
    assert choice.how == how
    assert (choice.code if choice.settled else choice.proposal) == code


def test_a_proposal_is_explained_and_ties_are_not_guessed() -> None:
    choice = settle("（一）提升服务水平,建设廉洁高效政府", [4, 5], SYSTEM, {}, {})
    assert choice.reason == "建议 06 政务廉洁高效：与其名称共有“廉洁高效”（得分 3）"
    assert choice.shared == ["廉洁高效"]
    second = settle("（六）实施平安工程,营造安全稳定环境", [4], SYSTEM, {}, {})
    assert second.reason.endswith("（得分 3；其次 10 生态环境良好（1））")
    tie = settle("加强文明和安全", [1], [Category("01", "文明风尚"), Category("02", "安全稳定")],
                 {}, {})
    assert tie.how == NONE and "共有的词一样多" in tie.reason
    # the 测评内容 already in the archive count too
    with_items = [Category("01", "甲类", ("推进诚信建设制度化",)), Category("02", "乙类")]
    found = settle("（三）营造诚信氛围,加强诚信守法建设", [1], with_items, {}, {})
    assert found.proposal == "01" and "名称和测评内容共有“诚信”" in found.reason


def test_heading_keys_ignore_numbering_spaces_and_commas() -> None:
    assert heading_key("（一）提升服务水平，建设廉洁高效政府") == "提升服务水平,建设廉洁高效政府"
    assert heading_key("(一) 提升服务水平, 建设") == "提升服务水平,建设"
    assert heading_key("一、理想信念教育") == heading_key("01 理想信念教育") == "理想信念教育"


def test_import_without_mapping_raises_with_every_heading(core_archive: Archive,
                                                          tmp_path: Path) -> None:
    path = own_headings_list(tmp_path / "表.xlsx")
    with pytest.raises(HeadingsUnmapped) as err:
        import_tasks(core_archive, path)
    assert [c.heading for c in err.value.choices] == list(HEADINGS)
    assert "zicha" not in str(err.value) and "--category" in err.value.hint
    assert ledger(core_archive).tasks == []
    report = import_tasks(core_archive, path, categories=HEADINGS)
    assert len(report.tasks_created) == 17


def test_a_list_numbering_is_proposed_not_taken() -> None:
    for heading in ("1、提升服务水平", "6.提升服务水平"):
        choice = settle(heading, [3], SYSTEM, {}, {})
        assert choice.how == PROPOSED and not choice.settled
    assert settle("06 提升服务", [3], SYSTEM, {}, {}).how == CODE
    assert settle("06、提升服务", [3], SYSTEM, {}, {}).how == PROPOSED


def test_rows_without_a_heading_take_a_given_category(core_archive: Archive,
                                                      tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["序号", "测评内容", "牵头单位", "完成时限"])
    book.active.append([1, "推进生活垃圾分类", "市城管局", "长期坚持"])
    book.save(tmp_path / "无项目.xlsx")
    with pytest.raises(HeadingsUnmapped) as err:
        import_tasks(core_archive, tmp_path / "无项目.xlsx")
    assert "“（未写测评项目）”（第 2 行，无建议）" in str(err.value)
    assert "--category '=编号'" in err.value.hint
    report = import_tasks(core_archive, tmp_path / "无项目.xlsx", categories={"": "08"})
    assert report.items_created == ["08.01 推进生活垃圾分类"]
    again = import_tasks(core_archive, tmp_path / "无项目.xlsx")  # kept with the list
    assert again.unchanged == 1 and again.headings[0]["how"] == "saved"


def test_the_migration_goes_back_keeping_one_task_per_item_and_department(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    monkeypatch.setenv("ZICHA_USER", "测试员")
    root = tmp_path / "档案"
    with Archive.create(root) as archive:
        path = own_headings_list(tmp_path / "表.xlsx")
        import_tasks(archive, path, categories=HEADINGS)
        import_tasks(archive, path, categories=HEADINGS, kind="省级部门评价项目")
        assert len(ledger(archive).tasks) == 34
    engine = db.make_engine(root / DB_NAME)
    command.downgrade(db._alembic_config(engine), "0005")
    engine.dispose()
    with sqlite3.connect(root / DB_NAME) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (17,)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "task_list" not in tables
