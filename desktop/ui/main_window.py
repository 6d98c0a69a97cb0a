"""The main window: indicator tree | materials table | viewer and metadata editor."""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop import __version__
from desktop.core import search
from desktop.core.archive import feed
from desktop.core.archive.archive import Archive, demo_archive_dir, is_archive, preload
from desktop.core.archive.items import Node, nodes
from desktop.core.archive.kinds import ReviewState
from desktop.core.archive.systems import SystemView
from desktop.core.archive.systems import systems as archive_systems
from desktop.core.common.changes import Changes
from desktop.core.common.progress import Cancelled, follow
from desktop.core.export.model import VerifyReport
from desktop.core.export.verify import verify_export
from desktop.core.ledger import tasks
from desktop.core.ledger.views import Ledger
from desktop.core.materials import listing, texts
from desktop.core.materials.detect import archive_kind
from desktop.core.materials.importer import (
    REFUSED,
    STORED,
    ImportOptions,
    ImportStopped,
    import_paths,
)
from desktop.core.materials.service import (
    MaterialView,
    count_materials,
    delete_materials,
    get_material,
    update_materials,
)
from desktop.core.review import decisions, roster
from desktop.core.review.package import ApplyReport, ExportReport, apply_decisions, export_package
from desktop.core.review.roster import departments
from desktop.core.review.workflow import STAGE_AWAITED, STAGE_LABELS, Role
from desktop.ui.bulk_edit import BulkEditDialog
from desktop.ui.checklist_panel import ChecklistPanel, submit_checked
from desktop.ui.dialogs import (
    ApplyReportDialog,
    ImportReportDialog,
    VerifyDialog,
    VerifyReportDialog,
)
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.ledger_window import LedgerWindow
from desktop.ui.mark_tools import MarksHost
from desktop.ui.metadata import MetadataEditor
from desktop.ui.models import (
    CODE_ROLE,
    ID_ROLE,
    STATE_LABELS,
    IndicatorTreeModel,
    MaterialFilterProxy,
    MaterialTableModel,
    state_label,
    system_key,
    system_of_key,
)
from desktop.ui.operations import Operations
from desktop.ui.package_review import OpenedPackage, PackageReviewWindow, open_for_review
from desktop.ui.preview import PreviewWidget
from desktop.ui.review_panel import ReviewPanel
from desktop.ui.search_panel import SearchPanel
from desktop.ui.text_worker import TextWorker
from desktop.ui.thumbnails import ThumbnailCache
from desktop.ui.views import IndicatorTreeView, MaterialTableView, RosterBox
from desktop.ui.workers import Job, start, while_alive

if TYPE_CHECKING:
    from desktop.ui.conclusion_dialog import ConclusionDialog
    from desktop.ui.systems_dialog import SystemsDialog
    from desktop.ui.transfer_dialogs import DispatchDialog, SendTransferDialog, TransferInbox

APP_TITLE = "Zicha 材料自查档案"
OTHERS_POLL_MS = 3000  # a server archive: how often the window asks what others changed
FILTER_DELAY_MS = 200  # the filter box: how long typing pauses before the table is filtered
GEOMETRY_KEY = "window/geometry"  # where the window was when it was last closed
PANES_KEY = "window/panes"  # the three panes' widths then
MAXIMISE_BELOW = 1600  # a first start on a screen narrower than this opens maximised
COLUMN_WIDTHS = {
    MaterialTableModel.ID: 44, MaterialTableModel.TITLE: 230, MaterialTableModel.TYPE: 64,
    MaterialTableModel.DOC_NUMBER: 120, MaterialTableModel.DATE: 84,
    MaterialTableModel.DEPARTMENT: 90, MaterialTableModel.ITEMS: 60, MaterialTableModel.PAGES: 40,
    MaterialTableModel.STATE: 56, MaterialTableModel.ARCHIVAL: 140,
}


@dataclass(frozen=True)
class Opened:
    """An archive just opened on a worker, with what the window shows of it first."""

    archive: Archive
    info: dict[str, str]
    people: list[roster.PersonView]  # the current roster (retired people left out)
    departments: list[str]
    seen: int  # a server archive: its last audit entry (what others change is polled after)

    @classmethod
    def read(cls, archive: Archive) -> Opened:
        people, names = read_roster(archive)
        return cls(archive, archive.info(), people, names,
                   feed.last_seq(archive) if archive.server is not None else 0)


def read_roster(archive: Archive) -> tuple[list[roster.PersonView], list[str]]:
    """The person box's people and the archive's 责任单位 (a worker's read)."""
    return roster.people(archive, include_retired=False), departments(archive)


@dataclass(frozen=True)
class Detail:
    """What the editor shows of the material selected, read on a worker."""

    view: MaterialView
    returned_reason: str  # the reviewer's reason of the last return ("" unless returned)
    departments: list[str]  # the editor's choices of 责任单位

    @classmethod
    def read(cls, archive: Archive, material_id: int) -> Detail:
        view = get_material(archive, material_id)
        reason = (decisions.allowed(archive, view.id, None).last_return
                  if view.state == "returned" else "")
        return cls(view, reason, departments(archive))


class SystemRowDelegate(QStyledItemDelegate):
    """A 测评体系 row too long for the tree is shortened in the middle, so that its weight at the
    end (“… · 权重 20%”) stays in sight; other rows keep their code and the start of the name."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if system_of_key(index.data(CODE_ROLE)):
            option.textElideMode = Qt.TextElideMode.ElideMiddle


class MainWindow(QMainWindow):
    archive_changed = Signal()
    import_finished = Signal(list)  # [ImportRow]
    text_extraction_idle = Signal()
    table_loaded = Signal()  # the material table shows the current node / filters
    counts_loaded = Signal()  # the tree shows the archive's current counts
    package_opened = Signal(object)  # the PackageReviewWindow just shown
    decisions_applied = Signal(object)  # package.ApplyReport
    export_dialog_shown = Signal(object)  # the ExportDialog
    ledger_shown = Signal(object)  # the LedgerWindow
    people_shown = Signal(object)  # the PeopleDialog
    systems_shown = Signal(object)  # the SystemsDialog
    conclusion_shown = Signal(object)  # the ConclusionDialog
    transfer_send_shown = Signal(object)  # the SendTransferDialog (报送到创文办)
    transfer_inbox_shown = Signal(object)  # the TransferInbox (报送包收件箱)
    transfer_dispatch_shown = Signal(object)  # the DispatchDialog (下发到单位)
    tasks_checked = Signal(object)  # the Ledger behind the tree colours and the notice
    export_verified = Signal(object)  # export.model.VerifyReport
    open_failed = Signal(str)  # an archive could not be opened: the message shown
    detail_shown = Signal(int)  # the editor and the review tab show this material

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        preload()  # what opening the first archive would load: now, not while it opens
        self.settings = settings
        self.archive: Archive | None = None
        self._nodes: dict[str, Node] = {}
        self._systems: dict[str, SystemView] = {}  # the archive's 测评体系, the city's first
        self._code: str | None = None
        self._system: str | None = None  # a 测评体系 row is selected: its id (and no _code)
        self._systems_dialog: SystemsDialog | None = None  # the 测评体系 dialog while open
        self._send_dialog: SendTransferDialog | None = None  # 报送到创文办 while open
        self._inbox: TransferInbox | None = None  # 报送包收件箱 while open
        self._dispatch_dialog: DispatchDialog | None = None  # 下发到单位 while open
        self._job: Job | None = None
        self._counts_jobs: list[Job] = []
        self._counts_generation = 0  # only the newest tree counts are shown
        self._counts_shown = 0
        self._selection_job: Job | None = None  # ids of selected rows not read yet
        self._selection: tuple[list[int], list[str]] = ([], [])  # selected ids and states
        self._finished_imports: list[list] = []  # their rows, until the tree shows them
        self._row_jobs: list[Job] = []  # rows re-read after an operation changed them
        self._task_jobs: list[Job] = []
        self._task_generation = 0
        self._ledger: Ledger | None = None
        self._people: list = []
        self._info: dict[str, str] = {}  # the open archive's facts (name, ids, its system)
        self._departments: list[str] = []  # its 责任单位, as last read on a worker
        self._open_job: Job | None = None  # an archive being opened
        self._open_generation = 0  # only the newest open is shown
        self._when_opened: list[Callable[[], object]] = []
        self._roster_job: Job | None = None
        self._roster_generation = 0
        self._detail_job: Job | None = None  # the selected material being read
        self._detail_generation = 0
        self._detail_wanted: int | None = None  # the material last asked to be shown
        self._total = 0  # materials in the archive
        self._reselecting = False
        # every change the window makes: one operation on the write lane, announcing what
        # changed; the views refresh from that record
        self.ops = Operations(self)
        self.ops.changed.connect(self.apply_changes)
        self.ops.failed.connect(self._operation_failed)
        # during an import only the tree's counts follow along (cheap); the table is reloaded
        # once the import ends, so the GUI thread stays free while workers compete for the GIL
        self._refresh_timer = QTimer(self, singleShot=True, interval=500)
        self._refresh_timer.timeout.connect(self.refresh_counts)
        # a server archive: what other desktops change shows here too (the audit log after the
        # last entry seen, polled; feed.py)
        self._others_timer = QTimer(self, interval=OTHERS_POLL_MS)
        self._others_timer.timeout.connect(self.poll_others)
        self._others_seen = 0
        self._others_job: Job | None = None

        self.tree_model = IndicatorTreeModel(self)
        self.tree = IndicatorTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setItemDelegateForColumn(0, SystemRowDelegate(self.tree))
        self.tree.selectionModel().currentChanged.connect(self._node_chosen)
        self.tree.files_dropped.connect(self.import_paths)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)

        self.table_model = MaterialTableModel(self)
        self.proxy = MaterialFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)
        self.table_model.loaded.connect(self._table_ready)
        self.table_model.load_failed.connect(self._table_failed)
        self.table_model.sorting.connect(self._load_table)
        self.table = MaterialTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(MaterialTableModel.ID, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        # the title gets the width that is left: it is what a clerk reads
        header.setSectionResizeMode(MaterialTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.table.selectionModel().currentRowChanged.connect(self._material_chosen)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.files_dropped.connect(self._dropped_on_table)
        self.thumbnails = ThumbnailCache(parent=self)  # photos' thumbnails, made lazily
        self.table.setIconSize(QSize(24, 24))

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("筛选：材料名称、文号、责任单位、类型…"))
        self.filter_edit.setClearButtonEnabled(True)
        # the filter runs in the database on a worker, once typing pauses (the newest wins)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._load_table)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.node_label = QLabel()
        self.node_label.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.node_label.setWordWrap(True)

        self.empty = QWidget()
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #555; font-size: 14px;")
        self.empty_import = QPushButton(self.tr("导入文件…"))
        self.empty_import.clicked.connect(self.choose_files)
        self.empty_demo = QPushButton(self.tr("打开示例档案"))
        self.empty_demo.clicked.connect(self.open_demo)
        self.empty_open = QPushButton(self.tr("打开档案…"))
        self.empty_open.clicked.connect(self.choose_archive)
        self.empty_new = QPushButton(self.tr("新建档案…"))
        self.empty_new.clicked.connect(self.choose_new_archive)
        self.empty_title = QLabel(self.tr("欢迎使用 Zicha 材料自查档案"))
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title.setStyleSheet("font-size: 20px; font-weight: bold; margin: 12px;")
        empty_buttons = QHBoxLayout()
        empty_buttons.addStretch(1)
        for b in (self.empty_demo, self.empty_import, self.empty_new, self.empty_open):
            empty_buttons.addWidget(b)
        empty_buttons.addStretch(1)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addLayout(empty_buttons)
        empty_layout.addStretch(2)
        self.search_panel = SearchPanel()
        self.search_panel.hit_activated.connect(self.open_hit)
        self.center_stack = QStackedWidget()
        self.center_stack.addWidget(self.table)
        self.center_stack.addWidget(self.empty)
        self.center_stack.addWidget(self.search_panel)

        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(4, 4, 4, 4)
        center_layout.addWidget(self.node_label)
        self.stage_filter = QComboBox()
        self.stage_filter.addItem(self.tr("全部状态"), None)
        for key in STATE_LABELS:
            self.stage_filter.addItem(state_label(key), key)
        self.stage_filter.currentIndexChanged.connect(self._load_table)
        self.queue_box = QCheckBox(self.tr("我的待办"))
        self.queue_box.setToolTip(self.tr("只显示等待当前人员审核、提交或修改的材料"))
        self.queue_box.toggled.connect(self._load_table)
        self.incomplete_box = QCheckBox(self.tr("待完善"))
        self.incomplete_box.setToolTip(self.tr("只显示还缺材料名称、日期、类型或责任单位的材料"))
        self.incomplete_box.toggled.connect(self._load_table)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.stage_filter)
        filter_row.addWidget(self.incomplete_box)
        filter_row.addWidget(self.queue_box)
        center_layout.addLayout(filter_row)
        # several rows selected: what can be done with all of them at once
        self.selection_bar = QWidget()
        self.selection_bar.setStyleSheet("background: #e3f2fd;")
        self.selection_label = QLabel()
        bar = QHBoxLayout(self.selection_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.selection_label, 1)
        self.selection_buttons: list[QToolButton] = []
        for _ in range(3):
            button = QToolButton()
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
            self.selection_buttons.append(button)
        self.selection_bar.hide()
        center_layout.addWidget(self.selection_bar)
        center_layout.addWidget(self.center_stack, 1)

        self.preview = PreviewWidget()
        self.preview.stored_text = self._stored_text
        self.preview.marks_host = MarksHost(lambda: self.archive, self.ops, lambda: self.actor)
        self.preview.marks_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.editor = MetadataEditor()
        self.editor.set_operations(self.ops, lambda: self.actor)
        self.editor.save_failed.connect(self._save_failed)
        editor_scroll = QScrollArea()
        editor_scroll.setWidget(self.editor)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        info_tab = QWidget()
        info_layout = QVBoxLayout(info_tab)
        info_layout.setContentsMargins(0, 0, 0, 0)
        info_layout.setSpacing(0)
        info_layout.addWidget(editor_scroll, 1)
        info_layout.addWidget(self.editor.button_bar)
        self.review_panel = ReviewPanel()
        self.review_panel.set_operations(self.ops)
        self.details = QTabWidget()
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.details.addTab(info_tab, self.tr("信息"))
        self.details.addTab(self.review_panel, self.tr("审核"))
        right = self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.preview)
        right.addWidget(self.details)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)

        # the 材料清单 of the selected 测评内容, under the tree
        self.checklist_panel = ChecklistPanel()
        self.checklist_panel.set_operations(self.ops, lambda: self.actor)
        left = self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.tree)
        left.addWidget(self.checklist_panel)
        left.setChildrenCollapsible(False)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(center)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 3)
        # what is overdue or due this week for the current person's department
        self.notice = QWidget()
        self.notice.setStyleSheet("background: #fff3c4;")
        self.notice_label = QLabel()
        notice_button = QPushButton(self.tr("查看任务台账"))
        notice_button.clicked.connect(self.show_ledger)
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(8, 4, 8, 4)
        notice_layout.addWidget(self.notice_label, 1)
        notice_layout.addWidget(notice_button)
        self.notice.hide()
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.setSpacing(0)
        main_layout.addWidget(self.notice)
        main_layout.addWidget(splitter, 1)
        self.setCentralWidget(main)

        self._make_actions()
        self.text_worker = TextWorker(self)
        self.text_worker.progress.connect(self._text_progress)
        self.text_worker.idle.connect(self._text_idle)
        self.text_worker.changed.connect(self._texts_changed)
        self.text_label = QLabel()
        self.text_bar = QProgressBar()
        self.text_bar.setMaximumWidth(160)
        self.text_bar.setTextVisible(False)
        self.text_bar.hide()
        self.archive_label = QLabel()
        for w in (self.text_label, self.text_bar, self.archive_label):
            self.statusBar().addPermanentWidget(w)
        self._fit_to_screen()
        self._show_archive_state()

    def _fit_to_screen(self) -> None:
        """A size that fits the screen the window opens on (a 1366×768 laptop included), and
        splitters in proportion to it."""
        screen = self.screen() or QApplication.primaryScreen()
        area = screen.availableGeometry() if screen else None
        width = min(2200, int(area.width() * 0.96)) if area else 1280
        height = min(1400, int(area.height() * 0.94)) if area else 720
        self.resize(width, height)
        # on a laptop screen the title column needs the room more than 文号 and 页数 (shown in
        # the editor anyway; the header's context menu brings them back)
        for column in (MaterialTableModel.DOC_NUMBER, MaterialTableModel.PAGES,
                       MaterialTableModel.ARCHIVAL):
            self.table.setColumnHidden(column, width < 1500)
        self.splitter.setSizes([int(width * 0.2), int(width * 0.45), int(width * 0.35)])
        self.right_splitter.setSizes([int(height * 0.48), int(height * 0.52)])

    def show_as_last_time(self) -> None:
        """Show the window where the clerk left it (size, position, maximised, the panes'
        proportions); on a first start maximised on a laptop-sized screen, where the 96 %
        window of `_fit_to_screen` would leave a useless strip of desktop beside it."""
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            panes = self.settings.value(PANES_KEY)
            if isinstance(panes, QByteArray):
                self.splitter.restoreState(panes)
            self.show()
            return
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None and screen.availableGeometry().width() < MAXIMISE_BELOW:
            self.showMaximized()
        else:
            self.show()

    def remember_geometry(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(PANES_KEY, self.splitter.saveState())

    # -- actions -------------------------------------------------------------------------------

    def _make_actions(self) -> None:
        def action(text: str, slot: Callable[[], object],
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                   ) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(lambda _checked=False: slot())  # not the bool as an argument
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.new_action = action(self.tr("新建档案…"), self.choose_new_archive,
                                 QKeySequence.StandardKey.New)
        self.open_action = action(self.tr("打开档案…"), self.choose_archive,
                                  QKeySequence.StandardKey.Open)
        self.demo_action = action(self.tr("打开示例档案"), self.open_demo)
        self.import_files_action = action(self.tr("导入文件…"), self.choose_files, "Ctrl+I")
        self.import_folder_action = action(self.tr("导入文件夹…"), self.choose_folder,
                                           "Ctrl+Shift+I")
        self.verify_action = action(self.tr("检查档案"), self.verify_archive)
        self.export_action = action(self.tr("导出申报材料…"), self.show_export_dialog, "Ctrl+E")
        self.ledger_action = action(self.tr("任务台账…"), self.show_ledger, "Ctrl+T")
        self.import_tasks_action = action(self.tr("导入任务分解清单…"), self.import_task_list)
        self.verify_export_action = action(self.tr("检查导出包（四性检测）…"),
                                           self.verify_export_file)
        self.save_action = action(self.tr("保存材料信息"), self.save_material,
                                  QKeySequence.StandardKey.Save)
        self.bulk_edit_action = action(self.tr("批量设置…"), self.bulk_edit, "Ctrl+B")
        self.submit_action = action(self.tr("提交初审"), self.submit_selected)
        self.delete_action = action(self.tr("删除材料…"), self.delete_material)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.select_all_action = action(self.tr("全选"), self.table.selectAll)
        for a in (self.bulk_edit_action, self.submit_action, self.delete_action):
            self.table.addAction(a)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for button, act in zip(self.selection_buttons, (self.bulk_edit_action,
                                                        self.submit_action, self.delete_action),
                               strict=True):
            button.setDefaultAction(act)
        self.people_action = action(self.tr("人员与密钥…"), self.show_people)
        self.add_item_action = action(self.tr("添加测评内容…"), self.add_item)
        self.rename_item_action = action(self.tr("重命名测评内容…"), self.rename_item)
        self.conclusion_action = action(self.tr("结论性说明…"), self.show_conclusion)
        self.conclusion_action.setObjectName("item-conclusion")
        self.conclusion_action.setToolTip(self.tr("所选测评内容的结论性说明，导出时印在其"
                                                  "测评材料提交表中"))
        self.systems_action = action(self.tr("测评体系…"), self.show_systems)
        self.systems_action.setToolTip(self.tr("本档案的测评体系：添加同创同测的测评体系、"
                                               "设置权重、添加测评项目"))
        self.export_package_action = action(self.tr("导出审核包…"), self.export_review_package)
        self.open_package_action = action(self.tr("打开审核包（审核人）…"),
                                          self.open_review_package)
        self.apply_decisions_action = action(self.tr("应用审核决定…"),
                                             self.apply_decisions_file)
        self.send_transfer_action = action(self.tr("报送到创文办…"), self.show_send_transfer)
        self.send_transfer_action.setToolTip(self.tr("把本单位新增或改动的材料写成签名的报送包，"
                                                     "交市创文办合并"))
        self.transfer_inbox_action = action(self.tr("报送包收件箱…"), self.show_transfer_inbox)
        self.transfer_inbox_action.setToolTip(self.tr("应用各责任单位的报送包，查看合并报告与冲突"))
        self.dispatch_transfer_action = action(self.tr("下发到单位…"), self.show_dispatch)
        self.dispatch_transfer_action.setObjectName("dispatch-transfer")
        self.dispatch_transfer_action.setToolTip(self.tr("把对某单位材料的审核结果、该单位的任务与"
                                                         "问题写成签名的下发包，交该单位应用"))
        quit_action = action(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        about_action = action(self.tr("关于 Zicha"), self.about)

        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        for a in (self.new_action, self.open_action, self.demo_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.import_files_action)
        file_menu.addAction(self.import_folder_action)
        file_menu.addSeparator()
        file_menu.addAction(self.verify_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.verify_export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.send_transfer_action)
        file_menu.addAction(self.transfer_inbox_action)
        file_menu.addAction(self.dispatch_transfer_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("编辑(&E)"))
        for a in (self.save_action, self.bulk_edit_action, self.submit_action,
                  self.delete_action):
            edit_menu.addAction(a)
        edit_menu.addSeparator()
        edit_menu.addAction(self.add_item_action)
        edit_menu.addAction(self.rename_item_action)
        edit_menu.addAction(self.conclusion_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.systems_action)
        task_menu = self.menuBar().addMenu(self.tr("任务(&T)"))
        task_menu.addAction(self.ledger_action)
        task_menu.addAction(self.import_tasks_action)
        review_menu = self.menuBar().addMenu(self.tr("审核(&R)"))
        review_menu.addAction(self.export_package_action)
        review_menu.addAction(self.apply_decisions_action)
        review_menu.addSeparator()
        review_menu.addAction(self.open_package_action)
        review_menu.addSeparator()
        review_menu.addAction(self.people_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(about_action)

        toolbar = self.addToolBar(self.tr("工具栏"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        for a in (self.import_files_action, self.import_folder_action, self.verify_action,
                  self.export_action):
            toolbar.addAction(a)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(self.tr("当前人员：")))
        self.person_box = RosterBox(self._fill_people)
        self.person_box.setMinimumWidth(120)
        self.person_box.currentIndexChanged.connect(self._person_chosen)
        toolbar.addWidget(self.person_box)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索全文：词语、\"短语\"、OR、-排除（Ctrl+F）"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(360)
        self.search_edit.textChanged.connect(self._search_text_changed)
        toolbar.addWidget(self.search_edit)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        def find_in_search(_checked: bool = False) -> None:
            self.search_edit.setFocus()
            self.search_edit.selectAll()

        find.triggered.connect(find_in_search)
        self.addAction(find)

    # -- archive -------------------------------------------------------------------------------

    def open_archive(self, root: Path, *, create: bool = False) -> bool:
        """Switch to the archive in `root` (created first if `create` and it does not exist).
        It is opened, and what the window first shows of it read, on a worker (the archive
        shown until then stays; the newest open wins); `archive_changed` says it is shown, a
        failure is shown in a message and emitted as `open_failed`. False when the clerk
        stays with the material being edited."""
        if not self.may_leave_material():
            return False
        self._open_generation += 1
        generation = self._open_generation
        make = self._create_archive

        def work(_job: Job) -> Opened:
            archive = make(root) if create and not is_archive(root) else Archive.open(root)
            try:
                return Opened.read(archive)
            except BaseException:
                archive.close()
                raise

        def arrived(opened: Opened) -> None:
            # not through while_alive: what was opened for a window gone or an open
            # superseded is closed again (the folder's lock released)
            if not isValid(self) or generation != self._open_generation:
                opened.archive.close()
                return
            self._open_job = None
            self._show_opened(root, opened)
            self._settle_open()

        job = Job(work)
        job.signals.finished.connect(arrived)
        job.signals.failed.connect(while_alive(
            self, lambda message: self._open_refused(generation, message)))
        self._open_job = job
        start(job)
        return True

    @property
    def opening(self) -> bool:
        """An archive is being opened."""
        return self._open_job is not None

    def when_opened(self, then: Callable[[], object]) -> None:
        """Run `then` once the archive being opened is shown (or could not be opened); at once
        when none is being opened."""
        if self._open_job is None:
            then()
        else:
            self._when_opened.append(then)

    def _settle_open(self) -> None:
        waiting, self._when_opened = self._when_opened, []
        for then in waiting:
            then()

    def _open_refused(self, generation: int, message: str) -> None:
        if generation != self._open_generation:
            return
        self._open_job = None
        QMessageBox.warning(self, self.tr("无法打开档案"), message)
        self.open_failed.emit(message)
        self._settle_open()

    def _show_opened(self, root: Path, opened: Opened) -> None:
        self._close_shown()
        self.archive = archive = opened.archive
        self._info = opened.info
        self._departments = opened.departments
        self.editor.set_archive(archive)
        self.table_model.set_thumbnails(self.thumbnails, archive.store.path_for)
        self.search_panel.set_archive(archive, opened.departments)
        self.review_panel.set_archive(archive)
        self.checklist_panel.show_item(archive, None)
        self.settings.setValue("last_archive", str(root))
        self._code = self._system = None
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        self.refresh()
        self._fill_people(opened.people)
        self._show_archive_state()
        self.text_worker.set_archive(archive)
        if archive.server is not None:
            self._others_seen = opened.seen
            self._others_timer.start()
        self.archive_changed.emit()

    def poll_others(self) -> None:
        """Ask the server archive for what was recorded since the last entry seen."""
        if self.archive is None or self._others_job is not None:
            return
        archive, seen = self.archive, self._others_seen
        job = Job(lambda _job: feed.changes_since(archive, seen))
        job.signals.finished.connect(while_alive(self, lambda got: self._others_changed(
            archive, got)))
        job.signals.failed.connect(while_alive(self, self._others_failed))
        self._others_job = job
        start(job)

    def _others_changed(self, archive: Archive, got: feed.Feed) -> None:
        self._others_job = None
        if archive is not self.archive:
            return
        self._others_seen = got.last
        if got.changes is None:
            return
        message = ""
        if got.actors - {self.actor or ""}:
            message = self.tr("已显示其他人刚做的修改（{who}）").format(
                who="、".join(sorted(got.actors - {self.actor or ""})))
        self.apply_changes(replace(got.changes, message=message))

    def _others_failed(self, message: str) -> None:
        self._others_job = None
        self.statusBar().showMessage(message, 8000)

    def close_archive(self) -> None:
        """Close the archive shown; an archive still being opened is dropped (closed as soon as
        its worker is done)."""
        if self._open_job is not None:
            self._open_generation += 1
            self._open_job = None
            self._when_opened = []
        self._close_shown()

    def _close_shown(self) -> None:
        self._others_timer.stop()
        if self._others_job is not None:
            self._others_job.done.wait(10)
            self._others_job = None
        self.ops.wait()
        self.text_worker.set_archive(None)
        if self._job is not None:
            self._job.cancel()
            self._job.done.wait(30)
            self._job = None
        self._filter_timer.stop()
        self._counts_generation += 1
        self._counts_shown = self._counts_generation
        self._task_generation += 1
        self._ledger = None
        self.notice.hide()
        self._roster_generation += 1
        self._detail_generation += 1
        self._detail_wanted = None
        for job in self._counts_jobs + self._task_jobs + self._row_jobs + [
                j for j in (self._roster_job, self._detail_job) if j is not None]:
            job.done.wait(10)
        self._roster_job = self._detail_job = None
        if self._selection_job is not None:
            self._selection_job.done.wait(10)
            self._selection_job = None
        self._counts_jobs = []
        self.table_model.set_source(None)
        self.table_model.wait()
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        self._info = {}
        self._departments = []
        self.editor.set_archive(None)
        self.table_model.set_thumbnails(None, None)
        self.search_panel.set_archive(None)
        self.review_panel.set_archive(None)
        self.checklist_panel.show_item(None, None)
        self.preview.clear()
        self.table_model.set_rows([])

    def _show_archive_state(self) -> None:
        has = self.archive is not None
        for a in (self.import_files_action, self.import_folder_action, self.verify_action,
                  self.export_action, self.export_package_action, self.apply_decisions_action,
                  self.ledger_action, self.import_tasks_action, self.people_action,
                  self.add_item_action):
            a.setEnabled(has)
        # the systems change the tree every material is filed in: only in an archive this
        # window may write
        self.systems_action.setEnabled(has and bool(self.archive and self.archive.writable))
        # a 报送包 is recorded in the archive that sends it and the one that applies it
        for a in (self.send_transfer_action, self.transfer_inbox_action,
                  self.dispatch_transfer_action):
            a.setEnabled(has and bool(self.archive and self.archive.writable))
        self._selection_changed()
        if has:
            self._show_title()
            self._show_archive_label()
        else:
            self.setWindowTitle(APP_TITLE)
            self.archive_label.setText(self.tr("未打开档案"))
            self._update_center()

    def _show_title(self) -> None:
        """The archive's name (and the bureau profile's title) as the window's title."""
        if self.archive is None:
            return
        name = self._info.get("name") or self.archive.root.name
        title = self._info.get("window_title") or APP_TITLE  # from the bureau profile
        self.setWindowTitle(f"{name} — {title}" if name != title else title)

    def _show_archive_label(self) -> None:
        """The archive's folder and its 测评体系 in the status bar."""
        if self.archive is None:
            return
        label = self._info.get("system_label", "")
        if len(self._systems) > 1:
            label = self.tr("{main} 等 {n} 个测评体系").format(main=label, n=len(self._systems))
        self.archive_label.setText(f"{self.archive.root}  ·  {label}")

    def choose_archive(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("打开档案文件夹"))
        if folder:
            self.open_archive(Path(folder))

    def choose_new_archive(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("为新档案选择一个空文件夹"))
        if folder:
            self.open_archive(Path(folder), create=True)

    def open_demo(self) -> None:
        root = demo_archive_dir()
        if is_archive(root):
            self.open_archive(root)
            return
        from desktop.demo.sample_archive import demo_steps

        def work(job: Job) -> Path | None:
            try:  # closes the half-built archive before _run_with_progress removes it
                follow(demo_steps(root), job.progress)
            except Cancelled:
                return None
            return root

        self._run_with_progress(work, self.tr("正在生成示例档案…"), self._demo_ready,
                                cleanup=root)

    def _demo_ready(self, root: Path | None) -> None:
        if root is None or not self.open_archive(root):
            return
        from desktop.demo.sample_archive import DEMO_DEPARTMENT, DEMO_PASSPHRASE, DEMO_PEOPLE

        QMessageBox.information(self, self.tr("示例档案"), self.tr(
            "示例档案已生成。\n\n要试一试提交和审核，在工具栏的“当前人员”中选择{people}之一；"
            "他们的签名口令都是 {passphrase}。\n\n{department}的材料已处在审核的各个阶段："
            "三份已终审（可以直接试试导出网上申报材料），一份被退回，一份待复审，一份待初审。").format(
                people="、".join(name for name, _ in DEMO_PEOPLE), passphrase=DEMO_PASSPHRASE,
                department=DEMO_DEPARTMENT))

    def verify_archive(self) -> None:
        if self.archive is None:
            return
        from desktop.core.admin.fsck import verify_archive

        archive = self.archive

        def work(job: Job):  # type: ignore[no-untyped-def]
            return verify_archive(archive, job.progress)

        self._run_with_progress(work, self.tr("正在检查档案…"),
                                lambda report: VerifyDialog(report, self).show())

    def show_export_dialog(self) -> ExportDialog | None:
        if self.archive is None:
            return None
        dialog = ExportDialog(self.archive, self.current_person, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.export_dialog_shown.emit(dialog)
        return dialog

    # -- tasks -----------------------------------------------------------------------------------

    def show_ledger(self) -> LedgerWindow | None:
        if self.archive is None:
            return None
        window = LedgerWindow(self.archive, self.current_person, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.changed.connect(self.apply_changes)
        self.person_box.currentIndexChanged.connect(
            lambda _i, w=window: w.set_person(self.current_person) if isValid(w) else None)
        window.show()
        self.ledger_shown.emit(window)
        return window

    def import_task_list(self, path: Path | None = None) -> None:
        window = self.show_ledger()
        if window is not None:
            window.choose_task_list(path)

    def check_tasks(self) -> None:
        """Colour the tree by task status and tell the current person what is overdue or due
        within the week for their department (on a worker: the ledger reads every task)."""
        if self.archive is None:
            return
        archive = self.archive
        self._task_generation += 1
        generation = self._task_generation

        def work(_job: Job) -> Ledger:
            # the tree's colours and the notice need the tasks only, not the 材料清单
            return tasks.ledger(archive, with_checklists=False)

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda ledger: self._tasks_checked(generation, ledger)))
        self._task_jobs = [j for j in self._task_jobs if not j.done.is_set()] + [job]
        start(job)

    def _tasks_checked(self, generation: int, ledger: Ledger) -> None:
        if generation != self._task_generation or self.archive is None:
            return
        self._ledger = ledger
        self._colour_tree()
        self._update_notice()
        self.tasks_checked.emit(ledger)

    def _colour_tree(self) -> None:
        """The tree's task colours from the last ledger read; again whenever the tree's counts
        arrive (the tree's counts and the ledger are read by separate workers, either first)."""
        ledger = self._ledger
        if ledger is None:
            return
        rank = {"red": 4, "yellow": 3, "white": 2, "done": 1, "closed": 1}
        worst: dict[str, str] = {}
        tally: dict[str, Counter[str]] = defaultdict(Counter)
        grouped = len(self._systems) > 1
        for t in ledger.tasks:
            category = self._nodes.get(t.category_code)
            above = (system_key(category.system_id),) if grouped and category else ()
            for code in (t.item_code, t.category_code, *above):
                if rank[t.status] > rank.get(worst.get(code, ""), 0):
                    worst[code] = t.status
                tally[code][t.status] += 1
        summary = {code: self.tr("任务 {total} 项：完成 {done}，红 {red}，黄 {yellow}，白 {white}")
                   .format(total=sum(c.values()), done=c["done"] + c["closed"], red=c["red"],
                           yellow=c["yellow"], white=c["white"])
                   for code, c in tally.items()}
        self.tree_model.set_task_status(worst, summary)

    def _update_notice(self) -> None:
        ledger, person = self._ledger, self.current_person
        department = next((p.department for p in self._people if p.name == person), None)
        if ledger is None or not department:
            self.notice.hide()
            return
        mine = [t for t in ledger.tasks if t.department == department]
        late = [t for t in mine if t.status == "red"]
        soon = [t for t in mine if t.status in ("yellow", "white") and t.days_left is not None
                and 0 <= t.days_left <= 7]
        if not late and not soon:
            self.notice.hide()
            return
        self.notice_label.setText(self.tr("{department}：{late} 项任务已逾期，{soon} 项本周到期。")
                                  .format(department=department, late=len(late),
                                          soon=len(soon)))
        self.notice.show()

    def verify_export_file(self, path: Path | None = None) -> None:
        """四性检测 of an export on disk: a ZIP, or a folder (chosen by its bagit.txt)."""
        if path is None:
            path = self.ask_open_path(self.tr("选择导出包（ZIP，或导出文件夹中的 bagit.txt）"),
                                      self.tr("导出包 (*.zip bagit.txt)"))
            if path is None:
                return
        target = path.parent if path.name == "bagit.txt" else path

        def work(job: Job) -> VerifyReport:
            return verify_export(target, job.progress)

        def done(report: VerifyReport) -> None:
            VerifyReportDialog(report, self).show()
            self.export_verified.emit(report)

        self._run_with_progress(work, self.tr("正在做四性检测…"), done)

    # -- import --------------------------------------------------------------------------------

    def choose_files(self) -> None:
        if self.archive is None:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择要导入的文件"), "",
            self.tr("所有文件 (*)") + ";;" + self.tr(
                "常见材料 (*.pdf *.ofd *.doc *.docx *.wps *.xls *.xlsx *.et *.ppt *.pptx *.dps"
                " *.jpg *.jpeg *.png *.heic *.tif *.tiff *.mp4 *.mov *.zip *.7z *.rar *.txt)"))
        if files and (code := self._import_target()):
            self.import_paths(code, [Path(f) for f in files])

    def choose_folder(self) -> None:
        if self.archive is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择要导入的文件夹"))
        if folder and (code := self._import_target()):
            self.import_paths(code, [Path(folder)])

    def ask_node(self) -> str | None:
        """Where imported files go when no 测评内容 is selected (with a 测评体系 selected: one
        of its own)."""
        offered = [n for n in self._nodes.values()
                   if self._system is None or n.system_id == self._system]
        if not offered:
            if self._system is not None:
                self._refuse_system(self._system)
            return None
        labels = [f"{'    ' if n.parent_code else ''}{n.code} {n.name}" for n in offered]
        chosen, ok = QInputDialog.getItem(self, self.tr("归入哪个测评内容"),
                                          self.tr("导入的材料归入："), labels, 0, False)
        if not ok or chosen not in labels:
            return None
        return offered[labels.index(chosen)].code

    def _refuse_system(self, system_id: str, what: str = "") -> None:
        """A 测评体系 row is not where material is filed nor where 测评内容 are added."""
        system = self._systems.get(system_id)
        name = system.label if system else system_id
        lines = [self.tr("“{name}”是测评体系，不是测评内容：材料归入它下面的某个测评内容"
                         "（或还没有测评内容的测评项目）。").format(name=name)]
        if system is not None and system.categories == 0:
            lines.append(self.tr("这个测评体系还没有测评项目：请先在“编辑 → 测评体系…”中为它"
                                 "添加测评项目，或导入它的任务清单时新建测评项目。"))
        else:
            lines.append(self.tr("请在左侧展开它，把文件拖到其中的测评内容上，或先选中那个测评内容。"))
        QMessageBox.information(self, what or self.tr("导入"), "\n".join(lines))

    def _import_target(self) -> str | None:
        return self._code or self.ask_node()

    def _dropped_on_table(self, paths: list[Path]) -> None:
        if self.archive is not None and (code := self._import_target()):
            self.import_paths(code, paths)

    def import_paths(self, code: str, paths: list[Path]) -> None:
        """Import files/folders under `code` on a worker, with progress and cancel."""
        if self.archive is None or self._job is not None:
            return
        if (system_id := system_of_key(code)) is not None:  # dropped on a 测评体系 row
            self._refuse_system(system_id, self.tr("无法导入"))
            return
        archive = self.archive

        def sniff(_job: Job) -> list[Path]:
            """The ZIP, 7z and RAR files among those chosen (read on a worker: a folder on a
            USB stick or a network share is slow to look into)."""
            return [p for p in paths[:200] if p.is_file() and archive_kind(p)]

        def sniffed(archives: list[Path]) -> None:
            if self._job is job:
                self._job = None
            if archive is self.archive:
                self._import_checked(code, paths, archives)

        def failed(message: str) -> None:
            if self._job is job:
                self._job = None
            self.statusBar().showMessage(message, 8000)

        job = Job(sniff)
        job.signals.finished.connect(while_alive(self, sniffed))
        job.signals.failed.connect(while_alive(self, failed))
        self._job = job  # one import at a time, this one included
        start(job)

    def _import_checked(self, code: str, paths: list[Path], archives: list[Path]) -> None:
        """The import itself, once the chosen files were looked into (`archives`: the packed
        ones among them, asked about)."""
        if self.archive is None:
            return
        archive, actor = self.archive, self.actor
        unpack = self.ask_unpack(archives)
        if unpack is None:
            return
        options = ImportOptions(codes=[code], actor=actor, unpack=unpack)
        rows: list = []

        def work(job: Job) -> list:
            try:
                for row in import_paths(archive, paths, options, job.progress):
                    rows.append(row)
                    job.emit_item(row)
            except Cancelled:  # the rows so far are committed: shown as a finished import
                pass
            except ImportStopped as exc:  # disk full …: the report lists the files stored
                del rows[len(rows) - exc.left:]
                raise
            return rows

        self._run_with_progress(work, self.tr("正在导入到 {code}…").format(code=code),
                                self._import_done,
                                on_item=lambda _row: self._refresh_timer.start(),
                                on_failed=lambda: self._import_done(rows))

    def ask_unpack(self, archives: list[Path]) -> bool | None:
        """Whether the archives among the chosen files (ZIP, 7z, RAR: `archives`) are unpacked
        and their files imported one by one (True), filed as they are (False), or the import
        called off (None). Files chosen one by one are asked about; a folder's archives are
        kept."""
        if not archives:
            return False
        names = "、".join(p.name for p in archives[:3]) + ("等" if len(archives) > 3 else "")
        answer = QMessageBox.question(
            self, self.tr("导入压缩包"),
            self.tr("所选文件中有 {n} 个压缩包（{names}）。\n\n"
                    "选“是”（解压导入）：解压，把其中的文件逐个归档"
                    "（Windows 压缩包的中文文件名会正确识别）；\n"
                    "选“否”：把压缩包原样保存为一份材料。").format(n=len(archives), names=names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
        return {QMessageBox.StandardButton.Yes: True,
                QMessageBox.StandardButton.No: False}.get(answer)

    def _import_done(self, rows: list) -> None:
        self.refresh()
        stored = sum(r.status == STORED for r in rows)
        refused = [r for r in rows if r.status == REFUSED]
        self.statusBar().showMessage(
            self.tr("导入 {n} 个文件：保存 {s}，重复 {d}，拒绝 {r}").format(
                n=len(rows), s=stored, d=len(rows) - stored - len(refused), r=len(refused)),
            15000)
        if refused:
            ImportReportDialog(rows, self).show()
        if stored:
            self.text_worker.kick()
        # announced once the tree shows the new counts (read on a worker)
        self._finished_imports.append(rows)
        if self.archive is None:
            self._announce_imports()

    def _announce_imports(self) -> None:
        done, self._finished_imports = self._finished_imports, []
        for rows in done:
            self.import_finished.emit(rows)

    def _run_with_progress(self, work, title: str, on_done, *, on_item=None,  # type: ignore[no-untyped-def]
                           on_failed=None, cleanup: Path | None = None) -> None:
        job = Job(work)
        dialog = QProgressDialog(title, self.tr("取消"), 0, 0, self)
        dialog.setWindowTitle(APP_TITLE)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel)
        self.progress_dialog = dialog

        def progress(done: int, total: int, what: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            if what:
                dialog.setLabelText(f"{title}\n{what}")

        def finished(result: object) -> None:
            self._job = None
            dialog.close()
            if cleanup is not None and result is None and job.cancelled:
                shutil.rmtree(cleanup, ignore_errors=True)
            on_done(result)

        def failed(message: str) -> None:
            self._job = None
            dialog.close()
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
            QMessageBox.warning(self, APP_TITLE, message)
            if on_failed:
                on_failed()

        job.signals.progress.connect(progress)
        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        if on_item:
            job.signals.item.connect(on_item)
        self._job = job
        start(job, long=True)

    # -- views ---------------------------------------------------------------------------------

    def refresh_counts(self) -> None:
        """The tree's counts again, read on a worker; the whole tree when a 测评内容, 测评项目 or
        测评体系 was added or removed, keeping what was expanded and selected (a system just
        added shows its 测评项目)."""
        if self.archive is None:
            return
        self.checklist_panel.refresh()  # what is filed, and so what the checklist finds
        archive = self.archive
        self._counts_generation += 1
        generation = self._counts_generation

        def work(_job: Job) -> tuple[list[Node], list[SystemView], int, dict[str, str]]:
            return (nodes(archive), archive_systems(archive), count_materials(archive),
                    archive.info())

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda got: self._counts_ready(generation, *got)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._counts_failed(generation, message)))
        self._counts_jobs = [j for j in self._counts_jobs if not j.done.is_set()] + [job]
        start(job)

    def _counts_failed(self, generation: int, message: str) -> None:
        if generation == self._counts_generation:
            self._counts_shown = generation
            self.statusBar().showMessage(message, 8000)
            self._announce_imports()

    def _counts_ready(self, generation: int, tree: list[Node], found: list[SystemView],
                      total: int, info: dict[str, str]) -> None:
        if generation != self._counts_generation or self.archive is None:
            return
        self._counts_shown = generation
        if info != self._info:  # e.g. a bureau profile applied: the title and label follow
            self._info = info
            self._show_title()
            self._show_archive_label()
        self._nodes = {n.code: n for n in tree}
        self._systems = {s.id: s for s in found}
        self._total = total
        dialog = self._systems_dialog
        if dialog is not None and isValid(dialog):  # its counts follow imports and task lists
            dialog.set_systems(found)
        model = self.tree_model
        had_rows = model.rowCount() > 0
        current = self.tree.currentIndex()
        key = current.data(CODE_ROLE) if current.isValid() else None
        expanded = self._expanded_keys() if had_rows else set()
        systems_before = set(model.system_keys())
        self._reselecting = True  # the rebuild moves the current row; the window's scope stays
        try:
            rebuilt = model.set_nodes(tree, self._total, found)
            # rebuilt or updated in place (which sets each tooltip anew), the task colours and
            # the tooltips' task lines come back from the last ledger read
            self._colour_tree()
            index = QModelIndex()
            if rebuilt and had_rows:
                for shown in expanded | (set(model.system_keys()) - systems_before):
                    self.tree.expand(model.index_of(shown))
                if key is not None:
                    index = model.index_of(key)
                    self.tree.setCurrentIndex(index if index.isValid() else model.index_of(""))
        finally:
            self._reselecting = False
        if not had_rows:
            self.tree.expandToDepth(0)  # a freshly opened archive
            self._show_archive_label()
            self._set_scope(self._system and system_key(self._system) or self._code)
        if rebuilt and had_rows:
            self._show_archive_label()  # a system added or removed
        if rebuilt and had_rows and key is not None and not index.isValid():
            self._set_scope(None)  # what was shown is gone (a system removed): 全部材料
            self._load_table()
        elif not self.table_model.loading:
            self._show_node_label()
            self._update_center()
        self.counts_loaded.emit()
        self._announce_imports()

    def _expanded_keys(self) -> set[str]:
        model, found = self.tree_model, set()
        stack = [model.index(r, 0) for r in range(model.rowCount())]
        while stack:
            index = stack.pop()
            if self.tree.isExpanded(index):
                found.add(index.data(CODE_ROLE))
                stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))
        return found

    def refresh(self) -> None:
        if self.archive is None:
            return
        self.refresh_counts()
        self._load_table()
        self.check_tasks()

    def _node_chosen(self, current, previous) -> None:  # type: ignore[no-untyped-def]
        if self._reselecting:
            return
        if not self.may_leave_material():
            back = previous.data(CODE_ROLE) if previous.isValid() else None

            def restore() -> None:
                self._reselecting = True
                try:
                    self.tree.setCurrentIndex(self.tree_model.index_of(back or ""))
                finally:
                    self._reselecting = False

            QTimer.singleShot(0, restore)
            return
        self._set_scope(current.data(CODE_ROLE) if current.isValid() else None)
        self._load_table()

    def _set_scope(self, key: str | None) -> None:
        """What the table lists: a node's materials (its code), a 测评体系's (a system key),
        or all (None or "")."""
        self._system = system_of_key(key)
        self._code = None if self._system else (key or None)
        self.rename_item_action.setEnabled(self._is_item(self._code))
        self.conclusion_action.setEnabled(self._is_item(self._code))
        self.checklist_panel.show_item(self.archive,
                                       self._code if self._is_item(self._code) else None)
        node = self._nodes.get(self._code or "")
        self.search_panel.set_scope_code(self._code, f"{node.code} {node.name}" if node else "")

    @property
    def table_loading(self) -> bool:
        """The table (or the tree's counts) does not show the current node, filters and
        changes yet (or the archive asked for is still being opened)."""
        return (self._open_job is not None or self.table_model.loading
                or self._counts_shown != self._counts_generation
                or bool(self._row_jobs) or self._filter_timer.isActive())

    def table_scope(self) -> listing.Scope:
        """What the table lists now: the node or system chosen, the filters set."""
        return listing.Scope(
            code=self._code, system=self._system, state=self.stage_filter.currentData(),
            incomplete=self.incomplete_box.isChecked(),
            person=(self.current_person or "") if self.queue_box.isChecked() else None,
            text=self.filter_edit.text().strip())

    def _load_table(self) -> None:
        """List the current node in the table: its count and first page are read on a worker
        (and each further page when the table scrolls to it), the material being edited
        located in it; the newest load wins."""
        if self.archive is None:
            return
        self._filter_timer.stop()
        archive, scope = self.archive, self.table_scope()

        def source(sort: str, descending: bool, offset: int, limit: int,
                   locate: int | None) -> listing.Page:
            return listing.page(archive, scope, sort=sort, descending=descending,
                                offset=offset, limit=limit, locate=locate)

        self.table_model.set_source(source, locate=self.editor.material_id)

    def _table_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        self.table_loaded.emit()

    def _show_node_label(self) -> None:
        node = self._nodes.get(self._code or "")
        system = self._systems.get(self._system or "")
        if node:
            self.node_label.setText(f"{node.code} {node.name}")
            self.node_label.setToolTip(node.criterion)
        elif system:
            self.node_label.setText(self.tree_model.system_text(system))
            self.node_label.setToolTip(self.tr("这个测评体系中各测评内容下的全部材料"))
        else:
            self.node_label.setText(self.tr("全部材料"))
            self.node_label.setToolTip("")

    def _table_ready(self, position: int | None) -> None:
        if self.archive is None:
            return
        self._show_node_label()
        self._update_center()
        selected = self.editor.material_id
        self._selection = ([], [])
        if selected is not None and position is not None:
            self._reselecting = True
            try:
                self.table.selectRow(self.proxy.index(position, 0).row())
                self.table.scrollTo(self.proxy.index(position, 0))
            finally:
                self._reselecting = False
        self._selection_changed()
        self.table_loaded.emit()

    def _show_details(self, shown: bool) -> None:
        """The preview and editor pane, hidden on the welcome page (nothing to show or edit);
        its share of the width goes to the centre and back, the tree keeps its own."""
        if self.right_splitter.isVisibleTo(self) == shown:
            return
        total = max(sum(self.splitter.sizes()), self.splitter.width(), self.width())
        tree = int(total * 0.2)
        self.right_splitter.setVisible(shown)
        if shown:
            self.splitter.setSizes([tree, int(total * 0.45), total - tree - int(total * 0.45)])
        else:
            self.splitter.setSizes([tree, total - tree, 0])

    def _update_center(self) -> None:
        count = self.table_model.rowCount()
        welcome = self.archive is None or self._total == 0
        self.empty_title.setVisible(welcome)
        if self.archive is None:
            self.empty_label.setText(self.tr("没有打开档案。新建一个档案，或打开已有档案、示例档案。"))
        elif self._total == 0:  # a new archive, whatever node a window manager selected
            self.empty_label.setText("\n".join((
                self.tr("档案里还没有材料。"),
                self.tr("导入文件，或把文件、文件夹拖到左侧的测评内容上；"),
                self.tr("也可以先打开示例档案看看。"))))
        elif (system := self._systems.get(self._system or "")) is not None \
                and system.materials == 0:
            self.empty_label.setText("\n".join((
                self.tr("“{name}”中还没有材料。").format(name=system.label),
                self.tr("把文件或文件夹拖到它下面的测评内容上即可导入。"))))
        elif self._code is None or self.filter_edit.text().strip():
            self.empty_label.setText(self.tr("没有符合筛选条件的材料。"))
        else:
            node = self._nodes.get(self._code)
            name = f"{node.code} {node.name}" if node else self._code
            self.empty_label.setText("\n".join((
                self.tr("“{name}”下还没有材料。").format(name=name),
                self.tr("把文件或文件夹拖到这里或左侧的条目上即可导入。"))))
        self.empty_import.setVisible(self.archive is not None)
        self.empty_demo.setVisible(welcome)
        self.empty_new.setVisible(welcome)
        self.empty_open.setVisible(welcome)
        self._show_details(not welcome)
        if self.archive is not None and self.search_edit.text().strip():
            self.node_label.setText(self.tr("搜索结果"))
            self.center_stack.setCurrentWidget(self.search_panel)
        else:
            self.center_stack.setCurrentWidget(self.table if count else self.empty)
        # the filter box stays usable when what it filtered out is nothing left
        self.filter_edit.setEnabled(bool(count) or bool(self.filter_edit.text()))

    def _material_chosen(self, current, previous) -> None:  # type: ignore[no-untyped-def]
        if self._reselecting:
            return
        if self.archive is None or not current.isValid():
            if not self.table.selectionModel().hasSelection():
                self._show_nothing()
            return
        material_id = current.data(ID_ROLE)
        if material_id == self._detail_wanted:
            return
        if not self.may_leave_material():
            # back to the material being edited, once the view has finished moving
            QTimer.singleShot(0, lambda: self._select_material(self.editor.material_id))
            return
        self._show_material(material_id)

    def _stored_text(self, sha256: str) -> list[tuple[int, str]] | None:
        archive = self.archive
        return None if archive is None else texts.extracted_pages(archive, sha256)

    def _show_material(self, material_id: int | None, **preview) -> None:  # type: ignore[no-untyped-def]
        """Show a material in the preview, the editor and the review tab; it is read on a
        worker (the newest material asked for wins), `detail_shown` once it is shown."""
        if self.archive is None or material_id is None:
            return
        self._read_detail(material_id, preview)

    def _show_nothing(self) -> None:
        self._detail_generation += 1  # a material still being read is not shown
        self._detail_job = None
        self._detail_wanted = None
        self.preview.clear()
        self.editor.show_material(None)
        self.review_panel.show_material(None)

    def _read_detail(self, material_id: int, preview: dict | None) -> None:
        """Read the material for the editor and review tab (and, with `preview`, show its
        files with those options) on a worker."""
        assert self.archive is not None
        archive = self.archive
        self._detail_generation += 1
        generation = self._detail_generation
        if preview is not None:
            self._detail_wanted = material_id
        job = Job(lambda _job: Detail.read(archive, material_id))
        job.signals.finished.connect(while_alive(
            self, lambda detail: self._detail_ready(generation, archive, detail, preview)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._detail_failed(generation, message)))
        self._detail_job = job
        start(job)

    @property
    def detail_loading(self) -> bool:
        """The material asked for (or the person box's roster) is not yet shown in the editor
        and the review tab."""
        return (self._detail_job is not None or self._roster_job is not None
                or self.review_panel.loading)

    def _detail_ready(self, generation: int, archive: Archive, detail: Detail,
                      preview: dict | None) -> None:
        if generation != self._detail_generation or archive is not self.archive:
            return
        self._detail_job = None
        view = detail.view
        if preview is not None:
            self.preview.show_files([(archive.store.path_for(f.sha256), f) for f in view.files],
                                    material_id=view.id,
                                    marks_editable=view.state in ("draft", "returned"),
                                    **preview)
        elif self.editor.is_dirty() or self.editor.material_id != view.id:
            return  # typed meanwhile, or another material shown: the editor stays as it is
        self._departments = detail.departments
        self.editor.set_departments(detail.departments)
        self.editor.show_material(view, detail.returned_reason)
        self.review_panel.show_material(view)
        self.detail_shown.emit(view.id)

    def _detail_failed(self, generation: int, message: str) -> None:
        if generation == self._detail_generation:  # e.g. deleted meanwhile
            self._detail_job = None
            self._detail_wanted = self.editor.material_id
            self.statusBar().showMessage(message, 8000)

    def _select_material(self, material_id: int | None) -> None:
        row = self.table_model.row_of(material_id) if material_id is not None else -1
        if row < 0:
            return
        self._reselecting = True
        try:
            self.table.selectRow(self.proxy.mapFromSource(self.table_model.index(row, 0)).row())
        finally:
            self._reselecting = False

    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel" for typed changes not saved yet."""
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        answer = QMessageBox.question(
            self, self.tr("材料信息未保存"),
            self.tr("材料 #{id}《{title}》的修改还没有保存。\n保存这些修改吗？").format(
                id=self.editor.material_id, title=self.editor.title.text()),
            buttons, QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")

    def may_leave_material(self) -> bool:
        """Typed metadata is never dropped silently: before the editor shows something else,
        ask whether to save it (saving without asking would record edits in the audit log
        that the clerk may not have meant, and a bad date would fail unseen)."""
        if not self.editor.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            self.editor.save()
        elif answer == "discard":
            self.editor.show_material(None)
        return answer != "cancel"

    def selected_ids(self) -> list[int]:
        """The materials of the selected rows (those not read into the table yet are looked
        up on a worker; until then the actions on the selection stay disabled)."""
        return list(self._selection[0])

    def _selected_ranges(self) -> list[tuple[int, int]]:
        model = self.table.selectionModel()
        if model is None:
            return []
        selection = model.selection()
        return sorted({(selection.at(n).top(), selection.at(n).bottom())
                       for n in range(selection.count())})

    def _selection_changed(self, *_args: object) -> None:
        ranges = self._selected_ranges() if self.archive is not None else []
        rows = [self.table_model.row_view(r) for first, last in ranges
                for r in range(first, min(last, first + self.table_model.page_size) + 1)]
        count = sum(last - first + 1 for first, last in ranges)
        if len(rows) == count and all(v is not None for v in rows):
            shown = {v.id: v.state for v in rows if v is not None}
            self._selection = (sorted(shown), [shown[i] for i in sorted(shown)])
            self._show_selection()
            return
        # some selected rows are not read: their ids and states from the database
        assert self.archive is not None
        archive, scope, (sort, descending) = (self.archive, self.table_scope(),
                                              self.table_model.sort_key())
        self._selection = ([], [])
        self._show_selection(count)
        job = Job(lambda _job: listing.ids_at(archive, scope, ranges, sort=sort,
                                              descending=descending))

        def done(found: list[tuple[int, str]]) -> None:
            if self._selection_job is job and self._selected_ranges() == ranges:
                self._selection_job = None
                self._selection = ([i for i, _ in found], [state for _, state in found])
                self._show_selection()

        job.signals.finished.connect(while_alive(self, done))
        self._selection_job = job
        start(job)

    def _show_selection(self, pending: int = 0) -> None:
        """The actions on the selection for what is selected (`pending` rows still being
        looked up: nothing enabled yet)."""
        ids, states = self._selection
        editable = bool(ids) and not pending and all(s in ("draft", "returned") for s in states)
        self.bulk_edit_action.setEnabled(editable)
        self.delete_action.setEnabled(editable)
        self.submit_action.setEnabled(editable and bool(self.current_person))
        self.save_action.setEnabled(self.archive is not None)
        n = pending or len(ids)
        self.bulk_edit_action.setText(self.tr("批量设置 {n} 份材料…").format(n=n) if n > 1
                                      else self.tr("批量设置…"))
        self.submit_action.setText(self.tr("提交 {n} 份材料初审").format(n=n) if n > 1
                                   else self.tr("提交初审"))
        self.delete_action.setText(self.tr("删除 {n} 份材料…").format(n=n) if n > 1
                                   else self.tr("删除材料…"))
        self.selection_bar.setVisible(n > 1)
        self.selection_label.setText(self.tr("已选择 {n} 份材料").format(n=n))
        if n > 1 and not editable and not pending:
            self.selection_label.setText(self.tr("已选择 {n} 份材料（其中有审核中的材料，"
                                                 "不能批量修改）").format(n=n))

    # -- operations ----------------------------------------------------------------------------

    @property
    def actor(self) -> str | None:
        """Who the audit log names for what the window does: the person chosen in the window
        (else the computer's login, as on the command line)."""
        return self.current_person

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what an operation changed, and only that."""
        if self.archive is None:
            return
        if changes.tree or changes.added or changes.deleted or changes.reload:
            self.refresh_counts()
        if changes.added or changes.deleted or changes.reload:
            self._load_table()
        elif len(changes.materials) > self.table_model.page_size:
            self._load_table()  # more rows changed than the table holds: read its page again
        elif changes.materials:
            archive, ids = self.archive, sorted(changes.materials)
            job = Job(lambda _job: listing.rows_of(archive, ids))
            job.signals.finished.connect(self._rows_changed)
            job.signals.finished.connect(while_alive(
                self, lambda _rows: self._row_jobs.remove(job)))
            job.signals.failed.connect(while_alive(
                self, lambda _message: self._row_jobs.remove(job)))
            self._row_jobs.append(job)
            start(job)
        if changes.deleted and (self.editor.material_id in changes.deleted
                                or self._detail_wanted in changes.deleted):
            self._show_nothing()
        if changes.tasks or changes.added or changes.deleted or changes.reload:
            self.check_tasks()
        if changes.materials or changes.tasks:
            self.checklist_panel.refresh()
        if changes.people or changes.reload:
            self._fill_people()
        if changes.search and self.search_edit.text().strip():
            self.search_panel.schedule()
        if changes.texts:
            self.text_worker.kick()
        if changes.message:
            self.statusBar().showMessage(changes.message, 8000)

    def _rows_changed(self, views: list[listing.Row]) -> None:
        if self.archive is None:
            return
        self.table_model.update_rows(views)
        if self.stage_filter.currentData() or self.queue_box.isChecked() \
                or self.incomplete_box.isChecked() or self.filter_edit.text().strip():
            self._load_table()  # a changed row may no longer belong to the filtered list
        current = self.editor.material_id
        if current is not None and any(v.id == current for v in views) \
                and not self.editor.is_dirty():
            self._show_material_info(current)
        self._selection_changed()

    def _show_material_info(self, material_id: int) -> None:
        """The editor and review tab again after a change (the preview stays as it is), read
        on a worker."""
        if self.archive is not None and self._detail_wanted == material_id:
            self._read_detail(material_id, None)

    def _operation_failed(self, what: str, message: str) -> None:
        QMessageBox.warning(self, what, message)

    def _save_failed(self, material_id: int, message: str) -> None:
        QMessageBox.warning(self, self.tr("未能保存"),
                            self.tr("材料 #{id} 的修改未能保存：{message}").format(
                                id=material_id, message=message))

    def save_material(self) -> None:
        if self.editor.material_id is not None and self.editor.save_button.isEnabled():
            self.editor.save()

    def bulk_edit(self) -> None:
        ids = self.selected_ids()
        if self.archive is None or not ids or not self.may_leave_material():
            return
        items = [(n.code, n.name) for n in self._nodes.values()]
        dialog = BulkEditDialog(len(ids), self._departments, items, self)
        if dialog.exec() != BulkEditDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        archive, actor = self.archive, self.actor

        def work() -> Changes:
            update_materials(archive, ids, changes, actor=actor)
            if search.uses_whoosh(archive):
                search.sync(archive)
            return Changes.of_materials(ids, tree="items" in changes, message=self.tr(
                "已为 {n} 份材料批量设置").format(n=len(ids)))

        self.ops.run(self.tr("批量设置"), work)

    def submit_selected(self) -> None:
        ids = self.selected_ids()
        person = self.current_person
        if self.archive is None or not ids or not self.may_leave_material():
            return
        if not person:
            QMessageBox.information(self, self.tr("提交初审"),
                                    self.tr("请先在工具栏选择“当前人员”。"))
            return
        # the 材料清单 of their 测评内容 is checked first: with gaps, the person is asked
        submit_checked(self, self.ops, self.archive, ids, person,
                       self.tr("已提交 {n} 份材料初审").format(n=len(ids)))

    def show_people(self) -> None:
        if self.archive is None:
            return
        from desktop.ui.people_dialog import PeopleDialog

        dialog = PeopleDialog(self.archive, self.current_person, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(lambda changes: self.apply_changes(changes | Changes(people=True)))
        dialog.show()
        self.people_shown.emit(dialog)

    def show_systems(self) -> None:
        """测评体系: the systems of the archive, added, weighted and given 测评项目 through the
        core, each change on the window's write lane; the tree follows every change."""
        if self.archive is None or not self.archive.writable:
            return
        from desktop.ui.systems_dialog import SystemsDialog

        if self._systems_dialog is not None and isValid(self._systems_dialog):
            self._systems_dialog.close()
        dialog = SystemsDialog(self.archive, self.ops, lambda: self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.archive_changed.connect(dialog.close)  # it works on the archive it was opened on
        self._systems_dialog = dialog
        dialog.show()
        self.systems_shown.emit(dialog)

    def show_send_transfer(self) -> SendTransferDialog | None:
        """报送到创文办: this department's 报送包 for the city's archive, written by the core on
        the write lane; the key is unlocked with the review panel's passphrase prompt."""
        if self.archive is None or not self.archive.writable:
            return None
        from desktop.ui.transfer_dialogs import SendTransferDialog

        if self._send_dialog is not None and isValid(self._send_dialog) \
                and self._send_dialog.isVisible():  # the one open
            self._send_dialog.raise_()
            self._send_dialog.activateWindow()
            self.transfer_send_shown.emit(self._send_dialog)
            return self._send_dialog
        dialog = SendTransferDialog(self.archive, self.ops, self.settings, self.current_person,
                                    lambda name: self.review_panel.ask_passphrase(name), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.archive_changed.connect(dialog.close)  # it sends from the archive it was opened on
        self._send_dialog = dialog
        dialog.show()
        self.transfer_send_shown.emit(dialog)
        return dialog

    def show_transfer_inbox(self) -> TransferInbox | None:
        """报送包收件箱: the packages applied here, applying more (each on the write lane, so the
        tree and table follow through apply_changes), the conflicts left open."""
        if self.archive is None or not self.archive.writable:
            return None
        from desktop.ui.transfer_dialogs import TransferInbox

        if self._inbox is not None and isValid(self._inbox) \
                and self._inbox.isVisible():  # the one open, maybe applying
            self._inbox.raise_()
            self._inbox.activateWindow()
            self.transfer_inbox_shown.emit(self._inbox)
            return self._inbox
        inbox = TransferInbox(self.archive, self.ops, lambda: self.actor, self)
        inbox.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.archive_changed.connect(inbox.close)
        self._inbox = inbox
        inbox.show()
        self.transfer_inbox_shown.emit(inbox)
        return inbox

    def show_dispatch(self) -> DispatchDialog | None:
        """下发到单位: the city's 下发包 for a department's archive, signed by the current person
        (an admin), written by the core on the write lane."""
        if self.archive is None or not self.archive.writable:
            return None
        from desktop.ui.transfer_dialogs import DispatchDialog

        if self._dispatch_dialog is not None and isValid(self._dispatch_dialog) \
                and self._dispatch_dialog.isVisible():  # the one open
            self._dispatch_dialog.raise_()
            self._dispatch_dialog.activateWindow()
            self.transfer_dispatch_shown.emit(self._dispatch_dialog)
            return self._dispatch_dialog
        dialog = DispatchDialog(self.archive, self.ops, self.settings, self.current_person,
                                lambda name: self.review_panel.ask_passphrase(name), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.archive_changed.connect(dialog.close)  # it writes from the archive it was opened on
        self._dispatch_dialog = dialog
        dialog.show()
        self.transfer_dispatch_shown.emit(dialog)
        return dialog

    def _header_menu(self, point) -> None:  # type: ignore[no-untyped-def]
        """Which columns the table shows."""
        menu = QMenu(self)
        for column, label in enumerate(MaterialTableModel.COLUMNS):
            if column in (MaterialTableModel.ID, MaterialTableModel.TITLE):
                continue
            act = menu.addAction(str(self.table_model.headerData(
                column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or label))
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(column))
            act.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        menu.popup(self.table.horizontalHeader().mapToGlobal(point))

    def _is_item(self, code: str | None) -> bool:
        node = self._nodes.get(code or "")
        return node is not None and node.parent_code is not None

    def _tree_menu(self, point) -> None:  # type: ignore[no-untyped-def]
        index = self.tree.indexAt(point)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        for a in (self.add_item_action, self.rename_item_action, self.conclusion_action,
                  self.import_files_action, self.import_folder_action):
            menu.addAction(a)
        if system_of_key(index.data(CODE_ROLE) if index.isValid() else None):
            menu.addSeparator()
            menu.addAction(self.systems_action)  # on a 测评体系 row: where it is managed
        menu.popup(self.tree.viewport().mapToGlobal(point))

    def ask_item(self, title: str, code: str = "", name: str = "",
                 code_fixed: bool = False) -> tuple[str, str] | None:
        """A 测评内容's code and name from the user (the code only when it is new)."""
        if not code_fixed:
            code, ok = QInputDialog.getText(self, title, self.tr("编号（如 01.03）："),
                                            QLineEdit.EchoMode.Normal, code)
            if not ok or not code.strip():
                return None
        name, ok = QInputDialog.getText(self, title, self.tr("{code} 的名称：").format(
            code=code.strip()), QLineEdit.EchoMode.Normal, name)
        if not ok or not name.strip():
            return None
        return code.strip(), name.strip()

    def add_item(self) -> None:
        if self.archive is None:
            return
        if self._system is not None:
            system = self._systems.get(self._system)
            QMessageBox.information(self, self.tr("添加测评内容"), self.tr(
                "“{name}”是测评体系：测评内容要加在它的某个测评项目下。请先在左侧选中那个"
                "测评项目，再添加测评内容。").format(name=system.label if system else "")
                + ("\n" + self.tr("这个测评体系还没有测评项目：请先在“编辑 → 测评体系…”中"
                                   "为它添加测评项目。") if system and not system.categories
                   else ""))
            return
        node = self._nodes.get(self._code or "")
        category = (node.parent_code or node.code) if node else ""
        taken = {c for c in self._nodes if c.startswith(f"{category}.")}
        n = 1
        while f"{category}.{n:02d}" in taken:
            n += 1
        answer = self.ask_item(self.tr("添加测评内容"), f"{category}.{n:02d}" if category else "")
        if answer is None:
            return
        from desktop.core.archive.items import add_item

        archive, actor = self.archive, self.actor

        def work() -> Changes:
            add_item(archive, answer[0], answer[1], actor=actor)
            return Changes(tree=True, tasks=True, message=self.tr("已添加测评内容 {code}").format(
                code=answer[0]))

        self.ops.run(self.tr("添加测评内容"), work)

    def rename_item(self) -> None:
        node = self._nodes.get(self._code or "")
        if self.archive is None or node is None or not self._is_item(node.code):
            return
        answer = self.ask_item(self.tr("重命名测评内容"), node.code, node.name, code_fixed=True)
        if answer is None or answer[1] == node.name:
            return
        from desktop.core.archive.items import rename_item

        archive, actor = self.archive, self.actor

        def work() -> Changes:
            rename_item(archive, node.code, answer[1], actor=actor)
            return Changes(tree=True, tasks=True, message=self.tr("已重命名 {code}").format(
                code=node.code))

        self.ops.run(self.tr("重命名测评内容"), work)

    def show_conclusion(self) -> ConclusionDialog | None:
        """结论性说明 of the selected 测评内容, read and written through the core off the GUI
        thread."""
        node = self._nodes.get(self._code or "")
        if self.archive is None or node is None or not self._is_item(node.code):
            return None
        from desktop.ui.conclusion_dialog import ConclusionDialog

        dialog = ConclusionDialog(self.archive, self.ops, node.code, node.name,
                                  lambda: self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.archive_changed.connect(dialog.close)
        dialog.show()
        self.conclusion_shown.emit(dialog)
        return dialog

    # -- people and review ---------------------------------------------------------------------

    def ask_stage(self, counts: dict[str, int]) -> str | None:
        """Which stage's review package to export; the count waiting is shown for each
        (`counts`: the materials in each review state, listing.state_counts)."""
        waiting = {s.value: 0 for s in STAGE_LABELS}
        for state, n in counts.items():
            if (stage := STAGE_AWAITED.get(ReviewState(state))) is not None:
                waiting[stage.value] += n
        labels = [self.tr("{stage}（{n} 份待审）").format(stage=STAGE_LABELS[Role(s)], n=n)
                  for s, n in waiting.items()]
        chosen, ok = QInputDialog.getItem(self, self.tr("导出审核包"),
                                          self.tr("导出哪一级审核的待审材料："), labels, 0, False)
        return list(waiting)[labels.index(chosen)] if ok else None

    def ask_package_path(self, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存审核包"), str(suggested),
                                              self.tr("审核包 (*.zicha-review.zip)"))
        return Path(path) if path else None

    def ask_open_path(self, title: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, title, "", pattern)
        return Path(path) if path else None

    def export_review_package(self) -> None:
        """The clerk's side of the offline round trip: one file for the reviewer's USB stick
        (the counts waiting at each stage, asked about first, are read on a worker)."""
        if self.archive is None:
            return
        archive = self.archive
        job = Job(lambda _job: listing.state_counts(archive))
        job.signals.finished.connect(while_alive(self, lambda counts: (
            self._export_package_for(self.ask_stage(counts))
            if archive is self.archive else None)))
        job.signals.failed.connect(while_alive(
            self, lambda message: QMessageBox.warning(self, self.tr("导出审核包"), message)))
        start(job)

    def _export_package_for(self, stage: str | None) -> None:
        if stage is None or self.archive is None:
            return
        name = self._info.get("name", "") or self.archive.root.name
        suggested = Path.home() / f"{name}-{STAGE_LABELS[Role(stage)]}-{date.today():%Y%m%d}" \
            ".zicha-review.zip"
        out = self.ask_package_path(suggested)
        if out is None:
            return
        archive, actor = self.archive, self.current_person

        def work(_job: Job) -> ExportReport:
            return export_package(archive, stage, out, actor=actor)

        def done(report: ExportReport) -> None:
            self.statusBar().showMessage(self.tr("审核包已保存到 {path}").format(path=out), 15000)
            QMessageBox.information(self, self.tr("导出审核包"), self.tr(
                "已导出 {n} 份待{stage}材料（{files} 个文件，{mb:.1f} MB）到\n{path}\n\n"
                "把这个文件交给审核人；审核人签名后交回的决定文件用“应用审核决定”记入档案。")
                .format(n=len(report.materials), stage=STAGE_LABELS[Role(stage)],
                        files=report.files, mb=report.bytes / 1048576, path=out))

        self._run_with_progress(work, self.tr("正在导出审核包…"), done)

    def open_review_package(self, path: Path | None = None) -> None:
        """The reviewer's side: a read-only review session over a package, no archive needed."""
        if path is None:
            path = self.ask_open_path(self.tr("打开审核包"), self.tr("审核包 (*.zip)"))
            if path is None:
                return
        person = self.current_person

        def work(job: Job) -> OpenedPackage:
            return open_for_review(Path(path), job.progress)

        def done(opened: OpenedPackage) -> None:
            window = PackageReviewWindow(opened, person, self)  # owned by this window
            window.show()
            self.package_opened.emit(window)

        self._run_with_progress(work, self.tr("正在检查审核包…"), done)

    def apply_decisions_file(self, path: Path | None = None) -> None:
        """Verify a reviewer's decisions file and record every decision, or none."""
        if self.archive is None:
            return
        if path is None:
            path = self.ask_open_path(self.tr("应用审核决定"),
                                      self.tr("决定文件 (*.json);;所有文件 (*)"))
            if path is None:
                return
        archive, actor = self.archive, self.current_person

        def work(_job: Job) -> ApplyReport:
            return apply_decisions(archive, Path(path), actor=actor)

        def done(report: ApplyReport) -> None:
            self.refresh()
            if self.editor.material_id is not None:
                self._show_material_info(self.editor.material_id)
            self.statusBar().showMessage(self.tr("已应用 {n} 个审核决定").format(
                n=len(report.applied)), 15000)
            ApplyReportDialog(report, self).show()
            self.decisions_applied.emit(report)

        self._run_with_progress(work, self.tr("正在验证并应用审核决定…"), done)

    @property
    def current_person(self) -> str | None:
        return self.person_box.currentData()

    def _person_key(self) -> str:
        return f"person/{self._info.get('archive_id', '')}" if self.archive else "person"

    def _fill_people(self, people: list[roster.PersonView] | None = None) -> None:
        """The roster in the person box (without `people`: read again on a worker, with the
        责任单位 the search filters offer); the person last chosen for this archive is kept."""
        if people is None:
            self._read_roster()
            return
        self.person_box.blockSignals(True)
        self.person_box.clear()
        self.person_box.addItem(self.tr("（未选择）"), None)
        if self.archive is not None:
            self._people = people
            for p in self._people:
                self.person_box.addItem(f"{p.name}（{p.department}）", p.name)
            remembered = self.settings.value(self._person_key())
            index = self.person_box.findData(remembered) if remembered else -1
            self.person_box.setCurrentIndex(max(index, 0))
        self.person_box.blockSignals(False)
        self.review_panel.set_person(self.current_person)
        self._update_notice()

    def _read_roster(self) -> None:
        if self.archive is None:
            return
        archive = self.archive
        self._roster_generation += 1
        generation = self._roster_generation
        job = Job(lambda _job: read_roster(archive))
        job.signals.finished.connect(while_alive(
            self, lambda got: self._roster_ready(generation, *got)))
        job.signals.failed.connect(while_alive(
            self, lambda message: self._roster_failed(generation, message)))
        self._roster_job = job
        start(job)

    def _roster_ready(self, generation: int, people: list[roster.PersonView],
                      names: list[str]) -> None:
        if generation != self._roster_generation or self.archive is None:
            return
        self._roster_job = None
        if [(p.name, p.department) for p in people] != [
                (p.name, p.department) for p in self._people]:
            self._fill_people(people)  # not while the same list is open in the box
        self._departments = names
        self.search_panel.set_departments(names)

    def _roster_failed(self, generation: int, message: str) -> None:
        if generation == self._roster_generation:
            self._roster_job = None
            self.statusBar().showMessage(message, 8000)

    def _person_chosen(self, _index: int) -> None:
        if self.archive is not None:
            self.settings.setValue(self._person_key(), self.current_person or "")
        self.review_panel.set_person(self.current_person)
        self._selection_changed()
        self._update_notice()
        if self.queue_box.isChecked():
            self._load_table()

    def delete_material(self) -> None:
        """Delete the selected drafts, after asking; one audit entry per material."""
        ids = self.selected_ids()
        if self.archive is None or not ids:
            return
        # the names asked about, not all: from the rows the table holds (those scrolled away
        # by their number)
        titles = {i: view.title for i in ids[:8]
                  if (view := self.table_model.row_view(self.table_model.row_of(i)))}
        names = "\n".join(f"#{i}《{titles[i]}》" if i in titles else f"#{i}" for i in ids[:8])
        if len(ids) > 8:
            names += "\n" + self.tr("……共 {n} 份").format(n=len(ids))
        answer = QMessageBox.question(
            self, self.tr("删除材料"),
            self.tr("删除下列材料？\n{names}\n\n文件仍保留在档案中，审计日志会记录这次删除。")
            .format(names=names))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.editor.material_id in ids:
            self.editor.show_material(None)  # nothing of it is to be saved any more
        archive, actor = self.archive, self.actor

        def work() -> Changes:
            delete_materials(archive, ids, actor=actor)
            if search.uses_whoosh(archive):
                search.sync(archive)
            return Changes(deleted=frozenset(ids), tasks=True, message=self.tr(
                "已删除 {n} 份材料").format(n=len(ids)))

        self.ops.run(self.tr("无法删除"), work)

    # -- search and texts ----------------------------------------------------------------------

    def _search_text_changed(self, text: str) -> None:
        self.search_panel.set_query(text)
        for w in (self.filter_edit, self.stage_filter, self.queue_box):  # the panel has its own
            w.setVisible(not text.strip())
        if not text.strip():
            self._load_table()  # back to the node's materials (and its title)
        self._update_center()

    def open_hit(self, hit) -> None:  # type: ignore[no-untyped-def]
        """Show the material of a search hit, at the page of the hit, with the terms marked."""
        if self.archive is None or not self.may_leave_material():
            return
        self._show_material(hit.id, file_index=hit.file_position or 0,
                            page=(hit.page - 1) if hit.page else 0,
                            highlight=self.search_panel.terms())

    def _text_progress(self, phase: str, done: int, total: int) -> None:
        label = self.tr("OCR 识别") if phase == "ocr" else self.tr("提取文字")
        self.text_label.setText(f"{label} {done}/{total}")
        self.text_bar.setMaximum(max(total, 1))
        self.text_bar.setValue(done)
        self.text_bar.show()

    def _text_idle(self, stats) -> None:  # type: ignore[no-untyped-def]
        self.text_bar.hide()
        failed = stats.failed + stats.ocr_failed
        self.text_label.setText(self.tr("{n} 个文件无法提取文字").format(n=failed) if failed
                                else "")
        self.text_extraction_idle.emit()

    def _texts_changed(self) -> None:
        if self.search_edit.text().strip():
            self.search_panel.schedule()

    @staticmethod
    def _create_archive(root: Path) -> Archive:
        """A new archive; from the bureau profile the installer was built with, if any."""
        from desktop.core.admin.profile import baked_profile, create_from_profile

        profile = baked_profile()
        return create_from_profile(root, profile) if profile else Archive.create(root)

    def about(self) -> None:
        info = self._info if self.archive else {}
        system = info.get("system_label", "")
        bureau = info.get("bureau", "")
        code = f"（{info['bureau_code']}）" if info.get("bureau_code") else ""
        QMessageBox.about(self, self.tr("关于 Zicha"), "".join((
            f"<h3>Zicha {__version__}</h3>",
            f"<p><b>{bureau}{code}</b></p>" if bureau else "",
            "<p>" + self.tr("全国文明城市测评佐证材料的归档、审核与导出。") + "</p>",
            f"<p>{system}</p>",
            "<p>" + self.tr("本程序以 GNU AGPL-3.0 许可发布。") + "</p>",
            "<p>" + self.tr("第三方组件：PyMuPDF (AGPL-3.0)、Qt/PySide6 (LGPL-3.0) 等。")
            + "</p>")))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave_material():
            event.ignore()
            return
        self.remember_geometry()
        self.close_archive()
        self.thumbnails.shutdown()
        super().closeEvent(event)
