"""结论性说明 of one 测评内容 (issue 19, item 3): read on a worker, written through the core on
the window's write lane (items.set_conclusion), printed by the export in the item's
测评材料提交表 with its 填表人 and date."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive, default_actor
from desktop.core.archive.items import MAX_CONCLUSION, Conclusion, conclusion, set_conclusion
from desktop.core.common.changes import Changes
from desktop.ui.operations import Operations
from desktop.ui.timefmt import local_time
from desktop.ui.workers import Job, start, while_alive


class ConclusionDialog(QDialog):
    """`loaded` when the text is shown, `saved` (the Conclusion) after a write, `failed`
    (the message) when the core refused."""

    loaded = Signal()
    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, archive: Archive, ops: Operations, code: str, name: str,
                 actor: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive, self.ops, self.code, self._actor = archive, ops, code, actor
        self.setWindowTitle(self.tr("结论性说明 — {code} {name}").format(code=code, name=name))
        note = QLabel(self.tr("结论性说明印在这个测评内容的《测评材料提交表》中，并署填表人和日期。"
                              "写明本单位做了什么、材料说明了什么，简短为宜（最多 {n} 字）。")
                      .format(n=MAX_CONCLUSION))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("如：本单位制定了学习制度，全年开展专题学习 12 次，"
                                             "材料齐全，成效明显。"))
        self.text.textChanged.connect(self._count)
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.written = QLabel()
        self.written.setStyleSheet("color: #555;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("保存"))
        self.clear_button = QPushButton(self.tr("删除结论性说明"))
        close = QPushButton(self.tr("关闭"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.written)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 380)
        self._stored = ""
        self._set_busy(True)
        self.message.setText(self.tr("正在读取…"))
        self._job = Job(lambda _job: conclusion(archive, code))
        self._job.signals.finished.connect(while_alive(self, self._show))
        self._job.signals.failed.connect(while_alive(self, self._refused))
        start(self._job)

    def _set_busy(self, busy: bool) -> None:
        writable = self.archive.writable
        self.text.setReadOnly(busy or not writable)
        self.save_button.setEnabled(not busy and writable)
        self.clear_button.setEnabled(not busy and writable and bool(self._stored))
        if not writable:
            self.save_button.setToolTip(self.tr("本档案以只读方式打开"))

    def _count(self) -> None:
        n = len(self.text.toPlainText().strip())
        self.counter.setText(self.tr("{n} / {max} 字").format(n=n, max=MAX_CONCLUSION))
        self.counter.setStyleSheet("color: #b00020;" if n > MAX_CONCLUSION else "color: #555;")

    def _show(self, found: Conclusion) -> None:
        self._stored = found.text
        self.text.setPlainText(found.text)
        self._show_written(found)
        self.message.clear()
        self._set_busy(False)
        self._count()
        self.loaded.emit()

    def _show_written(self, found: Conclusion) -> None:
        if found.text and found.written_at is not None:
            self.written.setText(self.tr("填表人 {who}，{when}").format(
                who=found.written_by,
                when=local_time(found.written_at.isoformat(timespec="seconds") + "Z")))
        else:
            self.written.setText(self.tr("还没有结论性说明；导出的提交表留空白，供手写。"))

    def _refused(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message)
        self.message.setStyleSheet("color: #b00020;")
        self.failed.emit(message)

    def save(self) -> None:
        self._write(self.text.toPlainText())

    def clear(self) -> None:
        self._write("")

    def _write(self, text: str) -> None:
        actor = self._actor() or default_actor()  # no roster: the user of this computer
        archive, code = self.archive, self.code
        result: list[Conclusion] = []

        def work() -> Changes:
            result.append(set_conclusion(archive, code, text, actor=actor))
            return Changes(message=self.tr("已保存 {code} 的结论性说明").format(code=code)
                           if text.strip() else
                           self.tr("已删除 {code} 的结论性说明").format(code=code))

        self._set_busy(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("正在保存…"))
        self.ops.run(self.tr("结论性说明"), work,
                     done=while_alive(self, lambda _c: self._written(result[0])),
                     error=while_alive(self, self._refused))

    def _written(self, found: Conclusion) -> None:
        self._stored = found.text
        self._show_written(found)
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(self.tr("已保存，导出时印在提交表中") if found.text
                             else self.tr("已删除"))
        self._set_busy(False)
        self.saved.emit(found)
