"""The viewer as a user sees it: XLSX as tables with sheet tabs, DOCX as rich text, photos fitted
whole and upright; and the photo thumbnails of the material table (offscreen)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QTextTable
from PySide6.QtWidgets import QLabel, QTableView

from desktop.core.materials.service import FileInfo, MaterialView
from desktop.ui import thumbnails as thumbs
from desktop.ui.models import MaterialTableModel
from desktop.ui.preview import MAX_SHEET_ROWS, PreviewWidget, cell_text
from desktop.ui.thumbnails import ThumbnailCache

KINDS = {".xlsx": "xlsx", ".docx": "docx", ".jpg": "jpeg", ".png": "png", ".txt": "text",
         ".pdf": "pdf"}


def info_of(path: Path) -> FileInfo:
    data = path.read_bytes()
    return FileInfo(path.name, hashlib.sha256(data).hexdigest(), len(data), KINDS[path.suffix],
                    "", None)


@pytest.fixture
def preview(qtbot) -> PreviewWidget:  # type: ignore[no-untyped-def]
    widget = PreviewWidget()
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show(qtbot, preview: PreviewWidget, path: Path, highlight: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(preview.rendered, timeout=20_000):
        preview.show_files([(path, info_of(path))], highlight=highlight)


# -- XLSX ------------------------------------------------------------------------------------------


def make_workbook(path: Path, big_rows: int = 0) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务清单"
    sheet["A1"] = "2024年文明城市创建任务分解清单"
    sheet.merge_cells("A1:E1")
    sheet["A1"].font = Font(bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["序号", "测评内容", "完成时限", "经费（元）", "完成率"])
    sheet.append([1, "推进志愿服务常态化，开展文明交通劝导活动", dt.date(2024, 3, 1),
                  1234.5, 0.875])
    sheet["C3"].number_format = "yyyy-mm-dd"
    sheet["D3"].number_format = "#,##0.00"
    sheet["E3"].number_format = "0.0%"
    sheet.column_dimensions["B"].width = 44
    second = book.create_sheet("会议记录")
    second.append(["时间", "地点"])
    second.append([dt.datetime(2024, 5, 6, 14, 30), "市政府三楼会议室"])
    second["A2"].number_format = "yyyy-mm-dd hh:mm"
    if big_rows:
        big = book.create_sheet("明细")
        for n in range(big_rows):
            big.append([n + 1, f"第{n + 1}条"])
    book.save(path)
    # stored files have no .xlsx name: the viewer must not rely on it
    stored = path.with_suffix("")
    stored.write_bytes(path.read_bytes())
    return path


def test_xlsx_shows_a_table_per_sheet_with_merges_and_dates(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = make_workbook(tmp_path / "清单.xlsx")
    show(qtbot, preview, path, highlight=("劝导",))
    assert preview.stack.currentWidget() is preview.sheet_tabs
    tabs = preview.sheet_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["任务清单", "会议记录"]
    view = preview.sheet_views[0]
    model = view.model()
    text = lambda r, c: model.index(r, c).data()  # noqa: E731
    assert text(0, 0) == "2024年文明城市创建任务分解清单"
    assert (view.rowSpan(0, 0), view.columnSpan(0, 0)) == (1, 5)  # A1:E1 merged
    assert text(2, 2) == "2024-03-01"  # a date, not 2024-03-01 00:00:00 nor a serial number
    assert text(2, 3) == "1,234.50" and text(2, 4) == "87.5%"  # numbers as Excel shows them
    assert model.index(2, 3).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert view.columnWidth(1) > 2 * view.columnWidth(0)  # the sheet's own wide column B
    assert preview.highlight_count == 1 and view.currentIndex() == model.index(2, 1)
    assert view.editTriggers() == QTableView.EditTrigger.NoEditTriggers
    assert not preview.sheet_tabs.widget(0).findChildren(QLabel)  # nothing was cut: no note
    tabs.setCurrentIndex(1)
    assert preview.sheet_views[1].model().index(1, 0).data() == "2024-05-06 14:30"
    # the tables are really painted (not just models): a grab shows the tab page
    assert not tabs.grab().isNull()


def test_a_large_sheet_shows_its_first_rows_with_a_note(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = make_workbook(tmp_path / "大表.xlsx", big_rows=MAX_SHEET_ROWS + 500)
    show(qtbot, preview, path)
    assert preview.sheet_tabs.tabText(2) == "明细"
    model = preview.sheet_views[2].model()
    assert model.rowCount() == MAX_SHEET_ROWS
    assert model.index(MAX_SHEET_ROWS - 1, 1).data() == f"第{MAX_SHEET_ROWS}条"
    notes = preview.sheet_tabs.widget(2).findChildren(QLabel)
    assert len(notes) == 1 and "2,000" in notes[0].text() and "2,500" in notes[0].text()


def test_cell_text_follows_the_number_format() -> None:
    assert cell_text(dt.datetime(2024, 3, 1), "yyyy/m/d") == ("2024-03-01", True)
    assert cell_text(dt.datetime(2024, 3, 1, 9, 5), "m/d/yy h:mm") == ("2024-03-01 09:05", True)
    assert cell_text(dt.datetime(1899, 12, 30, 9, 5, 7), "h:mm:ss")[0] == "09:05:07"
    assert cell_text(dt.datetime(2024, 3, 1), 'yyyy"年"m"月"d"日"')[0] == "2024-03-01"
    assert cell_text(3.0, "General") == ("3", True)
    assert cell_text(0.1 + 0.2, "General")[0] == "0.3"
    assert cell_text(-1234.5, "#,##0.00;[Red]-#,##0.00")[0] == "-1,234.50"
    assert cell_text(-1234.5, "#,##0_);(#,##0)")[0] == "(1,235)"
    assert cell_text(1234.5, "[$¥-804]#,##0.00")[0] == "¥1,234.50"
    assert cell_text(12, '0"人"')[0] == "12人"
    assert cell_text(0.25, "0%")[0] == "25%"
    assert cell_text(True) == ("TRUE", False)
    assert cell_text("文字") == ("文字", False)


# -- DOCX ------------------------------------------------------------------------------------------


def make_document(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("关于开展文明交通劝导活动的通知", level=1)
    document.add_paragraph("各区县、各有关单位：现将有关事项通知如下。")
    document.add_heading("一、活动时间", level=2)
    document.add_paragraph("2024年3月1日至12月31日。")
    document.add_paragraph("第一项要求", style="List Number")
    document.add_paragraph("第二项要求", style="List Number")
    document.add_paragraph("注意安全", style="List Bullet")
    paragraph = document.add_paragraph()
    paragraph.add_run("加粗").bold = True
    paragraph.add_run("与<尖括号> & 符号")
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate([["姓名", "单位", "电话"], ["张伟", "团市委", "138"],
                             ["李娜", "交通局", "139"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2))
    document.add_paragraph("以上同志参加劝导。")
    document.save(str(path))
    return path


def test_docx_shows_headings_lists_and_tables(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = make_document(tmp_path / "通知.docx")
    show(qtbot, preview, path, highlight=("张伟",))
    assert preview.stack.currentWidget() is preview.text_view
    document = preview.text_view.document()
    text = document.toPlainText()
    assert "关于开展文明交通劝导活动的通知" in text
    assert "与<尖括号> & 符号" in text  # escaped in the HTML, intact on screen
    for label in ("1. 第一项要求", "2. 第二项要求", "• 注意安全"):  # numbers as Word shows them
        assert label in re.sub(r"\s", " ", text)

    def block_with(words: str):  # type: ignore[no-untyped-def]
        block = document.begin()
        while block.isValid():
            if words in block.text():
                return block
            block = block.next()
        raise AssertionError(words)

    heading = block_with("关于开展").begin().fragment().charFormat().font()  # as drawn
    subheading = block_with("活动时间").begin().fragment().charFormat().font()
    body = block_with("各区县").begin().fragment().charFormat().font()
    assert heading.pointSizeF() > subheading.pointSizeF() > body.pointSizeF() * 1.2
    assert heading.bold() and subheading.bold() and not body.bold()
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1
    table = tables[0]
    assert (table.rows(), table.columns()) == (3, 3)
    assert table.cellAt(1, 0).firstCursorPosition().block().text() == "张伟"
    assert table.cellAt(2, 1).columnSpan() == 2  # the merged cell
    assert preview.highlight_count == 1
    assert preview.text_view.textCursor().block().text() == "张伟"


def test_text_files_still_show_as_text(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "说明.txt"
    path.write_text("第一行\n第二行 <b>不是标签</b>", encoding="utf-8")
    show(qtbot, preview, path)
    assert preview.stack.currentWidget() is preview.text_view
    assert preview.text_view.toPlainText().endswith("<b>不是标签</b>")


# -- photos ----------------------------------------------------------------------------------------


def make_turned_photo(path: Path, size: tuple[int, int] = (1600, 1200), orientation: int = 6,
                      fmt: str = "JPEG") -> Path:
    """A landscape picture stored with EXIF orientation 6: upright it is portrait, and the red
    corner stored top-right shows bottom-right."""
    image = Image.new("RGB", size, (135, 206, 235))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([w * 7 // 8, 0, w, h // 6], fill=(255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation
    image.save(path, fmt, exif=exif.tobytes(), quality=92)
    return path


def test_a_photo_is_fitted_whole_upright_and_zooms(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = make_turned_photo(tmp_path / "活动照片.jpg")
    show(qtbot, preview, path)
    assert preview.stack.currentWidget() is preview.scroll_area
    pixmap = preview.image_label.pixmap()
    viewport = preview.scroll_area.viewport().size()
    assert pixmap.height() > pixmap.width()  # EXIF orientation respected: portrait
    assert pixmap.width() <= viewport.width() and pixmap.height() <= viewport.height()
    assert pixmap.height() >= viewport.height() - 20  # as large as the pane allows
    assert preview.fit_mode == "page" and preview.zoom < 1.0
    assert preview.fit_page_button.isChecked() and not preview.page_label.isVisible()
    image = pixmap.toImage()
    red = image.pixelColor(image.width() - 5, image.height() - 5)
    assert red.red() > 200 and red.green() < 80  # the stored top-right corner, turned
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        preview.zoom_in.click()
    assert preview.fit_mode is None and preview.image_label.pixmap().width() > pixmap.width()
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        preview.fit_page_button.click()
    assert preview.image_label.pixmap().size() == pixmap.size()
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        preview.fit_button.click()  # fit the width: taller than the pane, scrolls
    assert preview.fit_mode == "width"
    assert preview.image_label.pixmap().height() > viewport.height()


def test_a_small_photo_is_not_enlarged(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "小图.png"
    Image.new("RGB", (240, 160), (20, 120, 60)).save(path)
    show(qtbot, preview, path)
    assert preview.image_label.pixmap().size().toTuple() == (240, 160)
    assert preview.zoom == 1.0


def test_a_photo_after_a_long_page_has_no_scroll_bars(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.demo.samples import make_pdf

    pdf = make_pdf(tmp_path / "长页.pdf", "三页材料", ["第一页", "第二页", "第三页"])
    show(qtbot, preview, pdf)  # fitted to the width: taller than the pane
    qtbot.wait(50)
    assert preview.image_label.height() > preview.scroll_area.viewport().height()
    show(qtbot, preview, make_turned_photo(tmp_path / "照片.jpg", orientation=1))
    qtbot.wait(50)
    viewport = preview.scroll_area.viewport().size()
    assert preview.image_label.height() <= viewport.height()
    assert not preview.scroll_area.verticalScrollBar().isVisible()


# -- thumbnails ------------------------------------------------------------------------------------


def material(n: int, files: list[FileInfo]) -> MaterialView:
    return MaterialView(id=n, title=f"材料{n}", doc_number="", material_date=None, department="",
                        material_type="", description="", caption={}, state="draft", items=[],
                        files=files)


def is_placeholder(icon: object, cache: ThumbnailCache) -> bool:
    return isinstance(icon, QIcon) and icon.cacheKey() == cache.placeholder().cacheKey()


def stored_photos(tmp_path: Path, count: int) -> tuple[dict[str, Path], list[FileInfo]]:
    """Photos stored under their hash, like the archive's content store."""
    folder = tmp_path / "store"
    folder.mkdir(exist_ok=True)
    paths: dict[str, Path] = {}
    infos: list[FileInfo] = []
    for n in range(count):
        source = tmp_path / f"照片{n}.jpg"
        Image.new("RGB", (320, 240), (n % 256, 90, 200 - n % 200)).save(source, quality=80)
        info = info_of(source)
        target = folder / info.sha256
        target.write_bytes(source.read_bytes())
        paths[info.sha256] = target
        infos.append(info)
    return paths, infos


def test_the_table_shows_a_thumbnail_once_the_worker_made_it(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    photo = make_turned_photo(tmp_path / "现场.jpg")
    info = info_of(photo)
    pdf = FileInfo("方案.pdf", "ab" * 32, 10, "pdf", "application/pdf", 1)
    cache = ThumbnailCache(tmp_path / "cache")
    model = MaterialTableModel()
    model.set_thumbnails(cache, lambda sha: photo if sha == info.sha256 else tmp_path / "无")
    model.set_rows([material(1, [pdf, info]), material(2, [pdf])])
    title = model.index(0, MaterialTableModel.TITLE)
    assert model.index(1, MaterialTableModel.TITLE).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(0, MaterialTableModel.ID).data(Qt.ItemDataRole.DecorationRole) is None
    with qtbot.waitSignal(model.dataChanged, timeout=10_000) as changed:
        first = title.data(Qt.ItemDataRole.DecorationRole)  # asked when painted: work queued
        assert is_placeholder(first, cache)  # a tile keeps the title from jumping
    top_left, _bottom_right, roles = changed.args
    assert top_left == title and roles == [Qt.ItemDataRole.DecorationRole]
    icon = title.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not is_placeholder(icon, cache)
    image = icon.pixmap(96, 96).toImage()
    assert image.height() == 96 and image.width() == 72  # upright (EXIF) and small
    red = image.pixelColor(image.width() - 3, image.height() - 3)
    assert red.red() > 200 and red.green() < 90
    stored = cache.file_for(info.sha256, info.size)
    assert stored.is_file() and stored.parent.parent == tmp_path / "cache"

    # a second start finds it on disk and does not decode the photo again
    def refuse(*_args) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("the thumbnail should come from the disk cache")

    monkeypatch.setattr(thumbs, "make_thumbnail", refuse)
    again = ThumbnailCache(tmp_path / "cache")
    assert again.icon(info.sha256, photo) is None
    with qtbot.waitSignal(again.ready, timeout=10_000) as ready:
        pass
    assert ready.args == [info.sha256] and again.icon(info.sha256, photo) is not None
    cache.shutdown()
    again.shutdown()


def test_a_broken_photo_gets_no_thumbnail(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "坏.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    info = info_of(broken)
    cache = ThumbnailCache(tmp_path / "cache")
    model = MaterialTableModel()
    model.set_thumbnails(cache, lambda _sha: broken)
    model.set_rows([material(1, [info])])
    title = model.index(0, MaterialTableModel.TITLE)
    with qtbot.waitSignal(model.dataChanged, timeout=10_000):
        assert is_placeholder(title.data(Qt.ItemDataRole.DecorationRole), cache)
    assert title.data(Qt.ItemDataRole.DecorationRole) is None
    assert not cache.is_pending(info.sha256)  # not tried again on every paint
    cache.shutdown()


def test_thumbnails_are_made_only_for_the_rows_painted(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths, infos = stored_photos(tmp_path, 120)
    cache = ThumbnailCache(tmp_path / "cache")
    model = MaterialTableModel()
    model.set_thumbnails(cache, paths.__getitem__)
    model.set_rows([material(n + 1, [info]) for n, info in enumerate(infos)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(26)
    view.resize(500, 10 * 26 + 30)
    view.show()
    qtbot.waitExposed(view)
    made = lambda: list((tmp_path / "cache").rglob("*.jpg"))  # noqa: E731
    qtbot.waitUntil(lambda: len(made()) >= 8, timeout=20_000)
    qtbot.waitUntil(lambda: not any(cache.is_pending(i.sha256) for i in infos), timeout=20_000)
    shown = len(made())
    assert 8 <= shown <= 20  # the rows on screen, not all 120
    first = model.index(0, MaterialTableModel.TITLE).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(first, QIcon) and not is_placeholder(first, cache)
    view.scrollToBottom()  # rows painted later get theirs then
    qtbot.waitUntil(lambda: len(made()) > shown, timeout=20_000)
    last = model.index(len(infos) - 1, MaterialTableModel.TITLE)
    qtbot.waitUntil(lambda: isinstance(last.data(Qt.ItemDataRole.DecorationRole), QIcon)
                    and not is_placeholder(last.data(Qt.ItemDataRole.DecorationRole), cache),
                    timeout=20_000)
    cache.shutdown()


def test_a_preview_closed_while_rendering_drops_the_page(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import desktop.ui.preview as preview_module
    from desktop.demo.samples import make_pdf
    from desktop.ui import workers

    pdf = make_pdf(tmp_path / "三页.pdf", "三页材料", ["第一页", "第二页", "第三页"])
    widget = PreviewWidget()
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    jobs: list[workers.Job] = []

    def keep(job: workers.Job, *, long: bool = False) -> workers.Job:
        jobs.append(job)
        return workers.start(job, long=long)

    monkeypatch.setattr(preview_module, "start", keep)
    widget.show_files([(pdf, info_of(pdf))])
    widget.deleteLater()  # the window is closed before the page is rendered
    qtbot.waitUntil(lambda: bool(jobs) and all(j.done.is_set() for j in jobs), timeout=20_000)
    qtbot.wait(100)  # the queued result arrives for a deleted widget: dropped, no error
