"""`zicha key` and `zicha user`: signing keys and the roster."""

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
    passphrase,
    role_label,
)
from desktop.core.review import keys, roster


def options_key(p: Parser, common: Parser) -> None:
    key_sub = p.add_subparsers(dest="key_cmd", parser_class=Parser, required=True)
    k = key_sub.add_parser("new", parents=[common], help="在本机密钥库中为某人创建签名密钥")
    k.add_argument("name", metavar="NAME")
    k.set_defaults(handler=cmd_key_new)


def cmd_key_new(args: argparse.Namespace) -> int:
    public = keys.new_key(args.name, passphrase(args.name, confirm=True))
    if args.json:
        emit({"name": args.name, "public_key": public, "path": str(keys.key_path(args.name))})
    else:
        print(public)
    return EXIT_OK


def options_user(p: Parser, common: Parser) -> None:
    user_sub = p.add_subparsers(dest="user_cmd", parser_class=Parser)
    user_sub.add_parser("list", parents=[common], help="列出名册（默认）")
    u = user_sub.add_parser("add", parents=[common], help="登记一个人")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--department", required=True, metavar="D", help="所在单位")
    u.add_argument("--role", action="append", required=True, metavar="R",
                   help="clerk、first、second、final、admin；first@部门 表示只审该部门的材料")
    u.add_argument("--public-key", dest="public_key", required=True, metavar="KEY",
                   help="zicha key new 打印的公钥")
    u.add_argument("--as", dest="as_", metavar="ADMIN",
                   help="做这项改动的管理员（名册中已有管理员时必填）")
    u.set_defaults(handler=cmd_user_add)
    u = user_sub.add_parser("set", parents=[common], help="修改一个人的部门或角色")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--department", metavar="D", help="新的所在单位")
    u.add_argument("--role", action="append", metavar="R",
                   help="新的全部角色（可重复；替换原有角色）")
    u.add_argument("--as", dest="as_", required=True, metavar="ADMIN", help="管理员")
    u.set_defaults(handler=cmd_user_set)
    for verb, text, handler in (
            ("retire", "停用一个人（已签的审核仍然有效）", cmd_user_retire),
            ("reinstate", "恢复在岗", cmd_user_reinstate)):
        u = user_sub.add_parser(verb, parents=[common], help=text)
        u.add_argument("name", metavar="NAME")
        u.add_argument("--as", dest="as_", required=True, metavar="ADMIN", help="管理员")
        u.set_defaults(handler=handler)
    u = user_sub.add_parser("key", parents=[common],
                            help="换成新的公钥（只在此人尚未签过审核时可以）")
    u.add_argument("name", metavar="NAME")
    u.add_argument("--public-key", dest="public_key", required=True, metavar="KEY")
    u.add_argument("--as", dest="as_", required=True, metavar="ADMIN", help="管理员")
    u.set_defaults(handler=cmd_user_key)


def cmd_user(args: argparse.Namespace) -> int:
    """`zicha user [list]`: the roster."""
    with open_archive(args, writable=False) as archive:
        people = roster.people(archive)
    if args.json:
        emit([p.to_json() for p in people])
    else:
        for p in people:
            retired = "（已停用）" if getattr(p, "retired", False) else ""
            print(f"{p.name}{retired}\t{p.department}\t{'、'.join(role_label(r) for r in p.roles)}"
                  f"\t{p.public_key}")
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        roster.add_person(archive, args.name, args.department, args.role, args.public_key,
                          actor=args.as_)
    if args.json:
        emit({"name": args.name, "added": True})
    else:
        print(f"已登记 {args.name}（{args.department}，"
              f"{'、'.join(role_label(r) for r in args.role)}）")
    return EXIT_OK


def _changed(args: argparse.Namespace, done: str) -> int:
    """What `user set | retire | reinstate | key` print once the roster is changed."""
    if args.json:
        emit({"name": args.name, "changed": args.user_cmd})
    else:
        print(done)
    return EXIT_OK


def cmd_user_set(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        if args.department is None and not args.role:
            raise UsageError("zicha user set: 没有要修改的内容；用 --department 或 --role 给出")
        person = roster.update_person(archive, args.name, department=args.department,
                                      roles=args.role or None, actor=args.as_)
    return _changed(args, f"{person.name}：{person.department}，"
                          f"{'、'.join(role_label(r) for r in person.roles)}")


def cmd_user_retire(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        roster.retire_person(archive, args.name, actor=args.as_)
    return _changed(args, f"已停用 {args.name}（其已签的审核仍然有效）")


def cmd_user_reinstate(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        roster.reinstate_person(archive, args.name, actor=args.as_)
    return _changed(args, f"{args.name} 已恢复在岗")


def cmd_user_key(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        roster.replace_key(archive, args.name, args.public_key, actor=args.as_)
    return _changed(args, f"已为 {args.name} 换上新的公钥")


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "key": (options_key, None),
    "user": (options_user, cmd_user),
}
