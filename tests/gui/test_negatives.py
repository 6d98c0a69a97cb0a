"""The 负面清单 tab of the ledger window (issue 15 item 6): a risk registered through the real
form, edited into an event that occurred, and its 处置 recorded; the table shows events
first; a refused form stays open with the core's reason."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from desktop.core.archive.archive import Archive
from desktop.core.ledger import negatives
from desktop.core.review import keys, roster
from desktop.ui.ledger_window import LedgerWindow
from desktop.ui.people_dialog import FormDialog


def settle(window: LedgerWindow) -> None:
    """What the person chosen may do is read on a worker: wait until the buttons show it."""
    end = time.monotonic() + 10
    while window.loading:
        assert time.monotonic() < end, "the ledger was not read"
        QTest.qWait(5)


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZICHA_USER", "管理员戊")
    with Archive.create(tmp_path / "档案") as archive:
        roster.add_person(archive, "管理员戊", "市创城办", ["admin"],
                          keys.new_key("管理员戊", "passphrase-1"))
        roster.add_person(archive, "经办人庚", "市城管局", ["clerk@市城管局"],
                          keys.new_key("经办人庚", "passphrase-1"), actor="管理员戊")
        yield archive


def answer(window: LedgerWindow, monkeypatch: pytest.MonkeyPatch,
           fill: Callable[[FormDialog], None]) -> list[FormDialog]:
    """Answer the next forms: `fill` types into the real form, then OK is clicked."""
    seen: list[FormDialog] = []

    def ask(form: FormDialog) -> bool:
        seen.append(form)
        form.show()
        fill(form)
        QTest.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        return form.result() == FormDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "ask_negative_form", ask)
    return seen


def type_into(edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    edit.insertPlainText(text)


def _cells(window: LedgerWindow, row: int) -> list[str]:
    return [window.negative_table.item(row, c).text() for c in range(7)]


def test_register_edit_and_dispose_through_the_tab(qtbot, archive: Archive,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = LedgerWindow(archive, "管理员戊")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    window.tabs.setCurrentWidget(window.negative_page)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "负面清单"
    assert not window.negative_dispose.isEnabled()

    def register(form) -> None:  # type: ignore[no-untyped-def]
        form.category.setCurrentIndex(form.category.findData("08"))
        type_into(form.description, "占道经营反弹")
        form.department.setCurrentIndex(form.department.findText("市城管局"))
        type_into(form.prevention, "每日巡查，发现即劝离")

    answer(window, monkeypatch, register)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        qtbot.mouseClick(window.negative_add, Qt.MouseButton.LeftButton)
    [item] = negatives.list_negatives(archive)
    assert (item.description, item.category_code, item.department, item.prevention,
            item.occurred) == ("占道经营反弹", "08", "市城管局", "每日巡查，发现即劝离", False)
    assert _cells(window, 0)[2:5] == ["占道经营反弹", "市城管局", "未发生"]
    assert window.selected_negative() is not None  # the new line is selected
    assert window.negative_summary.text() == "共 1 项，已发生 0 项"

    # 修改: it has occurred, on 2024-06-02
    def occurred(form) -> None:  # type: ignore[no-untyped-def]
        qtbot.mouseClick(form.occurred, Qt.MouseButton.LeftButton)
        form.occurred_on.setDate(QDate(2024, 6, 2))

    answer(window, monkeypatch, occurred)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        qtbot.mouseClick(window.negative_edit, Qt.MouseButton.LeftButton)
    assert _cells(window, 0)[4] == "已发生 2024-06-02"
    assert _cells(window, 0)[6] == "待处置"

    def bad_evidence(form) -> None:  # type: ignore[no-untyped-def]
        type_into(form.note, "已劝离并恢复通行")
        form.evidence.setText("999")

    seen = answer(window, monkeypatch, bad_evidence)
    qtbot.mouseClick(window.negative_dispose, Qt.MouseButton.LeftButton)
    assert "没有编号为 999 的材料" in seen[0].error.text()  # refused: the form stays open
    seen[0].reject()
    assert negatives.list_negatives(archive)[0].disposal == ""

    def dispose(form) -> None:  # type: ignore[no-untyped-def]
        type_into(form.note, "已劝离并恢复通行")

    answer(window, monkeypatch, dispose)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        qtbot.mouseClick(window.negative_dispose, Qt.MouseButton.LeftButton)
    [item] = negatives.list_negatives(archive)
    assert (item.disposal, item.disposed_by, item.occurred_on) == (
        "已劝离并恢复通行", "管理员戊", "2024-06-02")
    assert _cells(window, 0)[6] == "已劝离并恢复通行"
    assert "处置：已劝离并恢复通行（管理员戊" in window.negative_detail.text()
    assert window.negative_summary.text() == "共 1 项，已发生 1 项"

    # a clerk may not register: the form stays open with the reason
    window.set_person("经办人庚")
    settle(window)
    seen = answer(window, monkeypatch, lambda form: type_into(form.description, "x"))
    qtbot.mouseClick(window.negative_add, Qt.MouseButton.LeftButton)
    assert "没有修改负面清单的权限" in seen[0].error.text()
    seen[0].reject()
    assert len(negatives.list_negatives(archive)) == 1
    window.close()
