"""The review panel of one material: its signed history, each decision verified, and the
actions the current person may take (submit, approve, reject with a comment)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import keys, review
from desktop.core.archive import Archive
from desktop.core.errors import ZichaError
from desktop.core.materials import MaterialView
from desktop.core.models import ReviewState
from desktop.core.workflow import STAGE_AWAITED, STAGE_LABELS
from desktop.ui.models import STATE_COLOURS, state_label
from desktop.ui.timefmt import local_time

VERDICTS = {"approve": "通过", "reject": "退回"}


class ReviewPanel(QWidget):
    changed = Signal(int)  # material id whose state changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._view: MaterialView | None = None
        self.person: str | None = None

        self.badge = QLabel()
        self.stage_note = QLabel()
        self.stage_note.setWordWrap(True)
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
        layout.addWidget(QLabel(self.tr("审核记录（每条都验证签名）")))
        layout.addWidget(self.history_list, 1)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.show_material(None)

    def set_archive(self, archive: Archive | None) -> None:
        self._archive = archive
        self.show_material(None)

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
        for checked in review.history(self._archive, view.id):
            self.history_list.addItem(self._history_item(checked))
        person = self.person
        editable = view.state in ("draft", "returned")
        self.submit_button.setEnabled(bool(person) and editable)
        for w in (self.approve_button, self.reject_button, self.comment):
            w.setEnabled(bool(person) and awaited is not None)
        if not person:
            self.message.setText(self.tr("在工具栏选择“当前人员”后才能提交或审核"))

    def _history_item(self, c: review.CheckedDecision) -> QListWidgetItem:
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

    def submit(self) -> None:
        if self._archive is None or self._view is None or not self.person:
            return
        try:
            review.submit(self._archive, [self._view.id], self.person)
        except ZichaError as exc:
            self.message.setText(str(exc))
            return
        self.changed.emit(self._view.id)

    def decide(self, verdict: str) -> None:
        if self._archive is None or self._view is None or not self.person:
            return
        comment = self.comment.toPlainText().strip()
        if verdict == "reject" and not comment:
            self.message.setText(self.tr("退回时必须写明原因"))
            return
        passphrase = self.ask_passphrase(self.person)
        if passphrase is None:
            return
        try:
            key = keys.load_private(self.person, passphrase)
            review.decide(self._archive, self._view.id, self.person, verdict, comment, key)
        except ZichaError as exc:
            self.message.setText(str(exc))
            return
        self.changed.emit(self._view.id)
