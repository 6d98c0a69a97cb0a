"""Search in the window: type, see highlighted results, open the hit's page."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PySide6.QtCore import Qt

from desktop.core.materials import texts
from desktop.demo.samples import make_pdf
from desktop.ui.search_panel import HIT_ROLE


def pdf_with_pages(path: Path, pages: list[str]) -> Path:
    """A PDF whose page n holds exactly pages[n] (CJK font embedded)."""
    doc = pymupdf.open()
    font = pymupdf.Font("cjk")
    for text in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="cjk", fontbuffer=font.buffer)
        page.insert_text((72, 100), text, fontname="cjk", fontsize=14)
    doc.save(path)
    return path


def test_type_a_query_and_open_the_hit_page(main_window, qtbot, tmp_path) -> None:
    pdf = pdf_with_pages(tmp_path / "三页材料.pdf", [
        "第一页讲交通。", "第二页讲垃圾分类。", "第三页：王芳负责，PM2.5 年均浓度达标。"])
    other = make_pdf(tmp_path / "另一份.pdf", "另一份材料", ["这里只有交通。"])
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("01.01", [pdf, other])
    # the text is extracted in the background after the import
    qtbot.waitUntil(lambda: texts.counts(main_window.archive)["done"] == 2
                    and not main_window.text_worker.busy, timeout=60_000)

    panel = main_window.search_panel
    main_window.search_edit.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
        qtbot.keyClicks(main_window.search_edit, "pm2.5")  # typed key by key, debounced
    assert blocker.args == [1]
    assert panel.model.index(0).data(HIT_ROLE).page == 3
    # Chinese comes from an input method, not key codes: set the text as the IME would
    with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
        main_window.search_edit.setText("王芳")
    assert blocker.args == [1]
    assert main_window.center_stack.currentWidget() is panel
    hit = panel.model.index(0).data(HIT_ROLE)
    assert hit.title == "三页材料" and hit.page == 3
    html = panel.model.index(0).data()
    assert "background-color" in html and ">王芳<" in html

    with qtbot.waitSignal(main_window.preview.rendered, timeout=10_000):
        rect = panel.view.visualRect(panel.model.index(0))
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.preview.page_label.text() == "3 / 3"
    assert main_window.preview.highlight_count >= 1
    assert main_window.editor.title.text() == "三页材料"

    with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
        main_window.search_edit.setText("交通 -垃圾")
    assert blocker.args == [1] and panel.model.index(0).data(HIT_ROLE).title == "另一份材料"

    with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
        main_window.search_edit.setText('"没有配对')
    assert blocker.args == [-1] and "引号" in panel.status.text()

    main_window.search_edit.clear()
    assert main_window.center_stack.currentWidget() is main_window.table


def test_a_docx_hit_is_marked_in_the_text_view(main_window, qtbot, tmp_path) -> None:
    from desktop.demo.samples import make_docx

    docx = make_docx(tmp_path / "名单.docx", "志愿者名单", ["以下同志参加劝导。"],
                     table=[["姓名", "单位"], ["张伟", "团市委"]])
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("03.01", [docx])
    qtbot.waitUntil(lambda: texts.counts(main_window.archive)["done"] == 1
                    and not main_window.text_worker.busy, timeout=60_000)
    panel = main_window.search_panel
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        main_window.search_edit.setText("张伟")
    with qtbot.waitSignal(main_window.preview.rendered, timeout=10_000):
        panel.hit_activated.emit(panel.model.hits[0])
    preview = main_window.preview
    assert preview.stack.currentWidget() is preview.text_view
    assert preview.highlight_count == 1
    assert preview.text_view.textCursor().block().text().count("张伟") == 1
