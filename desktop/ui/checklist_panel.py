"""The 材料清单 of the selected 测评内容 (issue 19, item 2), under the indicator tree: each
requirement its item's 材料要求 states, ✔ met or ✘ with what is missing, then the notes the
checklist does not check. Evaluated on a worker (desktop.core.ledger.checklist); the window
asks it again when the item's materials change. Also the question before 提交初审 when the
checklists of the materials' 测评内容 have gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.common.changes import Changes
from desktop.core.ledger import checklist
from desktop.ui.operations import Operations
from desktop.ui.workers import Job, start, while_alive

MET, UNMET, NOTE = "#2e7d32", "#b00020", "#666666"


class ChecklistPanel(QWidget):
    """`shown` (the Checklist, or None) after each evaluation is on screen."""

    shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.show_item(None, None)

    def show_item(self, archive: Archive | None, code: str | None) -> None:
        """Show the checklist of 测评内容 `code` (None or a 测评项目: a hint instead)."""
        self._archive, self.code = archive, code
        self._generation += 1
        generation = self._generation
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
        self.shown.emit(found)


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
            ops.run(parent.tr("提交初审"), lambda: work(True), done=done, error=error)

    ops.run(parent.tr("提交初审"), lambda: work(False), done=finished, error=error)


def confirm_despite_gaps(parent: QWidget, gaps: list[dict[str, Any]]) -> bool:
    """Ask before 提交初审 when the checklists have gaps, listing them; True to submit anyway
    (the gaps are then recorded for the reviewers)."""
    box = QMessageBox(QMessageBox.Icon.Warning, parent.tr("提交初审"),
                      parent.tr("这些测评内容的材料清单还有缺项：\n\n{gaps}\n\n"
                                "仍然提交吗？缺项将随提交记录，审核人可以看到。")
                      .format(gaps=checklist.gap_text(gaps)),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("gapsBox")
    box.button(QMessageBox.StandardButton.Yes).setText(parent.tr("仍然提交"))
    box.button(QMessageBox.StandardButton.No).setText(parent.tr("先去补齐"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
