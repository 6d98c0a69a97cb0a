"""Starting the desktop app: settings, translations, the first archive."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.core.archive import default_archive_dir, is_archive


def config_dir() -> Path:
    """The user's own config folder (also holds their key store); ZICHA_HOME overrides it."""
    env = os.environ.get("ZICHA_HOME")
    return Path(env) if env else Path(platformdirs.user_config_dir("zicha", appauthor=False))


def settings() -> QSettings:
    path = config_dir() / "settings.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def install_translations(app: QApplication) -> None:
    """Chinese is the source language; English (or others) come from resources/translations."""
    locale = QLocale()
    if locale.language() in (QLocale.Language.Chinese, QLocale.Language.C):
        qt = QTranslator(app)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
        return
    ours = QTranslator(app)
    folder = Path(__file__).resolve().parents[2] / "resources" / "translations"
    if ours.load(locale, "zicha", "_", str(folder)):
        app.installTranslator(ours)


def startup_archive(requested: Path | None, store: QSettings) -> tuple[Path, bool]:
    """Which archive to open, and whether to create it: the one asked for, else the last one
    used, else the default archive (created on first start)."""
    if requested is not None:
        return requested, False
    last = store.value("last_archive")
    if last and is_archive(Path(str(last))):
        return Path(str(last)), False
    return default_archive_dir(), True


def run(archive_dir: Path | None = None) -> int:
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Zicha")
    app.setApplicationDisplayName("Zicha 材料自查档案")
    install_translations(app)
    store = settings()
    window = MainWindow(store)
    root, create = startup_archive(archive_dir, store)
    window.show()
    window.open_archive(root, create=create)
    return app.exec()
