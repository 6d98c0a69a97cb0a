"""Screenshots of two indicator systems in the window (issue 15, item 4), needs Xvfb:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/gui/take_systems_screens.py

docs/screenshots/tree-systems-1366x768.png: the main window, the city system and
未成年人思想道德建设 (W, 20 %) as top-level rows of the tree, W's materials listed;
docs/screenshots/task-import-new-category-1366x768.png: the task-import dialog's mapping step
with W chosen and "新建测评项目" for the list's headings. The archive is made in a temp folder."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
W_NAME = "全国未成年人思想道德建设工作测评体系"


def build(root: Path, files: Path) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.archive.systems import add_category, create_system
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.demo.samples import make_pdf

    with Archive.create(root) as archive:
        add_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
        add_item(archive, "02.01", "推进诚信建设制度化")
        add_item(archive, "03.01", "规范市民文明行为")
        create_system(archive, W_NAME, prefix="W", weight=20, edition="2023")
        for name in ("思想道德教育", "校外活动场所建设", "家庭教育"):
            add_category(archive, "W", name)
        add_item(archive, "W01.01", "开展理想信念教育主题活动")
        add_item(archive, "W01.02", "组织新时代好少年学习宣传")
        add_item(archive, "W02.01", "乡村学校少年宫建设使用")
        add_item(archive, "W03.01", "建设家长学校")
        shelf = [
            ("市委理论学习中心组学习计划", ["01.01"], "市委宣传部", "2024-03-01"),
            ("诚信建设工作方案", ["02.01"], "市发展改革委", "2024-04-12"),
            ("文明交通劝导行动总结", ["03.01"], "市公安局", "2024-05-20"),
            ("“新时代好少年”主题教育活动方案", ["W01.01"], "市教育局", "2024-03-15"),
            ("好少年先进事迹宣传报道汇编", ["W01.02"], "团市委", "2024-06-01"),
            ("乡村学校少年宫活动记录", ["W02.01"], "市教育局", "2024-05-08"),
            ("家长学校授课计划与签到表", ["W03.01"], "市妇联", "2024-04-22"),
            ("未成年人志愿服务活动照片说明", ["03.01", "W01.01"], "市文明办", "2024-06-10"),
        ]
        for title, codes, department, day in shelf:
            path = make_pdf(files / f"{title}.pdf", title, [f"{title}。"])
            [row] = list(import_paths(archive, [path], ImportOptions(codes=codes)))
            update_material(archive, int(row.id or 0), {
                "title": title, "department": department, "material_date": day,
                "material_type": "方案计划" if "方案" in title or "计划" in title else "活动记录"})


def task_list(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务分解表"
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "配合单位", "完成时限"])
    rows = [
        ("一、思想道德教育", "开展理想信念教育主题活动", "市教育局", "团市委", "2025年6月底"),
        ("一、思想道德教育", "组织新时代好少年学习宣传", "市文明办", "市教育局", "每季度"),
        ("二、校外活动场所建设", "乡村学校少年宫建设使用", "市教育局", "", "长期坚持"),
        ("三、家庭教育", "建设家长学校", "市妇联", "市教育局", "2025.12.31"),
        ("四、未成年人网络环境治理", "净化网络文化环境", "市委网信办", "市公安局", "常态化"),
        ("五、心理健康教育", "建设心理健康辅导室", "市卫生健康委", "市教育局", "2025年9月底"),
    ]
    for n, row in enumerate(rows, 1):
        sheet.append([n, *row])
    book.save(path)
    return path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="zicha-systems-shots-"))
    os.environ.update(HOME=str(work), ZICHA_HOME=str(work / "home"),
                      XDG_DATA_HOME=str(work / "data"))
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from desktop.ui.app import install_translations, settings
    from desktop.ui.fonts import register_bundled_fonts
    from desktop.ui.main_window import MainWindow
    from desktop.ui.models import system_key
    from desktop.ui.task_import import NEW_CATEGORY

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
        app.primaryScreen().grabWindow(0).save(str(OUT / f"{name}-{size}.png"))

    root = work / "档案"
    build(root, work / "files")
    window = MainWindow(settings())
    window.move(0, 0)
    window.show()
    window.open_archive(root)
    while window.opening:  # the archive is opened on a worker
        app.processEvents()
    wait(lambda: not window.table_loading)
    window.tree.setCurrentIndex(window.tree_model.index_of(system_key("bureau-w")))
    window.tree.expand(window.tree_model.index_of("W01"))
    wait(lambda: not window.table_loading)
    window.table.selectRow(0)
    wait(lambda: window.editor.material_id is not None)
    shot("tree-systems")

    ledger = window.show_ledger()
    assert ledger is not None
    wait(lambda: not ledger.loading)
    dialog = ledger.choose_task_list(task_list(work / "未成年人思想道德建设任务分解表.xlsx"))
    assert dialog is not None
    wait(lambda: not dialog.busy and dialog.parsed is not None)
    dialog.list_kind.setEditText("未成年人思想道德建设")
    wait(lambda: not dialog.busy and dialog.parsed is not None)
    dialog.system_box.setCurrentIndex(dialog.system_box.findData("bureau-w"))
    wait(lambda: not dialog.busy and dialog.parsed is not None)
    for box in dialog.category_boxes:
        if not box.currentData():
            box.setCurrentIndex(box.findData(NEW_CATEGORY))
    dialog.tabs.setCurrentWidget(dialog.mapping_page)
    dialog.resize(min(1300, screen.width() - 40), min(700, screen.height() - 60))
    dialog.move(20, 20)
    dialog.raise_()
    dialog.activateWindow()
    shot("task-import-new-category")
    dialog.close()
    ledger.close()
    window.close()
    print(f"saved to {OUT}")


if __name__ == "__main__":
    main()
