"""The material table at a few thousand materials: the model holds in Python no more rows than
the view shows plus one page, whatever is scrolled to, sorted or filtered, and a keystroke in
the filter box returns to the event loop at once (the filter runs later, in the database, on a
worker; the newest text wins)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.core.materials.service import list_materials
from desktop.ui.models import ID_ROLE, MaterialTableModel
from tests.bulk_archive import fill
from tests.gui.helpers import wait_table

N = 3000


@pytest.fixture
def big_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    root = fill(tmp_path / "档案", N)
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_archive(root)
    wait_table(qtbot, window)
    yield window, root
    window.close_archive()


def visible_rows(window) -> range:  # type: ignore[no-untyped-def]
    table = window.table
    first = table.rowAt(0)
    last = table.rowAt(table.viewport().height() - 1)
    return range(first, (last if last >= 0 else window.proxy.rowCount() - 1) + 1)


def shown_ids(qtbot, window) -> list[int]:  # type: ignore[no-untyped-def]
    """The ids in the rows the view shows, once they have been read."""
    qtbot.waitUntil(lambda: all(window.proxy.index(r, 0).data(ID_ROLE) is not None
                                for r in visible_rows(window)), timeout=10_000)
    rows = visible_rows(window)
    return [window.proxy.index(r, 0).data(ID_ROLE) for r in rows]


def assert_bounded(window) -> None:  # type: ignore[no-untyped-def]
    model = window.table_model
    assert model.held_rows() <= len(visible_rows(window)) + model.page_size
    assert model.held_rows() < model.rowCount() or model.rowCount() <= model.page_size


def database(root: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(root / "zicha.db") as db:
        return db.execute(sql).fetchall()


def test_the_model_holds_only_the_rows_shown_plus_a_page(big_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, root = big_window
    ids = [i for (i,) in database(root, "SELECT id FROM material ORDER BY id")]
    assert window.table_model.rowCount() == len(ids) == N
    assert shown_ids(qtbot, window) == ids[:len(visible_rows(window))]
    assert_bounded(window)

    bar = window.table.verticalScrollBar()
    for value in (bar.maximum() // 2, bar.maximum(), bar.maximum() // 5):
        bar.setValue(value)  # the view scrolls: the window around the rows shown is read
        rows = visible_rows(window)
        assert shown_ids(qtbot, window) == ids[rows.start:rows.stop]
        assert_bounded(window)

    header = window.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(MaterialTableModel.TITLE) + 5, 5))
    wait_table(qtbot, window)
    by_title = [i for (i,) in database(root, "SELECT id FROM material ORDER BY title, id")]
    bar.setValue(0)
    rows = visible_rows(window)
    assert shown_ids(qtbot, window) == by_title[rows.start:rows.stop]
    assert_bounded(window)


def test_a_filter_keystroke_returns_at_once_and_the_newest_text_wins(big_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, root = big_window
    window.filter_edit.setFocus()
    for key in (Qt.Key.Key_7, Qt.Key.Key_7):
        started = time.perf_counter()
        QTest.keyClick(window.filter_edit, key)
        assert time.perf_counter() - started < 0.1  # back to the event loop
        assert window.table_loading  # the filtering is still to come
    wait_table(qtbot, window)
    # any cell containing the text, as the table shows them
    expected = [v.id for v in list_materials(window.archive) if any("77" in cell for cell in (
        str(v.id), v.title, v.doc_number, v.material_type, v.material_date or "", v.department,
        *v.items, v.archival_number or ""))]
    assert 0 < len(expected) < N
    assert window.table_model.rowCount() == len(expected)
    assert shown_ids(qtbot, window) == expected[:len(visible_rows(window))]
    assert_bounded(window)

    QTest.keyClicks(window.filter_edit, "qzx")  # nothing matches: the box stays usable
    wait_table(qtbot, window)
    assert window.table_model.rowCount() == 0
    assert window.center_stack.currentWidget() is window.empty
    assert window.empty_label.text() == "没有符合筛选条件的材料。"
    assert window.filter_edit.isEnabled() and window.filter_edit.isVisible()
    for _ in range(5):
        QTest.keyClick(window.filter_edit, Qt.Key.Key_Backspace)
    wait_table(qtbot, window)
    assert window.center_stack.currentWidget() is window.table
    assert window.table_model.rowCount() == N
    assert_bounded(window)


def test_selecting_rows_not_read_yet_still_acts_on_them(big_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, root = big_window
    window.select_all_action.trigger()
    qtbot.waitUntil(lambda: len(window.selected_ids()) == N, timeout=10_000)
    assert window.selection_label.text() == f"已选择 {N} 份材料（其中有审核中的材料，不能批量修改）"
    assert not window.bulk_edit_action.isEnabled()
    assert_bounded(window)


def test_opening_an_archive_reads_the_table_once(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    root = fill(tmp_path / "档案", 500)
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    loads: list[object] = []
    window.table_model.loaded.connect(loads.append)
    assert window.open_archive(root)
    wait_table(qtbot, window)
    qtbot.wait(300)  # nothing else comes after
    assert len(loads) == 1 and window.table_model.rowCount() == 500
    assert window.tree_model.count_of("") == 500
    window.close_archive()
