"""报送包 in the window (issue 16): 文件 → 报送到创文办… writes a department's package for the
city's archive (SendTransferDialog), 文件 → 报送包收件箱… applies packages at the city, one after
another, and shows each merge report and the conflicts left open (TransferInbox).

Both write the archive, so both go through the window's write lane (desktop/ui/operations.py);
reading what was sent, applied and left in conflict runs on a worker. The checks, the merge and
every message are the core's (desktop/core/transfer)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.common.changes import Changes
from desktop.core.review import keys, roster
from desktop.core.review.workflow import STATE_LABELS
from desktop.core.transfer import (
    ConflictRow,
    MergeReport,
    SentReport,
    TransferRow,
    apply_transfer,
    export_transfer,
    open_conflicts,
    transfers,
)
from desktop.core.transfer.merge import CONFLICT_LABELS
from desktop.core.transfer.receive import DispatchReport
from desktop.ui.operations import Operations
from desktop.ui.timefmt import local_time
from desktop.ui.workers import Job, start, while_alive

RED, GREY, GREEN, ORANGE = (QColor("#b00020"), QColor("#757575"), QColor("#1b5e20"),
                            QColor("#e65100"))
CITY_KEY = "transfer/city_archive"  # the city's archive id, remembered after the first send


def size_text(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, round(n / 1024))} KB" if n else "0 KB"


def valid_archive_id(text: str) -> str | None:
    """The archive id in its canonical spelling, or None if `text` is no UUID."""
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        return None


_reading: list[Job] = []  # read jobs outlive a dialog closed while they run


def _read(job: Job) -> None:
    """Start a read job, kept alive until it has run even if its dialog is closed first."""
    _reading[:] = [j for j in _reading if not j.done.is_set()] + [job]
    start(job)


class _Probe(Exception):
    """Raised by the probe's unlock: the core found something worth sending (and wrote
    nothing, the transaction undone); now the passphrase is asked."""


# -- the department's side ------------------------------------------------------------------

class SendTransferDialog(QDialog):
    """报送到创文办: the city's archive id, the sender, everything or only what is new, where the
    package goes; then the export on the write lane and what it carried."""

    sent = Signal(object)  # SentReport
    failed = Signal(str)

    def __init__(self, archive: Archive, ops: Operations, settings: QSettings,
                 person: str | None, ask_passphrase: Callable[[str], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报送到创文办"))
        self.archive, self.ops, self.settings = archive, ops, settings
        self._prompt = ask_passphrase
        self._sent_rows: list[TransferRow] = []
        self._busy = False
        info = archive.info()
        self._archive_id = info.get("archive_id", "")
        self._people = roster.people(archive, include_retired=False)

        self.city = QLineEdit(str(settings.value(self._city_key())
                                  or settings.value(CITY_KEY) or ""))
        self.city.setPlaceholderText(self.tr("如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427"))
        self.city.setMinimumWidth(360)
        self.city.textChanged.connect(self._update)
        self.city_note = QLabel()
        self.city_note.setWordWrap(True)
        self.person = QComboBox()
        for p in self._people:
            self.person.addItem(f"{p.name}（{p.department or self.tr('无单位')}）", p.name)
        index = self.person.findData(person) if person else -1
        self.person.setCurrentIndex(max(index, 0))
        self.person.currentIndexChanged.connect(self._person_changed)
        self.only_new = QRadioButton(self.tr("只报送上次报送以来新增或改动的内容"))
        self.everything = QRadioButton(self.tr("报送全部内容（对方要求重新报送时）"))
        self.only_new.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.only_new)
        scope.addButton(self.everything)
        self.out = QLineEdit(str(self._suggested()))
        self.out.textChanged.connect(self._update)
        self._out_edited = False
        self.out.textEdited.connect(lambda _t: setattr(self, "_out_edited", True))
        self.choose_button = QPushButton(self.tr("选择…"))
        self.choose_button.clicked.connect(self.choose_out)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(self.choose_button)
        scope_box = QVBoxLayout()
        scope_box.addWidget(self.only_new)
        scope_box.addWidget(self.everything)
        self.last_sent = QLabel()
        self.last_sent.setWordWrap(True)
        self.last_sent.setStyleSheet("color: #555;")

        form = self._form = QFormLayout()
        form.addRow(self.tr("市创文办档案编号"), self.city)
        form.addRow("", self.city_note)
        form.addRow(self.tr("报送人"), self.person)
        form.addRow(self.tr("报送内容"), scope_box)
        form.addRow("", self.last_sent)
        form.addRow(self.tr("报送包保存到"), out_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the core reports no steps: busy until it returns
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self.tr("报送包由报送人的密钥签名；发出前会询问其口令。"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.materials = QListWidget()
        self.materials.hide()
        self.send_button = QPushButton(self.tr("生成报送包"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.materials, 1)
        layout.addLayout(buttons)
        self.resize(720, 440)
        self._load_sent()
        self._update()

    # what is asked
    def _city_key(self) -> str:
        return f"{CITY_KEY}/{self._archive_id}"

    @property
    def sending_person(self) -> str | None:
        return self.person.currentData()

    def _department(self) -> str:
        return next((p.department for p in self._people if p.name == self.sending_person), "")

    def _suggested(self) -> Path:
        folder = Path(str(self.settings.value("transfer/folder") or Path.home()))
        department = self._department() or self.archive.info().get("name", "") or "本单位"
        stem = f"报送包-{department}-{date.today():%Y%m%d}"
        path, n = folder / f"{stem}.zip", 1
        while path.exists():  # the core never overwrites: the day's second package, -2
            n += 1
            path = folder / f"{stem}-{n}.zip"
        return path

    def _person_changed(self, _index: int) -> None:
        if not self._out_edited:
            self.out.setText(str(self._suggested()))
        self._update()

    def ask_passphrase(self, name: str) -> str | None:
        return self._prompt(name)

    def ask_save_path(self, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存报送包"), str(suggested),
                                              self.tr("报送包 (*.zip)"))
        return Path(path) if path else None

    def choose_out(self) -> None:
        chosen = self.ask_save_path(Path(self.out.text().strip() or self._suggested()))
        if chosen is not None:
            if chosen.suffix.lower() != ".zip":
                chosen = chosen.with_name(chosen.name + ".zip")
            self._out_edited = True
            self.out.setText(str(chosen))

    def _update(self) -> None:
        text = self.city.text().strip()
        city = valid_archive_id(text) if text else None
        if not text:
            self.city_note.setText(self.tr("向市创文办索取其档案编号（市创文办在“报送包收件箱”"
                                           "顶部可看到并复制）。"))
            self.city_note.setStyleSheet("color: #555;")
        elif city is None:
            self.city_note.setText(self.tr("“{text}”不是档案编号：档案编号是 36 位的 UUID，"
                                           "如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427。请向市创文办"
                                           "核对后重新填写。").format(text=text))
            self.city_note.setStyleSheet("color: #b00020;")
        elif city == self._archive_id:
            self.city_note.setText(self.tr("这是本档案自己的编号；请填写市创文办档案的编号。"))
            self.city_note.setStyleSheet("color: #b00020;")
        else:
            self.city_note.setText("")
        self._form.setRowVisible(self.city_note, bool(self.city_note.text()))
        self._show_last_sent(city)
        ok = (city is not None and city != self._archive_id and self.sending_person is not None
              and bool(self.out.text().strip()))
        self.send_button.setEnabled(ok and not self._busy)

    def _load_sent(self) -> None:
        archive = self.archive
        job = Job(lambda _job: [r for r in transfers(archive) if r.direction == "sent"])
        job.signals.finished.connect(while_alive(self, self._sent_loaded))
        _read(job)

    def _sent_loaded(self, rows: list[TransferRow]) -> None:
        self._sent_rows = rows
        self._update()

    def _show_last_sent(self, city: str | None) -> None:
        rows = [r for r in self._sent_rows if city is not None and r.archive == city]
        if not rows:
            self.last_sent.setText(self.tr("还没有向这个档案报送过：将报送全部内容。")
                                   if city else "")
            self._form.setRowVisible(self.last_sent, bool(city))
            return
        self._form.setRowVisible(self.last_sent, True)
        last = rows[-1]
        self.last_sent.setText(self.tr(
            "上次报送：{department} 第 {seq} 号，{at}，{by}，材料 {n} 份。").format(
                department=last.department, seq=last.seq, at=local_time(last.at), by=last.by,
                n=last.counts.get("materials", 0)))

    # the export
    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for w in (self.city, self.person, self.only_new, self.everything, self.out,
                  self.choose_button):
            w.setEnabled(not busy)
        if text:
            self._say(text)
        self._update()

    def _say(self, text: str, colour: QColor | None = None) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour.name()};" if colour else "")

    def send(self) -> None:
        city = valid_archive_id(self.city.text())
        name, out = self.sending_person, Path(self.out.text().strip())
        if self._busy or city is None or name is None or not self.out.text().strip():
            return
        if out.suffix.lower() != ".zip":
            out = out.with_name(out.name + ".zip")
            self.out.setText(str(out))
        archive, everything = self.archive, self.everything.isChecked()
        self.materials.clear()
        self.materials.hide()

        def probe() -> Changes:
            # the core decides whether there is anything to send (and checks the sender, the
            # city's id, the file) before it unlocks the key; its unlock stops it right there
            def stop() -> Ed25519PrivateKey:
                raise _Probe

            with suppress(_Probe):
                export_transfer(archive, city, out, actor=name, all_=everything, unlock=stop)
            return Changes()

        self._set_busy(True, self.tr("正在检查要报送的内容…"))
        self.ops.run(self.tr("报送到创文办"), probe,
                     done=while_alive(self, lambda _c: self._unlock_and_send(
                         city, name, out, everything)),
                     error=while_alive(self, self._failed))

    def _unlock_and_send(self, city: str, name: str, out: Path, everything: bool) -> None:
        passphrase = self.ask_passphrase(name)
        if passphrase is None:
            self._set_busy(False, self.tr("没有输入口令，未生成报送包。"))
            return
        archive = self.archive
        result: list[SentReport] = []

        def work() -> Changes:
            report = export_transfer(archive, city, out, actor=name, all_=everything,
                                     unlock=lambda: keys.load_private(name, passphrase))
            result.append(report)
            return Changes(message=self.tr("已写出报送包 {path}").format(path=out))

        self._say(self.tr("正在签名并写出报送包…"))
        self.ops.run(self.tr("报送到创文办"), work,
                     done=while_alive(self, lambda _c: self._sent(city, result[0])),
                     error=while_alive(self, self._failed))

    def _sent(self, city: str, report: SentReport) -> None:
        self.settings.setValue(self._city_key(), city)
        self.settings.setValue(CITY_KEY, city)
        self.settings.setValue("transfer/folder", str(Path(report.out).parent))
        self._set_busy(False)
        parts = [self.tr("{n} 份材料").format(n=len(report.materials))]
        if report.deleted:
            parts.append(self.tr("{n} 份材料已删除").format(n=len(report.deleted)))
        if report.tasks:
            parts.append(self.tr("{n} 项任务进度").format(n=report.tasks))
        if report.problems:
            parts.append(self.tr("{n} 个整改情况").format(n=report.problems))
        parts.append(self.tr("{n} 个文件").format(n=report.files))
        self._say(self.tr(
            "已写出报送包 {path}\n{department} 第 {seq} 号：{what}，报送包共 {size}。\n"
            "请把这个文件交给市创文办，由其在“报送包收件箱”中应用。").format(
                path=report.out, department=report.department, seq=report.seq,
                what="，".join(parts), size=size_text(report.bytes)), GREEN)
        for m in report.materials:
            self.materials.addItem(f"#{m['id']}《{m['title']}》")
        self.materials.setVisible(bool(report.materials))
        self._out_edited = False
        self.out.setText(str(self._suggested()))
        self._load_sent()
        self.sent.emit(report)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._say(message, RED)
        self.failed.emit(message)


# -- the city's side ------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """One file the inbox applied: its merge report, or the core's message."""

    path: Path
    report: MergeReport | DispatchReport | None = None
    error: str = ""


OUTCOME_LABELS = {"added": QT_TRANSLATE_NOOP("TransferOutcome", "新增"),
                  "updated": QT_TRANSLATE_NOOP("TransferOutcome", "更新"),
                  "unchanged": QT_TRANSLATE_NOOP("TransferOutcome", "未变"),
                  "conflicts": QT_TRANSLATE_NOOP("TransferOutcome", "冲突")}
# the core's kinds of conflict (desktop/core/transfer/merge.py CONFLICT_LABELS), for the window
KIND_LABELS = {"decided": QT_TRANSLATE_NOOP("TransferConflict", "本档案已审核，对方又改动"),
               "deleted": QT_TRANSLATE_NOOP("TransferConflict", "对方已删除，本档案仍保留"),
               "same_file": QT_TRANSLATE_NOOP("TransferConflict",
                                              "同一文件被两个单位归入不同测评内容")}

# what of a material an update changed (MergeReport.updated[].changed: the core's field names)
FIELD_LABELS = {"title": QT_TRANSLATE_NOOP("TransferField", "材料名称"),
                "doc_number": QT_TRANSLATE_NOOP("TransferField", "文号"),
                "material_date": QT_TRANSLATE_NOOP("TransferField", "日期"),
                "department": QT_TRANSLATE_NOOP("TransferField", "责任单位"),
                "material_type": QT_TRANSLATE_NOOP("TransferField", "材料类型"),
                "description": QT_TRANSLATE_NOOP("TransferField", "说明"),
                "caption": QT_TRANSLATE_NOOP("TransferField", "图片说明"),
                "bonus": QT_TRANSLATE_NOOP("TransferField", "创新特色"),
                "items": QT_TRANSLATE_NOOP("TransferField", "测评内容"),
                "files": QT_TRANSLATE_NOOP("TransferField", "文件"),
                "state": QT_TRANSLATE_NOOP("TransferField", "审核状态"),
                "review_round": QT_TRANSLATE_NOOP("TransferField", "审核轮次")}


def field_label(key: str) -> str:
    if key not in FIELD_LABELS:
        return key
    return QCoreApplication.translate("TransferField", FIELD_LABELS[key])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object


def outcome_label(key: str) -> str:
    return QCoreApplication.translate("TransferOutcome", OUTCOME_LABELS[key])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object


def kind_label(kind: str) -> str:
    if kind not in KIND_LABELS:  # a kind newer than the window: the core's own words
        return CONFLICT_LABELS.get(kind, kind)
    return QCoreApplication.translate("TransferConflict", KIND_LABELS[kind])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object


class TransferInbox(QDialog):
    """报送包收件箱: the packages this archive applied, 应用报送包… for new ones (one after
    another on the write lane, each with its merge report; a refused file is named with the
    core's message and the others still applied), and the conflicts left open."""

    applied = Signal(object)  # Outcome of one file
    batch_done = Signal(list)  # the Outcomes of one 应用报送包…
    records_loaded = Signal()

    def __init__(self, archive: Archive, ops: Operations, actor: Callable[[], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报送包收件箱"))
        self.archive, self.ops, self._actor = archive, ops, actor
        self._queue: list[Path] = []
        self._outcomes: list[Outcome] = []
        self._total = 0
        self._loading = False
        self.archive_id = archive.info().get("archive_id", "")

        own = self.own_id = QLabel(self.tr("本档案编号：<b>{id}</b>").format(id=self.archive_id))
        own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton(self.tr("复制编号"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.archive_id))
        own_note = QLabel(self.tr("各责任单位报送时填写这个编号。"))
        own_note.setStyleSheet("color: #555;")
        head = QHBoxLayout()
        head.addWidget(own)
        head.addWidget(copy)
        head.addWidget(own_note, 1)

        self.received = QTableWidget(0, 9)
        self.received.setHorizontalHeaderLabels([
            self.tr("报送单位"), self.tr("序号"), self.tr("应用时间"), self.tr("应用人"),
            self.tr("新增"), self.tr("更新"), self.tr("未变"), self.tr("冲突"),
            self.tr("来源档案")])
        self._table_style(self.received, stretch=8)
        self.report = QTreeWidget()
        self.report.setHeaderLabels([self.tr("报送包 / 结果 / 材料"), self.tr("说明")])
        self.report.setColumnWidth(0, 420)
        self.report.setAlternatingRowColors(True)
        self.report.currentItemChanged.connect(self._show_detail)
        # a tree row is one line: the whole of the chosen row's note is shown beneath it
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("padding: 4px; background: #fafafa; border: 1px solid #ddd;")
        self.detail.hide()
        report_page = self.report_page = QWidget()
        report_layout = QVBoxLayout(report_page)
        report_layout.addWidget(self.report, 1)
        report_layout.addWidget(self.detail)
        self.conflicts = QTableWidget(0, 6)
        self.conflicts.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("报送单位"), self.tr("材料"), self.tr("冲突"),
            self.tr("说明"), self.tr("发现时间")])
        self._table_style(self.conflicts, stretch=4)
        self.conflicts.setWordWrap(True)
        conflict_note = QLabel(self.tr(
            "冲突中的材料保持本档案现有的样子，没有采用对方的改动（对方已删除的也没有删除）。"
            "在本窗口中解决冲突（保留本档案的、采用对方的或两者都保留）将在后续版本提供；"
            "对方的文件已存入本档案，日后解决时不必重新报送；在此之前请与报送单位核对，"
            "需要时请其改正后再报送。"))
        conflict_note.setWordWrap(True)
        conflict_note.setStyleSheet("color: #555;")
        conflict_page = QWidget()
        conflict_layout = QVBoxLayout(conflict_page)
        conflict_layout.addWidget(self.conflicts, 1)
        conflict_layout.addWidget(conflict_note)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.received, self.tr("已应用的报送包"))
        self.tabs.addTab(report_page, self.tr("合并报告"))
        self.tabs.addTab(conflict_page, self.tr("冲突"))

        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel(self.tr("应用报送包：先检查签名、来源与每个文件的哈希，然后整包合并"
                                     "或整包不合并。"))
        self.status.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("应用报送包…"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.choose_and_apply)
        self.apply_button.setEnabled(archive.writable)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(1100, 620)
        self.load_records()

    @staticmethod
    def _table_style(table: QTableWidget, stretch: int) -> None:
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    # the records
    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def applying(self) -> bool:
        return bool(self._queue) or self._total > len(self._outcomes)

    def load_records(self) -> None:
        archive = self.archive
        self._loading = True

        def work(_job: Job) -> tuple[list[TransferRow], list[ConflictRow]]:
            return ([r for r in transfers(archive) if r.direction == "received"],
                    open_conflicts(archive))

        job = Job(work)
        job.signals.finished.connect(while_alive(self, self._records))
        job.signals.failed.connect(while_alive(self, self._records_failed))
        _read(job)

    def _records_failed(self, message: str) -> None:
        self._loading = False
        self.status.setText(message)

    def _records(self, found: tuple[list[TransferRow], list[ConflictRow]]) -> None:
        rows, conflicts = found
        self._loading = False
        self.received.setRowCount(len(rows))
        for n, r in enumerate(reversed(rows)):  # the newest first
            values = [r.department, str(r.seq), local_time(r.at), r.by,
                      *(str(r.counts.get(k, 0)) for k in OUTCOME_LABELS), r.archive]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col == 7 and r.counts.get("conflicts"):
                    item.setForeground(QBrush(ORANGE))
                self.received.setItem(n, col, item)
        self.conflicts.setRowCount(len(conflicts))
        for n, c in enumerate(conflicts):
            where = f"#{c.material_id}《{c.title}》" if c.material_id else \
                self.tr("（未加入）《{title}》").format(title=c.title)
            values = [str(c.id), c.department, where, kind_label(c.kind),
                      c.reason, local_time(c.created_at)]
            for col, text in enumerate(values):
                self.conflicts.setItem(n, col, QTableWidgetItem(text))
        self.conflicts.resizeRowsToContents()
        self.tabs.setTabText(2, self.tr("冲突（{n}）").format(n=len(conflicts)) if conflicts
                             else self.tr("冲突"))
        self.records_loaded.emit()

    # applying
    def ask_open_paths(self) -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择要应用的报送包"), "",
                                                self.tr("报送包 (*.zip);;所有文件 (*)"))
        return [Path(f) for f in files]

    def choose_and_apply(self) -> None:
        if self.applying:
            return
        paths = self.ask_open_paths()
        if paths:
            self.apply_files(paths)

    def apply_files(self, paths: list[Path]) -> None:
        """Apply `paths` in this order, one after another on the write lane."""
        self._queue = list(paths)
        self._outcomes = []
        self._total = len(paths)
        self.report.clear()
        self.detail.hide()
        self.apply_button.setEnabled(False)
        self.progress.setRange(0, self._total)
        self.progress.setValue(0)
        self.progress.show()
        self.tabs.setCurrentWidget(self.report_page)
        self._next()

    def _next(self) -> None:
        if not self._queue:
            self._batch_finished()
            return
        path = self._queue.pop(0)
        n = len(self._outcomes) + 1
        self.status.setText(self.tr("正在验证并应用 {name}（{n}/{total}）…").format(
            name=path.name, n=n, total=self._total))
        archive, actor = self.archive, self._actor()
        result: list[MergeReport | DispatchReport] = []

        def work() -> Changes:
            report = apply_transfer(archive, path, actor=actor, on_roster=actor is not None)
            result.append(report)
            if isinstance(report, DispatchReport):
                return Changes(materials=frozenset(m["id"] for m in report.reviews),
                               tree=bool(report.nodes or report.systems), tasks=True,
                               problems=True, people=bool(report.people),
                               message=self.tr("已应用{sender}第 {seq} 号下发包").format(
                                   sender=report.from_name or self.tr("创文办"),
                                   seq=report.seq))
            return Changes(added=frozenset(m["id"] for m in report.added),
                           materials=frozenset(m["id"] for m in report.updated),
                           tree=True, tasks=True, problems=bool(report.problems),
                           texts=report.files_stored > 0,
                           message=self.tr("已应用{department}第 {seq} 号报送包").format(
                               department=report.department, seq=report.seq))

        self.ops.run(self.tr("应用报送包"), work,
                     done=while_alive(self, lambda _c: self._one_done(Outcome(path, result[0]))),
                     error=while_alive(self, lambda message: self._one_done(
                         Outcome(path, error=message))))

    def _one_done(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        self.progress.setValue(len(self._outcomes))
        self._show_outcome(outcome)
        self.applied.emit(outcome)
        self._next()

    def _batch_finished(self) -> None:
        outcomes = list(self._outcomes)
        self._total = len(outcomes)
        self.progress.hide()
        self.apply_button.setEnabled(self.archive.writable)
        good = [o for o in outcomes if o.report is not None]
        conflicts = sum(len(o.report.conflicts) for o in good
                        if isinstance(o.report, MergeReport))
        text = self.tr("已应用 {good} 个报送包，{bad} 个被拒绝；冲突 {c} 个。").format(
            good=len(good), bad=len(outcomes) - len(good), c=conflicts)
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if len(good) < len(outcomes) else "")
        self._point_at_trouble()
        self.load_records()
        self.batch_done.emit(outcomes)

    def _point_at_trouble(self) -> None:
        """Choose the first conflict, else the first refused file, so its note is read whole."""
        refused = None
        for n in range(self.report.topLevelItemCount()):
            top = self.report.topLevelItem(n)
            if top is None:
                continue
            if top.childCount() == 0:
                refused = refused or top
                continue
            conflicts = top.child(top.childCount() - 1)
            first = conflicts.child(0) if conflicts is not None else None
            if first is not None:
                self.report.setCurrentItem(first)
                return
        if refused is not None:
            self.report.setCurrentItem(refused)

    def _show_detail(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        note = item.text(1) if item is not None else ""
        self.detail.setText(f"{item.text(0)}\n{note}" if item is not None and note else "")
        self.detail.setVisible(bool(self.detail.text()))

    def _show_outcome(self, outcome: Outcome) -> None:
        top = QTreeWidgetItem(self.report)
        report = outcome.report
        if report is None:
            top.setText(0, self.tr("✘ {name}：未应用").format(name=outcome.path.name))
            top.setText(1, outcome.error)
            top.setToolTip(1, outcome.error)
            for col in (0, 1):
                top.setForeground(col, QBrush(RED))
            return
        if isinstance(report, DispatchReport):
            self._show_received(top, outcome.path, report)
            return
        top.setText(0, self.tr("✔ {name}：{department} 第 {seq} 号（{sender} 报送）").format(
            name=outcome.path.name, department=report.department, seq=report.seq,
            sender=report.sender))
        extra = [self.tr("文件 {stored} 个存入、{linked} 个本档案已有").format(
            stored=report.files_stored, linked=report.files_linked)]
        if report.tasks:
            extra.append(self.tr("{n} 项任务进度").format(n=report.tasks))
        if report.problems:
            extra.append(self.tr("{n} 个整改情况").format(n=report.problems))
        if report.nodes:
            extra.append(self.tr("新建测评内容 {codes}").format(codes="、".join(report.nodes)))
        top.setText(1, "；".join(extra))
        for key in OUTCOME_LABELS:
            rows = getattr(report, key)
            group = QTreeWidgetItem(top, [f"{outcome_label(key)}（{len(rows)}）", ""])
            group.setData(0, Qt.ItemDataRole.UserRole, key)
            if key == "conflicts" and rows:
                group.setForeground(0, QBrush(ORANGE))
            for m in rows:
                group.addChild(self._material_row(key, m))
            group.setExpanded(bool(rows) and key != "unchanged")
        top.setExpanded(True)

    def _show_received(self, top: QTreeWidgetItem, path: Path, report: DispatchReport) -> None:
        """A 下发包 applied at a department: the city's decisions (a return with its reason),
        what was not taken and why, tasks, problems and the receipt."""
        top.setText(0, self.tr("✔ {name}：{city} 第 {seq} 号下发包（{sender} 签发）").format(
            name=path.name, city=report.from_name or self.tr("创文办"), seq=report.seq,
            sender=report.sender))
        extra = [self.tr("回执：创文办已应用本档案报送包至第 {n} 号").format(n=report.receipt)]
        for n, text in ((report.tasks_added, self.tr("新任务 {n} 项")),
                        (report.tasks_updated, self.tr("任务更新 {n} 项")),
                        (report.problems_added, self.tr("新问题 {n} 个")),
                        (report.problems_updated, self.tr("问题更新 {n} 个"))):
            if n:
                extra.append(text.format(n=n))
        if report.people:
            extra.append(self.tr("名册新增 {names}").format(names="、".join(report.people)))
        top.setText(1, "；".join(extra))
        group = QTreeWidgetItem(top, [self.tr("审核结果（{n}）").format(n=len(report.reviews)),
                                      ""])
        for m in report.reviews:
            state = STATE_LABELS.get(m["state"], m["state"])
            item = QTreeWidgetItem([f"#{m['id']}《{m['title']}》", f"{state}（{m['reviewer']}）"
                                    + (f"：{m['comment']}" if m["comment"] else "")])
            if m["state"] == "returned":
                item.setForeground(1, QBrush(ORANGE))
            group.addChild(item)
        group.setExpanded(bool(report.reviews))
        if report.skipped:
            skipped = QTreeWidgetItem(top, [self.tr("未采用（{n}）").format(
                n=len(report.skipped)), ""])
            skipped.setForeground(0, QBrush(ORANGE))
            for m in report.skipped:
                where = f"#{m['id']}" if m["id"] else self.tr("（本档案没有）")
                skipped.addChild(QTreeWidgetItem([f"{where}《{m['title']}》", m["reason"]]))
            skipped.setExpanded(True)
        top.setExpanded(True)

    def _material_row(self, key: str, m: dict[str, Any]) -> QTreeWidgetItem:
        where = f"#{m['id']}" if m.get("id") else self.tr("（未加入）")
        if not m.get("title"):  # e.g. deleted at the department and never held here
            where = self.tr("（本档案没有）")
        title = m.get("title") or m.get("uid", "")[:8]
        item = QTreeWidgetItem([f"{where}《{title}》", ""])
        if key == "conflicts":
            note = f"{kind_label(m['kind'])}：{m['reason']}"
            item.setForeground(0, QBrush(ORANGE))
        else:
            notes = []
            if m.get("changed"):
                notes.append(self.tr("改动：{fields}").format(
                    fields="、".join(field_label(k) for k in m["changed"])))
            if m.get("decisions_added"):
                notes.append(self.tr("新增 {n} 条审核记录").format(n=m["decisions_added"]))
            notes.extend(m.get("voided", []))
            if m.get("note"):
                notes.append(m["note"])
            note = "；".join(notes)
            if key == "unchanged":
                item.setForeground(0, QBrush(GREY))
        item.setText(1, note)
        item.setToolTip(1, note)
        return item

    def outcome_rows(self) -> list[tuple[str, dict[str, list[str]]]]:
        """What the report shows, per file: its heading and, per outcome, the materials."""
        shown = []
        for n in range(self.report.topLevelItemCount()):
            top = self.report.topLevelItem(n)
            assert top is not None
            groups = {}
            for g in range(top.childCount()):
                group = top.child(g)
                assert group is not None
                groups[str(group.data(0, Qt.ItemDataRole.UserRole))] = [
                    group.child(i).text(0) for i in range(group.childCount())]  # type: ignore[union-attr]
            shown.append((top.text(0), groups))
        return shown
