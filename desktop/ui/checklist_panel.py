"""The 材料清单 of the selected 测评内容 (issue 19, item 2), under the indicator tree: each
requirement its item's 材料要求 states, ✔ met or ✘ with what is missing, then the notes the
checklist does not check. Evaluated on a worker (desktop.core.ledger.checklist); the window
asks it again when the item's materials change. Also the question before 提交初审 when the
checklists of the materials' 测评内容 have gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive, default_actor
from desktop.core.common.changes import Changes
from desktop.core.ledger import checklist
from desktop.ui.operations import Operations
from desktop.ui.workers import Job, start, while_alive

MET, UNMET, NOTE = "#2e7d32", "#b00020", "#666666"


class ChecklistPanel(QWidget):
    """`shown` (the Checklist, or None) after each evaluation is on screen."""

    shown = Signal(object)
    dialog_shown = Signal(object)  # the RequirementsDialog just opened

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops: Operations | None = None
        self._actor: Callable[[], str | None] = lambda: None
        self._archive: Archive | None = None
        self.code: str | None = None
        self._generation = 0
        self._jobs: list[Job] = []
        self.current: checklist.Checklist | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setToolTip(self.tr("测评内容要求的材料：种类、数量、图片说明、字数。"
                                     "要求来自任务清单的材料要求、测评标准，或管理员的设定"))
        self.set_button = QPushButton(self.tr("设定材料要求…"))
        self.set_button.setToolTip(self.tr("管理员按任务清单的写法设定这个测评内容的材料要求，"
                                           "代替任务清单中的要求"))
        self.set_button.clicked.connect(lambda _checked=False: self.edit_requirements())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.set_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.show_item(None, None)

    def set_operations(self, ops: Operations, actor: Callable[[], str | None]) -> None:
        self._ops, self._actor = ops, actor

    def edit_requirements(self) -> RequirementsDialog | None:
        """The admin's own 材料要求 of the shown 测评内容, in a dialog."""
        found = self.current
        if found is None or self._archive is None or self._ops is None:
            return None
        dialog = RequirementsDialog(self._archive, self._ops, found, self._actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _spec: self.refresh())
        dialog.show()
        self.dialog_shown.emit(dialog)
        return dialog

    def show_item(self, archive: Archive | None, code: str | None) -> None:
        """Show the checklist of 测评内容 `code` (None or a 测评项目: a hint instead)."""
        self._archive, self.code = archive, code
        self._generation += 1
        generation = self._generation
        self.set_button.setEnabled(False)
        if archive is None or code is None or "." not in code:
            self.current = None
            self.title.setText(self.tr("<b>材料清单</b>"))
            self.list.clear()
            self.list.addItem(self.tr("选择一个测评内容，查看它要求的材料是否齐全"))
            self.shown.emit(None)
            return
        job = Job(lambda _job: checklist.checklist(archive, code))
        job.signals.finished.connect(while_alive(self, lambda c: self._show(generation, c)))
        job.signals.failed.connect(while_alive(self, lambda m: self._failed(generation, m)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def refresh(self) -> None:
        self.show_item(self._archive, self.code)

    @property
    def loading(self) -> bool:
        return any(not j.done.is_set() for j in self._jobs)

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.current = None
        self.list.clear()
        self.list.addItem(message)
        self.shown.emit(None)

    def _show(self, generation: int, found: checklist.Checklist) -> None:
        if generation != self._generation:
            return
        self.current = found
        self.list.clear()
        source = {checklist.ADMIN: self.tr("管理员设定"),
                  checklist.TASKS: self.tr("任务清单的材料要求"),
                  checklist.CRITERION: self.tr("测评标准"),
                  checklist.NONE: self.tr("无")}[found.spec.source]
        if found.status == "none":
            state = self.tr("无可检查的要求")
        elif found.gaps:
            state = self.tr('<span style="color:{c}">缺 {n} 项</span>').format(
                c=UNMET, n=len(found.gaps))
        else:
            state = self.tr('<span style="color:{c}">齐全</span>').format(c=MET)
        self.title.setText(self.tr("<b>材料清单 · {code} {name}</b>　{state}<br>"
                                   '<span style="color:#666">要求来自{source}，'
                                   "已归档材料 {n} 份</span>").format(
            code=found.code, name=found.name, state=state, source=source, n=found.materials))
        for c in found.checks:
            if c.met:
                text = self.tr("✔ {label}：有 {n}").format(label=c.requirement.label,
                                                          n=c.found)
                if c.lacking:
                    text += self.tr("（另有 {n} {unit}缺图片说明{fields}）").format(
                        n=c.short, unit=c.requirement.unit, fields="、".join(c.lacking))
            else:
                text = self.tr("✘ {label}\n　{missing}").format(label=c.requirement.label,
                                                               missing=c.missing)
            item = QListWidgetItem(text)
            item.setForeground(QBrush(QColor(MET if c.met else UNMET)))
            item.setToolTip(self.tr("原文：{text}").format(text=c.requirement.text))
            item.setData(Qt.ItemDataRole.UserRole, c.met)
            self.list.addItem(item)
        for note in found.spec.notes:
            item = QListWidgetItem(self.tr("· 备注（不自动检查）：{note}").format(note=note))
            item.setForeground(QBrush(QColor(NOTE)))
            self.list.addItem(item)
        if not found.checks and not found.spec.notes:
            self.list.addItem(self.tr("这个测评内容没有材料要求"))
        self.set_button.setEnabled(self._ops is not None and self._archive is not None
                                   and self._archive.writable)
        self.shown.emit(found)


class RequirementsDialog(QDialog):
    """The admin's own 材料要求 of one 测评内容 (checklist.set_requirements), written on the
    window's write lane as the current person; `saved` (the Spec) after a write, the core's
    refusal (not an admin, nothing recognised) shown in the dialog."""

    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, archive: Archive, ops: Operations, found: checklist.Checklist,
                 actor: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.ops, self.code, self._actor = archive, ops, found.code, actor
        self.setWindowTitle(self.tr("材料要求 — {code} {name}").format(code=found.code,
                                                                    name=found.name))
        note = QLabel(self.tr("按任务清单的写法写明要提供的材料及数量，如“工作方案1份；"
                              "实景图片5张以上，注明时间、地点、人物、主题、背景、事由；"
                              "情况说明300字”。保存后代替任务清单中的材料要求；"
                              "认不出的部分作为备注，不检查。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.text = QPlainTextEdit()
        self.text.setPlainText("\n".join(found.spec.texts))
        self.source = QLabel()
        self.source.setStyleSheet("color: #555;")
        if found.spec.source == checklist.ADMIN:
            self.source.setText(self.tr("现为管理员 {who} 设定").format(who=found.spec.set_by))
        else:
            self.source.setText(self.tr("现按{source}").format(source={
                checklist.TASKS: self.tr("任务清单的材料要求"),
                checklist.CRITERION: self.tr("测评标准"),
                checklist.NONE: self.tr("（无要求）")}.get(found.spec.source, "")))
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("保存"))
        self.clear_button = QPushButton(self.tr("恢复任务清单的要求"))
        self.clear_button.setEnabled(found.spec.source == checklist.ADMIN)
        close = QPushButton(self.tr("关闭"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda _c=False: self._write(self.text.toPlainText()))
        self.clear_button.clicked.connect(lambda _c=False: self._write(None))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.source)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(620, 340)

    def _write(self, text: str | None) -> None:
        actor = self._actor() or default_actor()
        archive, code = self.archive, self.code
        result: list[checklist.Spec] = []

        def work() -> Changes:
            result.append(checklist.set_requirements(archive, code, text, actor=actor))
            return Changes(message=self.tr("已更新 {code} 的材料要求").format(code=code))

        self.save_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("正在保存…"))
        self.ops.run(self.tr("材料要求"), work,
                     done=while_alive(self, lambda _c: self._written(result[0])),
                     error=while_alive(self, self._refused))

    def _written(self, spec: checklist.Spec) -> None:
        self.save_button.setEnabled(True)
        self.clear_button.setEnabled(spec.source == checklist.ADMIN)
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(self.tr("已保存：{n} 项要求，{m} 条备注").format(
            n=len(spec.requirements), m=len(spec.notes)))
        self.saved.emit(spec)

    def _refused(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(message)
        self.failed.emit(message)


def submit_checked(parent: QWidget, ops: Operations, archive: Archive, ids: list[int],
                   person: str, message: str, *, done: Callable[[Changes], None] | None = None,
                   error: Callable[[str], None] | None = None) -> None:
    """提交初审 on the window's write lane, the 材料清单 checked there (checklist.submit): with
    gaps nothing is written, the person is asked (confirm_despite_gaps) and, if they say so,
    the materials are submitted despite them (the gaps recorded for the reviewers)."""
    refused: list[list[dict[str, Any]]] = []

    def work(despite: bool) -> Changes:
        try:
            checklist.submit(archive, ids, person, despite_gaps=despite)
        except checklist.GapsFound as exc:
            refused.append(exc.gaps)
            return Changes()
        return Changes.of_materials(ids, message=message)

    def finished(changes: Changes) -> None:
        if not refused:
            if done is not None:
                done(changes)
        elif confirm_despite_gaps(parent, refused.pop()):
            ops.run(_submit_label(), lambda: work(True), done=done, error=error)

    ops.run(_submit_label(), lambda: work(False), done=finished, error=error)


def _submit_label() -> str:
    return QCoreApplication.translate("ChecklistPanel", "提交初审")


def confirm_despite_gaps(parent: QWidget, gaps: list[dict[str, Any]]) -> bool:
    """Ask before 提交初审 when the checklists have gaps, listing them; True to submit anyway
    (the gaps are then recorded for the reviewers)."""
    text = QCoreApplication.translate(
        "ChecklistPanel", "这些测评内容的材料清单还有缺项：\n\n{gaps}\n\n"
        "仍然提交吗？缺项将随提交记录，审核人可以看到。")
    box = QMessageBox(QMessageBox.Icon.Warning, _submit_label(),
                      text.format(gaps=checklist.gap_text(gaps)),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("gapsBox")
    yes = QCoreApplication.translate("ChecklistPanel", "仍然提交")
    no = QCoreApplication.translate("ChecklistPanel", "先去补齐")
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    box.button(QMessageBox.StandardButton.No).setText(no)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
