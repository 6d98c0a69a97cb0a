"""Settling a merge conflict (docs/transfers.md, "Settling conflicts"): keep the city's
material, take the package's change as an update would have applied it, or keep both (the
package's version as a second material of this archive). One transaction, one audit entry
`transfer.resolve`; the row keeps who settled it, when and how."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.core import search
from desktop.core.archive.archive import Archive, AuditLogger
from desktop.core.archive.kinds import ReviewState, Role
from desktop.core.archive.models import (
    Decision,
    Filing,
    Material,
    MaterialFile,
    TransferConflict,
    TransferDecision,
    TransferIn,
)
from desktop.core.review import archival, decisions, roster
from desktop.core.transfer.merge import DELETED, _history, _Merge
from desktop.core.transfer.package import TransferError, material_entry

KEEP, THEIRS, BOTH = "keep", "theirs", "both"
HOW_LABELS = {KEEP: "保留本档案的材料", THEIRS: "采用对方的改动", BOTH: "两者都保留"}
DELETABLE = (ReviewState.DRAFT, ReviewState.RETURNED)


@dataclass
class Resolved:
    conflict: int
    kind: str
    how: str
    material_id: int | None  # the material the conflict is about, here (None: not added, or gone)
    added_id: int | None = None  # the material `theirs` added or `both` made
    deleted_id: int | None = None  # the material `theirs` of a deletion removed
    voided: list[str] = field(default_factory=list)  # approvals no longer backed
    set_aside: list[str] = field(default_factory=list)  # this archive's decisions taken off
    changed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def resolve_conflict(archive: Archive, conflict_id: int, how: str, *, actor: str) -> Resolved:
    """Settle conflict `conflict_id` with `how` (keep / theirs / both), as `actor`, who must be
    an admin of this archive in post: a resolution can void reviewers' approvals or take this
    archive's own decisions off a material, which no single reviewer may do over the others."""
    if how not in HOW_LABELS:
        raise TransferError(f"处理方式 {how} 无效：只能是 keep、theirs 或 both")
    with archive.write(actor) as (session, log):
        _, person = roster.acting_person(session, actor)
        if not person.may(Role.ADMIN, None):
            raise TransferError(f"{actor} 不是本档案的管理员，不能处理报送冲突（处理冲突可能使"
                                "审核签名作废，须由管理员决定）")
        row = session.get(TransferConflict, conflict_id)
        if row is None:
            raise TransferError(f"没有编号为 {conflict_id} 的报送冲突")
        if row.resolved_at is not None:
            raise TransferError(f"报送冲突 {conflict_id} 已于 {row.resolved_at[:19]} 由 "
                                f"{row.resolved_by} 处理（{HOW_LABELS.get(row.resolution, '')}）"
                                "；不能再处理一次")
        detail = json.loads(row.detail)
        work = _Resolution(archive, session, log, row, detail)
        result = work.run(how)
        row.resolved_at, row.resolved_by, row.resolution = decisions.utc_now(), log.actor, how
        detail["outcome"] = result.to_json()
        row.detail = json.dumps(detail, ensure_ascii=False)
        log("transfer.resolve", f"material:{row.material_uid}",
            {"conflict": row.id, "package": row.package_id, "kind": row.kind, "how": how,
             **{k: v for k, v in result.to_json().items() if k not in ("conflict", "kind", "how")},
             "set_aside_decisions": work.set_aside_rows})
        return result


class _Resolution:
    def __init__(self, archive: Archive, session: Session, log: AuditLogger,
                 row: TransferConflict, detail: dict[str, Any]) -> None:
        self.archive, self.session, self.log, self.row = archive, session, log, row
        self.entry: dict[str, Any] = detail["entry"]
        self.city: dict[str, Any] | None = detail.get("city")
        self.here = archive.info()["archive_id"]
        self.set_aside_rows: list[dict[str, Any]] = []
        self.label = f"报送冲突 {row.id}"
        self.m = session.scalars(select(Material).where(Material.uid == row.material_uid)).first()

    def run(self, how: str) -> Resolved:
        row, m = self.row, self.m
        result = Resolved(row.id, row.kind, how, m.id if m else None)
        if how == KEEP:
            return result
        if how == BOTH and row.kind == DELETED:
            raise TransferError(f"{self.label}：对方删除了这份材料，没有第二份材料可保留；"
                                "请选择保留本档案的材料或采用对方的删除")
        if how == BOTH and m is None:
            raise TransferError(f"{self.label}：本档案没有这份材料（对方的新材料未加入），"
                                "两者都保留就是加入它；请选择采用对方的改动")
        self.check_current()
        if how == BOTH:
            result.added_id = self.copy()
        elif row.kind == DELETED:
            result.deleted_id, result.material_id = self.delete(), None
        else:
            self.take_theirs(result)
        return result

    def check_current(self) -> None:
        """Taking the package's entry is only right while the material is as the conflict found
        it, and while no later package brought a newer entry of it."""
        newer = self.session.scalars(select(TransferConflict.id).where(
            TransferConflict.material_uid == self.row.material_uid,
            TransferConflict.id > self.row.id)).first()
        if newer is not None:
            raise TransferError(f"{self.label} 之后，同一份材料又有报送冲突 {newer}（对方较新的"
                                "版本）；这一条只能保留本档案的材料，请处理较新的那一条")
        m = self.m
        if (self.city is None) != (m is None):
            state = "已加入本档案" if m is not None else "已不在本档案中"
            raise TransferError(f"{self.label} 的材料在冲突之后{state}；只能保留本档案现有的")
        if m is not None and self.city is not None:
            now = [d.hash for d in _history(self.session, m.id)]
            if now != self.city["decisions"] or str(m.state) != self.city["state"]:
                raise TransferError(f"{self.label} 的材料 #{m.id}《{m.title}》在冲突之后又有审核"
                                    "（审核记录或状态已不同）；对方的版本已过时，只能保留本档案的"
                                    "材料")

    def merge(self) -> _Merge:
        """The merge's own steps (adding, updating, voiding), on the package the conflict came
        from; its files are stored already (a conflict keeps them)."""
        got = self.session.get(TransferIn, self.row.package_id)
        assert got is not None  # a conflict row references its package
        doc = {"package_id": got.package_id,
               "from": {"archive": got.from_archive, "name": "", "department": got.department},
               "seq": got.seq, "sender": {"name": self.log.actor}, "nodes": []}
        work = _Merge(self.archive, self.session, self.log, doc, {}, self.label)
        missing = [f["name"] for f in self.entry["files"]
                   if not self.archive.store.has(f["sha256"])]
        if missing:
            raise TransferError(f"{self.label} 的文件 {missing[0]} 不在本档案的文件库中；无法采用"
                                "对方的版本", hint="请对方重新报送这份材料")
        return work

    def take_theirs(self, result: Resolved) -> None:
        work = self.merge()
        work.ensure_nodes(self.entry["items"])
        m = self.m
        if m is None:  # a new material left out for a file another department filed elsewhere
            work.add(self.entry)
            result.added_id = result.material_id = work.report.added[0]["id"]
            touched = work.touched
        else:
            self.set_aside(m, result)
            current = material_entry(self.here, m, _history(self.session, m.id))
            work.update(m, current, self.entry)
            [updated] = work.report.updated
            result.voided += updated["voided"]
            result.changed = updated["changed"]
            touched = work.touched
        self.session.flush()
        for material in touched:
            if (found := decisions.signed_state_of(self.session, self.here, material)) is not None:
                raise TransferError(f"{self.label}：采用对方的版本后，材料《{material.title}》"
                                    f"{found.reason}；没有处理")
        work.number()
        search.refresh(self.archive, self.session, [x.id for x in touched])

    def set_aside(self, m: Material, result: Resolved) -> None:
        """This archive's decisions beyond what the package's chain shares with it: a signed
        chain cannot fork, so they come off the material (each kept, payload and signature, in
        the audit entry and the conflict row, where it still verifies)."""
        theirs = [d["hash"] for d in self.entry["decisions"]]
        history = _history(self.session, m.id)
        shared = 0
        while shared < min(len(history), len(theirs)) and history[shared].hash == theirs[shared]:
            shared += 1
        off = history[shared:]
        for d in off:
            verdict = "通过" if d.verdict == "approve" else "退回"
            result.set_aside.append(f"{decisions.STAGE_NAMES.get(d.stage, d.stage)}{verdict}"
                                    f"（{d.reviewer}，第 {d.review_round} 轮）撤下：与对方的审核"
                                    "记录分叉，采用对方的")
            self.set_aside_rows.append({"hash": d.hash, "payload": d.payload,
                                        "signature": d.signature})
        if off:
            hashes = [d.hash for d in off]
            self.session.execute(delete(TransferDecision).where(
                TransferDecision.hash.in_(hashes)))
            self.session.execute(delete(Decision).where(Decision.hash.in_(hashes)))
            self.session.flush()

    def delete(self) -> int:
        m = self.m
        assert m is not None
        if m.state not in DELETABLE:
            from desktop.core.review.workflow import STATE_LABELS

            raise TransferError(
                f"{self.label}：材料 #{m.id}《{m.title}》处于“{STATE_LABELS[ReviewState(m.state)]}"
                "”状态；本档案只删除草稿或已退回的材料，没有删除",
                hint="先由审核人退回这份材料，再采用对方的删除")
        gone = m.id
        archival.material_deleted(self.session, self.log, m, "材料已删除（采用报送单位的删除）")
        search.drop(self.archive, self.session, [gone])
        self.session.execute(delete(TransferDecision).where(TransferDecision.hash.in_(
            [d.hash for d in _history(self.session, gone)])))
        self.session.delete(m)
        self.session.flush()
        return gone

    def copy(self) -> int:
        """The package's version as a material of this archive: a new uid, its own number as
        its signed identity (two materials under one signed identity could not be told apart
        by a decision), the package's metadata, files and filings, a draft: the package's
        decisions belong to the material they were signed on and serve no second one."""
        work = self.merge()
        work.ensure_nodes(self.entry["items"])
        work.keep_files(self.entry)
        now = decisions.utc_now()
        m = Material(created_at=_naive(now), updated_at=_naive(now))
        work.set_fields(m, self.entry)
        m.state, m.review_round, m.submitted_by = ReviewState.DRAFT, 0, ""
        m.files = [MaterialFile(sha256=f["sha256"], filename=f["name"], position=n)
                   for n, f in enumerate(self.entry["files"])]
        m.filings = [Filing(node_code=c) for c in self.entry["items"]]
        self.session.add(m)
        self.session.flush()
        search.refresh(self.archive, self.session, [m.id])
        self.log("material.add", f"material:{m.id}",
                 {"title": m.title, "source": "transfer.resolve", "conflict": self.row.id,
                  "copy_of": {"uid": self.entry["uid"], "origin": self.entry["origin"],
                              "package": self.row.package_id}})
        return m.id


def _naive(stamp: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)
