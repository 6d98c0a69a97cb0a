"""`zicha export` and the export side of `zicha verify`: the BagIt package and 四性检测."""

from __future__ import annotations

import argparse
import dataclasses
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
    print_checks,
)
from desktop.core.common import formats
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import CounterLine
from desktop.core.export.verify import verify_export as check_export

# `zicha verify EXPORT` imports this module too: what only writing an export needs (python-docx,
# the conversions, the plan) is imported by cmd_export, so the check starts sooner


def options_export(p: Parser, common: Parser) -> None:
    p.add_argument("out", metavar="OUT", nargs="?",
                   help="导出包：xxx.zip，或 --folder 时的新文件夹（--preview 时可不写）")
    p.add_argument("--folder", action="store_true", help="导出为文件夹而不是 ZIP")
    p.add_argument("--all-stages", dest="all_stages", action="store_true",
                   help="草稿导出：包含未终审的材料（明确标为草稿）")
    p.add_argument("--preview", action="store_true", help="只列出将导出什么、缺什么，不写文件")
    p.add_argument("--evaluation-date", dest="evaluation_date", metavar="DATE",
                   help="测评日期 T；日期不在 [T−13个月, T−1个月] 内的材料会被标出")
    p.add_argument("--max-mb", dest="max_mb", type=float, metavar="N", help="每个文件的大小上限")
    p.add_argument("--template", metavar="T", help="文件命名模板，默认 {序号}_{材料名称}")
    p.add_argument("--image-pdf", dest="image_pdf", action=argparse.BooleanOptionalAction,
                   default=None, help="图片转为带说明的 A4 PDF 页（默认是）")
    p.add_argument("--docx-pdf", dest="docx_pdf", action=argparse.BooleanOptionalAction,
                   default=None,
                   help="Office/WPS 文件（DOCX、DOC/WPS、XLS/ET、PPT/DPS、RTF、ODF）转为 PDF"
                        "（需要 LibreOffice）")
    p.add_argument("--ofd-pdf", dest="ofd_pdf", action=argparse.BooleanOptionalAction,
                   default=None, help="OFD 版式文件转为 PDF（默认是）")
    p.add_argument("--formats", metavar="KINDS",
                   help="上传平台接受的格式，逗号分隔，默认 pdf,jpeg,mp4")
    p.add_argument("--merge", action=argparse.BooleanOptionalAction, default=None,
                   help="每个测评内容另附一份带书签的合并 PDF")
    p.add_argument("--stamp", action=argparse.BooleanOptionalAction, default=None,
                   help="在每份有档号材料的 PDF 首页加盖归档章（只改导出的副本）")
    p.add_argument("--stamp-color", dest="stamp_color", choices=("red", "black"), default=None,
                   help="归档章的颜色：red（默认）或 black")


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.core.common.startup import loading, openpyxl_without_numpy

    with loading():
        openpyxl_without_numpy()  # 材料目录.xlsx is written with openpyxl, no numpy in it
        from desktop.core.archive.archive import Archive  # noqa: F401 - open_archive's, here
        from desktop.core.export.bag import check_destination, write_export
        from desktop.core.export.plan import make_plan, summary

    out = Path() if args.preview else _export_target(args)  # a preview writes nothing
    with open_archive(args, writable=not args.preview) as archive:
        plan = make_plan(archive, _export_rules(args, archive), all_stages=args.all_stages)
        overview = summary(plan)
        if args.preview:
            if args.json:
                emit(overview)
            else:
                _print_plan(overview)
            return EXIT_OK
        check_destination(out, not args.folder)

        line = CounterLine(sys.stderr, "导出", live=sys.stderr.isatty())
        result = write_export(archive, plan, out, as_zip=not args.folder, progress=line,
                              check=True)
        line.finish()
    # every file was read back and checked as it was written; the rest is checked here
    report = check_export(out, known=result.digests, checked=result.checked)
    if args.json:
        emit({**result.to_json(), "plan": overview, "verify": report.to_json()})
    else:
        _print_plan(overview, brief=True)
        kind = "草稿导出（含未终审材料）" if plan.draft else "导出"
        print(f"{kind} {out}：{result.materials} 份材料，{result.files} 个文件，"
              f"{result.bytes / 1048576:.1f} MB")
        _print_verify(report)
    if not report.ok:
        print(f"zicha: 导出包 {out} 未通过四性检测", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _export_rules(args: argparse.Namespace, archive):  # type: ignore[no-untyped-def]
    from desktop.core.export.plan import archive_rules

    rules = archive_rules(archive)
    changes: dict[str, Any] = {}
    if args.evaluation_date:
        try:
            changes["evaluation_date"] = dt.date.fromisoformat(args.evaluation_date)
        except ValueError:
            raise ZichaError(f"--evaluation-date {args.evaluation_date}：日期格式应为 "
                             "YYYY-MM-DD") from None
    if args.max_mb is not None:
        if args.max_mb <= 0:
            raise ZichaError("--max-mb 必须大于 0")
        changes["max_file_mb"] = args.max_mb
    if args.template:
        changes["name_template"] = args.template
    if args.formats:
        changes["allowed_formats"] = _allowed_formats(args.formats)
    for flag, key in (("image_pdf", "images_to_pdf"), ("docx_pdf", "docx_to_pdf"),
                      ("ofd_pdf", "ofd_to_pdf"), ("merge", "merged_pdf"),
                      ("stamp", "archival_stamp"), ("stamp_color", "stamp_color")):
        if getattr(args, flag) is not None:
            changes[key] = getattr(args, flag)
    return dataclasses.replace(rules, **changes)


def _allowed_formats(text: str) -> tuple[str, ...]:
    names = [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
    kinds = tuple(dict.fromkeys(formats.canonical(n) for n in names))
    unknown = [n for n in names if formats.canonical(n) not in formats.BY_KIND]
    if unknown or not kinds:
        raise UsageError(f"zicha export --formats：不认识的格式 {'、'.join(unknown) or text}；"
                         "格式用文件类型名，如 pdf,jpeg,mp4,ofd,docx")
    return kinds


def _export_target(args: argparse.Namespace) -> Path:
    """OUT as the export expects it, or one line saying what it expects (before any work)."""
    if not args.out:
        raise UsageError("zicha export: 需要输出文件名，如 申报材料.zip（或 --folder 新文件夹名）")
    out = Path(args.out)
    if args.folder:
        if out.is_file():
            raise UsageError(f"zicha export: {out} 是已有的文件；--folder 需要一个新文件夹名，"
                             "如 申报材料")
        if out.is_dir():
            raise UsageError(f"zicha export: 文件夹 {out} 已存在；导出不写进已有的文件夹，"
                             f"请给一个新文件夹名，如 {out / '申报材料'}")
        return out
    if out.is_dir():
        inside = "（里面已有文件）" if any(out.iterdir()) else ""
        raise UsageError(f"zicha export: {out} 是文件夹{inside}；需要一个 ZIP 文件名，"
                         f"如 {out / '申报材料.zip'}（或 --folder 新文件夹名）")
    if out.suffix.lower() != ".zip":
        better = out.with_suffix(".zip") if out.suffix[1:].isalpha() else Path(f"{out}.zip")
        raise UsageError(f"zicha export: {out.name} 不是 .zip 文件名；需要如 {better.name}"
                         "（或 --folder 导出为文件夹）")
    return out


def _print_plan(overview: dict[str, Any], *, brief: bool = False) -> None:
    for note in overview["notes"]:
        print(f"注意：{note}")
    systems = overview.get("systems") or []
    # with more than one indicator system, the items system by system under a line each
    groups = [(s, [i for i in overview["items"] if i.get("system") == s["id"]])
              for s in systems] if len(systems) > 1 else [(None, overview["items"])]
    for system, items in groups:
        if system is not None:
            _print_system(system)
        for item in items:
            _print_item(item, brief)
    for v in overview.get("void", []):
        print(f"  ✗ #{v['id']}《{v['title']}》{v['reason']}；不能作为终审通过材料导出")
    if overview["missing"]:
        print("没有可导出材料的测评内容：" + "、".join(overview["missing"]))


def _print_item(item: dict[str, Any], brief: bool) -> None:
    if not brief:
        print(f"{item['code']} {item['name']}：{len(item['materials'])} 份")
        for m in item["materials"]:
            for f in m["files"]:
                print(f"    {f['path']}" + ("（转为 PDF）" if f["action"] != "copy" else ""))
    for m in item["materials"]:
        for flag in m["flags"]:
            print(f"  ! {item['code']} #{m['id']}《{m['title']}》：{flag}")
    for n in item["not_ready"]:
        print(f"  - {item['code']} #{n['id']}《{n['title']}》尚未终审，不导出")


def _print_system(system: dict[str, Any]) -> None:
    """The line above a system's items in the preview: its name, weight, counts and folder."""
    weight = f"，权重 {system['weight']}%" if system.get("weight") is not None else ""
    if not system["items"]:
        print(f"【{system['label']}{weight}】尚无测评内容")
        return
    missing = f"，{len(system['missing'])} 项缺材料" if system["missing"] else ""
    folder = f"（{system['folder']}/）" if system["files"] else ""  # none written without files
    print(f"【{system['label']}{weight}】测评内容 {system['items']} 项，"
          f"材料 {system['materials']} 份，文件 {system['files']} 个{missing}{folder}")


def _print_verify(report) -> None:  # type: ignore[no-untyped-def]
    print("四性检测" + ("通过" if report.ok else "未通过") + f"（{report.path}）")
    print_checks(report.checks, lambda c: f"{c.property} {c.code} {c.name}")


def verify_export(args: argparse.Namespace, target: Path) -> int:
    """`zicha verify EXPORT`: the 四性检测 of an export package."""
    report = check_export(target, full=args.full)
    if args.report:
        from desktop.core.export.documents import write_verify_report_docx

        write_verify_report_docx(report, Path(args.report))
    if args.json:
        emit(report.to_json())
    else:
        _print_verify(report)
    if not report.ok:
        print(f"zicha: 导出包 {target} 未通过四性检测", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "export": (options_export, cmd_export),
}
