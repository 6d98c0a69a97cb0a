"""Screenshots of 报送包 in the window (issue 16) on a 1366×768 screen, offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_transfer_screens.py [OUT_DIR]

docs/screenshots/transfer-send-1366x768.png: 报送到创文办 at 市公安局 after its first package was
written (what it carried); docs/screenshots/transfer-inbox-1366x768.png: the city's 报送包收件箱
after applying three files — the first package (added, and a conflict: the same file the city
holds under another 测评内容), a tampered copy of the second (refused, named), the second (one
material updated). Each dialog is drawn over the main window it belongs to, as on the screen.
The archives are made in a temporary folder by tests/gui/transfer_bureau.py (the one the window
tests use); every step goes through the window's actions and buttons."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1366, 768)


def wait(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(window: Any) -> None:
    """The write lane idle, the table loaded, everything laid out and painted."""
    from PySide6.QtWidgets import QApplication

    wait(lambda: not window.ops.busy and not window.table_loading)
    for _ in range(20):
        QApplication.processEvents()
        time.sleep(0.01)


def on_screen(window: Any, dialog: Any, out: Path) -> None:
    """The main window at 1366×768 with `dialog` centred over it, framed, saved as `out`."""
    from PySide6.QtCore import QPoint, QRect, Qt
    from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

    settle(window)
    screen = window.grab()
    body = dialog.grab()
    bar = 28  # offscreen windows have no frame: the dialog's title bar, drawn
    picture = QPixmap(body.width(), body.height() + bar)
    picture.fill(QColor("#eceff1"))
    frame = QPainter(picture)
    frame.drawPixmap(0, bar, body)
    frame.setPen(QColor("#212121"))
    frame.drawText(QRect(10, 0, body.width() - 20, bar),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   dialog.windowTitle())
    frame.setPen(QColor("#b0bec5"))
    frame.drawLine(0, bar - 1, body.width(), bar - 1)
    frame.end()
    at = QPoint((screen.width() - picture.width()) // 2,
                (screen.height() - picture.height()) // 2)
    painter = QPainter(screen)
    painter.fillRect(screen.rect(), QColor(0, 0, 0, 60))  # the window behind, dimmed
    painter.fillRect(picture.rect().translated(at + QPoint(4, 4)), QColor(0, 0, 0, 70))
    painter.drawPixmap(at, picture)
    painter.setPen(QPen(QColor("#616161"), 1))
    painter.drawRect(picture.rect().translated(at).adjusted(-1, -1, 0, 0))
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not screen.save(str(out)):
        raise OSError(f"could not save {out}")
    print(f"saved {out} ({screen.width()}×{screen.height()})")


def open_as(window: Any, root: Path, person: str) -> None:
    assert window.open_archive(root)
    window.person_box.setCurrentIndex(window.person_box.findData(person))
    settle(window)


def send(window: Any, city_id: str, out: Path) -> Any:
    """报送到创文办 through its action and buttons; the dialog, its package written."""
    from tests.gui.transfer_bureau import PASS

    window.send_transfer_action.trigger()
    dialog = window._send_dialog
    dialog.resize(760, 560)
    dialog.city.setText(city_id)
    dialog.ask_save_path = lambda _suggested: out
    dialog.choose_button.click()
    window.review_panel.ask_passphrase = lambda _name: PASS
    sent: list[Any] = []
    dialog.sent.connect(sent.append)
    dialog.failed.connect(lambda message: sys.exit(f"not sent: {message}"))
    dialog.send_button.click()
    wait(lambda: bool(sent))
    return dialog


def main(out_dir: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="zicha-transfer-shot-"))
    os.environ.update(HOME=str(work), ZICHA_HOME=str(work / "bureau" / "home"),
                      XDG_DATA_HOME=str(work / "data"), ZICHA_USER="创文办主任")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from desktop.core.materials.service import list_materials, update_material
    from desktop.core.review import decisions, keys
    from desktop.ui.app import install_translations, settings
    from desktop.ui.fonts import register_bundled_fonts
    from desktop.ui.main_window import MainWindow
    from tests.gui.transfer_bureau import PASS, build_bureau, tampered_copy

    register_bundled_fonts()
    install_translations(app)
    bureau = build_bureau(work / "bureau", extra=4)
    packages = work / "U盘"
    window = MainWindow(settings())
    window.show()
    window.resize(*SIZE)

    # the department: its first package, shown
    open_as(window, bureau.department, "公安经办")
    first = packages / "报送包-市公安局-第1次.zip"
    dialog = send(window, bureau.city_id, first)
    on_screen(window, dialog, out_dir / "transfer-send-1366x768.png")
    dialog.close()

    # a title corrected at the department: the second package carries only that
    [notice] = [m for m in list_materials(window.archive) if m.title == "交通秩序整治情况通报"]
    key = keys.load_private("公安初审", PASS)
    decisions.decide(window.archive, notice.id, "公安初审", "reject", "标题应写明季度", key)
    update_material(window.archive, notice.id, {"title": "交通秩序整治情况通报（第二季度）"},
                    actor="公安经办")
    decisions.submit(window.archive, [notice.id], "公安经办")
    second = packages / "报送包-市公安局-第2次.zip"
    send(window, bureau.city_id, second).close()
    tampered = tampered_copy(second, packages / "报送包-市公安局-第2次（U盘复制出错）.zip")

    # the city: the three files applied one after another in its inbox
    open_as(window, bureau.city, "创文办主任")
    window.transfer_inbox_action.trigger()
    inbox = window._inbox
    inbox.resize(1240, 660)
    wait(lambda: not inbox.loading)
    inbox.ask_open_paths = lambda: [first, tampered, second]
    done: list[Any] = []
    inbox.batch_done.connect(done.append)
    inbox.apply_button.click()
    wait(lambda: bool(done) and not inbox.loading)
    on_screen(window, inbox, out_dir / "transfer-inbox-1366x768.png")
    for tab, name in ((0, "received"), (2, "conflicts")):  # looked at, not kept
        inbox.tabs.setCurrentIndex(tab)
        on_screen(window, inbox, work / f"transfer-{name}-1366x768.png")
    inbox.close()
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
