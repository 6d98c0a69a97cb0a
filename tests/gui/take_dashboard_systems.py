"""Screenshot of the ledger window's dashboard with three systems (the city's, 未成年人思想道德
建设 weight 20, 文明村镇 weight 10) and five lists (the city's 材料自查, 省级部门评价项目 and
创新特色, and one list of each added system), at 1366×768, offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_dashboard_systems.py [OUT.png]

Default OUT: docs/screenshots/dashboard-systems-1366x768.png. The archive is made in a
temporary folder by tests/systems_fixtures.py (the one the ledger tests use);
tests/gui/test_ledger_systems.py takes the same picture into its tmp_path.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.ui.ledger_window import LedgerWindow

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1366, 768)
OUT = ROOT / "docs" / "screenshots" / "dashboard-systems-1366x768.png"


def grab_dashboard(window: LedgerWindow, out: Path, timeout_s: float = 30.0) -> None:
    """Show `window` at 1366×768 on its dashboard, wait until its ledger is shown and laid out,
    save it to `out`."""
    from PySide6.QtWidgets import QApplication

    window.resize(*SIZE)
    window.show()
    window.tabs.setCurrentWidget(window.dashboard)
    end = time.monotonic() + timeout_s
    while window.loading and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)
    if window.loading:
        raise TimeoutError(f"the ledger did not load in {timeout_s:.0f} s")
    for _ in range(10):  # the layout settles (the chart fits the room it got)
        QApplication.processEvents()
        time.sleep(0.02)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"could not write {out}")


def main(out: Path = OUT) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="zicha-dashboard-shot-"))
    os.environ.update(HOME=str(work), ZICHA_HOME=str(work / "home"),
                      XDG_DATA_HOME=str(work / "data"), ZICHA_USER="管理员戊")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from desktop.core.archive.archive import Archive
    from desktop.ui.app import install_translations
    from desktop.ui.fonts import register_bundled_fonts
    from desktop.ui.ledger_window import LedgerWindow
    from tests.systems_fixtures import TODAY, build_systems_archive

    register_bundled_fonts()
    install_translations(app)
    build_systems_archive(work / "档案", work / "home", work / "files")
    with Archive.open(work / "档案") as archive:
        window = LedgerWindow(archive, "管理员戊")
        window.today = TODAY
        window.reload()
        grab_dashboard(window, out)
        window.close()
    print(f"saved {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
