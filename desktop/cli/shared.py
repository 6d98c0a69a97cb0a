"""What every command group shares: the parser class, exit codes, JSON and text output, the
Chinese labels, `--archive` resolution and the one-line error helpers."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, overload

from desktop.core.archive.kinds import ReviewState, Role
from desktop.core.common.atomic import NO_ROOM, WriteFailed, database_failure, write_failed
from desktop.core.common.errors import ZichaError
from desktop.core.common.limits import quoted
from desktop.core.review.workflow import STAGE_LABELS, STATE_LABELS

if TYPE_CHECKING:  # the archive (SQLAlchemy) is imported by the commands that open one: not by
    # `zicha verify EXPORT`, which needs none
    from desktop.core.archive.archive import Archive

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

#: a group module's `COMMANDS` gives, for each command, what adds its options to its
#: subparser (given the parent parser of --archive/--json for nested subcommands) and its handler
Options = Callable[["Parser", "Parser"], None]
Handler = Callable[[argparse.Namespace], int]


class UsageError(ZichaError):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line on stderr, exit 2
        raise UsageError(f"{self.prog}: {message}（用 --help 查看用法）")


def one_line(message: str) -> str:
    """The exit-code rule promises one line on stderr, whatever a library put in a message;
    a short one, whatever the message quotes."""
    return quoted(message, 2000)


def with_hint(message: str, exc: ZichaError) -> str:
    """The core's message (also what the window shows) and the command-line hint it carries."""
    hint = getattr(exc, "hint", "")
    return one_line(f"{message}；{hint}" if hint else message)


def emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- Chinese labels for the plain-text output (--json keeps the codes) ------------------------

VERDICT_LABELS = {"approve": "通过", "reject": "退回"}
TEXT_LABELS = {"pending": "等待提取", "done": "已提取", "no_text": "无文字", "failed": "提取失败",
               "none": "无需 OCR"}


def state_label(state: str) -> str:
    """草稿、待初审 … for a review state code (draft, submitted …)."""
    try:
        return STATE_LABELS[ReviewState(state)]
    except ValueError:
        return state


def stage_label(stage: str) -> str:
    try:
        return STAGE_LABELS[Role(stage)]
    except (ValueError, KeyError):
        return stage


def role_label(role: str) -> str:
    """A roster role ("clerk", "first@市文明办") in Chinese: 经办人、初审（限市文明办）."""
    code, _, department = role.partition("@")
    label = {"clerk": "经办人", "admin": "管理员"}.get(code) or stage_label(code)
    return f"{label}（限{department}）" if department else label


def state_code(value: str | None) -> str | None:
    """--stage takes the code (draft …) or its Chinese label (草稿 …)."""
    by_label = {label: str(state) for state, label in STATE_LABELS.items()}
    return by_label.get(value.strip(), value) if value else value


def print_checks(checks, label) -> None:  # type: ignore[no-untyped-def]
    """One line per check ("[通过] 名称（数量）"), its problems and notes indented below."""
    for check in checks:
        mark = "通过" if check.ok else "失败"
        count = f"（{check.count}）" if check.count else ""
        print(f"[{mark}] {label(check)}{count}")
        for p in check.problems:
            print(f"    ✗ {p}")
        for n in check.notes:
            print(f"    · {n}")


# -- arguments -----------------------------------------------------------------------------------

def archive_dir(args: argparse.Namespace) -> Path:
    if args.archive:
        return Path(args.archive)
    from desktop.core.archive.archive import default_archive_dir

    return default_archive_dir()


def open_archive(args: argparse.Namespace, *, writable: bool) -> Archive:
    from desktop.core.archive.archive import Archive

    return Archive.open(archive_dir(args), writable=writable)


@overload
def parse_date(value: str, flag: str) -> dt.date: ...
@overload
def parse_date(value: None, flag: str) -> None: ...
def parse_date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"zicha: {flag} {value} 不是日期，请写成 2024-06-30") from None


def passphrase(name: str, *, confirm: bool = False) -> str:
    value = os.environ.get("ZICHA_PASSPHRASE")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise ZichaError(f"需要 {name} 的口令：在终端中运行，或设置环境变量 ZICHA_PASSPHRASE")
    value = getpass.getpass(f"{name} 的口令: ")
    if confirm and getpass.getpass("再输入一次: ") != value:
        raise ZichaError("两次输入的口令不一致")
    return value


def storage_failure(exc: BaseException, archive_root: Path | None) -> ZichaError | None:
    """The one line for a write the disk refused (full, I/O error, read only) — from SQLite
    or from a file — or None when `exc` is something else."""
    if isinstance(exc, WriteFailed):
        return exc
    if isinstance(exc, OSError) and exc.errno in NO_ROOM:
        return write_failed(exc, Path(exc.filename or archive_root or "."))
    from desktop.core.archive.archive import DB_NAME

    root = archive_root or Path(".")
    return database_failure(exc, root / DB_NAME)
