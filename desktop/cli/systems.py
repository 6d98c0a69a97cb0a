"""`zicha systems`: the indicator systems (测评体系) of an archive — the city system and those
evaluated with it (未成年人思想道德建设, 文明村镇 …) — their prefixes, weights and 测评项目."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.shared import EXIT_OK, Handler, Options, Parser, UsageError, emit, open_archive
from desktop.core.archive.systems import (
    add_category,
    add_system_file,
    create_system,
    edit_system,
    remove_system,
    systems,
)


def options_systems(p: Parser, common: Parser) -> None:
    sub = p.add_subparsers(dest="systems_cmd", parser_class=Parser)
    sub.add_parser("list", parents=[common], help="列出（默认）")
    a = sub.add_parser("add", parents=[common],
                       help="添加一个测评体系：从 YAML 文件，或用 --name 建一个空的")
    a.add_argument("file", nargs="?", type=Path, help="测评体系文件（YAML）")
    a.add_argument("--name", help="不用文件时：测评体系的名称")
    a.add_argument("--prefix", help="编号前缀，1 到 3 个大写字母（如 W：编号为 W01、W01.02）")
    a.add_argument("--weight", type=int, metavar="N", help="测评结果计入总成绩的权重（百分比）")
    a.add_argument("--edition", default="", help="不用文件时：版本年份，如 2023")
    a.add_argument("--level", default="", help="不用文件时：适用范围")
    a.set_defaults(handler=cmd_systems_add)
    e = sub.add_parser("edit", parents=[common], help="修改测评体系的名称或权重")
    e.add_argument("system", help="测评体系的编号前缀、id 或名称")
    e.add_argument("--name", help="新名称（主测评体系不能改名）")
    weight = e.add_mutually_exclusive_group()
    weight.add_argument("--weight", type=int, metavar="N", help="权重（百分比）")
    weight.add_argument("--no-weight", action="store_true", help="去掉权重")
    e.set_defaults(handler=cmd_systems_edit)
    r = sub.add_parser("remove", parents=[common],
                       help="删除本单位添加的测评体系（其中没有材料、任务时）")
    r.add_argument("system", help="测评体系的编号前缀、id 或名称")
    r.set_defaults(handler=cmd_systems_remove)
    c = sub.add_parser("add-category", parents=[common],
                       help="在本单位添加的测评体系中新建一个测评项目")
    c.add_argument("system", help="测评体系的编号前缀、id 或名称")
    c.add_argument("name", help="测评项目名称")
    c.set_defaults(handler=cmd_systems_add_category)


def cmd_systems(args: argparse.Namespace) -> int:
    """`zicha systems [list]`."""
    with open_archive(args, writable=False) as archive:
        found = systems(archive)
    if args.json:
        emit([s.to_json() for s in found])
        return EXIT_OK
    for s in found:
        prefix = s.prefix or "（无前缀，主测评体系）"
        weight = f"，权重 {s.weight_text}" if s.weight is not None else ""
        print(f"{prefix} {s.label}{weight}：测评项目 {s.categories} 个，测评内容 {s.items} 项，"
              f"材料 {s.materials} 份  [{s.id}]")
    return EXIT_OK


def cmd_systems_add(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.name is None):
        raise UsageError("zicha systems add: 请给出测评体系文件，或用 --name 建一个空的测评体系"
                         "（二者选一）")
    with open_archive(args, writable=True) as archive:
        if args.file is not None:
            if args.edition or args.level:
                raise UsageError("zicha systems add: --edition 和 --level 只用于 --name；"
                                 "用文件时写在文件中")
            view = add_system_file(archive, args.file, prefix=args.prefix, weight=args.weight)
        else:
            if not args.prefix:
                raise UsageError("zicha systems add --name: 请用 --prefix 指定编号前缀，如 W")
            view = create_system(archive, args.name, prefix=args.prefix, weight=args.weight,
                                 edition=args.edition, level=args.level)
    if args.json:
        emit(view.to_json())
    else:
        weight = f"，权重 {view.weight_text}" if view.weight is not None else ""
        print(f"已添加测评体系 {view.label}（编号前缀 {view.prefix}{weight}）："
              f"测评项目 {view.categories} 个，测评内容 {view.items} 项")
    return EXIT_OK


def cmd_systems_edit(args: argparse.Namespace) -> int:
    kwargs: dict[str, object] = {}
    if args.name is not None:
        kwargs["name"] = args.name
    if args.no_weight:
        kwargs["weight"] = None
    elif args.weight is not None:
        kwargs["weight"] = args.weight
    if not kwargs:
        raise UsageError("zicha systems edit: 没有要修改的内容（--name、--weight 或 --no-weight）")
    with open_archive(args, writable=True) as archive:
        changes = edit_system(archive, args.system, **kwargs)  # type: ignore[arg-type]
    if args.json:
        emit({"system": args.system, "changes": changes})
    elif changes:
        def shown(key: str, value: object) -> str:
            if key == "weight":
                return "无" if value is None else f"{value}%"
            return str(value)

        print("已修改测评体系：" + "，".join(
            f"{'名称' if k == 'name' else '权重'} {shown(k, old)} → {shown(k, new)}"
            for k, (old, new) in changes.items()))
    else:
        print("没有改动")
    return EXIT_OK


def cmd_systems_remove(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        view = remove_system(archive, args.system)
    if args.json:
        emit({"removed": view.to_json()})
    else:
        print(f"已删除测评体系 {view.label}（编号前缀 {view.prefix}）")
    return EXIT_OK


def cmd_systems_add_category(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        code = add_category(archive, args.system, args.name)
    if args.json:
        emit({"code": code, "name": " ".join(args.name.split())})
    else:
        print(f"已新建测评项目 {code} {' '.join(args.name.split())}")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "systems": (options_systems, cmd_systems),
}
