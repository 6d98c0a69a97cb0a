"""The 台账 window: a dashboard (completion per 测评项目, 白/黄/红 counts, completion by
department, the overdue list), the task table with filters and 销号, and the problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core import tasks
from desktop.core.archive import Archive
from desktop.core.errors import ZichaError
from desktop.core.ledger_docs import (
    PROBLEM_STATES,
    ROLE_LABELS,
    department_chart_png,
    write_ledger_xlsx,
    write_weekly_report_docx,
)
from desktop.core.taskviews import (
    CLOSED,
    DONE,
    RED,
    STATUS_COLOURS,
    STATUS_LABELS,
    WHITE,
    YELLOW,
    Ledger,
    TaskView,
)
from desktop.ui.task_import import TaskImportDialog
from desktop.ui.workers import Job, start


def fit_columns(table: QTableWidget, *, stretch: int) -> None:
    """Every column as wide as its contents, except `stretch`, which takes the rest."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def status_brush(status: str) -> QBrush:
    return QBrush(QColor(STATUS_COLOURS[status]))


def status_ink(status: str) -> QBrush:
    return QBrush(QColor("#212121" if status in (WHITE, YELLOW) else "white"))


class LedgerWindow(QMainWindow):
    loaded = Signal(object)  # the Ledger shown
    changed = Signal()  # tasks were imported or closed

    def __init__(self, archive: Archive, person: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("任务台账"))
        self.archive, self.person = archive, person
        self.ledger: Ledger | None = None
        self.today: dt.date | None = None  # None: today
        self._jobs: list[Job] = []
        self._generation = 0

        toolbar = QToolBar()
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.import_action = toolbar.addAction(self.tr("导入任务清单…"), self.choose_task_list)
        self.export_action = toolbar.addAction(self.tr("导出台账 XLSX…"), self.export_ledger)
        self.report_action = toolbar.addAction(self.tr("生成周报 DOCX…"), self.export_report)
        toolbar.addAction(self.tr("刷新"), self.reload)

        self.tabs = QTabWidget()
        self.dashboard = QWidget()
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.category_grid = QGridLayout()
        self.chart = QLabel()
        self.chart.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.overdue = QTableWidget(0, 4)
        self.overdue.setHorizontalHeaderLabels([self.tr("测评内容"), self.tr("责任单位"),
                                                self.tr("完成时限"), self.tr("逾期天数")])
        self.overdue.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.overdue.verticalHeader().hide()
        dash = QVBoxLayout(self.dashboard)
        dash.addWidget(self.counts)
        categories = QWidget()
        categories.setLayout(self.category_grid)
        row = QHBoxLayout()
        row.addWidget(categories, 1)
        chart_scroll = QScrollArea()
        chart_scroll.setWidget(self.chart)
        chart_scroll.setWidgetResizable(True)
        row.addWidget(chart_scroll, 1)
        dash.addLayout(row, 2)
        dash.addWidget(QLabel(self.tr("已逾期（红）")))
        dash.addWidget(self.overdue, 1)

        self.task_page = QWidget()
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("全部状态"), None)
        for status in (RED, YELLOW, WHITE, DONE, CLOSED):
            self.status_filter.addItem(STATUS_LABELS[status], status)
        self.department_filter = QComboBox()
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(self.tr("筛选：测评内容、单位…"))
        for signal in (self.status_filter.currentIndexChanged,
                       self.department_filter.currentIndexChanged,
                       self.text_filter.textChanged):
            signal.connect(self._fill_tasks)
        self.close_button = QPushButton(self.tr("销号…"))
        self.close_button.clicked.connect(self.close_selected)
        self.task_table = QTableWidget(0, 9)
        self.task_table.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("测评内容"), self.tr("责任单位"), self.tr("牵头/配合"),
            self.tr("完成时限"), self.tr("剩余天数"), self.tr("材料"), self.tr("终审"),
            self.tr("状态")])
        fit_columns(self.task_table, stretch=1)
        self.task_table.verticalHeader().hide()
        self.task_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.task_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.task_table.setSortingEnabled(True)
        self.task_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.department_filter)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.close_button)
        page = QVBoxLayout(self.task_page)
        page.addLayout(filters)
        page.addWidget(self.task_table)

        self.problem_table = QTableWidget(0, 6)
        self.problem_table.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("测评内容"), self.tr("责任单位"), self.tr("问题"),
            self.tr("整改时限"), self.tr("状态")])
        fit_columns(self.problem_table, stretch=3)
        self.problem_table.verticalHeader().hide()

        self.tabs.addTab(self.dashboard, self.tr("看板"))
        self.tabs.addTab(self.task_page, self.tr("任务"))
        self.tabs.addTab(self.problem_table, self.tr("问题整改"))
        self.message = QLabel()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.setCentralWidget(central)
        self.resize(1200, 800)
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return any(not job.done.is_set() for job in self._jobs) or self.ledger is None

    def reload(self) -> None:
        self._generation += 1
        generation, archive, today = self._generation, self.archive, self.today

        def work(_job: Job) -> tuple[Ledger, bytes | None]:
            ledger = tasks.ledger(archive, today)
            rows = sorted(ledger.by_department, key=lambda c: c.percent)
            return ledger, department_chart_png(rows) if rows else None

        job = Job(work)
        job.signals.finished.connect(lambda result: self._show(generation, *result))
        job.signals.failed.connect(self.message.setText)
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _show(self, generation: int, ledger: Ledger, chart: bytes | None) -> None:
        if generation != self._generation:
            return
        self.ledger = ledger
        counts = {s: sum(t.status == s for t in ledger.tasks)
                  for s in (RED, YELLOW, WHITE, DONE, CLOSED)}
        total = len(ledger.tasks)
        done = counts[DONE] + counts[CLOSED]
        chips = "".join(
            f'<span style="background:{STATUS_COLOURS[s]}; color:'
            f'{"#212121" if s in (WHITE, YELLOW) else "white"}; border:1px solid #999;">'
            f"&nbsp;{STATUS_LABELS[s]} {counts[s]}&nbsp;</span>&nbsp;&nbsp;"
            for s in (RED, YELLOW, WHITE, DONE, CLOSED))
        summary = self.tr("<b>截至 {today}：共 {total} 项任务，完成 {done} 项（{pct:.0f}%）</b>")
        self.counts.setText((summary + "&nbsp;&nbsp;{chips}").format(
            today=ledger.today.isoformat(), total=total, done=done,
            pct=100 * done / total if total else 0, chips=chips))
        self._fill_categories(ledger)
        pixmap = QPixmap()
        if chart:
            pixmap.loadFromData(chart)
            pixmap = pixmap.scaledToWidth(560, Qt.TransformationMode.SmoothTransformation)
        self.chart.setPixmap(pixmap)
        red = sorted((t for t in ledger.tasks if t.status == RED),
                     key=lambda t: t.days_left or 0)
        self.overdue.setRowCount(len(red))
        for n, t in enumerate(red):
            for col, text in enumerate((f"{t.item_code} {t.item_name}", t.department,
                                        t.deadline.label(), str(-(t.days_left or 0)))):
                self.overdue.setItem(n, col, QTableWidgetItem(text))
        departments = sorted({t.department for t in ledger.tasks})
        current = self.department_filter.currentData()
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItem(self.tr("全部单位"), None)
        for name in departments:
            self.department_filter.addItem(name, name)
        self.department_filter.setCurrentIndex(max(0, self.department_filter.findData(current)))
        self.department_filter.blockSignals(False)
        self._fill_tasks()
        self._fill_problems(ledger)
        self.loaded.emit(ledger)

    def _fill_categories(self, ledger: Ledger) -> None:
        while self.category_grid.count():
            item = self.category_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for n, c in enumerate(ledger.by_category):
            bar = QProgressBar()
            bar.setRange(0, max(c.total, 1))
            bar.setValue(c.done)
            bar.setFormat(f"{c.done}/{c.total}  {c.percent:.0f}%")
            colour = "#c62828" if c.red else "#f9a825" if c.yellow else "#2e7d32"
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setStyleSheet("QProgressBar { border: 1px solid #b0b0b0; border-radius: 3px;"
                              " background: white; text-align: center; }"
                              f" QProgressBar::chunk {{ background: {colour}; }}")
            bar.setToolTip(self.tr("完成 {done}/{total}；红 {red}，黄 {yellow}，白 {white}")
                           .format(done=c.done, total=c.total, red=c.red, yellow=c.yellow,
                                   white=c.white))
            label = QLabel(f"{c.key} {c.label}")
            label.setObjectName(f"category-{c.key}")
            self.category_grid.addWidget(label, n, 0)
            self.category_grid.addWidget(bar, n, 1)
        self.category_grid.setRowStretch(len(ledger.by_category), 1)

    def visible_tasks(self) -> list[TaskView]:
        if self.ledger is None:
            return []
        status = self.status_filter.currentData()
        department = self.department_filter.currentData()
        text = self.text_filter.text().strip()
        return [t for t in self.ledger.tasks
                if (status is None or t.status == status)
                and (department is None or t.department == department)
                and (not text or text in f"{t.item_code} {t.item_name} {t.department}")]

    def _fill_tasks(self) -> None:
        shown = self.visible_tasks()
        self.task_table.setSortingEnabled(False)
        self.task_table.setRowCount(len(shown))
        for n, t in enumerate(shown):
            cells = (t.id, f"{t.item_code} {t.item_name}", t.department,
                     ROLE_LABELS.get(t.role, t.role), t.deadline.label(),
                     "" if t.days_left is None else t.days_left, t.materials, t.final_approved,
                     STATUS_LABELS[t.status])
            for col, value in enumerate(cells):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                if col == len(cells) - 1:
                    item.setBackground(status_brush(t.status))
                    item.setForeground(status_ink(t.status))
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, t.id)
                self.task_table.setItem(n, col, item)
        self.task_table.setSortingEnabled(True)

    def _fill_problems(self, ledger: Ledger) -> None:
        self.problem_table.setRowCount(len(ledger.problems))
        for n, p in enumerate(ledger.problems):
            state = PROBLEM_STATES.get(p.state, p.state) + (self.tr("（逾期）") if p.overdue
                                                             else "")
            for col, text in enumerate((str(p.id), f"{p.item_code} {p.item_name}",
                                        p.department, p.description,
                                        p.deadline.isoformat() if p.deadline else "", state)):
                self.problem_table.setItem(n, col, QTableWidgetItem(text))

    # -- actions -------------------------------------------------------------------------------

    def ask_open_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择任务分解清单"), "",
                                              self.tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
        return Path(path) if path else None

    def ask_save_path(self, title: str, suggested: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / suggested), pattern)
        return Path(path) if path else None

    def choose_task_list(self, path: Path | None = None) -> TaskImportDialog | None:
        path = path or self.ask_open_path()
        if path is None:
            return None
        dialog = TaskImportDialog(self.archive, path, self.person, self)
        dialog.imported.connect(lambda _report: (self.reload(), self.changed.emit()))
        dialog.show()
        return dialog

    def export_ledger(self) -> None:
        self._write(self.tr("导出台账"), f"任务台账-{dt.date.today():%Y%m%d}.xlsx",
                    self.tr("Excel 工作簿 (*.xlsx)"), write_ledger_xlsx)

    def export_report(self) -> None:
        self._write(self.tr("生成周报"), f"创建工作周报-{dt.date.today():%Y%m%d}.docx",
                    self.tr("Word 文档 (*.docx)"), write_weekly_report_docx)

    def _write(self, title: str, suggested: str, pattern: str, writer) -> None:  # type: ignore[no-untyped-def]
        if self.ledger is None:
            return
        path = self.ask_save_path(title, suggested, pattern)
        if path is None:
            return
        try:
            writer(self.ledger, path)
        except OSError as exc:
            self.message.setText(self.tr("无法写入 {path}：{error}").format(path=path, error=exc))
            return
        self.message.setText(self.tr("已写入 {path}").format(path=path))

    def ask_reason(self, task: TaskView) -> str | None:
        text, ok = QInputDialog.getText(
            self, self.tr("销号"), self.tr("{item} / {department}\n销号理由：").format(
                item=f"{task.item_code} {task.item_name}", department=task.department))
        return text if ok else None

    def close_selected(self) -> None:
        row = self.task_table.currentRow()
        if row < 0 or self.ledger is None:
            return
        task_id = self.task_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        task = next(t for t in self.ledger.tasks if t.id == task_id)
        if not self.person:
            QMessageBox.warning(self, self.tr("销号"),
                                self.tr("请先在主窗口选择当前人员（管理员）"))
            return
        reason = self.ask_reason(task)
        if reason is None:
            return
        try:
            tasks.close_task(self.archive, task_id, reason, self.person)
        except ZichaError as exc:
            QMessageBox.warning(self, self.tr("销号"), str(exc))
            return
        self.message.setText(self.tr("任务 {id} 已销号").format(id=task_id))
        self.reload()
        self.changed.emit()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        for job in self._jobs:
            job.done.wait(10)
        super().closeEvent(event)
