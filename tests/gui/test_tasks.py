"""Tasks in the window: importing a task list through the mapping dialog, the dashboard's
counts, the tree coloured by status and the notice for the current person's department."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt

from desktop.core.ledger import tasks
from desktop.ui.models import TASK_STATUS_ROLE


def _odd_task_list(path: Path) -> Path:
    """A header the parser does not know for the item column ("工作事项"), deadlines around
    today so the dashboard has every colour."""
    today = dt.date.today()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "测评项目", "工作事项", "牵头单位", "完成时限"])
    rows = [
        ("01 理想信念教育", "深入学习贯彻习近平新时代中国特色社会主义思想",
         today + dt.timedelta(30)),
        ("08 生活和谐宜居", "推进生活垃圾分类", today + dt.timedelta(30)),
        ("02 思想道德建设", "推进诚信建设", today - dt.timedelta(5)),
        ("04 教育科技进步", "加强科学普及", today + dt.timedelta(3)),
        ("05 文化事业和文化产业发展", "完善公共文化服务", today + dt.timedelta(60)),
    ]
    for n, (category, item, deadline) in enumerate(rows, 1):
        ws.append([n, category, item, "市文明办", deadline.isoformat()])
    wb.save(path)
    return path


def test_import_with_the_mapping_dialog_then_the_dashboard(reviewed_window, qtbot,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path,
                                                           monkeypatch) -> None:
    window = reviewed_window
    window.person_box.setCurrentIndex(window.person_box.findData("经办人甲"))
    with qtbot.waitSignal(window.ledger_shown) as shown:
        window.ledger_action.trigger()
    ledger_window = shown.args[0]
    qtbot.waitUntil(lambda: not ledger_window.loading, timeout=10_000)
    dialog = ledger_window.choose_task_list(_odd_task_list(tmp_path / "任务清单.xlsx"))
    qtbot.waitUntil(lambda: not dialog.busy and "没有找到" in dialog.summary.text(),
                    timeout=10_000)
    assert "测评内容" in dialog.summary.text() and not dialog.import_button.isEnabled()

    item_box = dialog.field_boxes["item"]  # the user points 测评内容 at the 工作事项 column
    item_box.setCurrentIndex(item_box.findData(3))
    item_box.activated.emit(item_box.currentIndex())
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10_000)
    assert dialog.preview.rowCount() == 5
    assert dialog.preview.item(2, 2).text() == "推进诚信建设"
    threads: list[threading.Thread] = []
    real_import = tasks.import_tasks

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_import(*args, **kwargs)

    monkeypatch.setattr(tasks, "import_tasks", watched)
    with (qtbot.waitSignal(ledger_window.loaded, timeout=10_000),
          qtbot.waitSignal(dialog.imported) as imported):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        # the import runs on a worker: the dialog says so and cannot be clicked twice
        assert dialog.summary.text() == "正在导入…" or threads
        assert not dialog.import_button.isEnabled()
    assert threads and threads[0] is not threading.main_thread()
    report = imported.args[0]
    assert len(report.tasks_created) == 5 and "04.01 加强科学普及" in report.items_created
    dialog.close()

    counts = ledger_window.counts.text()
    assert "共 5 项任务，完成 2 项" in counts  # 01.01 and 08.02 have final-approved material
    assert "红 1" in counts and "黄 1" in counts and "白 1" in counts
    assert ledger_window.overdue.rowCount() == 1
    assert ledger_window.overdue.item(0, 0).text() == "02.01 推进诚信建设"
    ledger_window.tabs.setCurrentWidget(ledger_window.task_page)
    ledger_window.status_filter.setCurrentIndex(ledger_window.status_filter.findData("yellow"))
    assert [t.item_code for t in ledger_window.visible_tasks()] == ["04.01"]
    assert ledger_window.task_table.rowCount() == 1

    # the main window's tree and notice follow
    with qtbot.waitSignal(window.tasks_checked, timeout=10_000):
        window.refresh()
    # the tree's counts and the ledger are read by separate workers, either first
    qtbot.waitUntil(lambda: not window.table_loading, timeout=10_000)
    assert window.tree_model.index_of("02.01").data(TASK_STATUS_ROLE) == "red"
    assert window.tree_model.index_of("02").data(TASK_STATUS_ROLE) == "red"
    assert window.tree_model.index_of("01.01").data(TASK_STATUS_ROLE) == "done"
    tip = window.tree_model.index_of("02").data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("任务 1 项：完成 0，红 1，黄 0，白 0")
    # the counts read again after the ledger (an import, another clerk's change) update the
    # tree in place: the colours and the tooltips' task lines stay
    with qtbot.waitSignal(window.counts_loaded, timeout=10_000):
        window.refresh_counts()
    assert window.tree_model.index_of("02").data(TASK_STATUS_ROLE) == "red"
    tip = window.tree_model.index_of("02").data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("任务 1 项：完成 0，红 1，黄 0，白 0")
    assert window.notice.isVisibleTo(window)
    assert window.notice_label.text() == "市文明办：1 项任务已逾期，1 项本周到期。"
    ledger_window.close()
