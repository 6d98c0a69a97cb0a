"""`zicha transfer export | dispatch | apply | list | conflicts | resolve | departments`:
报送包 from a department to the city, the city's merge, 下发包 from the city to a department
and the city's view over its departments (docs/transfers.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from desktop.cli.shared import (
    EXIT_FAIL,
    EXIT_OK,
    Handler,
    Options,
    Parser,
    UsageError,
    emit,
    open_archive,
    passphrase,
)
from desktop.core.common.progress import CounterLine
from desktop.core.review import keys
from desktop.core.review.workflow import STATE_LABELS
from desktop.core.transfer import (
    apply_transfer,
    export_transfer,
    open_conflicts,
    transfers,
)
from desktop.core.transfer.dispatch import DispatchRound, export_dispatch, export_dispatches
from desktop.core.transfer.merge import CONFLICT_LABELS, MergeReport
from desktop.core.transfer.overview import departments_overview, not_reported
from desktop.core.transfer.receive import DispatchReport
from desktop.core.transfer.records import all_conflicts
from desktop.core.transfer.resolve import HOW_LABELS, resolve_conflict

COUNT_LABELS = {"added": "新增", "updated": "更新", "unchanged": "未变", "conflicts": "冲突",
                "materials": "材料", "deleted": "删除", "tasks": "任务进度", "problems": "整改情况",
                "files": "文件", "reviews": "审核结果", "skipped": "未采用",
                "task_lists": "任务清单", "receipt": "回执至"}


def options_transfer(p: Parser, common: Parser) -> None:
    sub = p.add_subparsers(dest="transfer_cmd", parser_class=Parser, required=True)
    e = sub.add_parser("export", parents=[common],
                       help="写出报送包：自上次报送给该档案以来新增或改动的材料、任务进度与整改情况")
    e.add_argument("--to", required=True, metavar="CITY_ARCHIVE_ID",
                   help="接收方（市创文办）档案的编号（zicha info 可见）")
    e.add_argument("--out", required=True, metavar="FILE", help="报送包文件（ZIP；不覆盖已有文件）")
    e.add_argument("--as", dest="as_", required=True, metavar="NAME",
                   help="报送人：名册中在本单位有角色的人，用其密钥签名")
    what = e.add_mutually_exclusive_group()
    what.add_argument("--all", dest="all_", action="store_true",
                      help="报送全部内容，而不只是上次报送以来的改动")
    what.add_argument("--resend", action="store_true",
                      help="报送创文办回执确认以来的全部改动（上一个报送包丢失时用）")
    e.set_defaults(handler=cmd_transfer_export)
    d = sub.add_parser("dispatch", parents=[common],
                       help="写出下发包（市创文办→单位）：审核结果（含退回及理由）、该单位的任务、"
                            "交办的问题、所需名册与测评体系，以及报送包回执")
    whom = d.add_mutually_exclusive_group(required=True)
    whom.add_argument("--to", metavar="ARCHIVE_ID",
                      help="接收单位档案的编号（其报送包中可见，或在该单位运行 zicha info）")
    whom.add_argument("--every-department", action="store_true",
                      help="给每个向本档案报送过且有新内容的单位各写一个下发包，--out 为文件夹")
    d.add_argument("--out", required=True, metavar="FILE",
                   help="下发包文件（ZIP；不覆盖已有文件）；--every-department 时为已有的文件夹")
    d.add_argument("--as", dest="as_", required=True, metavar="NAME",
                   help="签发人：本档案的管理员，用其密钥签名")
    d.add_argument("--department", metavar="NAME", default=None,
                   help="接收单位的名称（该档案还没有报送过时必填）")
    d.add_argument("--all", dest="all_", action="store_true",
                   help="下发全部内容，而不只是上次下发以来的改动")
    d.set_defaults(handler=cmd_transfer_dispatch)
    a = sub.add_parser("apply", parents=[common],
                       help="验证报送包或下发包并应用到本档案（全部或全不）；列出新增、更新、"
                            "未变与冲突，或下发的审核结果、任务与问题")
    a.add_argument("package", metavar="FILE", help="报送包或下发包文件")
    a.add_argument("--as", dest="as_", metavar="NAME", default=None,
                   help="应用人（须在名册中；默认为当前用户）")
    a.set_defaults(handler=cmd_transfer_apply)
    x = sub.add_parser("list", parents=[common],
                       help="已发出和已应用的报送包与下发包（序号、数量、是否已回执）")
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
    g = sub.add_parser("departments", parents=[common],
                       help="各单位报送情况：最近报送、收到/通过/退回的材料、任务完成与逾期；"
                            "以及某日以来未报送的单位")
    g.add_argument("--since", metavar="YYYY-MM-DD", type=_day, default=None,
                   help="列出自该日起没有报送的单位（提醒名单）；默认为 7 天前")
    g.add_argument("--today", metavar="YYYY-MM-DD", type=_day, default=None,
                   help="按该日计算逾期（默认今天）")
    g.set_defaults(handler=cmd_transfer_departments)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” 不是日期（应为 YYYY-MM-DD）") from None


def cmd_transfer_export(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        line = CounterLine(sys.stderr, "写出报送包", live=sys.stderr.isatty())
        report = export_transfer(archive, args.to, Path(args.out), actor=args.as_,
                                 all_=args.all_, resend=args.resend,
                                 unlock=lambda: keys.load_private(args.as_,
                                                                  passphrase(args.as_)),
                                 progress=line)
        line.finish()
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


def cmd_transfer_dispatch(args: argparse.Namespace) -> int:
    if args.every_department:
        return _dispatch_every_department(args)
    with open_archive(args, writable=True) as archive:
        report = export_dispatch(archive, args.to, Path(args.out), actor=args.as_,
                                 department=args.department, all_=args.all_,
                                 unlock=lambda: keys.load_private(args.as_,
                                                                  passphrase(args.as_)))
    if args.json:
        emit(report.to_json())
        return EXIT_OK
    for m in report.reviews:
        why = f"：{m['comment']}" if m["comment"] else ""
        print(f"#{m['id']}\t《{m['title']}》\t{STATE_LABELS.get(m['state'], m['state'])}"
              f"（{m['reviewer']}）{why}")
    print(f"已写出下发包 {report.out}（给 {report.department}，第 {report.seq} 号）："
          f"{len(report.reviews)} 份材料的审核结果，{report.tasks} 项任务，"
          f"{report.problems} 个问题；"
          f"回执：已应用该单位报送包至第 {report.receipt} 号；包编号 {report.package_id}")
    return EXIT_OK


def _dispatch_every_department(args: argparse.Namespace) -> int:
    if args.department:
        raise UsageError("zicha transfer dispatch: --department 只用于 --to 的单个下发包；"
                         "--every-department 只发给报送过的单位，单位名称取自其报送包")
    with open_archive(args, writable=True) as archive:
        line = CounterLine(sys.stderr, "下发包", live=sys.stderr.isatty() and not args.json)
        round_: DispatchRound = export_dispatches(
            archive, Path(args.out), actor=args.as_, all_=args.all_,
            unlock=lambda: keys.load_private(args.as_, passphrase(args.as_)),
            progress=line)
        line.finish()
    if args.json:
        emit({"kind": "dispatch_round", **round_.to_json()})
    else:
        for sent in round_.sent:
            print(f"已写出\t{sent.department}\t第 {sent.seq} 号\t{sent.out}\t"
                  f"{len(sent.reviews)} 份审核结果，{sent.tasks} 项任务，{sent.problems} 个问题，"
                  f"回执至第 {sent.receipt} 号")
        for nothing in round_.unchanged:
            print(f"无新内容\t{nothing.department}\t未生成下发包")
        for failed in round_.failed:
            print(f"未写出\t{failed.department}\t{failed.reason}", file=sys.stderr)
        print(f"共 {len(round_.sent)} 个下发包写入 {round_.folder}；{len(round_.unchanged)} 个单位"
              f"无新内容，{len(round_.failed)} 个单位未能下发")
    return EXIT_FAIL if round_.failed else EXIT_OK


def cmd_transfer_apply(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        line = CounterLine(sys.stderr, str, live=sys.stderr.isatty())
        report = apply_transfer(archive, Path(args.package), actor=args.as_,
                                on_roster=args.as_ is not None, progress=line)
        line.finish()
    if args.json:
        emit({"kind": "dispatch" if isinstance(report, DispatchReport) else "report",
              **report.to_json()})
        return EXIT_OK
    if isinstance(report, DispatchReport):
        _print_received(report)
    else:
        _print_merged(report)
    return EXIT_OK


def _print_merged(report: MergeReport) -> None:
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


def _print_received(report: DispatchReport) -> None:
    for m in report.reviews:
        state = STATE_LABELS.get(m["state"], m["state"])
        why = f"：{m['comment']}（{m['reviewer']}）" if m["comment"] else f"（{m['reviewer']}）"
        print(f"审核\t#{m['id']}\t《{m['title']}》\t{state}{why}")
    for m in report.skipped:
        where = f"#{m['id']}" if m["id"] else "（本档案没有）"
        print(f"未采用\t{where}\t《{m['title']}》\t{m['reason']}")
    parts = [f"{len(report.reviews)} 份材料的审核结果"]
    parts += [f"{what} {n}" for what, n in (
        ("新任务", report.tasks_added), ("任务更新", report.tasks_updated),
        ("新任务清单", report.task_lists), ("新问题", report.problems_added),
        ("问题更新", report.problems_updated)) if n]
    if report.people:
        parts.append(f"名册新增 {'、'.join(report.people)}")
    if report.systems:
        parts.append(f"测评体系 {'、'.join(report.systems)}")
    if report.nodes:
        parts.append(f"新建 {'、'.join(report.nodes)}")
    ack = (f"；回执：创文办已应用本档案报送包至第 {report.receipt} 号"
           + (f"（新确认第 {'、'.join(map(str, report.acknowledged))} 号）"
              if report.acknowledged else ""))
    print(f"已应用{report.from_name or '创文办'}第 {report.seq} 号下发包（{report.sender}）："
          f"{'，'.join(parts)}{ack}")


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
        print("还没有发出或应用过报送包或下发包")
    for r in rows:
        what = "发出" if r.direction == "sent" else "应用"
        what += "下发包" if r.kind == "dispatch" else "报送包"
        if r.direction == "sent" and r.kind == "report":
            what += "（已回执）" if r.acknowledged_at else "（未回执）"
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


def cmd_transfer_departments(args: argparse.Namespace) -> int:
    today = args.today or dt.date.today()
    since = args.since or today - dt.timedelta(days=7)
    with open_archive(args, writable=False) as archive:
        rows = departments_overview(archive, today)
    late = not_reported(rows, since)
    if args.json:
        emit({"today": today.isoformat(), "since": since.isoformat(),
              "departments": [r.to_json() for r in rows],
              "not_reported": [r.department for r in late]})
        return EXIT_OK
    print("单位\t最近报送\t报送包\t材料\t待审\t终审通过\t退回\t未解决冲突\t任务完成/总数\t逾期")
    for r in rows:
        last = f"第 {r.last_seq} 号 {r.last_at[:10]}" if r.last_at else "未报送"
        print(f"{r.department}\t{last}\t{r.packages}\t{r.materials}\t{r.submitted}\t"
              f"{r.approved}\t{r.returned}\t{r.open_conflicts}\t{r.tasks_done}/{r.tasks}\t"
              f"{r.tasks_overdue}")
    if late:
        print(f"自 {since.isoformat()} 以来未报送（{len(late)} 个单位）："
              + "、".join(r.department for r in late))
    else:
        print(f"自 {since.isoformat()} 以来各单位都已报送")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "transfer": (options_transfer, None),
}
