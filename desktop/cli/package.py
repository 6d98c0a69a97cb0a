"""`zicha package export | review | apply`: the offline review package and its decisions."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.shared import (
    EXIT_OK,
    VERDICT_LABELS,
    Handler,
    Options,
    Parser,
    UsageError,
    emit,
    open_archive,
    passphrase,
)
from desktop.core.common.errors import ZichaError
from desktop.core.review import decisions, keys, package

PACKAGE_REVIEW_RULES = """\
意见规则：
  每份材料的意见写在编号后（--reject 7:字体异常，--approve 3:材料齐全），
  或写在 --comments 意见文件中（每行 7<Tab>字体异常 或 7:字体异常；# 开头的行忽略）。
  --comment 只给没有自己意见的决定，且通过不会带上退回的原因：
    有退回没写自己的原因时，--comment 就是这些退回的原因，通过的材料不写意见；
    否则（没有退回，或每个退回都有自己的原因），--comment 给没有自己意见的通过。
  例：--approve 1 2 --reject 7 --comment 字体异常   → 只有 #7 带“字体异常”
      --approve 1 2 --reject 7:字体异常 --comment 同意 → #1、#2 带“同意”，#7 带“字体异常”
  没有任何决定用上的 --comment 会被拒绝（什么也不签）。
"""


def options_package(p: Parser, common: Parser) -> None:
    pkg_sub = p.add_subparsers(dest="package_cmd", parser_class=Parser, required=True)
    e = pkg_sub.add_parser("export", parents=[common], help="导出等待某一审核阶段的材料")
    e.add_argument("--stage", required=True, choices=["first", "second", "final"],
                   help="first 初审、second 复审、final 终审")
    e.add_argument("--out", required=True, metavar="FILE", help="审核包文件（ZIP）")
    e.set_defaults(handler=cmd_package_export)
    r = pkg_sub.add_parser("review", parents=[common],
                           help="审核人在自己的电脑上审核审核包并签名（无需档案）",
                           description="审核人在自己的电脑上审核审核包并签名（无需档案）",
                           epilog=PACKAGE_REVIEW_RULES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("package", metavar="PKG", help="审核包文件")
    r.add_argument("--as", dest="as_", required=True, metavar="NAME", help="审核人")
    r.add_argument("--approve", action="extend", nargs="+", metavar="ID[:意见]",
                   help="通过这些材料；7:意见 给这份材料写自己的意见")
    r.add_argument("--reject", action="extend", nargs="+", metavar="ID[:意见]",
                   help="退回这些材料，每份都要有原因：7:原因，或意见文件，或 --comment")
    r.add_argument("--comments", metavar="FILE",
                   help="意见文件：每行 材料编号<Tab或冒号>意见，UTF-8 或 GB18030")
    r.add_argument("--comment", metavar="TEXT", default="",
                   help="没有自己意见的决定所用的意见（规则见下）")
    r.add_argument("--out", required=True, metavar="DEC", help="写出的决定文件")
    r.set_defaults(handler=cmd_package_review)
    a = pkg_sub.add_parser("apply", parents=[common],
                           help="在档案中验证并应用决定文件（全部或全不）")
    a.add_argument("decisions", metavar="DECISIONS", help="审核人交回的决定文件")
    a.set_defaults(handler=cmd_package_apply)


def cmd_package_export(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        report = package.export_package(archive, args.stage, Path(args.out))
    if args.json:
        emit(report.to_json())
    else:
        ids = "、".join(f"#{i}" for i in report.materials)
        print(f"已导出{decisions.STAGE_NAMES[report.stage]}审核包 {report.out}："
              f"{len(report.materials)} 份材料（{ids}），{report.files} 个文件，"
              f"包编号 {report.package_id}")
    return EXIT_OK


def cmd_package_apply(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        applied = package.apply_decisions(archive, Path(args.decisions))
    if args.json:
        emit(applied.to_json())
        return EXIT_OK
    for a in applied.applied:
        verdict = "通过" if a.verdict == "approve" else "退回"
        comment = f"  意见：{a.comment}" if a.comment else ""
        print(f"#{a.id}\t《{a.title}》 {decisions.STAGE_NAMES[a.stage]}{verdict}"
              f"（{a.reviewer}）→ {package.state_label(a.state)}{comment}")
    print(f"已应用 {len(applied.applied)} 条审核决定（审核人 {applied.reviewer}，"
          f"决定文件 {applied.decisions_id}）")
    return EXIT_OK


def cmd_package_review(args: argparse.Namespace) -> int:
    pkg_path, out = Path(args.package), Path(args.out)
    if out.exists():  # before the passphrase is asked for
        raise ZichaError(f"{out} 已存在；不会覆盖（请换一个 --out 文件名）")
    comments = package.read_comments(Path(args.comments)) if args.comments else None
    wanted = package.choices(args.approve or [], args.reject or [], args.comment or "", comments)
    if args.comment and wanted and not any(c.comment == args.comment for c in wanted):
        raise UsageError("zicha package review: --comment 没有用上（每个决定都已有自己的意见）；"
                         "请去掉 --comment，或去掉某个决定自己的意见")
    with package.open_package(pkg_path) as pkg:
        doc = package.review_package(pkg, args.as_, wanted,
                                     lambda: keys.load_private(args.as_, passphrase(args.as_)))
        titles = {package.number(m): m["facts"]["title"] for m in pkg.materials}
    package.write_decisions(doc, out)
    # the decisions are in the order of `wanted`; a reviewer knows each by its package number
    rows = list(zip(wanted, doc["decisions"], strict=True))
    if args.json:
        emit({"out": str(out), "decisions_id": doc["decisions_id"],
               "package_id": doc["package_id"],
               "decisions": [{"id": c.material_id, "verdict": d["verdict"],
                              "comment": c.comment, "hash": d["hash"]} for c, d in rows]})
        return EXIT_OK
    stage = decisions.STAGE_NAMES[doc["stage"]]
    for c, d in rows:
        comment = f"  意见：{c.comment}" if c.comment else ""
        print(f"#{c.material_id}\t《{titles[c.material_id]}》 {stage}"
              f"{VERDICT_LABELS[d['verdict']]}{comment}")
    print(f"已签名 {len(doc['decisions'])} 条决定，写入 {out}；"
          "请交给经办人用 zicha package apply 导入档案")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "package": (options_package, None),
}
