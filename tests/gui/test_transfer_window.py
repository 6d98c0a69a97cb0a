"""报送包 through the window (issue 16): the department sends from 文件 → 报送到创文办…, the
city applies in 文件 → 报送包收件箱… and sees each merge report, the packages applied and the
conflicts left open; the tree and table follow. Real archives, keys and signatures
(tests/gui/transfer_bureau.py); the file dialogs and the passphrase prompt are the window's
small ask_* methods, answered here."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.core.archive.archive import Archive
from desktop.core.materials.service import count_materials, get_material, list_materials
from desktop.core.transfer.records import all_conflicts
from tests.gui.helpers import open_and_wait, wait_ops, wait_table
from tests.gui.transfer_bureau import (
    DEPARTMENT,
    PASS,
    RECORD,
    RENAMED,
    Bureau,
    build_bureau,
    city_with_conflicts,
    tampered_copy,
)

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def bureau(tmp_path: Path) -> Bureau:
    return build_bureau(tmp_path / "bureau")


@pytest.fixture
def window(qtbot, bureau: Bureau, monkeypatch: pytest.MonkeyPatch) -> Iterator:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(bureau.home))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    w = MainWindow(settings())
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close_archive()


def open_as(qtbot, window, root: Path, person: str) -> None:  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, window, root)
    window.person_box.setCurrentIndex(window.person_box.findData(person))
    assert window.current_person == person
    wait_table(qtbot, window)


def send_dialog(qtbot, window):  # type: ignore[no-untyped-def]
    assert window.send_transfer_action.isEnabled()
    with qtbot.waitSignal(window.transfer_send_shown) as shown:
        window.send_transfer_action.trigger()
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)  # read on a worker
    return dialog


def send(qtbot, window, bureau: Bureau, out: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
         ) -> Path:
    """The department's first 报送包 through the dialog."""
    open_as(qtbot, window, bureau.department, "公安经办")
    dialog = send_dialog(qtbot, window)
    monkeypatch.setattr(window.review_panel, "ask_passphrase", lambda _name: PASS)
    monkeypatch.setattr(dialog, "ask_save_path", lambda _suggested: out)
    qtbot.keyClicks(dialog.city, bureau.city_id)
    qtbot.mouseClick(dialog.choose_button, CLICK)
    with qtbot.waitSignal(dialog.sent, timeout=30_000):
        qtbot.mouseClick(dialog.send_button, CLICK)
    dialog.close()
    return out


def inbox_of(qtbot, window):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.transfer_inbox_shown) as shown:
        window.transfer_inbox_action.trigger()
    inbox = shown.args[0]
    qtbot.waitUntil(lambda: not inbox.loading, timeout=10_000)
    return inbox


def apply(qtbot, inbox, paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(inbox, "ask_open_paths", lambda: list(paths))
    with qtbot.waitSignal(inbox.batch_done, timeout=60_000) as done:
        qtbot.mouseClick(inbox.apply_button, CLICK)
    qtbot.waitUntil(lambda: not inbox.loading, timeout=10_000)
    return done.args[0]


def column(table, col: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_send_from_the_department_window(qtbot, window, bureau: Bureau, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    open_as(qtbot, window, bureau.department, "公安经办")
    dialog = send_dialog(qtbot, window)
    assert dialog.sending_person == "公安经办"  # the window's current person
    assert dialog.city.text() == ""  # nothing remembered yet
    assert not dialog.send_button.isEnabled()
    assert dialog.out.text().endswith(".zip") and f"报送包-{DEPARTMENT}-" in dialog.out.text()

    qtbot.keyClicks(dialog.city, "city-archive-2024")  # not an archive id
    assert "不是档案编号" in dialog.city_note.text() and "UUID" in dialog.city_note.text()
    assert not dialog.send_button.isEnabled()
    qtbot.keyClick(dialog.city, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.city, bureau.city_id.upper())  # typed over it; any spelling
    assert dialog.city.text() == bureau.city_id.upper()
    assert dialog.city_note.text() == "" and dialog.send_button.isEnabled()
    qtbot.waitUntil(lambda: "还没有向这个档案报送过" in dialog.last_sent.text(), timeout=5_000)

    out = tmp_path / "U盘" / "第一次报送.zip"
    monkeypatch.setattr(dialog, "ask_save_path", lambda _suggested: out)
    qtbot.mouseClick(dialog.choose_button, CLICK)
    assert dialog.out.text() == str(out)

    # a wrong passphrase: the core's message, no package
    asked: list[str] = []
    monkeypatch.setattr(window.review_panel, "ask_passphrase",
                        lambda name: asked.append(name) or "不对的口令")
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        qtbot.mouseClick(dialog.send_button, CLICK)
    assert "口令不对" in failed.args[0] and "口令不对" in dialog.status.text()
    assert asked == ["公安经办"] and not out.exists()

    # the passphrase prompt is the review panel's own: answered, the package is written
    monkeypatch.setattr(window.review_panel, "ask_passphrase",
                        lambda name: asked.append(name) or PASS)
    with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
        qtbot.mouseClick(dialog.send_button, CLICK)
    report = sent.args[0]
    assert out.is_file() and report.seq == 1 and report.department == DEPARTMENT
    assert len(report.materials) == 3 and report.files == 3
    status = dialog.status.text()
    assert str(out) in status and "3 份材料" in status and "3 个文件" in status
    assert "KB" in status or "MB" in status
    assert dialog.materials.count() == 3
    assert "《文明交通志愿服务活动记录》" in dialog.materials.item(1).text()
    qtbot.waitUntil(lambda: "上次报送：市公安局 第 1 号" in dialog.last_sent.text(), timeout=5_000)
    assert Path(dialog.out.text()).parent == out.parent  # the next one beside it, a new name
    assert not Path(dialog.out.text()).exists()
    wait_ops(qtbot, window)

    # nothing new since: the core says so, before any passphrase is asked; no file
    asked.clear()
    again = tmp_path / "U盘" / "第二次报送.zip"
    monkeypatch.setattr(dialog, "ask_save_path", lambda _suggested: again)
    qtbot.mouseClick(dialog.choose_button, CLICK)
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        qtbot.mouseClick(dialog.send_button, CLICK)
    assert "没有新的或改动过的" in failed.args[0] and "第 1 号报送包之后" in failed.args[0]
    assert asked == [] and not again.exists()

    # everything again (--all): a second package with all three
    qtbot.mouseClick(dialog.everything, CLICK, pos=QPoint(8, dialog.everything.height() // 2))
    assert dialog.everything.isChecked() and not dialog.only_new.isChecked()
    with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
        qtbot.mouseClick(dialog.send_button, CLICK)
    assert sent.args[0].seq == 2 and len(sent.args[0].materials) == 3 and again.is_file()
    dialog.close()

    # the city's id is remembered for the next time
    dialog = send_dialog(qtbot, window)
    assert dialog.city.text() == bureau.city_id and dialog.send_button.isEnabled()
    dialog.close()


def test_the_city_applies_packages_in_its_inbox(qtbot, window, bureau: Bureau, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    package = send(qtbot, window, bureau, tmp_path / "公安-1.zip", monkeypatch)
    bad = tampered_copy(package, tmp_path / "公安-1-被改动.zip")
    replay = shutil.copy(package, tmp_path / "公安-1-副本.zip")

    open_as(qtbot, window, bureau.city, "创文办主任")
    assert window.tree_model.count_of("") == 1 and not window.tree_model.index_of("01.01").isValid()
    inbox = inbox_of(qtbot, window)
    assert bureau.city_id in inbox.own_id.text()  # what the departments fill in
    assert inbox.received.rowCount() == 0 and inbox.conflicts.rowCount() == 0

    # a tampered package: refused with the file named, nothing changed
    [outcome] = apply(qtbot, inbox, [bad], monkeypatch)
    assert outcome.report is None and bad.name in outcome.error and "哈希不符" in outcome.error
    [(heading, groups)] = inbox.outcome_rows()
    assert heading.startswith("✘") and bad.name in heading and groups == {}
    assert "哈希不符" in inbox.report.topLevelItem(0).text(1)
    assert "哈希不符" in inbox.detail.text() and inbox.detail.isVisible()  # the note in full
    assert inbox.received.rowCount() == 0
    with Archive.open(bureau.city) as city:
        assert count_materials(city) == 1
    wait_ops(qtbot, window)
    assert window.tree_model.count_of("") == 1

    # the package, then the same again under another name: merged once, the replay refused,
    # the files one after another
    outcomes = apply(qtbot, inbox, [package, replay], monkeypatch)
    assert [o.path for o in outcomes] == [package, replay]
    merged = outcomes[0].report
    assert merged is not None and merged.department == DEPARTMENT and merged.seq == 1
    assert outcomes[1].report is None and replay.name in outcomes[1].error \
        and "已应用过" in outcomes[1].error
    [(first, groups), (second, none)] = inbox.outcome_rows()
    assert first.startswith("✔") and package.name in first and "市公安局 第 1 号" in first
    assert "公安经办" in first
    assert [t.split("《")[1] for t in groups["added"]] == ["文明交通志愿服务活动记录》",
                                                        "交通秩序整治情况通报》"]
    assert groups["updated"] == [] and groups["unchanged"] == []
    assert groups["conflicts"] == ["（未加入）《市公安局文明交通劝导工作方案》"]
    conflict_row = inbox.report.topLevelItem(0).child(3).child(0)
    assert "同一文件被两个单位归入不同测评内容" in conflict_row.text(1)
    assert "01.01" in conflict_row.text(1) and "03.01" in conflict_row.text(1)
    assert second.startswith("✘") and none == {}
    assert inbox.report.currentItem() is conflict_row  # the conflict chosen, its note in full
    assert conflict_row.text(1) in inbox.detail.text()
    assert "1 个被拒绝" in inbox.status.text() and "冲突 1 个" in inbox.status.text()

    # the inbox lists what was applied, the conflict tab what is open
    assert column(inbox.received, 0) == [DEPARTMENT]
    assert [column(inbox.received, c)[0] for c in (1, 2, 4, 5, 6, 7, 8, 9)] == \
        ["报送包", "1", "创文办主任", "2", "0", "0", "1", "—"]
    assert column(inbox.received, 10) == [merged.from_archive]
    assert inbox.conflicts.rowCount() == 1
    assert column(inbox.conflicts, 1) == [DEPARTMENT]
    assert column(inbox.conflicts, 3) == ["同一文件被两个单位归入不同测评内容"]
    assert "市公安局文明交通劝导工作方案" in column(inbox.conflicts, 2)[0]
    assert "01.01" in column(inbox.conflicts, 4)[0]
    assert inbox.tabs.tabText(2) == "冲突（1）"

    # the main window's tree and table followed: 01.01 came with the package
    wait_ops(qtbot, window)
    qtbot.waitUntil(lambda: window.tree_model.count_of("") == 3, timeout=10_000)
    assert window.tree_model.count_of("01.01") == 1 and window.tree_model.count_of("03.01") == 2
    assert window.table_model.rowCount() == 3
    inbox.close()

    # opened again: the record is read back from the archive
    inbox = inbox_of(qtbot, window)
    assert inbox.received.rowCount() == 1 and inbox.conflicts.rowCount() == 1


def test_transfer_actions_need_an_archive(qtbot, window, bureau: Bureau) -> None:
    actions = (window.send_transfer_action, window.transfer_inbox_action,
               window.dispatch_transfer_action)
    assert not any(a.isEnabled() for a in actions)
    open_as(qtbot, window, bureau.city, "创文办主任")
    assert all(a.isEnabled() for a in actions)
    assert window.dispatch_transfer_action.objectName() == "dispatch-transfer"
    assert window.dispatch_transfer_action.text() == "下发到单位…"


def choose_row(qtbot, table, row: int) -> None:  # type: ignore[no-untyped-def]
    """A click on the row, as the user chooses it."""
    rect = table.visualRect(table.model().index(row, 2))
    qtbot.mouseClick(table.viewport(), CLICK, pos=rect.center())
    assert {i.row() for i in table.selectedIndexes()} == {row}


def row_of_conflict(inbox, conflict_id: int) -> int:  # type: ignore[no-untyped-def]
    return column(inbox.conflicts, 0).index(str(conflict_id))


def conflicts_inbox(qtbot, window, bureau: Bureau, tmp_path: Path, person: str,  # type: ignore[no-untyped-def]
                    monkeypatch: pytest.MonkeyPatch):
    """The city's inbox after the department's second package: three conflicts open."""
    _first, second = city_with_conflicts(bureau, tmp_path / "U盘")
    open_as(qtbot, window, bureau.city, person)
    inbox = inbox_of(qtbot, window)
    [outcome] = apply(qtbot, inbox, [second], monkeypatch)
    assert outcome.report is not None and len(outcome.report.conflicts) == 2
    inbox.tabs.setCurrentIndex(2)
    assert inbox.conflicts.rowCount() == 3 and inbox.tabs.tabText(2) == "冲突（3）"
    assert column(inbox.conflicts, 3) == ["同一文件被两个单位归入不同测评内容",
                                          "本档案已审核，对方又改动", "对方已删除，本档案仍保留"]
    return inbox


def test_the_admin_settles_conflicts_in_the_inbox(qtbot, window, bureau: Bureau,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = conflicts_inbox(qtbot, window, bureau, tmp_path, "创文办主任", monkeypatch)
    buttons = (inbox.keep_button, inbox.theirs_button, inbox.both_button)
    # nothing chosen yet: the buttons say what to do first
    assert not any(b.isEnabled() for b in buttons)
    assert "选择一条冲突" in inbox.keep_button.toolTip()
    asked: list[tuple[str, str]] = []
    answer = [True]
    monkeypatch.setattr(inbox, "ask_confirm",
                        lambda title, text: asked.append((title, text)) or answer[0])
    threads: list[threading.Thread] = []
    import desktop.ui.transfer_dialogs as dialogs

    real = dialogs.resolve_conflict

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(dialogs, "resolve_conflict", watched)
    with Archive.open(bureau.city) as city:
        before = count_materials(city)
        record_id = next(m.id for m in list_materials(city) if m.title == RECORD)

    # same_file, the department's new material not added: keep it out; 两者都保留 does not apply
    choose_row(qtbot, inbox.conflicts, 0)
    assert inbox.keep_button.isEnabled() and inbox.theirs_button.isEnabled()
    assert not inbox.both_button.isEnabled()
    assert "就等于采用对方的" in inbox.both_button.toolTip()
    assert "继续不加入本档案" in inbox.keep_button.toolTip()
    # asked first; answered no, nothing happens
    answer[0] = False
    qtbot.mouseClick(inbox.keep_button, CLICK)
    assert len(asked) == 1 and "继续不加入本档案" in asked[0][1] and not threads
    assert inbox.conflicts.rowCount() == 3
    answer[0] = True
    with qtbot.waitSignal(inbox.resolved, timeout=30_000) as resolved:
        qtbot.mouseClick(inbox.keep_button, CLICK)
    assert resolved.args[0].how == "keep" and resolved.args[0].kind == "same_file"
    assert asked[-1][0] == "处理报送冲突 1：保留本档案的"
    assert "已处理报送冲突 1（同一文件被两个单位归入不同测评内容）：保留本档案的" in \
        inbox.status.text()
    assert column(inbox.conflicts, 0) == ["2", "3"] and inbox.tabs.tabText(2) == "冲突（2）"
    assert threads and all(t is not threading.main_thread() for t in threads)

    # deleted: 采用对方的 is refused by the core (the city's copy is under review); its message
    # in the status line, the conflict still open
    choose_row(qtbot, inbox.conflicts, row_of_conflict(inbox, 3))
    assert not inbox.both_button.isEnabled() and "没有第二份材料" in inbox.both_button.toolTip()
    assert "只有草稿或已退回的材料可以删除" in inbox.theirs_button.toolTip()
    with qtbot.waitSignal(inbox.resolve_failed, timeout=30_000) as refused:
        qtbot.mouseClick(inbox.theirs_button, CLICK)
    assert "待初审" in refused.args[0] and "只删除草稿或已退回的材料" in refused.args[0]
    assert refused.args[0] in inbox.status.text()
    assert column(inbox.conflicts, 0) == ["2", "3"]
    assert inbox.theirs_button.isEnabled()  # may be tried again once it is returned

    # decided: both kept, the department's version a second material (a draft)
    choose_row(qtbot, inbox.conflicts, row_of_conflict(inbox, 2))
    assert all(b.isEnabled() for b in buttons)
    help_text = inbox.conflict_help.text()  # what each button does, for this conflict
    assert inbox.conflict_help.isVisible() and "冲突 2" in help_text
    assert "撤下" in help_text and "另存为本档案的一份新材料" in help_text
    with qtbot.waitSignal(inbox.resolved, timeout=30_000) as resolved:
        qtbot.mouseClick(inbox.both_button, CLICK)
    done = resolved.args[0]
    assert "另存为本档案的一份新材料" in asked[-1][1] and "草稿" in asked[-1][1]
    assert done.how == "both" and done.added_id and done.material_id == record_id
    assert f"对方的版本另存为材料 #{done.added_id}（草稿）" in inbox.status.text()
    assert column(inbox.conflicts, 0) == ["3"]
    with Archive.open(bureau.city) as city:
        copy, kept = get_material(city, done.added_id), get_material(city, record_id)
        assert (copy.title, copy.state) == (RENAMED, "draft")
        assert (kept.title, kept.state) == (RECORD, "second_approved")
        assert count_materials(city) == before + 1
        settled = {c.id: c.resolution for c in all_conflicts(city) if c.resolved_at}
    assert settled == {1: "keep", 2: "both"}
    assert len(threads) == 3 and all(t is not threading.main_thread() for t in threads)
    # the main window shows the new material
    wait_ops(qtbot, window)
    qtbot.waitUntil(lambda: window.table_model.row_of(done.added_id) >= 0, timeout=10_000)


def test_only_an_admin_settles_conflicts(qtbot, window, bureau: Bureau, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = conflicts_inbox(qtbot, window, bureau, tmp_path, "市复审人", monkeypatch)
    monkeypatch.setattr(inbox, "ask_confirm", lambda *_a: pytest.fail("asked a non-admin"))
    choose_row(qtbot, inbox.conflicts, 1)
    for button in (inbox.keep_button, inbox.theirs_button, inbox.both_button):
        assert not button.isEnabled()
        assert "市复审人 不是本档案的管理员" in button.toolTip()
    assert "不是本档案的管理员" in inbox.conflict_reason.text()
    qtbot.mouseClick(inbox.keep_button, CLICK)  # disabled: nothing happens
    assert inbox.conflicts.rowCount() == 3 and not inbox.resolving
    with Archive.open(bureau.city) as city:
        assert not [c for c in all_conflicts(city) if c.resolved_at]


def test_taking_theirs_adds_the_material_left_out(qtbot, window, bureau: Bureau,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = conflicts_inbox(qtbot, window, bureau, tmp_path, "创文办主任", monkeypatch)
    monkeypatch.setattr(inbox, "ask_confirm", lambda _title, text: "加入本档案" in text)
    choose_row(qtbot, inbox.conflicts, 0)  # same_file: the department's 工作方案, not added
    with qtbot.waitSignal(inbox.resolved, timeout=30_000) as resolved:
        qtbot.mouseClick(inbox.theirs_button, CLICK)
    done = resolved.args[0]
    assert done.how == "theirs" and done.added_id == done.material_id
    assert f"材料 #{done.added_id} 已加入本档案" in inbox.status.text()
    assert column(inbox.conflicts, 0) == ["2", "3"]
    with Archive.open(bureau.city) as city:
        added = get_material(city, done.added_id)
        assert (added.title, added.department) == ("市公安局文明交通劝导工作方案", DEPARTMENT)
    wait_ops(qtbot, window)
    qtbot.waitUntil(lambda: window.table_model.row_of(done.added_id) >= 0, timeout=10_000)
