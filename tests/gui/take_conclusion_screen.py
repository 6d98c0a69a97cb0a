"""Screenshot of 编辑 → 结论性说明… (issue 19, item 3), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_conclusion_screen.py

docs/screenshots/item-conclusion-1366x768.png: the main window on a 测评内容 with the dialog
showing a conclusion written earlier, with its 填表人."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "item-conclusion-1366x768.png"


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item, set_conclusion
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.demo.samples import make_pdf

    base = Path(tempfile.mkdtemp(prefix="zicha-conclusion-shot-"))
    os.environ["ZICHA_HOME"] = str(base / "home")
    root = base / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
        pdf = base / "理论学习中心组学习计划.pdf"
        make_pdf(pdf, "理论学习中心组学习计划", ["一、学习内容", "二、学习安排"])
        list(import_paths(archive, [pdf], ImportOptions(codes=["01.01"])))
        set_conclusion(archive, "01.01", "本单位制定了理论学习中心组学习计划和学习制度，"
                       "全年开展专题学习 12 次、专题研讨 4 次，学习记录、签到表和照片齐全。\n"
                       "材料说明学习有计划、有制度、有记录，成效明显。", actor="张经办")

    app = QApplication(sys.argv)
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    window.resize(1366, 768)
    window.show()
    window.open_archive(root)
    while window.opening:  # the archive is opened on a worker
        app.processEvents()
    while window.table_loading:  # the tree and the table are read on workers
        app.processEvents()
    window.tree.setCurrentIndex(window.tree_model.index_of("01.01"))
    shown: list = []
    window.conclusion_shown.connect(shown.append)

    def open_dialog() -> None:
        window.conclusion_action.trigger()
        shown[0].loaded.connect(lambda: QTimer.singleShot(300, shoot))

    def shoot() -> None:
        from tests.gui.take_transfer_screens import on_screen

        on_screen(window, shown[0], OUT)
        app.quit()

    QTimer.singleShot(800, open_dialog)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
