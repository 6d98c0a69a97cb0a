"""The main window's tree when the archive has a second indicator system (issue 15, item 4):
each system a top-level row with its material count and its 测评项目 and 测评内容 under it,
全部材料 on top; a system row lists the materials filed anywhere in it; files dropped on a
system row and 添加测评内容 on it are refused with a message; task colours reach the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.archive.systems import add_category, create_system
from desktop.core.ledger import tasks
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import count_materials
from desktop.demo.samples import make_pdf
from desktop.ui.models import CODE_ROLE, TASK_STATUS_ROLE, system_key
from tests.gui.helpers import wait_table
from tests.gui.test_main_window import drop_files, node_point

CITY = "cn-wmcs-2023-prefecture"
W = "bureau-w"
W_NAME = "全国未成年人思想道德建设工作测评体系"


def _material(archive: Archive, folder: Path, title: str, codes: list[str]) -> int:
    path = make_pdf(folder / f"{title}.pdf", title, [f"{title}：工作方案与总结。"])
    [row] = list(import_paths(archive, [path], ImportOptions(codes=codes)))
    assert row.status == "stored", row.reason
    return int(row.id)


def _overdue_list(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
    late = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    sheet.append([1, "思想道德教育", "主题教育实践活动", "市教育局", late])
    book.save(path)
    return path


@pytest.fixture
def two_systems(tmp_path: Path, gui_archive: Path) -> Iterator[tuple[Path, dict[str, int]]]:
    """The GUI archive (01.01, 03.01) with 未成年人 (W, 20 %): W01 with W01.01, W02 empty;
    materials in 01.01, W01.01 and in both; an overdue task under W01."""
    files = tmp_path / "files"
    with Archive.open(gui_archive) as archive:
        create_system(archive, W_NAME, prefix="W", weight=20)
        add_category(archive, "W", "思想道德教育")
        add_category(archive, "W", "活动场所建设")
        add_item(archive, "W01.01", "主题教育实践活动")
        ids = {"city": _material(archive, files, "理论学习方案", ["01.01"]),
               "w": _material(archive, files, "少年宫活动总结", ["W01.01"]),
               "both": _material(archive, files, "志愿服务记录", ["03.01", "W01.01"])}
        tasks.import_tasks(archive, _overdue_list(tmp_path / "未成年人任务.xlsx"),
                           kind="未成年人思想道德建设", system="W")
    yield gui_archive, ids


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_systems):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    root, _ids = two_systems
    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.tasks_checked, timeout=10_000):
        assert window.open_archive(root)
    wait_table(qtbot, window)
    yield window
    window.close_archive()


def _row(model, index) -> str:  # type: ignore[no-untyped-def]
    return f"{index.data()}（{index.siblingAtColumn(1).data()}）"


def _shown_ids(window) -> list[int]:  # type: ignore[no-untyped-def]
    model = window.table_model
    return sorted(model.row_view(r).id for r in range(model.rowCount()))


def _select(window, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    index = window.tree_model.index_of(key)
    assert index.isValid(), key
    window.tree.setCurrentIndex(index)
    wait_table(qtbot, window)


def test_each_system_is_a_top_level_row_with_its_tree(window, two_systems) -> None:  # type: ignore[no-untyped-def]
    model = window.tree_model
    top = [_row(model, model.index(r, 0)) for r in range(model.rowCount())]
    assert top == ["全部材料（3）", "全国文明城市（地级以上）测评体系（2023年版）（2）",
                   f"{W_NAME} · 权重 20%（2）"]
    assert model.system_keys() == [system_key(CITY), system_key(W)]
    city, w = model.index_of_system(CITY), model.index_of_system(W)
    assert model.rowCount(city) == 11 and model.rowCount(w) == 2
    assert [model.index(r, 0, w).data() for r in range(2)] == ["W01 思想道德教育",
                                                              "W02 活动场所建设"]
    assert model.index_of("W01").parent() == w and model.index_of("01").parent() == city
    assert model.index_of("W01.01").parent() == model.index_of("W01")
    assert _row(model, model.index_of("W01.01")) == "W01.01 主题教育实践活动（2）"
    assert _row(model, model.index_of("W02")) == "W02 活动场所建设（0）"
    assert model.category_count() == 13
    # the systems open with their 测评项目 shown
    assert window.tree.isExpanded(city) and window.tree.isExpanded(w)
    tip = w.data(Qt.ItemDataRole.ToolTipRole)
    assert "编号前缀 W" in tip and "权重 20%" in tip
    assert "测评项目 2 个，测评内容 1 项，材料 2 份" in tip

    # task colours: the overdue W01.01 task colours its item, its 测评项目 and its system
    assert model.index_of("W01.01").data(TASK_STATUS_ROLE) == "red"
    assert model.index_of("W01").data(TASK_STATUS_ROLE) == "red"
    assert w.data(TASK_STATUS_ROLE) == "red"
    assert city.data(TASK_STATUS_ROLE) is None
    assert w.data(Qt.ItemDataRole.ToolTipRole).endswith("任务 1 项：完成 0，红 1，黄 0，白 0")


def test_selecting_a_system_or_one_of_its_items_lists_its_materials(window, qtbot,  # type: ignore[no-untyped-def]
                                                                  two_systems) -> None:
    _root, ids = two_systems
    _select(window, qtbot, system_key(W))
    assert _shown_ids(window) == sorted([ids["w"], ids["both"]])
    assert window.node_label.text() == f"{W_NAME} · 权重 20%"
    assert not window.rename_item_action.isEnabled()
    _select(window, qtbot, system_key(CITY))
    assert _shown_ids(window) == sorted([ids["city"], ids["both"]])
    assert window.node_label.text() == "全国文明城市（地级以上）测评体系（2023年版）"
    _select(window, qtbot, "W01.01")
    assert _shown_ids(window) == sorted([ids["w"], ids["both"]])
    assert window.node_label.text() == "W01.01 主题教育实践活动"
    assert window.rename_item_action.isEnabled()
    _select(window, qtbot, "W02")  # nothing filed yet: the empty page says where to put it
    assert _shown_ids(window) == []
    assert window.center_stack.currentWidget() is window.empty
    assert "“W02 活动场所建设”下还没有材料" in window.empty_label.text()
    _select(window, qtbot, "")
    assert len(_shown_ids(window)) == 3
    # the 待完善 filter within a system
    _select(window, qtbot, system_key(W))
    window.incomplete_box.setChecked(True)
    wait_table(qtbot, window)
    assert set(_shown_ids(window)) <= {ids["w"], ids["both"]}
    window.incomplete_box.setChecked(False)
    wait_table(qtbot, window)


def test_a_system_row_takes_no_files_and_no_items(window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  no_modal_boxes: list[str]) -> None:
    before = count_materials(window.archive)
    pdf = make_pdf(tmp_path / "拖到体系上.pdf", "拖到体系上", ["这份材料不该归入测评体系本身。"])
    drop_files(window.tree, node_point(window, system_key(W)), [pdf])
    assert any(m.startswith("information: 无法导入:") and f"“{W_NAME}”是测评体系，不是测评内容" in m
               for m in no_modal_boxes), no_modal_boxes
    assert count_materials(window.archive) == before

    _select(window, qtbot, system_key(W))
    window.add_item_action.trigger()
    assert any(m.startswith("information: 添加测评内容:") and "是测评体系" in m
               for m in no_modal_boxes), no_modal_boxes
    assert window.tree_model.index_of("W01.02").isValid() is False

    # dropped on one of its items, the file is filed there
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as finished:
        drop_files(window.tree, node_point(window, "W01.01"), [pdf])
    assert [r.status for r in finished.args[0]] == ["stored"]
    assert window.tree_model.count_of("W01.01") == 3
    assert window.tree_model.count_of(system_key(W)) == 3
    assert window.tree_model.index_of("").siblingAtColumn(1).data() == "4"
    assert window.tree_model.index_of(system_key(W)).data(CODE_ROLE) == system_key(W)
