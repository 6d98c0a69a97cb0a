"""The viewer: PDF pages and images rendered by PyMuPDF on a worker, text for DOCX/XLSX/TXT."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import render
from desktop.core.materials import FileInfo
from desktop.ui.workers import Job, start

ZOOMS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class PreviewWidget(QWidget):
    rendered = Signal(int)  # page index now shown (tests wait for it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files: list[tuple[Path, FileInfo]] = []
        self._current: tuple[Path, FileInfo] | None = None
        self._page = 0
        self._page_count = 0
        self._zoom: float | None = None  # None: fit width
        self._highlight: tuple[str, ...] = ()
        self._start_page = 0
        self.highlight_count = 0  # boxes drawn on the page shown (tests read it)
        self._request = 0
        self._jobs: list[Job] = []
        self._refit = QTimer(self, singleShot=True, interval=150)
        self._refit.timeout.connect(self._render)

        self.file_box = QComboBox()
        self.file_box.currentIndexChanged.connect(self._file_chosen)
        self.prev_button = self._tool("◀", self.tr("上一页 (PgUp)"), lambda: self.go(-1))
        self.next_button = self._tool("▶", self.tr("下一页 (PgDn)"), lambda: self.go(1))
        self.page_label = QLabel()
        self.zoom_out = self._tool("－", self.tr("缩小"), lambda: self.step_zoom(-1))
        self.zoom_in = self._tool("＋", self.tr("放大"), lambda: self.step_zoom(1))
        self.fit_button = self._tool(self.tr("适合宽度"), self.tr("按窗口宽度显示"), self.fit_width)
        self.zoom_label = QLabel()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.file_box, 1)
        for w in (self.prev_button, self.page_label, self.next_button, self.zoom_out,
                  self.zoom_label, self.zoom_in, self.fit_button):
            bar.addWidget(w)

        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image_label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setStyleSheet("QScrollArea { background: #6b6f75; }")
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.message = QLabel(self.tr("选择一份材料，在这里查看它的文件"))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #666; padding: 24px;")
        self.stack = QStackedWidget()
        for w in (self.message, self.scroll, self.text_view):
            self.stack.addWidget(w)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.go(-1))
        self._update_controls()

    def _tool(self, text: str, tip: str, slot) -> QToolButton:  # type: ignore[no-untyped-def]
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- public --------------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self._page

    @property
    def page_count(self) -> int:
        return self._page_count

    def clear(self, message: str = "") -> None:
        self._files = []
        self._current = None
        self._request += 1
        self.file_box.blockSignals(True)
        self.file_box.clear()
        self.file_box.blockSignals(False)
        self.message.setText(message or self.tr("选择一份材料，在这里查看它的文件"))
        self.stack.setCurrentWidget(self.message)
        self._page_count = 0
        self._update_controls()

    def show_files(self, files: list[tuple[Path, FileInfo]], *, file_index: int = 0,
                   page: int = 0, highlight: tuple[str, ...] = ()) -> None:
        """Show the material's files, opening `file_index` at `page` (0-based) with the
        `highlight` terms marked on the page."""
        self.clear()
        if not files:
            return
        self._files = files
        self._highlight = highlight
        self._start_page = page
        file_index = max(0, min(file_index, len(files) - 1))
        self.file_box.blockSignals(True)
        for _, info in files:
            self.file_box.addItem(info.filename)
        self.file_box.setCurrentIndex(file_index)
        self.file_box.blockSignals(False)
        self._file_chosen(file_index)

    def go(self, delta: int) -> None:
        if self._current and 0 <= self._page + delta < self._page_count:
            self._page += delta
            self._render()

    def step_zoom(self, direction: int) -> None:
        if not self._current:
            return
        current = self._zoom or 1.0
        if direction > 0:
            bigger = [z for z in ZOOMS if z > current + 1e-6]
            self._zoom = bigger[0] if bigger else ZOOMS[-1]
        else:
            smaller = [z for z in ZOOMS if z < current - 1e-6]
            self._zoom = smaller[-1] if smaller else ZOOMS[0]
        self._render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._zoom is None and self._current and self._current[1].kind in render.RENDERABLE:
            self._refit.start()  # keep "fit width" true as the pane changes size

    def fit_width(self) -> None:
        self._zoom = None
        self._render()

    # -- internals -----------------------------------------------------------------------------

    def _file_chosen(self, index: int) -> None:
        if not (0 <= index < len(self._files)):
            return
        self._current = self._files[index]
        path, info = self._current
        self._page, self._zoom = self._start_page, None
        self._start_page = 0  # only the first file shown opens at the hit's page
        if info.kind in render.RENDERABLE:
            self._page_count = info.page_count or 1
            self.message.setText(self.tr("正在显示…"))
            self.stack.setCurrentWidget(self.message)
            self._render()
        else:
            self._page_count = 0
            self._show_text(path, info.kind)
        self._update_controls()

    def _show_text(self, path: Path, kind: str) -> None:
        self._request += 1
        request = self._request

        def work(_job: Job) -> str:
            return render.text_preview(path, kind)

        job = Job(work)
        job.signals.finished.connect(lambda text: self._text_ready(request, text))
        job.signals.failed.connect(lambda msg: self._failed(request, msg))
        self._keep(start(job))

    def _text_ready(self, request: int, text: str) -> None:
        if request != self._request:
            return
        self.text_view.setPlainText(text or self.tr("（这个文件没有可显示的文字）"))
        self._mark_text()
        self.stack.setCurrentWidget(self.text_view)
        self.rendered.emit(0)

    def _mark_text(self) -> None:
        """Mark the search terms in a DOCX/XLSX/TXT view and scroll to the first one."""
        marks: list[QTextEdit.ExtraSelection] = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 214, 0, 160))
        document = self.text_view.document()
        for term in self._highlight:
            cursor = document.find(term)
            while not cursor.isNull():
                mark = QTextEdit.ExtraSelection()
                mark.cursor, mark.format = cursor, fmt
                marks.append(mark)
                cursor = document.find(term, cursor)
        self.text_view.setExtraSelections(marks)
        self.highlight_count = len(marks)
        if marks:
            first = min(marks, key=lambda m: m.cursor.position())
            cursor = QTextCursor(first.cursor)
            cursor.clearSelection()
            self.text_view.setTextCursor(cursor)
            self.text_view.centerCursor()

    def _render(self) -> None:
        if not self._current:
            return
        path, info = self._current
        self._request += 1
        request, page, zoom = self._request, self._page, self._zoom
        width, terms = self._fit_target(), self._highlight

        def work(_job: Job) -> tuple[QImage, int, int, float, int]:
            use = zoom
            if use is None:
                page_width, _ = render.page_size(path, info.kind, page)
                use = max(0.1, min(4.0, width / max(page_width, 1.0)))
            img = render.render_page(path, info.kind, page, use, terms)
            qimage = QImage(img.samples, img.width, img.height, img.stride,
                            QImage.Format.Format_RGB888).copy()
            if img.highlights:
                painter = QPainter(qimage)
                painter.setPen(QColor(230, 120, 0))
                painter.setBrush(QColor(255, 214, 0, 110))
                for x0, y0, x1, y1 in img.highlights:
                    painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
                painter.end()
            return qimage, img.page_index, img.page_count, use, len(img.highlights)

        job = Job(work)
        job.signals.finished.connect(lambda result: self._image_ready(request, result))
        job.signals.failed.connect(lambda msg: self._failed(request, msg))
        self._keep(start(job))

    def _fit_target(self) -> int:
        # the stack, not the scroll area: a hidden page of a QStackedWidget keeps a stale size
        return max(100, self.stack.width() - 28)

    def _image_ready(self, request: int, result: tuple[QImage, int, int, float, int]) -> None:
        if request != self._request:
            return
        qimage, page, count, zoom, self.highlight_count = result
        if self._zoom is None and abs(qimage.width() - self._fit_target()) > 16:
            self._refit.start()  # the pane was resized while rendering: fit again
        self._page, self._page_count = page, count
        self.image_label.setPixmap(QPixmap.fromImage(qimage))
        self.stack.setCurrentWidget(self.scroll)
        self.zoom_label.setText(f"{round(zoom * 100)}%")
        self._update_controls()
        self.rendered.emit(page)

    def _failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self.message.setText(self.tr("无法显示这个文件：") + message)
        self.stack.setCurrentWidget(self.message)

    def _keep(self, job: Job) -> None:
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]

    def _update_controls(self) -> None:
        pages = self._current is not None and self._current[1].kind in render.RENDERABLE
        for w in (self.prev_button, self.next_button, self.zoom_in, self.zoom_out,
                  self.fit_button, self.page_label, self.zoom_label):
            w.setVisible(pages)
        self.file_box.setVisible(len(self._files) > 1 or bool(self._files))
        self.file_box.setEnabled(len(self._files) > 1)
        if pages:
            self.page_label.setText(f"{self._page + 1} / {self._page_count}")
            self.prev_button.setEnabled(self._page > 0)
            self.next_button.setEnabled(self._page + 1 < self._page_count)
