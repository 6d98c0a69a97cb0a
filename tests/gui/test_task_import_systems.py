"""The task-import dialog with two indicator systems (issue 15, item 4): a 测评体系 choice
(the list's saved one, else the city's), the headings mapped to the chosen system's 测评项目
only, "新建测评项目" for a system the bureau added; importing a 未成年人 list makes W01 … and
the main window's tree shows them under their system."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from desktop.core.archive.archive import Archive
from desktop.core.archive.systems import create_system
from desktop.core.ledger import tasks
from desktop.ui.models import system_key
from desktop.ui.task_import import NEW_CATEGORY, TaskImportDialog

W = "bureau-w"
W_NAME = "全国未成年人思想道德建设工作测评体系"
KIND = "未成年人思想道德建设"
HEADINGS = ("一、思想道德教育", "二、校外活动场所建设", "三、家庭教育")
ROWS = [
    ("一、思想道德教育", "开展理想信念教育主题活动", "市教育局", "2030-06-30"),
    ("一、思想道德教育", "组织新时代好少年学习宣传", "团市委", "每季度"),
    ("二、校外活动场所建设", "乡村学校少年宫建设使用", "市教育局", "长期坚持"),
    ("三、家庭教育", "建设家长学校", "市妇联", "2030.12.31"),
]


def _list(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
    for n, row in enumerate(ROWS, 1):
        sheet.append([n, *row])
    book.save(path)
    return path


@pytest.fixture
def gui_archive(tmp_path: Path) -> Iterator[Path]:  # the main window opens this one
    root = tmp_path / "档案"
    with Archive.create(root) as archive:
        create_system(archive, W_NAME, prefix="W", weight=20)  # empty: no 测评项目 yet
    yield root


def _open(window, qtbot, monkeypatch, path: Path) -> TaskImportDialog:  # type: ignore[no-untyped-def]
    from desktop.ui.ledger_window import LedgerWindow

    monkeypatch.setattr(LedgerWindow, "ask_open_path", lambda self: path)
    with qtbot.waitSignal(window.ledger_shown, timeout=10_000) as shown:
        window.import_tasks_action.trigger()
    dialog = shown.args[0].findChildren(TaskImportDialog)[-1]
    _settled(qtbot, dialog)
    return dialog


def _settled(qtbot, dialog: TaskImportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.parsed is not None, timeout=10_000)


def _entries(box) -> list[str]:  # type: ignore[no-untyped-def]
    return [box.itemText(n) for n in range(box.count())]


def test_a_list_of_an_added_system_makes_its_categories(main_window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch) -> None:
    window = main_window
    model = window.tree_model
    assert model.rowCount(model.index_of_system(W)) == 0  # W has no 测评项目 yet
    path = _list(tmp_path / "未成年人思想道德建设任务分解表.xlsx")
    dialog = _open(window, qtbot, monkeypatch, path)

    # by default the city system: its 11 测评项目, no "新建测评项目"
    box = dialog.system_box
    assert _entries(box) == ["全国文明城市（地级以上）测评体系（2023年版）",
                             f"{W_NAME}（权重 20%）"]
    assert dialog.system_id() == "cn-wmcs-2023-prefecture"
    assert [c.label for c in dialog.choices] == list(HEADINGS)
    assert dialog.category_boxes[0].count() == 12
    assert dialog.category_boxes[0].findData(NEW_CATEGORY) < 0
    assert not dialog.all_new_button.isVisibleTo(dialog)

    # choose W, then a 清单类别 of its own (typed): W stays chosen, the headings re-planned
    box.setCurrentIndex(box.findData(W))
    _settled(qtbot, dialog)
    dialog.list_kind.setEditText(KIND)
    _settled(qtbot, dialog)
    assert dialog.kind() == KIND and dialog.system_id() == W
    boxes = dialog.category_boxes
    assert [_entries(b) for b in boxes] == [["（请选择）", "新建测评项目"]] * 3
    assert "是本单位添加的测评体系" in dialog.headings_note.text()
    assert dialog.all_new_button.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled()
    for b in boxes:  # 新建测评项目 for every heading
        b.setCurrentIndex(b.findData(NEW_CATEGORY))
    assert [b.currentData() for b in boxes] == [tasks.NEW_VALUES[0]] * 3
    assert dialog.headings.item(1, 3).text() == f"导入时新建测评项目“校外活动场所建设”（{W_NAME}）"
    assert dialog.import_button.isEnabled()

    ledger_window = dialog.parent()
    with (qtbot.waitSignal(ledger_window.loaded, timeout=10_000),
          qtbot.waitSignal(dialog.imported, timeout=10_000) as imported):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = imported.args[0]
    assert report.categories_created == ["W01 思想道德教育", "W02 校外活动场所建设",
                                         "W03 家庭教育"]
    assert len(report.tasks_created) == 4 and report.skipped == []
    assert "新建测评项目 3 个" in dialog.summary.text()
    dialog.close()

    # the main window's tree shows W01 … with their 测评内容 under W
    qtbot.waitUntil(lambda: model.index_of("W03").isValid(), timeout=10_000)
    w = model.index_of(system_key(W))
    assert [model.index(r, 0, w).data() for r in range(model.rowCount(w))] == [
        "W01 思想道德教育", "W02 校外活动场所建设", "W03 家庭教育"]
    w01 = model.index_of("W01")
    assert [model.index(r, 0, w01).data() for r in range(model.rowCount(w01))] == [
        "W01.01 开展理想信念教育主题活动", "W01.02 组织新时代好少年学习宣传"]
    assert model.index_of("W02.01").data() == "W02.01 乡村学校少年宫建设使用"
    assert window.tree.isExpanded(w)
    ledger_window.close()

    # the list again: its system is the one saved with the list, every heading already mapped
    again = _open(window, qtbot, monkeypatch, path)
    again.list_kind.setEditText(KIND)
    _settled(qtbot, again)
    assert again.system_id() == W
    assert all(c.how == "saved" for c in again.choices)
    assert [b.currentData() for b in again.category_boxes] == ["W01", "W02", "W03"]
    assert _entries(again.category_boxes[0]) == [
        "（请选择）", "W01 思想道德教育", "W02 校外活动场所建设", "W03 家庭教育", "新建测评项目"]
    with qtbot.waitSignal(again.imported, timeout=10_000) as second:
        qtbot.mouseClick(again.import_button, Qt.MouseButton.LeftButton)
    assert second.args[0].categories_created == [] and second.args[0].unchanged == 4
    # another 清单类别 without a saved system: W was the list's, not chosen here, so the city's
    again.list_kind.setCurrentIndex(again.list_kind.findText(tasks.DEFAULT_KIND))
    _settled(qtbot, again)
    assert again.system_id() == "cn-wmcs-2023-prefecture"
    assert again.category_boxes[0].count() == 12
    again.close()


def test_all_open_headings_become_new_with_one_button(main_window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      monkeypatch) -> None:
    dialog = _open(main_window, qtbot, monkeypatch, _list(tmp_path / "清单.xlsx"))
    dialog.system_box.setCurrentIndex(dialog.system_box.findData(W))
    _settled(qtbot, dialog)
    qtbot.mouseClick(dialog.all_new_button, Qt.MouseButton.LeftButton)
    assert [b.currentText() for b in dialog.category_boxes] == ["新建测评项目"] * 3
    assert dialog.import_button.isEnabled()
    dialog.close()
