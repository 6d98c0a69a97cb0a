"""Click through the real main window on a real archive (offscreen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.materials.service import list_materials
from desktop.demo.samples import make_pdf, make_photo
from desktop.ui.dialogs import ImportReportDialog
from desktop.ui.models import CODE_ROLE, MaterialTableModel
from tests.conftest import REPO
from tests.gui.helpers import select_row, wait_ops, wait_table


def drop_files(view, point: QPoint, paths: list[Path]) -> None:
    """Deliver a real drag-enter / drag-move / drop sequence to a view's viewport."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    target = view.viewport()
    # drag events take a QPoint (PySide6 6.12 also a QPointF, and warns of the QPoint)
    for event in (QDragEnterEvent(point, action, mime, buttons, mods),
                  QDragMoveEvent(point, action, mime, buttons, mods),
                  QDropEvent(point.toPointF(), action, mime, buttons, mods)):
        QApplication.sendEvent(target, event)


def node_point(window, code: str) -> QPoint:
    index = window.tree_model.index_of(code)
    window.tree.scrollTo(index)
    return window.tree.visualRect(index).center()


def tree_label(window, code: str) -> str:
    """What the tree shows for a node: its name, then its material count."""
    index = window.tree_model.index_of(code)
    return f"{index.data()}（{index.siblingAtColumn(1).data()}）"


def test_tree_shows_categories_and_items(main_window) -> None:
    assert tree_label(main_window, "01") == "01 理想信念教育（0）"
    assert tree_label(main_window, "01.01").startswith("01.01 深入学习贯彻")
    assert main_window.tree_model.category_count() == 11
    assert main_window.center_stack.currentWidget() is main_window.empty


def test_drop_files_on_item_imports_and_updates_counts(main_window, qtbot, tmp_path) -> None:
    files = [
        make_pdf(tmp_path / "关于印发《文明交通劝导行动方案》的通知.pdf", "文明交通劝导行动方案",
                 ["为规范市民文明出行行为，现制定本方案。"], pages=2),
        make_photo(tmp_path / "文明劝导活动照片.jpg", "2024年5月 文明劝导"),
    ]
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000) as blocker:
        drop_files(main_window.tree, node_point(main_window, "03.01"), files)
    rows = blocker.args[0]
    assert [r.status for r in rows] == ["stored", "stored"]
    assert tree_label(main_window, "03.01") == "03.01 规范市民文明行为（2）"
    assert tree_label(main_window, "03") == "03 文明风尚培育（2）"

    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    wait_table(qtbot, main_window)
    assert main_window.proxy.rowCount() == 2
    titles = {main_window.proxy.index(r, 1).data() for r in range(2)}
    assert titles == {"文明交通劝导行动方案", "文明劝导活动照片"}  # the PDF names itself
    assert main_window.center_stack.currentWidget() is main_window.table

    # the same files again: nothing new stored, counts unchanged
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000) as blocker:
        drop_files(main_window.tree, node_point(main_window, "03.01"), files)
    assert [r.status for r in blocker.args[0]] == ["duplicate", "duplicate"]
    assert tree_label(main_window, "03.01") == "03.01 规范市民文明行为（2）"


def test_drop_folder_with_a_bad_file_reports_it(main_window, qtbot, tmp_path) -> None:
    folder = tmp_path / "材料" / "二级"
    folder.mkdir(parents=True)
    make_pdf(folder / "会议纪要.pdf", "会议纪要", ["会议研究了创建工作。"])
    (folder / "空文件.pdf").write_bytes(b"")
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000) as blocker:
        drop_files(main_window.table, QPoint(20, 20), [tmp_path / "材料"])
    statuses = {Path(r.path).name: r.status for r in blocker.args[0]}
    assert statuses == {"会议纪要.pdf": "stored", "空文件.pdf": "refused"}
    reports = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ImportReportDialog) and w.isVisible()]
    assert reports and reports[0].table.item(0, 2).text() == "文件为空（0 字节）"
    assert tree_label(main_window, "01.01").endswith("（1）")
    for dialog in reports:
        dialog.close()


def test_selecting_a_pdf_shows_its_pages(main_window, qtbot, tmp_path) -> None:
    pdf = make_pdf(tmp_path / "三页方案.pdf", "三页的工作方案", ["第一段内容。"] * 40, pages=3)
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("01.01", [pdf])
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    preview = main_window.preview
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        wait_table(qtbot, main_window)
        main_window.table.selectRow(0)
    assert preview.stack.currentWidget() is preview.scroll_area
    assert preview.page_label.text() == "1 / 3"
    pixmap = preview.image_label.pixmap()
    assert pixmap.width() > 100 and pixmap.height() > pixmap.width()  # an A4 page, portrait
    with qtbot.waitSignal(preview.rendered, timeout=10_000) as blocker:
        qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1] and preview.page_label.text() == "2 / 3"
    width = preview.image_label.pixmap().width()
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        qtbot.mouseClick(preview.zoom_in, Qt.MouseButton.LeftButton)
    assert preview.image_label.pixmap().width() > width


def test_edit_metadata_saves_to_archive(main_window, qtbot, tmp_path) -> None:
    photo = make_photo(tmp_path / "志愿服务.png", "志愿服务", fmt="PNG")
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("03.01", [photo])
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    wait_table(qtbot, main_window)
    select_row(qtbot, main_window, 0)
    editor = main_window.editor
    # QTest.keyClicks cannot type CJK (no key code): set text as an input method would
    editor.title.setText("文明志愿服务活动照片")
    editor.doc_number.setText("")
    editor.date.setText("2024-05-20")
    editor.department.setCurrentText("市文明办")
    editor.captions["地点"].setText("人民广场")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert editor.error.text() == ""
    view = list_materials(main_window.archive, code="03.01")[0]
    assert (view.title, view.material_date, view.department) == (
        "文明志愿服务活动照片", "2024-05-20", "市文明办")
    assert view.caption["地点"] == "人民广场"
    wait_table(qtbot, main_window)
    assert main_window.proxy.index(0, 1).data() == "文明志愿服务活动照片"

    editor.date.setText("2024年5月")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot, main_window)
    assert "日期" in editor.error.text()
    assert list_materials(main_window.archive, code="03.01")[0].material_date == "2024-05-20"


def test_filter_box_narrows_the_table(main_window, qtbot, tmp_path) -> None:
    files = [make_pdf(tmp_path / f"{name}.pdf", name, ["正文"]) for name in
             ("垃圾分类工作方案", "文明交通工作方案", "志愿服务制度")]
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("03.01", files)
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03"))
    wait_table(qtbot, main_window)
    assert main_window.proxy.rowCount() == 3
    main_window.filter_edit.setText("工作方案")
    wait_table(qtbot, main_window)
    assert main_window.proxy.rowCount() == 2


def test_header_click_sorts_and_keeps_the_selection(main_window, qtbot, tmp_path) -> None:
    files = [make_pdf(tmp_path / f"{name}.pdf", name, ["正文"], pages=pages) for name, pages in
             (("乙方案", 3), ("甲方案", 1), ("丙方案", 2))]
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("03.01", files)
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("03.01"))
    wait_table(qtbot, main_window)
    proxy, header = main_window.proxy, main_window.table.horizontalHeader()

    def column(n: int) -> list[str]:
        return [proxy.index(r, n).data() for r in range(proxy.rowCount())]

    assert column(0) == ["1", "2", "3"]  # by 编号 at first
    main_window.table.setColumnHidden(MaterialTableModel.PAGES, False)  # hidden on small screens
    select_row(qtbot, main_window, 1)  # 甲方案
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(MaterialTableModel.PAGES) + 5, 5))
    wait_table(qtbot, main_window)  # sorted by the database, on a worker
    assert column(MaterialTableModel.PAGES) == ["1", "2", "3"]  # 页数, numerically
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(MaterialTableModel.PAGES) + 5, 5))
    wait_table(qtbot, main_window)
    assert column(MaterialTableModel.PAGES) == ["3", "2", "1"]
    assert main_window.table.currentIndex().siblingAtColumn(1).data() == "甲方案"
    main_window.filter_edit.setText("甲")
    wait_table(qtbot, main_window)
    assert column(1) == ["甲方案"]
    assert main_window.table.currentIndex().siblingAtColumn(1).data() == "甲方案"


def test_locked_archive_gives_a_message(qtbot, tmp_path, monkeypatch, gui_archive) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MainWindow

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    # another process holds the archive open for writing
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from pathlib import Path\nfrom desktop.core.archive.archive import Archive\n"
         "a = Archive.open(Path(sys.argv[1]))\nprint('open', flush=True)\ntime.sleep(60)",
         str(gui_archive)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        window = MainWindow(settings())
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.open_failed, timeout=20_000):
            assert window.open_archive(gui_archive)  # opened on a worker, refused there
    finally:
        holder.kill()
        holder.wait()
    assert window.archive is None and "正被另一个程序使用" in shown[0]


def test_first_start_creates_default_archive(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZICHA_ARCHIVE", str(tmp_path / "默认档案"))
    from desktop.ui.app import settings, startup_archive
    from desktop.ui.main_window import MainWindow

    store = settings()
    root, create = startup_archive(None, store)
    assert (root, create) == (tmp_path / "默认档案", True)
    window = MainWindow(store)
    qtbot.addWidget(window)
    assert window.open_archive(root, create=create)
    wait_table(qtbot, window)
    assert (root / "zicha.db").is_file()
    assert "默认档案" in window.windowTitle()
    assert window.empty_demo.isVisibleTo(window)
    assert window.tree_model.category_count() == 11
    assert window.tree_model.index_of("11").data(CODE_ROLE) == "11"
    window.close_archive()
    # the next start remembers it
    assert startup_archive(None, settings()) == (root, False)


def test_open_demo_builds_and_opens_the_sample_archive(main_window, qtbot, tmp_path,
                                                       monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # platformdirs on Linux
    with qtbot.waitSignal(main_window.archive_changed, timeout=60_000):
        main_window.open_demo()
    root = main_window.archive.root
    assert root == tmp_path / "data" / "zicha" / "demo-archive"
    wait_table(qtbot, main_window)
    assert main_window.table_model.rowCount() >= 40
    assert main_window.tree_model.index_of("11.01").isValid()
    assert "示例档案" in main_window.windowTitle()


def test_delete_a_material_after_confirming(main_window, qtbot, tmp_path, monkeypatch) -> None:
    pdf = make_pdf(tmp_path / "作废的草稿.pdf", "作废的草稿", ["正文"])
    with qtbot.waitSignal(main_window.import_finished, timeout=20_000):
        main_window.import_paths("01.01", [pdf])
    main_window.tree.setCurrentIndex(main_window.tree_model.index_of("01.01"))
    wait_table(qtbot, main_window)
    select_row(qtbot, main_window, 0)
    asked: list[str] = []

    def answer(_parent, _title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    main_window.delete_action.trigger()  # answered No: nothing happens
    assert tree_label(main_window, "01.01").endswith("（1）")
    main_window.delete_action.trigger()
    assert "作废的草稿" in asked[1]
    wait_ops(qtbot, main_window)
    assert tree_label(main_window, "01.01").endswith("（0）")
    assert list_materials(main_window.archive) == []


def test_first_start_uses_the_profile_the_installer_carries(qtbot, tmp_path, monkeypatch) -> None:
    from tests.conftest import REPO

    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZICHA_ARCHIVE", str(tmp_path / "默认档案"))
    monkeypatch.setenv("ZICHA_PROFILE", str(REPO / "packaging" / "profiles" / "吴州市文明办.yaml"))
    from desktop.ui.app import settings, startup_archive
    from desktop.ui.main_window import MainWindow

    store = settings()
    root, create = startup_archive(None, store)
    window = MainWindow(store)
    qtbot.addWidget(window)
    assert window.open_archive(root, create=create)
    wait_table(qtbot, window)
    assert window.windowTitle() == "吴州市创建全国文明城市工作指挥部办公室 — 吴州市创文材料自查档案"
    names = [window.person_box.itemData(i) for i in range(window.person_box.count())]
    assert "赵丽华" in names and window.archive.info()["bureau_code"] == "WZ-CWB"
    window.close_archive()


def test_window_opens_where_it_was_left(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.ui.app import settings
    from desktop.ui.main_window import MAXIMISE_BELOW, MainWindow

    first = MainWindow(settings())
    qtbot.addWidget(first)
    first.show_as_last_time()
    qtbot.waitExposed(first)
    screen = first.screen().availableGeometry()
    # a first start: maximised on a screen narrower than a desktop monitor
    assert first.isMaximized() == (screen.width() < MAXIMISE_BELOW)
    first.showNormal()
    first.resize(700, 520)
    first.splitter.setSizes([100, 400, 200])
    qtbot.waitUntil(lambda: first.width() == 700)
    panes = first.splitter.sizes()
    assert first.close()  # the clerk closes it: where it was is kept

    again = MainWindow(settings())
    qtbot.addWidget(again)
    again.show_as_last_time()
    qtbot.waitExposed(again)
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (700, 520)
    assert again.splitter.sizes() == panes
