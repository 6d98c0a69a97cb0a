"""The viewer on the files offices keep: OFD pages drawn, a Word 97 / WPS file and an e-mail
as text, a video's poster frame with its length, a recording's waveform, a HEIC phone photo,
an archive's file list, and "open with the system program" for anything (offscreen)."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from desktop.core.materials.detect import detect
from desktop.core.materials.service import FileInfo
from desktop.ui.preview import PreviewWidget

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def stored(tmp_path: Path, fixture: str, name: str) -> tuple[Path, FileInfo]:
    """The fixture as the archive keeps it: under its hash, without an extension."""
    data = (FIXTURES / fixture).read_bytes()
    if fixture.endswith(".gz"):
        data = gzip.decompress(data)
    named = tmp_path / name
    named.write_bytes(data)
    found = detect(named)
    sha = hashlib.sha256(data).hexdigest()
    path = tmp_path / "store" / sha
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path, FileInfo(name, sha, len(data), found.kind, found.mime, found.page_count)


@pytest.fixture
def preview(qtbot, tmp_path, monkeypatch) -> PreviewWidget:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))  # the drawn pages' cache
    widget = PreviewWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show(qtbot, preview: PreviewWidget, file: tuple[Path, FileInfo]) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(preview.rendered, timeout=30_000):
        preview.show_files([file])


def shown_pixels(preview: PreviewWidget) -> tuple[int, int]:
    pixmap = preview.image_label.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    return pixmap.width(), pixmap.height()


def test_an_ofd_is_shown_as_pages_with_its_text_found(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = stored(tmp_path, "ofd/notice_easyofd.ofd", "创文指挥部通知.ofd")
    assert file[1].kind == "ofd" and file[1].page_count == 3
    with qtbot.waitSignal(preview.rendered, timeout=30_000):
        preview.show_files([file], highlight=("材料自查",))
    assert preview.stack.currentWidget() is preview.scroll_area
    assert preview.page_count == 3 and preview.page_label.text() == "1 / 3"
    assert preview.highlight_count >= 1  # the drawn PDF carries the text layer
    shown_pixels(preview)  # easyofd writes a 140×90 mm page whatever the source's size was
    red = preview.image_label.pixmap().toImage()
    reds = sum(1 for y in range(0, red.height(), 4) for x in range(0, red.width(), 4)
               if (c := red.pixelColor(x, y)).red() > 180 and c.green() < 80 and c.blue() < 80)
    assert reds > 20  # the red 文头
    with qtbot.waitSignal(preview.rendered, timeout=30_000):
        preview.next_button.click()
    assert preview.page == 1


def test_an_ofd_of_outlined_glyphs_is_an_upright_a4_page(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, preview, stored(tmp_path, "ofd/notice_pdf2ofd.ofd", "通知.ofd"))
    width, height = shown_pixels(preview)
    assert abs(height / width - 842 / 595) < 0.02  # pdf2ofd keeps the A4 page


@pytest.mark.parametrize(("fixture", "name", "words"), [
    ("legacy/tongzhi.doc", "档案安全检查通知.doc", "为进一步加强档案管理"),
    ("legacy/tongzhi.doc", "档案安全检查通知.wps", "为进一步加强档案管理"),
    ("legacy/jianbao.ppt.gz", "工作汇报.dps", "—— 第 2 个幻灯片 ——"),
    ("markup/报送函.eml", "报送函.eml", "附件：志愿服务台账.csv"),
    ("markup/WPS风格.rtf", "报送通知.rtf", "文明实践站"),
    ("legacy/taizhang.xls", "经费台账.et", "库房改造"),
    ("markup/汇报.pptx", "汇报.pptx", "—— 第 2 个幻灯片 ——"),
    ("markup/通知.odt", "自查通知.odt", "迎检"),
    ("markup/台账.ods", "任务清单.ods", "未成年人思想道德建设"),
    ("markup/汇报.odp", "汇报.odp", "自查八十项"),
    ("markup/政府网页.html", "政府网页.html", "文明单位"),
    ("markup/poi-chinese-traditional.msg", "來信.msg", "張毓倫"),
    ("markup/通知.epub", "通知.epub", "定人员"),
    ("markup/名单.csv", "名单.csv", "李建国"),
    ("markup/说明.md", "整理说明.md", "材料整理说明"),
    ("archives/chinese.7z", "材料.7z", "创文材料/会议纪要.txt"),
])
def test_documents_without_pages_are_shown_as_their_text(qtbot, preview, tmp_path, fixture,  # type: ignore[no-untyped-def]
                                                         name, words) -> None:
    show(qtbot, preview, stored(tmp_path, fixture, name))
    assert preview.stack.currentWidget() is preview.text_view
    assert words in preview.text_view.toPlainText()


def test_a_video_shows_its_poster_frame_and_length(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = stored(tmp_path, "media/clip.mp4", "活动视频.mp4")
    show(qtbot, preview, file)
    assert preview.stack.currentWidget() is preview.scroll_area
    width, height = shown_pixels(preview)
    assert abs(width / height - 320 / 240) < 0.05
    qtbot.waitUntil(lambda: preview.media_label.text() != "", timeout=10_000)
    assert preview.media_label.text().startswith("视频 2秒")
    assert preview.open_button.isVisible()


def test_a_recording_shows_its_waveform(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, preview, stored(tmp_path, "media/tone.mp3", "会议录音.mp3"))
    width, height = shown_pixels(preview)
    assert width > height
    qtbot.waitUntil(lambda: preview.media_label.text().startswith("音频"), timeout=10_000)


def test_a_heic_phone_photo_is_shown(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, preview, stored(tmp_path, "media/photo.heic", "手机照片.heic"))
    assert preview.stack.currentWidget() is preview.scroll_area
    assert preview.fit_mode == "page"
    shown_pixels(preview)


def test_an_archive_shows_its_files_with_chinese_names(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    show(qtbot, preview, stored(tmp_path, "archives/windows-explorer-gbk.zip", "报送材料.zip"))
    text = preview.text_view.toPlainText()
    assert "创文材料/淺談創文工作.txt" in text and "解压导入" in text


def test_open_with_the_system_program_hands_over_a_named_copy(qtbot, preview, tmp_path,  # type: ignore[no-untyped-def]
                                                              monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    path, info = stored(tmp_path, "media/clip.mp4", "活动视频.mp4")
    show(qtbot, preview, (path, info))
    qtbot.mouseClick(preview.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    copy = Path(opened[0].toLocalFile())
    assert copy.name == "活动视频.mp4" and copy.read_bytes() == path.read_bytes()
    assert copy != path
    shutil.rmtree(copy.parent, ignore_errors=True)


def test_an_unknown_file_says_it_cannot_be_shown(qtbot, preview, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "数据.dat").write_bytes(b"\x13\x37" + bytes(range(256)))
    path = tmp_path / "数据.dat"
    info = FileInfo("数据.dat", "0" * 64, path.stat().st_size, "other", "", None)
    preview.show_files([(path, info)])
    assert preview.stack.currentWidget() is preview.message
    assert "打开…" in preview.message.text()


@pytest.mark.parametrize(("answer", "expected"), [
    ("Yes", {"会议纪要.txt", "淺談創文工作.txt", "说明.txt", "责任清单.txt"}),
    ("No", {"各单位报送.zip"}),
])
def test_importing_a_zip_asks_whether_to_unpack_it(main_window, qtbot, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                   answer, expected) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    source = tmp_path / "各单位报送.zip"
    shutil.copyfile(FIXTURES / "archives/windows-explorer-gbk.zip", source)
    asked: list[str] = []

    def question(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(f"{title}: {text}")
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(source)], ""))
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    with qtbot.waitSignal(main_window.import_finished, timeout=30_000) as blocker:
        main_window.import_files_action.trigger()
    assert len(asked) == 1 and "1 个压缩包（各单位报送.zip）" in asked[0]
    rows = blocker.args[0]
    assert {r.status for r in rows} == {"stored"}
    assert {Path(r.path.split(" › ")[-1]).name for r in rows} == expected


def test_cancelling_the_unpack_question_imports_nothing(main_window, qtbot, tmp_path,  # type: ignore[no-untyped-def]
                                                        monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    source = tmp_path / "材料.7z"
    shutil.copyfile(FIXTURES / "archives/chinese.7z", source)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(source)], ""))
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    main_window.import_files_action.trigger()  # the autouse fixture answers questions "discard"
    qtbot.wait(300)
    assert main_window._job is None and main_window.table_model.rowCount() == 0


def test_the_window_shows_the_text_the_extraction_child_read(main_window, qtbot, tmp_path,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    """A Word 97 file's text in the viewer is the text the time-limited extraction child
    stored, not a second reading in the window's process: it shows even with the stored file
    moved away."""
    from PySide6.QtWidgets import QFileDialog

    from desktop.core.materials import texts

    source = tmp_path / "检查通知.doc"
    shutil.copyfile(FIXTURES / "legacy/tongzhi.doc", source)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(source)], ""))
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    with qtbot.waitSignal(main_window.import_finished, timeout=30_000) as blocker:
        main_window.import_files_action.trigger()
    [row] = blocker.args[0]
    archive = main_window.archive
    qtbot.waitUntil(lambda: texts.counts(archive)["pending"] == 0, timeout=60_000)
    stored = archive.store.path_for(row.sha256)
    stored.rename(stored.with_name("moved-away"))
    try:
        with qtbot.waitSignal(main_window.preview.rendered, timeout=20_000):
            main_window.table.selectRow(0)
        assert "为进一步加强档案管理" in main_window.preview.text_view.toPlainText()
    finally:
        stored.with_name("moved-away").rename(stored)
