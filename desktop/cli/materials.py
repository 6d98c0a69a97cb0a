"""`zicha import`, `list`, `show`, `edit`, `items`, `delete`, `texts`: materials, their files
and text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli.shared import (
    EXIT_FAIL,
    EXIT_OK,
    TEXT_LABELS,
    Handler,
    Options,
    Parser,
    UsageError,
    emit,
    one_line,
    open_archive,
    state_code,
    state_label,
    storage_failure,
    with_hint,
)
from desktop.core import search
from desktop.core.archive.archive import default_actor
from desktop.core.archive.items import add_item, conclusion, nodes, rename_item, set_conclusion
from desktop.core.archive.systems import systems
from desktop.core.common import formats
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import CounterLine
from desktop.core.ledger.checklist import (
    KINDS,
    SOURCE_LABELS,
    Checklist,
    checklist,
    checklists,
    set_requirements,
    spec,
    totals,
)
from desktop.core.materials import marks, texts
from desktop.core.materials.service import (
    INCOMPLETE_FIELDS,
    delete_material,
    get_material,
    incomplete_fields,
    list_incomplete,
    list_materials,
    update_material,
)


def options_import(p: Parser, common: Parser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--item", action="append", required=True, metavar="CODE",
                   help="测评内容编号（可多次）；尚未导入测评内容时可用测评项目编号，如 01")
    p.add_argument("--department", metavar="NAME", help="责任单位")
    p.add_argument("--title", metavar="T", help="材料名称（仅单个文件；默认取文件名）")
    p.add_argument("--type", metavar="TYPE", help="材料类型，如 方案计划、活动记录、图片")

    p.add_argument("--unpack", action="store_true",
                   help="把 ZIP/7z/RAR 压缩包解压，逐个导入其中的文件（GBK 文件名自动识别）")
    p.add_argument("--no-ocr", action="store_true",
                   help="不等待 OCR（图片和扫描件的文字稍后在后台识别）")


def cmd_import(args: argparse.Namespace) -> int:
    # the importer reads PDFs (PyMuPDF, ~0.2 s to load): only `zicha import` pays for it
    from desktop.core.materials.importer import (
        REFUSED,
        ImportOptions,
        ImportStopped,
        import_paths,
    )

    options = ImportOptions(codes=args.item, department=args.department, title=args.title,
                            material_type=args.type, unpack=args.unpack)
    rows = []
    labels = {"stored": "已保存", "duplicate": "重复", "refused": "拒绝"}
    stopped: ZichaError | None = None  # the archive could not be written (disk full …)
    with open_archive(args, writable=True) as archive:
        try:
            for row in import_paths(archive, [Path(p) for p in args.paths], options):
                rows.append(row)
                if not args.json:
                    ident = f"#{row.id}" if row.id else "-"
                    reason = f"  {row.reason}" if row.reason else ""
                    print(f"{labels[row.status]}\t{ident}\t{row.path}{reason}", flush=True)
        except ImportStopped as exc:
            stopped = exc
        if stopped is None:
            try:
                _extract(archive, [r.sha256 for r in rows if r.sha256], ocr=not args.no_ocr,
                         quiet=args.json)
            except Exception as exc:
                if (failure := storage_failure(exc, archive.root)) is None:
                    raise
                stopped = ZichaError(f"{failure}（文件已导入；文字提取未完成，之后会再提取）")
    refused = sum(r.status == REFUSED for r in rows)
    if args.json:
        emit([r.to_json() for r in rows])
    else:
        stored = sum(r.status == "stored" for r in rows)
        print(f"共 {len(rows)} 个文件：保存 {stored}，重复 {len(rows) - stored - refused}，"
              f"拒绝 {refused}")
        if any(r.kind in formats.ARCHIVE_KINDS for r in rows):
            print("提示：压缩包已原样保存；要导入其中的文件，请加 --unpack 再导入一次")
    if stopped is not None:
        print(with_hint(f"zicha: {stopped}", stopped), file=sys.stderr)
        return EXIT_FAIL
    if refused:
        first = next(r for r in rows if r.status == REFUSED)
        more = f"等 {refused} 个文件未导入（原因见上表），首个: " if refused > 1 else "未导入: "
        print(one_line(f"zicha: {more}{first.path}: {first.reason}"), file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _extract(archive, keys: list[str] | None, *, ocr: bool, quiet: bool):  # type: ignore[no-untyped-def]
    """Extract and index the text of these files (all waiting files if None) before returning,
    so that a script can search right after importing."""
    labels = {"text": "提取文字", "ocr": "OCR 识别"}
    line = CounterLine(sys.stderr, labels.__getitem__, live=not quiet and sys.stderr.isatty())
    stats = texts.process(archive, keys=keys, ocr=ocr, progress=line)
    line.finish()
    if not quiet and (stats.failed or stats.ocr_failed):
        print(f"{stats.failed + stats.ocr_failed} 个文件未能提取文字（zicha texts --failed 查看）")
    return stats


def options_list(p: Parser, common: Parser) -> None:
    p.add_argument("--item", metavar="CODE", help="只列出该测评项目或测评内容下的材料")
    p.add_argument("--stage", metavar="S",
                   help="只列出该审核状态的材料（draft、submitted …，或 草稿、待初审 …）")
    p.add_argument("--incomplete", action="store_true",
                   help="只列出待完善的材料（缺名称、日期、类型或责任单位），并说明缺什么")
    p.add_argument("--bonus", action="store_true", help="只列出创新特色（加分）材料")


def cmd_list(args: argparse.Namespace) -> int:
    if args.json and not args.incomplete:  # plain rows from column queries, one per line
        from desktop.core.materials.rows import json_lines, material_rows

        with open_archive(args, writable=False) as archive:
            rows = material_rows(archive, code=args.item, state=state_code(args.stage),
                                 bonus=args.bonus)
        sys.stdout.writelines(json_lines(rows))
        return EXIT_OK
    listing = list_incomplete if args.incomplete else list_materials
    with open_archive(args, writable=False) as archive:
        views = listing(archive, code=args.item, state=state_code(args.stage))
    if args.bonus:
        views = [v for v in views if v.bonus is not None]
    if args.json:
        rows = [v.to_json() for v in views]
        if args.incomplete:
            for row, v in zip(rows, views, strict=True):
                row["missing"] = incomplete_fields(v)
        emit(rows)
        return EXIT_OK
    for v in views:
        missing = ""
        if args.incomplete:
            missing = "\t缺" + "、".join(INCOMPLETE_FIELDS[f] for f in incomplete_fields(v))
        print(f"#{v.id}\t{','.join(v.items)}\t{state_label(v.state)}\t{v.department or '-'}"
              f"\t{v.archival_number or '-'}\t{v.title}{missing}")
    kind = ("待完善的" if args.incomplete else "") + ("创新特色（加分）" if args.bonus else "")
    print(f"共 {len(views)} 份{kind}材料")
    return EXIT_OK


def options_show(p: Parser, common: Parser) -> None:
    p.add_argument("id", type=int)


def cmd_show(args: argparse.Namespace) -> int:
    with open_archive(args, writable=False) as archive:
        view = get_material(archive, args.id)
        names = {} if args.json else {n.code: n.name for n in nodes(archive)}
        marked = marks.list_marks(archive, args.id)
    if args.json:
        # 红线标注 only when there are some: otherwise the material as `edit --json` gives it
        emit({**view.to_json(), **({"marks": [m.to_json() for m in marked]} if marked else {})})
        return EXIT_OK
    caption = "；".join(f"{k} {v}" for k, v in view.caption.items() if v)
    rows = [("名称", view.title), ("文号", view.doc_number), ("日期", view.material_date or ""),
            ("责任单位", view.department), ("类型", view.material_type),
            ("状态", state_label(view.state)), ("档号", view.archival_number or ""),
            ("测评内容", "；".join(f"{c} {names.get(c, '')}".strip() for c in view.items)),
            ("说明", view.description), ("图片说明", caption),
            ("创新特色（加分）", _bonus_text(view.bonus))]
    print(f"材料 #{view.id}")
    for label, value in rows:
        print(f"  {label}：{' '.join(str(value).split()) or '-'}")
    print(f"  文件（{len(view.files)} 个，共 {_size_text(view.size, exact=False)}）：")
    for f in view.files:
        pages = f"，{f.page_count} 页" if f.page_count else ""
        print(f"    {f.filename}  {f.kind.upper()}，{_size_text(f.size)}{pages}")
        print(f"      SHA-256 {f.sha256}")
    if marked:
        print(f"  红线标注（{len(marked)} 处）：")
        for m in marked:
            print(f"    #{m.id} 第 {m.page} 页：{m.text.replace(chr(10), '')}")
    made = " ".join(x for x in (_time_text(view.created_at), view.created_by) if x)
    print(f"  登记：{made or '-'}；最后修改：{_time_text(view.updated_at) or '-'}")
    return EXIT_OK


def _bonus_text(bonus: dict[str, Any] | None) -> str:
    if bonus is None:
        return "否"
    parts = [str(bonus.get(k) or "") for k in ("level", "issuer", "date")]
    return "是" + (f"（{'，'.join(p for p in parts if p)}）" if any(parts) else "")


def _size_text(size: int, *, exact: bool = True) -> str:
    if size < 1024:
        return f"{size} 字节"
    unit = "KB" if size < 1024**2 else "MB"
    short = f"{size / (1024 if unit == 'KB' else 1024**2):.1f} {unit}"
    return f"{short}（{size:,} 字节）" if exact else short


def _time_text(value: str) -> str:
    return value.replace("T", " ")[:16] if value else ""


def options_edit(p: Parser, common: Parser) -> None:
    p.add_argument("id", type=int)
    p.add_argument("--title")
    p.add_argument("--doc-number", dest="doc_number", help="文号")
    p.add_argument("--date", dest="material_date", help="材料日期，如 2024-06-30")
    p.add_argument("--department")
    p.add_argument("--type", dest="material_type")
    p.add_argument("--description")
    p.add_argument("--item", action="append", metavar="CODE", help="归入的测评内容（替换原有）")
    p.add_argument("--caption-time")
    p.add_argument("--caption-place")
    p.add_argument("--caption-people")
    p.add_argument("--caption-subject")
    p.add_argument("--caption-background", help="图片说明：背景")
    p.add_argument("--caption-reason", help="图片说明：事由")
    bonus = p.add_mutually_exclusive_group()
    bonus.add_argument("--bonus", nargs="?", const="", metavar="LEVEL",
                       help="标为创新特色（加分）材料，可写级别：国家级、省级、市级")
    bonus.add_argument("--no-bonus", action="store_true", help="取消创新特色（加分）标记")
    p.add_argument("--bonus-issuer", metavar="X", help="加分材料的发文（表扬）单位")
    p.add_argument("--bonus-date", metavar="YYYY-MM-DD", help="加分材料的表扬日期")


def _bonus_change(args: argparse.Namespace, current: dict[str, Any] | None) -> Any:
    """What --bonus/--no-bonus/--bonus-issuer/--bonus-date ask of the mark: None to clear, a
    dict to set (given parts over the current ones), or ... for no change."""
    if args.no_bonus:
        if args.bonus_issuer is not None or args.bonus_date is not None:
            raise UsageError("zicha edit: --no-bonus 不能与 --bonus-issuer/--bonus-date 同用")
        return None
    if args.bonus is None and args.bonus_issuer is None and args.bonus_date is None:
        return ...
    if args.bonus is None and current is None:
        raise UsageError("zicha edit: 该材料还不是创新特色（加分）材料；"
                         "用 --bonus [级别] 标记后再写发文单位和日期")
    mark = dict(current or {"level": "", "issuer": "", "date": None})
    if args.bonus:  # a bare --bonus keeps the level there is
        mark["level"] = args.bonus
    if args.bonus_issuer is not None:
        mark["issuer"] = args.bonus_issuer
    if args.bonus_date is not None:
        mark["date"] = args.bonus_date or None
    return mark


def cmd_edit(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    for key in ("title", "doc_number", "material_date", "department", "material_type",
                "description"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    if args.item:
        changes["items"] = args.item
    caption = {k: v for k, v in (("时间", args.caption_time), ("地点", args.caption_place),
                                 ("人物", args.caption_people), ("主题", args.caption_subject),
                                 ("背景", args.caption_background),
                                 ("事由", args.caption_reason))
               if v is not None}
    if caption:
        changes["caption"] = caption
    wants_bonus = (args.no_bonus or args.bonus is not None or args.bonus_issuer is not None
                   or args.bonus_date is not None)
    if not changes and not wants_bonus:
        raise UsageError("zicha edit: 没有要修改的字段（用 --help 查看）")

    with open_archive(args, writable=True) as archive:
        if wants_bonus:
            changes["bonus"] = _bonus_change(args, get_material(archive, args.id).bonus)
        view = update_material(archive, args.id, changes)
        search.sync(archive)
    if args.json:
        emit(view.to_json())
    else:
        print(f"已更新材料 #{view.id}《{view.title}》")
    return EXIT_OK


def options_items(p: Parser, common: Parser) -> None:
    items_sub = p.add_subparsers(dest="items_cmd", parser_class=Parser)
    items_sub.add_parser("list", parents=[common], help="列出（默认）")
    a = items_sub.add_parser("add", parents=[common], help="添加一个测评内容")
    a.add_argument("code")
    a.add_argument("name")
    a.add_argument("--criterion", help="测评标准 / 材料要求")
    a.set_defaults(handler=cmd_items_add)
    a = items_sub.add_parser("rename", parents=[common], help="给一个测评内容改名")
    a.add_argument("code")
    a.add_argument("name")
    a.add_argument("--criterion", help="同时改测评标准 / 材料要求")
    a.set_defaults(handler=cmd_items_rename)
    a = items_sub.add_parser("conclusion", parents=[common],
                             help="查看或填写一个测评内容的结论性说明（印在测评材料提交表中）")
    a.add_argument("code", metavar="CODE", help="测评内容编号，如 01.02")
    a.add_argument("text", metavar="TEXT", nargs="?", default=None,
                   help="结论性说明（不给出则显示现有的）")
    a.add_argument("--file", type=Path, metavar="FILE", help="从 UTF-8 文本文件读入结论性说明")
    a.add_argument("--clear", action="store_true", help="删除已写的结论性说明")
    a.add_argument("--as", dest="as_", metavar="NAME", default=None,
                   help="填表人（默认为当前用户）")
    a.set_defaults(handler=cmd_items_conclusion)
    a = items_sub.add_parser(
        "checklist", parents=[common],
        help="材料清单：测评内容要求的材料（种类、数量、图片说明、字数）哪些已齐、哪些还缺")
    a.add_argument("code", metavar="CODE", nargs="?", default=None,
                   help="测评内容编号，如 01.02（不给出则列出每个测评内容是否齐全）")
    a.set_defaults(handler=cmd_items_checklist)
    kinds = "、".join(KINDS)
    a = items_sub.add_parser(
        "requirements", parents=[common],
        help="查看或设定（管理员）一个测评内容的材料要求，代替任务清单中的材料要求",
        description="材料要求按任务清单的写法书写，如“工作方案1份；实景图片5张以上，注明时间、"
                    f"地点、人物、主题、背景、事由；情况说明300字”。认得的材料种类：{kinds}"
                    "（及其常见叫法：照片、截图、会议记录、总结报告、名录……）；"
                    "认不出的部分作为备注保留，不检查。")
    a.add_argument("code", metavar="CODE", help="测评内容编号，如 01.02")
    a.add_argument("text", metavar="TEXT", nargs="?", default=None,
                   help="材料要求（不给出则显示现在的要求及其来源）")
    a.add_argument("--file", type=Path, metavar="FILE", help="从 UTF-8 文本文件读入材料要求")
    a.add_argument("--none", action="store_true", help="这个测评内容不用材料清单")
    a.add_argument("--clear", action="store_true",
                   help="去掉管理员设定的要求，恢复按任务清单的材料要求（或测评标准）")
    a.add_argument("--as", dest="as_", metavar="NAME", default=None,
                   help="设定要求的管理员（默认为当前用户）")
    a.set_defaults(handler=cmd_items_requirements)


def cmd_items(args: argparse.Namespace) -> int:
    """`zicha items [list]`."""
    with open_archive(args, writable=False) as archive:
        tree = nodes(archive)
        names = {s.id: s.label for s in systems(archive)}
    if args.json:
        emit([{"code": n.code, "name": n.name, "kind": str(n.kind), "parent": n.parent_code,
                "criterion": n.criterion, "materials": n.material_count,
                "system": n.system_id} for n in tree])
        return EXIT_OK
    shown = None
    for n in tree:
        if len(names) > 1 and n.system_id != shown:
            shown = n.system_id
            print(f"【{names.get(n.system_id, n.system_id)}】")
        indent = "  " if n.parent_code else ""
        print(f"{indent}{n.code} {n.name}（{n.material_count}）")
    if not any(n.parent_code for n in tree):  # a new archive: materials are filed under these
        print("（还没有测评内容：材料可先归入测评项目，如 zicha import 文件 --item 01；测评内容用 "
              "zicha items add 01.01 名称 添加，或用 zicha tasks import 任务分解清单.xlsx 导入）")
    return EXIT_OK


def cmd_items_add(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        add_item(archive, args.code, args.name, args.criterion or "")
    if not args.json:
        print(f"已添加测评内容 {args.code} {args.name}")
    else:
        emit({"code": args.code, "name": args.name})
    return EXIT_OK


def cmd_items_rename(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        rename_item(archive, args.code, args.name, args.criterion)
    if args.json:
        emit({"code": args.code, "name": args.name})
    else:
        print(f"已将测评内容 {args.code} 改名为 {args.name}")
    return EXIT_OK


def _text_argument(args: argparse.Namespace, command: str, flags: dict[str, bool]) -> str | None:
    """A text given as TEXT or as the UTF-8 contents of --file (None when neither is); at most
    one of TEXT, --file and `flags` (each option's name → whether it was given)."""
    given = {"TEXT": args.text is not None, "--file": args.file is not None, **flags}
    if sum(given.values()) > 1:
        *others, last = given
        raise UsageError(f"zicha {command}: {'、'.join(others)} 与 {last} 只能用一个")
    if args.file is None:
        return args.text
    try:
        return args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ZichaError(f"无法读取 {args.file}：{exc}（应为 UTF-8 文本文件）") from None


def cmd_items_conclusion(args: argparse.Namespace) -> int:
    text = _text_argument(args, "items conclusion", {"--clear": args.clear})
    if args.clear:
        text = ""
    if text is None:
        with open_archive(args, writable=False) as archive:
            found = conclusion(archive, args.code)
    else:
        with open_archive(args, writable=True) as archive:
            found = set_conclusion(archive, args.code, text,
                                   actor=args.as_ or default_actor())
    if args.json:
        emit(found.to_json())
    elif found.text:
        print(found.text)
        when = found.written_at.strftime("%Y-%m-%d %H:%M") if found.written_at else ""
        print(f"——填表人 {found.written_by}，{when}（UTC）")
    else:
        print(f"{found.code} 还没有结论性说明" if text is None
              else f"已删除 {found.code} 的结论性说明")
    return EXIT_OK


def options_delete(p: Parser, common: Parser) -> None:
    p.add_argument("id", type=int)


def cmd_delete(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        delete_material(archive, args.id)
        search.sync(archive)
    if args.json:
        emit({"id": args.id, "deleted": True})
    else:
        print(f"已删除材料 #{args.id}（文件仍保留在档案中，审计日志有记录）")
    return EXIT_OK


def options_texts(p: Parser, common: Parser) -> None:
    p.add_argument("--failed", action="store_true", help="只列出提取失败的文件")
    texts_sub = p.add_subparsers(dest="texts_cmd", parser_class=Parser)
    t = texts_sub.add_parser("run", parents=[common], help="提取所有等待中的文件")
    t.add_argument("--no-ocr", action="store_true", help="跳过 OCR")
    t.set_defaults(handler=cmd_texts_run)


def cmd_texts(args: argparse.Namespace) -> int:
    """`zicha texts [--failed]`: each file's text-extraction state."""
    with open_archive(args, writable=False) as archive:
        rows = texts.file_states(archive, problems_only=args.failed)
    if args.json:
        emit([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        ocr = "" if r.ocr_state == "none" else f" OCR {TEXT_LABELS.get(r.ocr_state, r.ocr_state)}"
        reason = f"  {r.reason}" if r.reason else ""
        print(f"{TEXT_LABELS.get(r.state, r.state)}{ocr}\t{r.chars} 字\t{'、'.join(r.files)}"
              f"{reason}")
    print(f"共 {len(rows)} 个文件")
    return EXIT_OK


def cmd_texts_run(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        stats = _extract(archive, None, ocr=not args.no_ocr, quiet=args.json)
    data = {"done": stats.done, "no_text": stats.no_text, "failed": stats.failed,
            "ocr_done": stats.ocr_done, "ocr_failed": stats.ocr_failed}
    if args.json:
        emit(data)
    else:
        print("文字提取：完成 {done}，无文字 {no_text}，失败 {failed}；"
              "OCR 完成 {ocr_done}，失败 {ocr_failed}".format(**data))
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "import": (options_import, cmd_import),
    "list": (options_list, cmd_list),
    "show": (options_show, cmd_show),
    "edit": (options_edit, cmd_edit),
    "items": (options_items, cmd_items),
    "delete": (options_delete, cmd_delete),
    "texts": (options_texts, cmd_texts),
}


def _print_checklist(found: Checklist) -> None:
    source = SOURCE_LABELS[found.spec.source]
    print(f"{found.code} {found.name}：材料 {found.materials} 份，要求来自{source}")
    if not found.checks:
        print("  （没有可检查的材料要求）")
    for c in found.checks:
        if c.met:
            extra = (f"（另有 {c.short} {c.requirement.unit}缺图片说明{'、'.join(c.lacking)}）"
                     if c.lacking else "")
            print(f"  ✔ {c.requirement.label}：有 {c.found}{extra}")
        else:
            print(f"  ✘ {c.requirement.label}：{c.missing}")
    for note in found.spec.notes:
        print(f"  · 备注（不自动检查）：{note}")


def cmd_items_checklist(args: argparse.Namespace) -> int:
    """`zicha items checklist [CODE]`."""
    with open_archive(args, writable=False) as archive:
        if args.code is not None:
            found = checklist(archive, args.code)
            if args.json:
                emit(found.to_json())
            else:
                _print_checklist(found)
            return EXIT_OK
        every = checklists(archive)
    sums = totals(every)
    if args.json:
        emit({"totals": sums.to_json(), "items": [c.to_json() for c in every]})
        return EXIT_OK
    labels = {"complete": "齐全", "gaps": "有缺项", "none": "无要求"}
    for c in every:
        extra = f"：缺 {'；'.join(g.missing for g in c.gaps)}" if c.gaps else ""
        print(f"{c.code} {c.name}  {labels[c.status]}{extra}")
    print(f"共 {sums.items} 个测评内容：齐全 {sums.complete}，有缺项 {sums.with_gaps}，"
          f"无要求 {sums.without_spec}")
    return EXIT_OK


def cmd_items_requirements(args: argparse.Namespace) -> int:
    """`zicha items requirements CODE [TEXT | --file FILE | --none | --clear] [--as NAME]`."""
    text = _text_argument(args, "items requirements", {"--none": args.none, "--clear": args.clear})
    if args.none:
        text = ""
    if text is None and not args.clear:
        with open_archive(args, writable=False) as archive:
            found = spec(archive, args.code)
    else:
        with open_archive(args, writable=True) as archive:
            found = set_requirements(archive, args.code, None if args.clear else text,
                                     actor=args.as_ or default_actor())
    if args.json:
        emit(found.to_json())
        return EXIT_OK
    print(f"{found.code} 的材料要求来自{SOURCE_LABELS[found.source]}"
          + (f"（{found.set_by} 设定）" if found.set_by else ""))
    for r in found.requirements:
        print(f"  · {r.label}")
    for note in found.notes:
        print(f"  · 备注（不自动检查）：{note}")
    if not found.requirements and not found.notes:
        print("  （没有材料要求）")
    return EXIT_OK
