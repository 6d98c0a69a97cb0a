"""The other windows and dialogs read the archive on workers too (issue 20 item 2): each is
opened through its QAction on an archive of a few thousand materials, with an engine hook
recording the thread of every statement; none runs on the GUI thread, and each dialog shows
its data once read (正在读取… until then)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import nodes
from desktop.core.export.model import ExportRules
from desktop.core.export.plan import save_rules
from desktop.core.ledger import problems, tasks
from desktop.core.review import keys, roster
from tests.bulk_archive import fill
from tests.gui.helpers import Statements, wait_detail, wait_table

N = 3000
ADMIN = "管理员甲"


@pytest.fixture
def archive_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """N materials, a roster (an admin with a key on this computer, two clerks), export rules,
    a task list
    of one task per 测评内容 and one problem."""
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    root = fill(tmp_path / "档案", N)
    with Archive.open(root) as archive:
        roster.add_person(archive, ADMIN, "市文明办", ["admin", "clerk"],
                          keys.new_key(ADMIN, "pass-1234"))
        for name in ("经办人乙", "经办人丙"):
            roster.add_person(archive, name, "市城管局", ["clerk"], keys.new_key(name, "pass-1234"),
                              actor=ADMIN)
        tree = nodes(archive)
        names = {n.code: n.name for n in tree}
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
        for n, node in enumerate((n for n in tree if n.parent_code), 1):
            sheet.append([n, names[node.parent_code or ""], node.name, "市文明办", "2026-12-31"])
        book.save(str(tmp_path / "任务清单.xlsx"))
        tasks.import_tasks(archive, tmp_path / "任务清单.xlsx", actor=ADMIN)
        problems.add_problem(archive, "01.01", "宣传栏破损", ADMIN)
        save_rules(archive, ExportRules(name_template="{序号}-{材料名称}"), actor=ADMIN)
    return root


@pytest.fixture
def window(qtbot, tmp_path: Path, archive_root: Path):  # type: ignore[no-untyped-def]
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    shown = MainWindow(settings())
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    assert shown.open_archive(archive_root)
    wait_table(qtbot, shown)
    shown.person_box.setCurrentIndex(shown.person_box.findData(ADMIN))
    wait_detail(qtbot, shown)
    yield shown
    shown.close_archive()


def opened(qtbot, window, signal: str, trigger: Callable[[], None]):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(getattr(window, signal), timeout=10_000) as shown:
        trigger()
    return shown.args[0]


def test_the_ledger_and_its_problem_buttons_read_on_workers(window, qtbot,  # type: ignore[no-untyped-def]
                                                            statements: Statements) -> None:
    statements.take()
    ledger = opened(qtbot, window, "ledger_shown", window.ledger_action.trigger)
    assert ledger.loading
    qtbot.waitUntil(lambda: not ledger.loading, timeout=30_000)
    on_gui, elsewhere = statements.take()
    assert on_gui == [] and elsewhere > 0
    assert "共 3 项任务" in ledger.counts.text() and ledger.problem_table.rowCount() == 1
    assert ledger.problem_buttons[problems.ADD].isEnabled()  # the admin may 发现
    ledger.tabs.setCurrentWidget(ledger.problem_page)
    ledger.problem_table.selectRow(0)
    assert ledger.problem_buttons[problems.ASSIGN].isEnabled()  # known before it was clicked
    window.person_box.setCurrentIndex(window.person_box.findData("经办人乙"))  # a clerk
    assert "正在读取" in ledger.problem_buttons[problems.ADD].toolTip()
    qtbot.waitUntil(lambda: not ledger.loading, timeout=10_000)
    assert not ledger.problem_buttons[problems.ADD].isEnabled()
    assert not ledger.problem_buttons[problems.ASSIGN].isEnabled()
    on_gui, elsewhere = statements.take()
    assert on_gui == [] and elsewhere > 0
    ledger.close()


def test_people_and_the_transfer_dialogs_read_on_workers(window, qtbot,  # type: ignore[no-untyped-def]
                                                         statements: Statements) -> None:
    statements.take()
    people = opened(qtbot, window, "people_shown", window.people_action.trigger)
    assert people.loading and "正在读取" in people.rule.text()
    assert not people.add_button.isEnabled()
    qtbot.waitUntil(lambda: not people.loading, timeout=10_000)
    assert people.table.rowCount() == 3 and "你是管理员" in people.rule.text()
    assert people.add_button.isEnabled()
    people.close()

    send = opened(qtbot, window, "transfer_send_shown", window.send_transfer_action.trigger)
    assert send.loading and send.status.text() == "正在读取…"
    assert not send.send_button.isEnabled()
    qtbot.waitUntil(lambda: not send.loading, timeout=10_000)
    assert send.person.count() == 3 and send.sending_person == ADMIN
    assert "市文明办" in send.out.text()  # the sender's department names the package
    send.close()

    inbox = opened(qtbot, window, "transfer_inbox_shown", window.transfer_inbox_action.trigger)
    qtbot.waitUntil(lambda: not inbox.loading, timeout=10_000)
    assert inbox.archive_id and inbox.archive_id in inbox.own_id.text()
    inbox.close()

    dispatch = opened(qtbot, window, "transfer_dispatch_shown",
                      window.dispatch_transfer_action.trigger)
    qtbot.waitUntil(lambda: not dispatch.loading, timeout=10_000)
    dispatch.close()

    systems = opened(qtbot, window, "systems_shown", window.systems_action.trigger)
    qtbot.waitUntil(lambda: not systems.busy and systems.table.rowCount() > 0, timeout=10_000)
    systems.close()
    on_gui, elsewhere = statements.take()
    assert on_gui == [] and elsewhere > 0


def test_a_dialog_closed_before_its_read_arrives_drops_it(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    people = opened(qtbot, window, "people_shown", window.people_action.trigger)
    running = [job.done for job in people._jobs]  # not the jobs: workers.start keeps them
    people.close()  # deleted on close: the read arriving later is not shown anywhere
    qtbot.waitUntil(lambda: all(done.is_set() for done in running), timeout=10_000)
    qtbot.wait(50)  # its result delivered (and dropped) without an error
    again = opened(qtbot, window, "people_shown", window.people_action.trigger)
    again.show_retired.setChecked(False)  # a second read before the first arrived
    qtbot.waitUntil(lambda: not again.loading, timeout=10_000)
    assert again.table.rowCount() == 3
    again.close()


def test_the_export_dialog_reads_its_rules_on_a_worker(window, qtbot, statements: Statements,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui import export_dialog

    monkeypatch.setattr(export_dialog, "ROWS_PER_ITEM", 100)
    statements.take()
    dialog = opened(qtbot, window, "export_dialog_shown", window.export_action.trigger)
    assert dialog.planning and dialog.summary.text() == "正在读取…"
    assert not dialog.rules_box.isEnabled() and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.planning, timeout=30_000)
    on_gui, elsewhere = statements.take()
    assert on_gui == [] and elsewhere > 0
    assert dialog.rules_box.isEnabled() and "将导出" in dialog.summary.text()
    assert dialog.template.text() == "{序号}-{材料名称}"  # the archive's rules, read
    top = next(dialog.tree.topLevelItem(n) for n in range(dialog.tree.topLevelItemCount())
               if dialog.tree.topLevelItem(n).text(0).startswith("01.01 "))
    assert top.childCount() == 101  # a hundred rows, then how many more
    assert top.child(100).text(0).startswith("……另有 ")
    dialog.close()


def test_the_task_import_dialog_reads_on_workers(window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 statements: Statements) -> None:
    ledger = opened(qtbot, window, "ledger_shown", window.ledger_action.trigger)
    qtbot.waitUntil(lambda: not ledger.loading, timeout=30_000)
    ledger.ask_open_path = lambda: tmp_path / "任务清单.xlsx"  # the file chosen
    dialogs: list = []
    real = ledger.choose_task_list
    ledger.choose_task_list = lambda path=None: dialogs.append(real(path))  # type: ignore[method-assign]
    statements.take()
    ledger.import_action.trigger()
    [dialog] = dialogs
    assert dialog.busy and dialog.summary.text() == "正在读取…"
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    on_gui, elsewhere = statements.take()
    assert on_gui == [] and elsewhere > 0
    assert dialog.sheet.count() == 1 and dialog.system_box.count() == 1
    assert dialog.preview.rowCount() == 3 and dialog.import_button.isEnabled()
    dialog.close()
    ledger.close()
