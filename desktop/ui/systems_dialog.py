"""测评体系: the indicator systems of an archive (同创同测: the city system and those evaluated
with it). The admin adds one from a YAML file the bureau wrote or empty, changes its weight (and
the name of one the bureau added), adds 测评项目 to it, and removes one nothing uses yet.

Every change is one call of desktop.core.archive.systems on the main window's write lane (the
same Operations as 添加测评内容); its `changed` record makes the window rebuild the tree. A
form stays open with the core's message when the core refuses (a prefix taken, a bad file …)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive import systems as core
from desktop.core.archive.archive import Archive
from desktop.core.archive.systems import SystemView
from desktop.core.common.changes import Changes
from desktop.core.common.errors import ZichaError
from desktop.ui.operations import Operations
from desktop.ui.people_dialog import ERROR_STYLE, FormDialog, record_table
from desktop.ui.workers import Job, start, while_alive

NO_WEIGHT = -1  # the weight box's special value: no weight (or, for a file, the file's own)


class OperationForm(FormDialog):
    """A form whose OK runs its operation on the write lane: the form waits (OK disabled) and
    closes when the core has done it, or stays open with the core's message."""

    def __init__(self, title: str, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.ops = ops
        # what OK runs: returns the work for the lane (checking the form first; a ZichaError
        # keeps the form open with its message)
        self.operation: Callable[[], Callable[[], Changes]] | None = None
        self.done_changes: Changes | None = None

    def _ok(self) -> None:
        if self.operation is None:
            self.accept()
            return
        try:
            work = self.operation()
        except ZichaError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.ok_button.setEnabled(False)
        self.ok_button.setText(self.tr("正在保存…"))

        def done(changes: Changes) -> None:
            self.done_changes = changes
            self.accept()

        def failed(message: str) -> None:
            self.ok_button.setEnabled(True)
            self.ok_button.setText(self.tr("确定"))
            self.show_error(message)

        self.ops.run(self.windowTitle(), work, done=while_alive(self, done),
                     error=while_alive(self, failed))

    def reject(self) -> None:
        if not self.ok_button.isEnabled():
            return  # the change is being written: its outcome is shown here in a moment
        super().reject()


def weight_box(weight: int | None, special: str) -> QSpinBox:
    """A weight in per cent, or the special value (NO_WEIGHT) shown as `special`."""
    box = QSpinBox()
    box.setRange(NO_WEIGHT, 100)
    box.setSpecialValueText(special)
    box.setSuffix("%")
    box.setValue(NO_WEIGHT if weight is None else weight)
    box.setMinimumWidth(120)
    box.setMaximumWidth(200)
    return box


def weight_of(box: QSpinBox) -> int | None:
    return None if box.value() == NO_WEIGHT else box.value()


def prefix_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(3)
    edit.setPlaceholderText(placeholder)
    edit.textEdited.connect(lambda text: edit.setText(text.upper()))
    return edit


class SystemsDialog(QDialog):
    """测评体系. `loaded` is emitted each time the table shows the archive's systems."""

    loaded = Signal()

    def __init__(self, archive: Archive, ops: Operations, actor: Callable[[], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("测评体系"))
        self.archive, self.ops, self._actor = archive, ops, actor
        self.systems: list[SystemView] = []
        self._jobs: list[Job] = []
        self._generation = 0
        self._reloading: int | None = None  # the generation of its own reload under way
        self._writing = False  # a change without a form is on the lane

        note = QLabel(self.tr(
            "同创同测的测评体系（如未成年人思想道德建设、文明村镇）与文明城市测评体系一起归档，"
            "各有编号前缀（W01、W01.02 …）和权重。测评项目可以从本单位写的测评体系文件导入，"
            "也可以逐个添加，或在导入任务清单时新建。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.file_button = QPushButton(self.tr("从文件添加…"))
        self.create_button = QPushButton(self.tr("新建…"))
        self.edit_button: QPushButton = QPushButton(self.tr("修改名称/权重…"))
        self.table = record_table([self.tr("名称"), self.tr("编号前缀"), self.tr("权重"),
                                   self.tr("测评项目"), self.tr("测评内容"), self.tr("材料")],
                                  stretch=0, edit=self.edit_button, selected=self._update_buttons)
        self.category_button = QPushButton(self.tr("添加测评项目…"))
        self.remove_button = QPushButton(self.tr("删除…"))
        self.file_button.clicked.connect(self.add_from_file)
        self.create_button.clicked.connect(self.create_empty)
        self.edit_button.clicked.connect(self.edit_selected)
        self.category_button.clicked.connect(self.add_category)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for button in (self.file_button, self.create_button, self.edit_button,
                       self.category_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(860, 420)
        self._update_buttons()
        self.reload()

    # -- what the user is asked (tests answer these) ---------------------------------------------

    def ask_form(self, form: OperationForm) -> bool:
        return form.exec() == QDialog.DialogCode.Accepted

    def ask_open_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择测评体系文件"), "",
            self.tr("测评体系文件 (*.yaml *.yml);;所有文件 (*)"))
        return Path(path) if path else None

    def ask_confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    # -- showing -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._writing or any(not job.done.is_set() for job in self._jobs)

    def reload(self, select: str | None = None) -> None:
        """Read the systems on a worker (their material counts read every filing)."""
        self._generation += 1
        generation, archive = self._generation, self.archive
        current = self.selected()
        wanted = select or (current.id if current else None)
        job = Job(lambda _job: core.systems(archive))
        self._reloading = generation

        def shown(found: list[SystemView]) -> None:
            if self._reloading == generation:
                self._reloading = None
            self._show(generation, found, wanted)

        def failed(message: str) -> None:
            if self._reloading == generation:
                self._reloading = None
            self._fail(message)

        job.signals.finished.connect(while_alive(self, shown))
        job.signals.failed.connect(while_alive(self, failed))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def set_systems(self, found: list[SystemView]) -> None:
        """Show systems read elsewhere (the main window's refresh after any change). A reload
        of the dialog's own still under way is left to win: it selects what it was asked to
        (the system just made), and the window's read may arrive before it."""
        if self._reloading is not None:
            return
        self._generation += 1
        current = self.selected()
        self._show(self._generation, found, current.id if current else None)

    def _show(self, generation: int, found: list[SystemView], wanted: str | None) -> None:
        if generation != self._generation:
            return
        self.systems = found
        self.table.setRowCount(len(found))
        for n, s in enumerate(found):
            cells = (s.label, s.prefix or self.tr("（无）"), s.weight_text or "—",
                     str(s.categories), str(s.items), str(s.materials))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, s.id)
                    item.setToolTip(self.source_text(s))
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(n, col, item)
        self.select_system(wanted)
        self._update_buttons()
        self.loaded.emit()

    def source_text(self, system: SystemView) -> str:
        return {"shipped": self.tr("主测评体系，随档案提供；测评项目来自测评体系文件"),
                "file": self.tr("本单位从测评体系文件添加"),
                "bureau": self.tr("本单位新建；测评项目由本单位添加")}.get(system.source,
                                                                  system.source)

    def selected(self) -> SystemView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        wanted = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((s for s in self.systems if s.id == wanted), None)

    def select_system(self, system_id: str | None) -> None:
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if system_id and item is not None \
                    and item.data(Qt.ItemDataRole.UserRole) == system_id:
                self.table.selectRow(row)
                return

    def _enable(self, button: QPushButton, why: str, tip: str) -> None:
        button.setEnabled(not why)
        button.setToolTip(why or tip)

    def _update_buttons(self) -> None:
        system = self.selected()
        writing = self.tr("正在保存上一项修改…") if self._writing else ""
        pick = writing or ("" if system else self.tr("先在表中选择一个测评体系"))
        added = pick or (self.tr("“{name}”是主测评体系：测评项目来自测评体系文件，"
                                 "不能添加或删除").format(name=system.name)
                         if system is not None and system.main else "")
        self._enable(self.file_button, writing,
                     self.tr("添加本单位写的测评体系文件（YAML），连同其测评项目和测评内容"))
        self._enable(self.create_button, writing,
                     self.tr("新建一个空的测评体系，再逐个添加测评项目或从任务清单新建"))
        self._enable(self.edit_button, pick,
                     self.tr("修改所选测评体系的权重（本单位添加的还可改名）"))
        self._enable(self.category_button, added, self.tr("为所选测评体系添加一个测评项目"))
        self._enable(self.remove_button, added,
                     self.tr("删除所选测评体系（只限还没有材料、任务和任务清单的）"))

    def _done(self, changes: Changes, select: str | None = None) -> None:
        self.message.setStyleSheet("")
        self.message.setText(changes.message)
        if select:  # the window's refresh may show it already
            self.select_system(select)
        self.reload(select)

    def _fail(self, message: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message)

    def _form_done(self, form: OperationForm, select: str | None = None) -> None:
        if form.done_changes is not None:
            self._done(form.done_changes, select)

    # -- changes -----------------------------------------------------------------------------

    def add_from_file(self) -> None:
        path = self.ask_open_path()
        if path is None:
            return
        form = OperationForm(self.tr("从文件添加测评体系"), self.ops, self)
        file_label = QLabel(path.name)
        file_label.setToolTip(str(path))
        prefix = prefix_edit(self.tr("留空则用文件中写的 prefix，如 W"))
        weight = weight_box(None, self.tr("按文件"))
        form.form.addRow(self.tr("文件"), file_label)
        form.form.addRow(self.tr("编号前缀"), prefix)
        form.form.addRow(self.tr("权重"), weight)
        archive, actor, added = self.archive, self._actor(), {}

        def operation() -> Callable[[], Changes]:
            chosen, share = prefix.text().strip() or None, weight_of(weight)

            def work() -> Changes:
                view = core.add_system_file(archive, path, prefix=chosen, weight=share,
                                            actor=actor)
                added["id"] = view.id
                return Changes(tree=True, tasks=True, message=self.tr(
                    "已添加测评体系“{name}”（编号前缀 {prefix}）：测评项目 {categories} 个，"
                    "测评内容 {items} 项").format(name=view.name, prefix=view.prefix,
                                                categories=view.categories, items=view.items))
            return work

        form.operation = operation
        form.resize(480, form.sizeHint().height())
        if self.ask_form(form):
            self._form_done(form, added.get("id"))

    def create_empty(self) -> None:
        form = OperationForm(self.tr("新建测评体系"), self.ops, self)
        name = QLineEdit()
        name.setPlaceholderText(self.tr("如 全国未成年人思想道德建设工作测评体系"))
        prefix = prefix_edit(self.tr("1 到 3 个大写字母，如 W"))
        edition = QLineEdit()
        edition.setPlaceholderText(self.tr("可不填，如 2023"))
        weight = weight_box(None, self.tr("不计权重"))
        form.form.addRow(self.tr("名称"), name)
        form.form.addRow(self.tr("编号前缀"), prefix)
        form.form.addRow(self.tr("版本（年）"), edition)
        form.form.addRow(self.tr("权重"), weight)
        hint = QLabel(self.tr("编号将带上前缀：测评项目 W01、W02 …，测评内容 W01.01 …"))
        hint.setStyleSheet("color: #555;")
        form.form.addRow(hint)
        archive, actor, added = self.archive, self._actor(), {}

        def operation() -> Callable[[], Changes]:
            text, letters = name.text().strip(), prefix.text().strip()
            share, year = weight_of(weight), edition.text().strip()
            if not text:
                raise ZichaError(self.tr("请填写测评体系的名称"))
            if not letters:
                raise ZichaError(self.tr("请填写编号前缀：1 到 3 个大写字母，如 W"))

            def work() -> Changes:
                view = core.create_system(archive, text, prefix=letters, weight=share,
                                          edition=year, actor=actor)
                added["id"] = view.id
                return Changes(tree=True, tasks=True, message=self.tr(
                    "已新建测评体系“{name}”（编号前缀 {prefix}）；请为它添加测评项目")
                    .format(name=view.name, prefix=view.prefix))
            return work

        form.operation = operation
        form.resize(520, form.sizeHint().height())
        if self.ask_form(form):
            self._form_done(form, added.get("id"))

    def edit_selected(self) -> None:
        system = self.selected()
        if system is None:
            return
        form = OperationForm(self.tr("修改测评体系"), self.ops, self)
        name = QLineEdit(system.name)
        if system.main:
            name.setReadOnly(True)
            name.setToolTip(self.tr("主测评体系的名称来自测评体系文件，不能修改"))
        weight = weight_box(system.weight, self.tr("不计权重"))
        form.form.addRow(self.tr("名称"), name)
        form.form.addRow(self.tr("编号前缀"), QLabel(system.prefix or self.tr("（无）")))
        form.form.addRow(self.tr("权重"), weight)
        archive, actor, ref = self.archive, self._actor(), system.id

        def operation() -> Callable[[], Changes]:
            text = None if system.main else name.text().strip()
            share = weight_of(weight)
            if text is not None and not text:
                raise ZichaError(self.tr("测评体系的名称不能为空"))

            def work() -> Changes:
                changed = core.edit_system(archive, ref, name=text, weight=share, actor=actor)
                if not changed:
                    return Changes(message=self.tr("“{name}”没有改动").format(name=system.name))
                return Changes(tree=True, tasks=True, message=self.tr(
                    "已修改测评体系“{name}”").format(name=text or system.name))
            return work

        form.operation = operation
        form.resize(560, form.sizeHint().height())
        if self.ask_form(form):
            self._form_done(form, ref)

    def add_category(self) -> None:
        system = self.selected()
        if system is None or system.main:
            return
        form = OperationForm(self.tr("添加测评项目"), self.ops, self)
        form.form.addRow(self.tr("测评体系"), QLabel(system.label))
        name = QLineEdit()
        name.setPlaceholderText(self.tr("如 思想道德教育"))
        form.form.addRow(self.tr("测评项目名称"), name)
        form.form.addRow(QLabel(self.tr("编号自动顺延：{prefix}{n:02d}").format(
            prefix=system.prefix, n=system.categories + 1)))
        archive, actor, ref = self.archive, self._actor(), system.id

        def operation() -> Callable[[], Changes]:
            text = name.text().strip()
            if not text:
                raise ZichaError(self.tr("请填写测评项目的名称"))

            def work() -> Changes:
                code = core.add_category(archive, ref, text, actor=actor)
                return Changes(tree=True, message=self.tr("已添加测评项目 {code} {name}")
                               .format(code=code, name=text))
            return work

        form.operation = operation
        form.resize(480, form.sizeHint().height())
        if self.ask_form(form):
            self._form_done(form, ref)

    def remove_selected(self) -> None:
        system = self.selected()
        if system is None or system.main or self._writing:
            return
        if not self.ask_confirm(self.tr("删除测评体系"), self.tr(
                "删除测评体系“{name}”及其 {categories} 个测评项目、{items} 项测评内容？\n"
                "只有还没有材料、任务和任务清单的测评体系可以删除；审计日志会记录这次删除。")
                .format(name=system.label, categories=system.categories, items=system.items)):
            return
        archive, actor, ref = self.archive, self._actor(), system.id

        def work() -> Changes:
            view = core.remove_system(archive, ref, actor=actor)
            return Changes(tree=True, tasks=True, message=self.tr("已删除测评体系“{name}”")
                           .format(name=view.name))

        self._writing = True
        self._update_buttons()

        def finished(changes: Changes) -> None:
            self._writing = False
            self._done(changes)

        def failed(message: str) -> None:
            self._writing = False
            self._update_buttons()
            self._fail(message)

        self.ops.run(self.tr("删除测评体系"), work, done=while_alive(self, finished),
                     error=while_alive(self, failed))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        for job in self._jobs:
            job.done.wait(10)
        super().closeEvent(event)
