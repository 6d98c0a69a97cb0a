"""Screenshot of 各单位报送 in the ledger window (issue 16, item 6), needs Xvfb:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/gui/take_departments_screen.py

docs/screenshots/ledger-departments-1366x768.png: the city after one department's 报送包 (with a
conflict), a task list naming two more departments, the reminder of who has not reported."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "ledger-departments-1366x768.png"


def main() -> int:
    import openpyxl
    from PySide6.QtCore import QDate, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.core.archive.archive import Archive
    from desktop.core.ledger import tasks
    from desktop.core.review import keys
    from desktop.core.transfer.merge import apply_transfer
    from desktop.core.transfer.send import export_transfer
    from tests.gui.transfer_bureau import DEPARTMENT, PASS, build_bureau

    base = Path(tempfile.mkdtemp(prefix="zicha-departments-shot-"))
    os.environ["ZICHA_HOME"] = str(base / "bureau" / "home")
    bureau = build_bureau(base / "bureau", extra=6)
    os.environ["ZICHA_USER"] = "公安经办"
    with Archive.open(bureau.department) as dept:
        export_transfer(dept, bureau.city_id, base / "报送包.zip", actor="公安经办",
                        unlock=lambda: keys.load_private("公安经办", PASS))
    with Archive.open(bureau.city) as city:
        apply_transfer(city, base / "报送包.zip", actor="创文办主任")
        book = openpyxl.Workbook()
        book.active.append(["测评项目", "测评内容", "牵头单位", "完成时限"])
        for dept_name, deadline in ((DEPARTMENT, "2024-01-31"), ("市教育局", "2099-12-31"),
                                    ("市城市管理局", "2024-03-31"), ("市卫健委", "2099-06-30")):
            book.active.append(["01 理想信念教育", "深入学习宣传", dept_name, deadline])
        book.save(base / "清单.xlsx")
        tasks.import_tasks(city, base / "清单.xlsx")

    app = QApplication(sys.argv)
    from desktop.ui.app import settings
    from desktop.ui.ledger_window import LedgerWindow

    settings()
    with Archive.open(bureau.city) as city:
        window = LedgerWindow(city, "创文办主任")
        window.resize(1366, 740)
        window.show()

        def shoot() -> None:
            if window.loading:
                QTimer.singleShot(200, shoot)
                return
            window.tabs.setCurrentIndex(window.department_tab)
            window.reminder_since.setDate(QDate.currentDate().addDays(-7))
            QTimer.singleShot(300, lambda: (window.grab().save(str(OUT)), app.quit()))

        QTimer.singleShot(500, shoot)
        app.exec()
    print(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
