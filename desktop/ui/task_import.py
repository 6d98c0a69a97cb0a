"""Importing a 任务分解清单: the columns found are shown for confirmation or correction, with a
preview of the rows they give, before anything is written to the archive."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.common.errors import ZichaError
from desktop.core.ledger import tasks
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


class TaskImportDialog(QDialog):
    imported = Signal(object)  # tasks.TaskImport

    def __init__(self, archive: Archive, path: Path, person: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.path, self.person = archive, Path(path), person
        self.parsed: TaskList | None = None
        self.headers: list[str] = []
        self._jobs: list[Job] = []
        self._generation = 0
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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("各列对应（自动识别，可以改）：")))
        layout.addLayout(grid)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)
        self.resize(1000, 680)

        try:
            self.sheet.addItems(list_sheets(self.path))
        except ZichaError as exc:
            self.summary.setText(str(exc))
            return
        self.sheet.currentIndexChanged.connect(lambda _n: self._parse(columns=None))
        self._parse(columns=None)

    @property
    def busy(self) -> bool:
        return any(not job.done.is_set() for job in self._jobs)

    def chosen_columns(self) -> dict[str, int]:
        return {name: box.currentData() for name, box in self.field_boxes.items()
                if box.currentData()}

    def _reparse(self, _index: int = 0) -> None:
        self._parse(columns=self.chosen_columns())

    def _parse(self, columns: dict[str, int] | None) -> None:
        self._generation += 1
        generation, path, sheet = self._generation, self.path, self.sheet.currentText() or None
        self.import_button.setEnabled(False)

        def work(_job: Job) -> TaskList | ColumnsMissing:
            try:
                return read_task_list(path, sheet=sheet, columns=columns)
            except ColumnsMissing as exc:
                return exc

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda result: self._parsed(generation, result)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._failed(generation, message)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.parsed = None
            self.preview.setRowCount(0)
            self.summary.setText(f'<span style="color:#c62828">{message}</span>')

    def _parsed(self, generation: int, result: TaskList | ColumnsMissing) -> None:
        if generation != self._generation:
            return
        if isinstance(result, ColumnsMissing):
            self.parsed = None
            self._fill_boxes(result.headers, result.columns)
            self.preview.setRowCount(0)
            missing = "、".join(FIELD_LABELS[m] for m in result.missing)
            self.summary.setText(self.tr("没有找到“{missing}”列，请在上面选择对应的列。")
                                 .format(missing=missing))
            return
        self.parsed = result
        self._fill_boxes(result.headers, result.columns)
        rows = result.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for col, text in enumerate((str(row.row), row.category, row.item,
                                        "、".join(row.leads), "、".join(row.supports),
                                        row.deadline.label())):
                self.preview.setItem(n, col, QTableWidgetItem(text))
        tasks_count = sum(len(r.leads) + len([s for s in r.supports if s not in r.leads])
                          for r in result.rows)
        self.summary.setText(self.tr("表头在第 {header} 行；{rows} 行任务，按单位共 {tasks} 项。")
                             .format(header="、".join(map(str, result.header_rows)),
                                     rows=len(result.rows), tasks=tasks_count))
        self.warnings.setPlainText("\n".join(result.warnings))
        self.warnings.setVisible(bool(result.warnings))
        self.import_button.setEnabled(bool(result.rows))

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
        if self.parsed is None:
            return
        try:
            report = tasks.import_tasks(self.archive, self.path, parsed=self.parsed,
                                        actor=self.person)
        except ZichaError as exc:
            self.summary.setText(f'<span style="color:#c62828">{exc}</span>')
            return
        done = self.tr("新建测评内容 {items} 个，新建任务 {new} 项，"
                       "更新 {changed} 项，未变 {same} 项。")
        lines = [done.format(
                items=len(report.items_created), new=len(report.tasks_created),
                changed=len(report.tasks_updated), same=report.unchanged)]
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
