"""Append-only, hash-chained audit log: each entry carries the hash of the one before."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.archive.models import AuditEntry

GENESIS = "0" * 64
TAMPER_FOUND = "audit.head_mismatch"  # logged when the head record names a vanished entry


def entry_hash(seq: int, at: str, actor: str, action: str, target: str, detail: str,
               prev_hash: str) -> str:
    canonical = json.dumps(
        {"seq": seq, "at": at, "actor": actor, "action": action, "target": target,
         "detail": detail, "prev": prev_hash},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Head:
    """The chain's newest entry: what an anchor records so later truncation is detectable."""

    seq: int
    hash: str

    def to_json(self) -> dict[str, int | str]:
        return {"seq": self.seq, "hash": self.hash}


def head(session: Session) -> Head:
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return Head(last.seq, last.hash) if last else Head(0, GENESIS)


def append(session: Session, actor: str, action: str, target: str, detail: dict, *,
           after: AuditEntry | None = None) -> AuditEntry:
    """Add the next entry. `after`: the entry this session appended last (its transaction holds
    the write lane, so it is still the newest): the chain goes on from it without a query."""
    last = after if after is not None else session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    entry = AuditEntry(
        seq=seq, at=at, actor=actor, action=action, target=target, detail=detail_text,
        prev_hash=prev, hash=entry_hash(seq, at, actor, action, target, detail_text, prev),
    )
    session.add(entry)
    if after is None:
        session.flush()
    return entry


@dataclass
class ChainReport:
    entries: int
    problems: list[str]


def verify_chain(entries: Iterable[AuditEntry]) -> ChainReport:
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for e in entries:
        count += 1
        if e.seq != expected_seq:
            problems.append(f"审计日志第 {expected_seq} 条缺失（下一条是第 {e.seq} 条）")
        if e.prev_hash != prev:
            problems.append(f"审计日志第 {e.seq} 条与前一条的哈希链接不上")
        recomputed = entry_hash(e.seq, e.at, e.actor, e.action, e.target, e.detail, e.prev_hash)
        if recomputed != e.hash:
            problems.append(f"审计日志第 {e.seq} 条内容被改动（哈希不符）")
        prev = e.hash
        expected_seq = e.seq + 1
    return ChainReport(count, problems)
