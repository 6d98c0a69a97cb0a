"""档号 in the window (issue 19, item 4): the material table's 档号 column, and the export
dialog's 归档章 checkbox, whose export stamps every material PDF and passes 四性检测."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.archive.archive import Archive
from desktop.core.review import archival
from desktop.core.review.archival import ArchivalRules
from desktop.ui.models import MaterialTableModel
from tests.conftest import build_reviewed_archive
from tests.gui.helpers import open_and_wait


@pytest.fixture
def numbered_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    root, home = tmp_path / "档案", tmp_path / "home"
    build_reviewed_archive(root, home, tmp_path / "files")
    monkeypatch.setenv("ZICHA_HOME", str(home))
    with Archive.open(root) as archive:
        archival.set_rules(archive, ArchivalRules(fonds="Z001"), actor="管理员")
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    open_and_wait(qtbot, window, root)
    yield window
    window.close_archive()


def test_the_table_shows_each_number_and_the_export_stamps(numbered_window, qtbot,  # type: ignore[no-untyped-def]
                                                          tmp_path, monkeypatch) -> None:
    window = numbered_window
    model = window.table.model()
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = header.index("档号")
    assert column == MaterialTableModel.ARCHIVAL
    qtbot.waitUntil(lambda: model.rowCount() >= 6, timeout=10_000)
    shown = {model.index(r, MaterialTableModel.TITLE).data():
             model.index(r, column).data() for r in range(model.rowCount())}
    assert shown["文明交通劝导行动方案"] == "Z001-2024-D30-0001"
    assert shown["尚在初审的工作总结"] == ""

    with qtbot.waitSignal(window.export_dialog_shown) as opened:
        window.export_action.trigger()
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: not dialog.planning, timeout=10_000)
    assert not dialog.stamp.isChecked() and not dialog.stamp_color.isEnabled()
    qtbot.mouseClick(dialog.stamp, Qt.MouseButton.LeftButton)
    assert dialog.stamp.isChecked() and dialog.stamp_color.isEnabled()
    dialog.stamp_color.setCurrentIndex(dialog.stamp_color.findData("black"))
    out = tmp_path / "申报材料.zip"
    monkeypatch.setattr(dialog, "ask_target", lambda _suggested, as_zip: out)
    with qtbot.waitSignal(dialog.finished_export, timeout=60_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.ok, [p for c in report.checks for p in c.problems]
    with zipfile.ZipFile(out) as zf:
        doc = json.loads(zf.read("申报材料/zicha/manifest.json"))
    assert doc["archival"]["stamp"] is True and doc["archival"]["stamp_color"] == "black"
    stamped = [f for f in doc["files"] if f.get("stamped")]
    assert stamped and all(f["path"].endswith(".pdf") for f in stamped)
    assert {c.code: c for c in report.checks}["2-12"].count == len(stamped)
    dialog.close()
