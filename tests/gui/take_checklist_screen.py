"""Screenshot of the 材料清单 on a 测评内容 (issue 19, item 2), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_checklist_screen.py

docs/screenshots/item-checklist-1366x768.png: the main window on a 测评内容 whose 测评标准
asks for a 工作方案, 会议记录, two captioned 活动图片, a 总结报告 and a 说明报告: the plan is
there, one photo is captioned in full and one lacks 背景/事由, the rest is missing; the
checklist under the tree says so."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "item-checklist-1366x768.png"
CRITERION = ("工作方案、会议记录、活动图片2张以上（注明时间、地点、人物、主题、背景、事由）、"
             "总结报告；说明报告300字")


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.demo.samples import make_pdf, make_photo

    base = Path(tempfile.mkdtemp(prefix="zicha-checklist-shot-"))
    os.environ["ZICHA_HOME"] = str(base / "home")
    root = base / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想", CRITERION)
        add_item(archive, "01.02", "强化中国特色社会主义和中国梦学习宣传教育")
        plan = make_pdf(base / "理论学习工作方案.pdf", "理论学习工作方案",
                        ["一、学习内容", "二、学习安排"])
        photos = [make_photo(base / f"宣讲{n}.jpg", f"理论宣讲进社区（{n}）", seed=n)
                  for n in (1, 2)]
        rows = list(import_paths(archive, [plan, *photos], ImportOptions(codes=["01.01"])))
        caption = {"时间": "2024年5月1日", "地点": "市民广场", "人物": "市宣讲团成员",
                   "主题": "理论宣讲进社区", "背景": "创建全国文明城市", "事由": "宣讲党的创新理论"}
        update_material(archive, rows[1].id, {"caption": caption})
        update_material(archive, rows[2].id, {"caption": {**caption, "背景": "", "事由": ""}})

    app = QApplication(sys.argv)
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    window.resize(1366, 768)
    window.show()
    window.open_archive(root)
    while window.opening:  # the archive is opened on a worker
        app.processEvents()

    def choose() -> None:
        window.checklist_panel.shown.connect(lambda _c: QTimer.singleShot(400, shoot))
        window.tree.setCurrentIndex(window.tree_model.index_of("01.01"))

    def shoot() -> None:
        window.grab().save(str(OUT))
        app.quit()

    QTimer.singleShot(800, choose)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
