"""编辑 → 结论性说明… (issue 19, item 3): on the selected 测评内容 the dialog reads the
conclusion on a worker, saves it through the core on the write lane with the current person
as 填表人, and deletes it; on a 测评项目 the action is disabled; a text over the limit is the
core's refusal, shown in the dialog, and nothing is written."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.core.archive import items
from desktop.core.archive.archive import default_actor
from desktop.ui.conclusion_dialog import ConclusionDialog

TEXT = "本单位制定了学习制度，全年开展专题学习 12 次。"


def _open(window, qtbot) -> ConclusionDialog:  # type: ignore[no-untyped-def]
    assert window.conclusion_action.isEnabled()
    with qtbot.waitSignal(window.conclusion_shown, timeout=10_000) as shown:
        window.conclusion_action.trigger()
    dialog: ConclusionDialog = shown.args[0]
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    return dialog


def test_write_and_delete_a_conclusion(main_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = main_window
    threads: list[bool] = []
    real = items.set_conclusion

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr("desktop.ui.conclusion_dialog.set_conclusion", spy)
    window.tree.setCurrentIndex(window.tree_model.index_of("01"))
    assert not window.conclusion_action.isEnabled()  # a 测评项目
    window.tree.setCurrentIndex(window.tree_model.index_of("01.01"))
    dialog = _open(window, qtbot)
    assert dialog.text.toPlainText() == "" and "还没有结论性说明" in dialog.written.text()
    assert not dialog.clear_button.isEnabled()

    dialog.text.setPlainText(TEXT)  # CJK cannot be typed by QTest
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].text == TEXT and threads == [False]
    stored = items.conclusion(window.archive, "01.01")
    assert stored.text == TEXT and stored.written_by == (window.actor or default_actor())
    assert "填表人" in dialog.written.text() and dialog.clear_button.isEnabled()

    # too long: the core's message in the dialog, the stored text unchanged
    dialog.text.setPlainText("长" * (items.MAX_CONCLUSION + 1))
    assert "2001 / 2000" in dialog.counter.text()
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "超过 2000 字" in failed.args[0] and "超过 2000 字" in dialog.message.text()
    assert items.conclusion(window.archive, "01.01").text == TEXT

    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        QTest.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert items.conclusion(window.archive, "01.01").text == ""
    dialog.close()

    again = _open(window, qtbot)  # reopened: what the archive holds
    assert again.text.toPlainText() == ""
    again.close()
