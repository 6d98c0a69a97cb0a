"""Screenshots of 报送包 and 下发包 in the window (issue 16) on a 1366×768 screen, offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_transfer_screens.py [OUT_DIR]

- transfer-send-1366x768.png: 报送到创文办 at 市公安局 after its first package was written;
- transfer-inbox-1366x768.png and transfer-inbox-conflict.png: the city's inbox after applying
  a tampered copy of the department's second package (refused, named) and the package itself
  (two materials updated, two conflicts: the city passed 复审 on a material the department
  returned and renamed, and the department deleted one the city holds), the first conflict
  chosen with its note in full;
- transfer-conflicts.png: the 冲突 tab, the first package's conflict settled (保留本档案的, the
  result line), the `decided` one chosen with 保留本档案的 / 采用对方的 / 两者都保留;
- transfer-dispatch.png: 下发到单位 after the city's 下发包 for 市公安局 was written (the
  city returned one material, passed another);
- transfer-dispatch-round.png: 下发到单位 after 给每个单位各写一个… wrote the next round (one
  more decision) into a folder;
- transfer-received.png: 市公安局's inbox after applying that 下发包: the return and its reason.

Each dialog is drawn over the main window it belongs to, as on the screen. The archives are
made in a temporary folder by tests/gui/transfer_bureau.py (the one the window tests use);
the first package is applied with the core, everything shown goes through the window's
actions and buttons."""

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
    wait(lambda: not window.opening and window.archive is not None)  # opened on a worker
    window.person_box.setCurrentIndex(window.person_box.findData(person))
    assert window.current_person == person
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
    from desktop.core.archive.archive import Archive
    from desktop.core.materials.service import list_materials
    from desktop.core.review import decisions, keys
    from desktop.ui.app import install_translations, settings
    from desktop.ui.fonts import register_bundled_fonts
    from desktop.ui.main_window import MainWindow
    from tests.gui.transfer_bureau import (
        PASS,
        RECORD,
        build_bureau,
        city_applies,
        city_reviews,
        department_changes,
        tampered_copy,
    )

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
    window.close_archive()

    # the city takes the first package and passes 复审 on the 活动记录; meanwhile the
    # department returns and renames it, deletes the 通报 and passes 初审 on two 附件
    city_applies(bureau, first)
    city_reviews(bureau, RECORD, "approve", "复审同意")
    department_changes(bureau)
    with Archive.open(bureau.department) as dept:
        key = keys.load_private("公安初审", PASS)
        for m in list_materials(dept):
            if m.title.endswith(("第1份", "第2份")):
                decisions.decide(dept, m.id, "公安初审", "approve", "初审同意", key)
    open_as(window, bureau.department, "公安经办")
    second = packages / "报送包-市公安局-第2次.zip"
    send(window, bureau.city_id, second).close()
    window.close_archive()
    tampered = tampered_copy(second, packages / "报送包-市公安局-第2次（U盘复制出错）.zip")

    # the city: the two files applied one after another in its inbox
    open_as(window, bureau.city, "创文办主任")
    window.transfer_inbox_action.trigger()
    inbox = window._inbox
    inbox.resize(1240, 660)
    wait(lambda: not inbox.loading)
    inbox.ask_open_paths = lambda: [tampered, second]
    done: list[Any] = []
    inbox.batch_done.connect(done.append)
    inbox.apply_button.click()
    wait(lambda: bool(done) and not inbox.loading)
    on_screen(window, inbox, out_dir / "transfer-inbox-1366x768.png")
    on_screen(window, inbox, out_dir / "transfer-inbox-conflict.png")

    # the 冲突 tab: the first package's conflict kept, the `decided` one chosen
    inbox.tabs.setCurrentIndex(2)
    inbox.ask_confirm = lambda _title, _text: True
    resolved: list[Any] = []
    inbox.resolved.connect(resolved.append)
    inbox.resolve_failed.connect(lambda message: sys.exit(f"not resolved: {message}"))
    inbox.conflicts.selectRow(0)
    inbox.keep_button.click()
    wait(lambda: bool(resolved))
    decided = [n for n in range(inbox.conflicts.rowCount())
               if inbox.conflicts.item(n, 3).text() == "本档案已审核，对方又改动"]
    inbox.conflicts.selectRow(decided[0])
    on_screen(window, inbox, out_dir / "transfer-conflicts.png")
    inbox.close()
    settle(window)

    # the city returns one 附件 at 复审 and sends its decisions down
    window.close_archive()
    city_reviews(bureau, "文明创建工作台账附件第1份", "reject", "请补充活动现场照片")
    open_as(window, bureau.city, "创文办主任")
    window.dispatch_transfer_action.trigger()
    dispatch = window._dispatch_dialog
    dispatch.resize(900, 660)
    wait(lambda: not dispatch.loading)
    dispatch.table.selectRow(0)
    down = packages / "下发包-市公安局-第1次.zip"
    dispatch.ask_save_path = lambda _suggested: down
    dispatch.choose_button.click()
    window.review_panel.ask_passphrase = lambda _name: PASS
    written: list[Any] = []
    dispatch.sent.connect(written.append)
    dispatch.failed.connect(lambda message: sys.exit(f"not written: {message}"))
    dispatch.write_button.click()
    wait(lambda: bool(written) and not dispatch.loading)
    on_screen(window, dispatch, out_dir / "transfer-dispatch.png")
    dispatch.close()

    # a later decision, then one round for every department that reported
    window.close_archive()
    city_reviews(bureau, "文明创建工作台账附件第2份", "reject", "请补充签到表")
    open_as(window, bureau.city, "创文办主任")
    window.dispatch_transfer_action.trigger()
    dispatch = window._dispatch_dialog
    dispatch.resize(900, 660)
    wait(lambda: not dispatch.loading)
    round_folder = packages / "本轮下发"
    round_folder.mkdir()
    dispatch.ask_folder = lambda: round_folder
    written.clear()
    dispatch.sent.connect(written.append)
    dispatch.failed.connect(lambda message: sys.exit(f"not written: {message}"))
    dispatch.round_button.click()
    wait(lambda: bool(written) and not dispatch.loading)
    on_screen(window, dispatch, out_dir / "transfer-dispatch-round.png")
    dispatch.close()

    # the department applies it in its inbox
    open_as(window, bureau.department, "公安经办")
    window.transfer_inbox_action.trigger()
    inbox = window._inbox
    inbox.resize(1240, 660)
    wait(lambda: not inbox.loading)
    inbox.ask_open_paths = lambda: [down]
    done.clear()
    inbox.batch_done.connect(done.append)
    inbox.apply_button.click()
    wait(lambda: bool(done) and not inbox.loading)
    returned = inbox.report.topLevelItem(0).child(0).child(0)  # the return, its reason in full
    inbox.report.setCurrentItem(returned)
    on_screen(window, inbox, out_dir / "transfer-received.png")
    inbox.tabs.setCurrentIndex(0)  # looked at, not kept
    on_screen(window, inbox, work / "transfer-received-list.png")
    inbox.close()
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
