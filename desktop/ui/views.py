"""Views that accept files dropped from the desktop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableView,
    QTreeView,
    QWidget,
)

from desktop.ui.models import CODE_ROLE


def dropped_paths(event: QDropEvent) -> list[Path]:
    return [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]


class IndicatorTreeView(QTreeView):
    """Dropping files or folders on a node imports them under that node."""

    files_dropped = Signal(str, list)  # node code, [Path]

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)

    def setModel(self, model) -> None:  # type: ignore[no-untyped-def]
        super().setModel(model)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def _code_at(self, event: QDropEvent | QDragMoveEvent) -> str | None:
        index: QModelIndex = self.indexAt(event.position().toPoint())
        return index.data(CODE_ROLE) if index.isValid() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self._code_at(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        code = self._code_at(event)
        paths = dropped_paths(event)
        if code and paths:
            event.acceptProposedAction()
            self.files_dropped.emit(code, paths)
        else:
            event.ignore()


class MaterialTableView(QTableView):
    """Dropping files on the table imports them under the node shown."""

    files_dropped = Signal(list)  # [Path]

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


class RosterBox(QComboBox):
    """The current-person box; re-reads the roster each time it opens, so people added
    meanwhile (e.g. with `zicha user add`) appear without reopening the archive."""

    def __init__(self, refill: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refill = refill

    def showPopup(self) -> None:
        self._refill()
        super().showPopup()
