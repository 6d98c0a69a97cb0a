"""`zicha submit`, `review`, `history`: a material through the review stages, signed."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.shared import (
    EXIT_FAIL,
    EXIT_OK,
    VERDICT_LABELS,
    Handler,
    Options,
    Parser,
    emit,
    open_archive,
    passphrase,
    stage_label,
    state_label,
)
from desktop.core.ledger import checklist
from desktop.core.materials.service import get_material
from desktop.core.review import decisions, keys


def options_submit(p: Parser, common: Parser) -> None:
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--as", dest="as_", required=True, metavar="NAME", help="提交人（经办人）")
    p.add_argument("--despite-gaps", action="store_true",
                   help="材料清单有缺项时仍然提交（缺项随提交记录，审核人可见）")


def cmd_submit(args: argparse.Namespace) -> int:
    with open_archive(args, writable=True) as archive:
        try:
            gaps = checklist.submit(archive, args.ids, args.as_, despite_gaps=args.despite_gaps)
        except checklist.GapsFound as exc:
            if args.json:
                emit({"submitted": [], "gaps": exc.gaps})
            raise
    if args.json:
        items = {g["item"]: g for entries in gaps.values() for g in entries}
        emit({"submitted": args.ids, "gaps": [items[c] for c in sorted(items)]})
    else:
        print(f"已提交初审：{'、'.join(f'#{i}' for i in args.ids)}")
        if gaps:
            print("提交时材料清单的缺项（已记录，审核人可见）：")
            items = {g["item"]: g for entries in gaps.values() for g in entries}
            print(checklist.gap_text([items[c] for c in sorted(items)]))
    return EXIT_OK


def options_review(p: Parser, common: Parser) -> None:
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--as", dest="as_", required=True, metavar="NAME", help="审核人")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="通过")
    verdict.add_argument("--reject", action="store_true", help="退回")
    p.add_argument("--comment", metavar="TEXT", default="", help="审核意见（退回时必填）")


def cmd_review(args: argparse.Namespace) -> int:
    verdict = "approve" if args.approve else "reject"
    key = keys.load_private(args.as_, passphrase(args.as_))
    with open_archive(args, writable=True) as archive:
        decision = decisions.decide(archive, args.id, args.as_, verdict, args.comment or "", key)
        state = archive_state(archive, args.id)
    if args.json:
        emit({"id": args.id, "stage": decision.stage, "verdict": verdict, "state": state,
               "hash": decision.hash})
    else:
        print(f"材料 #{args.id}：{stage_label(decision.stage)}{VERDICT_LABELS[verdict]}，"
              f"现为{state_label(state)}")
    return EXIT_OK


def archive_state(archive, material_id: int) -> str:  # type: ignore[no-untyped-def]
    return get_material(archive, material_id).state


def options_history(p: Parser, common: Parser) -> None:
    p.add_argument("id", type=int, metavar="ID")


def cmd_history(args: argparse.Namespace) -> int:
    with open_archive(args, writable=False) as archive:
        checked = decisions.history(archive, args.id)
        gaps = decisions.submission_gaps(archive, args.id)
    if args.json:
        emit([c.to_json() for c in checked])
    else:
        if gaps:  # what the clerk submitted this round without, for the reviewer
            print("提交时缺项（材料清单）：")
            print(checklist.gap_text(gaps))
        for c in checked:
            mark = "✔" if c.ok else f"✘ {c.problem}"
            print(f"第{c.round}轮 {stage_label(c.stage)}{VERDICT_LABELS.get(c.verdict, c.verdict)}"
                  f" {c.reviewer} {c.decided_at} {mark}"
                  + (f"\n    {c.comment}" if c.comment else ""))
    if not all(c.ok for c in checked):
        print(f"zicha: 材料 #{args.id} 的审核记录有问题", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


COMMANDS: dict[str, tuple[Options | None, Handler | None]] = {
    "submit": (options_submit, cmd_submit),
    "review": (options_review, cmd_review),
    "history": (options_history, cmd_history),
}
