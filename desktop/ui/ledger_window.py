"""The 台账 window: a dashboard (completion per indicator system with its weight and material
coverage when the archive has more than one, per 测评项目, 白/黄/红 counts, completion by
department, the overdue list, the 创新特色（加分） materials), the task table with filters and
销号, the problems and the 负面清单. The whole window can show one task list, one system, or
one list of one system."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
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

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import Node, nodes
from desktop.core.archive.kinds import BONUS_LEVELS, NodeKind
from desktop.core.archive.systems import SystemView, systems
from desktop.core.common.changes import Changes
from desktop.core.common.errors import ZichaError
from desktop.core.ledger import negatives, problems, tasks
from desktop.core.ledger.documents import (
    ROLE_LABELS,
    department_chart_png,
    weight_text,
    write_ledger_xlsx,
    write_weekly_report_docx,
)
from desktop.core.ledger.views import (
    CLOSED,
    DONE,
    RED,
    STATUS_COLOURS,
    WHITE,
    YELLOW,
    Completion,
    Ledger,
    NegativeView,
    ProblemView,
    SystemCompletion,
    TaskView,
)
from desktop.core.review.roster import departments
from desktop.core.transfer.overview import DepartmentReport, departments_overview, not_reported
from desktop.ui.models import state_label, task_status_label
from desktop.ui.people_dialog import FormDialog, combo_text, department_box
from desktop.ui.task_import import TaskImportDialog
from desktop.ui.workers import Job, start, while_alive


def _local_minute(iso: str) -> str:
    """An ISO UTC time as this computer's local time, to the minute."""
    when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def fit_columns(table: QTableWidget, *, stretch: int) -> None:
    """Every column as wide as its contents, except `stretch`, which takes the rest."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def progress_bar(done: int, total: int, text: str, colour: str) -> QProgressBar:
    """A bar of `done` out of `total` in `colour`, `text` written across it."""
    bar = QProgressBar()
    bar.setRange(0, max(total, 1))
    bar.setValue(done)
    bar.setFormat(text)
    bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
    bar.setStyleSheet("QProgressBar { border: 1px solid #b0b0b0; border-radius: 3px;"
                      " background: white; text-align: center; }"
                      f" QProgressBar::chunk {{ background: {colour}; }}")
    return bar


def completion_colour(c: Completion) -> str:
    """Red while any of its tasks is overdue, yellow while any is due soon, else green."""
    return "#c62828" if c.red else "#f9a825" if c.yellow else "#2e7d32"


# the same, light enough for the dark text across the bar (the 按测评体系 table)
LIGHT_COLOURS = {"#c62828": "#ef9a9a", "#f9a825": "#ffe082", "#2e7d32": "#a5d6a7"}
COVERAGE_COLOUR = "#90caf9"
BAR_HEIGHT = 22  # px: the 测评项目 of three systems fit the dashboard at 1366×768
ROW_HEIGHT = 26  # px, of the dashboard's tables: three overdue tasks without a scroll bar


def status_brush(status: str) -> QBrush:
    return QBrush(QColor(STATUS_COLOURS[status]))


def status_ink(status: str) -> QBrush:
    return QBrush(QColor("#212121" if status in (WHITE, YELLOW) else "white"))


def row_data(table: QTableWidget, row: int) -> Any:
    """What the first cell of `row` carries (UserRole), None for no such row."""
    item = table.item(row, 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def date_of(edit: QDateEdit) -> dt.date:
    day = edit.date()
    return dt.date(day.year(), day.month(), day.day())


class NegativeForm(FormDialog):
    """The form of a 负面清单 line (登记 / 修改) or of its 处置."""

    category: QComboBox
    description: QPlainTextEdit
    department: QComboBox
    prevention: QPlainTextEdit
    occurred: QCheckBox
    occurred_on: QDateEdit
    note: QPlainTextEdit
    evidence: QLineEdit


class ProblemForm(FormDialog):
    """The form of a problem action; each action fills in the fields it asks for."""

    item_box: QComboBox
    description: QPlainTextEdit
    department: QComboBox
    assign_now: QCheckBox
    deadline: QDateEdit
    note: QPlainTextEdit
    evidence: QLineEdit
    comment: QPlainTextEdit


STATUS_COLUMN = 8  # of the task table, 0-based


class ChartArea(QScrollArea):
    """The department chart, as large as it fits (at most 560 px wide, as it always was), but
    not smaller than MIN_WIDTH: a chart of many departments then scrolls."""

    MAX_WIDTH, MIN_WIDTH = 560, 420

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = QLabel()
        self.chart.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self.chart)
        self.setWidgetResizable(True)
        self._pixmap = QPixmap()

    def set_png(self, png: bytes | None) -> None:
        self._pixmap = QPixmap()
        if png:
            self._pixmap.loadFromData(png)
        self._fit()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap.isNull():
            self.chart.setPixmap(QPixmap())
            return
        room = self.viewport().size()
        by_height = room.height() * self._pixmap.width() // max(self._pixmap.height(), 1)
        width = max(self.MIN_WIDTH, min(self.MAX_WIDTH, room.width() - 4, by_height))
        self.chart.setPixmap(self._pixmap.scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation))


class LedgerWindow(QMainWindow):
    loaded = Signal(object)  # the Ledger shown
    changed = Signal(object)  # common.changes.Changes: tasks imported or closed, problems

    def __init__(self, archive: Archive, person: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("任务台账"))
        self.archive, self.person = archive, person
        self.ledger: Ledger | None = None
        self.today: dt.date | None = None  # None: today
        self._jobs: list[Job] = []
        self._generation = 0
        self._shown_generation = -1
        self._pending_selection: int | None = None  # a problem just added, to select
        self._pending_negative: int | None = None  # a 负面清单 line just added or changed
        self.departments_report: list[DepartmentReport] = []
        self.nodes: list[Node] = []  # the archive's tree and 责任单位, read with the ledger
        self.department_names: list[str] = []
        # what the current person may do to each problem (None: 发现), read on a worker
        self._permissions: dict[int | None, dict[str, str]] = {}
        self._permission_generation = 0
        self._permissions_shown = 0

        toolbar = QToolBar()
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        # triggered(bool) must not arrive as a slot's optional path argument
        self.import_action = toolbar.addAction(self.tr("导入任务清单…"),
                                               lambda: self.choose_task_list())
        self.export_action = toolbar.addAction(self.tr("导出台账 XLSX…"),
                                               lambda: self.export_ledger())
        self.report_action = toolbar.addAction(self.tr("生成周报 DOCX…"),
                                               lambda: self.export_report())
        toolbar.addAction(self.tr("刷新"), lambda: self.reload())

        self.tabs = QTabWidget()
        self.dashboard = QWidget()
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        # 材料清单: 测评内容 whose evidence checklist is complete / has gaps
        self.checklist_totals = QLabel()
        self.checklist_totals.setTextFormat(Qt.TextFormat.RichText)
        self.checklist_totals.setToolTip(self.tr(
            "按各测评内容的材料要求（种类、数量、图片说明、字数）检查已归档的材料"))
        self.category_grid = QGridLayout()
        self.category_grid.setVerticalSpacing(4)
        self.chart_area = ChartArea()
        self.chart = self.chart_area.chart
        self.overdue = QTableWidget(0, 4)
        self.overdue.setHorizontalHeaderLabels([self.tr("测评内容"), self.tr("责任单位"),
                                                self.tr("完成时限"), self.tr("逾期天数")])
        self.overdue.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.overdue.verticalHeader().hide()
        self.overdue.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        # 同创同测: each indicator system with its weight, task completion and material coverage,
        # shown when the archive has more than one
        self.system_table = QTableWidget(0, 4)
        self.system_table.setHorizontalHeaderLabels([
            self.tr("测评体系"), self.tr("权重"), self.tr("任务完成"), self.tr("材料覆盖")])
        header = self.system_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for col in (2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, 120)
        self.system_table.verticalHeader().hide()
        self.system_table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.system_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.system_table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.system_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.system_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.system_table.setToolTip(self.tr(
            "任务完成：已完成（含销号）的任务；材料覆盖：已有终审通过材料的测评内容"))
        self.system_box = QWidget()
        system_layout = QVBoxLayout(self.system_box)
        system_layout.setContentsMargins(0, 0, 0, 0)
        system_layout.addWidget(QLabel(self.tr("按测评体系")))
        system_layout.addWidget(self.system_table)
        self.system_box.hide()
        dash = QVBoxLayout(self.dashboard)
        dash.addWidget(self.counts)
        dash.addWidget(self.checklist_totals)
        categories = QWidget()
        categories.setLayout(self.category_grid)
        category_scroll = QScrollArea()  # 11 of the city's and those of the added systems
        category_scroll.setWidget(categories)
        category_scroll.setWidgetResizable(True)
        category_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        category_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for plain in (categories, category_scroll.viewport()):  # the page's own background
            plain.setAutoFillBackground(False)
        row = QHBoxLayout()
        row.addWidget(category_scroll, 1)
        right = QVBoxLayout()
        right.addWidget(self.system_box)
        right.addWidget(self.chart_area, 1)
        row.addLayout(right, 1)
        dash.addLayout(row, 3)
        dash.addWidget(QLabel(self.tr("已逾期（红）")))
        dash.addWidget(self.overdue, 1)
        # 创新特色（加分）: materials marked as bonus evidence, on their own
        self.bonus_label = QLabel()
        self.bonus_table = QTableWidget(0, 6)
        self.bonus_table.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("材料名称"), self.tr("级别"), self.tr("发文（表扬）单位"),
            self.tr("表扬日期"), self.tr("审核状态")])
        fit_columns(self.bonus_table, stretch=1)
        self.bonus_table.verticalHeader().hide()
        self.bonus_table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.bonus_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        dash.addWidget(self.bonus_label)
        dash.addWidget(self.bonus_table, 1)

        self.task_page = QWidget()
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("全部状态"), None)
        for status in (RED, YELLOW, WHITE, DONE, CLOSED):
            self.status_filter.addItem(task_status_label(status), status)
        self.department_filter = QComboBox()
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(self.tr("筛选：测评内容、单位…"))
        for signal in (self.status_filter.currentIndexChanged,
                       self.department_filter.currentIndexChanged,
                       self.text_filter.textChanged):
            signal.connect(self._fill_tasks)
        self.close_button = QPushButton(self.tr("销号…"))
        self.close_button.clicked.connect(self.close_selected)
        self.task_table = QTableWidget(0, 10)
        self.task_table.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("测评内容"), self.tr("责任单位"), self.tr("牵头/配合"),
            self.tr("完成时限"), self.tr("剩余天数"), self.tr("材料"), self.tr("终审"),
            self.tr("状态"), self.tr("清单")])
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
        self.problem_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.problem_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.problem_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problem_table.itemSelectionChanged.connect(self._update_problem_buttons)
        self.problem_buttons: dict[str, QPushButton] = {}
        self.problem_tips: dict[str, str] = {}
        problem_bar = QHBoxLayout()
        for action, label, tip, slot in (
                (problems.ADD, self.tr("发现问题…"), self.tr("记录督查中发现的问题"),
                 self.add_problem),
                (problems.ASSIGN, self.tr("交办…"), self.tr("把所选问题交给责任单位，定整改时限"),
                 self.assign_problem),
                (problems.RECTIFY, self.tr("整改…"),
                 self.tr("报告所选问题的整改情况，附佐证材料"), self.rectify_problem),
                (problems.CONFIRM, self.tr("确认"), self.tr("确认所选问题已整改到位"),
                 self.confirm_problem),
                (problems.SEND_BACK, self.tr("退回…"), self.tr("整改不到位，写明原因退回"),
                 self.send_back_problem)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            problem_bar.addWidget(button)
            self.problem_buttons[action], self.problem_tips[action] = button, tip
        problem_bar.addStretch(1)
        self.problem_page = QWidget()
        problem_layout = QVBoxLayout(self.problem_page)
        problem_layout.addLayout(problem_bar)
        problem_layout.addWidget(self.problem_table, 1)
        self.problem_detail = QLabel()
        self.problem_detail.setWordWrap(True)
        self.problem_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        problem_layout.addWidget(self.problem_detail)

        self.tabs.addTab(self.dashboard, self.tr("看板"))
        self.tabs.addTab(self.task_page, self.tr("任务"))
        self.tabs.addTab(self.problem_page, self.tr("问题整改"))
        self._build_negative_page()
        self.tabs.addTab(self.negative_page, self.tr("负面清单"))
        self._build_department_page()
        self.department_tab = self.tabs.addTab(self.department_page, self.tr("各单位报送"))
        self.tabs.setTabVisible(self.department_tab, False)
        self.message = QLabel()
        # 材料自查 / 省级部门评价项目 / 创新特色 …: the whole window (看板, 任务, exports) for one
        self.list_filter = QComboBox()
        self.list_filter.addItem(self.tr("全部清单"), None)
        self.list_filter.setToolTip(self.tr("只看一个清单的任务、合计和导出"))
        self.list_filter.currentIndexChanged.connect(lambda _i: self.reload())
        # the city's system, 未成年人思想道德建设, 文明村镇 …: shown with more than one
        self.system_filter = QComboBox()
        self.system_filter.addItem(self.tr("全部测评体系"), None)
        self.system_filter.setToolTip(self.tr("只看一个测评体系的任务、合计和导出"))
        self.system_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.system_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.system_filter_label = QLabel(self.tr("测评体系"))
        for widget in (self.system_filter, self.system_filter_label):
            widget.hide()
        self.list_totals = QLabel()
        self.list_totals.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("清单")))
        top.addWidget(self.list_filter)
        top.addWidget(self.system_filter_label)
        top.addWidget(self.system_filter)
        top.addWidget(self.list_totals, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.setCentralWidget(central)
        self.resize(1200, 800)
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        # until the newest reload is shown: a worker done is not yet a window updated (its
        # result still waits in the event queue)
        return (self._shown_generation != self._generation or self.ledger is None
                or self._permissions_shown != self._permission_generation)

    def _read_permissions(self) -> None:
        """What the current person may do to each problem shown, on a worker (the buttons say
        正在读取… until it is known); the newest read wins."""
        self._permission_generation += 1
        generation, archive, person = self._permission_generation, self.archive, self.person
        found = list(self.ledger.problems) if self.ledger is not None else []
        self._permissions = {}

        def work(_job: Job) -> dict[int | None, dict[str, str]]:
            allowed: dict[int | None, dict[str, str]] = {}
            for problem in (None, *found):
                try:
                    got = problems.permissions(archive, person, problem)
                except ZichaError as exc:
                    got = dict.fromkeys(problems.ACTIONS, str(exc))
                allowed[problem.id if problem is not None else None] = got
            return allowed

        def read(allowed: dict[int | None, dict[str, str]]) -> None:
            if generation == self._permission_generation:
                self._permissions_shown = generation
                self._permissions = allowed
                self._update_problem_buttons()
                if not self.loading and self.ledger is not None:
                    self.loaded.emit(self.ledger)  # the buttons too show it

        def failed(text: str) -> None:
            if generation == self._permission_generation:
                self._permissions_shown = generation
                self._permissions = {}
                self.message.setText(text)
                self._update_problem_buttons()
                if not self.loading and self.ledger is not None:
                    self.loaded.emit(self.ledger)

        job = Job(work)
        job.signals.finished.connect(while_alive(self, read))
        job.signals.failed.connect(while_alive(self, failed))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def reload(self) -> None:
        self._generation += 1
        generation, archive, today = self._generation, self.archive, self.today
        kind = self.list_filter.currentData()
        system = self.system_filter.currentData()

        def work(_job: Job) -> tuple[Ledger, bytes | None, list[str], list[SystemView],
                                     list[DepartmentReport], list[Node], list[str]]:
            kinds = [info.kind for info in tasks.task_lists(archive)]
            known = systems(archive)
            ledger = tasks.ledger(archive, today, list_kind=kind if kind in kinds else None,
                                  system=system if any(s.id == system for s in known) else None)
            rows = sorted(ledger.by_department, key=lambda c: c.percent)
            # the 测评项目 / 测评内容 and 责任单位 the problem and 负面清单 forms offer
            return (ledger, department_chart_png(rows) if rows else None, kinds, known,
                    departments_overview(archive, today), nodes(archive),
                    departments(archive))

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda result: self._show(generation, *result)))
        job.signals.failed.connect(while_alive(self, lambda text: self._failed(generation, text)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _failed(self, generation: int, text: str) -> None:
        if generation == self._generation:
            self._shown_generation = generation
            self.message.setText(text)

    def _show(self, generation: int, ledger: Ledger, chart: bytes | None,
              kinds: list[str], known: list[SystemView],
              overview: list[DepartmentReport], tree: list[Node],
              names: list[str]) -> None:
        if generation != self._generation:
            return
        self.nodes, self.department_names = tree, names
        lists = ledger.checklists
        self.checklist_totals.setText(self.tr(
            "<b>材料清单</b>：测评内容 {items} 个，"
            '<span style="color:#2e7d32">齐全 {complete}</span>，'
            '<span style="color:#b00020">有缺项 {gaps}</span>，无要求 {none}').format(
            items=len(lists), complete=sum(c.status == "complete" for c in lists),
            gaps=sum(c.status == "gaps" for c in lists),
            none=sum(c.status == "none" for c in lists)))
        self._shown_generation = generation
        self.ledger = ledger
        self._read_permissions()
        self._fill_departments(overview)
        self.list_filter.blockSignals(True)
        self.list_filter.clear()
        self.list_filter.addItem(self.tr("全部清单"), None)
        for kind in kinds:
            self.list_filter.addItem(kind, kind)
        self.list_filter.setCurrentIndex(max(0, self.list_filter.findData(ledger.list_kind
                                                                         or None)))
        self.list_filter.blockSignals(False)
        self._fill_system_filter(ledger, known)
        self._fill_systems(ledger, several=len(known) > 1)
        self.list_totals.setText("；".join(
            self.tr("{kind} {done}/{total}（{pct:.0f}%）").format(
                kind=c.label, done=c.done, total=c.total, pct=c.percent)
            for c in ledger.by_list))
        counts = {s: sum(t.status == s for t in ledger.tasks)
                  for s in (RED, YELLOW, WHITE, DONE, CLOSED)}
        total = len(ledger.tasks)
        done = counts[DONE] + counts[CLOSED]
        chips = "".join(
            f'<span style="background:{STATUS_COLOURS[s]}; color:'
            f'{"#212121" if s in (WHITE, YELLOW) else "white"}; border:1px solid #999;">'
            f"&nbsp;{task_status_label(s)} {counts[s]}&nbsp;</span>&nbsp;&nbsp;"
            for s in (RED, YELLOW, WHITE, DONE, CLOSED))
        summary = self.tr("<b>截至 {today}：共 {total} 项任务，完成 {done} 项（{pct:.0f}%）</b>")
        self.counts.setText((summary + "&nbsp;&nbsp;{chips}").format(
            today=ledger.today.isoformat(), total=total, done=done,
            pct=100 * done / total if total else 0, chips=chips))
        self._fill_categories(ledger)
        self.chart_area.set_png(chart)
        red = sorted((t for t in ledger.tasks if t.status == RED),
                     key=lambda t: t.days_left or 0)
        self.overdue.setRowCount(len(red))
        for n, t in enumerate(red):
            for col, text in enumerate((f"{t.item_code} {t.item_name}", t.department,
                                        t.deadline.label(), str(-(t.days_left or 0)))):
                self.overdue.setItem(n, col, QTableWidgetItem(text))
        self._fill_bonus(ledger)
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
        self._fill_negatives(ledger)

    def _fill_bonus(self, ledger: Ledger) -> None:
        by_level = {level: sum(b.level == level for b in ledger.bonus)
                    for level in BONUS_LEVELS}
        detail = "、".join(f"{level} {n}" for level, n in by_level.items() if n)
        self.bonus_label.setText(
            self.tr("创新特色（加分）材料：{n} 份").format(n=len(ledger.bonus))
            + (f"（{detail}）" if detail else ""))
        self.bonus_table.setRowCount(len(ledger.bonus))
        for n, b in enumerate(ledger.bonus):
            for col, text in enumerate((f"#{b.id}", b.title, b.level or "—", b.issuer,
                                        b.date, state_label(b.state))):
                cell = QTableWidgetItem(text)
                if col == 0:
                    cell.setData(Qt.ItemDataRole.UserRole, b.id)
                self.bonus_table.setItem(n, col, cell)

    def _fill_system_filter(self, ledger: Ledger, known: list[SystemView]) -> None:
        self.system_filter.blockSignals(True)
        self.system_filter.clear()
        self.system_filter.addItem(self.tr("全部测评体系"), None)
        for system in known:
            self.system_filter.addItem(system.label, system.id)
        self.system_filter.setCurrentIndex(max(0, self.system_filter.findData(ledger.system
                                                                             or None)))
        self.system_filter.blockSignals(False)
        for widget in (self.system_filter, self.system_filter_label):
            widget.setVisible(len(known) > 1)

    def _fill_systems(self, ledger: Ledger, *, several: bool) -> None:
        """The 按测评体系 table: one row per system of the ledger, with its weight, its tasks
        done and its 测评内容 with final-approved material; hidden with one system."""
        self.system_box.setVisible(several)
        table = self.system_table
        table.setRowCount(len(ledger.by_system))
        for n, s in enumerate(ledger.by_system):
            name = QTableWidgetItem(s.label)
            name.setData(Qt.ItemDataRole.UserRole, s.key)
            name.setToolTip(self._system_tip(s))
            table.setItem(n, 0, name)
            weight = QTableWidgetItem(weight_text(s))
            weight.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(n, 1, weight)
            done = f"{s.done}/{s.total}  {s.percent:.0f}%"
            covered = f"{s.covered}/{s.items}  {s.coverage:.0f}%"
            for col, text, bar in (
                    (2, done, progress_bar(s.done, s.total, done,
                                           LIGHT_COLOURS[completion_colour(s)])),
                    (3, covered, progress_bar(s.covered, s.items, covered, COVERAGE_COLOUR))):
                table.setItem(n, col, QTableWidgetItem(text))  # read by tests, screen readers
                table.setCellWidget(n, col, bar)
        table.resizeRowsToContents()
        table.setFixedHeight(table.horizontalHeader().sizeHint().height()
                             + table.verticalHeader().length() + 2 * table.frameWidth())

    def _system_tip(self, s: SystemCompletion) -> str:
        lines = [s.label]
        if s.prefix:
            lines.append(self.tr("编号前缀 {prefix}（如 {prefix}01.01）").format(prefix=s.prefix))
        lines.append(self.tr("任务：完成 {done}/{total}；红 {red}，黄 {yellow}，白 {white}").format(
            done=s.done, total=s.total, red=s.red, yellow=s.yellow, white=s.white))
        lines.append(self.tr("测评内容 {items} 项，其中 {covered} 项已有终审通过的材料").format(
            items=s.items, covered=s.covered))
        return "\n".join(lines)

    def _fill_categories(self, ledger: Ledger) -> None:
        while self.category_grid.count():
            item = self.category_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for n, c in enumerate(ledger.by_category):
            bar = progress_bar(c.done, c.total, f"{c.done}/{c.total}  {c.percent:.0f}%",
                               completion_colour(c))
            bar.setFixedHeight(BAR_HEIGHT)
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
                     task_status_label(t.status), t.list_kind)
            for col, value in enumerate(cells):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                if col == STATUS_COLUMN:
                    item.setBackground(status_brush(t.status))
                    item.setForeground(status_ink(t.status))
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, t.id)
                self.task_table.setItem(n, col, item)
        self.task_table.setSortingEnabled(True)

    def _fill_problems(self, ledger: Ledger) -> None:
        selected = self.selected_problem()
        self.problem_table.blockSignals(True)
        self.problem_table.setRowCount(len(ledger.problems))
        for n, p in enumerate(ledger.problems):
            state = problems.STATE_LABELS.get(p.state, p.state) + (
                self.tr("（逾期）") if p.overdue else "")
            for col, text in enumerate((str(p.id), f"{p.item_code} {p.item_name}",
                                        p.department, p.description,
                                        p.deadline.isoformat() if p.deadline else "", state)):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.problem_table.setItem(n, col, item)
        self.problem_table.blockSignals(False)
        wanted = self._pending_selection or (selected.id if selected else None)
        self._pending_selection = None
        self.select_problem(wanted)
        self._update_problem_buttons()

    # -- actions -------------------------------------------------------------------------------

    def ask_open_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择任务分解清单"), "",
            self.tr("任务清单 (*.xlsx *.xls *.et);;所有文件 (*)"))
        return Path(path) if path else None

    def ask_save_path(self, title: str, suggested: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / suggested), pattern)
        return Path(path) if path else None

    def choose_task_list(self, path: Path | None = None) -> TaskImportDialog | None:
        path = path or self.ask_open_path()
        if path is None:
            return None
        dialog = TaskImportDialog(self.archive, path, self.person, self)
        def imported(_report: object) -> None:
            self.reload()
            self.changed.emit(Changes(tree=True, tasks=True, message=self.tr("任务清单已导入")))

        dialog.imported.connect(imported)
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
        task_id = row_data(self.task_table, row)
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
        self.changed.emit(Changes(tasks=True))

    # -- 问题整改 --------------------------------------------------------------------------------

    def set_person(self, person: str | None) -> None:
        """The person acting (chosen in the main window)."""
        self.person = person
        if self.ledger is not None:
            self._read_permissions()
        self._update_problem_buttons()

    def selected_problem(self) -> ProblemView | None:
        rows = self.problem_table.selectionModel().selectedRows()
        if not rows or self.ledger is None:
            return None
        problem_id = row_data(self.problem_table, rows[0].row())
        return next((p for p in self.ledger.problems if p.id == problem_id), None)

    def select_problem(self, problem_id: int | None) -> None:
        self.problem_table.clearSelection()
        for row in range(self.problem_table.rowCount()):
            if row_data(self.problem_table, row) == problem_id:
                self.problem_table.selectRow(row)
                return

    def _update_problem_buttons(self) -> None:
        """Each button enabled exactly when the core would let the current person do it; the
        reason as its tooltip when not."""
        problem = self.selected_problem()
        self.problem_detail.setText(self._problem_text(problem) if problem else "")
        allowed = self._permissions.get(problem.id if problem is not None else None) \
            or dict.fromkeys(problems.ACTIONS, self.tr("正在读取…"))
        for action, button in self.problem_buttons.items():
            why = allowed[action]
            button.setEnabled(not why)
            button.setToolTip(why or self.problem_tips[action])

    def _problem_text(self, p: ProblemView) -> str:
        lines = [self.tr("问题 {id}：{found_at} 由 {by} 发现。").format(
            id=p.id, found_at=p.found_at, by=p.found_by)]
        if p.rectification:
            evidence = "、".join(f"#{m}" for m in p.evidence) or self.tr("无")
            lines.append(self.tr("整改情况：{note}（佐证材料 {evidence}）").format(
                note=p.rectification, evidence=evidence))
        if p.feedback:
            lines.append(self.tr("反馈：{feedback}").format(feedback=p.feedback))
        return "\n".join(lines)

    def ask_problem_form(self, form: FormDialog) -> bool:
        return form.exec() == FormDialog.DialogCode.Accepted

    def _problem_done(self, message: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(message)
        self.reload()
        self.changed.emit(Changes(tasks=True, problems=True))

    def _deadline_edit(self, value: dt.date | None) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        day = value or (self.today or dt.date.today()) + dt.timedelta(days=7)
        edit.setDate(QDate(day.year, day.month, day.day))
        return edit

    def add_problem(self) -> None:
        form = ProblemForm(self.tr("发现问题"), self)
        form.item_box = QComboBox()
        tree = self.nodes
        parents = {n.parent_code for n in tree if n.parent_code}
        for n in tree:
            if n.kind == NodeKind.ITEM or n.code not in parents:
                form.item_box.addItem(f"{n.code} {n.name}", n.code)
        row = self.task_table.currentRow()
        cell = self.task_table.item(row, 1) if row >= 0 else None
        if cell is not None:
            code = cell.text().split(" ", 1)[0]
            form.item_box.setCurrentIndex(max(0, form.item_box.findData(code)))
        form.description = QPlainTextEdit()
        form.description.setPlaceholderText(self.tr("发现的问题，如：宣传栏破损、资料不全"))
        form.description.setFixedHeight(90)
        form.department = department_box(self.department_names, blank=self.tr("（暂不交办）"))
        form.assign_now = QCheckBox(self.tr("同时交办，整改时限"))
        form.deadline = self._deadline_edit(None)
        form.deadline.setEnabled(False)
        form.assign_now.toggled.connect(form.deadline.setEnabled)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(form.assign_now)
        deadline_row.addWidget(form.deadline, 1)
        form.form.addRow(self.tr("测评内容"), form.item_box)
        form.form.addRow(self.tr("问题"), form.description)
        form.form.addRow(self.tr("责任单位"), form.department)
        form.form.addRow("", deadline_row)
        created: list[int] = []

        def submit() -> None:
            department = combo_text(form.department) or None
            deadline = date_of(form.deadline) if form.assign_now.isChecked() else None
            if deadline is not None and department is None:
                raise ZichaError(self.tr("交办需要选择责任单位"))
            created.append(problems.add_problem(
                self.archive, form.item_box.currentData(), form.description.toPlainText(),
                self.person or "", department=department, deadline=deadline))

        form.submit = submit
        form.resize(560, form.sizeHint().height())
        if self.ask_problem_form(form) and created:
            self._pending_selection = created[0]
            self._problem_done(self.tr("已记录问题 {id}").format(id=created[0]))

    def assign_problem(self) -> None:
        problem = self.selected_problem()
        if problem is None:
            return
        form = ProblemForm(self.tr("交办问题 {id}").format(id=problem.id), self)
        form.department = department_box(self.department_names, problem.department)
        form.deadline = self._deadline_edit(problem.deadline)
        form.form.addRow(self.tr("问题"), QLabel(problem.description))
        form.form.addRow(self.tr("责任单位"), form.department)
        form.form.addRow(self.tr("整改时限"), form.deadline)

        def submit() -> None:
            department = combo_text(form.department)
            if not department:
                raise ZichaError(self.tr("请选择责任单位"))
            problems.assign(self.archive, problem.id, department,
                            date_of(form.deadline), self.person or "")

        form.submit = submit
        if self.ask_problem_form(form):
            self._problem_done(self.tr("问题 {id} 已交办").format(id=problem.id))

    def rectify_problem(self) -> None:
        problem = self.selected_problem()
        if problem is None:
            return
        form = ProblemForm(self.tr("整改问题 {id}").format(id=problem.id), self)
        form.note = QPlainTextEdit()
        form.note.setPlaceholderText(self.tr("整改情况：做了什么、何时完成"))
        form.note.setFixedHeight(90)
        form.evidence = QLineEdit(", ".join(map(str, problem.evidence)))
        form.evidence.setPlaceholderText(self.tr("佐证材料编号，如 12, 15（可不填）"))
        form.form.addRow(self.tr("问题"), QLabel(problem.description))
        if problem.feedback:
            form.form.addRow(self.tr("退回原因"), QLabel(problem.feedback))
        form.form.addRow(self.tr("整改情况"), form.note)
        form.form.addRow(self.tr("佐证材料"), form.evidence)

        def submit() -> None:
            text = form.evidence.text().replace("，", ",").replace(",", " ").split()
            if not all(t.lstrip("#").isdigit() for t in text):
                raise ZichaError(self.tr("佐证材料请填材料编号（数字），用逗号或空格分隔"))
            problems.rectify(self.archive, problem.id, form.note.toPlainText(), self.person or "",
                             [int(t.lstrip("#")) for t in text])

        form.submit = submit
        form.resize(520, form.sizeHint().height())
        if self.ask_problem_form(form):
            self._problem_done(self.tr("问题 {id} 已报整改").format(id=problem.id))

    def confirm_problem(self) -> None:
        problem = self.selected_problem()
        if problem is None:
            return
        try:
            problems.confirm(self.archive, problem.id, self.person or "")
        except ZichaError as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(str(exc))
            return
        self._problem_done(self.tr("问题 {id} 的整改已确认").format(id=problem.id))

    def send_back_problem(self) -> None:
        problem = self.selected_problem()
        if problem is None:
            return
        form = ProblemForm(self.tr("退回问题 {id} 的整改").format(id=problem.id), self)
        form.comment = QPlainTextEdit()
        form.comment.setPlaceholderText(self.tr("退回原因（必填），如：缺少整改后照片"))
        form.comment.setFixedHeight(90)
        form.form.addRow(self.tr("整改情况"), QLabel(problem.rectification))
        form.form.addRow(self.tr("退回原因"), form.comment)

        def submit() -> None:
            problems.send_back(self.archive, problem.id, self.person or "",
                               form.comment.toPlainText())

        form.submit = submit
        form.resize(520, form.sizeHint().height())
        if self.ask_problem_form(form):
            self._problem_done(self.tr("问题 {id} 的整改已退回").format(id=problem.id))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # a read still running is not waited for (at 50,000 materials the ledger takes
        # seconds): workers.start keeps it until it ends, and its result is dropped
        self._generation += 1
        self._permission_generation += 1
        super().closeEvent(event)

    # -- 负面清单 ----------------------------------------------------------------------------------

    # -- 各单位报送: the city's view over the departments' 报送包 --------------------------------

    DEPARTMENT_COLUMNS = (
        QT_TRANSLATE_NOOP("LedgerWindow", "单位"), QT_TRANSLATE_NOOP("LedgerWindow", "最近报送"),
        QT_TRANSLATE_NOOP("LedgerWindow", "报送包"), QT_TRANSLATE_NOOP("LedgerWindow", "收到材料"),
        QT_TRANSLATE_NOOP("LedgerWindow", "待审"), QT_TRANSLATE_NOOP("LedgerWindow", "已终审"),
        QT_TRANSLATE_NOOP("LedgerWindow", "已退回"), QT_TRANSLATE_NOOP("LedgerWindow", "未决冲突"),
        QT_TRANSLATE_NOOP("LedgerWindow", "任务完成"), QT_TRANSLATE_NOOP("LedgerWindow", "逾期"))

    def _build_department_page(self) -> None:
        self.department_page = QWidget()
        self.department_table = QTableWidget(0, len(self.DEPARTMENT_COLUMNS))
        self.department_table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("LedgerWindow", str(c)) for c in self.DEPARTMENT_COLUMNS])
        fit_columns(self.department_table, stretch=0)
        self.department_table.verticalHeader().hide()
        self.department_table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.department_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # the overview's own order (those that sent first) until a header is clicked
        self.department_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.department_table.setSortingEnabled(True)
        self.reminder_since = QDateEdit()
        self.reminder_since.setCalendarPopup(True)
        self.reminder_since.setDisplayFormat("yyyy-MM-dd")
        self.reminder_since.setDate(QDate.currentDate().addDays(-7))
        self.reminder_since.dateChanged.connect(lambda _d: self._fill_reminder())
        self.reminder = QLabel()
        self.reminder.setWordWrap(True)
        self.reminder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("提醒：自")))
        bar.addWidget(self.reminder_since)
        bar.addWidget(QLabel(self.tr("以来未报送的单位")))
        bar.addWidget(self.reminder, 1)
        layout = QVBoxLayout(self.department_page)
        layout.addLayout(bar)
        layout.addWidget(self.department_table, 1)

    def _fill_departments(self, overview: list[DepartmentReport]) -> None:
        self.departments_report = overview
        received = any(r.packages for r in overview)
        self.tabs.setTabVisible(self.department_tab, received)  # a city's archive
        table = self.department_table
        table.setSortingEnabled(False)
        table.setRowCount(len(overview))
        for row, r in enumerate(overview):
            last = (f"{_local_minute(r.last_at)}（{self.tr('第 {n} 包').format(n=r.last_seq)}）"
                    if r.last_at else self.tr("未报送"))
            tasks_done = f"{r.tasks_done}/{r.tasks}" if r.tasks else "—"
            cells: list[str | int] = [r.department, last, r.packages, r.materials, r.submitted,
                                      r.approved, r.returned, r.open_conflicts, tasks_done,
                                      r.tasks_overdue]
            items = []
            for col, value in enumerate(cells):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, col, item)
                items.append(item)
            if r.open_conflicts:
                items[7].setBackground(QBrush(QColor(STATUS_COLOURS[YELLOW])))
            if r.tasks_overdue:
                items[9].setBackground(QBrush(QColor(STATUS_COLOURS[RED])))
                items[9].setForeground(QBrush(QColor("white")))
            if not r.packages:
                items[1].setForeground(QBrush(QColor("#c62828")))
        table.setSortingEnabled(True)
        self._fill_reminder()

    def _fill_reminder(self) -> None:
        since = date_of(self.reminder_since)
        late = not_reported(self.departments_report, since)
        self.reminder.setText(
            "、".join(r.department for r in late) if late else self.tr("（无：都已报送）"))
        self.reminder.setStyleSheet("color: #c62828;" if late else "")

    def _build_negative_page(self) -> None:
        self.negative_page = QWidget()
        self.negative_table = QTableWidget(0, 7)
        self.negative_table.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("测评项目"), self.tr("事项"), self.tr("责任单位"),
            self.tr("发生情况"), self.tr("防范措施"), self.tr("处置情况")])
        fit_columns(self.negative_table, stretch=2)
        self.negative_table.verticalHeader().hide()
        self.negative_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.negative_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.negative_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.negative_table.itemSelectionChanged.connect(self._update_negative_buttons)
        self.negative_add = QPushButton(self.tr("登记…"))
        self.negative_add.setToolTip(self.tr("登记一项负面清单风险或已发生的事件"))
        self.negative_add.clicked.connect(lambda: self.add_negative())
        self.negative_edit = QPushButton(self.tr("修改…"))
        self.negative_edit.clicked.connect(lambda: self.edit_negative())
        self.negative_dispose = QPushButton(self.tr("处置…"))
        self.negative_dispose.setToolTip(self.tr("登记已发生事件的处置情况，附佐证材料"))
        self.negative_dispose.clicked.connect(lambda: self.dispose_negative())
        self.negative_summary = QLabel()
        bar = QHBoxLayout()
        for button in (self.negative_add, self.negative_edit, self.negative_dispose):
            bar.addWidget(button)
        bar.addWidget(self.negative_summary, 1)
        layout = QVBoxLayout(self.negative_page)
        layout.addLayout(bar)
        layout.addWidget(self.negative_table, 1)
        self.negative_detail = QLabel()
        self.negative_detail.setWordWrap(True)
        self.negative_detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.negative_detail)
        self._update_negative_buttons()

    def _fill_negatives(self, ledger: Ledger) -> None:
        selected = self.selected_negative()
        keep = selected.id if selected else self._pending_negative
        self._pending_negative = None
        self.negative_table.setRowCount(len(ledger.negatives))
        for n, item in enumerate(ledger.negatives):
            if item.occurred:
                state = self.tr("已发生 {date}").format(date=item.occurred_on).strip()
            else:
                state = self.tr("未发生")
            disposal = item.disposal or (self.tr("待处置") if item.occurred else "")
            cells = (str(item.id), f"{item.category_code} {item.category_name}".strip(),
                     item.description, item.department, state, item.prevention, disposal)
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col == 0:
                    cell.setData(Qt.ItemDataRole.UserRole, item.id)
                if col == 4 and item.occurred:
                    cell.setBackground(status_brush(RED))
                    cell.setForeground(status_ink(RED))
                self.negative_table.setItem(n, col, cell)
        occurred = sum(i.occurred for i in ledger.negatives)
        self.negative_summary.setText(self.tr("共 {n} 项，已发生 {occurred} 项").format(
            n=len(ledger.negatives), occurred=occurred))
        self.negative_table.clearSelection()
        for row in range(self.negative_table.rowCount()):
            if keep is not None and row_data(self.negative_table, row) == keep:
                self.negative_table.selectRow(row)
        self._update_negative_buttons()

    def selected_negative(self) -> NegativeView | None:
        rows = self.negative_table.selectionModel().selectedRows()
        if not rows or self.ledger is None:
            return None
        negative_id = row_data(self.negative_table, rows[0].row())
        return next((n for n in self.ledger.negatives if n.id == negative_id), None)

    def _update_negative_buttons(self) -> None:
        item = self.selected_negative()
        for button in (self.negative_edit, self.negative_dispose):
            button.setEnabled(item is not None)
        if item is None:
            self.negative_edit.setToolTip(self.tr("请先在表中选择一项"))
            self.negative_detail.setText("")
            return
        self.negative_edit.setToolTip(self.tr("修改所选事项"))
        lines = [self.tr("负面清单 {id}：{by} 登记于 {at}。").format(
            id=item.id, by=item.created_by, at=item.created_at.replace("T", " ")[:16])]
        if item.disposal:
            evidence = "、".join(f"#{m}" for m in item.evidence) or self.tr("无")
            lines.append(self.tr("处置：{note}（{by}；佐证材料 {evidence}）").format(
                note=item.disposal, by=item.disposed_by, evidence=evidence))
        self.negative_detail.setText("\n".join(lines))

    def ask_negative_form(self, form: FormDialog) -> bool:
        return form.exec() == FormDialog.DialogCode.Accepted

    def _category_box(self, current: str = "") -> QComboBox:
        box = QComboBox()
        box.addItem(self.tr("（不限）"), "")
        for n in self.nodes:
            if n.kind == NodeKind.CATEGORY:
                box.addItem(f"{n.code} {n.name}", n.code)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _negative_form(self, title: str, item: NegativeView | None) -> NegativeForm:
        form = NegativeForm(title, self)
        form.category = self._category_box(item.category_code if item else "")
        form.description = QPlainTextEdit(item.description if item else "")
        form.description.setPlaceholderText(self.tr("如：发生重大安全生产事故、占道经营反弹"))
        form.description.setFixedHeight(70)
        form.department = department_box(self.department_names,
                                         item.department if item else "",
                                         blank=self.tr("（未定）"))
        form.prevention = QPlainTextEdit(item.prevention if item else "")
        form.prevention.setPlaceholderText(self.tr("防范措施"))
        form.prevention.setFixedHeight(70)
        form.occurred = QCheckBox(self.tr("已发生，发生日期"))
        day = dt.date.fromisoformat(item.occurred_on) if item and item.occurred_on else None
        form.occurred_on = self._deadline_edit(day or self.today or dt.date.today())
        form.occurred.setChecked(bool(item and item.occurred))
        form.occurred_on.setEnabled(form.occurred.isChecked())
        form.occurred.toggled.connect(form.occurred_on.setEnabled)
        occurred_row = QHBoxLayout()
        occurred_row.addWidget(form.occurred)
        occurred_row.addWidget(form.occurred_on, 1)
        form.form.addRow(self.tr("测评项目"), form.category)
        form.form.addRow(self.tr("事项"), form.description)
        form.form.addRow(self.tr("责任单位"), form.department)
        form.form.addRow(self.tr("防范措施"), form.prevention)
        form.form.addRow("", occurred_row)
        form.resize(560, form.sizeHint().height())
        return form

    def _negative_done(self, message: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(message)
        self.reload()
        self.changed.emit(Changes(tasks=True))

    def add_negative(self) -> None:
        form = self._negative_form(self.tr("登记负面清单"), None)
        created: list[int] = []

        def submit() -> None:
            created.append(negatives.add_negative(
                self.archive, form.description.toPlainText(), self.person or "",
                code=form.category.currentData() or None,
                department=combo_text(form.department) or None,
                prevention=form.prevention.toPlainText(),
                occurred_on=date_of(form.occurred_on) if form.occurred.isChecked() else None))

        form.submit = submit
        if self.ask_negative_form(form) and created:
            self._pending_negative = created[0]
            self._negative_done(self.tr("已登记负面清单 {id}").format(id=created[0]))

    def edit_negative(self) -> None:
        item = self.selected_negative()
        if item is None:
            return
        form = self._negative_form(self.tr("修改负面清单 {id}").format(id=item.id), item)

        def submit() -> None:
            changes: dict[str, object] = {
                "description": form.description.toPlainText(),
                "code": form.category.currentData() or None,
                "department": combo_text(form.department),
                "prevention": form.prevention.toPlainText(),
                "occurred": form.occurred.isChecked()}
            if form.occurred.isChecked():
                changes["occurred_on"] = date_of(form.occurred_on)
            negatives.edit_negative(self.archive, item.id, changes, self.person or "")

        form.submit = submit
        if self.ask_negative_form(form):
            self._pending_negative = item.id
            self._negative_done(self.tr("负面清单 {id} 已修改").format(id=item.id))

    def dispose_negative(self) -> None:
        item = self.selected_negative()
        if item is None:
            return
        form = NegativeForm(self.tr("处置负面清单 {id}").format(id=item.id), self)
        form.note = QPlainTextEdit(item.disposal)
        form.note.setPlaceholderText(self.tr("处置情况：做了什么、结果如何"))
        form.note.setFixedHeight(90)
        form.evidence = QLineEdit(", ".join(map(str, item.evidence)))
        form.evidence.setPlaceholderText(self.tr("佐证材料编号，如 12, 15（可不填）"))
        day = dt.date.fromisoformat(item.occurred_on) if item.occurred_on else None
        form.occurred_on = self._deadline_edit(day or self.today or dt.date.today())
        form.form.addRow(self.tr("事项"), QLabel(item.description))
        form.form.addRow(self.tr("发生日期"), form.occurred_on)
        form.form.addRow(self.tr("处置情况"), form.note)
        form.form.addRow(self.tr("佐证材料"), form.evidence)

        def submit() -> None:
            text = form.evidence.text().replace("，", ",").replace(",", " ").split()
            if not all(t.lstrip("#").isdigit() for t in text):
                raise ZichaError(self.tr("佐证材料请填材料编号（数字），用逗号或空格分隔"))
            negatives.dispose(self.archive, item.id, form.note.toPlainText(),
                              self.person or "", evidence=[int(t.lstrip("#")) for t in text],
                              occurred_on=date_of(form.occurred_on))

        form.submit = submit
        form.resize(520, form.sizeHint().height())
        if self.ask_negative_form(form):
            self._pending_negative = item.id
            self._negative_done(self.tr("负面清单 {id} 的处置已登记").format(id=item.id))
