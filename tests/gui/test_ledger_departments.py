"""各单位报送 in the ledger window (issue 16, item 6): the city sees, per department, its last
报送包, the materials it brought and how far their review is, open conflicts, tasks; and the
departments that have not reported since a day. A department's own archive has no such tab."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from PySide6.QtCore import QDate

from desktop.core.archive.archive import Archive
from desktop.core.ledger import tasks
from desktop.core.review import keys
from desktop.core.transfer.merge import apply_transfer
from desktop.core.transfer.send import export_transfer
from tests.gui.helpers import open_and_wait
from tests.gui.transfer_bureau import DEPARTMENT, PASS, Bureau, build_bureau


@pytest.fixture
def bureau(tmp_path: Path) -> Bureau:
    b = build_bureau(tmp_path / "bureau")
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(b.home), "ZICHA_USER": "公安经办"}):
        with Archive.open(b.department) as dept:
            export_transfer(dept, b.city_id, tmp_path / "报送包.zip", actor="公安经办",
                            unlock=lambda: keys.load_private("公安经办", PASS))
        with Archive.open(b.city) as city:
            apply_transfer(city, tmp_path / "报送包.zip", actor="创文办主任")
            book = openpyxl.Workbook()
            book.active.append(["测评项目", "测评内容", "牵头单位", "完成时限"])
            book.active.append(["01 理想信念教育", "深入学习宣传", DEPARTMENT, "2024-01-31"])
            book.active.append(["01 理想信念教育", "深入学习宣传", "市教育局", "2099-12-31"])
            book.save(tmp_path / "清单.xlsx")
            tasks.import_tasks(city, tmp_path / "清单.xlsx")
    return b


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


def _ledger(qtbot, window, root: Path):  # type: ignore[no-untyped-def]
    open_and_wait(qtbot, window, root)
    with qtbot.waitSignal(window.ledger_shown) as shown:
        window.ledger_action.trigger()
    ledger_window = shown.args[0]
    qtbot.waitUntil(lambda: not ledger_window.loading, timeout=15_000)
    return ledger_window


def test_the_city_sees_each_department_and_who_is_late(qtbot, window,  # type: ignore[no-untyped-def]
                                                       bureau: Bureau) -> None:
    ledger_window = _ledger(qtbot, window, bureau.city)
    tabs = ledger_window.tabs
    assert tabs.isTabVisible(ledger_window.department_tab)
    tabs.setCurrentIndex(ledger_window.department_tab)
    table = ledger_window.department_table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}
    police = rows[DEPARTMENT]
    # 2 materials added (1 passed 初审, 1 awaiting it), the 工作方案 the city holds: a conflict
    assert police[2:8] == ["1", "2", "2", "0", "0", "1"]
    assert police[1].endswith("（第 1 包）")
    assert police[8:] == ["0/1", "1"]
    assert rows["市教育局"][1] == "未报送" and rows["市教育局"][8] == "0/1"
    # who has not reported since a day: 市教育局 has a task and never sent; 市公安局 sent today
    ledger_window.reminder_since.setDate(QDate.currentDate())
    assert ledger_window.reminder.text() == "市教育局"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    ledger_window.reminder_since.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert ledger_window.reminder.text() == f"{DEPARTMENT}、市教育局"
    ledger_window.close()


def test_a_department_archive_has_no_such_tab(qtbot, window, bureau: Bureau) -> None:  # type: ignore[no-untyped-def]
    ledger_window = _ledger(qtbot, window, bureau.department)
    assert not ledger_window.tabs.isTabVisible(ledger_window.department_tab)
    ledger_window.close()
