"""`zicha transfer export | apply | list | conflicts`: 报送包 from a department to the city
and the city's merge (docs/transfers.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.shared import EXIT_OK, Handler, Options, Parser, emit, open_archive, passphrase
from desktop.core.review import keys
from desktop.core.transfer import (
    apply_transfer,
    export_transfer,
    open_conflicts,
    transfers,
)
from desktop.core.transfer.merge import CONFLICT_LABELS
from desktop.core.transfer.records import all_conflicts
from desktop.core.transfer.resolve import HOW_LABELS, resolve_conflict

COUNT_LABELS = {"added": "新增", "updated": "更新", "unchanged": "未变", "conflicts": "冲突",
                "materials": "材料", "deleted": "删除", "tasks": "任务进度", "problems": "整改情况",
                "files": "文件"}


def options_transfer(p: Parser, common: Parser) -> None:
    sub = p.add_subparsers(dest="transfer_cmd", parser_class=Parser, required=True)
    e = sub.add_parser("export", parents=[common],
                       help="写出报送包：自上次报送给该档案以来新增或改动的材料、任务进度与整改情况")
    e.add_argument("--to", required=True, metavar="CITY_ARCHIVE_ID",
                   help="接收方（市创文办）档案的编号（zicha info 可见）")
    e.add_argument("--out", required=True, metavar="FILE", help="报送包文件（ZIP；不覆盖已有文件）")
    e.add_argument("--as", dest="as_", required=True, metavar="NAME",
                   help="报送人：名册中在本单位有角色的人，用其密钥签名")
    e.add_argument("--all", dest="all_", action="store_true",
                   help="报送全部内容，而不只是上次报送以来的改动")
    e.set_defaults(handler=cmd_transfer_export)
    a = sub.add_parser("apply", parents=[common],
                       help="验证报送包并合并到本档案（全部或全不）；列出新增、更新、未变与冲突")
    a.add_argument("package", metavar="FILE", help="报送包文件")
    a.add_argument("--as", dest="as_", metavar="NAME", default=None,
                   help="应用人（须在名册中；默认为当前用户）")
    a.set_defaults(handler=cmd_transfer_apply)
    x = sub.add_parser("list", parents=[common], help="已发出和已应用的报送包（序号与数量）")
    x.set_defaults(handler=cmd_transfer_list)
    c = sub.add_parser("conflicts", parents=[common], help="合并留下的未解决冲突")
    c.add_argument("--all", dest="all_", action="store_true",
                   help="也列出已处理的冲突（处理人、时间与方式）")
    c.set_defaults(handler=cmd_transfer_conflicts)
    r = sub.add_parser("resolve", parents=[common],
                       help="处理一条报送冲突：保留本档案的、采用对方的，或两者都保留")
    r.add_argument("conflict", type=int, metavar="ID", help="冲突编号（zicha transfer conflicts）")
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", dest="how", action="store_const", const="keep",
                     help="保留本档案的材料，不采用对方的改动")
    how.add_argument("--theirs", dest="how", action="store_const", const="theirs",
                     help="采用对方的改动（如同一次更新：改动使旧的审核签名作废；删除则删除）")
    how.add_argument("--both", dest="how", action="store_const", const="both",
                     help="两者都保留：对方的版本另存为本档案的一份新材料（草稿）")
    r.add_argument("--as", dest="as_", required=True, metavar="NAME",
                   help="处理人：本档案的管理员")
    r.set_defaults(handler=cmd_transfer_resolve)


def cmd_transfer_export(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        report = export_transfer(archive, args.to, Path(args.out), actor=args.as_,
                                 all_=args.all_,
                                 unlock=lambda: keys.load_private(args.as_,
                                                                  passphrase(args.as_)))
    if args.json:
        emit(report.to_json())
        return EXIT_OK
    for m in report.materials:
        print(f"#{m['id']}\t《{m['title']}》")
    deleted = f"，{len(report.deleted)} 份已删除" if report.deleted else ""
    print(f"已写出报送包 {report.out}（{report.department} 第 {report.seq} 号）："
          f"{len(report.materials)} 份材料{deleted}，{report.tasks} 项任务进度，"
          f"{report.problems} 个整改情况，{report.files} 个文件；包编号 {report.package_id}")
    return EXIT_OK


def cmd_transfer_apply(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        report = apply_transfer(archive, Path(args.package), actor=args.as_,
                                on_roster=args.as_ is not None)
    if args.json:
        emit(report.to_json())
        return EXIT_OK
    for label, rows in (("新增", report.added), ("更新", report.updated),
                        ("未变", report.unchanged)):
        for m in rows:
            print(f"{label}\t#{m['id']}\t《{m['title']}》{_notes(m)}")
    for c in report.conflicts:
        where = f"#{c['id']}" if c["id"] else "（未加入）"
        print(f"冲突\t{where}\t《{c['title']}》{CONFLICT_LABELS[c['kind']]}：{c['reason']}"
              f"（冲突 {c['conflict']}）")
    extra = [f"{n} 项{what}" for n, what in ((report.tasks, "任务进度"),
                                             (report.problems, "整改情况")) if n]
    if report.nodes:
        extra.append(f"新建测评内容 {'、'.join(report.nodes)}")
    print(f"已应用{report.department}第 {report.seq} 号报送包（{report.sender}）：新增 "
          f"{len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
          f"冲突 {len(report.conflicts)}；文件 {report.files_stored} 个存入、"
          f"{report.files_linked} 个已有" + (f"；{'，'.join(extra)}" if extra else ""))
    return EXIT_OK


def _notes(m: dict[str, Any]) -> str:
    notes = [*m.get("voided", [])]
    if m.get("note"):
        notes.append(m["note"])
    return f"  {'；'.join(notes)}" if notes else ""


def cmd_transfer_list(args: argparse.Namespace) -> int:
    with open_archive(args, writable=False) as archive:
        rows = transfers(archive)
    if args.json:
        emit([r.to_json() for r in rows])
        return EXIT_OK
    if not rows:
        print("还没有发出或应用过报送包")
    for r in rows:
        what = "发出" if r.direction == "sent" else "应用"
        counts = "，".join(f"{COUNT_LABELS.get(k, k)} {v}" for k, v in r.counts.items())
        print(f"{what}\t{r.department} 第 {r.seq} 号\t{r.at[:19]}\t{r.by}\t{counts}\t"
              f"{r.archive}\t{r.package_id}")
    return EXIT_OK


def cmd_transfer_conflicts(args: argparse.Namespace) -> int:
    with open_archive(args, writable=False) as archive:
        rows = all_conflicts(archive) if args.all_ else open_conflicts(archive)
    if args.json:
        emit([r.to_json() for r in rows])
        return EXIT_OK
    if not rows:
        print("没有报送冲突" if args.all_ else "没有未解决的冲突")
    for r in rows:
        where = f"#{r.material_id}" if r.material_id else "（未加入）"
        done = (f"\t已处理：{HOW_LABELS.get(r.resolution, r.resolution)}（{r.resolved_by}，"
                f"{r.resolved_at[:19]}）" if r.resolved_at else "")
        print(f"{r.id}\t{r.department}\t{where}\t《{r.title}》\t{CONFLICT_LABELS[r.kind]}："
              f"{r.reason}{done}")
    return EXIT_OK


def cmd_transfer_resolve(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        result = resolve_conflict(archive, args.conflict, args.how, actor=args.as_)
    if args.json:
        emit(result.to_json())
        return EXIT_OK
    for line in (*result.set_aside, *result.voided):
        print(line)
    what = HOW_LABELS[result.how]
    if result.added_id is not None:
        what += f"；材料 #{result.added_id} 已加入" if result.how == "theirs" else \
            f"；对方的版本另存为材料 #{result.added_id}（草稿）"
    if result.deleted_id is not None:
        what += f"；材料 #{result.deleted_id} 已删除"
    if result.changed:
        what += f"；改动了 {'、'.join(result.changed)}"
    print(f"已处理报送冲突 {result.conflict}（{CONFLICT_LABELS[result.kind]}）：{what}")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "transfer": (options_transfer, None),
}
