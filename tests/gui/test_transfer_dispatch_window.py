"""下发包 through the window (issue 16): the city's admin writes one in 文件 → 下发到单位… for a
department that reported (or one typed in), and the department applies it in its inbox
(文件 → 报送包收件箱…, which takes 下发包 too): the material the city returned shows 已退回
with the city's reason. Real archives, keys and signatures (tests/gui/transfer_bureau.py); the
file dialog and the passphrase prompt are the dialog's small ask_* methods, answered here."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

import desktop.ui.transfer_dialogs as dialogs
from desktop.core.archive.archive import Archive
from desktop.core.materials.service import get_material, list_materials
from desktop.core.review import decisions
from desktop.core.transfer.receive import DispatchReport
from desktop.ui.models import MaterialTableModel
from tests.gui.test_transfer_window import (  # noqa: F401  (fixtures)
    CLICK,
    apply,
    bureau,
    choose_row,
    column,
    inbox_of,
    open_as,
    window,
)
from tests.gui.transfer_bureau import (
    DEPARTMENT,
    PASS,
    RECORD,
    RETURN_REASON,
    Bureau,
    city_applies,
    city_reviews,
    department_sends,
)


def dispatch_dialog(qtbot, main):  # type: ignore[no-untyped-def]
    assert main.dispatch_transfer_action.isEnabled()
    with qtbot.waitSignal(main.transfer_dispatch_shown) as shown:
        main.dispatch_transfer_action.trigger()
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    return dialog


def type_chinese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Chinese typed as an input method commits it (QTest's key clicks are ASCII only)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def department_id(b: Bureau) -> str:
    with Archive.open(b.department) as dept:
        return str(dept.info()["archive_id"])


def test_the_city_returns_a_material_and_the_department_sees_why(
        qtbot, window, bureau: Bureau, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    city_applies(bureau, department_sends(bureau, tmp_path / "报送包-1.zip"))
    city_reviews(bureau, RECORD, "reject", RETURN_REASON)
    dept_id = department_id(bureau)

    open_as(qtbot, window, bureau.city, "创文办主任")
    dialog = dispatch_dialog(qtbot, window)
    assert dialog.windowTitle() == "下发到单位"
    # the departments that reported here, with what was applied and sent
    assert column(dialog.table, 0) == [DEPARTMENT]
    assert column(dialog.table, 1) == ["第 1 号"] and column(dialog.table, 3) == ["还没有"]
    assert column(dialog.table, 4) == [dept_id]
    assert dialog.signer.text() == "创文办主任"
    assert not dialog.write_button.isEnabled()  # no archive chosen yet
    choose_row(qtbot, dialog.table, 0)
    assert dialog.target.text() == dept_id
    assert dialog.department.text() == DEPARTMENT and dialog.department.isReadOnly()
    assert "已应用其报送包至第 1 号" in dialog.target_note.text()
    assert Path(dialog.out.text()).name.startswith(f"下发包-{DEPARTMENT}-")
    assert dialog.write_button.isEnabled()

    out = tmp_path / "U盘" / "下发包-市公安局.zip"
    monkeypatch.setattr(dialog, "ask_save_path", lambda _suggested: out)
    qtbot.mouseClick(dialog.choose_button, CLICK)
    assert dialog.out.text() == str(out)
    asked: list[str] = []
    monkeypatch.setattr(window.review_panel, "ask_passphrase",
                        lambda name: asked.append(name) or PASS)
    threads: list[threading.Thread] = []
    real = dialogs.export_dispatch

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(dialogs, "export_dispatch", watched)
    with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
        qtbot.mouseClick(dialog.write_button, CLICK)
    report = sent.args[0]
    assert out.is_file() and asked == ["创文办主任"]
    assert (report.department, report.seq, report.receipt) == (DEPARTMENT, 1, 1)
    assert {m["title"]: m["state"] for m in report.reviews}[RECORD] == "returned"
    status = dialog.status.text()
    assert str(out) in status and f"材料审核结果 {len(report.reviews)} 份" in status
    assert "回执至第 1 号" in status and "任务 0" in status and "问题 0" in status
    shown = [dialog.reviews.item(n).text() for n in range(dialog.reviews.count())]
    assert any(RECORD in t and "已退回" in t and RETURN_REASON in t for t in shown)
    # the probe and the signed write, both on the write lane
    assert len(threads) == 2 and all(t is not threading.main_thread() for t in threads)
    qtbot.waitUntil(lambda: column(dialog.table, 3) == ["第 1 号"], timeout=10_000)

    # nothing new since: the core says so before any passphrase is asked; no file
    asked.clear()
    again = tmp_path / "U盘" / "下发包-再次.zip"
    monkeypatch.setattr(dialog, "ask_save_path", lambda _suggested: again)
    qtbot.mouseClick(dialog.choose_button, CLICK)
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        qtbot.mouseClick(dialog.write_button, CLICK)
    assert "没有新的审核结果" in failed.args[0] and failed.args[0] in dialog.status.text()
    assert asked == [] and not again.exists()
    dialog.close()

    # the department applies it in its inbox, which takes 下发包 too
    open_as(qtbot, window, bureau.department, "公安经办")
    inbox = inbox_of(qtbot, window)
    assert inbox.windowTitle() == "报送包或下发包收件箱"
    assert inbox.apply_button.text() == "应用报送包或下发包…"
    [outcome] = apply(qtbot, inbox, [out], monkeypatch)
    assert isinstance(outcome.report, DispatchReport), outcome.error
    top = inbox.report.topLevelItem(0)
    assert "第 1 号下发包（创文办主任 签发）" in top.text(0)
    assert "已应用本档案报送包至第 1 号" in top.text(1)
    reviews = top.child(0)
    rows = {reviews.child(n).text(0): reviews.child(n).text(1)
            for n in range(reviews.childCount())}
    [(where, note)] = [(k, v) for k, v in rows.items() if RECORD in k]
    assert note == f"已退回（市复审人）：{RETURN_REASON}"
    assert [column(inbox.received, c) for c in (1, 2, 5, 9)] == \
        [["下发包"], ["1"], ["—"], [str(len(report.reviews))]]

    # the department's material: returned, with the city's reason, in the archive and the table
    with Archive.open(bureau.department) as dept:
        [m] = [m for m in list_materials(dept) if m.title == RECORD]
        assert get_material(dept, m.id).state == "returned"
        last = decisions.history(dept, m.id)[-1]
        assert (last.verdict, last.comment, last.reviewer, last.ok) == \
            ("reject", RETURN_REASON, "市复审人", True)
    assert where.startswith(f"#{m.id}")
    qtbot.waitUntil(lambda: not window.ops.busy and not window.table_loading, timeout=30_000)
    model = window.table_model
    qtbot.waitUntil(lambda: model.row_of(m.id) >= 0 and model.data(
        model.index(model.row_of(m.id), MaterialTableModel.STATE)) == "已退回", timeout=10_000)


def test_a_department_that_has_not_reported(qtbot, window, bureau: Bureau,  # noqa: F811
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    dept_id = department_id(bureau)
    open_as(qtbot, window, bureau.city, "创文办主任")
    dialog = dispatch_dialog(qtbot, window)
    assert dialog.table.rowCount() == 0 and "还没有单位向本档案报送过" in dialog.table_note.text()
    qtbot.keyClicks(dialog.target, "city-office")
    assert "不是档案编号" in dialog.target_note.text() and not dialog.write_button.isEnabled()
    dialog.target.clear()
    qtbot.keyClicks(dialog.target, dept_id)
    assert "请填写接收单位的名称" in dialog.target_note.text()
    assert not dialog.write_button.isEnabled() and not dialog.department.isReadOnly()
    type_chinese(dialog.department, DEPARTMENT)
    assert dialog.write_button.isEnabled()
    assert Path(dialog.out.text()).name.startswith(f"下发包-{DEPARTMENT}-")
    out = tmp_path / "下发包-首次.zip"
    monkeypatch.setattr(dialog, "ask_save_path", lambda _suggested: out)
    qtbot.mouseClick(dialog.choose_button, CLICK)
    monkeypatch.setattr(window.review_panel, "ask_passphrase", lambda _name: PASS)
    with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
        qtbot.mouseClick(dialog.write_button, CLICK)
    assert (sent.args[0].department, sent.args[0].receipt) == (DEPARTMENT, 0) and out.is_file()
    assert "回执至第 0 号" in dialog.status.text()


def test_only_an_admin_signs_a_dispatch(qtbot, window, bureau: Bureau,  # noqa: F811
                                        tmp_path: Path) -> None:
    city_applies(bureau, department_sends(bureau, tmp_path / "报送包-1.zip"))
    open_as(qtbot, window, bureau.city, "市复审人")
    dialog = dispatch_dialog(qtbot, window)
    choose_row(qtbot, dialog.table, 0)
    assert not dialog.write_button.isEnabled()
    assert "市复审人 不是本档案的管理员" in dialog.write_button.toolTip()
    assert "不是本档案的管理员" in dialog.signer.text()


def test_a_dispatch_round_writes_each_department_its_package(
        qtbot, window, bureau: Bureau, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    city_applies(bureau, department_sends(bureau, tmp_path / "报送包-1.zip"))
    city_reviews(bureau, RECORD, "reject", RETURN_REASON)
    open_as(qtbot, window, bureau.city, "创文办主任")
    dialog = dispatch_dialog(qtbot, window)
    assert dialog.round_button.isEnabled()  # no row needs choosing for a round
    folder = tmp_path / "本轮下发"
    folder.mkdir()
    monkeypatch.setattr(dialog, "ask_folder", lambda: folder)
    asked: list[str] = []
    monkeypatch.setattr(window.review_panel, "ask_passphrase",
                        lambda name: asked.append(name) or PASS)
    with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
        qtbot.mouseClick(dialog.round_button, CLICK)
    report = sent.args[0]
    [written] = list(folder.iterdir())
    assert Path(report.out) == written and written.name.startswith(f"下发包-{DEPARTMENT}-第1号-")
    assert asked == ["创文办主任"]
    assert "已写出 1 个下发包" in dialog.status.text()
    shown = [dialog.reviews.item(n).text() for n in range(dialog.reviews.count())]
    assert shown == [f"{DEPARTMENT}：第 1 号，审核结果 {len(report.reviews)} 份，任务 0，问题 0，"
                     f"回执至第 1 号 — {written.name}"]
    qtbot.waitUntil(lambda: column(dialog.table, 3) == ["第 1 号"], timeout=10_000)

    # a second round with nothing new: refused before the passphrase, nothing written
    asked.clear()
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        qtbot.mouseClick(dialog.round_button, CLICK)
    assert "没有新的" in failed.args[0] and asked == []
    assert list(folder.iterdir()) == [written]

    # the department applies it at home: the return and its reason arrive
    open_as(qtbot, window, bureau.department, "公安经办")
    inbox = inbox_of(qtbot, window)
    apply(qtbot, inbox, [written], monkeypatch)
    with Archive.open(bureau.department) as home:
        record = next(m for m in list_materials(home) if m.title == RECORD)
        assert get_material(home, record.id).state == "returned"
