"""Chinese is the source language; English comes from resources/translations/zicha_en.qm."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources

from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from desktop.ui.app import install_translations, ui_language


def test_every_string_has_an_english_translation() -> None:
    ts = resources.files("desktop.resources") / "translations" / "zicha_en.ts"
    messages = list(ET.parse(str(ts)).iter("message"))
    assert len(messages) > 50
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") in ("unfinished", "obsolete")
                  or not (m.findtext("translation") or "").strip()]
    assert unfinished == []


def test_english_window(main_window, qtbot, monkeypatch) -> None:
    app = QCoreApplication.instance()
    monkeypatch.setenv("ZICHA_LANG", "en_GB")
    assert ui_language() == "en"
    from desktop.ui.main_window import MainWindow

    try:
        assert install_translations(app)
        window = MainWindow(main_window.settings)
        qtbot.addWidget(window)
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus == ["&File", "&Edit", "&Tasks", "&Review", "&Help"]
        assert window.table_model.headerData(1, Qt.Orientation.Horizontal) == "Title"
    finally:  # later tests expect the Chinese source strings
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)


def test_chinese_by_default(monkeypatch) -> None:
    monkeypatch.setenv("ZICHA_LANG", "zh_CN")
    assert ui_language() == "zh"
    monkeypatch.setenv("ZICHA_LANG", "C")
    assert ui_language() == "zh"
