"""Screenshot of the main window over 50,000 materials (issue 20), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_window_50k.py

docs/screenshots/window-50000-1366x768.png: 全部材料 sorted by 材料名称, scrolled to the middle
of the table, a material selected; the table reads only the rows around those shown."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "window-50000-1366x768.png"
N = 50_000


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from tests.bulk_archive import fill

    base = Path(tempfile.mkdtemp(prefix="zicha-50k-shot-"))
    os.environ["ZICHA_HOME"] = str(base / "home")
    root = fill(base / "档案", N)
    app = QApplication(sys.argv)
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow
    from desktop.ui.models import MaterialTableModel

    window = MainWindow(settings())
    window.resize(1366, 768)
    window.show()

    def wait(done) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + 60
        while not done() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    window.open_archive(root)
    while window.opening:  # the archive is opened on a worker
        app.processEvents()
    wait(lambda: not window.table_loading)
    window.table.sortByColumn(MaterialTableModel.TITLE, Qt.SortOrder.AscendingOrder)
    wait(lambda: not window.table_loading)
    bar = window.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = window.table.rowAt(window.table.viewport().height() // 2)
    wait(lambda: window.proxy.index(middle, 0).data() is not None)
    window.table.selectRow(middle)
    wait(lambda: window.editor.material_id is not None)
    settle = time.monotonic() + 1.5
    wait(lambda: time.monotonic() > settle)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(OUT)):
        raise OSError(f"could not save {OUT}")
    print(f"saved {OUT}; the model holds {window.table_model.held_rows()} of "
          f"{window.table_model.rowCount()} rows")
    window.close_archive()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
