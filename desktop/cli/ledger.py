"""`zicha tasks`, `report`, `problem`, `negative`: the task list, the ledger, problem
rectification and the 负面清单."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from desktop.cli.shared import (
    EXIT_OK,
    Handler,
    Options,
    Parser,
    UsageError,
    emit,
    open_archive,
    parse_date,
)
from desktop.core.common.errors import ZichaError
from desktop.core.ledger import negatives, problems, tasks
from desktop.core.ledger.documents import write_ledger_xlsx, write_weekly_report_docx
from desktop.core.ledger.tasklist import FIELDS
from desktop.core.ledger.views import STATUS_LABELS

SYSTEM_HELP = "只含这个测评体系的任务（编号前缀、id 或名称；默认：所有测评体系）"


def options_tasks(p: Parser, common: Parser) -> None:
    p.add_argument("--status", metavar="S", help="done、white、yellow、red、closed")
    p.add_argument("--department", metavar="D")
    p.add_argument("--list-kind", metavar="KIND", help="只看这个清单的任务（默认：所有清单）")
    p.add_argument("--system", metavar="SYSTEM", help=SYSTEM_HELP)
    p.add_argument("--today", metavar="DATE", help="按这一天计算状态（默认今天）")
    tasks_sub = p.add_subparsers(dest="tasks_cmd", parser_class=Parser)
    t = tasks_sub.add_parser("import", parents=[common],
                             help="导入任务分解清单（XLSX、XLS 或 WPS 的 ET）")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--sheet", metavar="NAME", help="工作表（默认：第一个能找到表头的）")
    t.add_argument("--year", type=int, metavar="Y", help="只写月份的完成时限按哪一年计")
    t.add_argument("--column", action="append", metavar="FIELD=N",
                   help="指定列：如 item=3、lead=6（自动识别不对时）")
    t.add_argument("--category", action="append", metavar="HEADING=CODE",
                   help="清单自己的标题对应哪个测评项目：如 '提升服务水平,建设廉洁高效政府=06'"
                        "（可重复；确认后随清单保存）")
    t.add_argument("--mapping", metavar="FILE",
                   help="标题与测评项目的对应表（YAML 或 JSON：标题: 编号）")
    t.add_argument("--list-kind", metavar="KIND", default=tasks.DEFAULT_KIND,
                   help="导入到哪个清单：材料自查（默认）、省级部门评价项目、创新特色或自定")
    t.add_argument("--allow-skipped", action="store_true",
                   help="有的行缺少责任单位时仍导入其余的行（默认不导入并列出这些行）")
    t.add_argument("--system", metavar="SYSTEM",
                   help="清单属于哪个测评体系（编号前缀、id 或名称；"
                        "默认：清单上次的，或主测评体系）")
    t.add_argument("--new-categories", action="store_true",
                   help="尚未对应的标题都新建为该测评体系的测评项目"
                        "（仅限本单位添加的测评体系）")
    t.set_defaults(handler=cmd_tasks_import)
    for name, help_ in (("list", "列出任务及其状态（默认）"), ("export", "导出台账 XLSX")):
        t = tasks_sub.add_parser(name, parents=[common], help=help_)
        if name == "export":
            t.add_argument("file", metavar="FILE.xlsx")
            t.set_defaults(handler=cmd_tasks_export)
        else:
            t.add_argument("--status", metavar="S", help="done、white、yellow、red、closed")
            t.add_argument("--department", metavar="D")
        t.add_argument("--list-kind", metavar="KIND", help="只含这个清单的任务（默认：所有清单）")
        t.add_argument("--system", metavar="SYSTEM", help=SYSTEM_HELP)
        t.add_argument("--today", metavar="DATE", help="按这一天计算状态（默认今天）")
    t = tasks_sub.add_parser("lists", parents=[common],
                             help="本档案的任务清单：类别、来源文件、任务数、标题对应")
    t.set_defaults(handler=cmd_tasks_lists)
    t = tasks_sub.add_parser("close", parents=[common], help="销号（仅管理员，须写理由）")
    t.add_argument("id", type=int, metavar="ID")
    t.add_argument("--reason", required=True, metavar="TEXT")
    t.add_argument("--as", dest="as_", required=True, metavar="NAME")
    t.set_defaults(handler=cmd_tasks_close)
    t = tasks_sub.add_parser("warn-days", parents=[common], help="完成时限前几天标黄（默认 7）")
    t.add_argument("days", type=int, metavar="N")
    t.set_defaults(handler=cmd_tasks_warn_days)


def _today(args: argparse.Namespace) -> dt.date | None:
    """--today (of `tasks` or of its subcommand), checked first by every `tasks` command."""
    return parse_date(getattr(args, "today", None), "--today")


def cmd_tasks(args: argparse.Namespace) -> int:
    """`zicha tasks [list]`: the tasks and their states."""
    today = _today(args)
    with open_archive(args, writable=False) as archive:
        found = tasks.list_tasks(archive, today=today, status=getattr(args, "status", None),
                                 department=getattr(args, "department", None),
                                 list_kind=getattr(args, "list_kind", None),
                                 system=getattr(args, "system", None))
    if args.json:
        emit([_task_json(t) for t in found])
        return EXIT_OK
    several = len({t.list_kind for t in found}) > 1
    for t in found:
        kind = f"［{t.list_kind}］" if several else ""
        days = "" if t.days_left is None else (
            f"，逾期 {-t.days_left} 天" if t.days_left < 0 else f"，剩 {t.days_left} 天")
        print(f"{t.id}\t[{STATUS_LABELS[t.status]}]{kind} {t.item_code} {t.item_name} / "
              f"{t.department}（{'牵头' if t.role == 'lead' else '配合'}）"
              f" 时限 {t.deadline.label()}{days}；材料 {t.materials}，终审 {t.final_approved}")
    print(f"共 {len(found)} 项任务")
    return EXIT_OK


HOW_LABELS = {"given": "本次指定", "saved": "上次导入时确认", "name": "名称相同",
              "code": "编号相同", "new": "新建"}


def cmd_tasks_import(args: argparse.Namespace) -> int:
    _today(args)
    given = _mapping_file(args.mapping) if args.mapping else {}
    given.update(_categories(args.category))
    with open_archive(args, writable=True) as archive:
        report = tasks.import_tasks(archive, Path(args.file), sheet=args.sheet,
                                    columns=_columns(args.column), year=args.year,
                                    categories=given, kind=args.list_kind,
                                    allow_skipped=args.allow_skipped, system=args.system,
                                    new_categories=args.new_categories)
    if args.json:
        emit(report.to_json())
        return EXIT_OK
    kind = report.list_kind if report.list_kind.endswith("清单") else f"{report.list_kind}清单"
    print(f"{report.file}（工作表 {report.sheet}，{kind}）：{report.rows} 行；"
          f"新建测评内容 {len(report.items_created)} 个，新建任务 {len(report.tasks_created)} 个，"
          f"更新 {len(report.tasks_updated)} 个，未变 {report.unchanged} 个")
    for h in report.headings:
        if h["how"] in ("given", "saved"):
            print(f"  = {h['heading'] or '（未写测评项目）'} → {h['code']}"
                  f"（{HOW_LABELS[h['how']]}，{h['rows']} 行）")
    for line in report.categories_created:
        print(f"  + 测评项目 {line}")
    for line in report.items_created:
        print(f"  + 测评内容 {line}")
    for line in report.tasks_updated:
        print(f"  ~ {line}")
    for line in report.skipped:
        print(f"  ! 跳过 {line}")
    for line in report.warnings:
        print(f"  · {line}")
    if report.not_in_list:
        print(f"  · 本清单中没有、此前已有的任务 {len(report.not_in_list)} 个（保留未删）")
    return EXIT_OK


def cmd_tasks_close(args: argparse.Namespace) -> int:
    _today(args)
    with open_archive(args, writable=True) as archive:
        tasks.close_task(archive, args.id, args.reason, args.as_)
    print(f"任务 {args.id} 已销号（{args.reason}）")
    return EXIT_OK


def cmd_tasks_warn_days(args: argparse.Namespace) -> int:
    _today(args)
    with open_archive(args, writable=True) as archive:
        tasks.set_warn_days(archive, args.days)
    print(f"完成时限前 {args.days} 天内未终审的任务标为黄色")
    return EXIT_OK


def cmd_tasks_export(args: argparse.Namespace) -> int:
    today = _today(args)
    with open_archive(args, writable=False) as archive:
        out = Path(args.file)
        if out.suffix.lower() != ".xlsx":
            raise ZichaError(f"{out.name}：台账导出为 .xlsx 文件")
        write_ledger_xlsx(tasks.ledger(archive, today, list_kind=args.list_kind,
                                       system=args.system), out)
        print(f"台账已写入 {out}")
    return EXIT_OK


def cmd_tasks_lists(args: argparse.Namespace) -> int:
    """`zicha tasks lists`: the task lists, with the mapping of their own headings."""
    with open_archive(args, writable=False) as archive:
        found = tasks.task_lists(archive)
    if args.json:
        emit([info.to_json() for info in found])
        return EXIT_OK
    for info in found:
        when = f"，{info.imported_at[:16].replace('T', ' ')} 由 {info.imported_by} 导入" \
            if info.imported_at else ""
        print(f"{info.kind}：{info.tasks} 项任务，来自 {info.source_file or '（未导入）'}{when}")
        for heading, code in sorted(info.mapping.items(), key=lambda hc: hc[1]):
            print(f"  {heading or '（未写测评项目）'} → {code}")
    print(f"共 {len(found)} 个清单")
    return EXIT_OK


def _task_json(t) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"id": t.id, "item": t.item_code, "item_name": t.item_name,
            "category": t.category_code, "department": t.department, "role": t.role,
            "deadline": t.deadline.label(), "deadline_kind": t.deadline.kind,
            "days_left": t.days_left, "status": t.status, "materials": t.materials,
            "final_approved": t.final_approved, "responsible": t.responsible,
            "closed_reason": t.closed_reason, "list": t.list_kind, "system": t.system_id,
            "system_prefix": t.system_prefix}


def _categories(values: list[str] | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values or []:
        heading, sep, code = value.rpartition("=")
        if not sep or not code.strip():
            raise UsageError(f"zicha tasks import: --category {value} 应写成 标题=测评项目编号，"
                             "如 '提升服务水平,建设廉洁高效政府=06'")
        found[heading.strip()] = code.strip()
    return found


def _mapping_file(name: str) -> dict[str, str]:
    """A small YAML or JSON file: {heading: code}, or a list of {heading, code} (JSON is YAML)."""
    import yaml

    path = Path(name)
    try:
        if path.stat().st_size > 1_000_000:
            raise ZichaError(f"对应表 {path.name} 超过 1 MB，不像是标题与测评项目的对应表")
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise ZichaError(f"找不到对应表文件 {path.name}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ZichaError(f"对应表 {path.name} 无法读取（{type(exc).__name__}）；应为 UTF-8 的 "
                         "YAML 或 JSON，每行“标题: 编号”") from exc
    if isinstance(data, list) and all(isinstance(e, dict) for e in data):
        data = {str(e.get("heading", "")): e.get("code") for e in data}
    if not isinstance(data, dict) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in data.values()):
        raise ZichaError(f"对应表 {path.name} 应为“标题: 测评项目编号”的列表，如 "
                         "“提升服务水平,建设廉洁高效政府: \"06\"”")
    # YAML reads 06 as 6: a number is a code all the same
    return {("" if k is None else str(k)).strip(): str(v) for k, v in data.items()}


def _columns(values: list[str] | None) -> dict[str, int] | None:
    if not values:
        return None
    columns = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in FIELDS or not number.isdigit() or int(number) < 1:
            raise UsageError(f"zicha tasks import: --column {value} 应写成 字段=列号（第几列，"
                             f"从 1 起），字段为 {'、'.join(FIELDS)}")
        columns[name] = int(number)
    return columns


def options_report(p: Parser, common: Parser) -> None:
    report_sub = p.add_subparsers(dest="report_cmd", parser_class=Parser, required=True)
    r = report_sub.add_parser("weekly", parents=[common],
                              help="周报 DOCX（总体、各项目与单位、红黄清单、问题）")
    r.add_argument("file", metavar="FILE.docx")
    r.add_argument("--today", metavar="DATE", help="按这一天计算（默认今天）")
    r.add_argument("--list-kind", metavar="KIND",
                   help="只含这个清单的任务（默认：所有清单，并按清单合计）")
    r.add_argument("--system", metavar="SYSTEM",
                   help="只含这个测评体系的任务（编号前缀、id 或名称；"
                        "默认：所有测评体系，并按测评体系合计）")
    r.set_defaults(handler=cmd_report_weekly)


def cmd_report_weekly(args: argparse.Namespace) -> int:
    out = Path(args.file)
    if out.suffix.lower() != ".docx":
        raise ZichaError(f"{out.name}：周报导出为 .docx 文件")
    with open_archive(args, writable=False) as archive:
        write_weekly_report_docx(tasks.ledger(archive, parse_date(args.today, "--today"),
                                              list_kind=args.list_kind, system=args.system), out)
    print(f"周报已写入 {out}")
    return EXIT_OK


def options_problem(p: Parser, common: Parser) -> None:
    p.add_argument("--today", metavar="DATE")
    problem_sub = p.add_subparsers(dest="problem_cmd", parser_class=Parser)
    q = problem_sub.add_parser("list", parents=[common], help="列出问题（默认）")
    q.add_argument("--today", metavar="DATE")
    q = problem_sub.add_parser("add", parents=[common], help="记录发现的问题")
    q.add_argument("description", metavar="TEXT")
    q.add_argument("--item", required=True, metavar="CODE")
    q.add_argument("--task", type=int, metavar="ID")
    q.add_argument("--department", metavar="D", help="同时交办给这个单位")
    q.add_argument("--deadline", metavar="DATE")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q.set_defaults(handler=cmd_problem_add)
    q = problem_sub.add_parser("assign", parents=[common], help="交办")
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--department", required=True, metavar="D")
    q.add_argument("--deadline", required=True, metavar="DATE")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q.set_defaults(handler=cmd_problem_assign)
    q = problem_sub.add_parser("rectify", parents=[common], help="报整改（经办人）")
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--note", required=True, metavar="TEXT")
    q.add_argument("--evidence", type=int, nargs="*", metavar="MATERIAL_ID")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q.set_defaults(handler=cmd_problem_rectify)
    for name, help_, handler in (("confirm", "确认整改", cmd_problem_confirm),
                                 ("return", "退回整改（须写原因）", cmd_problem_return)):
        q = problem_sub.add_parser(name, parents=[common], help=help_)
        q.add_argument("id", type=int, metavar="ID")
        q.add_argument("--comment", required=name == "return", default="", metavar="TEXT")
        q.add_argument("--as", dest="as_", required=True, metavar="NAME")
        q.set_defaults(handler=handler)


def cmd_problem(args: argparse.Namespace) -> int:
    """`zicha problem [list]`: the problems and their states."""
    with open_archive(args, writable=False) as archive:
        today = parse_date(getattr(args, "today", None), "--today")
        found = tasks.ledger(archive, today).problems
    if args.json:
        emit([{**p.__dict__, "deadline": p.deadline.isoformat() if p.deadline else None}
              for p in found])
        return EXIT_OK
    for p in found:
        late = "（逾期）" if p.overdue else ""
        print(f"{p.id}\t[{problems.STATE_LABELS[p.state]}{late}] {p.item_code} "
              f"{p.department or '未交办'}：{p.description}")
    print(f"共 {len(found)} 个问题")
    return EXIT_OK


def cmd_problem_add(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        new = problems.add_problem(archive, args.item, args.description, args.as_,
                                   department=args.department,
                                   deadline=parse_date(args.deadline, "--deadline"),
                                   task_id=args.task)
        if args.json:
            emit({"id": new})
        else:
            print(f"已记录问题 {new}")
    return EXIT_OK


def cmd_problem_assign(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        problems.assign(archive, args.id, args.department,
                        parse_date(args.deadline, "--deadline"), args.as_)
        print(f"问题 {args.id} 已交办 {args.department}，时限 {args.deadline}")
    return EXIT_OK


def cmd_problem_rectify(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        problems.rectify(archive, args.id, args.note, args.as_, args.evidence or [])
        print(f"问题 {args.id} 已报整改")
    return EXIT_OK


def cmd_problem_confirm(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        problems.confirm(archive, args.id, args.as_, args.comment)
        print(f"问题 {args.id} 整改已确认")
    return EXIT_OK


def cmd_problem_return(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        problems.send_back(archive, args.id, args.as_, args.comment)
        print(f"问题 {args.id} 已退回整改")
    return EXIT_OK


def options_negative(p: Parser, common: Parser) -> None:
    sub = p.add_subparsers(dest="negative_cmd", parser_class=Parser)
    sub.add_parser("list", parents=[common], help="列出负面清单（默认；已发生的在前）")
    q = sub.add_parser("add", parents=[common], help="登记一项负面清单风险或事件")
    q.add_argument("description", metavar="TEXT")
    q.add_argument("--item", metavar="CODE", help="所属测评项目（或测评内容）编号")
    q.add_argument("--department", metavar="D", help="责任单位")
    q.add_argument("--prevention", metavar="TEXT", default="", help="防范措施")
    q.add_argument("--occurred", metavar="DATE", help="已发生：发生日期")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q.set_defaults(handler=cmd_negative_add)
    q = sub.add_parser("edit", parents=[common], help="修改一项负面清单")
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--description", metavar="TEXT")
    q.add_argument("--item", metavar="CODE", help="所属测评项目编号（写空字符串则清除）")
    q.add_argument("--department", metavar="D", help="责任单位（写空字符串则清除）")
    q.add_argument("--prevention", metavar="TEXT", help="防范措施")
    occurred = q.add_mutually_exclusive_group()
    occurred.add_argument("--occurred", metavar="DATE", help="记为已发生，发生日期")
    occurred.add_argument("--not-occurred", action="store_true", help="改为未发生")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q.set_defaults(handler=cmd_negative_edit)
    q = sub.add_parser("dispose", parents=[common], help="登记已发生事件的处置情况")
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--note", required=True, metavar="TEXT", help="处置情况")
    q.add_argument("--evidence", type=int, nargs="*", metavar="MATERIAL_ID",
                   help="处置佐证材料编号")
    q.add_argument("--occurred", metavar="DATE", help="发生日期（尚未记为已发生时必填）")
    q.add_argument("--as", dest="as_", required=True, metavar="NAME")
    q.set_defaults(handler=cmd_negative_dispose)


def cmd_negative(args: argparse.Namespace) -> int:
    """`zicha negative [list]`: the 负面清单, events that occurred first."""
    with open_archive(args, writable=False) as archive:
        found = negatives.list_negatives(archive)
    if args.json:
        emit([n.__dict__ for n in found])
        return EXIT_OK
    for n in found:
        state = f"已发生 {n.occurred_on}".strip() if n.occurred else "未发生"
        if n.occurred:
            state += "，已处置" if n.disposal else "，待处置"
        where = " ".join(x for x in (n.category_code, n.department) if x) or "-"
        print(f"{n.id}\t[{state}] {where}：{n.description}")
        if n.prevention:
            print(f"\t防范措施：{n.prevention}")
        if n.disposal:
            evidence = "、".join(f"#{m}" for m in n.evidence) or "无"
            print(f"\t处置：{n.disposal}（{n.disposed_by}；佐证材料 {evidence}）")
    occurred = sum(n.occurred for n in found)
    print(f"共 {len(found)} 项，已发生 {occurred} 项")
    return EXIT_OK


def cmd_negative_add(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        new = negatives.add_negative(archive, args.description, args.as_, code=args.item,
                                     department=args.department, prevention=args.prevention,
                                     occurred_on=parse_date(args.occurred, "--occurred"))
    if args.json:
        emit({"id": new})
    else:
        print(f"已登记负面清单 {new}")
    return EXIT_OK


def cmd_negative_edit(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    for key, value in (("description", args.description), ("code", args.item),
                       ("department", args.department), ("prevention", args.prevention)):
        if value is not None:
            changes[key] = value
    if args.not_occurred:
        changes["occurred"] = False
    elif args.occurred is not None:
        changes["occurred_on"] = parse_date(args.occurred, "--occurred")
    if not changes:
        raise UsageError("zicha negative edit: 没有要修改的字段（用 --help 查看）")
    with open_archive(args, writable=True) as archive:
        negatives.edit_negative(archive, args.id, changes, args.as_)
    print(f"负面清单 {args.id} 已修改")
    return EXIT_OK


def cmd_negative_dispose(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        negatives.dispose(archive, args.id, args.note, args.as_, evidence=args.evidence or [],
                          occurred_on=parse_date(args.occurred, "--occurred"))
    print(f"负面清单 {args.id} 的处置已登记")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "tasks": (options_tasks, cmd_tasks),
    "report": (options_report, None),
    "problem": (options_problem, cmd_problem),
    "negative": (options_negative, cmd_negative),
}
