"""`zicha archival`: the 档号 rules (全宗号, 保管期限 per 测评项目) and the register of numbers."""

from __future__ import annotations

import argparse

from desktop.cli.shared import EXIT_OK, Handler, Options, Parser, UsageError, emit, open_archive
from desktop.core.archive.archive import default_actor
from desktop.core.review import archival
from desktop.core.review.archival import RETENTIONS, ArchivalRules

RETENTION_HELP = "保管期限代码：Y（永久）、D30（定期30年）、D10（定期10年）"


def options_archival(p: Parser, common: Parser) -> None:
    sub = p.add_subparsers(dest="archival_cmd", parser_class=Parser)
    sub.add_parser("show", parents=[common], help="显示档号规则与登记概况（默认）")
    s = sub.add_parser("set", parents=[common], help="设置全宗号与保管期限规则（管理员）")
    s.add_argument("--fonds", metavar="F", help="全宗号，1 至 16 个字母或数字，如 Z001")
    s.add_argument("--retention", metavar="CODE", help=f"默认保管期限；{RETENTION_HELP}")
    s.add_argument("--category", metavar="CODE=RET", action="append", default=[],
                   help="某个测评项目的保管期限，如 01=Y（可重复）")
    s.add_argument("--clear-category", metavar="CODE", action="append", default=[],
                   help="去掉某个测评项目的保管期限规则，改用默认（可重复）")
    s.add_argument("--as", dest="as_", metavar="ADMIN", default=None,
                   help="管理员（名册已有管理员时必须给出）")
    s.set_defaults(handler=cmd_archival_set)
    r = sub.add_parser("register", parents=[common], help="档号登记：每个已给出的档号")
    r.add_argument("--year", type=int, metavar="Y", help="只列出该年度的档号")
    r.set_defaults(handler=cmd_archival_register)
    w = sub.add_parser("withdraw", parents=[common], help="撤销一份材料的档号（管理员）")
    w.add_argument("id", type=int, metavar="ID", help="材料编号")
    w.add_argument("--reason", required=True, metavar="TEXT", help="撤销原因")
    w.add_argument("--as", dest="as_", metavar="ADMIN", default=None,
                   help="管理员（名册已有管理员时必须给出）")
    w.set_defaults(handler=cmd_archival_withdraw)


def _rules_text(rules: ArchivalRules) -> list[str]:
    lines = [f"全宗号：{rules.fonds or '（未设置：终审通过的材料暂不编档号）'}",
             f"默认保管期限：{rules.retention}（{RETENTIONS.get(rules.retention, '?')}）"]
    for code, retention in sorted(rules.categories.items()):
        lines.append(f"  测评项目 {code}：{retention}（{RETENTIONS.get(retention, '?')}）")
    return lines


def cmd_archival(args: argparse.Namespace) -> int:
    """`zicha archival [show]`."""
    with open_archive(args, writable=False) as archive:
        rules = archival.archival_rules(archive)
        lines = archival.register(archive)
    given = sum(not line.withdrawn for line in lines)
    if args.json:
        emit({**rules.to_json(), "numbering": rules.numbering, "numbers": len(lines),
              "in_force": given, "withdrawn": len(lines) - given})
        return EXIT_OK
    for line in _rules_text(rules):
        print(line)
    print(f"已给出档号 {len(lines)} 个：在用 {given}，已撤销 {len(lines) - given}")
    return EXIT_OK


def _retention(code: str, flag: str) -> str:
    value = code.strip().upper()
    if value not in RETENTIONS:
        raise UsageError(f"zicha archival set: {flag} 的“{code}”不是保管期限代码；{RETENTION_HELP}")
    return value


def cmd_archival_set(args: argparse.Namespace) -> int:
    if args.fonds is None and args.retention is None and not args.category \
            and not args.clear_category:
        raise UsageError("zicha archival set: 至少给出 --fonds、--retention、--category 或 "
                         "--clear-category 之一")
    actor = args.as_ or default_actor()
    with open_archive(args, writable=True) as archive:
        current = archival.archival_rules(archive)
        categories = dict(current.categories)
        for code in args.clear_category:
            categories.pop(code.strip(), None)
        for pair in args.category:
            code, sep, value = pair.partition("=")
            if not sep or not code.strip():
                raise UsageError(f"zicha archival set: --category 应写成 测评项目编号=保管期限，"
                                 f"如 01=Y（收到“{pair}”）")
            categories[code.strip()] = _retention(value, "--category")
        rules = ArchivalRules(
            fonds=current.fonds if args.fonds is None else args.fonds.strip(),
            retention=current.retention if args.retention is None
            else _retention(args.retention, "--retention"),
            categories=categories)
        saved = archival.set_rules(archive, rules, actor=actor)
    if args.json:
        emit(saved.to_json())
        return EXIT_OK
    for line in _rules_text(saved.rules):
        print(line)
    if saved.numbered:
        print(f"已为 {len(saved.numbered)} 份此前终审通过的材料编了档号：")
        for material_id, code in saved.numbered:
            print(f"  #{material_id}\t{code}")
    return EXIT_OK


def cmd_archival_register(args: argparse.Namespace) -> int:
    with open_archive(args, writable=False) as archive:
        lines = archival.register(archive, year=args.year)
    if args.json:
        emit([line.to_json() for line in lines])
        return EXIT_OK
    for line in lines:
        who = f"#{line.material_id}" if line.material_id is not None else "（材料已删除）"
        state = (f"已撤销 {line.withdrawn_at[:10] if line.withdrawn_at else ''} "
                 f"{line.withdrawn_by}：{line.withdrawn_reason}" if line.withdrawn else "在用")
        print(f"{line.code.text}\t{who}\t{line.title}\t{line.assigned_at[:10]}\t{state}")
    print(f"共 {len(lines)} 个档号")
    return EXIT_OK


def cmd_archival_withdraw(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        line = archival.withdraw(archive, args.id, args.reason, actor=args.as_ or default_actor())
    if args.json:
        emit(line.to_json())
    else:
        print(f"已撤销材料 #{args.id} 的档号 {line.code.text}（登记中保留，不再使用）")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "archival": (options_archival, cmd_archival),
}
