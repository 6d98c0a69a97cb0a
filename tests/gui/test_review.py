"""Review in the window: the current person submits, reviewers approve or reject with their
signing keys, and the history shows each decision verified."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.review import keys, roster
from desktop.demo.samples import make_pdf
from desktop.ui.models import MaterialTableModel
from tests.gui.helpers import select_row, wait_detail, wait_ops, wait_table


def add_people(archive) -> None:  # type: ignore[no-untyped-def]
    people = (("张三", "市文明办", "clerk"), ("李初审", "市文明办", "first@市文明办"),
              ("王复审", "市创城办", "second"))
    for name, dept, role in people:
        roster.add_person(archive, name, dept, [role], keys.new_key(name, "secret123"))


def choose(qtbot, window, name: str) -> None:  # type: ignore[no-untyped-def]
    window.person_box.setCurrentIndex(window.person_box.findData(name))
    wait_detail(qtbot, window)  # the review tab reads what this person may do


def test_submit_approve_reject_in_the_window(main_window, qtbot, tmp_path, monkeypatch) -> None:
    add_people(main_window.archive)
    pdf = make_pdf(tmp_path / "工作方案.pdf", "工作方案", ["正文"])
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("01.01", [pdf])
    main_window._fill_people()
    wait_detail(qtbot, main_window)  # the roster is read on a worker
    from desktop.core.materials.service import update_material

    update_material(main_window.archive, 1, {"department": "市文明办"})
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    wait_table(qtbot, main_window)
    select_row(qtbot, main_window, 0)
    panel = main_window.review_panel
    monkeypatch.setattr(panel, "ask_passphrase", lambda _name: "secret123")

    choose(qtbot, main_window, "张三")
    assert panel.submit_button.isEnabled() and not panel.approve_button.isEnabled()
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert main_window.proxy.index(0, MaterialTableModel.STATE).data() == "待初审"

    choose(qtbot, main_window, "王复审")  # not 初审: the buttons say so before anything is typed
    assert not panel.approve_button.isEnabled() and not panel.reject_button.isEnabled()
    assert "初审权限" in panel.message.text() and "初审权限" in panel.approve_button.toolTip()

    choose(qtbot, main_window, "李初审")
    main_window.queue_box.setChecked(True)
    wait_table(qtbot, main_window)
    assert main_window.proxy.rowCount() == 1  # in 李初审's queue
    select_row(qtbot, main_window, 0)
    panel.comment.setPlainText("材料齐全")
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert main_window.proxy.rowCount() == 0  # no longer waiting for 李初审
    main_window.queue_box.setChecked(False)
    wait_table(qtbot, main_window)
    select_row(qtbot, main_window, 0)
    assert main_window.proxy.index(0, MaterialTableModel.STATE).data() == "待复审"

    choose(qtbot, main_window, "王复审")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert "必须写明原因" in panel.message.text()
    panel.comment.setPlainText("缺少活动照片")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert main_window.proxy.index(0, MaterialTableModel.STATE).data() == "已退回"
    lines = [panel.history_list.item(i).text() for i in range(panel.history_list.count())]
    assert len(lines) == 2 and all(line.startswith("✔") for line in lines)
    assert "缺少活动照片" in lines[1] and "退回" in lines[1]

    main_window.stage_filter.setCurrentIndex(main_window.stage_filter.findData("returned"))
    wait_table(qtbot, main_window)
    assert main_window.proxy.rowCount() == 1
    main_window.stage_filter.setCurrentIndex(main_window.stage_filter.findData("draft"))
    wait_table(qtbot, main_window)
    assert main_window.proxy.rowCount() == 0
