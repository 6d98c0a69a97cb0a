"""测评体系 dialog (issue 15, item 4), through its real buttons from the main window's menu:
an empty system W with weight 20 is created, given a 测评项目, re-weighted and finally removed —
refused while a material is filed in it — and one is added from a YAML file; each refusal
is the core's message, and the main window's tree follows every change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from shiboken6 import isValid

from desktop.core.archive import systems
from desktop.core.materials.service import delete_materials, list_materials
from desktop.demo.samples import make_pdf
from desktop.ui.models import system_key
from desktop.ui.systems_dialog import OperationForm, SystemsDialog
from tests.gui.helpers import wait_ops, wait_table
from tests.gui.test_main_window import drop_files, node_point

W_NAME = "全国未成年人思想道德建设工作测评体系"
CUN = """\
id: wmcz-2023
name: 全国文明村镇测评体系
edition: "2023"
prefix: C
weight: 10
categories:
  - {code: "01", name: 乡风文明}
  - {code: "02", name: 村容整洁}
items:
  - {code: "01.01", name: 移风易俗, criterion: 提供村规民约和红白理事会活动记录}
"""


def click(button) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_form(qtbot, dialog: SystemsDialog, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                fill: Callable[[OperationForm], None]) -> list[OperationForm]:
    """The next form the dialog asks is filled by `fill` in its real widgets and OK clicked;
    the answer is known once the core has done the change (the form closes) or refused it
    (the form stays open with the message, and is cancelled here)."""
    seen: list[OperationForm] = []

    def ask(form: OperationForm) -> bool:
        seen.append(form)
        form.show()
        fill(form)
        click(form.ok_button)
        qtbot.waitUntil(lambda: not form.isVisible() or form.error.isVisible(), timeout=10_000)
        if form.isVisible():
            form.reject()
        return form.result() == OperationForm.DialogCode.Accepted

    monkeypatch.setattr(dialog, "ask_form", ask)
    return seen


def field(form: OperationForm, label: str):  # type: ignore[no-untyped-def]
    """The widget of the form's row labelled `label`."""
    for row in range(form.form.rowCount()):
        item = form.form.itemAt(row, form.form.ItemRole.LabelRole)
        if item is not None and item.widget() is not None and item.widget().text() == label:
            return form.form.itemAt(row, form.form.ItemRole.FieldRole).widget()
    raise AssertionError(f"no row {label}")


def rows(dialog: SystemsDialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())]


def select(dialog: SystemsDialog, prefix: str) -> None:
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 1).text() == prefix)
    dialog.table.selectRow(row)


def open_dialog(window, qtbot) -> SystemsDialog:  # type: ignore[no-untyped-def]
    assert window.systems_action.isEnabled()
    with qtbot.waitSignal(window.systems_shown, timeout=10_000) as shown:
        window.systems_action.trigger()
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.table.rowCount() > 0, timeout=10_000)
    return dialog


def test_the_admin_manages_the_systems_through_the_dialog(main_window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = main_window
    dialog = open_dialog(window, qtbot)
    assert rows(dialog) == [("全国文明城市（地级以上）测评体系（2023年版）", "（无）", "—", "11",
                             "2", "0")]
    select(dialog, "（无）")
    assert dialog.edit_button.isEnabled()
    assert not dialog.category_button.isEnabled() and not dialog.remove_button.isEnabled()
    assert "主测评体系" in dialog.remove_button.toolTip()
    assert window.tree_model.system_keys() == []  # one system: the tree as it always was

    # 新建…: an empty system W with weight 20 (the prefix typed in lower case)
    def empty_w(form: OperationForm) -> None:
        field(form, "名称").insert(W_NAME)  # CJK cannot be typed by QTest
        QTest.keyClicks(field(form, "编号前缀"), "w")
        assert field(form, "编号前缀").text() == "W"
        field(form, "权重").setValue(20)

    answer_form(qtbot, dialog, monkeypatch, empty_w)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        click(dialog.create_button)
    wait_table(qtbot, window)  # the window's tree is read on a worker
    # the dialog reads again on a worker after each change: a read already under way may
    # arrive (loaded) first, so its rows are waited for
    qtbot.waitUntil(lambda: rows(dialog)[1] == (W_NAME, "W", "20%", "0", "0", "0"),
                    timeout=10_000)
    assert dialog.selected() is not None and dialog.selected().prefix == "W"
    assert "已新建测评体系" in dialog.message.text()
    model = window.tree_model  # the window's tree now has a row per system
    qtbot.waitUntil(lambda: [model.index_of(k).data() for k in model.system_keys()] == [
        "全国文明城市（地级以上）测评体系（2023年版）", f"{W_NAME} · 权重 20%"], timeout=10_000)
    assert model.index_of("01").parent() == model.index_of_system("cn-wmcs-2023-prefecture")

    # the same prefix again: the form stays open with the core's message, nothing added
    forms = answer_form(qtbot, dialog, monkeypatch, lambda form: (
        field(form, "名称").insert("全国文明村镇测评体系"),
        QTest.keyClicks(field(form, "编号前缀"), "W")))
    click(dialog.create_button)
    assert f"编号前缀 W 已被测评体系“{W_NAME}”使用" in forms[0].error.text()
    assert len(systems.systems(window.archive)) == 2

    # 添加测评项目…: W01 under W in the dialog and in the tree
    select(dialog, "W")
    assert dialog.category_button.isEnabled() and dialog.remove_button.isEnabled()
    forms = answer_form(qtbot, dialog, monkeypatch,
                        lambda form: field(form, "测评项目名称").insert("思想道德教育"))
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        click(dialog.category_button)
    wait_table(qtbot, window)  # the window's tree is read on a worker
    assert "编号自动顺延：W01" in [form.form.itemAt(r, form.form.ItemRole.SpanningRole)
                                   .widget().text() for form in forms
                                   for r in range(form.form.rowCount())
                                   if form.form.itemAt(r, form.form.ItemRole.SpanningRole)]
    qtbot.waitUntil(lambda: rows(dialog)[1][3] == "1", timeout=10_000)
    assert "已添加测评项目 W01 思想道德教育" in dialog.message.text()
    qtbot.waitUntil(lambda: model.index_of("W01").data() == "W01 思想道德教育", timeout=10_000)
    assert model.index_of("W01").parent() == model.index_of_system("bureau-w")

    # 修改名称/权重…: 20 % → 25 %
    select(dialog, "W")

    def reweigh(form: OperationForm) -> None:
        assert field(form, "名称").text() == W_NAME and not field(form, "名称").isReadOnly()
        field(form, "权重").setValue(25)

    answer_form(qtbot, dialog, monkeypatch, reweigh)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        click(dialog.edit_button)
    wait_table(qtbot, window)  # the window's tree is read on a worker
    qtbot.waitUntil(lambda: rows(dialog)[1][2] == "25%", timeout=10_000)
    qtbot.waitUntil(lambda: model.index_of_system("bureau-w").data()
                    == f"{W_NAME} · 权重 25%", timeout=10_000)
    # the city system's name is not the bureau's to change: read-only, its weight may be set
    select(dialog, "（无）")
    answer_form(qtbot, dialog, monkeypatch, lambda form: (
        (_ for _ in ()).throw(AssertionError("editable")) if not field(form, "名称").isReadOnly()
        else None))
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        click(dialog.edit_button)
    wait_table(qtbot, window)  # the window's tree is read on a worker
    assert "没有改动" in dialog.message.text()

    # a material filed in W01: removing W is refused with the core's message
    pdf = make_pdf(tmp_path / "少年宫活动.pdf", "少年宫活动", ["乡村学校少年宫活动记录。"])
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        drop_files(window.tree, node_point(window, "W01"), [pdf])
    [material] = list_materials(window.archive, system="W")
    # the dialog's counts follow what the window does meanwhile
    qtbot.waitUntil(lambda: rows(dialog)[1][5] == "1", timeout=10_000)
    select(dialog, "W")
    monkeypatch.setattr(dialog, "ask_confirm", lambda _title, _text: True)
    click(dialog.remove_button)
    qtbot.waitUntil(lambda: not dialog.busy and "不能删除" in dialog.message.text(),
                    timeout=10_000)
    assert "测评体系“全国未成年人思想道德建设工作测评体系”中已有 1 份材料，不能删除" in \
        dialog.message.text()
    assert len(rows(dialog)) == 2 and model.system_keys() != []

    # once the material is gone, W is removed and the tree is the city's alone again
    window.tree.setCurrentIndex(model.index_of(system_key("bureau-w")))
    delete_materials(window.archive, [material.id])
    select(dialog, "W")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        click(dialog.remove_button)
    wait_table(qtbot, window)  # the window's tree is read on a worker
    wait_ops(qtbot, window)
    assert len(rows(dialog)) == 1 and "已删除测评体系" in dialog.message.text()
    qtbot.waitUntil(lambda: model.system_keys() == [] and not model.index_of("W01").isValid(),
                    timeout=10_000)
    assert model.index(0, 0).data() == "全部材料" and model.category_count() == 11
    assert model.index(1, 0).data() == "01 理想信念教育"
    # W was shown; now the whole archive is
    qtbot.waitUntil(lambda: window.node_label.text() == "全部材料", timeout=10_000)
    dialog.close()


def test_a_system_from_a_yaml_file(main_window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = main_window
    dialog = open_dialog(window, qtbot)
    bad = tmp_path / "坏的.yaml"
    bad.write_text("id: Bad Id\nname: x\n", encoding="utf-8")
    monkeypatch.setattr(dialog, "ask_open_path", lambda: bad)
    forms = answer_form(qtbot, dialog, monkeypatch, lambda form: None)
    click(dialog.file_button)
    assert "坏的.yaml" in forms[0].error.text()  # the core's message names the file
    assert len(systems.systems(window.archive)) == 1

    good = tmp_path / "文明村镇.yaml"
    good.write_text(CUN, encoding="utf-8")
    monkeypatch.setattr(dialog, "ask_open_path", lambda: good)
    answer_form(qtbot, dialog, monkeypatch, lambda form: None)  # the file's prefix and weight
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        click(dialog.file_button)
    wait_table(qtbot, window)  # the window's tree is read on a worker
    qtbot.waitUntil(lambda: rows(dialog)[1] == (
        "全国文明村镇测评体系（2023年版）", "C", "10%", "2", "1", "0"), timeout=10_000)
    model = window.tree_model
    qtbot.waitUntil(lambda: model.index_of_system("wmcz-2023").data()
                    == "全国文明村镇测评体系（2023年版） · 权重 10%", timeout=10_000)
    assert model.index_of("C01.01").data() == "C01.01 移风易俗"
    assert window.tree.isExpanded(model.index_of_system("wmcz-2023"))
    assert "等 2 个测评体系" in window.archive_label.text()

    # another archive opened in the window: the dialog of the first one closes
    assert window.open_archive(tmp_path / "另一个档案", create=True)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    assert window.tree_model.system_keys() == []


def test_the_menu_action_needs_an_archive(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    assert not window.systems_action.isEnabled()
    assert window.systems_action in window.menuBar().actions()[1].menu().actions()
