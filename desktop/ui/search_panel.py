"""Search as you type: results with highlighted snippets, filters, run off the GUI thread."""

from __future__ import annotations

import datetime as dt
import html
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import search
from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import MATERIAL_TYPES
from desktop.core.common.errors import ZichaError
from desktop.core.materials import marks
from desktop.ui.models import STATE_LABELS, state_label
from desktop.ui.workers import Job, start, while_alive

HIT_ROLE = Qt.ItemDataRole.UserRole + 10
MARK = "background-color:#ffd54f; color:#000;"
DEBOUNCE_MS = 250


def hit_text(hit: search.Hit) -> str:
    """The text the hit found (its first highlight), or ""."""
    if not hit.highlights:
        return ""
    start_, end = hit.highlights[0]
    return hit.snippet[start_:end]


def hit_html(hit: search.Hit, marked: marks.Mark | None = None) -> str:
    parts, last = [], 0
    for start_, end in hit.highlights:
        parts.append(html.escape(hit.snippet[last:start_]))
        parts.append(f'<span style="{MARK}">{html.escape(hit.snippet[start_:end])}</span>')
        last = end
    parts.append(html.escape(hit.snippet[last:]))
    where = f" · {html.escape(hit.file or '')} 第 {hit.page} 页" if hit.page else ""
    passage = ""
    if marked is not None:  # the hit is inside a passage marked with a red line
        text = marked.text.replace("\n", "")
        text = text[:40] + ("…" if len(text) > 40 else "")
        label = QCoreApplication.translate("SearchPanel", "红线标注（第 {n} 页）：").format(
            n=marked.page)
        passage = (f'<br><span style="color:#c00000;">{html.escape(label)}'
                   f"<u>{html.escape(text)}</u></span>")
    return (f"<b>{html.escape(hit.title)}</b>"
            f'<span style="color:#777;"> &nbsp;#{hit.id}{where}</span><br>{"".join(parts)}'
            f"{passage}")


class SearchResultModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[search.Hit] = []
        self.marked: dict[int, marks.Mark] = {}  # row -> the marked passage the hit is in

    def set_hits(self, hits: list[search.Hit],
                 marked: dict[int, marks.Mark] | None = None) -> None:
        self.beginResetModel()
        self.hits = hits
        self.marked = marked or {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit_html(hit, self.marked.get(index.row()))
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.title
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Paints the rich text a model gives for DisplayRole. A row's size is laid out once per
    text, font and width (the view asks for every row's size on each layout, and laying out
    rich text is what the GUI thread spends a search's results on)."""

    SIZES_KEPT = 1000

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sizes: OrderedDict[tuple[str, str, int], QSize] = OrderedDict()

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data())
        doc.setTextWidth(max(100, option.rect.width() - 8))
        return doc

    def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 3)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text,
                                     option.palette.color(QPalette.ColorRole.HighlightedText))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # type: ignore[no-untyped-def]
        self.initStyleOption(option, index)
        key = (str(index.data()), option.font.key(), option.rect.width())
        size = self._sizes.get(key)
        if size is None:
            doc = self._document(option, index)
            size = self._sizes[key] = QSize(int(doc.idealWidth()),
                                            int(doc.size().height()) + 6)
            if len(self._sizes) > self.SIZES_KEPT:
                self._sizes.popitem(last=False)
        return QSize(size)


class SearchPanel(QWidget):
    hit_activated = Signal(object)  # search.Hit
    searched = Signal(int)  # total matches of the query just shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._query = ""
        self._scope_code: str | None = None
        self._request = 0
        self._jobs: list[Job] = []
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)

        self.scope = QComboBox()
        self.department = QComboBox()
        self.material_type = QComboBox()
        self.stage = QComboBox()
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        hints = (self.tr("起始日期"), self.tr("截止日期"))
        for edit, hint in zip((self.date_from, self.date_to), hints, strict=True):
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(96)
            edit.editingFinished.connect(self.schedule)
        self.material_type.addItem(self.tr("全部类型"), None)
        for t in MATERIAL_TYPES:
            self.material_type.addItem(t, t)
        self.stage.addItem(self.tr("全部状态"), None)
        for key in STATE_LABELS:
            self.stage.addItem(state_label(key), key)
        for box in (self.scope, self.department, self.material_type, self.stage):
            box.currentIndexChanged.connect(self.schedule)
        filters = QHBoxLayout()
        for w in (self.scope, self.department, self.material_type, self.stage, self.date_from,
                  QLabel("–"), self.date_to):
            filters.addWidget(w)
        filters.addStretch(1)

        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")
        self.model = SearchResultModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(HtmlDelegate(self.view))
        self.view.setAlternatingRowColors(True)
        self.view.setUniformItemSizes(False)
        # the rows' sizes a few at a time, the event loop running between (rich text)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(10)
        self.view.setWordWrap(True)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self._fill_scope()

    # -- setup ---------------------------------------------------------------------------------

    def set_archive(self, archive: Archive | None, names: Sequence[str] = ()) -> None:
        """Search `archive`, its 责任单位 `names` offered as a filter (read by the window on a
        worker)."""
        self._archive = archive
        self.set_departments(names if archive is not None else ())
        self.model.set_hits([])
        self.status.clear()

    def set_departments(self, names: Sequence[str]) -> None:
        """The 责任单位 the filter offers; the one chosen stays chosen while it is there."""
        chosen = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem(self.tr("全部责任单位"), None)
        for name in names:
            self.department.addItem(name, name)
        self.department.setCurrentIndex(max(0, self.department.findData(chosen))
                                        if chosen else 0)
        self.department.blockSignals(False)

    def set_scope_code(self, code: str | None, label: str = "") -> None:
        self._scope_code = code
        self._scope_label = label
        self._fill_scope()

    def _fill_scope(self) -> None:
        previous = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(self.tr("整个档案"), None)
        if self._scope_code:
            self.scope.addItem(self.tr("仅 {label}").format(label=self._scope_label),
                               self._scope_code)
            if previous:
                self.scope.setCurrentIndex(1)
        self.scope.blockSignals(False)

    # -- searching -----------------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    def set_query(self, text: str) -> None:
        self._query = text
        self.schedule()

    def schedule(self) -> None:
        self._timer.start()

    def filters(self) -> search.Filters:
        def date(edit: QLineEdit, name: str) -> dt.date | None:
            value = edit.text().strip()
            if not value:
                return None
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ZichaError(self.tr("{name} {value} 不是日期，请写成 2024-06-30").format(
                    name=name, value=value)) from None

        scope = self.scope.currentData()
        return search.Filters(
            codes=(scope,) if scope else (), department=self.department.currentData(),
            material_type=self.material_type.currentData(), state=self.stage.currentData(),
            date_from=date(self.date_from, self.tr("起始日期")),
            date_to=date(self.date_to, self.tr("截止日期")))

    def run_now(self) -> None:
        self._timer.stop()
        self._request += 1
        request, archive, text = self._request, self._archive, self._query.strip()
        if archive is None or not text:
            self.model.set_hits([])
            self.status.clear()
            return
        try:
            filters = self.filters()
        except ZichaError as exc:
            self._failed(request, str(exc))
            return

        def work(_job: Job) -> tuple[search.SearchResult, dict[int, marks.Mark]]:
            result = search.search(archive, text, filters, limit=100)
            return result, marks.marked_hits(
                archive, [(h.id, h.page, hit_text(h)) for h in result.hits])

        job = Job(work)
        job.signals.finished.connect(while_alive(self, lambda result: self._shown(request, result)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._failed(request, message)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _shown(self, request: int,
               found: tuple[search.SearchResult, dict[int, marks.Mark]]) -> None:
        if request != self._request:
            return  # a newer query is on its way
        result, marked = found
        self.model.set_hits(result.hits, marked)
        more = self.tr("，显示前 {n} 条").format(n=len(result.hits)) \
            if result.total > len(result.hits) else ""
        self.status.setStyleSheet("color: #555;")
        self.status.setText(self.tr("共 {total} 份材料{more}（{ms} 毫秒）").format(
            total=result.total, more=more, ms=round(result.elapsed_ms)))
        self.searched.emit(result.total)

    def _failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self.model.set_hits([])
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(message)
        self.searched.emit(-1)

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.hit_activated.emit(hit)

    def terms(self) -> tuple[str, ...]:
        try:
            return tuple(search.parse(self._query).positive_terms)
        except ZichaError:
            return ()
