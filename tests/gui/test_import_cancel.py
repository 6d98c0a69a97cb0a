"""Cancelling an import through the window's own action (文件 → 导入文件夹…, then 取消 in the
progress dialog): the window's worker drives the core's import with the job's Progress, so the
files reported before the cancel stay committed, the rest are not imported, and importing the
folder again brings in only the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QPushButton

from desktop.core.archive.archive import Archive
from desktop.core.materials.service import list_materials
from tests.conftest import build_docx

FILES = 60


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "一批材料"
    for n in range(FILES):
        build_docx(folder / f"{n:02d} 工作记录.docx", f"第 {n} 次志愿服务活动记录")
    return folder


def test_cancel_in_the_progress_dialog_keeps_the_files_already_imported(
        qtbot, main_window, gui_archive: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch, no_modal_boxes: list[str]) -> None:
    folder = _folder(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(folder))
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, labels, *_a, **_k: (
        next(label for label in labels if label.strip().startswith("01.01")), True))
    window = main_window
    pressed: list[int] = []

    def press_cancel(_row: object) -> None:
        if not pressed:  # the first file is reported: the user presses 取消
            pressed.append(1)
            button = window.progress_dialog.findChild(QPushButton)
            assert button is not None and button.text() == "取消"
            button.click()

    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        window.import_folder_action.trigger()
        # the folder is looked into on a worker first, then the import starts with its dialog
        qtbot.waitUntil(lambda: hasattr(window, "progress_dialog"), timeout=10_000)
        window._job.signals.item.connect(press_cancel)
    rows = blocker.args[0]

    assert pressed and 1 <= len(rows) < FILES, (len(rows), no_modal_boxes)
    assert all(r.status == "stored" for r in rows)
    assert no_modal_boxes == []  # a cancel is no failure: no message box
    shown = window.statusBar().currentMessage()
    assert shown.startswith(f"导入 {len(rows)} 个文件：保存 {len(rows)}"), shown
    assert window._job is None
    with Archive.open(gui_archive, writable=False) as archive:
        assert len(list_materials(archive)) == len(rows)  # what was reported is committed

    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        window.import_folder_action.trigger()
    again = blocker.args[0]
    assert len(again) == FILES
    assert sum(r.status == "stored" for r in again) == FILES - len(rows)
    with Archive.open(gui_archive, writable=False) as archive:
        assert len(list_materials(archive)) == FILES
