"""人员与密钥: the archive's roster (add people, change roles and departments, retire, import a
public key) and the current person's own signing key (create it, export its public key for the
admin). Every roster change goes through desktop.core.review.roster with the current person as
actor; the core's rules (only an admin once there is one, …) are the ones the buttons show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import Role
from desktop.core.common.changes import Changes
from desktop.core.common.errors import ZichaError
from desktop.core.review import keys, roster
from desktop.core.review.roster import departments
from desktop.ui.workers import Job, start, while_alive

ERROR_STYLE = "color: #b00020;"
ROLE_ORDER = (Role.CLERK, Role.FIRST, Role.SECOND, Role.FINAL, Role.ADMIN)


class FormDialog(QDialog):
    """A small form whose OK button runs `submit()`: a ZichaError from it keeps the form open
    with the message (and nothing changed), anything else closes it as accepted."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit: Callable[[], None] | None = None
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _ok(self) -> None:
        try:
            if self.submit is not None:
                self.submit()
        except ZichaError as exc:
            self.show_error(str(exc))
            return
        self.accept()


def record_table(headers: list[str], *, stretch: int, edit: QPushButton,
                 selected: Callable[[], None]) -> QTableWidget:
    """A list of records to pick one from: columns fit their contents but `stretch`, whole rows
    selected one at a time, read-only; a double click presses `edit`."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setStyleSheet("QTableWidget::item { padding: 2px 8px; }")
    table.itemSelectionChanged.connect(selected)
    table.doubleClicked.connect(lambda _index: edit.click())
    return table


def department_box(names: list[str], current: str = "", *, blank: str | None = None
                   ) -> QComboBox:
    """An editable combo of the archive's departments (a new name may be typed)."""
    box = QComboBox()
    box.setEditable(True)
    if blank is not None:
        box.addItem(blank, "")
    for name in names:
        box.addItem(name, name)
    if current:
        index = box.findText(current)
        if index < 0:
            box.addItem(current, current)
            index = box.count() - 1
        box.setCurrentIndex(index)
    elif blank is None:
        box.setCurrentIndex(-1)
        box.setEditText("")
    return box


def combo_text(box: QComboBox) -> str:
    """What the user chose or typed; "" for the blank entry."""
    text = box.currentText().strip()
    index = box.findText(text)
    data = box.itemData(index) if index >= 0 else None
    return text if data is None else str(data)


class PersonForm(FormDialog):
    """添加人员 / 修改角色/部门: name, department, roles (each limited to one department or
    not), and (when adding) the public key, pasted or read from a file."""

    def __init__(self, title: str, role_labels: dict[str, str], department_names: list[str],
                 person: roster.PersonView | None = None, *,
                 ask_key_file: Callable[[], Path | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.name = QLineEdit(person.name if person else "")
        self.name.setReadOnly(person is not None)
        self.name.setPlaceholderText(self.tr("真实姓名，与其密钥的名字一致"))
        self.department = department_box(department_names, person.department if person else "")
        edit = self.department.lineEdit()  # the box is editable, so it has one
        if edit is not None:
            edit.setPlaceholderText(self.tr("选择或输入部门"))
        self.form.addRow(self.tr("姓名"), self.name)
        self.form.addRow(self.tr("部门"), self.department)
        grants = dict(roster.parse_role(r) for r in person.roles) if person else {}
        self.role_boxes: dict[str, QCheckBox] = {}
        self.role_scopes: dict[str, QComboBox] = {}
        roles = QGridLayout()
        roles.setColumnStretch(1, 1)
        everywhere = self.tr("全部单位")
        hint = QLabel(self.tr("限定单位（可选）"))
        hint.setStyleSheet("color: #555;")
        roles.addWidget(hint, 0, 1)
        for n, role in enumerate(ROLE_ORDER, 1):
            check = QCheckBox(role_labels[role])
            check.setChecked(role in grants)
            scope = department_box(department_names, grants.get(role) or "", blank=everywhere)
            scope.setToolTip(self.tr("只对这个单位的材料有此角色；“全部单位”不限"))
            scope.setEnabled(check.isChecked())
            check.toggled.connect(scope.setEnabled)
            if role == Role.ADMIN:  # 管理员 acts for the whole archive
                scope.hide()
            roles.addWidget(check, n, 0)
            roles.addWidget(scope, n, 1)
            self.role_boxes[role], self.role_scopes[role] = check, scope
        self.form.addRow(self.tr("角色"), roles)
        self.public_key: QLineEdit | None = None
        self.key_button: QPushButton | None = None
        if person is None:
            self.public_key = QLineEdit()
            self.public_key.setPlaceholderText(self.tr("粘贴 ed25519:… 公钥，或从文件导入"))
            self.key_button = QPushButton(self.tr("从文件导入…"))
            self._ask_key_file = ask_key_file
            self.key_button.clicked.connect(self._key_from_file)
            row = QHBoxLayout()
            row.addWidget(self.public_key, 1)
            row.addWidget(self.key_button)
            self.form.addRow(self.tr("公钥"), row)
        self.resize(560, self.sizeHint().height())

    def roles(self) -> list[str]:
        result = []
        for role in ROLE_ORDER:
            if self.role_boxes[role].isChecked():
                scope = combo_text(self.role_scopes[role]) if role != Role.ADMIN else ""
                result.append(f"{role}@{scope}" if scope else str(role))
        return result

    def department_text(self) -> str:
        return combo_text(self.department)

    def _key_from_file(self) -> None:
        if self._ask_key_file is None or self.public_key is None:
            return
        path = self._ask_key_file()
        if path is None:
            return
        try:
            found = keys.read_public_file(path)
        except ZichaError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.public_key.setText(found.public_key)
        if found.name and not self.name.text().strip():
            self.name.setText(found.name)


class KeyForm(FormDialog):
    """创建我的密钥: the passphrase twice."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("创建我的密钥"), parent)
        self.name = QLineEdit(name)
        self.name.setReadOnly(bool(name))
        self.name.setPlaceholderText(self.tr("你的姓名（与名册一致）"))
        self.passphrase = QLineEdit()
        self.again = QLineEdit()
        for edit in (self.passphrase, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("至少 {n} 个字符").format(n=keys.MIN_PASSPHRASE))
        self.form.addRow(self.tr("姓名"), self.name)
        self.form.addRow(self.tr("口令"), self.passphrase)
        self.form.addRow(self.tr("再输入一次"), self.again)
        note = QLabel(self.tr("签名密钥只保存在本机的密钥库中，用口令加密；口令忘记后无法找回，"
                              "只能重新创建密钥并请管理员更换公钥。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.form.addRow(note)
        self.created: str = ""  # the public key, once made
        self.submit = self._create
        self.resize(480, self.sizeHint().height())

    def _create(self) -> None:
        name = self.name.text().strip()
        if not name:
            raise ZichaError(self.tr("请填写姓名"))
        if len(self.passphrase.text()) < keys.MIN_PASSPHRASE:
            raise ZichaError(self.tr("口令太短：至少 {n} 个字符").format(n=keys.MIN_PASSPHRASE))
        if self.passphrase.text() != self.again.text():
            self.again.clear()
            raise ZichaError(self.tr("两次输入的口令不一致，请重新输入"))
        # a few milliseconds (PKCS#8 encryption of one Ed25519 key): no worker needed
        self.created = keys.new_key(name, self.passphrase.text())


class PeopleDialog(QDialog):
    """人员与密钥. `changed` carries a desktop.core.common.changes.Changes (people=True) after every
    roster change, for the window to refresh its person box."""

    changed = Signal(object)

    def __init__(self, archive: Archive, current_person: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("人员与密钥"))
        self.archive, self.current_person = archive, current_person
        self.key_owner = current_person or ""  # whose key "我的密钥" is about
        self.roster: list[roster.PersonView] = []
        self.refusal = ""  # why the current person may not change the roster
        self.own_key: str | None = None  # the public key of key_owner's key on this computer
        self.departments: list[str] = []  # the archive's 责任单位, for the forms
        self._generation = 0  # only the newest read is shown
        self._shown_generation = -1
        self._jobs: list[Job] = []
        self._select: str | None = None  # the person to select once the roster is read
        self.role_labels: dict[str, str] = {
            Role.CLERK: self.tr("经办人"), Role.FIRST: self.tr("初审"),
            Role.SECOND: self.tr("复审"), Role.FINAL: self.tr("终审"),
            Role.ADMIN: self.tr("管理员")}

        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.show_retired = QCheckBox(self.tr("显示已停用的人员"))
        self.show_retired.setChecked(True)
        self.show_retired.toggled.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.rule, 1)
        top.addWidget(self.show_retired)

        self.add_button = QPushButton(self.tr("添加人员…"))
        self.edit_button: QPushButton = QPushButton(self.tr("修改角色/部门…"))
        self.table = record_table([self.tr("姓名"), self.tr("部门"), self.tr("角色"),
                                   self.tr("公钥"), self.tr("状态")], stretch=2,
                                  edit=self.edit_button, selected=self._update_buttons)
        self.retire_button = QPushButton(self.tr("停用"))
        self.import_button = QPushButton(self.tr("导入公钥…"))
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_person)
        self.retire_button.clicked.connect(self.retire_or_reinstate)
        self.import_button.clicked.connect(self.import_key)
        roster_buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.retire_button,
                       self.import_button):
            roster_buttons.addWidget(button)
        roster_buttons.addStretch(1)

        self.key_info = QLabel()
        self.key_info.setWordWrap(True)
        self.key_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create_key_button = QPushButton(self.tr("创建我的密钥…"))
        self.export_key_button = QPushButton(self.tr("导出我的公钥…"))
        self.create_key_button.clicked.connect(self.create_key)
        self.export_key_button.clicked.connect(self.export_key)
        mine = QGroupBox(self.tr("我的密钥"))
        mine_layout = QVBoxLayout(mine)
        mine_layout.addWidget(self.key_info)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.create_key_button)
        key_buttons.addWidget(self.export_key_button)
        key_buttons.addStretch(1)
        mine_layout.addLayout(key_buttons)

        self.message = QLabel()
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(roster_buttons)
        layout.addWidget(mine)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(900, 560)
        self.reload()

    # -- what the user is asked (tests answer these) ---------------------------------------------

    def ask_form(self, form: FormDialog) -> bool:
        return form.exec() == QDialog.DialogCode.Accepted

    def ask_open_key_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择公钥文件"), "",
                                              self.tr("公钥文件 (*.txt *.pub);;所有文件 (*)"))
        return Path(path) if path else None

    def ask_save_key_path(self, suggested: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出我的公钥"),
                                              str(Path.home() / suggested),
                                              self.tr("公钥文件 (*.txt)"))
        return Path(path) if path else None

    def ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # -- showing -----------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """The newest read of the roster is not shown yet."""
        return self._shown_generation != self._generation

    def reload(self, select: str | None = None) -> None:
        """Read the roster, the current person's rights, the 责任单位 and the key on this
        computer on a worker (正在读取… meanwhile); the newest read wins, one arriving after
        the dialog was closed is dropped. `select`: the person to select then."""
        selected = self.selected_person()
        self._select = select or (selected.name if selected else self._select)
        self._generation += 1
        generation, archive, person = self._generation, self.archive, self.current_person
        retired, owner = self.show_retired.isChecked(), self.key_owner

        def work(_job: Job) -> tuple[list[roster.PersonView], str, list[str], object]:
            try:
                own: object = keys.own_public(owner) if owner else None
            except ZichaError as exc:
                own = exc
            return (roster.people(archive, include_retired=retired),
                    roster.roster_refusal(archive, person), departments(archive), own)

        job = Job(work)
        job.signals.finished.connect(while_alive(self, lambda got: self._show(generation, *got)))
        job.signals.failed.connect(while_alive(self, lambda text: self._failed(generation, text)))
        self._jobs = [j for j in self._jobs if not j.done.is_set()] + [job]
        self.rule.setText(self.tr("正在读取…"))
        self.rule.setStyleSheet("")
        if self._shown_generation < 0:  # nothing shown yet
            self.key_info.setText(self.tr("正在读取…"))
        self._update_buttons()
        start(job)

    def _failed(self, generation: int, text: str) -> None:
        if generation == self._generation:
            self._shown_generation = generation
            self.rule.setText("")
            self._fail(text)
            self._update_buttons()

    def _show(self, generation: int, people: list[roster.PersonView], refusal: str,
              names: list[str], own: object) -> None:
        if generation != self._generation:
            return  # a newer read is under way
        self._shown_generation = generation
        self.roster, self.refusal, self.departments = people, refusal, names
        self._own = own
        grey = QBrush(QColor("#888888"))
        self.table.setRowCount(len(self.roster))
        for n, p in enumerate(self.roster):
            cells = (p.name, p.department, self.roles_text(p.roles),
                     keys.fingerprint(p.public_key),
                     self.tr("已停用") if p.retired else self.tr("在岗"))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, p.name)
                if col == 3:
                    item.setToolTip(p.public_key)
                if p.retired:
                    item.setForeground(grey)
                self.table.setItem(n, col, item)
        wanted, self._select = self._select, None
        self.select_person(wanted)
        self._show_rule()
        self._show_key()
        self._update_buttons()

    def roles_text(self, roles: list[str]) -> str:
        parts = []
        for text in roles:
            role, scope = roster.parse_role(text)
            label = self.role_labels.get(role, role)
            parts.append(self.tr("{role}（{department}）").format(role=label, department=scope)
                         if scope else label)
        return "、".join(parts)

    def selected_person(self) -> roster.PersonView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((p for p in self.roster if p.name == name), None)

    def select_person(self, name: str | None) -> None:
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if name and item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(row)
                return

    def _show_rule(self) -> None:
        me = self.current_person or self.tr("（未选择）")
        if not any(Role.ADMIN in p.roles and not p.retired for p in self.roster) \
                and not self.refusal:
            rule = self.tr("名册中还没有管理员：现在谁都可以修改名册。请先登记一名管理员，"
                           "此后只有管理员可以修改。")
        elif self.refusal:
            rule = self.refusal
        else:
            rule = self.tr("你是管理员，可以修改名册。")
        self.rule.setText(self.tr("当前人员：{me}。{rule}").format(me=me, rule=rule))
        # a notice when the roster is closed to this person, like the main window's
        self.rule.setStyleSheet("background: #fff3c4; padding: 4px;" if self.refusal else "")

    def _show_key(self) -> None:
        owner = self.key_owner
        self.own_key = None
        if not owner:
            self.key_info.setText(self.tr("未选择当前人员。可为自己创建密钥（填写姓名），"
                                          "再把公钥交给管理员登记。"))
            return
        found = getattr(self, "_own", None)
        if isinstance(found, ZichaError):
            self.key_info.setText(str(found))
            return
        try:
            store = keys.key_path(owner)
        except ZichaError as exc:
            self.key_info.setText(str(exc))
            return
        self.own_key = found if isinstance(found, str) else None
        if self.own_key is None:
            self.key_info.setText(self.tr("本机还没有 {name} 的签名密钥（密钥库：{folder}）。")
                                  .format(name=owner, folder=store.parent))
            return
        listed = next((p for p in self.roster if p.name == owner), None)
        if listed is None:
            state = self.tr("名册中还没有 {name}：请导出公钥交给管理员登记。").format(name=owner)
        elif listed.public_key == self.own_key:
            state = self.tr("与名册中的公钥一致。")
        else:
            state = self.tr("与名册中的公钥不一致：用它签的审核意见会被拒绝；"
                            "请把公钥交给管理员导入。")
        self.key_info.setText(self.tr("本机有 {name} 的签名密钥：{path}\n公钥：{key}\n{state}")
                              .format(name=owner, path=store, key=self.own_key, state=state))

    def _enable(self, button: QPushButton, why: str, tip: str = "") -> None:
        button.setEnabled(not why)
        button.setToolTip(why or tip)

    def _update_buttons(self) -> None:
        person = self.selected_person()
        why = self.tr("正在读取…") if self.loading else self.refusal
        pick = why or ("" if person else self.tr("先在表中选择一个人员"))
        active = pick or (self.tr("{name} 已停用；先恢复在岗").format(name=person.name)
                          if person and person.retired else "")
        self._enable(self.add_button, why, self.tr("登记一名新人员及其公钥"))
        self._enable(self.edit_button, active, self.tr("修改所选人员的部门和角色"))
        self._enable(self.import_button, active,
                     self.tr("用文件中的公钥替换所选人员的公钥（只限尚未签过审核意见的人）"))
        if person is not None and person.retired:
            self.retire_button.setText(self.tr("恢复在岗"))
            self._enable(self.retire_button, pick, self.tr("让所选人员重新可以提交和审核"))
        else:
            self.retire_button.setText(self.tr("停用"))
            self._enable(self.retire_button, pick,
                         self.tr("所选人员不能再提交和审核；已签的审核意见照常可核对"))
        owner = self.key_owner
        if self.loading:  # whether this computer has the key is being read
            self._enable(self.create_key_button, self.tr("正在读取…"))
            self._enable(self.export_key_button, self.tr("正在读取…"))
            return
        if owner and self.own_key is not None:
            self._enable(self.create_key_button,
                         self.tr("本机已有 {name} 的密钥，不会覆盖").format(name=owner))
        else:
            self._enable(self.create_key_button, "",
                         self.tr("在本机密钥库中创建签名密钥，用口令保护"))
        no_key = (self.tr("先选择当前人员或创建密钥") if not owner
                  else self.tr("本机还没有 {name} 的密钥；先创建").format(name=owner)
                  if self.own_key is None else "")
        self._enable(self.export_key_button, no_key, self.tr("把公钥存成文件，交给管理员登记"))

    def _done(self, message: str, name: str | None = None) -> None:
        self.message.setStyleSheet("")
        self.message.setText(message)
        self.reload(select=name)
        self.changed.emit(Changes(people=True, message=message))

    def _fail(self, message: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message)

    # -- roster actions ----------------------------------------------------------------------

    def add_person(self) -> None:
        form = PersonForm(self.tr("添加人员"), self.role_labels, self.departments,
                          ask_key_file=self.ask_open_key_path, parent=self)
        public_key = form.public_key
        assert public_key is not None

        def submit() -> None:
            name = form.name.text().strip()
            roles = form.roles()
            if not roles:
                raise ZichaError(self.tr("至少勾选一个角色"))
            if not public_key.text().strip():
                raise ZichaError(self.tr("请粘贴 {name} 的公钥，或从文件导入").format(name=name))
            roster.add_person(self.archive, name, form.department_text(), roles,
                              public_key.text(), actor=self._actor())

        form.submit = submit
        if self.ask_form(form):
            name = form.name.text().strip()
            self._done(self.tr("已登记 {name}").format(name=name), name)

    def edit_person(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        form = PersonForm(self.tr("修改 {name} 的角色/部门").format(name=person.name),
                          self.role_labels, self.departments, person, parent=self)

        def submit() -> None:
            roster.update_person(self.archive, person.name, department=form.department_text(),
                                 roles=form.roles(), actor=self._actor())

        form.submit = submit
        if self.ask_form(form):
            self._done(self.tr("已修改 {name} 的角色和部门").format(name=person.name),
                       person.name)

    def retire_or_reinstate(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        try:
            if person.retired:
                roster.reinstate_person(self.archive, person.name, actor=self._actor())
                self._done(self.tr("{name} 已恢复在岗").format(name=person.name), person.name)
                return
            if not self.ask_confirm(self.tr("停用"), self.tr(
                    "停用 {name}？\n{name} 仍留在名册中，已签的审核意见照常可以核对，"
                    "但不能再提交、审核或处理问题。").format(name=person.name)):
                return
            roster.retire_person(self.archive, person.name, actor=self._actor())
        except ZichaError as exc:
            self._fail(str(exc))
            return
        self._done(self.tr("已停用 {name}").format(name=person.name), person.name)

    def import_key(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        path = self.ask_open_key_path()
        if path is None:
            return
        try:
            found = keys.read_public_file(path)
            if found.name and found.name != person.name and not self.ask_confirm(
                    self.tr("导入公钥"),
                    self.tr("文件中的公钥属于 {other}，不是 {name}。仍然导入吗？")
                    .format(other=found.name, name=person.name)):
                return
            roster.replace_key(self.archive, person.name, found.public_key, actor=self._actor())
        except ZichaError as exc:
            self._fail(str(exc))
            return
        self._done(self.tr("已把 {name} 的公钥换成 {path} 中的公钥").format(
            name=person.name, path=path.name), person.name)

    def _actor(self) -> str:
        # the core refuses an empty actor once the roster has an admin; before that the
        # change is recorded under the computer's user
        return self.current_person or ""

    # -- my key ------------------------------------------------------------------------------

    def create_key(self) -> None:
        form = KeyForm(self.key_owner, self)
        if not self.ask_form(form) or not form.created:
            return
        name = form.name.text().strip()
        self.key_owner = name
        message = self.tr("已创建 {name} 的签名密钥，保存在 {path}").format(
            name=name, path=keys.key_path(name))
        self.message.setStyleSheet("")
        self.message.setText(message)
        listed = next((p for p in self.roster if p.name == name), None)
        if (listed is not None and not listed.retired and listed.public_key != form.created
                and not self.refusal
                and self.ask_confirm(self.tr("更换公钥"), self.tr(
                    "名册中 {name} 的公钥与新密钥不同。现在把名册中的公钥换成新密钥的公钥吗？")
                    .format(name=name))):
            try:
                roster.replace_key(self.archive, name, form.created, actor=self._actor())
            except ZichaError as exc:
                self.reload()
                self._fail(str(exc))
                return
            self._done(message + self.tr("；名册中的公钥已更换"), name)
            return
        self.reload()

    def export_key(self) -> None:
        owner = self.key_owner
        try:
            public = keys.own_public(owner) if owner else None
        except ZichaError as exc:
            self._fail(str(exc))
            return
        if public is None:
            return
        path = self.ask_save_key_path(self.tr("{name}-公钥.txt").format(name=owner))
        if path is None:
            return
        try:
            keys.write_public_file(path, owner, public)
        except ZichaError as exc:
            self._fail(str(exc))
            return
        self.message.setStyleSheet("")
        self.message.setText(self.tr("已把 {name} 的公钥写入 {path}；请交给管理员导入。")
                             .format(name=owner, path=path))
