"""The export dialog: the bureau's export rules, a live preview of what will be exported and
what is missing or not yet approved per item, then the export itself with progress and cancel,
followed by its 四性检测 report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.common import formats
from desktop.core.common.errors import ZichaError
from desktop.core.export import convert
from desktop.core.export.bag import ExportResult, write_export
from desktop.core.export.model import ExportPlan, ExportRules, VerifyReport
from desktop.core.export.plan import archive_rules, make_plan, refusal, save_rules
from desktop.core.export.verify import verify_export
from desktop.ui.dialogs import VerifyReportDialog
from desktop.ui.models import state_label
from desktop.ui.workers import Job, start, while_alive

RED, GREY, ORANGE = QColor("#c62828"), QColor("#757575"), QColor("#ef6c00")
# the preview lists at most this many files (and materials not ready) under one 测评内容, the
# rest as one line: 50,000 rows are seconds of the GUI thread and nobody reads them there
ROWS_PER_ITEM = 500


class ExportDialog(QDialog):
    finished_export = Signal(object)  # VerifyReport of the export just written

    def __init__(self, archive: Archive, person: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出网上申报材料"))
        self.archive, self.person = archive, person
        self.plan: ExportPlan | None = None
        self.report: VerifyReport | None = None
        self._generation = 0
        self._jobs: list[Job] = []
        self._export_job: Job | None = None
        self._soffice = convert.find_soffice()
        # the archive's rules are read on a worker: the fields show the defaults, disabled,
        # until they arrive; then the preview is planned from them
        rules = ExportRules()
        self._saved_rules = rules  # what the dialog has no field for (formats, window) stays
        self._rules_read = False

        self.template = QLineEdit(rules.name_template)
        self.template.setToolTip(self.tr("可用 {序号} {材料名称} {文号} {日期} {责任单位}；"
                                         "扩展名自动加上"))
        self.max_mb = QDoubleSpinBox()
        self.max_mb.setRange(0.1, 4096)
        self.max_mb.setSuffix(" MB")
        self.max_mb.setValue(rules.max_file_mb)
        self.use_date = QCheckBox(self.tr("测评日期"))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        day = rules.evaluation_date or dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.use_date.setChecked(rules.evaluation_date is not None)
        self.date.setEnabled(self.use_date.isChecked())
        self.use_date.toggled.connect(self.date.setEnabled)
        self.images = QCheckBox(
            self.tr("图片转为 A4 PDF 页（一页一张，居中，附时间、地点、人物、主题）"))
        self.images.setChecked(rules.images_to_pdf)
        self.formats = QLineEdit(", ".join(rules.allowed_formats))
        self.formats.setToolTip(self.tr(
            "上传平台接受的文件格式，逗号分隔，如 pdf, jpeg, mp4, ofd, docx；"
            "不在其中的文件在预览和检测报告中标出"))
        self.docx = QCheckBox(
            self.tr("Office/WPS 文件（DOC、DOCX、WPS、XLS、ET、PPT、DPS 等）转为 PDF"))
        self.docx.setChecked(rules.docx_to_pdf and bool(self._soffice))
        if not self._soffice:
            self.docx.setEnabled(False)
            self.docx.setText(self.tr("Office/WPS 文件转为 PDF（未安装 LibreOffice，保留原件）"))
        self.merge = QCheckBox(self.tr("每个测评内容另附一份带书签的合并 PDF"))
        self.merge.setChecked(rules.merged_pdf)
        self.stamp = QCheckBox(self.tr("在每份有档号材料的 PDF 首页加盖归档章（只改导出的副本）"))
        self.stamp.setChecked(rules.archival_stamp)
        self.stamp_color = QComboBox()
        self.stamp_color.addItem(self.tr("红色"), "red")
        self.stamp_color.addItem(self.tr("黑色"), "black")
        self.stamp_color.setCurrentIndex(max(0, self.stamp_color.findData(rules.stamp_color)))
        self.stamp_color.setEnabled(rules.archival_stamp)
        self.stamp.toggled.connect(self.stamp_color.setEnabled)
        self.draft = QCheckBox(self.tr("草稿导出：包含未终审的材料（导出包标明为草稿）"))
        self.as_zip = QComboBox()
        self.as_zip.addItem(self.tr("一个 ZIP 文件"), True)
        self.as_zip.addItem(self.tr("一个文件夹"), False)

        date_row = QHBoxLayout()
        date_row.addWidget(self.use_date)
        date_row.addWidget(self.date)
        date_row.addWidget(QLabel(self.tr("（日期不在 T−13 个月至 T−1 个月内的材料会被标出）")), 1)
        form = QFormLayout()
        form.addRow(self.tr("文件命名"), self.template)
        form.addRow(self.tr("每个文件上限"), self.max_mb)
        form.addRow(self.tr("允许的格式"), self.formats)
        form.addRow(self.tr("测评时限"), date_row)
        form.addRow("", self.images)
        form.addRow("", self.docx)
        form.addRow("", self.merge)
        stamp_row = QHBoxLayout()
        stamp_row.addWidget(self.stamp)
        stamp_row.addWidget(self.stamp_color)
        stamp_row.addStretch(1)
        form.addRow("", stamp_row)
        form.addRow("", self.draft)
        form.addRow(self.tr("导出为"), self.as_zip)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("测评内容 / 材料"), self.tr("导出为"), self.tr("提示")])
        self.tree.setColumnWidth(0, 360)
        self.tree.setColumnWidth(1, 360)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton(self.tr("取消导出"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_export)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)

        rules_box = self.rules_box = QWidget()
        rules_box.setLayout(form)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(rules_box)
        splitter.addWidget(self.tree)
        splitter.setStretchFactor(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(1100, 760)

        self._replan_timer = QTimer(self, singleShot=True, interval=250)
        self._replan_timer.timeout.connect(self._replan)
        for signal in (self.template.textChanged, self.max_mb.valueChanged,
                       self.formats.textChanged,
                       self.use_date.toggled, self.date.dateChanged, self.images.toggled,
                       self.docx.toggled, self.merge.toggled, self.draft.toggled):
            signal.connect(self._replan_timer.start)
        self._read_rules()

    def _read_rules(self) -> None:
        archive = self.archive
        self.rules_box.setEnabled(False)
        self.export_button.setEnabled(False)
        self.summary.setText(self.tr("正在读取…"))
        job = Job(lambda _job: archive_rules(archive))
        job.signals.finished.connect(while_alive(self, self._show_rules))
        job.signals.failed.connect(while_alive(self, lambda message: self._plan_failed(
            self._generation, message)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _show_rules(self, rules: ExportRules) -> None:
        """The archive's saved rules in the fields, then the preview planned from them."""
        self._saved_rules, self._rules_read = rules, True
        self.template.setText(rules.name_template)
        self.max_mb.setValue(rules.max_file_mb)
        day = rules.evaluation_date or dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.use_date.setChecked(rules.evaluation_date is not None)
        self.images.setChecked(rules.images_to_pdf)
        self.formats.setText(", ".join(rules.allowed_formats))
        self.docx.setChecked(rules.docx_to_pdf and bool(self._soffice))
        self.merge.setChecked(rules.merged_pdf)
        self.stamp.setChecked(rules.archival_stamp)
        self.stamp_color.setCurrentIndex(max(0, self.stamp_color.findData(rules.stamp_color)))
        self.stamp_color.setEnabled(rules.archival_stamp)
        self.rules_box.setEnabled(True)
        self._replan_timer.stop()
        self._replan()

    # -- rules and preview ---------------------------------------------------------------------

    def rules(self) -> ExportRules:
        day = self.date.date()
        return dataclasses.replace(
            self._saved_rules,
            allowed_formats=self._allowed_formats(),
            name_template=self.template.text().strip(),
            max_file_mb=self.max_mb.value(),
            images_to_pdf=self.images.isChecked(),
            docx_to_pdf=self.docx.isChecked(),
            merged_pdf=self.merge.isChecked(),
            archival_stamp=self.stamp.isChecked(),
            stamp_color=str(self.stamp_color.currentData()),
            evaluation_date=dt.date(day.year(), day.month(), day.day())
            if self.use_date.isChecked() else None)

    def _allowed_formats(self) -> tuple[str, ...]:
        """The kinds typed (jpg, wps … accepted as their kinds); unknown names are left out,
        and nothing typed keeps the saved list."""
        names = [n.strip() for n in self.formats.text().replace("，", ",").split(",")]
        kinds = tuple(dict.fromkeys(formats.canonical(n) for n in names if n))
        known = tuple(k for k in kinds if k in formats.BY_KIND)
        return known or self._saved_rules.allowed_formats

    @property
    def planning(self) -> bool:
        return (not self._rules_read or self.plan is None
                or any(not j.done.is_set() for j in self._jobs))

    def _replan(self) -> None:
        if not self._rules_read:
            return  # planned once the rules are read
        self._generation += 1
        generation = self._generation
        rules, draft, archive, soffice = self.rules(), self.draft.isChecked(), self.archive, \
            self._soffice
        self.plan = None
        self.export_button.setEnabled(False)

        def work(_job: Job) -> ExportPlan:
            return make_plan(archive, rules, all_stages=draft, soffice=soffice)

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda plan: self._show_plan(generation, plan)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._plan_failed(generation, message)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        start(job)

    def _plan_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.tree.clear()
            self.summary.setText(f'<span style="color:#c62828">{message}</span>')

    def _show_plan(self, generation: int, plan: ExportPlan) -> None:
        if generation != self._generation:
            return
        self.plan = plan
        self.tree.clear()
        flagged = 0
        for item in plan.items:
            node = QTreeWidgetItem([f"{item.code} {item.name}",
                                    item.folder, self._item_note(item)])
            if not item.materials:
                for column in range(3):
                    node.setForeground(column, QBrush(RED))
            listed = hidden = 0
            for m in item.materials:
                for f in m.files:
                    if listed >= ROWS_PER_ITEM:  # the rest only counted (see ROWS_PER_ITEM)
                        hidden += 1
                        continue
                    listed += 1
                    converted = "" if f.action == "copy" else self.tr("（转为 PDF）")
                    child = QTreeWidgetItem([f"{m.seq:03d} {m.title}",
                                             f.path.rsplit("/", 1)[-1] + converted,
                                             "；".join(m.flags)])
                    if m.flags:
                        child.setForeground(2, QBrush(ORANGE))
                    node.addChild(child)
                flagged += bool(m.flags)
            for material_id, title, state in item.not_ready:
                if listed >= ROWS_PER_ITEM:
                    hidden += 1
                    continue
                listed += 1
                child = QTreeWidgetItem([f"#{material_id} {title}", "",
                                         self.tr("{state}，不导出").format(
                                             state=state_label(state))])
                for column in range(3):
                    child.setForeground(column, QBrush(GREY))
                node.addChild(child)
            if hidden:
                more = QTreeWidgetItem([self.tr("……另有 {n} 行未列出（导出时照常包含）").format(
                    n=hidden), "", ""])
                more.setForeground(0, QBrush(GREY))
                node.addChild(more)
            self.tree.addTopLevelItem(node)
            node.setExpanded(bool(item.materials or item.not_ready) and len(plan.items) < 60)
        count = len({m.id for m in plan.materials})
        waiting = sum(len(i.not_ready) for i in plan.items)
        lines = [self.tr("将导出 {n} 份材料、{f} 个文件；{missing} 个测评内容没有可导出的材料；"
                         "{waiting} 份材料尚未终审；{flagged} 份有提示。").format(
                             n=count, f=sum(len(m.files) for m in plan.materials),
                             missing=len(plan.missing), waiting=waiting, flagged=flagged)]
        lines += plan.notes
        if plan.draft:
            lines.append(self.tr("这是草稿导出，不能作为正式申报材料。"))
        text = "\n".join(html.escape(line) for line in lines)
        refused = refusal(plan)
        if refused is not None:  # an approval its signatures no longer back: not exportable
            void = QTreeWidgetItem([self.tr("签名后被改动的材料"), "",
                                    self.tr("{n} 份，整个导出被拒绝").format(n=len(plan.void))])
            children = [QTreeWidgetItem([f"#{material_id} {title}", "", reason])
                        for material_id, title, reason in plan.void[:ROWS_PER_ITEM]]
            if len(plan.void) > ROWS_PER_ITEM:
                children.append(QTreeWidgetItem([self.tr(
                    "……另有 {n} 行未列出（导出时照常包含）").format(
                        n=len(plan.void) - ROWS_PER_ITEM), "", ""]))
            for child in children:
                void.addChild(child)
            for node in (void, *children):
                for column in range(3):
                    node.setForeground(column, QBrush(RED))
            self.tree.insertTopLevelItem(0, void)
            void.setExpanded(True)
            text += f'<br><span style="color:#c62828">{html.escape(str(refused))}</span>'
        self.summary.setText(text.replace("\n", "<br>"))
        self.export_button.setEnabled(bool(count) and refused is None
                                      and self._export_job is None)

    def _item_note(self, item) -> str:  # type: ignore[no-untyped-def]
        if not item.materials:
            return self.tr("缺材料") + (self.tr("（{n} 份未终审）").format(n=len(item.not_ready))
                                      if item.not_ready else "")
        text = self.tr("{n} 份").format(n=len(item.materials))
        if item.not_ready:
            text += self.tr("，另有 {n} 份未终审").format(n=len(item.not_ready))
        return text

    # -- export --------------------------------------------------------------------------------

    def ask_target(self, suggested: Path, as_zip: bool) -> Path | None:
        if as_zip:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出到"), str(suggested),
                                                  self.tr("ZIP 文件 (*.zip)"))
            if path and not path.lower().endswith(".zip"):
                path += ".zip"
        else:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出到新文件夹"),
                                                  str(suggested.with_suffix("")))
        return Path(path) if path else None

    def start_export(self) -> None:
        if self.plan is None or self._export_job is not None:
            return
        as_zip = bool(self.as_zip.currentData())
        bureau = self.plan.bureau or self.tr("申报材料")
        suggested = Path.home() / f"{bureau}-网上申报材料-{dt.date.today():%Y%m%d}.zip"
        target = self.ask_target(suggested, as_zip)
        if target is None:
            return
        rules, draft, archive, person = self.rules(), self.draft.isChecked(), self.archive, \
            self.person
        soffice, checking = self._soffice, self.tr("四性检测…")
        try:
            save_rules(archive, rules, actor=person)  # the next export starts from them
        except ZichaError as exc:
            self.status.setText(str(exc))
            return

        def work(job: Job) -> tuple[ExportResult, VerifyReport]:
            plan = make_plan(archive, rules, all_stages=draft, soffice=soffice)
            result = write_export(archive, plan, target, as_zip=as_zip, actor=person,
                                  progress=job.progress, check=True)
            job.report(0, 0, checking)
            return result, verify_export(target, job.progress, known=result.digests,
                                         checked=result.checked)

        job = Job(work)
        job.signals.progress.connect(self._progress)
        job.signals.finished.connect(self._exported)
        job.signals.failed.connect(self._export_failed)
        self._export_job = job
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("正在导出到 {path}…").format(path=target))
        start(job, long=True)

    def cancel_export(self) -> None:
        if self._export_job is not None:
            self._export_job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("正在取消…"))

    def _progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if what:
            self.progress.setFormat(f"%v/%m  {what[-60:]}")

    def _finish(self) -> None:
        self._export_job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(self.plan is not None and bool(self.plan.materials))

    def _exported(self, outcome: tuple[ExportResult, VerifyReport]) -> None:
        self._finish()
        result, report = outcome
        self.report = report
        verdict = self.tr("四性检测通过") if report.ok else self.tr("四性检测未通过")
        self.status.setText(
            self.tr("已导出 {n} 份材料、{f} 个文件（{mb:.1f} MB）到 {path}；{verdict}。").format(
                n=result.materials, f=result.files, mb=result.bytes / 1048576, path=result.out,
                verdict=verdict))
        VerifyReportDialog(report, self).show()
        self.finished_export.emit(report)

    def _export_failed(self, message: str) -> None:
        self._finish()
        self.status.setText(message)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._export_job is not None:
            self._export_job.cancel()
            self._export_job.done.wait(30)
        # a preview still being planned is not waited for (tens of seconds at 50,000
        # materials): workers.start keeps the job until it ends, and its plan is dropped
        self._generation += 1
        super().closeEvent(event)
