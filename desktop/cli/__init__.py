"""`zicha`: the command line over the same core services the window uses (DESIGN.md §6).

One module per command group (archive, materials, systems, search, people, review, package,
ledger, export) holds each command's options beside its handler, as `COMMANDS = {name: (options,
handler)}`. main() imports only the group of the command it is given and registers only that
subparser, so an ordinary command does not import the others' libraries; `zicha --help`, `zicha`
alone or an unknown word gets every name with its one-line help from the table below.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import multiprocessing
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from desktop import __version__
from desktop.cli.shared import (
    EXIT_FAIL,
    EXIT_USAGE,
    Parser,
    UsageError,
    archive_dir,
    one_line,
    storage_failure,
    with_hint,
)
from desktop.core.common.errors import ZichaError
from desktop.core.common.startup import command_finished, loading

if TYPE_CHECKING:  # never run: names every group for type checkers and for PyInstaller's
    # analysis, which does not follow importlib.import_module(f"desktop.cli.{group}")
    from desktop.cli import (  # noqa: F401
        archival,
        archive,
        export,
        ledger,
        marks,
        materials,
        package,
        people,
        review,
        search,
        systems,
        transfer,
    )

#: every command in the order `zicha --help` lists them: its group module and one-line help
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("archive", "创建档案"),
    "info": ("archive", "档案概况：档案编号、名称、单位、测评体系、数据库"),
    "import": ("materials", "导入文件或文件夹（递归）为材料"),
    "search": ("search", "全文搜索材料"),
    "index": ("search", "全文索引"),
    "texts": ("materials", "文件的文字提取状态"),
    "key": ("people", "密钥"),
    "user": ("people", "名册：人员与角色"),
    "submit": ("review", "提交材料送初审"),
    "review": ("review", "审核一份材料并签名"),
    "package": ("package", "离线审核包：导出、审核签名、应用决定"),
    "transfer": ("transfer", "报送包与下发包：单位向市创文办报送材料，市创文办合并、审核后"
                             "下发结果、任务与回执"),
    "history": ("review", "一份材料的审核记录（逐条验证签名）"),
    "delete": ("materials", "删除一份草稿材料"),
    "list": ("materials", "列出材料"),
    "show": ("materials", "显示一份材料"),
    "edit": ("materials", "修改材料信息"),
    "items": ("materials", "测评项目与测评内容"),
    "archival": ("archival", "档号：全宗号与保管期限规则、档号登记、撤销档号"),
    "marks": ("marks", "红线标注：材料 PDF 页面上画在文字下方的红线"),
    "systems": ("systems", "测评体系：城市测评体系与同创同测的测评体系（未成年人、文明村镇…）"),
    "tasks": ("ledger", "任务分解清单与台账：导入、状态、销号、导出"),
    "report": ("ledger", "报告"),
    "problem": ("ledger", "问题整改：发现、交办、整改、确认或退回"),
    "negative": ("ledger", "负面清单：登记风险与事件、防范措施、发生与处置"),
    "export": ("export", "导出网上申报材料（BagIt 包，ZIP 或文件夹），并做四性检测"),
    "verify": ("archive", "检查档案（哈希、引用、审计日志、数据库），或对导出包做四性检测"),
    "migrate": ("archive", "把档案复制到另一种数据库（SQLite 与 PostgreSQL 之间）并逐一核对"),
    "demo": ("archive", "创建一个示例档案"),
    "gui": ("archive", "打开窗口"),
}

# top-level options that take a value (the word after them is not the command)
_VALUE_OPTIONS = ("--archive", "--quit-after")


def _group(name: str) -> ModuleType:
    """The module of this command's group, imported now (not at start-up)."""
    return importlib.import_module(f"desktop.cli.{COMMANDS[name][0]}")


def _parser(names: Iterable[str], *, full: bool) -> argparse.ArgumentParser:
    """The `zicha` parser with these commands; with `full`, each with its options and handler
    (its group imported), else only its name and help (for the top-level help and errors)."""
    common = Parser(add_help=False)
    common.add_argument("--archive", metavar="DIR", default=argparse.SUPPRESS,
                        help="档案文件夹（默认: 环境变量 ZICHA_ARCHIVE 或用户数据目录）")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="以 JSON 输出")
    parser = Parser(prog="zicha", description="Zicha 材料自查档案", parents=[common])
    parser.add_argument("--version", action="version", version=f"zicha {__version__}")
    parser.add_argument("--quit-after", dest="quit_after", type=float, metavar="S",
                        default=None, help="（不带子命令时）S 秒后关闭窗口，用于冒烟测试")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for name in names:
        help_ = COMMANDS[name][1]
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        if full:
            options, handler = _group(name).COMMANDS[name]
            if options is not None:
                options(p, common)
            if handler is not None:  # else each of its (required) subcommands sets one
                p.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, every command with its options (imports every group)."""
    return _parser(COMMANDS, full=True)


def _command_word(argv: Sequence[str]) -> str | None:
    """The command this argv names (its first word that is not a top-level option or an
    option's value), or None where the whole list is needed: no command, an unknown word, or
    --help before the command."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--":  # argparse's own reading of what follows: leave it the whole list
            return None
        elif word.startswith("--") and "=" not in word and len(word) > 2:
            if "--help".startswith(word):
                return None
            skip = any(option.startswith(word) for option in _VALUE_OPTIONS)
        elif word == "-h":
            return None
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


EXIT_PIPE = 128 + 13  # as if killed by SIGPIPE, like other commands whose reader went away


def _pipe_closed() -> int:
    """The reader of our output went away (`zicha list | head -1`): stop quietly. Python would
    still flush stdout at exit and complain, so point stdout at the null device first (the
    Python documentation's advice for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def _archive_dir_or_none(archive: str | None) -> Path | None:
    with contextlib.suppress(Exception):
        return Path(archive) if archive else archive_dir(argparse.Namespace(archive=None))
    return None


def gui_main() -> int:
    """`zicha-gui`: the installed window entry point, the same as `zicha gui`."""
    return main(["gui", *sys.argv[1:]])


def main(argv: Sequence[str] | None = None) -> int:
    # a frozen app (PyInstaller) is also the text-extraction child: let it become that child
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    finally:
        command_finished()


def _run(argv: list[str]) -> int:
    args: argparse.Namespace | None = None
    try:
        word = _command_word(argv)
        with loading():  # the command's group and what it imports at its top
            parser = _parser(COMMANDS, full=False) if word is None else _parser([word], full=True)
        args = parser.parse_args(argv)
        for name, default in (("archive", None), ("json", False)):
            if not hasattr(args, name):
                setattr(args, name, default)
        if args.command is None:
            return _group("gui").cmd_gui(argparse.Namespace(target=None, archive=args.archive,
                                                            quit_after=args.quit_after))
        code = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a noise at exit
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except UsageError as exc:
        print(with_hint(str(exc), exc), file=sys.stderr)
        return EXIT_USAGE
    except ZichaError as exc:
        print(with_hint(f"zicha: {exc}", exc), file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("zicha: 已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: still one line, details on request
        if os.environ.get("ZICHA_DEBUG"):
            raise
        archive = _archive_dir_or_none(getattr(args, "archive", None))
        if (failure := storage_failure(exc, archive)) is not None:
            print(with_hint(f"zicha: {failure}", failure), file=sys.stderr)
            return EXIT_FAIL
        print(one_line(f"zicha: 内部错误 {type(exc).__name__}: {exc}"
                       "（设置 ZICHA_DEBUG=1 查看详情）"), file=sys.stderr)
        return EXIT_FAIL
