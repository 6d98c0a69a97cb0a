"""Take the screenshots in this folder from a fresh demo archive (needs a screen or Xvfb).

    DISPLAY=:99 .venv/bin/python docs/screenshots/take.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="zicha-shots-"))
    os.environ["ZICHA_HOME"] = str(work / "home")
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from desktop.core.archive.archive import Archive
    from desktop.core.materials.service import list_materials, update_material
    from desktop.core.review import decisions, keys, roster
    from desktop.core.review.package import export_package
    from desktop.demo.sample_archive import build_demo_archive
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow
    from desktop.ui.package_review import PackageReviewWindow, open_for_review

    root = work / "示例档案"
    build_demo_archive(root)
    with Archive.open(root) as archive:
        people = (("张三", "clerk"), ("李初审", "first@市文明办"), ("王复审", "second"),
                  ("赵终审", "final"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, "pw123456"))
        views = [v for v in list_materials(archive, code="01") if v.files][:4]
        ids = [v.id for v in views]
        for material_id in ids:
            update_material(archive, material_id, {"department": "市文明办"})
        decisions.submit(archive, ids, "张三")
        first = keys.load_private("李初审", "pw123456")
        second = keys.load_private("王复审", "pw123456")
        decisions.decide(archive, ids[0], "李初审", "approve", "材料齐全，同意", first)
        decisions.decide(archive, ids[0], "王复审", "reject", "缺少活动现场照片，请补充后重新提交",
                      second)
        decisions.decide(archive, ids[1], "李初审", "approve", "", first)
        package = work / "初审包.zicha-review.zip"
        export_package(archive, "first", package)
        final = keys.load_private("赵终审", "pw123456")
        done = [v.id for code in ("03", "05", "08") for v in list_materials(archive, code=code)
                if v.files]
        for material_id in done:
            update_material(archive, material_id, {"department": "市文明办"})
        decisions.submit(archive, done, "张三")
        for material_id in done:
            for name, key in (("李初审", first), ("王复审", second), ("赵终审", final)):
                decisions.decide(archive, material_id, name, "approve", "", key)

        task_list = _demo_task_list(work / "任务分解清单.xlsx")
        from desktop.core.ledger import tasks

        tasks.import_tasks(archive, task_list)
        from desktop.core.ledger import problems

        problem = problems.add_problem(archive, "03.02", "路口文明劝导岗缺少值守记录", "王复审",
                                       department="市文明办")
        problems.assign(archive, problem, "市文明办", dt.date.today() - dt.timedelta(days=2),
                        "王复审")

    app = QApplication.instance() or QApplication(sys.argv)
    task_list = work / "任务分解清单.xlsx"
    store = settings()
    window = MainWindow(store)
    window.resize(1400, 860)
    window.show()
    window.open_archive(root)
    window.person_box.setCurrentIndex(window.person_box.findData("张三"))
    window.tree.setCurrentIndex(window.tree_model.index_of("01"))
    wait(app, lambda: not window.table_loading)
    row = window.table_model.row_of(ids[0])
    window.table.selectRow(window.proxy.mapFromSource(window.table_model.index(row, 0)).row())
    window.details.setCurrentWidget(window.review_panel)
    wait(app, lambda: window.preview.page_count > 0)
    settle(app)
    window.grab().save(str(HERE / "review-history.png"))

    opened = open_for_review(package)
    reviewer = PackageReviewWindow(opened, "李初审")
    reviewer.show()
    reviewer.material_list.setCurrentRow(0)
    reviewer.comment.setPlainText("材料齐全，同意")
    reviewer.choose("approve")
    wait(app, lambda: reviewer.preview.page_count > 0)
    settle(app)
    reviewer.grab().save(str(HERE / "review-package.png"))
    reviewer.choices.clear()
    reviewer.close()

    dialog = window.show_export_dialog()
    wait(app, lambda: not dialog.planning)
    dialog.resize(1100, 760)
    dialog.tree.collapseAll()
    for n in range(dialog.tree.topLevelItemCount()):
        node = dialog.tree.topLevelItem(n)
        node.setExpanded(node.text(0).startswith(("03", "05")))
    settle(app)
    dialog.grab().save(str(HERE / "export-dialog.png"))
    dialog.ask_target = lambda _suggested, as_zip: work / "申报材料.zip"
    reports = []
    dialog.finished_export.connect(reports.append)
    dialog.start_export()
    wait(app, lambda: bool(reports), timeout_s=120)
    settle(app)
    from desktop.ui.dialogs import VerifyReportDialog

    dialog.findChild(VerifyReportDialog).grab().save(str(HERE / "export-report.png"))
    dialog.close()

    ledger = window.show_ledger()
    ledger.resize(1200, 800)
    wait(app, lambda: not ledger.loading)
    settle(app)
    ledger.grab().save(str(HERE / "task-dashboard.png"))
    ledger.tabs.setCurrentWidget(ledger.task_page)
    settle(app)
    ledger.grab().save(str(HERE / "task-table.png"))
    ledger.tabs.setCurrentWidget(ledger.problem_table)
    settle(app)
    ledger.grab().save(str(HERE / "task-problems.png"))
    importer = ledger.choose_task_list(task_list)
    wait(app, lambda: importer.parsed is not None)
    settle(app)
    importer.grab().save(str(HERE / "task-import.png"))
    importer.close()
    ledger.close()
    wait(app, lambda: window.notice.isVisible())
    settle(app)
    window.grab().save(str(HERE / "main-window-tasks.png"))
    settle(app)  # lets the closed window be deleted before the interpreter exits
    window.close()
    print(f"saved to {HERE}")


def _demo_task_list(path: Path) -> Path:
    """A task list over the demo items with deadlines around today: every colour shows."""
    import datetime as dt

    import openpyxl

    from desktop.demo import samples

    today = dt.date.today()
    departments = ("市文明办", "市委宣传部", "市教育局", "市城管局")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "配合单位", "完成时限"])
    for n, (code, name, _criterion) in enumerate(samples.DEMO_ITEMS, 1):
        deadline = today + dt.timedelta(days=(n * 11) % 70 - 15)
        sheet.append([n, f"{code[:2]} {samples.CATEGORIES[code[:2]]}", f"{code} {name}", "市文明办",
                      departments[n % 4] if n % 3 == 0 else "", deadline.isoformat()])
    book.save(path)
    return path


def wait(app, condition, timeout_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    import time

    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def settle(app) -> None:  # type: ignore[no-untyped-def]
    import time

    for _ in range(50):
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main()
