"""The metadata editor of one material: title, 文号, date, department, type, captions, items."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
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

from desktop.core.archive import Archive
from desktop.core.errors import ZichaError
from desktop.core.materials import CAPTION_KEYS, MaterialView, departments, update_material
from desktop.core.models import MATERIAL_TYPES
from desktop.ui.models import state_label


class MetadataEditor(QWidget):
    saved = Signal(int)  # material id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._view: MaterialView | None = None

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
        caption_box = QGroupBox(self.tr("图片说明（时间、地点、人物、主题）"))
        caption_form = QFormLayout(caption_box)
        for key, edit in self.captions.items():
            caption_form.addRow(key, edit)

        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("还原"))
        self.revert_button.clicked.connect(lambda: self.show_material(self._view))
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(form)
        layout.addWidget(caption_box)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_material(None)

    def set_archive(self, archive: Archive | None) -> None:
        self._archive = archive
        self.show_material(None)

    @property
    def material_id(self) -> int | None:
        return self._view.id if self._view else None

    def show_material(self, view: MaterialView | None) -> None:
        self._view = view
        self.error.clear()
        enabled = view is not None and view.state != "final_approved"
        for w in (self.title, self.doc_number, self.date, self.department, self.material_type,
                  self.items, self.description, *self.captions.values(), self.save_button,
                  self.revert_button):
            w.setEnabled(enabled)
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
            self.department.addItems(departments(self._archive))
        self.department.setCurrentText(view.department)
        self.material_type.setCurrentText(view.material_type)
        self.items.setText(", ".join(view.items))
        self.description.setPlainText(view.description)
        for key, edit in self.captions.items():
            edit.setText(view.caption.get(key, ""))
        files = "；".join(f.filename for f in view.files)
        state = state_label(view.state)
        self.info.setText(self.tr("材料 #{id} · {state} · 文件：{files}").format(
            id=view.id, state=state, files=files))

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
        }

    def save(self) -> None:
        if self._archive is None or self._view is None:
            return
        try:
            view = update_material(self._archive, self._view.id, self.changes())
        except ZichaError as exc:
            self.error.setText(str(exc))
            return
        self.show_material(view)
        self.saved.emit(view.id)
