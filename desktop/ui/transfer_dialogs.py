"""报送包 and 下发包 in the window (issue 16): 文件 → 报送到创文办… writes a department's
package for the city's archive (SendTransferDialog); 文件 → 报送包收件箱… applies 报送包 at the
city and 下发包 at a department, one after another, shows each report, the packages applied and
the conflicts left open, and lets an admin settle a conflict (TransferInbox); 文件 → 下发到单位…
writes the city's 下发包 for a department's archive (DispatchDialog).

Everything that writes the archive goes through the window's write lane
(desktop/ui/operations.py); reading what was sent, applied and left in conflict, and whether
the current person is an admin, runs on a worker. The checks, the merge, the resolutions and
every refusal are the core's (desktop/core/transfer)."""

from __future__ import annotations

import html
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
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
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
from desktop.core.archive.kinds import Role
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
from desktop.core.transfer.dispatch import (
    DispatchRound,
    DispatchSent,
    export_dispatch,
    export_dispatches,
)
from desktop.core.transfer.merge import CONFLICT_LABELS
from desktop.core.transfer.package import PACKAGE_SUFFIX
from desktop.core.transfer.receive import DispatchReport
from desktop.core.transfer.records import Reporter, reporters
from desktop.core.transfer.resolve import BOTH, KEEP, THEIRS, Resolved, resolve_conflict
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


def _read(job: Job) -> None:
    """Start a read job (workers.start keeps it alive until it has run even if its dialog is
    closed first)."""
    start(job)


TRANSFER_SUFFIX = PACKAGE_SUFFIX  # 报送包 and 下发包 as the dialogs name them


class _Probe(Exception):
    """Raised by the probe's unlock: the core found something worth sending (and wrote
    nothing, the transaction undone); now the passphrase is asked."""


def probe_then_sign(owner: QWidget, ops: Operations, what: str, name: str,
                    call: Callable[[Callable[[], Ed25519PrivateKey]], Any],
                    ask_passphrase: Callable[[str], str | None], *,
                    signing: Callable[[], None], message: Callable[[Any], str],
                    done: Callable[[Any], None], error: Callable[[str], None],
                    cancelled: Callable[[], None]) -> None:
    """A package written by the core and signed with `name`'s key, as both dialogs do it: the
    core first runs on the write lane up to the point where it unlocks the key (so it checks
    the sender, the other archive, the file and whether there is anything new, and refuses
    before any passphrase is asked); then the passphrase prompt; then the core again on the
    write lane, with the key unlocked there. `done` gets the core's report; `error` its
    message; `cancelled` runs when no passphrase was given."""

    def probe() -> Changes:
        def stop() -> Ed25519PrivateKey:
            raise _Probe

        with suppress(_Probe):  # the transaction is undone, nothing written
            call(stop)
        return Changes()

    def unlock_and_write(_changes: Changes) -> None:
        passphrase = ask_passphrase(name)
        if passphrase is None:
            cancelled()
            return
        result: list[Any] = []

        def work() -> Changes:
            result.append(call(lambda: keys.load_private(name, passphrase)))
            return Changes(message=message(result[0]))

        signing()
        ops.run(what, work, done=while_alive(owner, lambda _c: done(result[0])),
                error=while_alive(owner, error))

    ops.run(what, probe, done=while_alive(owner, unlock_and_write),
            error=while_alive(owner, error))


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
        # the archive's id and name and the roster are read on a worker (with what was sent)
        self._loading = True
        self._archive_id = self._archive_name = ""
        self._people: list[roster.PersonView] = []
        self._wanted_person = person

        self.city = QLineEdit(str(settings.value(CITY_KEY) or ""))
        self.city.setPlaceholderText(self.tr("如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427"))
        self.city.setMinimumWidth(360)
        self.city.textChanged.connect(self._update)
        self.city_note = QLabel()
        self.city_note.setWordWrap(True)
        self.person = QComboBox()
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
        self.status = QLabel(self.tr("正在读取…"))
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
        department = self._department() or self._archive_name or "本单位"
        stem = f"报送包-{department}-{date.today():%Y%m%d}"
        # the suffix lets the desktop's file manager open it in Zicha (packaging: MIME type)
        path, n = folder / f"{stem}{TRANSFER_SUFFIX}", 1
        while path.exists():  # the core never overwrites: the day's second package, -2
            n += 1
            path = folder / f"{stem}-{n}{TRANSFER_SUFFIX}"
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
        self.send_button.setEnabled(ok and not self._busy and not self._loading)

    @property
    def loading(self) -> bool:
        """The archive's id, the roster and what was sent are not read yet."""
        return self._loading

    def _load_sent(self) -> None:
        archive = self.archive

        def work(_job: Job) -> tuple[dict[str, str], list[roster.PersonView], list[TransferRow]]:
            return (archive.info(), roster.people(archive, include_retired=False),
                    [r for r in transfers(archive) if r.direction == "sent"])

        job = Job(work)
        job.signals.finished.connect(while_alive(self, lambda got: self._sent_loaded(*got)))
        job.signals.failed.connect(while_alive(self, self._load_failed))
        _read(job)

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self._say(message, RED)
        self._update()

    def _sent_loaded(self, info: dict[str, str], people: list[roster.PersonView],
                     rows: list[TransferRow]) -> None:
        self._sent_rows = rows
        if self._loading:  # the first read: the id, the name and the roster
            self._loading = False
            self._archive_id, self._archive_name = (info.get("archive_id", ""),
                                                    info.get("name", ""))
            remembered = self.settings.value(self._city_key())
            if remembered and not self.city.isModified():
                self.city.setText(str(remembered))
            self._people = people
            self.person.blockSignals(True)
            for p in people:
                self.person.addItem(f"{p.name}（{p.department or self.tr('无单位')}）", p.name)
            wanted = self._wanted_person
            self.person.setCurrentIndex(max(self.person.findData(wanted) if wanted else -1, 0))
            self.person.blockSignals(False)
            if not self._out_edited:
                self.out.setText(str(self._suggested()))
            self._say(self.tr("报送包由报送人的密钥签名；发出前会询问其口令。"))
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

        def export(unlock: Callable[[], Ed25519PrivateKey]) -> SentReport:
            return export_transfer(archive, city, out, actor=name, all_=everything,
                                   unlock=unlock)

        self._set_busy(True, self.tr("正在检查要报送的内容…"))
        probe_then_sign(
            self, self.ops, self.tr("报送到创文办"), name, export, self.ask_passphrase,
            signing=lambda: self._say(self.tr("正在签名并写出报送包…")),
            message=lambda _r: self.tr("已写出报送包 {path}").format(path=out),
            done=lambda report: self._sent(city, report), error=self._failed,
            cancelled=lambda: self._set_busy(False, self.tr("没有输入口令，未生成报送包。")))

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


HOW_LABELS = {KEEP: QT_TRANSLATE_NOOP("TransferResolve", "保留本档案的"),
              THEIRS: QT_TRANSLATE_NOOP("TransferResolve", "采用对方的"),
              BOTH: QT_TRANSLATE_NOOP("TransferResolve", "两者都保留")}


def how_label(how: str) -> str:
    return QCoreApplication.translate("TransferResolve", HOW_LABELS[how])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP's result as object


def admin_refusal(archive: Archive, name: str | None) -> str:
    """Why `name` may not settle conflicts or sign a 下发包 here ("" when they may: an admin of
    this archive, in post). Reads the roster: call it on a worker."""
    if not name:
        return QCoreApplication.translate("TransferInbox", "请先在主窗口选择当前人员（须为本档案的"
                                          "管理员）")
    person = next((p for p in roster.people(archive, include_retired=False) if p.name == name),
                  None)
    if person is None:
        return QCoreApplication.translate("TransferInbox", "{name} 不在本档案名册的在岗人员中"
                                          ).format(name=name)
    if Role.ADMIN not in person.roles:  # an unscoped grant: admin@… is no admin of the archive
        return QCoreApplication.translate(
            "TransferInbox", "{name} 不是本档案的管理员；须由管理员处理").format(name=name)
    return ""


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
    resolved = Signal(object)  # resolve.Resolved, once the tables show what it did
    resolve_failed = Signal(str)  # the core's refusal

    def __init__(self, archive: Archive, ops: Operations, actor: Callable[[], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报送包或下发包收件箱"))
        self.archive, self.ops, self._actor = archive, ops, actor
        self._queue: list[Path] = []
        self._conflict_rows: list[ConflictRow] = []
        self._checked_actor: str | None = None  # whom _admin_refusal is about
        self._admin_refusal = self.tr("正在检查当前人员…")
        self._resolving = False
        self._after_load: Callable[[], None] | None = None
        self._outcomes: list[Outcome] = []
        self._total = 0
        self._loading = False
        self.archive_id = ""  # read with the records on a worker

        own = self.own_id = QLabel(self.tr("本档案编号：<b>{id}</b>").format(
            id=self.tr("正在读取…")))
        own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton(self.tr("复制编号"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.archive_id))
        own_note = QLabel(self.tr("各责任单位报送时填写这个编号。"))
        own_note.setStyleSheet("color: #555;")
        head = QHBoxLayout()
        head.addWidget(own)
        head.addWidget(copy)
        head.addWidget(own_note, 1)

        self.received = QTableWidget(0, 11)
        self.received.setHorizontalHeaderLabels([
            self.tr("单位"), self.tr("类型"), self.tr("序号"), self.tr("应用时间"),
            self.tr("应用人"), self.tr("新增"), self.tr("更新"), self.tr("未变"), self.tr("冲突"),
            self.tr("审核结果"), self.tr("来源档案")])
        self._table_style(self.received, stretch=10)
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
        self.conflicts.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.conflicts.itemSelectionChanged.connect(self._conflict_chosen)
        conflict_note = QLabel(self.tr(
            "冲突中的材料保持本档案现有的样子，没有采用对方的改动（对方已删除的也没有删除）；"
            "对方的文件已存入本档案，处理时不必重新报送。选择一条冲突，再决定保留本档案的、"
            "采用对方的或两者都保留（由管理员处理，处理前会说明这样做的结果）。"))
        conflict_note.setWordWrap(True)
        conflict_note.setStyleSheet("color: #555;")
        self.keep_button = QPushButton(self.tr("保留本档案的"))
        self.theirs_button = QPushButton(self.tr("采用对方的"))
        self.both_button = QPushButton(self.tr("两者都保留"))
        self.how_buttons = {KEEP: self.keep_button, THEIRS: self.theirs_button,
                            BOTH: self.both_button}
        for how, button in self.how_buttons.items():
            button.clicked.connect(lambda _checked=False, how=how: self.resolve_chosen(how))
        self.conflict_reason = QLabel()  # why the buttons are disabled, when they are
        self.conflict_reason.setWordWrap(True)
        self.conflict_reason.setStyleSheet("color: #555;")
        how_row = QHBoxLayout()
        how_row.addWidget(self.conflict_reason, 1)
        for button in self.how_buttons.values():
            how_row.addWidget(button)
        # what each button would do for the chosen conflict, in full
        self.conflict_help = QLabel()
        self.conflict_help.setWordWrap(True)
        self.conflict_help.setTextFormat(Qt.TextFormat.RichText)
        self.conflict_help.setStyleSheet("padding: 4px; background: #fafafa; "
                                         "border: 1px solid #ddd;")
        self.conflict_help.hide()
        conflict_page = QWidget()
        conflict_layout = QVBoxLayout(conflict_page)
        conflict_layout.addWidget(self.conflicts, 1)
        conflict_layout.addWidget(self.conflict_help)
        conflict_layout.addLayout(how_row)
        conflict_layout.addWidget(conflict_note)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.received, self.tr("已应用的报送包和下发包"))
        self.tabs.addTab(report_page, self.tr("合并报告"))
        self.tabs.addTab(conflict_page, self.tr("冲突"))

        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel(self.tr("应用报送包或下发包：先检查签名、来源与每个文件的哈希，"
                                     "然后整包应用或整包不应用。"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.apply_button = QPushButton(self.tr("应用报送包或下发包…"))
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
        self._update_conflict_buttons()
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

    @property
    def resolving(self) -> bool:
        return self._resolving

    def load_records(self) -> None:
        archive, actor = self.archive, self._actor()
        self._loading = True
        self._checked_actor = actor

        def work(_job: Job) -> tuple[list[TransferRow], list[ConflictRow], str, str]:
            return ([r for r in transfers(archive) if r.direction == "received"],
                    open_conflicts(archive), admin_refusal(archive, actor),
                    archive.info().get("archive_id", ""))

        job = Job(work)
        job.signals.finished.connect(while_alive(self, self._records))
        job.signals.failed.connect(while_alive(self, self._records_failed))
        _read(job)

    def _records_failed(self, message: str) -> None:
        self._loading = False
        self._after_load = None
        self.status.setText(message)

    def _records(self, found: tuple[list[TransferRow], list[ConflictRow], str, str]) -> None:
        rows, conflicts, refusal, archive_id = found
        self._loading = False
        if archive_id != self.archive_id:
            self.archive_id = archive_id
            self.own_id.setText(self.tr("本档案编号：<b>{id}</b>").format(id=archive_id))
        self._admin_refusal = refusal
        self.received.setRowCount(len(rows))
        for n, r in enumerate(reversed(rows)):  # the newest first
            counts = [str(r.counts.get(k, 0)) for k in OUTCOME_LABELS]
            if r.kind == "dispatch":  # the city's decisions, not a merge
                reviews = str(r.counts.get("reviews", 0))
                if r.counts.get("skipped"):
                    reviews += self.tr("（未采用 {n}）").format(n=r.counts["skipped"])
                values = [r.department, self.tr("下发包"), str(r.seq), local_time(r.at), r.by,
                          *("—" for _ in counts), reviews, r.archive]
            else:
                values = [r.department, self.tr("报送包"), str(r.seq), local_time(r.at), r.by,
                          *counts, "—", r.archive]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if (col == 8 and r.counts.get("conflicts")) or (col == 9 and r.counts.get(
                        "skipped")):
                    item.setForeground(QBrush(ORANGE))
                self.received.setItem(n, col, item)
        chosen = self.chosen_conflict
        self._conflict_rows = conflicts
        self.conflicts.blockSignals(True)
        self.conflicts.clearSelection()
        self.conflicts.setRowCount(len(conflicts))
        for n, c in enumerate(conflicts):
            where = f"#{c.material_id}《{c.title}》" if c.material_id else \
                self.tr("（未加入）《{title}》").format(title=c.title)
            values = [str(c.id), c.department, where, kind_label(c.kind),
                      c.reason, local_time(c.created_at)]
            for col, text in enumerate(values):
                self.conflicts.setItem(n, col, QTableWidgetItem(text))
            if chosen is not None and c.id == chosen.id:
                self.conflicts.selectRow(n)
        self.conflicts.blockSignals(False)
        self.conflicts.resizeRowsToContents()
        self.tabs.setTabText(2, self.tr("冲突（{n}）").format(n=len(conflicts)) if conflicts
                             else self.tr("冲突"))
        self._update_conflict_buttons()
        after, self._after_load = self._after_load, None
        self.records_loaded.emit()
        if after is not None:
            after()

    # settling conflicts
    @property
    def chosen_conflict(self) -> ConflictRow | None:
        rows = {i.row() for i in self.conflicts.selectedIndexes()}
        if len(rows) != 1:
            return None
        [n] = rows
        return self._conflict_rows[n] if n < len(self._conflict_rows) else None

    def _conflict_chosen(self) -> None:
        if self._actor() != self._checked_actor and not self._loading:
            self.load_records()  # the window's current person changed: checked again
        self._update_conflict_buttons()

    def _no_resolution(self, how: str, c: ConflictRow) -> str:
        """Why `how` does not apply to this kind of conflict ("" when it does)."""
        if how != BOTH:
            return ""
        if c.kind == "deleted":
            return self.tr("对方删除了这份材料，没有第二份材料可保留")
        if c.material_id is None:
            return self.tr("对方的材料没有加入本档案：两者都保留就等于采用对方的")
        return ""

    def _update_conflict_buttons(self) -> None:
        c = self.chosen_conflict
        if not self.archive.writable:
            why = self.tr("本档案以只读方式打开，不能处理冲突")
        elif self._admin_refusal:
            why = self._admin_refusal
        elif self._resolving:
            why = self.tr("正在处理…")
        elif c is None:
            why = self.tr("先在上表中选择一条冲突") if self._conflict_rows else ""
        else:
            why = ""
        for how, button in self.how_buttons.items():
            reason = why or (self._no_resolution(how, c) if c is not None else "")
            button.setEnabled(not reason)
            button.setToolTip(reason or self.what_it_does(how, c))
        self.conflict_reason.setText(why)
        if c is None:
            self.conflict_help.hide()
        else:
            material = (self.tr("本档案的材料 #{id}，对方的版本《{title}》") if c.material_id
                        else self.tr("对方的材料《{title}》（未加入本档案）")).format(
                            id=c.material_id, title=c.title)
            lines = [self.tr("<b>冲突 {id}</b>（{department}，{kind}）：{material}").format(
                id=c.id, department=html.escape(c.department), kind=kind_label(c.kind),
                material=html.escape(material))]
            for how in self.how_buttons:
                lines.append(f"<b>{how_label(how)}</b>：{html.escape(self.what_it_does(how, c))}")
            self.conflict_help.setText("<br>".join(lines))
            self.conflict_help.show()
        refused = why and (why == self._admin_refusal or not self.archive.writable)
        self.conflict_reason.setStyleSheet("color: #b00020;" if refused else "color: #555;")

    def what_it_does(self, how: str, c: ConflictRow | None) -> str:
        """What `how` does for this conflict (docs/transfers.md "Settling conflicts")."""
        if c is None:
            return ""
        mine = f"#{c.material_id}" if c.material_id else ""  # c.title is the package's
        theirs = f"《{c.title}》"
        if c.kind == "deleted":
            return {
                KEEP: self.tr("本档案继续保留材料 {m}（对方已删除它），不做改动。").format(m=mine),
                THEIRS: self.tr("从本档案删除材料 {m}，与对方一致。只有草稿或已退回的材料可以"
                                "删除；处于审核中的，请先由审核人退回。").format(m=mine),
                BOTH: self._no_resolution(BOTH, c)}[how]
        if c.material_id is None:  # same_file: the package's new material was not added
            return {
                KEEP: self.tr("对方的材料 {t} 继续不加入本档案。").format(t=theirs),
                THEIRS: self.tr("把对方的材料 {t} 加入本档案，如同合并时加入一样（保留其来源、"
                                "测评内容与审核记录），尽管它的文件与本档案另一份材料相同而归入"
                                "不同的测评内容。").format(t=theirs),
                BOTH: self._no_resolution(BOTH, c)}[how]
        both = self.tr("本档案的材料 {m} 不变；对方的版本{t}另存为本档案的一份新材料（草稿，"
                       "没有审核记录，使用本档案的编号），日后单独审核。").format(m=mine, t=theirs)
        if c.kind == "decided":
            return {
                KEEP: self.tr("本档案的材料 {m} 及其审核记录不变，不采用对方这次的改动。").format(
                    m=mine),
                THEIRS: self.tr("把对方的版本{t}（材料信息、测评内容、文件、状态和对方的审核"
                                "记录）应用到材料 {m}。本档案在两边审核记录分叉之后的审核记录从"
                                "这份材料上撤下（完整保存在审计日志中，签名仍可验证）；改动后不再"
                                "有效的审核通过作废。").format(t=theirs, m=mine),
                BOTH: both}[how]
        return {  # same_file, an update of a material here
            KEEP: self.tr("不采用对方对材料 {m} 的这次更新。").format(m=mine),
            THEIRS: self.tr("采用对方对材料 {m} 的更新{t}（材料信息、测评内容、文件和审核"
                            "记录），尽管它的文件与本档案另一份材料相同而归入不同的测评内容。"
                            ).format(m=mine, t=theirs),
            BOTH: both}[how]

    def ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def resolve_chosen(self, how: str) -> None:
        """Settle the chosen conflict with `how`, after saying what that does, on the write
        lane; the tables reload once it is done."""
        c, actor = self.chosen_conflict, self._actor()
        if c is None or actor is None or self._resolving or self._no_resolution(how, c):
            return
        label = how_label(how)
        if not self.ask_confirm(self.tr("处理报送冲突 {id}：{how}").format(id=c.id, how=label),
                                self.tr("{what}\n\n冲突：{kind}（{department}）\n{reason}\n\n"
                                        "处理后记入审计日志，不能再次处理。确定吗？").format(
                                            what=self.what_it_does(how, c),
                                            kind=kind_label(c.kind), department=c.department,
                                            reason=c.reason)):
            return
        archive = self.archive
        result: list[Resolved] = []

        def work() -> Changes:
            done = resolve_conflict(archive, c.id, how, actor=actor)
            result.append(done)
            ids = {i for i in (done.material_id,) if i is not None}
            return Changes(materials=frozenset(ids - {done.added_id}),
                           added=frozenset({done.added_id} if done.added_id else set()),
                           deleted=frozenset({done.deleted_id} if done.deleted_id else set()),
                           tree=True, tasks=True, message=self.resolution_text(done))

        self._resolving = True
        self._update_conflict_buttons()
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在处理报送冲突 {id}（{how}）…").format(id=c.id, how=label))
        self.ops.run(self.tr("处理报送冲突"), work,
                     done=while_alive(self, lambda _c: self._resolved(result[0])),
                     error=while_alive(self, self._resolve_refused))

    def resolution_text(self, r: Resolved) -> str:
        what = how_label(r.how)
        if r.added_id is not None:
            what += (self.tr("；对方的版本另存为材料 #{id}（草稿）") if r.how == BOTH
                     else self.tr("；材料 #{id} 已加入本档案")).format(id=r.added_id)
        if r.deleted_id is not None:
            what += self.tr("；材料 #{id} 已删除").format(id=r.deleted_id)
        if r.changed:
            what += self.tr("；改动了{fields}").format(
                fields="、".join(field_label(k) for k in r.changed))
        text = self.tr("已处理报送冲突 {id}（{kind}）：{what}").format(
            id=r.conflict, kind=kind_label(r.kind), what=what)
        return "\n".join([text, *r.set_aside, *r.voided])

    def _resolved(self, r: Resolved) -> None:
        self._resolving = False
        self.status.setText(self.resolution_text(r))
        self.status.setStyleSheet(f"color: {GREEN.name()};")
        self._after_load = lambda: self.resolved.emit(r)
        self.load_records()

    def _resolve_refused(self, message: str) -> None:
        self._resolving = False
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {RED.name()};")
        self._update_conflict_buttons()
        self.resolve_failed.emit(message)

    # applying
    def ask_open_paths(self) -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择要应用的报送包或下发包"), "",
                                                self.tr("报送包或下发包 (*.zip);;所有文件 (*)"))
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
        # the headings whole, unless that would leave the notes too little room
        wanted = self.report.sizeHintForColumn(0) + 24
        room = self.report.viewport().width() * 3 // 5
        self.report.setColumnWidth(0, max(420, min(wanted, room)))
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
        text = self.tr("已应用 {good} 个报送包或下发包，{bad} 个被拒绝；冲突 {c} 个。").format(
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


# -- the city's 下发包 -----------------------------------------------------------------------

class DispatchDialog(QDialog):
    """下发到单位: the city's 下发包 for one department's archive (the city's decisions on its
    materials, its tasks and problems, the roster and 测评体系 those need, the receipt of its
    报送包), chosen among the archives that reported here or typed in; signed by the current
    person, an admin, with the passphrase asked as 报送到创文办 asks it; written by the core on
    the write lane."""

    sent = Signal(object)  # dispatch.DispatchSent
    failed = Signal(str)
    loaded = Signal()  # the departments and the signer checked

    def __init__(self, archive: Archive, ops: Operations, settings: QSettings,
                 person: str | None, ask_passphrase: Callable[[str], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("下发到单位"))
        self.archive, self.ops, self.settings = archive, ops, settings
        self.person, self._prompt = person, ask_passphrase
        self._archive_id = ""  # this archive's id, read with the rest on a worker
        self._reporters: list[Reporter] = []
        self._refusal = self.tr("正在检查签发人…")
        self._loading = True
        self._busy = False
        self._out_edited = False

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([
            self.tr("单位"), self.tr("最近报送"), self.tr("报送时间"), self.tr("上次下发"),
            self.tr("档案编号")])
        TransferInbox._table_style(self.table, stretch=4)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        self.table_note.setStyleSheet("color: #555;")

        self.target = QLineEdit()
        self.target.setPlaceholderText(self.tr("如 1b4e28ba-2fa1-4d2e-883f-0016d3cca427"))
        self.target.setMinimumWidth(360)
        self.target.textChanged.connect(self._target_changed)
        self.department = QLineEdit()
        self.department.setPlaceholderText(self.tr("该档案还没有报送过时填写，如 市公安局"))
        self.department.textChanged.connect(self._department_changed)
        self.target_note = QLabel()
        self.target_note.setWordWrap(True)
        self.signer = QLabel()
        self.signer.setWordWrap(True)
        self.everything = QCheckBox(self.tr("下发全部内容，而不只是上次下发以来的改动"
                                            "（对方要求重新下发时）"))
        self.out = QLineEdit()
        self.out.textChanged.connect(self._update)
        self.out.textEdited.connect(lambda _t: setattr(self, "_out_edited", True))
        self.choose_button = QPushButton(self.tr("选择…"))
        self.choose_button.clicked.connect(self.choose_out)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(self.choose_button)

        form = self._form = QFormLayout()
        form.addRow(self.tr("接收单位档案编号"), self.target)
        form.addRow(self.tr("接收单位"), self.department)
        form.addRow("", self.target_note)
        form.addRow(self.tr("签发人"), self.signer)
        form.addRow(self.tr("下发内容"), self.everything)
        form.addRow(self.tr("下发包保存到"), out_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self.tr("下发包带去本档案对该单位材料的审核结果（含退回理由）、该单位"
                                     "的任务与交办的问题，以及其报送包的回执；由签发人的密钥签名，"
                                     "写出前会询问其口令。"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reviews = QListWidget()
        self.reviews.hide()
        self.write_button = QPushButton(self.tr("写出下发包"))
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        self.round_button = QPushButton(self.tr("给每个单位各写一个…"))
        self.round_button.setToolTip(self.tr(
            "给上表中每个有新内容的单位各写一个下发包，保存到所选文件夹；只询问一次口令"))
        self.round_button.clicked.connect(self.write_round)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.round_button)
        buttons.addWidget(self.write_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("已向本档案报送过的单位（选择一行，或在下面直接填写档案编号）："))
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.table_note)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.reviews_heading = QLabel(self.tr("这个下发包带去的审核结果："))
        self.reviews_heading.hide()
        layout.addWidget(self.reviews_heading)
        layout.addWidget(self.reviews, 1)
        layout.addLayout(buttons)
        self.resize(820, 620)
        self.out.setText(str(self._suggested()))
        self._update()
        self.load()

    # what the archive knows
    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def busy(self) -> bool:
        return self._busy

    def load(self) -> None:
        archive, person = self.archive, self.person
        self._loading = True

        def work(_job: Job) -> tuple[list[Reporter], list[str], str, str]:
            return (reporters(transfers(archive)), roster.departments(archive),
                    admin_refusal(archive, person), archive.info().get("archive_id", ""))

        job = Job(work)
        job.signals.finished.connect(while_alive(self, self._loaded))
        job.signals.failed.connect(while_alive(self, self._load_failed))
        _read(job)

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self._say(message, RED)
        self.loaded.emit()

    def _loaded(self, found: tuple[list[Reporter], list[str], str, str]) -> None:
        self._reporters, departments, self._refusal, self._archive_id = found
        self._loading = False
        self.department.setCompleter(QCompleter(departments, self.department))
        self.table.setRowCount(len(self._reporters))
        for n, r in enumerate(self._reporters):
            values = [r.department, self.tr("第 {n} 号").format(n=r.last_seq),
                      local_time(r.last_at),
                      self.tr("第 {n} 号").format(n=r.dispatched) if r.dispatched
                      else self.tr("还没有"), r.archive]
            for col, text in enumerate(values):
                self.table.setItem(n, col, QTableWidgetItem(text))
        self.table_note.setText("" if self._reporters else self.tr(
            "还没有单位向本档案报送过。要向还没有报送的单位下发（如先下发任务），请在下面填写"
            "该单位档案的编号（该单位在其“报送到创文办”或 zicha info 中可见）和单位名称。"))
        self.table_note.setVisible(bool(self.table_note.text()))
        self._update()
        self.loaded.emit()

    def _known(self, archive_id: str | None) -> Reporter | None:
        return next((r for r in self._reporters if r.archive == archive_id), None)

    def _row_chosen(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) == 1:
            [n] = rows
            self.target.setText(self._reporters[n].archive)

    def _target_changed(self, _text: str) -> None:
        known = self._known(valid_archive_id(self.target.text()))
        if known is not None:  # its 报送包 say which department it is
            self.department.setText(known.department)
        self.department.setReadOnly(known is not None)
        self._update()

    def _department_changed(self, _text: str) -> None:
        if not self._out_edited:
            self.out.setText(str(self._suggested()))
        self._update()

    def _suggested(self) -> Path:
        folder = Path(str(self.settings.value("transfer/dispatch_folder") or Path.home()))
        stem = f"下发包-{self.department.text().strip() or '单位'}-{date.today():%Y%m%d}"
        path, n = folder / f"{stem}{TRANSFER_SUFFIX}", 1
        while path.exists():  # the core never overwrites
            n += 1
            path = folder / f"{stem}-{n}{TRANSFER_SUFFIX}"
        return path

    def ask_save_path(self, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存下发包"), str(suggested),
                                              self.tr("下发包 (*.zip)"))
        return Path(path) if path else None

    def ask_passphrase(self, name: str) -> str | None:
        return self._prompt(name)

    def choose_out(self) -> None:
        chosen = self.ask_save_path(Path(self.out.text().strip() or self._suggested()))
        if chosen is not None:
            if chosen.suffix.lower() != ".zip":
                chosen = chosen.with_name(chosen.name + ".zip")
            self._out_edited = True
            self.out.setText(str(chosen))

    def _update(self) -> None:
        text = self.target.text().strip()
        target = valid_archive_id(text) if text else None
        known = self._known(target)
        if not text:
            note, bad = "", False
        elif target is None:
            note, bad = self.tr("“{text}”不是档案编号：档案编号是 36 位的 UUID。").format(
                text=text), True
        elif target == self._archive_id:
            note, bad = self.tr("这是本档案自己的编号；请填写接收单位档案的编号。"), True
        elif known is not None:
            note, bad = self.tr("{department} 的档案：已应用其报送包至第 {seq} 号，下发包将附上"
                                "这一回执。").format(department=known.department,
                                                  seq=known.last_seq), False
        elif not self.department.text().strip():
            note, bad = self.tr("本档案还没有收到这个档案的报送包：请填写接收单位的名称。"), True
        else:
            note, bad = self.tr("本档案还没有收到这个档案的报送包；将按所填单位下发。"), False
        self.target_note.setText(note)
        self.target_note.setStyleSheet("color: #b00020;" if bad else "color: #555;")
        self._form.setRowVisible(self.target_note, bool(note))
        if self.person is None:
            self.signer.setText(self.tr("（未选择）请先在主窗口选择当前人员（须为本档案的管理员）"))
        else:
            self.signer.setText(self.person + (f"：{self._refusal}" if self._refusal else ""))
        self.signer.setStyleSheet("color: #b00020;" if self._refusal else "")
        ok = (target is not None and target != self._archive_id and not bad
              and bool(self.out.text().strip()) and not self._refusal and not self._loading
              and self.archive.writable)
        self.write_button.setEnabled(ok and not self._busy)
        reason = (self._refusal or (self.tr("本档案以只读方式打开") if not self.archive.writable
                                    else note if bad else ""))
        self.write_button.setToolTip(reason)
        self.round_button.setEnabled(
            bool(self._reporters) and self.person is not None and not self._refusal
            and not self._loading and not self._busy and self.archive.writable)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for w in (self.table, self.target, self.department, self.everything, self.out,
                  self.choose_button):
            w.setEnabled(not busy)
        if text:
            self._say(text)
        self._update()

    def _say(self, text: str, colour: QColor | None = None) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour.name()};" if colour else "")

    # writing
    def write(self) -> None:
        target = valid_archive_id(self.target.text())
        name, out_text = self.person, self.out.text().strip()
        if self._busy or target is None or name is None or not out_text or self._refusal:
            return
        out = Path(out_text)
        if out.suffix.lower() != ".zip":
            out = out.with_name(out.name + ".zip")
            self.out.setText(str(out))
        archive, everything = self.archive, self.everything.isChecked()
        department = None if self._known(target) else self.department.text().strip() or None
        self.reviews.clear()
        self.reviews.hide()
        self.reviews_heading.hide()

        def export(unlock: Callable[[], Ed25519PrivateKey]) -> DispatchSent:
            return export_dispatch(archive, target, out, actor=name, unlock=unlock,
                                   department=department, all_=everything)

        self._set_busy(True, self.tr("正在检查要下发的内容…"))
        probe_then_sign(
            self, self.ops, self.tr("下发到单位"), name, export, self.ask_passphrase,
            signing=lambda: self._say(self.tr("正在签名并写出下发包…")),
            message=lambda _r: self.tr("已写出下发包 {path}").format(path=out),
            done=self._written, error=self._failed,
            cancelled=lambda: self._set_busy(False, self.tr("没有输入口令，未生成下发包。")))

    def ask_folder(self) -> Path | None:
        start_in = str(self.settings.value("transfer/dispatch_folder") or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("下发包保存到哪个文件夹"),
                                                  start_in)
        return Path(chosen) if chosen else None

    def write_round(self) -> None:
        """A 下发包 for every department in the table that has something new, into one
        folder, with one passphrase (export_dispatches)."""
        name = self.person
        if self._busy or name is None or self._refusal or not self._reporters:
            return
        folder = self.ask_folder()
        if folder is None:
            return
        archive, everything = self.archive, self.everything.isChecked()
        self.reviews.clear()
        self.reviews.hide()
        self.reviews_heading.hide()

        def export(unlock: Callable[[], Ed25519PrivateKey]) -> DispatchRound:
            return export_dispatches(archive, folder, actor=name, unlock=unlock,
                                     all_=everything)

        self._set_busy(True, self.tr("正在检查各单位要下发的内容…"))
        probe_then_sign(
            self, self.ops, self.tr("下发到单位"), name, export, self.ask_passphrase,
            signing=lambda: self._say(self.tr("正在签名并写出各单位的下发包…")),
            message=lambda r: self.tr("已写出 {n} 个下发包到 {folder}").format(
                n=len(r.sent), folder=r.folder),
            done=self._round_written, error=self._failed,
            cancelled=lambda: self._set_busy(False, self.tr("没有输入口令，未生成下发包。")))

    def _round_written(self, round_: DispatchRound) -> None:
        self.settings.setValue("transfer/dispatch_folder", round_.folder)
        self._set_busy(False)
        text = self.tr("已写出 {n} 个下发包到 {folder}；{same} 个单位没有新内容{failed}。\n"
                       "请把各单位的文件交给该单位，由其在“报送包或下发包收件箱”中应用。").format(
            n=len(round_.sent), folder=round_.folder, same=len(round_.unchanged),
            failed=self.tr("，{n} 个单位未能下发（见下）").format(n=len(round_.failed))
            if round_.failed else "")
        self._say(text, RED if round_.failed else GREEN)
        for f in round_.failed:
            self.reviews.addItem(self.tr("未写出 {department}：{reason}").format(
                department=f.department, reason=f.reason))
        for sent in round_.sent:
            self.reviews.addItem(self.tr(
                "{department}：第 {seq} 号，审核结果 {reviews} 份，任务 {tasks}，问题 {problems}，"
                "回执至第 {receipt} 号 — {name}").format(
                    department=sent.department, seq=sent.seq, reviews=len(sent.reviews),
                    tasks=sent.tasks, problems=sent.problems, receipt=sent.receipt,
                    name=Path(sent.out).name))
        for u in round_.unchanged:
            self.reviews.addItem(self.tr("{department}：没有新内容，未生成").format(
                department=u.department))
        self.reviews_heading.setText(self.tr("这一轮下发："))
        self.reviews_heading.show()
        self.reviews.show()
        self.load()
        for sent in round_.sent:
            self.sent.emit(sent)

    def _written(self, report: DispatchSent) -> None:
        self.settings.setValue("transfer/dispatch_folder", str(Path(report.out).parent))
        self._set_busy(False)
        self._say(self.tr(
            "已写出下发包 {path}\n给 {department} 的第 {seq} 号：材料审核结果 {reviews} 份，"
            "任务 {tasks}，问题 {problems}，回执至第 {receipt} 号；共 {size}。\n"
            "请把这个文件交给{department}，由其在“报送包或下发包收件箱”中应用。").format(
                path=report.out, department=report.department, seq=report.seq,
                reviews=len(report.reviews), tasks=report.tasks, problems=report.problems,
                receipt=report.receipt, size=size_text(report.bytes)), GREEN)
        for m in report.reviews:
            state = STATE_LABELS.get(m["state"], m["state"])
            why = f"（{m['reviewer']}）：{m['comment']}" if m["comment"] else f"（{m['reviewer']}）"
            self.reviews.addItem(f"#{m['id']}《{m['title']}》：{state}{why}")
        self.reviews_heading.setText(self.tr("这个下发包带去的审核结果："))
        self.reviews.setVisible(bool(report.reviews))
        self.reviews_heading.setVisible(bool(report.reviews))
        self._out_edited = False
        self.out.setText(str(self._suggested()))
        self.load()
        self.sent.emit(report)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._say(message, RED)
        self.failed.emit(message)
