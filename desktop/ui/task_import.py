"""Importing a 任务分解清单: the columns found are shown for confirmation or correction, with a
preview of the rows they give, and the list's own headings with the 测评项目 each goes to
(proposed, confirmed or changed here), before anything is written to the archive.

The list belongs to one 测评体系 (the one saved with the list, else the city's, or the one
chosen here); its headings are mapped to that system's 测评项目 only, and in a system the
bureau added a heading can become a new 测评项目 of it ("新建测评项目")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.archive.systems import SystemView, systems
from desktop.core.ledger import tasks
from desktop.core.ledger.headings import NEW, Category, HeadingChoice, heading_name
from desktop.core.ledger.tasklist import (
    FIELD_LABELS,
    FIELDS,
    ColumnsMissing,
    TaskList,
    read_task_list,
)
from desktop.core.ledger.tasklist import sheet_names as list_sheets
from desktop.ui.workers import Job, start, while_alive

PREVIEW_ROWS = 200
HEADING_COLUMNS = 4  # 清单中的标题 | 行 | 测评项目 | 依据
NEW_CATEGORY = tasks.NEW_VALUES[0]  # a heading's drop-down value: a new 测评项目 of the system
# what the worker reads: the list, how its headings map, the archive's 测评项目
_Parsed = tuple[TaskList, list[HeadingChoice], list[Category]]


class TaskImportDialog(QDialog):
    imported = Signal(object)  # tasks.TaskImport

    def __init__(self, archive: Archive, path: Path, person: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.path, self.person = archive, Path(path), person
        self.parsed: TaskList | None = None
        self.choices: list[HeadingChoice] = []
        self.category_boxes: list[QComboBox] = []
        self.headers: list[str] = []
        self.systems: dict[str, SystemView] = {}
        self._system_chosen = False  # the user picked the 测评体系 (a new 清单类别 keeps it)
        self._jobs: list[Job] = []
        self._importing: Job | None = None
        self._generation = 0
        self._shown = 0  # the generation whose result the dialog shows
        self.setWindowTitle(self.tr("导入任务分解清单 — {name}").format(name=self.path.name))

        self.sheet = QComboBox()
        self.field_boxes: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for n, name in enumerate(FIELDS):
            box = QComboBox()
            box.setMinimumWidth(160)
            box.activated.connect(self._reparse)
            self.field_boxes[name] = box
            grid.addWidget(QLabel(FIELD_LABELS[name]), n // 3, (n % 3) * 2)
            grid.addWidget(box, n // 3, (n % 3) * 2 + 1)
        self.preview = QTableWidget(0, 6)
        self.preview.setHorizontalHeaderLabels([
            self.tr("行"), self.tr("测评项目"), self.tr("测评内容"), self.tr("牵头单位"),
            self.tr("配合单位"), self.tr("完成时限")])
        self.preview.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.preview.verticalHeader().hide()
        self.list_kind = QComboBox()
        self.list_kind.setEditable(True)
        self.list_kind.addItems(tasks.LIST_KINDS)
        self.list_kind.setToolTip(self.tr("导入到哪个清单；各清单的任务互不影响，也可以输入新的清单类别"))
        self.system_box = QComboBox()
        self.system_box.setToolTip(self.tr("清单的任务归入哪个测评体系；标题只对应这个测评体系的测评项目"))
        self.headings = QTableWidget(0, HEADING_COLUMNS)
        self.headings.setHorizontalHeaderLabels([
            self.tr("清单中的标题"), self.tr("行"), self.tr("测评项目"), self.tr("依据")])
        header = self.headings.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.headings.verticalHeader().hide()
        self.headings_note = QLabel()
        self.headings_note.setWordWrap(True)
        self.all_new_button = QPushButton(self.tr("未选择的标题都新建为测评项目"))
        self.all_new_button.setToolTip(self.tr("把还没有选择测评项目的标题都作为所选测评体系的新测评项目"))
        self.all_new_button.clicked.connect(self.choose_new_for_open)
        self.all_new_button.hide()
        note_row = QHBoxLayout()
        note_row.addWidget(self.headings_note, 1)
        note_row.addWidget(self.all_new_button)
        mapping_page = QWidget()
        mapping_layout = QVBoxLayout(mapping_page)
        mapping_layout.addLayout(note_row)
        mapping_layout.addWidget(self.headings, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, self.tr("预览"))
        self.mapping_page = mapping_page
        self.tabs.addTab(mapping_page, self.tr("测评项目对应"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.warnings = QPlainTextEdit()
        self.warnings.setReadOnly(True)
        self.warnings.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("导入"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("工作表"), self.sheet)
        form.addRow(self.tr("清单"), self.list_kind)
        form.addRow(self.tr("测评体系"), self.system_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("各列对应（自动识别，可以改）：")))
        layout.addLayout(grid)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)
        self.resize(1000, 680)

        # the workbook's sheets, the archive's systems and each list's own are read on a
        # worker (正在读取… until then), then the sheet chosen is read
        self._loading = True
        self._saved_systems: dict[str, str] = {}  # 清单类别 -> the system saved with it
        self.summary.setText(self.tr("正在读取…"))
        archive, path = self.archive, self.path

        def work(_job: Job) -> tuple[list[str], list[SystemView], dict[str, str]]:
            return (list_sheets(path), systems(archive),
                    {info.kind: tasks.list_system(archive, info.kind).id
                     for info in tasks.task_lists(archive)})

        job = Job(work)
        job.signals.finished.connect(while_alive(self, lambda got: self._ready(*got)))
        job.signals.failed.connect(while_alive(self, self._not_ready))
        self._jobs.append(job)
        start(job)

    def _not_ready(self, message: str) -> None:
        self._loading = False
        self.summary.setText(message)

    def _ready(self, sheets: list[str], found: list[SystemView],
               saved: dict[str, str]) -> None:
        self._loading = False
        self.sheet.addItems(sheets)
        self._saved_systems = saved
        self._fill_systems(found)
        self.sheet.currentIndexChanged.connect(lambda _n: self._parse(columns=None))
        self.list_kind.currentTextChanged.connect(self._kind_changed)
        self.system_box.currentIndexChanged.connect(self._system_changed)
        self._parse(columns=None)

    def _saved_system(self, kind: str) -> SystemView | None:
        """The system saved with the list of this kind, else the city's (the one without a
        prefix), as tasks.list_system says."""
        saved = self.systems.get(self._saved_systems.get(kind, ""))
        return saved or next((s for s in self.systems.values() if not s.prefix), None)

    def _fill_systems(self, found: list[SystemView]) -> None:
        """The archive's systems, the list's own (saved with its 清单类别, else the city's)
        chosen."""
        self.systems = {s.id: s for s in found}
        self.system_box.blockSignals(True)
        for s in found:
            self.system_box.addItem(s.label + (self.tr("（权重 {weight}）").format(
                weight=s.weight_text) if s.weight is not None else ""), s.id)
        own = self._saved_system(self.kind())
        self.system_box.setCurrentIndex(max(self.system_box.findData(own.id if own else None),
                                            0))
        self.system_box.blockSignals(False)
        self.system_box.setEnabled(len(found) > 1)

    def system_id(self) -> str | None:
        return self.system_box.currentData()

    def system(self) -> SystemView | None:
        return self.systems.get(self.system_id() or "")

    def _kind_changed(self, _text: str) -> None:
        """Another 清单类别: its saved system, if it is one the bureau added; else the system
        chosen here stays (a new 清单类别 for another system is typed after choosing it)."""
        saved = self._saved_system(self.kind())
        if saved is not None and (saved.prefix or not self._system_chosen):
            self.system_box.blockSignals(True)
            self.system_box.setCurrentIndex(max(self.system_box.findData(saved.id), 0))
            self.system_box.blockSignals(False)
        self._reparse()

    def _system_changed(self, _index: int) -> None:
        self._system_chosen = True
        self._reparse()

    @property
    def busy(self) -> bool:
        """The dialog does not show the newest reading yet (a worker done has still to hand
        its result to the window)."""
        return self._loading or self._shown != self._generation or any(
            not job.done.is_set() for job in self._jobs)

    def chosen_columns(self) -> dict[str, int]:
        return {name: box.currentData() for name, box in self.field_boxes.items()
                if box.currentData()}

    def _reparse(self, _index: int = 0) -> None:
        self._parse(columns=self.chosen_columns())

    def kind(self) -> str:
        return self.list_kind.currentText().strip() or tasks.DEFAULT_KIND

    def chosen_categories(self) -> dict[str, str]:
        """Heading -> the 测评项目 code chosen in its drop-down, or NEW_CATEGORY (only those
        chosen)."""
        return {choice.heading: box.currentData()
                for choice, box in zip(self.choices, self.category_boxes, strict=True)
                if box.currentData()}

    def _parse(self, columns: dict[str, int] | None) -> None:
        self._generation += 1
        generation, path, sheet = self._generation, self.path, self.sheet.currentText() or None
        archive, kind, system = self.archive, self.kind(), self.system_id()
        self.import_button.setEnabled(False)

        def work(_job: Job) -> _Parsed | ColumnsMissing:
            try:
                parsed = read_task_list(path, sheet=sheet, columns=columns)
            except ColumnsMissing as exc:
                return exc
            return (parsed, tasks.heading_plan(archive, parsed, kind=kind, file=path.name,
                                               system=system),
                    tasks.categories(archive, system=system))

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda result: self._parsed(generation, result)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._failed(generation, message)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._shown = generation
            self.parsed = None
            self.preview.setRowCount(0)
            self.summary.setText(f'<span style="color:#c62828">{message}</span>')

    def _parsed(self, generation: int, result: _Parsed | ColumnsMissing) -> None:
        if generation != self._generation:
            return
        self._shown = generation
        if isinstance(result, ColumnsMissing):
            self.parsed = None
            self._fill_boxes(result.headers, result.columns)
            self.preview.setRowCount(0)
            self._fill_headings([], [])
            missing = "、".join(FIELD_LABELS[m] for m in result.missing)
            self.summary.setText(self.tr("没有找到“{missing}”列，请在上面选择对应的列。")
                                 .format(missing=missing))
            return
        result_list, choices, known = result
        self._show_list(result_list, choices, known)

    def _show_list(self, result: TaskList, choices: list[HeadingChoice],
                   known: list[Category]) -> None:
        self.parsed = result
        self._fill_boxes(result.headers, result.columns)
        self._fill_headings(choices, known)
        rows = result.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for col, text in enumerate((str(row.row), row.category, row.item,
                                        "、".join(row.leads), "、".join(row.supports),
                                        row.deadline.label())):
                self.preview.setItem(n, col, QTableWidgetItem(text))
        tasks_count = sum(len(r.leads) + len([s for s in r.supports if s not in r.leads])
                          for r in result.rows)
        summary = self.tr("表头在第 {header} 行；{rows} 行任务，按单位共 {tasks} 项。").format(
            header="、".join(map(str, result.header_rows)), rows=len(result.rows),
            tasks=tasks_count)
        to_confirm = [c for c in choices if not c.settled]
        if to_confirm:
            summary += self.tr("其中 {n} 个测评项目标题是清单自己的，请在“测评项目对应”中确认"
                                     "或选择它们对应的测评项目。").format(n=len(to_confirm))
            self.tabs.setCurrentWidget(self.mapping_page)
        self.summary.setText(summary)
        skipped = [r.row for r in result.rows if not r.leads and not r.supports]
        notes = list(result.warnings)
        if skipped:
            notes.insert(0, self.tr("将跳过 {rows}：没有牵头单位或责任单位。").format(
                rows=tasks.rows_text(skipped)))
        self.warnings.setPlainText("\n".join(notes))
        self.warnings.setVisible(bool(notes))
        self._update_import_button()

    def _fill_headings(self, choices: list[HeadingChoice], known: list[Category]) -> None:
        self.choices = choices
        self.category_boxes = []
        self.headings.setRowCount(len(choices))
        system = self.system()
        may_add = system is not None and not system.main and bool(choices)
        open_count = 0
        for n, choice in enumerate(choices):
            label = QTableWidgetItem(choice.label)
            label.setToolTip(choice.label)
            self.headings.setItem(n, 0, label)
            self.headings.setItem(n, 1, QTableWidgetItem(tasks.rows_text(choice.rows)))
            box = QComboBox()
            box.addItem(self.tr("（请选择）"), None)
            for category in known:
                box.addItem(f"{category.code} {category.name}", category.code)
            if may_add and choice.heading:
                box.addItem(self.tr("新建测评项目"), NEW_CATEGORY)
            wanted = NEW_CATEGORY if choice.how == NEW else \
                choice.code if choice.settled else choice.proposal
            box.setCurrentIndex(max(box.findData(wanted), 0) if wanted else 0)
            box.currentIndexChanged.connect(lambda _i, row=n: self._heading_changed(row))
            self.headings.setCellWidget(n, 2, box)
            self.category_boxes.append(box)
            self.headings.setItem(n, 3, QTableWidgetItem())
            self._show_reason(n)
            open_count += 0 if choice.settled else 1
        self.all_new_button.setVisible(may_add)
        if open_count:
            note = self.tr("清单中的 {n} 个标题不是测评体系的测评项目名称：已按编号或共同的词"
                           "给出建议，请逐一确认或改选；确认后随清单保存，再次导入修订的清单时"
                           "不再询问。").format(n=open_count)
        else:
            note = self.tr("每个标题都已对应测评项目（名称相同、写有编号，或上次导入时已确认）；"
                           "如需改动可在此改选。")
        if may_add:
            note += self.tr("“{name}”是本单位添加的测评体系：标题也可以选“新建测评项目”，导入时"
                            "以标题为名新建（编号 {prefix}01、{prefix}02 …顺延）。").format(
                name=system.name if system else "", prefix=system.prefix if system else "")
        self.headings_note.setText(note)

    def _show_reason(self, row: int) -> None:
        """Why the heading goes where its drop-down says: the core's reason, or that it will
        become a new 测评项目."""
        choice, box = self.choices[row], self.category_boxes[row]
        system = self.system()
        if box.currentData() == NEW_CATEGORY:
            text = self.tr("导入时新建测评项目“{name}”（{system}）").format(
                name=heading_name(choice.heading), system=system.name if system else "")
        else:
            text = choice.reason
        item = self.headings.item(row, 3)
        if item is not None:
            item.setText(text)
            item.setToolTip(text)

    def _heading_changed(self, row: int) -> None:
        self._show_reason(row)
        self._update_import_button()

    def choose_new_for_open(self) -> None:
        """Every heading without a 测评项目 chosen becomes a new one."""
        for box in self.category_boxes:
            if not box.currentData() and (index := box.findData(NEW_CATEGORY)) >= 0:
                box.setCurrentIndex(index)

    def _update_import_button(self) -> None:
        chosen = all(box.currentData() for box in self.category_boxes)
        self.import_button.setEnabled(self.parsed is not None and bool(self.parsed.rows)
                                      and chosen and self._importing is None)

    def _fill_boxes(self, headers: list[str], columns: dict[str, int]) -> None:
        self.headers = headers
        for name, box in self.field_boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("（无）"), 0)
            for n, header in enumerate(headers, 1):
                box.addItem(f"{n}. {header}" if header else f"{n}.", n)
            box.setCurrentIndex(box.findData(columns.get(name, 0)))
            box.blockSignals(False)

    def do_import(self) -> None:
        """Import on a worker (a long list writes many rows); the dialog waits, not the
        window."""
        if self.parsed is None or self._importing is not None:
            return
        archive, path, parsed, person = self.archive, self.path, self.parsed, self.person
        kind, categories, system = self.kind(), self.chosen_categories(), self.system_id()

        def work(_job: Job) -> tasks.TaskImport:
            return tasks.import_tasks(archive, path, parsed=parsed, actor=person, kind=kind,
                                      categories=categories, allow_skipped=True, system=system)

        job = Job(work)
        job.signals.finished.connect(while_alive(self, self._imported))
        job.signals.failed.connect(while_alive(self, self._import_failed))
        self._importing = job
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("正在导入…"))
        start(job, long=True)

    def _import_failed(self, message: str) -> None:
        self._importing = None
        self.summary.setText(f'<span style="color:#c62828">{message}</span>')
        self._update_import_button()

    def _imported(self, report: tasks.TaskImport) -> None:
        self._importing = None
        done = self.tr("新建测评内容 {items} 个，新建任务 {new} 项，"
                       "更新 {changed} 项，未变 {same} 项。")
        lines = [done.format(
                items=len(report.items_created), new=len(report.tasks_created),
                changed=len(report.tasks_updated), same=report.unchanged)]
        if report.categories_created:
            lines[0] = self.tr("新建测评项目 {n} 个（{names}），").format(
                n=len(report.categories_created),
                names="、".join(report.categories_created)) + lines[0]
        lines += report.tasks_updated + [self.tr("跳过：") + s for s in report.skipped]
        self.summary.setText(lines[0])
        self.warnings.setPlainText("\n".join(lines[1:] + report.warnings))
        self.warnings.setVisible(bool(lines[1:] + report.warnings))
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))
        self.imported.emit(report)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        for job in self._jobs:
            job.done.wait(10)
        super().closeEvent(event)
