"""The review panel of one material: its signed history, each decision verified, and the
actions the current person may take (submit, approve, reject with a comment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import ReviewState
from desktop.core.common.changes import Changes
from desktop.core.ledger import checklist
from desktop.core.materials.service import MaterialView
from desktop.core.review import decisions, keys
from desktop.core.review.workflow import STAGE_AWAITED, STAGE_LABELS
from desktop.ui.checklist_panel import submit_checked
from desktop.ui.models import STATE_COLOURS, state_label
from desktop.ui.operations import Operations
from desktop.ui.timefmt import local_time
from desktop.ui.workers import Job, start, while_alive

VERDICTS = {"approve": "通过", "reject": "退回"}


@dataclass(frozen=True)
class ReviewFacts:
    """What the panel shows of one material beyond its state, read on a worker: each
    decision with its signature checked, what no longer matches a signature, what the 材料清单
    lacked when it was submitted, and what the person may do."""

    material_id: int
    person: str | None
    history: list[decisions.CheckedDecision]
    problems: list[Any]  # decisions.signed_state_problems of the material
    gaps: list[dict[str, Any]]
    allowed: decisions.Allowed

    @classmethod
    def read(cls, archive: Archive, view: MaterialView, person: str | None) -> ReviewFacts:
        gaps = (decisions.submission_gaps(archive, view.id)
                if view.state not in ("draft", "returned") else [])
        return cls(view.id, person, list(decisions.history(archive, view.id)),
                   list(decisions.signed_state_problems(archive, [view.id])), gaps,
                   decisions.allowed(archive, view.id, person))


class ReviewPanel(QWidget):
    changed = Signal(int)  # material id whose state changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._view: MaterialView | None = None
        self.person: str | None = None
        self._ops: Operations | None = None
        self.allowed: decisions.Allowed | None = None
        self._generation = 0  # only the facts of the newest material (and person) are shown
        self._job: Job | None = None

        self.badge = QLabel()
        self.stage_note = QLabel()
        self.stage_note.setWordWrap(True)
        # a material whose approvals its signatures no longer back (changed after signing)
        self.void_note = QLabel()
        self.void_note.setWordWrap(True)
        self.void_note.setStyleSheet("color: #b00020; font-weight: bold;")
        self.void_note.hide()
        # what the 材料清单 lacked when the clerk submitted this round anyway
        self.gaps_note = QLabel()
        self.gaps_note.setWordWrap(True)
        self.gaps_note.setStyleSheet("background: #fff3e0; color: #8d4a00; padding: 4px;")
        self.gaps_note.hide()
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        self.history_list.setMinimumHeight(140)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("审核意见（退回时必填）"))
        self.comment.setFixedHeight(60)
        self.submit_button = QPushButton(self.tr("提交初审"))
        self.approve_button = QPushButton(self.tr("通过并签名"))
        self.reject_button = QPushButton(self.tr("退回并签名"))
        self.submit_button.clicked.connect(self.submit)
        self.approve_button.clicked.connect(lambda: self.decide("approve"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.message = QLabel()
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.badge)
        top.addWidget(self.stage_note, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.submit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.approve_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.void_note)
        layout.addWidget(self.gaps_note)
        layout.addWidget(QLabel(self.tr("审核记录（每条都验证签名）")))
        layout.addWidget(self.history_list, 1)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.show_material(None)

    def set_archive(self, archive: Archive | None) -> None:
        job = self._job
        self.show_material(None)
        if job is not None:  # it reads the archive being closed: let it end first
            job.done.wait(10)
        self._archive = archive

    @property
    def loading(self) -> bool:
        """The history and the actions of the material shown are still being read."""
        return self._job is not None

    def set_operations(self, ops: Operations) -> None:
        self._ops = ops

    def set_person(self, name: str | None) -> None:
        self.person = name
        self.show_material(self._view)

    def show_material(self, view: MaterialView | None) -> None:
        self._view = view
        self.history_list.clear()
        self.message.clear()
        self.comment.clear()
        for w in (self.submit_button, self.approve_button, self.reject_button, self.comment):
            w.setEnabled(False)
            w.setToolTip("")
        self.allowed = None
        self.void_note.clear()
        self.void_note.hide()
        self.gaps_note.clear()
        self.gaps_note.hide()
        self._generation += 1
        self._job = None
        if view is None or self._archive is None:
            self.badge.clear()
            self.stage_note.setText(self.tr("未选择材料"))
            return
        colour = STATE_COLOURS.get(view.state, "#777")
        self.badge.setText(f'<span style="background:{colour}; color:white; padding:2px 6px;">'
                           f"&nbsp;{state_label(view.state)}&nbsp;</span>")
        awaited = STAGE_AWAITED.get(ReviewState(view.state))
        self.stage_note.setText(self.tr("等待{stage}").format(stage=STAGE_LABELS[awaited])
                                if awaited else "")
        # the history (each signature verified) and what the person may do: on a worker
        archive, person, generation = self._archive, self.person, self._generation
        job = Job(lambda _job: ReviewFacts.read(archive, view, person))
        job.signals.finished.connect(while_alive(
            self, lambda facts: self._show_facts(generation, view, facts)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._facts_failed(generation, message)))
        self._job = job
        start(job)

    def _facts_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._job = None
            self.message.setText(message)

    def _show_facts(self, generation: int, view: MaterialView, facts: ReviewFacts) -> None:
        if generation != self._generation:
            return  # another material (or person) was asked for meanwhile
        self._job = None
        self.message.clear()
        awaited = STAGE_AWAITED.get(ReviewState(view.state))
        if facts.gaps:
            self.gaps_note.setText(self.tr("提交时缺项：{gaps}").format(
                gaps=checklist.gap_text(facts.gaps)))
            self.gaps_note.show()
        for checked in facts.history:
            self.history_list.addItem(self._history_item(checked))
        for mismatch in facts.problems:
            self.void_note.setText(self.tr(
                "⚠ 与签名不符：{reason}。这份材料不会作为审核通过的材料导出。")
                .format(reason=mismatch.reason))
            self.void_note.show()
        # the same rules the actions apply: a button is enabled only if it would succeed
        allowed = self.allowed = facts.allowed
        self.submit_button.setEnabled(allowed.submit)
        self.submit_button.setToolTip(allowed.why_not_submit)
        for w in (self.approve_button, self.reject_button, self.comment):
            w.setEnabled(allowed.decide)
            w.setToolTip(allowed.why_not_decide)
        if not self.person:
            self.message.setText(self.tr("在工具栏选择“当前人员”后才能提交或审核"))
        elif awaited is not None and not allowed.decide:
            self.message.setText(self.tr("不能审核：{why}").format(why=allowed.why_not_decide))
        elif view.state in ("draft", "returned") and not allowed.submit:
            self.message.setText(self.tr("不能提交：{why}").format(why=allowed.why_not_submit))

    def _history_item(self, c: decisions.CheckedDecision) -> QListWidgetItem:
        stage = STAGE_LABELS.get(c.stage, c.stage)  # type: ignore[call-overload]
        mark = "✔" if c.ok else "✘"
        text = self.tr("{mark} 第{round}轮 {stage} {verdict} · {who} · {at}").format(
            mark=mark, round=c.round, stage=stage, verdict=VERDICTS.get(c.verdict, c.verdict),
            who=c.reviewer, at=local_time(c.decided_at))
        if c.comment:
            text += "\n" + self.tr("意见：") + c.comment
        if not c.ok:
            text += "\n" + c.problem
        item = QListWidgetItem(text)
        item.setForeground(self.palette().text() if c.ok else self._red())
        item.setData(256, c.ok)
        return item

    @staticmethod
    def _red():  # type: ignore[no-untyped-def]
        from PySide6.QtGui import QBrush, QColor

        return QBrush(QColor("#b00020"))

    def ask_passphrase(self, name: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("解锁签名密钥"),
                                        self.tr("{name} 的口令：").format(name=name),
                                        QLineEdit.EchoMode.Password)
        return text if ok else None

    def ask_resubmit_unchanged(self, reason: str) -> bool:
        answer = QMessageBox.question(
            self, self.tr("重新提交"),
            self.tr("这份材料退回后还没有修改过。\n退回理由：{reason}\n\n仍然原样重新提交吗？")
            .format(reason=reason or self.tr("（无）")))
        return answer == QMessageBox.StandardButton.Yes

    def submit(self) -> None:
        if self._archive is None or self._view is None or not self.person or self._ops is None:
            return
        allowed = self.allowed
        if allowed is not None and allowed.unchanged_since_return \
                and not self.ask_resubmit_unchanged(allowed.last_return):
            return
        archive, material_id, person = self._archive, self._view.id, self.person
        # the 材料清单 of its 测评内容 is checked first: with gaps, the person is asked
        submit_checked(self, self._ops, archive, [material_id], person, self.tr("已提交初审"),
                       done=lambda _c: self.changed.emit(material_id),
                       error=self.message.setText)

    def decide(self, verdict: str) -> None:
        if self._archive is None or self._view is None or not self.person or self._ops is None:
            return
        comment = self.comment.toPlainText().strip()
        if verdict == "reject" and not comment:
            self.message.setText(self.tr("退回时必须写明原因"))
            return
        passphrase = self.ask_passphrase(self.person)
        if passphrase is None:
            return
        archive, material_id, person = self._archive, self._view.id, self.person
        seen = decisions.awaited_stage(self._view.state) or None  # as shown, not as it may be now

        def work() -> Changes:
            key = keys.load_private(person, passphrase)
            decisions.decide(archive, material_id, person, verdict, comment, key,
                             seen_stage=seen)
            return Changes.of_materials([material_id], message=self.tr("已签名并记录"))

        self.message.setText(self.tr("正在签名…"))
        self._ops.run(self.tr("审核"), work, done=lambda _c: self.changed.emit(material_id),
                      error=self.message.setText)
