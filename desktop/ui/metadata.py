"""The metadata editor of one material: title, 文号, date, department, type, captions, items,
and the 创新特色（加分） mark with the recognition it shows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import search
from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import BONUS_LEVELS, MATERIAL_TYPES
from desktop.core.common.changes import Changes
from desktop.core.materials.service import CAPTION_KEYS, MaterialView, update_material
from desktop.ui.models import state_label
from desktop.ui.operations import Operations


class MetadataEditor(QWidget):
    saved = Signal(int)  # material id
    save_failed = Signal(int, str)  # material id, message (the editor shows another one now)
    dirty_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._departments: list[str] = []
        self._view: MaterialView | None = None
        self._saved_view: MaterialView | None = None
        self._ops: Operations | None = None
        self._actor: Callable[[], str | None] | None = None

        self.title = QLineEdit()
        self.doc_number = QLineEdit()
        self.doc_number.setPlaceholderText(self.tr("如 吴文明办发〔2024〕12号"))
        self.date = QLineEdit()
        self.date.setPlaceholderText(self.tr("如 2024-06-30"))
        self.department = QComboBox()
        self.department.setEditable(True)
        self.material_type = QComboBox()
        self.material_type.addItems(MATERIAL_TYPES)
        self.items = QLineEdit()
        self.items.setPlaceholderText(self.tr("测评内容编号，用逗号分隔，如 01.01, 03.02"))
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(64)
        self.captions = {key: QLineEdit() for key in CAPTION_KEYS}
        self.bonus = QCheckBox(self.tr("创新特色（加分）材料"))
        self.bonus.setToolTip(self.tr("这份材料证明本单位受到的表扬、推介或通报表扬，"
                                      "在看板和材料目录中单独列出"))
        self.bonus_level = QComboBox()
        self.bonus_level.addItem(self.tr("（未填）"), "")
        for level in BONUS_LEVELS:
            self.bonus_level.addItem(level, level)
        self.bonus_issuer = QLineEdit()
        self.bonus_issuer.setPlaceholderText(self.tr("如 省文明办"))
        self.bonus_date = QLineEdit()
        self.bonus_date.setPlaceholderText(self.tr("如 2024-04-01"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #555;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        form = QFormLayout()
        form.addRow(self.tr("材料名称"), self.title)
        form.addRow(self.tr("文号"), self.doc_number)
        form.addRow(self.tr("日期"), self.date)
        form.addRow(self.tr("责任单位"), self.department)
        form.addRow(self.tr("材料类型"), self.material_type)
        form.addRow(self.tr("测评内容"), self.items)
        form.addRow(self.tr("说明"), self.description)
        caption_box = QGroupBox(self.tr("图片说明（时间、地点、人物、主题、背景、事由）"))
        caption_form = QFormLayout(caption_box)
        labels = {"时间": self.tr("时间"), "地点": self.tr("地点"), "人物": self.tr("人物"),
                  "主题": self.tr("主题"), "背景": self.tr("背景"), "事由": self.tr("事由")}
        for key, edit in self.captions.items():
            caption_form.addRow(labels.get(key, key), edit)
        bonus_box = QGroupBox(self.tr("创新特色（加分）"))
        bonus_form = QFormLayout(bonus_box)
        bonus_form.addRow(self.bonus)
        bonus_form.addRow(self.tr("级别"), self.bonus_level)
        bonus_form.addRow(self.tr("发文（表扬）单位"), self.bonus_issuer)
        bonus_form.addRow(self.tr("表扬日期"), self.bonus_date)

        self.returned = QLabel()
        self.returned.setWordWrap(True)
        self.returned.setStyleSheet("background: #ffebee; color: #b71c1c; padding: 4px;")
        self.returned.hide()

        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.revert_button = QPushButton(self.tr("还原"))
        self.revert_button.clicked.connect(lambda: self.show_material(self._view))
        # the buttons live outside the scrolling form, so they are always in sight
        self.button_bar = QWidget()
        buttons = QHBoxLayout(self.button_bar)
        buttons.setContentsMargins(6, 2, 6, 2)
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.returned)
        layout.addLayout(form)
        layout.addWidget(caption_box)
        layout.addWidget(bonus_box)
        layout.addStretch(1)
        for edit in (self.title, self.doc_number, self.date, self.items, *self.captions.values(),
                     self.bonus_issuer, self.bonus_date):
            edit.textEdited.connect(self._edited)
        self.bonus.toggled.connect(self._bonus_toggled)
        self.bonus_level.currentIndexChanged.connect(self._edited)
        self.description.textChanged.connect(self._edited)
        self.department.editTextChanged.connect(self._edited)
        self.material_type.currentIndexChanged.connect(self._edited)
        self._loading = False
        self.show_material(None)

    def set_archive(self, archive: Archive | None) -> None:
        self._archive = archive
        self._departments = []
        self.show_material(None)

    def set_departments(self, names: list[str]) -> None:
        """The 责任单位 offered (read with the material, on a worker); one typed that is not
        among them is added when the material is saved."""
        self._departments = list(names)

    @property
    def material_id(self) -> int | None:
        return self._view.id if self._view else None

    def set_operations(self, ops: Operations, actor: Callable[[], str | None]) -> None:
        self._ops, self._actor = ops, actor

    def is_dirty(self) -> bool:
        """Typed changes not saved yet."""
        if self._view is None or not self.save_button.isEnabled():
            return False
        return bool(self._differences())

    def _differences(self) -> dict[str, object]:
        assert self._view is not None
        view, now = self._view, self.changes()
        saved = {"title": view.title, "doc_number": view.doc_number,
                 "material_date": view.material_date, "department": view.department,
                 "material_type": view.material_type, "items": list(view.items),
                 "description": view.description,
                 "caption": {k: view.caption.get(k, "") for k in CAPTION_KEYS},
                 "bonus": view.bonus}
        return {k: v for k, v in now.items() if _stripped(v) != _stripped(saved[k])}

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.dirty_changed.emit(self.is_dirty())

    def _bonus_toggled(self, _checked: bool) -> None:
        self._enable_bonus_fields()
        self._edited()

    def _enable_bonus_fields(self) -> None:
        on = self.bonus.isEnabled() and self.bonus.isChecked()
        for w in (self.bonus_level, self.bonus_issuer, self.bonus_date):
            w.setEnabled(on)

    def show_material(self, view: MaterialView | None, returned_reason: str = "") -> None:
        self._loading = True
        try:
            self._show(view, returned_reason)
        finally:
            self._loading = False
        self.dirty_changed.emit(False)

    def _show(self, view: MaterialView | None, returned_reason: str) -> None:
        self._view = view
        self.error.clear()
        self.returned.setVisible(bool(view and view.state == "returned"))
        self.returned.setText(self.tr("已退回，理由：{reason}").format(
            reason=returned_reason or self.tr("（未写明）")))
        # the reviewers signed this metadata: it changes only as a draft or after a return
        enabled = view is not None and view.state in ("draft", "returned")
        for w in (self.title, self.doc_number, self.date, self.department, self.material_type,
                  self.items, self.description, *self.captions.values(), self.bonus,
                  self.save_button, self.revert_button):
            w.setEnabled(enabled)
        bonus = view.bonus if view is not None else None
        self.bonus.setChecked(bonus is not None)
        self.bonus_level.setCurrentIndex(max(0, self.bonus_level.findData(
            (bonus or {}).get("level") or "")))
        self.bonus_issuer.setText(str((bonus or {}).get("issuer") or ""))
        self.bonus_date.setText(str((bonus or {}).get("date") or ""))
        self._enable_bonus_fields()
        if view is None:
            for edit in (self.title, self.doc_number, self.date, self.items,
                         *self.captions.values()):
                edit.clear()
            self.description.clear()
            self.info.setText(self.tr("未选择材料"))
            return
        self.title.setText(view.title)
        self.doc_number.setText(view.doc_number)
        self.date.setText(view.material_date or "")
        self.department.clear()
        if self._archive is not None:
            self.department.addItems(self._departments)
        self.department.setCurrentText(view.department)
        self.material_type.setCurrentText(view.material_type)
        self.items.setText(", ".join(view.items))
        self.description.setPlainText(view.description)
        for key, edit in self.captions.items():
            edit.setText(view.caption.get(key, ""))
        files = "；".join(f.filename for f in view.files)
        state = state_label(view.state)
        text = self.tr("材料 #{id} · {state} · 文件：{files}").format(
            id=view.id, state=state, files=files)
        if not enabled:
            text += "\n" + (self.tr("已终审通过，不能再修改。") if view.state == "final_approved"
                            else self.tr("审核中，不能修改；退回后可以修改。"))
        self.info.setText(text)

    def changes(self) -> dict[str, object]:
        codes = [c.strip() for c in self.items.text().replace("，", ",").split(",") if c.strip()]
        return {
            "title": self.title.text(),
            "doc_number": self.doc_number.text(),
            "material_date": self.date.text().strip() or None,
            "department": self.department.currentText(),
            "material_type": self.material_type.currentText(),
            "items": codes,
            "description": self.description.toPlainText(),
            "caption": {key: edit.text() for key, edit in self.captions.items()},
            "bonus": {"level": self.bonus_level.currentData() or "",
                      "issuer": self.bonus_issuer.text().strip(),
                      "date": self.bonus_date.text().strip() or None}
            if self.bonus.isChecked() else None,
        }

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save on the write lane; `then` runs after a successful save."""
        if self._archive is None or self._view is None or self._ops is None:
            return
        archive, material_id, changes = self._archive, self._view.id, self.changes()
        actor = self._actor() if self._actor else None
        self.save_button.setEnabled(False)

        def work() -> Changes:
            view = update_material(archive, material_id, changes, actor=actor)
            if search.uses_whoosh(archive):
                search.sync(archive)  # the database engine is already up to date
            self._saved_view = view
            return Changes.of_materials([material_id], tree="items" in changes,
                                        message=self.tr("已保存"))

        def done(_changes: Changes) -> None:
            if self._view is not None and self._view.id == material_id:
                self.show_material(self._saved_view)
            self.saved.emit(material_id)
            if then is not None:
                then()

        def failed(message: str) -> None:
            if self._view is not None and self._view.id == material_id:
                self.save_button.setEnabled(True)
                self.error.setText(message)
            else:
                self.save_failed.emit(material_id, message)

        self._ops.run(self.tr("保存"), work, done=done, error=failed)


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value
