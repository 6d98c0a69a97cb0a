"""The ledger window of a city tested with other systems (同创同测, issue 15 item 4): the
dashboard's 按测评体系 table (weight, task completion, material coverage) and the 测评体系 filter,
shown only when the archive has more than one system; the dashboard at 1366×768."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QProgressBar

from desktop.core.archive.archive import Archive
from desktop.ui.ledger_window import LedgerWindow
from tests.gui.take_dashboard_systems import SIZE, grab_dashboard
from tests.systems_fixtures import TODAY, V_NAME, W_LIST, W_NAME, build_systems_archive

CITY = "全国文明城市（地级以上）测评体系（2023年版）"


@pytest.fixture
def systems_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZICHA_USER", "管理员戊")
    build_systems_archive(tmp_path / "档案", tmp_path / "home", tmp_path / "files")
    with Archive.open(tmp_path / "档案") as archive:
        yield archive


def _open(qtbot, archive: Archive) -> LedgerWindow:  # type: ignore[no-untyped-def]
    window = LedgerWindow(archive, "管理员戊")
    qtbot.addWidget(window)
    window.today = TODAY
    window.reload()
    window.show()
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)
    return window


def _system_rows(window: LedgerWindow) -> list[list[str]]:
    table = window.system_table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _categories(window: LedgerWindow) -> list[str]:
    grid = window.category_grid
    labels = [grid.itemAtPosition(r, 0) for r in range(grid.rowCount())]
    return [item.widget().text() for item in labels
            if item is not None and isinstance(item.widget(), QLabel)]


def test_the_dashboard_totals_each_system(qtbot, systems_archive: Archive,  # type: ignore[no-untyped-def]
                                          tmp_path: Path) -> None:
    window = _open(qtbot, systems_archive)
    assert window.system_box.isVisibleTo(window)
    assert window.system_filter.isVisibleTo(window)
    header = [window.system_table.horizontalHeaderItem(c).text() for c in range(4)]
    assert header == ["测评体系", "权重", "任务完成", "材料覆盖"]
    assert _system_rows(window) == [
        [CITY, "—", "2/7  29%", "2/11  18%"],
        [W_NAME, "20%", "2/4  50%", "1/4  25%"],
        [V_NAME, "10%", "0/2  0%", "0/2  0%"]]
    # the bars say the same as the text
    bar = window.system_table.cellWidget(1, 3)
    assert isinstance(bar, QProgressBar)
    assert (bar.value(), bar.maximum(), bar.text()) == (1, 4, "1/4  25%")
    assert "编号前缀 W" in window.system_table.item(1, 0).toolTip()
    assert _categories(window)[-5:] == ["W01 思想道德教育", "W02 未成年人活动阵地", "W03 家庭教育",
                                        "V01 乡风文明", "V02 人居环境"]
    assert _categories(window)[0] == "01 理想信念教育"
    filters = [window.system_filter.itemText(n) for n in range(window.system_filter.count())]
    assert filters == ["全部测评体系", CITY, W_NAME, V_NAME]

    # one system: the whole window shows its tasks, totals and categories
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.system_filter.setCurrentIndex(window.system_filter.findData("bureau-w"))
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)
    assert window.ledger is not None and window.ledger.system == "bureau-w"
    assert window.system_filter.currentText() == W_NAME
    assert _system_rows(window) == [[W_NAME, "20%", "2/4  50%", "1/4  25%"]]
    assert _categories(window) == ["W01 思想道德教育", "W02 未成年人活动阵地", "W03 家庭教育"]
    assert "共 4 项任务" in window.counts.text()
    assert {t.item_code for t in window.visible_tasks()} == {"W01.01", "W01.02", "W02.01",
                                                             "W03.01"}
    assert window.list_totals.text() == f"{W_LIST} 2/4（50%）"
    assert window.bonus_label.text() == "创新特色（加分）材料：1 份（国家级 1）"

    # with a list of another system: nothing
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.list_filter.setCurrentIndex(window.list_filter.findData("材料自查"))
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)
    assert window.ledger.tasks == [] and "共 0 项任务" in window.counts.text()
    assert window.system_filter.currentData() == "bureau-w"

    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.system_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.list_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)
    assert len(window.ledger.tasks) == 13 and window.system_table.rowCount() == 3

    # the picture of docs/screenshots/dashboard-systems-1366x768.png, made the same way
    out = tmp_path / "dashboard.png"
    grab_dashboard(window, out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == SIZE
    # nothing of the 按测评体系 table is cut off: its rows are all inside it
    table = window.system_table
    assert table.verticalHeader().length() <= table.viewport().height()
    window.close()


def test_one_system_looks_as_before(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, main_window.archive)
    assert not window.system_box.isVisibleTo(window)
    assert not window.system_filter.isVisibleTo(window)
    assert not window.system_filter_label.isVisibleTo(window)
    assert window.list_filter.isVisibleTo(window)
    assert window.system_table.rowCount() == 1  # the data is there, not shown
    window.close()
