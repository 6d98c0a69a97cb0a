"""Limits on what comes in from outside (task lists, profiles, imported files, extraction), and
the one way error messages quote what the user gave: shortened, so that a three-million
character name cannot turn one error line into megabytes."""

from __future__ import annotations

import time

MB = 1024 * 1024

# 任务分解清单 (.xlsx): a real list is a few hundred rows and well under 1 MB unpacked
TASK_LIST_MAX_BYTES = 50 * MB  # the .xlsx file itself
TASK_LIST_MAX_UNZIPPED = 100 * MB  # all its members unpacked, as declared (zipfile reads no more)
TASK_LIST_MAX_SHEET_XML = 50 * MB  # one member (a worksheet, the shared strings), unpacked
TASK_LIST_MAX_PART_XML = 10 * MB  # any other XML part (styles, workbook): parsed whole
TASK_LIST_MAX_ROWS = 20_000
TASK_LIST_MAX_CELLS = 400_000  # <c> elements of one sheet, empty ones included
TASK_LIST_MAX_COLUMNS = 200
TASK_LIST_SECONDS = 60.0

# 单位配置 (YAML/TOML): names, people and their public keys
PROFILE_MAX_BYTES = 2 * MB

# imported files
IMPORT_MAX_BYTES = 2048 * MB  # one file; scans of a few hundred pages stay far below
PDF_REPAIR_MAX_BYTES = 100 * MB  # a PDF without a readable trailer is repaired only below this
OFFICE_MAX_UNZIPPED = 1024 * MB  # a DOCX/XLSX that inflates beyond this is a zip bomb
UNPACK_MAX_MEMBERS = 10_000  # entries of one archive unpacked on import (folders included)
UNPACK_MAX_BYTES = 4096 * MB  # declared bytes of all its files to write, inner archives too

# the text-extraction child process: address space one job may map beyond what the child
# had mapped when the job began (RLIMIT_AS). The child starts at about 260 MB mapped, 110 MB
# resident; the OCR models add about 750 MB mapped the first time.
EXTRACT_MEMORY_MB = 768
EXTRACT_OCR_MEMORY_MB = 2048

QUOTE_CHARS = 60  # of any text an error message quotes


def quoted(value: object, limit: int = QUOTE_CHARS) -> str:
    """`value` as one line of at most about `limit` characters, for quoting in a message."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 字）"


def size_text(n: int) -> str:
    """Bytes as MB or GB, the way a limit is named in a message."""
    value, unit = (n / (1024 * MB), "GB") if n >= 1024 * MB else (n / MB, "MB")
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


class TimeBudget:
    """Seconds a piece of work may take; `over()` tells when they are spent."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def over(self) -> bool:
        return time.monotonic() > self.ends
