"""Screenshots of 红线标注 (issue 19, item 1), offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/take_marks_screens.py

docs/screenshots/marks-viewer-1366x768.png: the main window showing a PDF page with two marked
passages (red lines under the text) and a third passage being chosen with the mouse.
docs/screenshots/marks-export-page.png: the same page of the export's marked copy
(…-标注.pdf), rendered by PyMuPDF at 1.5×."""

from __future__ import annotations

import os
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
VIEWER = ROOT / "docs" / "screenshots" / "marks-viewer-1366x768.png"
EXPORTED = ROOT / "docs" / "screenshots" / "marks-export-page.png"
CLERK = "张经办"
PARAGRAPHS = [
    "为深入推进全国文明城市创建工作，规范市民交通出行行为，决定在全市主要路口开展文明交通劝导行动。",
    "一、工作目标。通过劝导行动，全市主要路口行人闯红灯、机动车不礼让斑马线等不文明交通行为明显减少，"
    "市民文明交通意识明显提升。",
    "二、工作措施。每周组织志愿者上路劝导不少于三次，每次不少于两小时；劝导情况逐次登记，"
    "照片和记录纳入创建工作台账。",
    "三、保障措施。各责任单位明确一名联络员，所需经费列入年度预算，市文明办每月通报劝导情况。",
]


def _passage(glyphs, start: str, end: str):  # type: ignore[no-untyped-def]
    from desktop.core.materials import marks

    text = "".join(g.char for g in glyphs)
    a = text.index(start)
    b = text.index(end, a) + len(end) - 1
    centre = [((g.rect[0] + g.rect[2]) / 2, (g.rect[1] + g.rect[3]) / 2) for g in glyphs]
    return marks.select(glyphs, centre[a], centre[b])


def main() -> int:
    import pymupdf
    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.export import bag
    from desktop.core.export.plan import archive_rules, make_plan
    from desktop.core.materials import marks
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import get_material, update_material
    from desktop.core.review import keys, roster
    from desktop.demo.samples import make_pdf
    from tests.gui.take_transfer_screens import settle

    base = Path(tempfile.mkdtemp(prefix="zicha-marks-shot-"))
    os.environ["ZICHA_HOME"] = str(base / "home")
    root = base / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "03.01", "规范市民文明行为")
        roster.add_person(archive, CLERK, "市文明办", ["clerk"], keys.new_key(CLERK, "口令-截图用"))
        pdf = base / "文明交通劝导行动方案.pdf"
        make_pdf(pdf, "文明交通劝导行动方案", PARAGRAPHS, issuer="××市文明办",
                 doc_number="×文明办〔2024〕12号")
        [row] = import_paths(archive, [pdf], ImportOptions(codes=["03.01"]))
        update_material(archive, row.id, {"title": "文明交通劝导行动方案",
                                          "department": "市文明办", "material_date": "2024-05-20",
                                          "material_type": "方案计划"})
        sha = get_material(archive, row.id).files[0].sha256
        layout = marks.page_layout(archive.store.path_for(sha), "pdf", 0)
        for start, end in (("每周组织志愿者", "不少于两小时"), ("所需经费", "年度预算")):
            chosen = _passage(layout.glyphs, start, end)
            assert chosen is not None
            marks.add_mark(archive, row.id, sha, 1, chosen.text, chosen.rects, actor=CLERK)
        out = base / "导出.zip"
        bag.write_export(archive, make_plan(archive, archive_rules(archive), all_stages=True),
                         out)
    with zipfile.ZipFile(out) as z:
        [name] = [n for n in z.namelist() if n.endswith("-标注.pdf")]
        data = z.read(name)
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        clip = pymupdf.Rect(0, 0, page.rect.width, page.rect.height * 0.62)
        EXPORTED.parent.mkdir(parents=True, exist_ok=True)
        page.get_pixmap(matrix=pymupdf.Matrix(1.5, 1.5), clip=clip).save(str(EXPORTED))
    print(f"{EXPORTED}: page 1 of {name}")

    app = QApplication(sys.argv)
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    window.resize(1366, 768)
    window.show()
    window.open_archive(root)
    while window.opening:  # the archive is opened on a worker
        app.processEvents()
    window.person_box.setCurrentIndex(window.person_box.findData(CLERK))
    window.tree.setCurrentIndex(window.tree_model.index_of("03.01"))

    def choose() -> None:
        settle(window)
        window.right_splitter.setSizes([520, 200])  # a taller viewer, as a clerk drags it
        window.table.selectRow(0)
        QTimer.singleShot(1500, drag)

    def drag() -> None:
        preview = window.preview
        preview.scroll_area.verticalScrollBar().setValue(140)
        settle(window)
        glyphs = preview._layout.glyphs
        text = "".join(g.char for g in glyphs)
        a, b = text.index("通过劝导行动"), text.index("明显减少")
        start = preview.widget_point(*_centre(glyphs[a].rect))
        end = preview.widget_point(*_centre(glyphs[b + 3].rect))
        label = preview.image_label
        QTest.mousePress(label, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(start[0]), round(start[1])))
        QTest.mouseMove(label, QPoint(round(end[0]), round(end[1])))
        QTest.mouseRelease(label, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(round(end[0]), round(end[1])))
        QTimer.singleShot(400, shoot)

    def shoot() -> None:
        settle(window)
        VIEWER.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(VIEWER))
        print(f"{VIEWER}: {len(window.preview.marks)} marks, choosing "
              f"{window.preview.selection.text if window.preview.selection else None!r}")
        app.quit()

    QTimer.singleShot(800, choose)
    app.exec()
    return 0


def _centre(rect: tuple[float, float, float, float]) -> tuple[float, float]:
    return (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2


if __name__ == "__main__":
    raise SystemExit(main())
