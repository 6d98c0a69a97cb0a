"""`zicha search` and `zicha index`: full-text search over the materials."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.shared import (
    EXIT_OK,
    Handler,
    Options,
    Parser,
    emit,
    open_archive,
    parse_date,
    state_code,
)
from desktop.core import search
from desktop.core.materials import marks


def options_search(p: Parser, common: Parser) -> None:
    p.add_argument("query", metavar="QUERY",
                   help='搜索词：空格分隔表示同时包含；"短语"；OR；-排除词 或 NOT 排除词')
    p.add_argument("--item", action="append", metavar="CODE", help="只搜索该测评项目或测评内容")
    p.add_argument("--department", metavar="NAME", help="只搜索该责任单位的材料")
    p.add_argument("--type", metavar="TYPE", help="只搜索该材料类型")
    p.add_argument("--stage", metavar="S", help="只搜索该审核状态（draft … 或 草稿 …）")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="材料日期不早于")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="材料日期不晚于")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="最多返回条数（默认 20）")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="跳过前 N 条（翻页）")


def _found(hit: search.Hit) -> str:
    """The text the hit found (its first highlight), or ""."""
    return hit.snippet[hit.highlights[0][0]:hit.highlights[0][1]] if hit.highlights else ""


def cmd_search(args: argparse.Namespace) -> int:
    filters = search.Filters(
        codes=tuple(args.item or ()), department=args.department, material_type=args.type,
        state=state_code(args.stage), date_from=parse_date(args.date_from, "--from"),
        date_to=parse_date(args.date_to, "--to"))
    with open_archive(args, writable=False) as archive:
        result = search.search(archive, args.query, filters, limit=args.limit,
                               offset=args.offset)
        # 红线标注: the marked passage a hit falls in, if any
        marked = marks.marked_hits(archive, [(h.id, h.page, _found(h)) for h in result.hits])
    if args.json:
        emit([{**h.to_json(), **({"marked": {"mark": marked[n].id, "page": marked[n].page,
                                             "text": marked[n].text}} if n in marked else {})}
              for n, h in enumerate(result.hits)])
        return EXIT_OK
    bold = sys.stdout.isatty()
    for n, hit in enumerate(result.hits):
        snippet = hit.snippet
        if bold:
            for start, end in reversed(hit.highlights):
                snippet = (snippet[:start] + "\033[1;31m" + snippet[start:end] + "\033[0m"
                           + snippet[end:])
        where = f"  {hit.file} 第 {hit.page} 页" if hit.page else ""
        print(f"#{hit.id}\t{hit.title}{where}\n    {snippet}")
        if (mark := marked.get(n)) is not None:
            print(f"    红线标注（第 {mark.page} 页）：{mark.text.replace(chr(10), '')}")
    shown = f"，显示前 {len(result.hits)} 条" if result.total > len(result.hits) else ""
    print(f"共 {result.total} 份材料{shown}（{result.engine}，{result.elapsed_ms:.0f} 毫秒）")
    return EXIT_OK


def options_index(p: Parser, common: Parser) -> None:
    index_sub = p.add_subparsers(dest="index_cmd", parser_class=Parser)
    index_sub.add_parser("status", parents=[common], help="索引状态（默认）")
    r = index_sub.add_parser("rebuild", parents=[common], help="重建全文索引")
    r.add_argument("--engine", choices=["fts5", "whoosh"], help="同时切换搜索引擎")
    r.set_defaults(handler=cmd_index_rebuild)


def cmd_index(args: argparse.Namespace) -> int:
    """`zicha index [status]`."""
    with open_archive(args, writable=False) as archive:
        engine = search.engine_name(archive)
        stale = search.needs_rebuild(archive)
        found = search.drift(archive)
    data = {"engine": engine, "needs_rebuild": stale, "missing": found.missing,
            "stale": found.stale, "problems": found.problems}
    if args.json:
        emit(data)
    else:
        broken = stale or found.missing or found.stale or found.problems
        state = "需要重建（zicha index rebuild）" if broken else "正常"
        print(f"搜索引擎 {engine}：{state}")
    return EXIT_OK


def cmd_index_rebuild(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        if args.engine:
            search.set_engine(archive, args.engine)
        count = search.rebuild(archive)
        engine = search.engine_name(archive)
    if args.json:
        emit({"engine": engine, "materials": count})
    else:
        print(f"已重建全文索引（{engine}）：{count} 份材料")
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "search": (options_search, cmd_search),
    "index": (options_index, cmd_index),
}
