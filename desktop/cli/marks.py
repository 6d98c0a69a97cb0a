"""`zicha marks`: 红线标注 of a material's PDF pages (issue 19, item 1), the command line's way
to what the viewer does with a mouse drag: list, add (by the text to mark), remove."""

from __future__ import annotations

import argparse

from desktop.cli.shared import (
    EXIT_OK,
    Handler,
    Options,
    Parser,
    UsageError,
    emit,
    open_archive,
)
from desktop.core.archive.archive import default_actor
from desktop.core.materials import marks


def options_marks(p: Parser, common: Parser) -> None:
    sub = p.add_subparsers(dest="marks_cmd", parser_class=Parser)
    a = sub.add_parser("list", parents=[common], help="列出一份材料的红线标注")
    a.add_argument("id", type=int, metavar="ID", help="材料编号")
    a.set_defaults(handler=cmd_marks)
    a = sub.add_parser("add", parents=[common],
                       help="在材料 PDF 页面上某段文字的下方画红线（按文字查找位置）")
    a.add_argument("id", type=int, metavar="ID", help="材料编号")
    a.add_argument("text", metavar="TEXT", help="要标注的文字（忽略空格与换行）")
    a.add_argument("--page", type=int, metavar="N", help="第几页（默认为第一处出现的页）")
    a.add_argument("--file", type=int, default=1, metavar="N", dest="file_number",
                   help="材料的第几个文件（默认第 1 个）")
    a.add_argument("--as", dest="as_", metavar="NAME", default=None,
                   help="标注人（默认为当前用户）")
    a.set_defaults(handler=cmd_marks_add)
    r = sub.add_parser("remove", parents=[common], help="删除一处红线标注")
    r.add_argument("mark", type=int, metavar="MARK", help="标注编号（zicha marks list ID 列出）")
    r.add_argument("--as", dest="as_", metavar="NAME", default=None,
                   help="删除人（默认为当前用户）")
    r.set_defaults(handler=cmd_marks_remove)


def _print(mark: marks.Mark) -> None:
    text = mark.text.replace("\n", "")
    print(f"#{mark.id}\t第 {mark.page} 页\t{text}\t（{mark.created_by}，{mark.created_at}）")


def cmd_marks(args: argparse.Namespace) -> int:
    if getattr(args, "id", None) is None:
        raise UsageError("zicha marks: 请给出子命令与材料编号，如 zicha marks list 12")
    with open_archive(args, writable=False) as archive:
        found = marks.list_marks(archive, args.id)
    if args.json:
        emit([m.to_json() for m in found])
        return EXIT_OK
    for mark in found:
        _print(mark)
    print(f"共 {len(found)} 处红线标注")
    return EXIT_OK


def cmd_marks_add(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        made = marks.mark_text(archive, args.id, args.text, actor=args.as_ or default_actor(),
                               page=args.page, file_number=args.file_number)
    if args.json:
        emit(made.to_json())
    else:
        print("已标注红线：", end="")
        _print(made)
    return EXIT_OK


def cmd_marks_remove(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        gone = marks.remove_mark(archive, args.mark, actor=args.as_ or default_actor())
    if args.json:
        emit({**gone.to_json(), "removed": True})
    else:
        print(f"已删除标注 #{gone.id}（审计日志有记录）")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "marks": (options_marks, cmd_marks),
}
