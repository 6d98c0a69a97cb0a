"""The PySide6 in use keeps None's reference count: PySide6 6.12.0 on Python 3.11 took one
reference from None on every call of a Qt method that returns nothing (QLabel.setText,
QTreeWidgetItem.addChild, …), so a window that made enough calls ended the process with
"none_dealloc" (found at 50,000 materials in the export dialog's preview). pyproject.toml leaves
that release out; this test fails on it."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem


def test_void_qt_calls_leave_nones_reference_count_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    tree = QTreeWidget()
    qtbot.addWidget(label)
    qtbot.addWidget(tree)
    root = QTreeWidgetItem(["根"])
    tree.addTopLevelItem(root)
    before = sys.getrefcount(None)
    for n in range(500):
        label.setText(f"第 {n} 行")
        child = QTreeWidgetItem([str(n)])
        root.addChild(child)
        child.setForeground(0, QColor("red"))
    # other code may let go of a few references meanwhile; the leak took 1,500. (More
    # references to None, which some releases keep, are harmless: only a count that falls to
    # zero ends the process.)
    assert sys.getrefcount(None) > before - 100
