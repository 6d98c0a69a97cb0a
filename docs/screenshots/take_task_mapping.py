"""Screenshot of the task-list import dialog at its 测评项目对应 step: a list laid out like seed
001's plan, whose headings are the bureau's own (needs Xvfb).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_task_mapping.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="zicha-mapping-shot-"))
    os.environ.update(HOME=str(work), ZICHA_HOME=str(work / "home"),
                      XDG_DATA_HOME=str(work / "data"))
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from desktop.ui.app import install_translations, settings
    from desktop.ui.fonts import register_bundled_fonts
    from desktop.ui.main_window import MainWindow
    from tests.tasklist_fixtures import own_headings_list

    register_bundled_fonts()
    install_translations(app)
    screen = app.primaryScreen().size()
    size = f"{screen.width()}x{screen.height()}"

    def wait(condition, timeout_s: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout_s
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def settle() -> None:
        for _ in range(40):
            app.processEvents()
            time.sleep(0.02)

    window = MainWindow(settings())
    window.move(0, 0)
    window.show()
    window.open_archive(work / "档案", create=True)
    wait(lambda: not window.table_loading)
    ledger = window.show_ledger()
    assert ledger is not None
    wait(lambda: not ledger.loading)
    listed = own_headings_list(work / "高新区创建全国文明城市任务分解表.xlsx")
    dialog = ledger.choose_task_list(listed)
    assert dialog is not None
    wait(lambda: dialog.parsed is not None)
    dialog.resize(min(1300, screen.width() - 40), min(700, screen.height() - 60))
    dialog.move(20, 20)
    dialog.raise_()
    dialog.activateWindow()
    settle()
    app.primaryScreen().grabWindow(0).save(str(HERE / f"task-import-mapping-{size}.png"))
    dialog.close()
    ledger.close()
    settle()
    window.close()
    print(f"saved to {HERE}")


if __name__ == "__main__":
    main()
