"""What the GUI thread runs when the other windows and dialogs open (issue 20 item 2).

    .venv/bin/python bench/dialogs_bench.py ARCHIVE --work /tmp/zicha-dialogs

ARCHIVE is copied into --work once (the bench writes to its copy: a roster with an admin, a
task list, a problem); the copy is reused while its marker is there. The real MainWindow
(offscreen) opens it; then each dialog is opened through its QAction (`trigger()`) and waited
for until it shows its data. Per dialog the bench prints the wall time, the longest event-loop
gap (window_bench's 10 ms timer) and every SQL statement the GUI thread ran (an engine hook,
with its duration and the frames of our code that ran it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package

from window_bench import GuiThreadTrace, LagMeter, StallWatch, log, wait_until  # noqa: E402

ADMIN, PASS = "管理员甲", "bench-pass-1"


def prepare(source: Path, work: Path) -> Path:
    """A copy of `source` with a roster, a task list and a problem (once)."""
    root = work / "archive"
    marker = work / "dialogs-ready"
    if marker.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    work.mkdir(parents=True, exist_ok=True)
    log(f"copying {source} to {root}")
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("zicha.lock*"))
    import openpyxl

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import nodes
    from desktop.core.ledger import problems, tasks
    from desktop.core.review import keys, roster

    with Archive.open(root) as archive:
        roster.add_person(archive, ADMIN, "市文明办", ["admin", "clerk"], keys.new_key(ADMIN, PASS))
        for n in range(30):
            roster.add_person(archive, f"经办人{n:02d}", f"单位{n % 10}", ["clerk"],
                              keys.new_key(f"经办人{n:02d}", PASS), actor=ADMIN)
        tree = nodes(archive)
        names = {n.code: n.name for n in tree}
        items = [n for n in tree if n.parent_code]
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
        serial = 0
        for node in items:
            for d in range(5):
                serial += 1
                sheet.append([serial, names[node.parent_code or ""], node.name, f"单位{d}",
                              "2026-12-31"])
        xlsx = work / "任务清单.xlsx"
        book.save(str(xlsx))
        tasks.import_tasks(archive, xlsx, actor=ADMIN)
        problems.add_problem(archive, items[0].code, "宣传栏破损", ADMIN)
    marker.write_text("1")
    return root


def drive(root: Path, work: Path, skip: tuple[str, ...] = (), stacks: bool = False) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import settle_heap
    from desktop.ui.ledger_window import LedgerWindow
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(work / "bench-settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(1366, 768)
    window.show()
    settle_heap()  # as desktop.ui.app.run does once the window is up
    trace = GuiThreadTrace()
    meter = LagMeter()
    if stacks:
        StallWatch(meter)
    window.open_archive(root)
    wait_until(app, lambda: window.archive is not None and not window.table_loading)
    window.person_box.setCurrentIndex(max(0, window.person_box.findData(ADMIN)))
    wait_until(app, lambda: not window.detail_loading)
    shown: dict[str, object] = {}
    for name in ("ledger_shown", "people_shown", "systems_shown", "export_dialog_shown",
                 "conclusion_shown", "transfer_send_shown", "transfer_inbox_shown",
                 "transfer_dispatch_shown"):
        getattr(window, name).connect(lambda d, name=name: shown.__setitem__(name, d))

    def step(name: str, act: Callable[[], object], done: Callable[[], bool]) -> None:
        if any(name.startswith(s) for s in skip):
            return
        app.processEvents()
        meter.reset()
        trace.begin(name)
        started = time.perf_counter()
        act()
        wait_until(app, done, timeout=300)
        wall = time.perf_counter() - started
        app.processEvents()
        meter.timer.stop()
        meter.running = False
        trace.begin("")
        log(f"  {name}: {wall:.2f} s, longest gap {meter.worst * 1000:.0f} ms, "
            f"{meter.stalls} stalls over 100 ms")
        trace.report(name)

    def dialog(key: str) -> object:
        return shown.get(key)

    def not_loading(key: str, extra: Callable[[object], bool] = lambda _d: True
                    ) -> Callable[[], bool]:
        def done() -> bool:
            d = dialog(key)
            return (d is not None and not getattr(d, "loading", False)
                    and not getattr(d, "busy", False) and extra(d))
        return done

    def close(key: str) -> None:
        d = shown.pop(key, None)  # (None: its step was skipped)
        if d is not None:
            d.close()  # type: ignore[attr-defined]
            app.processEvents()

    step("台账 window", window.ledger_action.trigger, not_loading("ledger_shown"))
    ledger = dialog("ledger_shown")
    if isinstance(ledger, LedgerWindow):
        ledger.tabs.setCurrentWidget(ledger.problem_page)
        step("台账: select a problem", lambda: ledger.problem_table.selectRow(0),
             lambda: ledger.problem_table.currentRow() == 0 and not ledger.loading)
        step("台账: 刷新", ledger.reload, lambda: not ledger.loading)
    close("ledger_shown")
    step("人员与密钥", window.people_action.trigger,
         not_loading("people_shown", lambda d: d.table.rowCount() > 0))  # type: ignore[attr-defined]
    close("people_shown")
    step("测评体系", window.systems_action.trigger,
         not_loading("systems_shown", lambda d: d.table.rowCount() > 0))  # type: ignore[attr-defined]
    close("systems_shown")
    step("导出申报材料", window.export_action.trigger,
         not_loading("export_dialog_shown", lambda d: d.plan is not None))  # type: ignore[attr-defined]
    close("export_dialog_shown")
    item = next(c for c in window._nodes if window._nodes[c].parent_code)
    panel = window.checklist_panel
    step("select a 测评内容 (材料清单 panel)",
         lambda: window.tree.setCurrentIndex(window.tree_model.index_of(item)),
         lambda: not window.table_loading and panel.current is not None
         and panel.current.code == item and not panel.loading)
    wait_until(app, lambda: not window.table_loading)
    requirements: list[object] = []
    panel.dialog_shown.connect(requirements.append)
    step("材料要求…", panel.set_button.click, lambda: bool(requirements))
    for d in requirements:
        d.close()  # type: ignore[attr-defined]
    step("结论性说明", window.conclusion_action.trigger,
         lambda: dialog("conclusion_shown") is not None
         and dialog("conclusion_shown").save_button.isEnabled())  # type: ignore[attr-defined]
    close("conclusion_shown")
    step("报送到创文办", window.send_transfer_action.trigger, not_loading(
        "transfer_send_shown", lambda d: d.person.count() > 0))  # type: ignore[attr-defined]
    close("transfer_send_shown")
    step("报送包收件箱", window.transfer_inbox_action.trigger, not_loading("transfer_inbox_shown"))
    close("transfer_inbox_shown")
    step("下发到单位", window.dispatch_transfer_action.trigger,
         not_loading("transfer_dispatch_shown"))
    close("transfer_dispatch_shown")

    def open_then_close(action, key: str) -> Callable[[], None]:  # type: ignore[no-untyped-def]
        def act() -> None:
            action.trigger()
            app.processEvents()
            close(key)  # closed while it is still reading
            pause[:] = [time.perf_counter() + 1.0]
        return act

    pause = [0.0]
    step("台账 closed while loading", open_then_close(window.ledger_action, "ledger_shown"),
         lambda: time.perf_counter() > pause[0])
    step("导出 closed while planning",
         open_then_close(window.export_action, "export_dialog_shown"),
         lambda: time.perf_counter() > pause[0])
    window.close_archive()
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/zicha-dialogs"))
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out the dialogs whose name starts with this")
    parser.add_argument("--stacks", action="store_true",
                        help="print where the GUI thread is during each stall")
    args = parser.parse_args(argv)
    os.environ.setdefault("ZICHA_HOME", str(args.work / "home"))
    root = prepare(args.archive, args.work)
    drive(root, args.work, tuple(args.skip), args.stacks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
