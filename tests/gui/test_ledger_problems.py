"""The 问题整改 loop through the ledger window's buttons: 发现 / 交办 / 整改 / 确认 / 退回, each
button enabled only when the current person may do it (the reason as its tooltip), with the
same rules as `zicha problem`."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from desktop.core.archive.archive import Archive
from desktop.core.ledger import problems
from desktop.core.review import keys, roster
from desktop.ui.ledger_window import LedgerWindow
from desktop.ui.people_dialog import FormDialog
from tests.conftest import build_reviewed_archive


def settle(window: LedgerWindow) -> None:
    """What the person chosen may do is read on a worker: wait until the buttons show it."""
    end = time.monotonic() + 10
    while window.loading:
        assert time.monotonic() < end, "the ledger was not read"
        QTest.qWait(5)


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    """build_reviewed_archive's office (经办人甲 clerk, 初审乙 / 复审丙 / 终审丁 reviewers, all of
    市文明办), an admin, a clerk of 市城管局 and one of 市文明办 only."""
    root, home = tmp_path / "档案", tmp_path / "home"
    ids = build_reviewed_archive(root, home, tmp_path / "files")
    monkeypatch.setenv("ZICHA_HOME", str(home))
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(home)}), Archive.open(root) as archive:
        for name, department, role in (("管理员戊", "市创城办", "admin"),
                                       ("经办人庚", "市城管局", "clerk@市城管局"),
                                       ("经办人辛", "市文明办", "clerk@市文明办")):
            roster.add_person(archive, name, department, [role], keys.new_key(name, "pass-123"))
        archive.evidence_id = ids["垃圾分类宣传照片"]  # type: ignore[attr-defined]
        yield archive


@pytest.fixture
def window(qtbot, archive: Archive) -> LedgerWindow:  # type: ignore[no-untyped-def]
    window = LedgerWindow(archive, "经办人庚")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading, timeout=10_000)
    window.tabs.setCurrentWidget(window.problem_page)
    return window


def answer(window: LedgerWindow, monkeypatch: pytest.MonkeyPatch,
           fill: Callable[[FormDialog], None], *, ok: bool = True) -> list[FormDialog]:
    """Answer the next form the window asks: `fill` types into the real form, then OK (or
    Cancel) is clicked; returns the forms seen."""
    seen: list[FormDialog] = []

    def ask(form: FormDialog) -> bool:
        seen.append(form)
        form.show()
        fill(form)
        button = form.ok_button if ok else form.buttons.button(form.buttons.StandardButton.Cancel)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        return form.result() == FormDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "ask_problem_form", ask)
    return seen


def type_into(edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Chinese text into a QPlainTextEdit (QTest's key clicks carry no CJK characters)."""
    edit.setFocus()
    edit.insertPlainText(text)


def _buttons(window: LedgerWindow) -> dict[str, tuple[bool, str]]:
    return {a: (b.isEnabled(), b.toolTip()) for a, b in window.problem_buttons.items()}


def _as(window: LedgerWindow, person: str) -> dict[str, tuple[bool, str]]:
    window.set_person(person)
    settle(window)
    return _buttons(window)


def _click_and_reload(qtbot, window: LedgerWindow, action: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.loaded, timeout=10_000), qtbot.waitSignal(window.changed):
        qtbot.mouseClick(window.problem_buttons[action], Qt.MouseButton.LeftButton)


def _state(window: LedgerWindow) -> str:
    problem = window.selected_problem()
    assert problem is not None
    return problem.state


def test_the_problem_loop_through_the_buttons(qtbot, window: LedgerWindow,  # type: ignore[no-untyped-def]
                                              archive: Archive,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # a clerk does not find problems; nothing is selected for the rest
    buttons = _buttons(window)
    assert buttons[problems.ADD][0] is False and "没有督查权限" in buttons[problems.ADD][1]
    assert all(not enabled for enabled, _ in buttons.values())
    window.set_person(None)
    settle(window)
    assert "选择当前人员" in _buttons(window)[problems.ADD][1]

    # 发现 and 交办 at once, by a reviewer
    assert _as(window, "初审乙")[problems.ADD] == (True, "记录督查中发现的问题")
    assert "先在表中选择一个问题" in _buttons(window)[problems.ASSIGN][1]

    def found(form: FormDialog) -> None:
        form.item_box.setCurrentIndex(form.item_box.findData("08.02"))
        type_into(form.description, "垃圾分类宣传栏破损")
        form.department.setEditText("市城管局")
        form.assign_now.setChecked(True)
        form.deadline.setDate(QDate(2031, 6, 20))

    answer(window, monkeypatch, found)
    _click_and_reload(qtbot, window, problems.ADD)
    assert window.problem_table.rowCount() == 1
    assert _state(window) == "assigned"  # the new problem is selected
    assert window.problem_table.item(0, 2).text() == "市城管局"
    assert window.problem_table.item(0, 4).text() == "2031-06-20"

    # 整改: not by a clerk of another department, nor by a reviewer
    enabled, why = _as(window, "经办人辛")[problems.RECTIFY]
    assert not enabled and "不是“市城管局”的经办人" in why
    assert not _as(window, "复审丙")[problems.RECTIFY][0]
    assert not _buttons(window)[problems.CONFIRM][0]  # nothing to confirm yet
    assert "只有已报整改" in _buttons(window)[problems.CONFIRM][1]
    assert _as(window, "经办人庚")[problems.RECTIFY][0]

    # a wrong evidence number is refused in the form, which stays open; nothing changed
    def bad_evidence(form: FormDialog) -> None:
        type_into(form.note, "已更换宣传栏")
        form.evidence.insert("照片")

    forms = answer(window, monkeypatch, bad_evidence)
    qtbot.mouseClick(window.problem_buttons[problems.RECTIFY], Qt.MouseButton.LeftButton)
    assert forms[0].isVisible() and "材料编号" in forms[0].error.text()
    forms[0].reject()
    assert _state(window) == "assigned"

    def rectified(form: FormDialog) -> None:
        type_into(form.note, "已更换宣传栏")
        form.evidence.insert(str(archive.evidence_id))  # type: ignore[attr-defined]

    answer(window, monkeypatch, rectified)
    _click_and_reload(qtbot, window, problems.RECTIFY)
    assert _state(window) == "rectified"
    assert window.selected_problem().evidence == [archive.evidence_id]  # type: ignore[attr-defined,union-attr]

    # 退回 needs a reason: an empty one is the core's error, shown in the form
    assert not _as(window, "经办人庚")[problems.SEND_BACK][0]
    assert _as(window, "管理员戊")[problems.SEND_BACK][0]
    forms = answer(window, monkeypatch, lambda form: None)
    qtbot.mouseClick(window.problem_buttons[problems.SEND_BACK], Qt.MouseButton.LeftButton)
    assert "必须写明原因" in forms[0].error.text() and forms[0].isVisible()
    forms[0].reject()
    answer(window, monkeypatch, lambda form: type_into(form.comment, "缺少整改后照片"))
    _click_and_reload(qtbot, window, problems.SEND_BACK)
    assert _state(window) == "returned"
    assert _as(window, "管理员戊")[problems.ASSIGN][0]  # it may be assigned again

    # rectified again; 确认 by another reviewer
    answer(window, monkeypatch, lambda form: type_into(form.note, "补充整改后照片"))
    window.set_person("经办人庚")
    settle(window)
    _click_and_reload(qtbot, window, problems.RECTIFY)
    window.set_person("复审丙")
    settle(window)
    _click_and_reload(qtbot, window, problems.CONFIRM)
    assert _state(window) == "confirmed"
    buttons = _buttons(window)
    assert [a for a, (enabled, _) in buttons.items() if enabled] == [problems.ADD]
    assert "不能再交办" in buttons[problems.ASSIGN][1]

    [problem] = window.ledger.problems  # type: ignore[union-attr]
    assert (problem.rectification, problem.feedback) == ("补充整改后照片", "")
    with archive.read() as session:
        from sqlalchemy import select

        from desktop.core.archive.models import AuditEntry
        entries = [(e.action, e.actor) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("problem.%"))
            .order_by(AuditEntry.seq))]
    assert entries == [("problem.add", "初审乙"), ("problem.rectify", "经办人庚"),
                       ("problem.return", "管理员戊"), ("problem.rectify", "经办人庚"),
                       ("problem.confirm", "复审丙")]


def test_a_cancelled_form_changes_nothing_and_a_retired_reviewer_finds_nothing(  # type: ignore[no-untyped-def]
        qtbot, window: LedgerWindow, archive: Archive,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window.set_person("初审乙")
    settle(window)
    answer(window, monkeypatch, lambda form: type_into(form.description, "x"), ok=False)
    qtbot.mouseClick(window.problem_buttons[problems.ADD], Qt.MouseButton.LeftButton)
    assert window.problem_table.rowCount() == 0 and window.ledger.problems == []  # type: ignore[union-attr]

    roster.retire_person(archive, "初审乙", actor="管理员戊")
    enabled, why = _as(window, "初审乙")[problems.ADD]
    assert not enabled and "初审乙 已停用" in why

    # 交办 without a department is refused in the form
    window.set_person("管理员戊")
    settle(window)
    problems.add_problem(archive, "03.01", "劝导岗缺人", "管理员戊",
                         deadline=dt.date(2031, 1, 1))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.reload()
    window.select_problem(window.ledger.problems[0].id)  # type: ignore[union-attr]
    assert _state(window) == "found"

    def no_department(form: FormDialog) -> None:
        form.department.setEditText("")

    forms = answer(window, monkeypatch, no_department)
    qtbot.mouseClick(window.problem_buttons[problems.ASSIGN], Qt.MouseButton.LeftButton)
    assert "请选择责任单位" in forms[0].error.text()
    forms[0].reject()
