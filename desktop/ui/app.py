"""Starting the desktop app: settings, translations, the first archive."""

from __future__ import annotations

import gc
import os
import sys
import zipfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.archive.archive import default_archive_dir, is_archive
from desktop.core.review.keys import config_dir
from desktop.ui.fonts import register_bundled_fonts

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def settings() -> QSettings:
    path = config_dir() / "settings.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def ui_language() -> str:
    """"zh" (the source language) unless ZICHA_LANG or the system locale asks for another."""
    name = os.environ.get("ZICHA_LANG") or QLocale().name()
    code = name.split("_")[0].split("-")[0].lower()
    return "zh" if code in ("", "c", "posix", "zh") else code


def install_translations(app: QApplication, language: str | None = None) -> bool:
    """Install Zicha's and Qt's own translations for `language`; False if none was found
    (the UI then stays in Chinese)."""
    language = language or ui_language()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{'zh_CN' if language == 'zh' else language}", qt_dir):
        app.installTranslator(qt)
    if language == "zh":
        return True
    ours = QTranslator(app)
    folder = str(resources.files("desktop.resources") / "translations")
    if ours.load(f"zicha_{language}", folder):
        app.installTranslator(ours)
        return True
    return False


def startup_archive(requested: Path | None, store: QSettings) -> tuple[Path, bool]:
    """Which archive to open, and whether to create it: the one asked for, else the last one
    used, else the default archive (created on first start)."""
    if requested is not None:
        return requested, False
    last = store.value("last_archive")
    if last and is_archive(Path(str(last))):
        return Path(str(last)), False
    return default_archive_dir(), True


def icon() -> QIcon:
    return QIcon(str(resources.files("desktop.resources") / "zicha.svg"))


def no_screen() -> bool:
    """Qt aborts without a display; say so instead (Linux without X11/Wayland)."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def settle_heap() -> None:
    """Move everything alive after start-up out of the garbage collector's sight.

    Qt, PyMuPDF and SQLAlchemy leave ~175,000 long-lived objects; a full collection over them
    takes 100-130 ms and, triggered on an import or extraction thread, holds the GIL and
    freezes the window for that long. Frozen, a full collection takes 10-25 ms.
    """
    gc.collect()
    gc.freeze()


REVIEW_SUFFIX = ".zicha-review.zip"


def package_kind(path: Path) -> str:
    """"review" or "transfer": which of our packages a file handed to the window (a
    double-click in the file manager) is, by the manifest each writes as its first member
    (package.json, transfer.json), else by the review package's name. The open actions then
    check the file in full and say what is wrong with it."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        names = []
    if names and names[0] == "package.json":
        return "review"
    if names and names[0] == "transfer.json":
        return "transfer"
    return "review" if path.name.lower().endswith(REVIEW_SUFFIX) else "transfer"


def open_package(window: MainWindow, path: Path) -> None:
    """Start the window's own open action on `path`: a review package opens for review (no
    archive needed); a 报送包 or 下发包 is applied in the transfer inbox of the open archive."""
    if package_kind(path) == "review":
        window.open_review_package(path)
        return
    inbox = window.show_transfer_inbox()
    if inbox is None:
        title = QCoreApplication.translate("MainWindow", "无法应用报送包或下发包")
        text = QCoreApplication.translate(
            "MainWindow", "{name}：当前没有可写入的档案，无法应用。请打开要应用它的档案后，"
            "在“报送包收件箱”中选择这个文件。")
        QMessageBox.warning(window, title, text.format(name=path.name))
        return
    inbox.apply_files([path])


def run(archive_dir: Path | None = None, *, quit_after: float | None = None,
        package: Path | None = None) -> int:
    from desktop.core.common.errors import ZichaError
    from desktop.ui.main_window import MainWindow

    if no_screen():
        raise ZichaError("没有可用的图形界面（未设置 DISPLAY）；请在桌面环境中运行，"
                         "或使用 zicha 的命令行子命令")
    existing = QApplication.instance()  # typed as the QCoreApplication base
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    register_bundled_fonts()
    app.setApplicationName("Zicha")
    app.setApplicationDisplayName("Zicha 材料自查档案")
    app.setWindowIcon(icon())
    install_translations(app)
    store = settings()
    window = MainWindow(store)
    root, create = startup_archive(archive_dir, store)
    window.show_as_last_time()
    window.open_archive(root, create=create)
    settle_heap()
    if package is not None:  # a package double-clicked in the file manager: once the archive
        # it is applied in is open (opened on a worker)
        window.when_opened(lambda: open_package(window, package))
    if quit_after is not None:  # a smoke test: prove the window came up, then leave cleanly
        def leave() -> None:
            categories = window.tree_model.category_count()
            print(f"zicha gui: {window.windowTitle()} ({categories} 测评项目)",
                  flush=True)
            window.close()
            app.quit()

        # counted from when the archive is shown (it is opened, or created, on a worker)
        window.when_opened(lambda: QTimer.singleShot(int(quit_after * 1000), leave))
    return app.exec()
