"""Helpers for the DOCX documents we write (提交表, 材料目录, 台账 reports) with python-docx."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.text.run import Run


def set_fonts(owner: Run | CharacterStyle | ParagraphStyle, name: str) -> None:
    """Set the font of a run or style for Latin and Chinese text: font.name only fills the Latin
    slots (w:ascii, w:hAnsi), CJK text uses w:eastAsia, and theme fonts (as in the default
    template's heading styles) would override both."""
    owner.font.name = name
    fonts = owner.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # type: ignore[call-overload]  # lxml-stubs: no None default
