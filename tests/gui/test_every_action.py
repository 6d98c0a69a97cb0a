"""Every action of every window, through its real signal (`QAction.trigger()`), as a user
would reach it from a menu, a toolbar or a context menu: once with every dialog cancelled and
once with each file dialog answering a wrong file. Nothing may raise and nothing may show an
internal error. The test finds the actions itself, so a new action is covered the day it is
added."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from shiboken6 import isValid

from tests.gui.helpers import wait_table


@dataclass
class Dialogs:
    """Stands in for every modal dialog a slot can open: file dialogs answer `answer` (None:
    cancelled), every question is declined, every message is recorded."""

    answer: Callable[[str], str] | None = None
    messages: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def file(self, kind: str) -> str:
        self.asked.append(kind)
        return self.answer(kind) if self.answer else ""


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Dialogs]:
    d = Dialogs()

    def open_name(*_a, **_k):  # type: ignore[no-untyped-def]
        return d.file("open"), ""

    def open_names(*_a, **_k):  # type: ignore[no-untyped-def]
        name = d.file("open")
        return ([name] if name else []), ""

    def save_name(*_a, **_k):  # type: ignore[no-untyped-def]
        return d.file("save"), ""

    def folder(*_a, **_k):  # type: ignore[no-untyped-def]
        return d.file("folder")

    def message(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text="", *_a, **_k):  # type: ignore[no-untyped-def]
            d.messages.append(f"{kind}: {title}: {text}")
            return QMessageBox.StandardButton.No if kind == "question" \
                else QMessageBox.StandardButton.Ok
        return show

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_names)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, message(kind))
    monkeypatch.setattr(QMessageBox, "about", lambda _p, t, x: d.messages.append(f"about: {t}"))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: d.messages.append(
        f"box: {self.windowTitle()}: {self.text()}") or QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("", False))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: ("", False))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *_a, **_k: (0, False))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("", False))
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    yield d


def wrong_files(tmp_path: Path) -> Callable[[str], str]:
    """A file of the wrong kind for an open dialog, a place that cannot be written for a save
    dialog, a folder that is no archive (and not empty) for a folder dialog."""
    bad = tmp_path / "错误的文件.zip"
    bad.write_bytes(b"this is not what the dialog asked for\x00\xff" * 10)
    folder = tmp_path / "不是档案"
    folder.mkdir(exist_ok=True)
    (folder / "说明.txt").write_text("随便一个文件夹", encoding="utf-8")
    unwritable = tmp_path / "不存在的文件夹" / "子目录" / "输出.zip"
    return {"open": str(bad), "save": str(unwritable), "folder": str(folder)}.__getitem__


def actions_of(widget: QWidget) -> list[QAction]:
    """The actions a user can reach in this window: menus, toolbars, context menus, shortcuts.
    Quitting comes last."""
    found = [a for a in widget.findChildren(QAction)
             if a.isEnabled() and a.menu() is None and not a.isSeparator()]
    quit_key = QKeySequence(QKeySequence.StandardKey.Quit)
    quitting = [a for a in found if a.shortcut() == quit_key or a.text() in ("关闭", "退出")]
    return [a for a in found if a not in quitting] + quitting


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Let the work an action started finish (workers, the table reload)."""
    qtbot.waitUntil(lambda: getattr(window, "_job", None) is None, timeout=60_000)
    if hasattr(window, "table_loading"):
        wait_table(qtbot, window)
    qtbot.wait(20)


def trigger_all(qtbot, window: QWidget, dialogs: Dialogs, seen: set[str]) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Trigger every action of `window`; returns the top-level windows they opened."""
    before = set(QApplication.topLevelWidgets())
    for action in actions_of(window):
        if not action.isEnabled():
            continue
        seen.add(f"{type(window).__name__}: {action.text() or action.objectName()}")
        action.trigger()
        settle(qtbot, window)
    return [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]


def no_internal_errors(dialogs: Dialogs) -> None:
    bad = [m for m in dialogs.messages if "内部错误" in m or "Traceback" in m]
    assert not bad, bad


@pytest.mark.parametrize("answer", ["cancel", "wrong"])
def test_every_main_window_action(main_window, qtbot, dialogs: Dialogs, tmp_path: Path,
                                  answer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # 打开示例档案 builds the demo in the user data folder: the test's own, not the machine's
    # (a demo left there by an older build would be opened instead)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    if answer == "wrong":
        dialogs.answer = wrong_files(tmp_path)
    wait_table(qtbot, main_window)
    seen: set[str] = set()
    opened = trigger_all(qtbot, main_window, dialogs, seen)
    for window in opened:  # the ledger, the export dialog, the people dialog …
        if not isValid(window):  # closed (and deleted) meanwhile
            continue
        trigger_all(qtbot, window, dialogs, seen)
        if isValid(window):
            window.close()
    no_internal_errors(dialogs)
    assert len(seen) >= 15, sorted(seen)
    windows = {entry.split(":")[0] for entry in seen}
    assert {"MainWindow", "LedgerWindow"} <= windows, windows
    if answer == "wrong":
        assert {"open", "save", "folder"} <= set(dialogs.asked), dialogs.asked
        assert dialogs.messages, "a wrong file must be answered with a message"


@pytest.mark.parametrize("answer", ["cancel", "wrong"])
def test_every_action_of_the_review_package_window(reviewed_window, qtbot, dialogs: Dialogs,
                                                   tmp_path: Path, answer: str) -> None:
    from desktop.core.materials.service import list_materials
    from desktop.core.review import decisions, roster
    from desktop.core.review.package import export_package

    archive = reviewed_window.archive
    clerk = next(p.name for p in roster.people(archive) if any(
        r.startswith("clerk") for r in p.roles))
    waiting = [v for v in list_materials(archive) if v.state == "submitted"]
    if not waiting:
        draft = next(v for v in list_materials(archive) if v.state in ("draft", "returned"))
        decisions.submit(archive, [draft.id], clerk)
    package = tmp_path / "初审包.zicha-review.zip"
    export_package(archive, "first", package, actor=clerk)
    with qtbot.waitSignal(reviewed_window.package_opened, timeout=30_000) as opened:
        reviewed_window.open_review_package(package)
    window = opened.args[0]
    if answer == "wrong":
        dialogs.answer = wrong_files(tmp_path)
    seen: set[str] = set()
    trigger_all(qtbot, window, dialogs, seen)
    if isValid(window):  # its 关闭 action may have closed (and deleted) it already
        window.close()
    no_internal_errors(dialogs)
    assert len(seen) >= 6, sorted(seen)
