"""A review session over a review package (审核包), for a reviewer on their own PC: every file
read in the viewer, approve or reject each material with a comment, sign with the passphrase,
save the small decisions file to carry back. The package is never changed and no archive is
needed; opening it checks every file hash and every earlier signature (package.open_package)."""

from __future__ import annotations

import html
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress
from desktop.core.materials.detect import Refused, detect
from desktop.core.materials.service import FileInfo
from desktop.core.review import keys, roster
from desktop.core.review.package import (
    Choice,
    ReviewPackage,
    number,
    open_package,
    review_package,
    write_decisions,
)
from desktop.core.review.workflow import APPROVE, REJECT, STAGE_LABELS, Role
from desktop.ui.mark_tools import ListedMarks
from desktop.ui.models import STATE_COLOURS, state_label
from desktop.ui.preview import PreviewWidget
from desktop.ui.timefmt import local_time

VERDICT_LABELS = {APPROVE: QT_TRANSLATE_NOOP("Verdict", "通过"),
                  REJECT: QT_TRANSLATE_NOOP("Verdict", "退回")}


def verdict_label(verdict: str) -> str:
    return QCoreApplication.translate("Verdict", VERDICT_LABELS.get(verdict, verdict))  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object


@dataclass
class OpenedPackage:
    """A checked package with its files unpacked (by hash) into a private temporary folder."""

    package: ReviewPackage
    folder: tempfile.TemporaryDirectory[str]
    files: dict[int, list[tuple[Path, FileInfo]]] = field(default_factory=dict)

    def close(self) -> None:
        self.package.close()
        self.folder.cleanup()


def open_for_review(path: Path, progress: Progress | None = None) -> OpenedPackage:
    """Check the package and unpack its files for the viewer; runs on a worker. `progress`
    steps per file; cancelled, the unpacked files are removed and Cancelled raised."""
    package = open_package(path)
    folder = tempfile.TemporaryDirectory(prefix="zicha-review-")
    opened = OpenedPackage(package, folder)
    try:
        unpacked: dict[str, Path] = {}
        kinds: dict[str, tuple[str, str, int | None]] = {}
        total = len(package.manifest)
        for n, entry in enumerate(package.manifest, 1):
            sha = entry["sha256"]
            target = Path(folder.name) / sha
            target.write_bytes(package.file_bytes(sha))  # checked against its hash again
            unpacked[sha] = target
            try:
                found = detect(target)
                kinds[sha] = (found.kind, found.mime, found.page_count)
            except Refused:
                kinds[sha] = ("unknown", "application/octet-stream", None)
            if progress is not None:
                progress.step(n, total)
                progress.check("已取消打开审核包")
        for m in package.materials:
            facts = m["facts"]
            opened.files[number(m)] = [
                (unpacked[f["sha256"]], FileInfo(f["name"], f["sha256"], f["size"],
                                                 *kinds[f["sha256"]]))
                for f in facts["files"]]
    except BaseException:
        opened.close()
        raise
    return opened


class PackageReviewWindow(QMainWindow):
    """Read-only review session: decisions are collected here and only leave the window as a
    signed decisions file."""

    saved = Signal(str)  # path of the decisions file written

    def __init__(self, opened: OpenedPackage, person: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.opened = opened
        self.package = package = opened.package
        self.choices: dict[int, Choice] = {}
        self._saved_choices: dict[int, Choice] | None = None
        self._material_id: int | None = None
        stage = STAGE_LABELS[Role(package.stage)]
        self.setWindowTitle(self.tr("审核包（只读）— {stage} — {name}").format(
            stage=stage, name=package.path.name))

        self.banner = QLabel(self.tr(
            "<b>{stage}审核包</b>（只读审核，不会修改任何档案）· 档案：{archive} · "
            "{count} 份材料 · 生成于 {at}").format(
                stage=stage, archive=package.archive.get("name") or package.archive["id"],
                count=len(package.materials),
                at=local_time(package.created_at)))
        self.banner.setWordWrap(True)
        self.reviewer_box = QComboBox()
        for entry in package.roster:
            if any(roster.parse_role(r)[0] == package.stage for r in entry["roles"]):
                self.reviewer_box.addItem(
                    f"{entry['name']}（{entry['department'] or ''}）", entry["name"])
        if person and (index := self.reviewer_box.findData(person)) >= 0:
            self.reviewer_box.setCurrentIndex(index)

        self.material_list = QListWidget()
        self.material_list.setWordWrap(True)
        self.material_list.currentRowChanged.connect(self._material_chosen)
        self.preview = PreviewWidget()
        # 红线标注 the clerk made, shown as the reviewer signs them (checked on opening)
        self.preview.marks_host = ListedMarks(
            {number(m): m.get("marks") or [] for m in package.materials})
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("审核意见（退回时必填）"))
        self.comment.setFixedHeight(70)
        self.approve_button = QPushButton(self.tr("通过"))
        self.reject_button = QPushButton(self.tr("退回"))
        self.undo_button = QPushButton(self.tr("撤销决定"))
        self.approve_button.clicked.connect(lambda: self.choose(APPROVE))
        self.reject_button.clicked.connect(lambda: self.choose(REJECT))
        self.undo_button.clicked.connect(self.undo)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.sign_button = QPushButton(self.tr("签名并保存决定文件…"))
        self.sign_button.clicked.connect(self.sign_and_save)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.facts)
        side_layout.addWidget(QLabel(self.tr("既往审核记录（签名已验证）")))
        side_layout.addWidget(self.history_list, 1)
        side_layout.addWidget(self.comment)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.approve_button)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(self.material_list)
        splitter.addWidget(self.preview)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 3)
        top = QHBoxLayout()
        top.addWidget(self.banner, 1)
        top.addWidget(QLabel(self.tr("审核人：")))
        top.addWidget(self.reviewer_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.sign_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        self._make_actions()
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(min(1280, screen.width() - 40) if screen else 1280,
                    min(800, screen.height() - 60) if screen else 760)

        for _ in package.materials:
            self.material_list.addItem(QListWidgetItem())
        self._refresh_list()
        if not self.reviewer_box.count():
            self.message.setText(self.tr("审核包的名册中没有可做{stage}的人员，不能在此签名")
                                 .format(stage=stage))
        self.material_list.setCurrentRow(0)

    def _make_actions(self) -> None:
        def action(text: str, slot, shortcut: str | QKeySequence.StandardKey) -> QAction:  # type: ignore[no-untyped-def]
            act = QAction(text, self)
            act.triggered.connect(lambda _checked=False: slot())
            act.setShortcut(QKeySequence(shortcut))
            return act

        self.approve_action = action(self.tr("通过"), lambda: self.choose(APPROVE), "Ctrl+Return")
        self.reject_action = action(self.tr("退回"), lambda: self.choose(REJECT), "Ctrl+Shift+R")
        self.undo_action = action(self.tr("撤销决定"), self.undo, QKeySequence.StandardKey.Undo)
        self.previous_action = action(self.tr("上一份材料"), lambda: self._step(-1), "Alt+Up")
        self.next_action = action(self.tr("下一份材料"), lambda: self._step(1), "Alt+Down")
        self.sign_action = action(self.tr("签名并保存决定文件…"), self.sign_and_save,
                                  QKeySequence.StandardKey.Save)
        close_action = action(self.tr("关闭"), self.close, QKeySequence.StandardKey.Close)
        menu = self.menuBar().addMenu(self.tr("审核(&R)"))
        for a in (self.approve_action, self.reject_action, self.undo_action):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.previous_action)
        menu.addAction(self.next_action)
        menu.addSeparator()
        menu.addAction(self.sign_action)
        menu.addAction(close_action)

    def _step(self, by: int) -> None:
        row = self.material_list.currentRow() + by
        if 0 <= row < self.material_list.count():
            self.material_list.setCurrentRow(row)

    # -- materials -----------------------------------------------------------------------------

    @property
    def reviewer(self) -> str | None:
        return self.reviewer_box.currentData()

    def _refresh_list(self) -> None:
        for row, m in enumerate(self.package.materials):
            facts = m["facts"]
            choice = self.choices.get(number(m))
            mark = {APPROVE: "✔ ", REJECT: "✘ "}.get(choice.verdict, "") if choice else ""
            item = self.material_list.item(row)
            item.setText(f"{mark}#{number(m)} {facts['title']}\n"
                         f"    {facts['department'] or ''} · "
                         + (verdict_label(choice.verdict) if choice
                            else self.tr("未决定")))
            item.setData(Qt.ItemDataRole.UserRole, number(m))
            colour = {APPROVE: "#2e7d32", REJECT: "#c62828"}.get(choice.verdict) if choice \
                else None
            item.setForeground(QBrush(QColor(colour)) if colour else QBrush())
        decided = len(self.choices)
        self.summary.setText(self.tr("已决定 {n}/{total} 份；未决定的材料不写入决定文件").format(
            n=decided, total=len(self.package.materials)))
        self.sign_button.setEnabled(bool(decided) and bool(self.reviewer_box.count()))
        if hasattr(self, "sign_action"):
            self.sign_action.setEnabled(self.sign_button.isEnabled())

    def _material_chosen(self, row: int) -> None:
        if row < 0:
            return
        m = self.package.materials[row]
        facts = m["facts"]
        self._material_id = number(m)
        colour = STATE_COLOURS.get(m["state"], "#777")
        lines = [
            f"<b>#{number(m)} {facts['title']}</b>",
            f'<span style="background:{colour}; color:white;">&nbsp;{state_label(m["state"])}'
            "&nbsp;</span> " + self.tr("第 {n} 轮").format(n=m["review_round"]),
            self.tr("文号：{v}").format(v=facts["doc_number"] or "—"),
            self.tr("日期：{v}").format(v=facts["material_date"] or "—"),
            self.tr("责任单位：{v}").format(v=facts["department"] or "—"),
            self.tr("类型：{v}").format(v=facts["material_type"] or "—"),
            self.tr("测评内容：{v}").format(v="、".join(facts["items"]) or "—"),
            self.tr("提交人：{v}").format(v=m["submitted_by"] or "—"),
            self.tr("文件：{v}").format(v="、".join(f["name"] for f in facts["files"])),
        ]
        bonus = facts.get("bonus")
        if isinstance(bonus, dict):  # signed with the rest: the reviewer sees what they sign
            parts = "，".join(str(bonus.get(k) or "") for k in ("level", "issuer", "date")
                             if bonus.get(k))
            lines.insert(-2, self.tr("创新特色（加分）：{v}").format(v=parts or self.tr("是")))
        for gap in m.get("submit_gaps") or []:  # submitted despite gaps in its 材料清单
            text = self.tr("提交时缺项：{item} {name}：{missing}").format(
                item=gap["item"], name=gap["name"], missing="；".join(gap["missing"]))
            lines.append(f'<span style="color:#8d4a00">{html.escape(text)}</span>')
        self.facts.setText("<br>".join(lines))
        self.history_list.clear()
        for d in m["decisions"]:
            data: dict[str, Any] = json.loads(d["payload"])
            stage = STAGE_LABELS.get(Role(data["stage"]), data["stage"])
            text = self.tr("✔ 第{round}轮 {stage} {verdict} · {who} · {at}").format(
                round=data["round"], stage=stage,
                verdict=verdict_label(data["verdict"]),
                who=data["reviewer"]["name"],
                at=local_time(data["decided_at"]))
            if data["comment"]:
                text += "\n" + self.tr("意见：") + data["comment"]
            self.history_list.addItem(text)
        if not m["decisions"]:
            self.history_list.addItem(self.tr("（尚无审核记录）"))
        choice = self.choices.get(number(m))
        self.comment.setPlainText(choice.comment if choice else "")
        self.undo_button.setEnabled(choice is not None)
        self.message.clear()
        self.preview.show_files(self.opened.files.get(number(m), []), material_id=number(m),
                                marks_editable=False)

    def choose(self, verdict: str) -> None:
        if self._material_id is None:
            return
        comment = self.comment.toPlainText().strip()
        if verdict == REJECT and not comment:
            self.message.setText(self.tr("退回时必须写明原因"))
            return
        self.choices[self._material_id] = Choice(self._material_id, verdict, comment)
        self._refresh_list()
        self.message.setText(self.tr("已记下：{verdict}。签名并保存后才生效。").format(
            verdict=verdict_label(verdict)))
        self.undo_button.setEnabled(True)
        row = self.material_list.currentRow()
        if row + 1 < self.material_list.count():  # on to the next material
            self.material_list.setCurrentRow(row + 1)

    def undo(self) -> None:
        if self._material_id is not None and self.choices.pop(self._material_id, None) is not None:
            self._refresh_list()
            self.undo_button.setEnabled(False)
            self.message.setText(self.tr("已撤销这份材料的决定"))

    # -- signing -------------------------------------------------------------------------------

    def ask_passphrase(self, name: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("解锁签名密钥"),
                                        self.tr("{name} 的口令：").format(name=name),
                                        QLineEdit.EchoMode.Password)
        return text if ok else None

    def ask_save_path(self, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存决定文件"), str(suggested),
                                              self.tr("决定文件 (*.zicha-decisions.json)"))
        return Path(path) if path else None

    def sign_and_save(self) -> None:
        name = self.reviewer
        if not name or not self.choices:
            return
        wanted = [self.choices[number(m)] for m in self.package.materials
                  if number(m) in self.choices]
        stage = self.package.stage
        suggested = self.package.path.with_name(
            f"{self.package.path.stem}-{name}-{stage}.zicha-decisions.json")
        out = self.ask_save_path(suggested)
        if out is None:
            return
        passphrase = self.ask_passphrase(name)
        if passphrase is None:
            return
        try:
            doc = review_package(self.package, name, wanted,
                                 lambda: keys.load_private(name, passphrase))
            write_decisions(doc, out)
        except ZichaError as exc:
            self.message.setText(str(exc))
            return
        self._saved_choices = dict(self.choices)
        self.message.setText(self.tr(
            "已签名 {n} 个决定并保存到 {path}。请把这个文件交回经办人，由其“应用审核决定”。")
            .format(n=len(wanted), path=out))
        self.saved.emit(str(out))

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("关闭审核包"),
            self.tr("还有没签名保存的决定，关闭后它们会丢失。仍然关闭？"))
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.choices and self.choices != self._saved_choices and not self.confirm_discard():
            event.ignore()
            return
        self.preview.clear()
        self.opened.close()
        super().closeEvent(event)
