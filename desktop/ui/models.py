"""Qt models fed whole rows from core; they never query the database themselves."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from desktop.core.items import Node
from desktop.core.materials import MaterialView

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3

STATE_LABELS = {
    "draft": "草稿",
    "submitted": "待初审",
    "first_approved": "待复审",
    "second_approved": "待终审",
    "final_approved": "已终审",
    "returned": "已退回",
}

_Index = QModelIndex | QPersistentModelIndex


class IndicatorTreeModel(QStandardItemModel):
    """测评项目 → 测评内容, each with its material count."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([self.tr("测评体系")])

    def set_nodes(self, nodes: list[Node]) -> None:
        by_code: dict[str, QStandardItem] = {}
        existing = self._items_by_code()
        if set(existing) == {n.code for n in nodes}:
            for node in nodes:  # same tree: update labels in place, keep expansion/selection
                existing[node.code].setText(self._label(node))
                existing[node.code].setToolTip(node.criterion)
            return
        self.removeRows(0, self.rowCount())
        root = self.invisibleRootItem()
        for node in nodes:
            item = QStandardItem(self._label(node))
            item.setEditable(False)
            item.setData(node.code, CODE_ROLE)
            item.setToolTip(node.criterion)
            item.setDropEnabled(True)
            parent = by_code.get(node.parent_code) if node.parent_code else root
            (parent or root).appendRow(item)
            by_code[node.code] = item

    @staticmethod
    def _label(node: Node) -> str:
        return f"{node.code} {node.name}（{node.material_count}）"

    def _items_by_code(self) -> dict[str, QStandardItem]:
        found: dict[str, QStandardItem] = {}
        stack = [self.item(r) for r in range(self.rowCount())]
        while stack:
            item = stack.pop()
            found[item.data(CODE_ROLE)] = item
            stack.extend(item.child(r) for r in range(item.rowCount()))
        return found

    def index_of(self, code: str) -> QModelIndex:
        item = self._items_by_code().get(code)
        return item.index() if item else QModelIndex()


class MaterialTableModel(QAbstractTableModel):
    COLUMNS = ("编号", "材料名称", "类型", "文号", "日期", "责任单位", "测评内容", "页数", "状态")
    ID, TITLE, TYPE, DOC_NUMBER, DATE, DEPARTMENT, ITEMS, PAGES, STATE = range(9)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MaterialView] = []

    def set_rows(self, rows: list[MaterialView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_view(self, row: int) -> MaterialView:
        return self._rows[row]

    def row_of(self, material_id: int) -> int:
        for n, view in enumerate(self._rows):
            if view.id == material_id:
                return n
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(view, column)
        if role == SORT_ROLE:
            if column == self.ID:
                return view.id
            if column == self.PAGES:
                return view.page_count or 0
            return self._display(view, column)
        if role == ID_ROLE:
            return view.id
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return "\n".join(f.filename for f in view.files)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ID, self.PAGES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, view: MaterialView, column: int) -> str:
        match column:
            case self.ID:
                return str(view.id)
            case self.TITLE:
                return view.title
            case self.TYPE:
                return view.material_type
            case self.DOC_NUMBER:
                return view.doc_number
            case self.DATE:
                return view.material_date or ""
            case self.DEPARTMENT:
                return view.department
            case self.ITEMS:
                return "、".join(view.items)
            case self.PAGES:
                return str(view.page_count) if view.page_count else ""
            case self.STATE:
                return STATE_LABELS.get(view.state, view.state)
        return ""
