"""What a clerk lives in every day: the welcome page whatever gets selected first, 全部材料,
no typed metadata lost on leaving a material, Ctrl+S, bulk work on several materials, a
resubmission of an unchanged returned material asked first, a window that fits the screen."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.core.materials.service import list_materials, update_material
from desktop.core.review import decisions, keys, roster
from desktop.demo.samples import make_pdf
from desktop.ui.bulk_edit import BulkEditDialog
from desktop.ui.models import CODE_ROLE, ID_ROLE
from tests.gui.helpers import wait_detail, wait_ops, wait_table


def import_three(window, qtbot, tmp_path) -> list[int]:  # type: ignore[no-untyped-def]
    pdfs = [make_pdf(tmp_path / f"{t}.pdf", t, [f"{t}正文"])
            for t in ("甲方案", "乙制度", "丙总结")]
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.import_paths("01.01", pdfs)
    window.tree.setCurrentIndex(window.tree_model.index_of("01.01"))
    wait_ops(qtbot, window)
    return sorted(v.id for v in list_materials(window.archive))


def select(qtbot, window, *ids: int) -> None:  # type: ignore[no-untyped-def]
    """Select these materials' rows, the last one current (shown, once read on a worker)."""
    window.table.clearSelection()
    model = window.table.selectionModel()
    for material_id in ids:
        row = window.proxy.mapFromSource(
            window.table_model.index(window.table_model.row_of(material_id), 0)).row()
        flags = model.SelectionFlag.Select | model.SelectionFlag.Rows
        model.select(window.proxy.index(row, 0), flags)
        model.setCurrentIndex(window.proxy.index(row, 0), model.SelectionFlag.NoUpdate)
    wait_detail(qtbot, window)


def test_welcome_page_whatever_node_is_selected_first(main_window, qtbot) -> None:
    assert main_window.tree_model.index_of("").data() == "全部材料"
    # a window manager giving the tree focus selects its first row, or a click selects 01
    for code in ("", "01", "01.01"):
        main_window.tree.setCurrentIndex(main_window.tree_model.index_of(code))
        wait_table(qtbot, main_window)
        assert main_window.center_stack.currentWidget() is main_window.empty
        assert main_window.empty_title.isVisibleTo(main_window)
        for button in (main_window.empty_demo, main_window.empty_import, main_window.empty_new):
            assert button.isVisibleTo(main_window)


def test_all_materials_node_lists_everything(main_window, qtbot, tmp_path) -> None:
    ids = import_three(main_window, qtbot, tmp_path)
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of(""))
    wait_table(qtbot, main_window)
    assert main_window.node_label.text() == "全部材料"
    assert sorted(main_window.table_model.row_view(r).id
                  for r in range(main_window.table_model.rowCount())) == ids
    assert main_window.tree_model.index_of("").siblingAtColumn(1).data() == "3"


def test_leaving_an_edited_material_asks(main_window, qtbot, tmp_path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first, second, _ = import_three(main_window, qtbot, tmp_path)
    editor = main_window.editor
    answers: list[str] = []
    monkeypatch.setattr(main_window, "ask_unsaved", lambda: answers.pop(0))
    select(qtbot, main_window, first)
    assert editor.material_id == first
    editor.title.setText("改过的名称")

    answers.append("cancel")  # stay: the edit and the selection stay
    select(qtbot, main_window, second)
    qtbot.wait(50)  # the selection goes back to the edited row once the view settles
    assert editor.material_id == first and editor.title.text() == "改过的名称"
    assert main_window.table.currentIndex().data(ID_ROLE) == first

    answers.append("save")
    select(qtbot, main_window, second)
    wait_ops(qtbot, main_window)
    assert editor.material_id == second
    assert {v.id: v.title for v in list_materials(main_window.archive)}[first] == "改过的名称"

    editor.title.setText("换节点前的修改")
    answers.append("cancel")  # another node: the same question, and the node stays
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    qtbot.wait(50)
    assert main_window.tree.currentIndex().data(CODE_ROLE) == "01.01"
    assert editor.title.text() == "换节点前的修改"

    editor.title.setText("不要的修改")
    answers.append("discard")
    select(qtbot, main_window, first)
    wait_ops(qtbot, main_window)
    assert editor.material_id == first
    assert {v.id: v.title for v in list_materials(main_window.archive)}[second] == "乙制度"
    assert not answers


def test_ctrl_s_saves(main_window, qtbot, tmp_path) -> None:
    first, *_ = import_three(main_window, qtbot, tmp_path)
    select(qtbot, main_window, first)
    main_window.editor.date.setText("2024-06-30")
    assert main_window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    main_window.save_action.trigger()
    wait_ops(qtbot, main_window)
    assert list_materials(main_window.archive)[0].material_date == "2024-06-30"
    assert not main_window.editor.is_dirty()


def test_bulk_set_and_delete_one_audit_entry_each(main_window, qtbot, tmp_path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ids = import_three(main_window, qtbot, tmp_path)
    select(qtbot, main_window, ids[0], ids[2])
    assert main_window.selection_bar.isVisibleTo(main_window)
    assert "2 份" in main_window.bulk_edit_action.text()

    def fill(dialog: BulkEditDialog) -> QDialog.DialogCode:
        dialog.boxes["material_type"].setChecked(True)
        dialog.material_type.setCurrentText("制度机制")
        dialog.boxes["material_date"].setChecked(True)
        dialog.date.setText("2024-03-01")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BulkEditDialog, "exec", fill)
    main_window.bulk_edit_action.trigger()
    wait_ops(qtbot, main_window)
    views = {v.id: v for v in list_materials(main_window.archive)}
    assert [(views[i].material_type, views[i].material_date) for i in (ids[0], ids[2])] == [
        ("制度机制", "2024-03-01")] * 2
    assert views[ids[1]].material_date != "2024-03-01"
    rows = {main_window.table_model.row_view(r).id: main_window.table_model.row_view(r)
            for r in range(main_window.table_model.rowCount())}
    assert rows[ids[0]].material_type == "制度机制"  # the table shows it without a reload

    def bad(dialog: BulkEditDialog) -> QDialog.DialogCode:  # a bad date: nothing changes
        dialog.boxes["material_date"].setChecked(True)
        dialog.date.setText("去年六月")
        return QDialog.DialogCode.Accepted

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    monkeypatch.setattr(BulkEditDialog, "exec", bad)
    main_window.bulk_edit_action.trigger()
    wait_ops(qtbot, main_window)
    assert warned and "日期" in warned[0]
    assert list_materials(main_window.archive)[0].material_date == "2024-03-01"

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    select(qtbot, main_window, ids[0], ids[1])
    main_window.delete_action.trigger()
    wait_ops(qtbot, main_window)
    assert [v.id for v in list_materials(main_window.archive)] == [ids[2]]
    with sqlite3.connect(main_window.archive.root / "zicha.db") as db:
        counted = dict(db.execute("select action, count(*) from audit_entry group by action"))
    assert counted["material.update"] == 2 + 0  # the refused bulk edit wrote nothing
    assert counted["material.delete"] == 2


def test_submitting_an_unchanged_returned_material_asks_first(main_window, qtbot, tmp_path,
                                                               monkeypatch) -> None:
    archive = main_window.archive
    for name, role in (("张三", "clerk"), ("李初审", "first")):
        roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, "secret123"))
    first, *_ = import_three(main_window, qtbot, tmp_path)
    update_material(archive, first, {"department": "市文明办"})
    decisions.submit(archive, [first], "张三")
    decisions.decide(archive, first, "李初审", "reject", "缺少照片",
                  keys.load_private("李初审", "secret123"))
    main_window._fill_people()
    wait_detail(qtbot, main_window)  # the roster is read on a worker
    main_window.person_box.setCurrentIndex(main_window.person_box.findData("张三"))
    main_window.refresh()
    wait_table(qtbot, main_window)
    select(qtbot, main_window, first)
    panel = main_window.review_panel
    assert "缺少照片" in main_window.editor.returned.text()
    assert panel.submit_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(panel, "ask_resubmit_unchanged",
                        lambda reason: asked.append(reason) or False)
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert asked == ["缺少照片"]
    assert list_materials(archive)[0].state == "returned"  # declined: nothing happened
    # once it is changed, it goes without asking
    main_window.editor.title.setText("甲方案（补充照片）")
    main_window.save_action.trigger()
    wait_ops(qtbot, main_window)
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert asked == ["缺少照片"] and list_materials(archive)[0].state == "submitted"


def test_the_window_fits_the_screen(main_window, qtbot, tmp_path) -> None:
    assert not main_window.right_splitter.isVisibleTo(main_window)  # welcome: nothing to edit
    import_three(main_window, qtbot, tmp_path)
    assert main_window.right_splitter.isVisibleTo(main_window)
    area = main_window.screen().availableGeometry()
    assert main_window.width() <= area.width() and main_window.height() <= area.height()
    assert main_window.editor.button_bar.isVisibleTo(main_window)
    # the save button is not inside the scrolling form
    assert main_window.editor.save_button.parent() is main_window.editor.button_bar


def test_selecting_a_material_does_not_move_the_splitters(main_window, qtbot, tmp_path) -> None:
    main_window.resize(1366, 740)
    qtbot.wait(50)
    ids = import_three(main_window, qtbot, tmp_path)
    qtbot.wait(50)
    before = (main_window.splitter.sizes(), main_window.right_splitter.sizes())
    for material_id in ids:
        select(qtbot, main_window, material_id)
        qtbot.waitUntil(lambda: main_window.editor.material_id is not None)
        qtbot.wait(100)  # the page renders on a worker
        assert (main_window.splitter.sizes(), main_window.right_splitter.sizes()) == before


def test_incomplete_filter_lists_what_still_lacks_metadata(main_window, qtbot, tmp_path) -> None:
    ids = import_three(main_window, qtbot, tmp_path)
    for material_id in ids[:2]:
        update_material(main_window.archive, material_id, {
            "material_date": "2024-05-01", "department": "市文明办", "material_type": "方案计划"})
    main_window.incomplete_box.setChecked(True)
    wait_table(qtbot, main_window)
    assert [main_window.table_model.row_view(r).id
            for r in range(main_window.table_model.rowCount())] == [ids[2]]
    tip = main_window.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "待完善" in tip and "责任单位" in tip
    main_window.incomplete_box.setChecked(False)
    wait_table(qtbot, main_window)
    assert main_window.table_model.rowCount() == 3


def test_photos_get_thumbnails_in_the_table(main_window, qtbot, tmp_path) -> None:
    from desktop.demo.samples import make_photo

    photo = make_photo(tmp_path / "宣传栏.jpg", "宣传栏")
    with qtbot.waitSignal(main_window.import_finished, timeout=30_000):
        main_window.import_paths("03.01", [photo])
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    wait_ops(qtbot, main_window)
    index = main_window.proxy.index(0, 1)

    def has_thumbnail() -> bool:
        main_window.table.viewport().update()
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        return icon is not None and not icon.isNull() and \
            (main_window.thumbnails.cache_dir.exists()
             and any(main_window.thumbnails.cache_dir.rglob("*.jpg")))

    qtbot.waitUntil(has_thumbnail, timeout=15_000)
    assert str(main_window.thumbnails.cache_dir).startswith(str(tmp_path))


def test_add_and_rename_an_item_from_the_tree_menu(main_window, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    wait_table(qtbot, main_window)
    asked: list[str] = []

    def answer(_parent, _title, label, _echo=None, text="", *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return ({"03.02": "03.02", "": "深化学雷锋志愿服务"}.get(text, "规范市民文明行为（修订）"),
                True)

    monkeypatch.setattr(QInputDialog, "getText", answer)
    main_window.add_item_action.trigger()  # proposes the next free code under 03
    wait_ops(qtbot, main_window)
    assert asked[0] == "03.02"
    assert main_window.tree_model.index_of("03.02").data() == "03.02 深化学雷锋志愿服务"

    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    assert main_window.rename_item_action.isEnabled()
    main_window.rename_item_action.trigger()
    wait_ops(qtbot, main_window)
    assert main_window.tree_model.index_of("03.01").data() == "03.01 规范市民文明行为（修订）"
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03"))
    assert not main_window.rename_item_action.isEnabled()  # 测评项目 names are the system's
