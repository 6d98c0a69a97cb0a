"""Small report dialogs: the per-file import report and the archive check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.admin.fsck import ArchiveReport
from desktop.core.export.model import VerifyReport
from desktop.core.materials.importer import ImportRow
from desktop.core.review.package import ApplyReport
from desktop.core.review.workflow import STAGE_LABELS, Role
from desktop.ui.models import state_label
from desktop.ui.package_review import verdict_label

STATUS_LABELS = {"stored": QT_TRANSLATE_NOOP("ImportStatus", "已保存"),
                 "duplicate": QT_TRANSLATE_NOOP("ImportStatus", "重复"),
                 "refused": QT_TRANSLATE_NOOP("ImportStatus", "拒绝")}


class ImportReportDialog(QDialog):
    def __init__(self, rows: list[ImportRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入报告"))
        refused = sum(r.status == "refused" for r in rows)
        summary = QLabel(self.tr("共 {n} 个文件，其中 {r} 个未导入（原因见下表）。").format(
            n=len(rows), r=refused))
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("结果"), self.tr("文件"), self.tr("原因")])
        ordered = sorted(rows, key=lambda r: r.status != "refused")
        for n, row in enumerate(ordered):
            status = QCoreApplication.translate("ImportStatus", STATUS_LABELS[row.status])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object
            for col, text in enumerate((status, row.path, row.reason)):
                self.table.setItem(n, col, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(900, 420)


def result_heading(ok: bool, text: str) -> QLabel:
    """The bold green or red line that opens a check report."""
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; font-size: 15px; color: %s;" % (
        "#1b5e20" if ok else "#b00020"))
    return label


class VerifyDialog(QDialog):
    def __init__(self, report: ArchiveReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("档案检查"))
        lines = []
        for check in report.checks:
            mark = "✔" if check.ok else "✘"
            count = f"（{check.count}）" if check.count else ""
            lines.append(f"{mark} {check.name}{count}")
            lines.extend(f"    ✘ {p}" for p in check.problems)
            lines.extend(f"    · {n}" for n in check.notes)
        verdict = result_heading(report.ok, self.tr("档案检查通过。") if report.ok
                                 else self.tr("档案检查发现问题，详见下方。"))
        text = QPlainTextEdit("\n".join(lines))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(verdict)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(640, 360)


class ApplyReportDialog(QDialog):
    """What applying a decisions file did: one row per material, its new state."""

    def __init__(self, report: ApplyReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("审核决定已应用"))
        summary = QLabel(self.tr("{who} 的 {n} 个决定已验证签名并全部记入档案。").format(
            who=report.reviewer, n=len(report.applied)))
        self.table = QTableWidget(len(report.applied), 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("材料"), self.tr("阶段"), self.tr("决定"), self.tr("现在"),
            self.tr("审核人"), self.tr("意见")])
        for n, a in enumerate(report.applied):
            stage = STAGE_LABELS.get(Role(a.stage), a.stage)
            cells = (f"#{a.id} {a.title}", stage, verdict_label(a.verdict), state_label(a.state),
                     a.reviewer, a.comment)
            for col, text in enumerate(cells):
                self.table.setItem(n, col, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(900, 360)


class VerifyReportDialog(QDialog):
    """The 四性检测 report of an export: every check with its result and the files named."""

    def __init__(self, report: VerifyReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("四性检测报告"))
        verdict = result_heading(report.ok, self.tr("四性检测通过") if report.ok
                                 else self.tr("四性检测未通过"))
        facts = QLabel(self.tr("{path}\n{files} 个文件，{mb:.1f} MB · 报送单位：{bureau}{draft}")
                       .format(path=report.path, files=report.files,
                               mb=report.bytes / 1048576, bureau=report.bureau or "—",
                               draft=self.tr(" · 草稿导出") if report.draft else ""))
        facts.setWordWrap(True)
        self.table = QTableWidget(len(report.checks), 5)
        self.table.setHorizontalHeaderLabels([self.tr("性质"), self.tr("编号"), self.tr("检测项"),
                                              self.tr("结果"), self.tr("说明")])
        for n, check in enumerate(report.checks):
            detail = "\n".join(check.problems or check.notes) or (
                self.tr("检查 {n} 项").format(n=check.count) if check.count else "—")
            cells = (check.property, check.code, check.name,
                     self.tr("通过") if check.ok else self.tr("不通过"), detail)
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if not check.ok:
                    cell.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(n, col, cell)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.save_button = QPushButton(self.tr("另存为 DOCX…"))
        self.save_button.clicked.connect(self.save_docx)
        self.message = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(verdict)
        layout.addWidget(facts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(1000, 560)

    def ask_docx_path(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存四性检测报告"),
                                              str(Path.home() / "四性检测报告.docx"),
                                              self.tr("Word 文档 (*.docx)"))
        return Path(path) if path else None

    def save_docx(self) -> None:
        from desktop.core.export.documents import write_verify_report_docx

        path = self.ask_docx_path()
        if path is None:
            return
        try:
            write_verify_report_docx(self.report, path)
        except OSError as exc:
            self.message.setText(self.tr("无法保存 {path}：{error}").format(path=path, error=exc))
            return
        self.message.setText(self.tr("报告已保存到 {path}").format(path=path))
