"""Qt models fed rows from core; they never query the database themselves (the material
table calls a core page source on a worker)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from desktop.core.archive.items import Node
from desktop.core.archive.systems import SystemView
from desktop.core.ledger import views
from desktop.core.materials import listing
from desktop.core.materials.service import missing_fields
from desktop.core.review import workflow
from desktop.ui.thumbnails import first_photo
from desktop.ui.workers import Job, start, while_alive

if TYPE_CHECKING:
    from desktop.ui.thumbnails import ThumbnailCache

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 3
TASK_STATUS_ROLE = Qt.ItemDataRole.UserRole + 4
SYSTEM_ROLE = Qt.ItemDataRole.UserRole + 5  # a 测评体系 row's system id

# The labels are the core's, one table per state machine (workflow.STATE_LABELS for review
# states, views.STATUS_LABELS for the 台账's task statuses), translated where shown. lupdate
# reads only desktop/ui, so the same Chinese texts are marked for it here;
# tests/gui/test_state_labels.py checks that they are exactly the core's.
STATE_TEXTS = (
    QT_TRANSLATE_NOOP("State", "草稿"),
    QT_TRANSLATE_NOOP("State", "待初审"),
    QT_TRANSLATE_NOOP("State", "待复审"),
    QT_TRANSLATE_NOOP("State", "待终审"),
    QT_TRANSLATE_NOOP("State", "已终审"),
    QT_TRANSLATE_NOOP("State", "已退回"),
)
TASK_STATUS_TEXTS = (
    QT_TRANSLATE_NOOP("TaskStatus", "已完成"),
    QT_TRANSLATE_NOOP("TaskStatus", "白"),
    QT_TRANSLATE_NOOP("TaskStatus", "黄"),
    QT_TRANSLATE_NOOP("TaskStatus", "红"),
    QT_TRANSLATE_NOOP("TaskStatus", "已销号"),
)
STATE_LABELS = {str(state): label for state, label in workflow.STATE_LABELS.items()}
TASK_STATUS_LABELS = dict(views.STATUS_LABELS)


def task_status_label(status: str) -> str:
    return QCoreApplication.translate("TaskStatus", TASK_STATUS_LABELS[status]) \
        if status in TASK_STATUS_LABELS else status


STATE_COLOURS = {
    "draft": "#757575", "submitted": "#1565c0", "first_approved": "#6a1b9a",
    "second_approved": "#ef6c00", "final_approved": "#2e7d32", "returned": "#c62828",
}


def state_label(state: str) -> str:
    return QCoreApplication.translate("State", STATE_LABELS[state]) if state in STATE_LABELS \
        else state

_Index = QModelIndex | QPersistentModelIndex


SYSTEM_KEY = "system:"  # the CODE_ROLE of a 测评体系 row: "system:<id>", never a node code


def system_key(system_id: str) -> str:
    return SYSTEM_KEY + system_id


def system_of_key(key: str | None) -> str | None:
    """The system id of a 测评体系 row's key, None for a node code or 全部材料."""
    return key[len(SYSTEM_KEY):] if key and key.startswith(SYSTEM_KEY) else None


class IndicatorTreeModel(QStandardItemModel):
    """测评项目 → 测评内容 in column 0, the count of materials filed there in column 1. When the
    archive has more than one 测评体系, each is a top-level row above its 测评项目."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([self.tr("测评体系"), self.tr("材料")])
        self._categories = 0

    ALL = ""  # the code of the 全部材料 row above the 测评项目

    def set_nodes(self, nodes: list[Node], total: int = 0,
                  systems: Sequence[SystemView] = ()) -> bool:
        """Show these nodes (and, when there are several, the systems above them); returns
        whether the tree was rebuilt (a node or a system added or removed) rather than
        updated in place."""
        grouped = len(systems) > 1
        shown = {s.id for s in systems} if grouped else set()
        keys = {self.ALL} | {n.code for n in nodes} | {system_key(i) for i in shown}
        self._categories = sum(1 for n in nodes if n.parent_code is None)
        existing = self._items_by_code()
        if set(existing) == keys:
            for node in nodes:  # same tree: update in place, keep expansion and selection
                self._fill(existing[node.code], node)
            for system in systems if grouped else ():
                self._fill_system(existing[system_key(system.id)], system)
            self._fill_all(total)
            return False
        self.removeRows(0, self.rowCount())
        by_code: dict[str, QStandardItem] = {}
        root = self.invisibleRootItem()
        every, count = self._row(root, self.ALL, bold=True)
        self._fill_all(total)
        for system in systems if grouped else ():
            item, _count = self._row(root, system_key(system.id), bold=True)
            by_code[system_key(system.id)] = item
            self._fill_system(item, system)
        for node in nodes:
            parent = by_code.get(node.parent_code or "") or (
                by_code.get(system_key(node.system_id), root) if grouped else root)
            item, _count = self._row(parent, node.code)
            by_code[node.code] = item
            self._fill(item, node)
        return True

    @staticmethod
    def _row(parent: QStandardItem, key: str, *, bold: bool = False
             ) -> tuple[QStandardItem, QStandardItem]:
        item, count = QStandardItem(), QStandardItem()
        for cell in (item, count):
            cell.setEditable(False)
            cell.setData(key, CODE_ROLE)
        if bold:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        parent.appendRow([item, count])
        return item, count

    def _fill_all(self, total: int) -> None:
        every = self.item(0, 0)
        if every is None or every.data(CODE_ROLE) != self.ALL:
            return
        every.setText(self.tr("全部材料"))
        every.setToolTip(self.tr("档案中的全部材料（{n} 份）").format(n=total))
        self.item(0, 1).setText(str(total))

    def system_text(self, system: SystemView) -> str:
        """How a 测评体系 row reads: its label, and its weight when it has one."""
        return system.label + (self.tr(" · 权重 {weight}").format(weight=system.weight_text)
                               if system.weight is not None else "")

    def _fill_system(self, item: QStandardItem, system: SystemView) -> None:
        item.setText(self.system_text(system))
        tip = "\n".join(filter(None, (
            system.label,
            self.tr("编号前缀 {prefix}").format(prefix=system.prefix) if system.prefix
            else self.tr("主测评体系（编号不带前缀）"),
            self.tr("权重 {weight}").format(weight=system.weight_text)
            if system.weight is not None else "",
            self.tr("测评项目 {categories} 个，测评内容 {items} 项，材料 {materials} 份").format(
                categories=system.categories, items=system.items,
                materials=system.materials))))
        item.setToolTip(tip)
        item.setData(system.id, SYSTEM_ROLE)
        count = self.invisibleRootItem().child(item.row(), 1)
        if count is not None:
            count.setText(str(system.materials))
            count.setToolTip(tip)

    def _fill(self, item: QStandardItem, node: Node) -> None:
        item.setText(f"{node.code} {node.name}")
        tip = f"{node.code} {node.name}" + (f"\n{node.criterion}" if node.criterion else "")
        item.setToolTip(tip)
        parent = item.parent() or self.invisibleRootItem()
        count = parent.child(item.row(), 1)
        if count is not None:
            count.setText(str(node.material_count))
            count.setToolTip(tip)
            # an item with nothing filed yet stands out: that is what a clerk must chase
            count.setForeground(QBrush(QColor("#c62828")) if node.material_count == 0
                                else QBrush())

    TASK_BACKGROUNDS = {"red": "#ffcdd2", "yellow": "#fff3c4", "done": "#dcedc8",
                        "closed": "#dcedc8"}

    def set_task_status(self, worst: dict[str, str], summary: dict[str, str]) -> None:
        """Colour each item (and system) by the worst status of its tasks (红 before 黄 before
        白/done) and add its task completion to its tooltip; `worst` and `summary` are keyed by
        node code, and by system_key(id) for a system's row."""
        for code, item in self._items_by_code().items():
            colour = self.TASK_BACKGROUNDS.get(worst.get(code, ""))
            item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
            item.setData(worst.get(code), TASK_STATUS_ROLE)
            base = item.toolTip().split("\n任务", 1)[0]
            item.setToolTip(base + (f"\n{summary[code]}" if code in summary else ""))

    def _items_by_code(self) -> dict[str, QStandardItem]:
        found: dict[str, QStandardItem] = {}
        stack = [self.item(r) for r in range(self.rowCount())]
        while stack:
            item = stack.pop()
            found[item.data(CODE_ROLE)] = item
            stack.extend(item.child(r) for r in range(item.rowCount()))
        return found

    def category_count(self) -> int:
        """The 测评项目 shown (of every system)."""
        return self._categories if self.rowCount() else 0

    def system_keys(self) -> list[str]:
        """The keys of the 测评体系 rows, in tree order (none with one system)."""
        return [key for r in range(self.rowCount())
                if (key := self.item(r).data(CODE_ROLE)) and system_of_key(key)]

    def index_of(self, code: str) -> QModelIndex:
        """The row of a node code, of 全部材料 (""), or of a system (system_key(id))."""
        item = self._items_by_code().get(code)
        return item.index() if item else QModelIndex()

    def index_of_system(self, system_id: str) -> QModelIndex:
        return self.index_of(system_key(system_id))

    def count_of(self, code: str) -> int:
        index = self.index_of(code)
        return int(index.siblingAtColumn(1).data()) if index.isValid() else 0


MISSING = {  # desktop.core.materials.service.INCOMPLETE_FIELDS, for translation
    "title": QT_TRANSLATE_NOOP("MaterialTableModel", "材料名称"),
    "material_date": QT_TRANSLATE_NOOP("MaterialTableModel", "日期"),
    "material_type": QT_TRANSLATE_NOOP("MaterialTableModel", "材料类型"),
    "department": QT_TRANSLATE_NOOP("MaterialTableModel", "责任单位"),
}


class TableRow(Protocol):
    """What a line of the material table reads: listing.Row, or a whole MaterialView."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def material_type(self) -> str: ...
    @property
    def doc_number(self) -> str: ...
    @property
    def material_date(self) -> str | None: ...
    @property
    def department(self) -> str: ...
    @property
    def items(self) -> Sequence[str]: ...
    @property
    def page_count(self) -> int | None: ...
    @property
    def files(self) -> Sequence[Any]: ...
    @property
    def archival_number(self) -> str | None: ...


# what the window hands the table: a function reading one page of its listing (run on a
# worker): (sort column name, descending, offset, limit, material id to locate) -> Page
PageSource = Callable[[str, bool, int, int, "int | None"], listing.Page]


class MaterialTableModel(QAbstractTableModel):
    """The material table. Fed a page source it holds one window of rows (listing.PAGE, around
    the rows the view asks for) and reads the next window on a worker when the view scrolls
    past it: sorting, filtering and counting are the database's. Fed whole rows (set_rows) it
    shows just those."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("MaterialTableModel", "编号"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "材料名称"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "状态"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "类型"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "文号"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "日期"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "责任单位"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "测评内容"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "页数"),
        QT_TRANSLATE_NOOP("MaterialTableModel", "档号"),
    )
    ID, TITLE, STATE, TYPE, DOC_NUMBER, DATE, DEPARTMENT, ITEMS, PAGES, ARCHIVAL = range(10)
    SORT_NAMES = ("id", "title", "state", "type", "doc_number", "date", "department", "items",
                  "pages", "archival")

    loaded = Signal(object)  # a new listing is shown: the row of the material located, or None
    load_failed = Signal(str)
    window_moved = Signal()  # another window of the same listing was read

    def __init__(self, parent: Any = None, page_size: int = listing.PAGE) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self._rows: list[TableRow] = []  # the window: rows _start .. _start + len(_rows)
        self._start = 0
        self._total = 0
        self._source: PageSource | None = None
        self._generation = 0  # only the newest read is shown
        self._reading: Job | None = None  # the window being read
        self._wanted: int | None = None  # a row the view asked for outside the window
        self._jobs: list[Job] = []
        self._sort_by = (self.ID, Qt.SortOrder.AscendingOrder)
        self._thumbnails: ThumbnailCache | None = None
        self._path_for: Callable[[str], Path] | None = None
        self._thumbnail_rows: dict[str, set[tuple[int, int]]] = {}  # sha256 -> (id, row) waiting

    # -- what is listed ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[TableRow]) -> None:
        """Show exactly these rows (no page source)."""
        self._generation += 1
        self._source = None
        self._reading = None
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self._start, self._total = 0, len(self._rows)
        self.endResetModel()

    def set_source(self, source: PageSource | None, locate: int | None = None) -> None:
        """List what `source` reads, from its first page (or the page around the material
        `locate`); the rows shown stay until the first page has arrived (then `loaded`)."""
        self._source = source
        if source is None:
            self.set_rows([])
            return
        self._read(-1 if locate is not None else 0, locate, reset=True)

    @property
    def loading(self) -> bool:
        """A new listing, or the window the view asks for, is still being read."""
        return self._reading is not None

    def wait(self, timeout_s: float = 10.0) -> None:
        for job in self._jobs:
            job.done.wait(timeout_s)
        self._jobs = []

    def sort_key(self) -> tuple[str, bool]:
        column, order = self._sort_by
        return self.SORT_NAMES[column], order == Qt.SortOrder.DescendingOrder

    def _read(self, offset: int, locate: int | None, *, reset: bool) -> None:
        source = self._source
        assert source is not None
        self._generation += 1
        generation = self._generation
        sort, descending = self.sort_key()
        size = self.page_size

        def work(_job: Job) -> listing.Page:
            return source(sort, descending, offset, size, locate)

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda page: self._arrived(generation, page, reset)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._failed(generation, message)))
        self._reading = job
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job, lane="material-table")  # never behind the ledger or a search

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._reading = None
            self.load_failed.emit(message)

    def _arrived(self, generation: int, page: listing.Page, reset: bool) -> None:
        if generation != self._generation:
            return  # a newer read has taken over
        self._reading = None
        if reset or page.total != self._total:
            self.beginResetModel()
            self._rows, self._start, self._total = list(page.rows), page.offset, page.total
            self._thumbnail_rows.clear()
            self.endResetModel()
            if reset:
                self.loaded.emit(page.position)
        else:
            self._rows, self._start = list(page.rows), page.offset
            if self._rows:
                self.dataChanged.emit(self.index(self._start, 0), self.index(
                    self._start + len(self._rows) - 1, self.columnCount() - 1))
            self.window_moved.emit()
        wanted, self._wanted = self._wanted, None
        if wanted is not None and self._row(wanted) is None:
            self._want(wanted)

    def _want(self, row: int) -> None:
        """The view asked for a row outside the window: read the window around it (one read
        at a time; the newest row asked for is read next)."""
        if self._source is None:
            return
        if self._reading is not None:
            self._wanted = row
            return
        self._read(max(0, row - self.page_size // 2), None, reset=False)

    def _row(self, row: int) -> TableRow | None:
        n = row - self._start
        return self._rows[n] if 0 <= n < len(self._rows) else None

    def _sorted(self, rows: list[TableRow]) -> list[TableRow]:
        column, order = self._sort_by
        key: Any
        if column == self.ID:
            key = lambda view: view.id  # noqa: E731
        elif column == self.PAGES:
            key = lambda view: view.page_count or 0  # noqa: E731
        else:
            key = lambda view: self._display(view, column)  # noqa: E731
        return sorted(rows, key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By the database when fed a page source (the current row's material is located in
        the new order); else one Python sort of the rows given."""
        if self._sort_by == (column, order) and self._source is not None:
            return
        self._sort_by = (column, order)
        if self._source is not None:
            self.sorting.emit()
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[index.row()].id for index in persistent]
        self._rows = self._sorted(self._rows)
        row_of = {view.id: n for n, view in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent, [self.index(row_of[i], index.column()) for i, index in zip(
                ids, persistent, strict=True)])
        self.layoutChanged.emit()

    sorting = Signal()  # a new order was asked for: the window reloads, locating its material

    def update_rows(self, views: Sequence[TableRow]) -> None:
        """Replace the rows of these materials in place (an edit elsewhere); rows not in the
        window are ignored."""
        fresh = {v.id: v for v in views}
        for n, view in enumerate(self._rows):
            if view.id in fresh:
                self._rows[n] = fresh[view.id]
                row = self._start + n
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def held_rows(self) -> int:
        """How many rows the model holds in Python (the window)."""
        return len(self._rows)

    # -- thumbnails ------------------------------------------------------------------------------

    def set_thumbnails(self, cache: ThumbnailCache | None,
                       path_for: Callable[[str], Path] | None) -> None:
        """Show a small picture of each material's first photo in the title column, made by
        `cache` (lazily, for the rows painted) from the file at `path_for(sha256)`."""
        if self._thumbnails is not None:
            self._thumbnails.ready.disconnect(self._thumbnail_ready)
        self._thumbnails, self._path_for = cache, path_for
        self._thumbnail_rows.clear()
        if cache is not None:
            cache.ready.connect(self._thumbnail_ready)
        if self._rows:
            self.dataChanged.emit(self.index(self._start, self.TITLE),
                                  self.index(self._start + len(self._rows) - 1, self.TITLE),
                                  [Qt.ItemDataRole.DecorationRole])

    def _thumbnail(self, view: TableRow, row: int) -> Any:
        if self._thumbnails is None or self._path_for is None:
            return None
        photo = first_photo(view.files)
        if photo is None:
            return None
        icon = self._thumbnails.icon(photo.sha256, self._path_for(photo.sha256), photo.kind)
        if icon is not None:
            return icon
        if not self._thumbnails.is_pending(photo.sha256):
            return None  # a picture that cannot be read
        self._thumbnail_rows.setdefault(photo.sha256, set()).add((view.id, row))
        return self._thumbnails.placeholder()

    def _thumbnail_ready(self, sha256: str) -> None:
        for material_id, row in self._thumbnail_rows.pop(sha256, ()):
            shown = self._row(row)
            if shown is None or shown.id != material_id:
                row = self.row_of(material_id)  # the rows were sorted or replaced since
            if row >= 0:
                index = self.index(row, self.TITLE)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # -- rows ------------------------------------------------------------------------------------

    def row_view(self, row: int) -> TableRow | None:
        """The row's material, None while it is not read (outside the window)."""
        return self._row(row)

    def row_of(self, material_id: int) -> int:
        """The row of a material in the window, -1 when it is not there."""
        for n, view in enumerate(self._rows):
            if view.id == material_id:
                return self._start + n
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("MaterialTableModel", self.COLUMNS[section])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._row(index.row())
        if view is None:  # not read yet: asked for, shown when it arrives
            if role == Qt.ItemDataRole.DisplayRole:
                self._want(index.row())
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(view, column)
        if role == ID_ROLE:
            return view.id
        if role == Qt.ItemDataRole.DecorationRole and column == self.TITLE:
            return self._thumbnail(view, index.row())
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            files = "\n".join(f.filename for f in view.files)
            missing = missing_fields(view.title, bool(view.material_date), view.material_type,
                                     bool(view.department), [f.filename for f in view.files])
            if not missing:
                return files
            names = "、".join(QCoreApplication.translate("MaterialTableModel", MISSING[k])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object
                             for k in missing)
            return files + "\n" + QCoreApplication.translate(
                "MaterialTableModel", "待完善：缺{fields}").format(fields=names)
        if column == self.STATE:  # a coloured badge per review stage
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(STATE_COLOURS.get(view.state, "#757575")))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("white"))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ID, self.PAGES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, view: TableRow, column: int) -> str:
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
                return state_label(view.state)
            case self.ARCHIVAL:
                return view.archival_number or ""
        return ""


class MaterialFilterProxy(QIdentityProxyModel):
    """The table's view of the material model, row for row (filtering is the database's, see
    listing.Scope.text); sorting is left to the source model's own sort."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)
