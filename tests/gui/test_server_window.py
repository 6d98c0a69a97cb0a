"""The window on a server archive (team mode): what another desktop changes — a material
imported, one retitled, one deleted, a person added — appears without reopening the archive
(the window polls the audit log after the last entry it saw, desktop/core/archive/feed.py)."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from tests.gui.helpers import wait_table


@pytest.fixture
def server_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                  pg_database: str):
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZICHA_USER", "本机经办人")
    root = tmp_path / "共享" / "市档案"
    with Archive.create(root, server_url=pg_database) as archive:
        add_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_archive(root)
    wait_table(qtbot, window)
    yield window, root
    window.close_archive()


def _titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(row.title for row in window.table_model._rows)


def test_the_window_shows_what_another_desktop_changed(server_window, qtbot,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import delete_material, update_material
    from desktop.core.review import keys, roster

    window, root = server_window
    assert window._others_timer.isActive()
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 0)
    src = tmp_path / "src"
    src.mkdir()
    for name in ("方案", "通知"):
        (src / f"{name}.txt").write_text(f"文明城市创建{name}", encoding="utf-8")
    # another desktop: its own Archive on the same folder and database, its own person
    with mock.patch.dict(os.environ, {"ZICHA_USER": "隔壁经办人"}), Archive.open(root) as other:
        rows = list(import_paths(other, sorted(src.iterdir()), ImportOptions(codes=["01.01"])))
        window.poll_others()
        qtbot.waitUntil(lambda: window.table_model.rowCount() == 2, timeout=10000)
        assert "隔壁经办人" in window.statusBar().currentMessage()
        update_material(other, rows[0].id, {"title": "创建工作方案（隔壁改）"})
        window.poll_others()
        qtbot.waitUntil(lambda: "创建工作方案（隔壁改）" in _titles(window), timeout=10000)
        delete_material(other, rows[1].id)
        window.poll_others()
        qtbot.waitUntil(lambda: window.table_model.rowCount() == 1, timeout=10000)
        people_before = window.person_box.count()
        roster.add_person(other, "隔壁初审", "市文明办", ["first"],
                          keys.new_key("隔壁初审", "口令-隔壁初审-1"))
        window.poll_others()
        qtbot.waitUntil(lambda: window._others_job is None, timeout=10000)
        qtbot.waitUntil(lambda: window.person_box.count() > people_before, timeout=10000)
    # nothing new: nothing refreshed, no message
    window.statusBar().clearMessage()
    window.poll_others()
    qtbot.waitUntil(lambda: window._others_job is None, timeout=10000)
    assert window.statusBar().currentMessage() == ""
