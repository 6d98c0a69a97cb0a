"""Text extraction: text layers of PDF / DOCX / XLSX / TXT, OCR of images and scanned pages.

Qt-free.  :func:`extract_text` is the fast phase (no OCR) and lists the pages that need OCR;
:func:`ocr_file` reads those; :class:`~desktop.core.extract.runner.ExtractRunner` runs both in
a child process with a per-file time limit, so that a file that hangs or crashes a C library
cannot stall or kill the application.
"""

from desktop.core.extract.base import KINDS, MAX_CHARS, ExtractError, Extraction, PageText
from desktop.core.extract.documents import decode_text, extract_text
from desktop.core.extract.ocr import normalise_ocr_lines, ocr_available, ocr_file
from desktop.core.extract.runner import ExtractJob, ExtractRunner

__all__ = [
    "KINDS",
    "MAX_CHARS",
    "ExtractError",
    "ExtractJob",
    "ExtractRunner",
    "Extraction",
    "PageText",
    "decode_text",
    "extract_text",
    "normalise_ocr_lines",
    "ocr_available",
    "ocr_file",
]
