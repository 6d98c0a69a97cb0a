"""Screenshots of the window at a laptop and a desktop screen size: first start, the sample
archive, bulk edit, 人员与密钥, and the XLSX / DOCX / photo previews (needs Xvfb).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_window.py
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/screenshots/take_window.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="zicha-window-shots-"))
    os.environ.update(HOME=str(work), ZICHA_HOME=str(work / "home"),
                      XDG_DATA_HOME=str(work / "data"))
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from desktop.demo.sample_archive import build_demo_archive
    from desktop.ui.app import install_translations, settings
    from desktop.ui.bulk_edit import BulkEditDialog
    from desktop.ui.fonts import register_bundled_fonts
    from desktop.ui.main_window import MainWindow

    register_bundled_fonts()
    install_translations(app)
    screen = app.primaryScreen().size()
    size = f"{screen.width()}x{screen.height()}"

    def wait(condition, timeout_s: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout_s
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        for _ in range(40):
            app.processEvents()
            time.sleep(0.02)
        app.primaryScreen().grabWindow(0).save(str(HERE / f"{name}-{size}.png"))

    window = MainWindow(settings())
    window.move(0, 0)
    window.show()
    window.open_archive(work / "data" / "zicha" / "archive", create=True)
    window.tree.setFocus()
    wait(lambda: not window.table_loading)
    shot("first-start")

    root = work / "示例档案"
    build_demo_archive(root)
    window.open_archive(root)
    window.person_box.setCurrentIndex(window.person_box.findData("示例经办人"))
    window.tree.setCurrentIndex(window.tree_model.index_of("03"))
    wait(lambda: not window.table_loading)
    window.table.selectRow(1)
    wait(lambda: window.preview.page_count > 0)
    shot("demo")

    window.table.selectAll()
    dialog = BulkEditDialog(len(window.selected_ids()), ["市文明办", "市公安局", "团市委"],
                            [(n.code, n.name) for n in window._nodes.values()], window)
    dialog.boxes["department"].setChecked(True)
    dialog.department.setEditText("市文明办")
    dialog.boxes["material_type"].setChecked(True)
    dialog.show()
    shot("bulk-edit")
    dialog.close()

    window.person_box.setCurrentIndex(window.person_box.findData("示例管理员"))
    window.show_people()
    from desktop.ui.people_dialog import PeopleDialog

    people = window.findChild(PeopleDialog)
    shot("people")
    people.close()

    for kind, code, title in (("xlsx", None, "xlsx"), ("docx", None, "docx"),
                              ("photo", None, "jpeg")):
        window.tree.setCurrentIndex(window.tree_model.index_of(code or ""))
        wait(lambda: not window.table_loading)
        model = window.table_model
        row = next((r for r in range(model.rowCount())
                    if any(f.kind == title for f in model.row_view(r).files)), None)
        if row is None:
            continue
        window.table.clearSelection()
        window.table.selectRow(window.proxy.mapFromSource(model.index(row, 0)).row())
        time.sleep(0.5)
        shot(f"preview-{kind}")
    window.close()
    print(f"saved to {HERE} ({size})")


if __name__ == "__main__":
    main()
