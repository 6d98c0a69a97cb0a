"""The 材料清单 in the window (issue 19, item 2): under the tree, the selected 测评内容's
checklist with ✔/✘ and what is missing, updated when material is filed; 提交初审 with gaps asks
(the box lists the gaps; "先去补齐" submits nothing, "仍然提交" submits) and the review panel
shows the reviewer 提交时缺项; the 台账 dashboard totals the items complete and with gaps; the
metadata editor has the caption's 背景 and 事由."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.archive.items import rename_item
from desktop.core.materials.service import get_material, list_materials, update_material
from desktop.demo.samples import make_pdf
from desktop.ui.models import ID_ROLE, MaterialTableModel
from tests.conftest import build_image
from tests.gui.helpers import select_row, wait_ops, wait_table
from tests.gui.test_review import add_people, choose

CRITERION = "工作方案、会议记录、活动图片（注明时间、地点、人物、主题、背景、事由）"


def _lines(window) -> list[str]:  # type: ignore[no-untyped-def]
    panel = window.checklist_panel
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def _select_item(qtbot, window, code: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.checklist_panel.shown, timeout=10_000):
        window.tree.setCurrentIndex(window.tree_model.index_of(code))
    wait_table(qtbot, window)


def answer_gaps_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click `button` on the 提交初审 box when it is up, recording its text."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        box.button(button).click()
    QTimer.singleShot(0, click)


def test_checklist_panel_and_submitting_with_gaps(main_window, qtbot, tmp_path) -> None:
    window = main_window
    archive = window.archive
    rename_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想", CRITERION)
    add_people(archive)
    window._fill_people()
    _select_item(qtbot, window, "01.01")
    lines = _lines(window)
    assert lines[0].startswith("✘ 工作方案 ≥ 1 份") and "工作方案还差 1 份" in lines[0]
    assert lines[2].startswith("✘ 活动图片 ≥ 1 张（注明时间、地点、人物、主题、背景、事由）")
    assert "缺 3 项" in window.checklist_panel.title.text()

    pdf = make_pdf(tmp_path / "工作方案.pdf", "理论学习工作方案", ["学习安排"])
    photo = build_image(tmp_path / "学习.jpg", size=(80, 60))
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        window.import_paths("01.01", [pdf, photo])
    wait_ops(qtbot, window)
    qtbot.waitUntil(lambda: _lines(window)[0].startswith("✔ 工作方案"), timeout=10_000)
    assert _lines(window)[0] == "✔ 工作方案 ≥ 1 份：有 1"
    assert "另有 1 张缺图片说明" in _lines(window)[2]

    plan = next(r for r in range(window.proxy.rowCount())
                if window.proxy.index(r, MaterialTableModel.TITLE).data() == "理论学习工作方案")
    material_id = window.proxy.index(plan, 0).data(ID_ROLE)
    update_material(archive, material_id, {"department": "市文明办"})
    choose(qtbot, window, "张三")
    select_row(qtbot, window, plan)

    seen: list[str] = []
    answer_gaps_box(QMessageBox.StandardButton.No, seen)
    window.submit_action.trigger()
    wait_ops(qtbot, window)
    assert len(seen) == 1 and "会议记录还差 1 份" in seen[0] and "仍然提交吗" in seen[0]
    assert get_material(archive, material_id).state == "draft"  # 先去补齐: nothing submitted

    answer_gaps_box(QMessageBox.StandardButton.Yes, seen)
    window.submit_action.trigger()
    wait_ops(qtbot, window)
    assert len(seen) == 2
    assert get_material(archive, material_id).state == "submitted"
    window.table.clearSelection()
    window.table.selectRow(plan)
    window.details.setCurrentWidget(window.review_panel)
    note = window.review_panel.gaps_note
    qtbot.waitUntil(note.isVisible, timeout=5_000)
    assert note.text().startswith("提交时缺项：01.01") and "会议记录还差 1 份" in note.text()


def test_caption_background_and_reason_in_the_editor(main_window, qtbot, tmp_path) -> None:
    window = main_window
    photo = build_image(tmp_path / "劝导.jpg", size=(70, 50))
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        window.import_paths("03.01", [photo])
    wait_ops(qtbot, window)
    window.tree.setCurrentIndex(window.tree_model.index_of("03.01"))
    wait_table(qtbot, window)
    window.table.selectRow(0)
    editor = window.editor
    qtbot.waitUntil(lambda: editor.material_id is not None, timeout=5_000)
    assert list(editor.captions) == ["时间", "地点", "人物", "主题", "背景", "事由"]
    material_id = editor.material_id
    # QTest.keyClicks cannot type CJK: set the text as an input method would
    editor.captions["背景"].setText("创建全国文明城市")
    editor.captions["事由"].setText("文明交通劝导")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, window)
    caption = get_material(window.archive, material_id).caption
    assert (caption["背景"], caption["事由"]) == ("创建全国文明城市", "文明交通劝导")


def test_dashboard_totals(main_window, qtbot) -> None:
    window = main_window
    rename_item(window.archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想", CRITERION)
    window.show_ledger()
    from desktop.ui.ledger_window import LedgerWindow

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, LedgerWindow)]
    assert found
    ledger_window = found[-1]
    qtbot.waitUntil(lambda: "材料清单" in ledger_window.checklist_totals.text(), timeout=10_000)
    text = ledger_window.checklist_totals.text()
    assert "测评内容 2 个" in text and "齐全 0" in text and "有缺项 1" in text
    assert "无要求 1" in text
    ledger_window.close()


def test_submitting_from_the_review_panel_asks_too(main_window, qtbot, tmp_path) -> None:
    window = main_window
    archive = window.archive
    rename_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想", CRITERION)
    add_people(archive)
    window._fill_people()
    pdf = make_pdf(tmp_path / "学习计划.pdf", "理论学习计划", ["学习安排"])
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        window.import_paths("01.01", [pdf])
    wait_ops(qtbot, window)
    [material_id] = [v.id for v in list_materials(archive, code="01.01")]
    update_material(archive, material_id, {"department": "市文明办"})
    _select_item(qtbot, window, "01.01")
    choose(qtbot, window, "张三")
    select_row(qtbot, window, 0)
    panel = window.review_panel
    window.details.setCurrentWidget(panel)
    assert panel.submit_button.isEnabled()
    seen: list[str] = []
    answer_gaps_box(QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, window)
    assert len(seen) == 1 and "活动图片还差 1 张" in seen[0]
    assert get_material(archive, material_id).state == "submitted"
    window.table.clearSelection()
    window.table.selectRow(0)
    qtbot.waitUntil(panel.gaps_note.isVisible, timeout=5_000)
    assert "会议记录还差 1 份" in panel.gaps_note.text()


def test_the_admin_sets_an_items_requirements(main_window, qtbot, tmp_path) -> None:
    from desktop.core.review import keys, roster

    window = main_window
    archive = window.archive
    add_people(archive)
    roster.add_person(archive, "管理员", "市文明办", ["admin"], keys.new_key("管理员", "secret123"))
    window._fill_people()
    _select_item(qtbot, window, "01.01")
    panel = window.checklist_panel
    assert panel.current is not None and panel.current.status == "none"
    assert panel.set_button.isEnabled()
    opened: list = []
    panel.dialog_shown.connect(opened.append)

    choose(qtbot, window, "张三")  # a clerk may not: the core's refusal is shown in the dialog
    qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    dialog = opened[-1]
    dialog.text.setPlainText("实景图片3张以上，注明时间、地点；宣传资料")
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "不是管理员" in dialog.message.text()
    dialog.close()

    choose(qtbot, window, "管理员")
    qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    dialog = opened[-1]
    dialog.text.setPlainText("实景图片3张以上，注明时间、地点；宣传资料")
    with qtbot.waitSignal(panel.shown, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "已保存：1 项要求，1 条备注" in dialog.message.text()
    assert _lines(window) == [
        "✘ 实景图片 ≥ 3 张（注明时间、地点）\n　实景图片还差 3 张（要 3，有 0）",
        "· 备注（不自动检查）：宣传资料"]
    assert "管理员设定" in panel.title.text()
    dialog.close()
