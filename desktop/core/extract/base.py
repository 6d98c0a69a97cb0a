"""Result types shared by the extractors, the OCR and the runner."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.common import formats

__all__ = ["KINDS", "MAX_CHARS", "Extraction", "ExtractError", "PageText", "TextBudget",
           "clean_text", "kind_of"]

KINDS = formats.KINDS

# Text kept per file.  A workbook of a million rows would otherwise yield hundreds of megabytes
# of text that nobody searches; what is beyond the limit is dropped (the file still ends "done").
MAX_CHARS = 10_000_000

# C0 controls other than tab and newline, DEL, and lone surrogates (undecodable PDF text)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class PageText:
    """Text of one page: a PDF page, an image frame, an XLSX sheet; DOCX and TXT have page 0."""

    index: int  # 0-based
    text: str
    source: str  # "text" or "ocr"


@dataclass(frozen=True)
class Extraction:
    """Outcome of extracting one file.

    ``state`` is "done", "no_text" (nothing found and nothing to OCR) or "failed".
    ``ocr_pages`` lists the pages (image frames) that still need OCR; a page listed there may
    also be in ``pages`` with the little text it had, and its OCR text replaces that.
    ``reason`` is one line of Chinese for "failed" and "no_text".
    """

    state: str
    pages: tuple[PageText, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    reason: str = ""

    @property
    def text(self) -> str:
        """All pages joined with blank lines (convenience for tests and plain indexing)."""
        return "\n\n".join(page.text for page in self.pages)


class TextBudget:
    """Characters still to keep of one file, shared by its pages, so that one file cannot
    flood the index (see MAX_CHARS)."""

    def __init__(self) -> None:
        self.left = MAX_CHARS

    def take(self, text: str) -> str:
        text = text[: max(self.left, 0)]
        self.left -= len(text)
        return text

    @property
    def spent(self) -> bool:
        return self.left <= 0


class ExtractError(Exception):
    """A file could not be read; ``reason`` is one line of Chinese that says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = one_line(reason)


def kind_of(kind: str) -> str:
    """Canonical kind name (accepts jpg, tif, txt, wps, …); ValueError for a name no row of
    formats.py has."""
    canonical = formats.canonical(kind)
    if canonical not in KINDS:
        raise ValueError(f"不支持的文件类型：{kind}")
    return canonical


def clean_text(text: str) -> str:
    """Unix newlines, no control characters, no trailing blanks at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).rstrip()


def one_line(message: str, limit: int = 200) -> str:
    """Collapse a message to one line of at most ``limit`` characters."""
    flat = " ".join(str(message).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """``TypeName: message`` of an exception, on one line."""
    message = one_line(str(exc), 150)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
