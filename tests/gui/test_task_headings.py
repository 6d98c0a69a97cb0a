"""The import dialog's 测评项目对应 step on a list with the bureau's own headings (issue 15,
item 1): one row per heading with its proposal in a drop-down, import only once every heading
has a 测评项目, and a second import of the list asks nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop.core.ledger import tasks
from desktop.ui.task_import import TaskImportDialog
from tests.tasklist_fixtures import HEADINGS, own_headings_list


def _open_dialog(window, qtbot, monkeypatch, path: Path) -> TaskImportDialog:  # type: ignore[no-untyped-def]
    from desktop.ui.ledger_window import LedgerWindow

    monkeypatch.setattr(LedgerWindow, "ask_open_path", lambda self: path)
    with qtbot.waitSignal(window.ledger_shown, timeout=10_000) as shown:
        window.import_tasks_action.trigger()
    ledger_window = shown.args[0]
    dialog = ledger_window.findChildren(TaskImportDialog)[-1]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.parsed is not None, timeout=10_000)
    return dialog


def test_the_mapping_step_by_its_widgets(main_window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                         monkeypatch) -> None:
    path = own_headings_list(tmp_path / "高新区任务分解表.xlsx")
    dialog = _open_dialog(main_window, qtbot, monkeypatch, path)

    # the step is shown before anything is imported, one row per heading
    assert dialog.tabs.currentWidget() is dialog.mapping_page
    assert "5 个测评项目标题是清单自己的" in dialog.summary.text()
    table = dialog.headings
    assert [table.item(n, 0).text() for n in range(table.rowCount())] == list(HEADINGS)
    assert table.item(0, 1).text() == "第 4–6 行"
    boxes = [table.cellWidget(n, 2) for n in range(table.rowCount())]
    assert boxes == dialog.category_boxes
    assert boxes[0].count() == 12  # （请选择） and the 11 测评项目
    assert [box.currentData() for box in boxes] == ["06", "02", None, "09", "10"]
    assert boxes[0].currentText() == "06 政务廉洁高效"
    assert "共有“廉洁高效”" in table.item(0, 3).text()
    assert "没有共同的词" in table.item(2, 3).text()
    assert not dialog.import_button.isEnabled()  # （三） has no 测评项目 yet

    boxes[2].setCurrentIndex(boxes[2].findData("02"))  # the user picks 思想道德建设
    assert dialog.import_button.isEnabled()
    boxes[1].setCurrentIndex(0)  # back to （请选择）: not importable
    assert not dialog.import_button.isEnabled()
    boxes[1].setCurrentIndex(boxes[1].findData("02"))
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = imported.args[0]
    assert len(report.tasks_created) == 17 and report.skipped == []
    assert {h["heading"]: h["code"] for h in report.headings} == HEADINGS
    dialog.close()
    categories = {t.item_name: t.category_code for t in tasks.ledger(main_window.archive).tasks}
    assert categories["推进诚信建设制度化"] == "02"
    assert categories["进一步推进依法行政"] == "06"

    # the same list again: every heading already mapped, nothing to confirm, nothing changes
    again = _open_dialog(main_window, qtbot, monkeypatch, path)
    assert again.tabs.currentWidget() is not again.mapping_page
    assert all(c.how == "saved" for c in again.choices)
    assert "上次导入时已确认" in again.headings_note.text()
    assert again.import_button.isEnabled()
    with qtbot.waitSignal(again.imported, timeout=10_000) as second:
        qtbot.mouseClick(again.import_button, Qt.MouseButton.LeftButton)
    assert second.args[0].tasks_created == [] and second.args[0].unchanged == 17
    assert second.args[0].tasks_updated == []
    again.close()


def _simple_list(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
    for n, row in enumerate(rows, 1):
        sheet.append([n, *row])
    book.save(path)
    return path


def test_two_lists_through_the_dialog_and_the_ledger_filter(main_window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    first = _simple_list(tmp_path / "材料自查.xlsx", [
        ("01 理想信念教育", "深入学习宣传", "市委宣传部", "长期坚持"),
        ("03 文明风尚培育", "规范市民文明行为", "市文明办", "每季度")])
    second = _simple_list(tmp_path / "省级部门评价项目.xlsx", [
        ("01 理想信念教育", "深入学习宣传", "市委宣传部", "2030-12-31")])
    dialog = _open_dialog(main_window, qtbot, monkeypatch, first)
    assert dialog.list_kind.currentText() == "材料自查"
    assert all(c.settled for c in dialog.choices)  # the system's own names: nothing to confirm
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.close()

    dialog = _open_dialog(main_window, qtbot, monkeypatch, second)
    dialog.list_kind.setCurrentIndex(dialog.list_kind.findText("省级部门评价项目"))
    qtbot.waitUntil(lambda: not dialog.busy and dialog.parsed is not None
                    and dialog.import_button.isEnabled(), timeout=10_000)
    ledger_window = dialog.parent()
    with (qtbot.waitSignal(ledger_window.loaded, timeout=10_000),
          qtbot.waitSignal(dialog.imported) as imported):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args[0].list_kind == "省级部门评价项目"
    assert len(imported.args[0].tasks_created) == 1 and imported.args[0].not_in_list == []
    dialog.close()

    qtbot.waitUntil(lambda: ledger_window.list_filter.count() == 3, timeout=10_000)
    assert [ledger_window.list_filter.itemText(n) for n in range(3)] == [
        "全部清单", "材料自查", "省级部门评价项目"]
    assert "材料自查 0/2（0%）" in ledger_window.list_totals.text()
    assert "省级部门评价项目 0/1（0%）" in ledger_window.list_totals.text()
    assert len(ledger_window.visible_tasks()) == 3
    with qtbot.waitSignal(ledger_window.loaded, timeout=10_000):
        ledger_window.list_filter.setCurrentIndex(2)
    assert [(t.item_name, t.list_kind) for t in ledger_window.visible_tasks()] == [
        ("深入学习宣传", "省级部门评价项目")]
    assert "共 1 项任务" in ledger_window.counts.text()
    assert ledger_window.task_table.item(0, 9).text() == "省级部门评价项目"
    ledger_window.close()
