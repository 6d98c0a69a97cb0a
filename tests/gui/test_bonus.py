"""The 创新特色（加分） mark through the window: the material editor's checkbox and fields save
it, and the ledger's dashboard lists it on its own (issue 15 item 5)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.materials.service import get_material, list_materials
from desktop.demo.samples import make_photo
from desktop.ui.ledger_window import LedgerWindow
from tests.gui.helpers import select_row, wait_ops, wait_table


def test_the_editor_marks_and_the_dashboard_lists(main_window, qtbot, tmp_path) -> None:
    photo = make_photo(tmp_path / "表扬.png", "表扬", fmt="PNG")
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("03.01", [photo])
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    wait_table(qtbot, main_window)
    select_row(qtbot, main_window, 0)
    editor = main_window.editor
    assert not editor.bonus.isChecked() and not editor.bonus_issuer.isEnabled()

    qtbot.mouseClick(editor.bonus, Qt.MouseButton.LeftButton)
    assert editor.bonus.isChecked() and editor.bonus_issuer.isEnabled()
    assert editor.is_dirty()
    editor.bonus_level.setCurrentIndex(editor.bonus_level.findText("省级"))
    editor.bonus_issuer.setText("省文明办")  # CJK cannot be typed by QTest
    editor.bonus_date.setText("2024-04-01")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert editor.error.text() == ""
    [view] = list_materials(main_window.archive, code="03.01")
    assert view.bonus == {"level": "省级", "issuer": "省文明办", "date": "2024-04-01"}
    assert editor.bonus.isChecked() and editor.bonus_issuer.text() == "省文明办"
    assert not editor.is_dirty()

    ledger = LedgerWindow(main_window.archive)
    qtbot.addWidget(ledger)
    qtbot.waitUntil(lambda: not ledger.loading, timeout=10_000)
    assert ledger.bonus_label.text() == "创新特色（加分）材料：1 份（省级 1）"
    assert [ledger.bonus_table.item(0, c).text() for c in range(5)] == [
        f"#{view.id}", view.title, "省级", "省文明办", "2024-04-01"]

    # unticked and saved: the mark goes, and with it the fields
    qtbot.mouseClick(editor.bonus, Qt.MouseButton.LeftButton)
    assert not editor.bonus_issuer.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert get_material(main_window.archive, view.id).bonus is None
    ledger.reload()
    qtbot.waitUntil(lambda: not ledger.loading, timeout=10_000)
    assert ledger.bonus_label.text() == "创新特色（加分）材料：0 份"
    assert ledger.bonus_table.rowCount() == 0
    ledger.close()
