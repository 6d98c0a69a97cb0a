"""A whole offline review done only through the window's menus and dialogs, as the three people
would do it: each creates a key and exports the public key (人员与密钥); the admin registers
everyone from those files; the clerk imports, sets the department for both materials at once,
submits them and exports a review package; the reviewer opens the package, approves one and
returns the other, each with its own comment, and signs; the clerk applies the decisions file.
The audit log names the person chosen in the window at every step."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from desktop.core.materials.service import list_materials
from desktop.core.review import decisions, roster
from desktop.demo.samples import make_pdf
from desktop.ui.bulk_edit import BulkEditDialog
from desktop.ui.people_dialog import FormDialog, PeopleDialog
from tests.gui.helpers import select_row, wait_detail, wait_ops, wait_table

PASS = "secret-pass-1"  # QTest types no CJK


def click(button) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


class Files:
    """What the next file dialog answers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.next: list[Path] = []
        answer = lambda *_a, **_k: (str(self.next.pop(0)), "")  # noqa: E731
        monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                            lambda *_a, **_k: ([str(p) for p in self.next.pop(0)], ""))  # type: ignore[attr-defined]


def people_dialog(qtbot, window) -> PeopleDialog:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.people_shown, timeout=5_000) as shown:
        window.people_action.trigger()
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)  # read on a worker
    return dialog


def fill_next_form(dialog: PeopleDialog, monkeypatch: pytest.MonkeyPatch, fill) -> None:  # type: ignore[no-untyped-def]
    def ask(form: FormDialog) -> bool:
        form.show()
        fill(form)
        click(form.ok_button)
        assert not form.error.isVisible(), form.error.text()
        return form.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialog, "ask_form", ask)


def choose_person(qtbot, window, name: str) -> None:  # type: ignore[no-untyped-def]
    window.person_box.showPopup()  # re-reads the roster (on a worker), as a click on the box does
    qtbot.waitUntil(lambda: window.person_box.findData(name) >= 0, timeout=10_000)
    window.person_box.hidePopup()
    window.person_box.setCurrentIndex(window.person_box.findData(name))
    assert window.current_person == name
    wait_detail(qtbot, window)  # what this person may do is read on a worker


def test_offline_review_round_trip_through_menus(main_window, qtbot, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = Files(monkeypatch)
    usb = tmp_path / "U盘"
    usb.mkdir()

    # everyone: 创建我的密钥 and 导出我的公钥 (each on their own PC; one key store here)
    for name in ("王管理", "张三", "李初审"):
        dialog = people_dialog(qtbot, main_window)

        def key(form, name=name) -> None:  # type: ignore[no-untyped-def]
            form.name.setText(name)  # QTest types no CJK; an input method sets the text
            QTest.keyClicks(form.passphrase, PASS)
            QTest.keyClicks(form.again, PASS)

        fill_next_form(dialog, monkeypatch, key)
        click(dialog.create_key_button)
        qtbot.waitUntil(lambda d=dialog: not d.loading, timeout=10_000)
        monkeypatch.setattr(dialog, "ask_save_key_path", lambda _s, n=name: usb / f"{n}.txt")
        click(dialog.export_key_button)
        assert (usb / f"{name}.txt").is_file()
        dialog.close()

    # the admin registers himself, then (as the admin) the clerk and the reviewer
    def register(dialog: PeopleDialog, name: str, role: str) -> None:
        monkeypatch.setattr(dialog, "ask_open_key_path", lambda: usb / f"{name}.txt")

        def person(form) -> None:  # type: ignore[no-untyped-def]
            click(form.key_button)
            assert form.name.text() == name  # the key file carries the name
            form.department.setEditText("市文明办")
            form.role_boxes[role].setChecked(True)

        fill_next_form(dialog, monkeypatch, person)
        click(dialog.add_button)
        qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)

    dialog = people_dialog(qtbot, main_window)
    register(dialog, "王管理", "admin")
    dialog.close()
    choose_person(qtbot, main_window, "王管理")
    dialog = people_dialog(qtbot, main_window)
    register(dialog, "张三", "clerk")
    register(dialog, "李初审", "first")
    dialog.close()
    assert [p.name for p in roster.people(main_window.archive)] == ["王管理", "张三", "李初审"]

    # the clerk: import two files into 01.01, set their department at once, submit both
    choose_person(qtbot, main_window, "张三")
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    wait_table(qtbot, main_window)
    pdfs = [make_pdf(tmp_path / f"{t}.pdf", t, [f"{t}的正文"])
            for t in ("志愿服务方案", "宣传栏说明")]
    files.next = [pdfs]  # type: ignore[list-item]
    with qtbot.waitSignal(main_window.import_finished, timeout=30_000):
        main_window.import_files_action.trigger()
    wait_ops(qtbot, main_window)
    main_window.table.selectAll()
    assert len(main_window.selected_ids()) == 2

    def bulk(dialog: BulkEditDialog) -> QDialog.DialogCode:
        dialog.boxes["department"].setChecked(True)
        dialog.department.setEditText("市文明办")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BulkEditDialog, "exec", bulk)
    main_window.bulk_edit_action.trigger()
    wait_ops(qtbot, main_window)
    assert {v.department for v in list_materials(main_window.archive)} == {"市文明办"}
    main_window.table.selectAll()
    assert main_window.submit_action.isEnabled()
    main_window.submit_action.trigger()
    wait_ops(qtbot, main_window)
    assert {v.state for v in list_materials(main_window.archive)} == {"submitted"}
    ids = {v.title: v.id for v in list_materials(main_window.archive)}

    package = usb / "初审包.zicha-review.zip"
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *_a, **_k:
                        (items[0], True))  # 初审
    files.next = [package]
    main_window.export_package_action.trigger()
    qtbot.waitUntil(lambda: main_window._job is None and package.is_file(), timeout=30_000)

    # the reviewer: open the package, one comment per material, sign
    choose_person(qtbot, main_window, "李初审")
    files.next = [package]
    with qtbot.waitSignal(main_window.package_opened, timeout=30_000) as opened:
        main_window.open_package_action.trigger()
    window = opened.args[0]
    assert window.reviewer == "李初审"
    order = [window.material_list.item(r).data(Qt.ItemDataRole.UserRole)
             for r in range(window.material_list.count())]
    for material_id in order:
        window.material_list.setCurrentRow(order.index(material_id))
        if material_id == ids["志愿服务方案"]:
            window.comment.setPlainText("材料齐全")
            window.approve_action.trigger()
        else:
            window.comment.setPlainText("字体异常，请重新排版")
            window.reject_action.trigger()
    decided = usb / "决定.zicha-decisions.json"
    files.next = [decided]
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (PASS, True))
    window.sign_action.trigger()
    assert decided.is_file(), window.message.text()
    window.close()

    # the clerk applies the decisions file
    choose_person(qtbot, main_window, "张三")
    files.next = [decided]
    with qtbot.waitSignal(main_window.decisions_applied, timeout=30_000):
        main_window.apply_decisions_action.trigger()
    wait_ops(qtbot, main_window)
    states = {v.title: v.state for v in list_materials(main_window.archive)}
    assert states == {"志愿服务方案": "first_approved", "宣传栏说明": "returned"}
    comments = {title: [c.comment for c in decisions.history(main_window.archive, i)]
                for title, i in ids.items()}
    assert comments == {"志愿服务方案": ["材料齐全"], "宣传栏说明": ["字体异常，请重新排版"]}

    # the returned material shows why on its 信息 tab
    main_window.table.clearSelection()
    main_window.stage_filter.setCurrentIndex(main_window.stage_filter.findData("returned"))
    wait_table(qtbot, main_window)
    select_row(qtbot, main_window, 0)
    assert main_window.editor.returned.isVisibleTo(main_window)
    assert "字体异常" in main_window.editor.returned.text()

    # 全程留痕 names the person chosen in the window, not the computer's login
    with sqlite3.connect(main_window.archive.root / "zicha.db") as db:
        actors = dict(db.execute(
            "select action, group_concat(distinct actor) from audit_entry group by action"))
    assert actors["material.import"] == "张三"
    assert actors["material.update"] == "张三"
    assert actors["material.submit"] == "张三"
    assert actors["person.add"].split(",")[-1] == "王管理"
