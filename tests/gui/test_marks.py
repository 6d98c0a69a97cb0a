"""红线标注 in the viewer (issue 19, item 1): text chosen on a PDF page by real mouse events,
标注红线 through its QAction, the red line drawn under the text, undo and redo, a mark picked
and removed, and the marks still there when the archive is opened again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.materials import marks
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.review import keys, roster
from tests.gui.helpers import open_and_wait, wait_ops, wait_table

LINES = ("一、文明交通劝导行动方案总体要求", "二、每周组织志愿者上路劝导不文明行为",
         "三、劝导活动记录纳入考核台账管理")
CLERK = "经办人甲"


@pytest.fixture
def marked_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    pdf = tmp_path / "方案.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        for n, line in enumerate(LINES):
            page.insert_text((72, 100 + 30 * n), line, fontname="china-s", fontsize=14)
        doc.save(pdf)
    root = tmp_path / "档案"
    with Archive.create(root) as archive:
        add_item(archive, "01.01", "文明交通")
        roster.add_person(archive, CLERK, "市文明办", ["clerk"],
                          keys.new_key(CLERK, "口令-红线标注测试"))
        [row] = import_paths(archive, [pdf], ImportOptions(codes=["01.01"]))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    open_and_wait(qtbot, window, root)
    window.material_id = row.id
    yield window
    window.close_archive()


def _show(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.person_box.setCurrentIndex(window.person_box.findData(CLERK))
    window.tree.setCurrentIndex(window.tree_model.index_of("01.01"))
    wait_table(qtbot, window)
    preview = window.preview
    with qtbot.waitSignal(preview.rendered, timeout=20_000):
        window.table.selectRow(0)
    qtbot.waitUntil(lambda: preview._layout is not None, timeout=10_000)


def _at(preview, rect: tuple[float, float, float, float], where: float = 0.5) -> QPoint:  # type: ignore[no-untyped-def]
    x, y = preview.widget_point(rect[0] + (rect[2] - rect[0]) * where, (rect[1] + rect[3]) / 2)
    return QPoint(round(x), round(y))


def _drag(qtbot, preview, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    label = preview.image_label
    QTest.mousePress(label, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 5):
        QTest.mouseMove(label, start + (end - start) * step / 4)
    QTest.mouseRelease(label, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _trigger(qtbot, preview, action) -> None:  # type: ignore[no-untyped-def]
    assert action.isEnabled(), action.text()
    with qtbot.waitSignal(preview.marks_changed, timeout=20_000):
        action.trigger()
    assert not preview.mark_note.text(), preview.mark_note.text()


def _red_under(preview, rect: tuple[float, float, float, float]) -> int:  # type: ignore[no-untyped-def]
    """Red pixels on the shown page in the band just under a text line's box."""
    image = preview.image_label.pixmap().toImage()
    zoom = preview.zoom
    y0, y1 = round(rect[3] * zoom), round((rect[3] + marks.GAP + 2) * zoom)
    found = 0
    for y in range(y0, y1 + 1):
        for x in range(round(rect[0] * zoom) + 2, round(rect[2] * zoom) - 2, 3):
            c = QColor(image.pixel(x, y))
            found += c.red() > 150 and c.green() < 80 and c.blue() < 80
    return found


def test_mark_text_chosen_with_the_mouse_then_undo_and_redo(marked_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = marked_window
    _show(qtbot, window)
    preview = window.preview
    glyphs = preview._layout.glyphs
    first = [g for g in glyphs if g.line == 0]
    second = [g for g in glyphs if g.line == 1]
    assert not preview.mark_action.isEnabled()  # nothing chosen yet
    _drag(qtbot, preview, _at(preview, first[2].rect), _at(preview, second[7].rect))
    assert preview.selection is not None
    assert preview.selection.text == f"{LINES[0][2:]}\n{LINES[1][:8]}"
    rects = preview.selection.rects
    assert _red_under(preview, rects[0]) == 0
    _trigger(qtbot, preview, preview.mark_action)
    wait_ops(qtbot, window)
    [made] = marks.list_marks(window.archive, window.material_id)
    assert (made.text, made.page, made.created_by) == (preview.marks[0].text, 1, CLERK)
    assert made.text == f"{LINES[0][2:]}\n{LINES[1][:8]}"
    assert _red_under(preview, rects[0]) > 0 and _red_under(preview, rects[1]) > 0
    # the glyphs themselves stay unpainted: no red inside the text line's box
    image = preview.image_label.pixmap().toImage()
    zoom = preview.zoom
    inside = [QColor(image.pixel(x, round((rects[0][1] + rects[0][3]) / 2 * zoom)))
              for x in range(round(rects[0][0] * zoom), round(rects[0][2] * zoom))]
    assert not any(c.red() > 150 and c.green() < 80 for c in inside)

    _trigger(qtbot, preview, preview.undo_mark_action)  # undo: the mark is gone
    assert marks.list_marks(window.archive, window.material_id) == []
    assert preview.marks == [] and _red_under(preview, rects[0]) == 0
    _trigger(qtbot, preview, preview.redo_mark_action)  # redo: back
    [again] = marks.list_marks(window.archive, window.material_id)
    assert again.text == made.text and again.rects == made.rects
    assert _red_under(preview, rects[0]) > 0

    # a click on the line picks the mark; 删除标注 removes it, undo puts it back
    spot = _at(preview, rects[1], 0.3)
    QTest.mouseClick(preview.image_label, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, spot)
    assert preview.picked is not None and preview.picked.text == made.text
    _trigger(qtbot, preview, preview.unmark_action)
    assert marks.list_marks(window.archive, window.material_id) == []
    _trigger(qtbot, preview, preview.undo_mark_action)
    assert [m.text for m in marks.list_marks(window.archive, window.material_id)] == [made.text]
    wait_ops(qtbot, window)

    # a search hit inside the marked passage says so
    from desktop.core.materials import texts

    qtbot.waitUntil(lambda: texts.counts(window.archive)["done"] == 1
                    and not window.text_worker.busy, timeout=60_000)
    panel = window.search_panel
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        window.search_edit.setText("每周组织")
    shown = panel.model.index(0).data()
    assert "红线标注（第 1 页）：" in shown and LINES[1][:8] in shown
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        window.search_edit.setText("台账管理")
    assert "红线标注" not in panel.model.index(0).data()
    window.search_edit.clear()

    # the archive closed and opened again: the mark is shown again under its text
    root = window.archive.root
    window.close_archive()
    open_and_wait(qtbot, window, root)
    _show(qtbot, window)
    qtbot.waitUntil(lambda: len(window.preview.marks) == 1, timeout=10_000)
    assert window.preview.marks[0].text == made.text
    assert _red_under(window.preview, rects[0]) > 0


def test_a_refused_mark_is_said_and_nothing_changes(marked_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = marked_window
    _show(qtbot, window)
    preview = window.preview
    window.person_box.setCurrentIndex(0)  # （未选择）: nobody to record
    glyphs = preview._layout.glyphs
    _drag(qtbot, preview, _at(preview, glyphs[0].rect), _at(preview, glyphs[5].rect))
    with qtbot.waitSignal(preview.marks_changed, timeout=20_000):
        preview.mark_action.trigger()
    assert "当前人员" in preview.mark_note.text()
    assert marks.list_marks(window.archive, window.material_id) == []
    assert not preview.undo_mark_action.isEnabled()


def test_marks_of_a_material_in_review_are_shown_not_changed(marked_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.review import decisions

    window = marked_window
    archive = window.archive
    from desktop.core.materials.service import get_material

    sha = get_material(archive, window.material_id).files[0].sha256
    layout = marks.page_layout(archive.store.path_for(sha), "pdf", 0)
    found = marks.find_text(layout.glyphs, "劝导活动记录")
    assert found is not None
    marks.add_mark(archive, window.material_id, sha, 1, found.text, found.rects, actor=CLERK)
    decisions.submit(archive, [window.material_id], CLERK)
    _show(qtbot, window)
    preview = window.preview
    qtbot.waitUntil(lambda: len(preview.marks) == 1, timeout=10_000)
    assert _red_under(preview, found.rects[0]) > 0  # shown to the reviewer
    glyphs = preview._layout.glyphs
    _drag(qtbot, preview, _at(preview, glyphs[0].rect), _at(preview, glyphs[5].rect))
    assert preview.selection is not None
    assert not preview.mark_action.isEnabled() and not preview.undo_mark_action.isEnabled()
    assert "不能修改" in preview.marks_label.text()


def test_the_offline_reviewer_sees_the_marks(marked_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.materials.service import get_material
    from desktop.core.review import decisions
    from desktop.core.review.package import export_package
    from desktop.ui.package_review import PackageReviewWindow, open_for_review

    window = marked_window
    archive = window.archive
    sha = get_material(archive, window.material_id).files[0].sha256
    layout = marks.page_layout(archive.store.path_for(sha), "pdf", 0)
    found = marks.find_text(layout.glyphs, "劝导活动记录")
    assert found is not None
    marks.add_mark(archive, window.material_id, sha, 1, found.text, found.rects, actor=CLERK)
    decisions.submit(archive, [window.material_id], CLERK)
    out = tmp_path / "初审包.zip"
    export_package(archive, "first", out, actor=CLERK)
    reviewer = PackageReviewWindow(open_for_review(out), None)
    qtbot.addWidget(reviewer)
    reviewer.resize(1200, 760)
    reviewer.show()
    preview = reviewer.preview
    with qtbot.waitSignal(preview.rendered, timeout=20_000):
        reviewer.material_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: len(preview.marks) == 1, timeout=10_000)
    assert preview.marks[0].text == found.text
    assert _red_under(preview, found.rects[0]) > 0
    assert not preview.mark_action.isEnabled()
