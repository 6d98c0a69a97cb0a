"""GUI test fixtures: a real archive in tmp_path and the real main window, offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.core.archive.archive import Archive  # noqa: E402
from desktop.core.archive.items import add_item  # noqa: E402
from tests.conftest import build_reviewed_archive  # noqa: E402
from tests.gui.helpers import Statements, wait_table  # noqa: E402


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A real modal message box would wait for a click forever offscreen: unless a test
    answers them itself, questions are answered "discard/no" and messages are only recorded."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def box(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text="", *_a, **_k):  # type: ignore[no-untyped-def]
            shown.append(f"{kind}: {title}: {text}")
            return QMessageBox.StandardButton.Discard if kind == "question" \
                else QMessageBox.StandardButton.Ok
        return show

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    yield shown


@pytest.fixture
def gui_archive(tmp_path: Path) -> Path:
    root = tmp_path / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
        add_item(archive, "03.01", "规范市民文明行为")
    return root


@pytest.fixture
def main_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gui_archive: Path
                ) -> Iterator:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_archive(gui_archive)
    wait_table(qtbot, window)  # the tree's counts and the table are read on workers
    yield window
    window.close_archive()


@pytest.fixture
def reviewed_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    root, home = tmp_path / "档案", tmp_path / "home"
    build_reviewed_archive(root, home, tmp_path / "files")
    monkeypatch.setenv("ZICHA_HOME", str(home))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.show()
    assert window.open_archive(root)
    wait_table(qtbot, window)
    yield window
    window.close_archive()


@pytest.fixture
def statements() -> Iterator[Statements]:
    hook = Statements()
    event.listen(Engine, "before_cursor_execute", hook)
    yield hook
    event.remove(Engine, "before_cursor_execute", hook)
