"""批量设置: the same 材料类型, 日期, 责任单位 or 测评内容 for every selected material."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.archive.kinds import MATERIAL_TYPES


class BulkEditDialog(QDialog):
    """Only the fields whose box is ticked change; the others stay as each material has them."""

    def __init__(self, count: int, departments: list[str], items: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("批量设置"))
        self.material_type = QComboBox()
        self.material_type.addItems(MATERIAL_TYPES)
        self.date = QLineEdit()
        self.date.setPlaceholderText(self.tr("如 2024-06-30"))
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(departments)
        self.department.setCurrentText("")
        self.items = QComboBox()
        for code, name in items:
            self.items.addItem(f"{code} {name}", code)
        self.boxes: dict[str, QCheckBox] = {}
        form = QFormLayout()
        for key, label, widget in (("material_type", self.tr("材料类型"), self.material_type),
                                   ("material_date", self.tr("日期"), self.date),
                                   ("department", self.tr("责任单位"), self.department),
                                   ("items", self.tr("测评内容"), self.items)):
            box = QCheckBox(label)
            widget.setEnabled(False)
            box.toggled.connect(widget.setEnabled)
            box.toggled.connect(self._update)
            self.boxes[key] = box
            form.addRow(box, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(self.tr("为选中的 {n} 份材料设置勾选的项目；未勾选的保持不变。"
                              "测评内容会替换原有的归档位置。").format(n=count))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(460, self.sizeHint().height())

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(any(b.isChecked() for b in self.boxes.values()))

    def changes(self) -> dict[str, object]:
        values: dict[str, object] = {
            "material_type": self.material_type.currentText(),
            "material_date": self.date.text().strip() or None,
            "department": self.department.currentText().strip(),
            "items": [self.items.currentData()] if self.items.currentData() else [],
        }
        return {k: v for k, v in values.items() if self.boxes[k].isChecked()}
