"""The city's side: apply a 报送包 to the live archive (docs/transfers.md).

Every check comes before the first write: the package through open_transfer(), addressed to
this archive, signed as a whole by someone on this roster with a role in the sending
department, not applied before and not out of order, every file's hash, every decision's
signature (this roster's keys) and chain. Then one transaction: materials added, updated or
left unchanged, conflicts recorded (the material left as the city has it), task progress and
整改 feedback taken over, the package recorded with its report; or nothing at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop.core import search
from desktop.core.archive.archive import Archive, AuditLogger
from desktop.core.archive.kinds import NodeKind, ReviewState
from desktop.core.archive.models import (
    Blob,
    Decision,
    Filing,
    IndicatorNode,
    IndicatorSystemRecord,
    Material,
    MaterialFile,
    MaterialMark,
    Person,
    Problem,
    ProblemEvidence,
    Task,
    TextState,
    TransferConflict,
    TransferDecision,
    TransferIn,
)
from desktop.core.common.progress import Progress, as_progress
from desktop.core.review import archival, decisions, roster, workflow
from desktop.core.review.roster import department_named
from desktop.core.transfer.checks import check_chain, check_order, check_signer
from desktop.core.transfer.package import (
    KIND_DISPATCH,
    Opened,
    TransferError,
    acts_for,
    material_entry,
    open_transfer,
)
from desktop.core.transfer.receive import DispatchReport, apply_dispatch

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"
CANCELLED = "已取消应用报送包，本档案没有任何改动"
DECIDED, DELETED, SAME_FILE = "decided", "deleted", "same_file"
CONFLICT_LABELS = {DECIDED: "本档案已审核，对方又改动", DELETED: "对方已删除，本档案仍保留",
                   SAME_FILE: "同一文件被两个单位归入不同测评内容"}
# what "the material itself" is, apart from its review: the fields a department edits
CONTENT = ("title", "doc_number", "material_date", "department", "material_type", "description",
           "caption", "bonus", "items", "files", "marks")


@dataclass
class MergeReport:
    package_id: str
    from_archive: str
    from_name: str
    department: str
    seq: int
    sender: str
    added: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    tasks: int = 0  # tasks whose progress changed
    problems: int = 0  # problems whose 整改 changed
    unknown: int = 0  # tasks and problems this archive does not have (sent down later)
    nodes: list[str] = field(default_factory=list)  # 测评内容 created
    files_stored: int = 0
    files_linked: int = 0  # already in this archive: linked, not copied

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def apply_transfer(archive: Archive, path: Path, *, actor: str | None = None,
                   on_roster: bool = False,
                   progress: Progress | None = None) -> MergeReport | DispatchReport:
    """Check the package at `path` against this archive and apply it, all or none: a 报送包
    is merged (MergeReport), a 下发包 received (receive.py, DispatchReport). `actor` is who
    applies it (the audit log's); with `on_roster` they must be on the roster, in post.
    `progress` steps per file checked and per material merged; cancelled before the commit,
    nothing is applied."""
    steps = as_progress(progress)
    here = archive.info()
    with open_transfer(Path(path)) as opened:
        doc, label = opened.doc, opened.label
        if doc["to"]["archive"] != here["archive_id"]:
            raise TransferError(f"{label} 是报送给另一个档案（{doc['to']['archive']}）的，"
                                f"不是本档案「{here.get('name', '')}」；未应用任何内容")
        if doc["from"]["archive"] == here["archive_id"]:
            raise TransferError(f"{label} 是本档案自己写出的，不能应用到本档案")
        if doc["kind"] == KIND_DISPATCH:
            return apply_dispatch(archive, opened, actor=actor, on_roster=on_roster)
        with archive.read() as session:
            if on_roster and actor is not None:
                roster.acting_person(session, actor)
            _check_sender(session, doc, label)
            check_order(session, doc, label)
            _check_materials(session, doc, label)
        with (_staged_files(archive, opened, steps) as staged,
              archive.write(actor) as (session, log)):
            check_order(session, doc, label)  # again, under the writer's lock
            return _merge(archive, session, log, doc, staged, label, steps)


# -- the checks ----------------------------------------------------------------------------

def _check_sender(session: Session, doc: dict[str, Any], label: str) -> None:
    name, department = doc["sender"]["name"], doc["from"]["department"]
    if not acts_for(check_signer(session, doc, label), department):
        raise TransferError(f"{label} 的报送人 {name} 在 {department} 没有任何角色，不能报送"
                            "该单位的材料；整包拒绝，未应用任何内容")


def _check_materials(session: Session, doc: dict[str, Any], label: str) -> None:
    """Each material: its files listed in the manifest with their sizes, its uid once, its
    department the sender's (or none), each decision signed with this roster's key of its
    reviewer, chained, and naming the material by its origin."""
    roster_keys = {p.name: p.public_key for p in session.scalars(select(Person))}
    seen: set[str] = set()
    department = doc["from"]["department"]
    for entry in doc["materials"]:
        where = f"{label} 中的材料 {entry.get('title') or entry['uid']}"
        if entry["uid"] in seen:
            raise TransferError(f"{where} 出现了两次；此包已损坏或被改动")
        seen.add(entry["uid"])
        if entry["deleted"]:
            continue
        if entry["department"] not in (None, department):
            raise TransferError(f"{where} 属于 {entry['department']}，不是报送单位 {department}"
                                "；整包拒绝，未应用任何内容")
        for f in entry["files"]:
            if doc["manifest"].get(f["sha256"]) != f["size"]:
                raise TransferError(f"{where} 的文件 {f['name']} 不在包中或大小不符；此包已损坏")
        check_chain(entry, roster_keys, where)


@contextmanager
def _staged_files(archive: Archive, opened: Opened, steps: Progress
                  ) -> Iterator[dict[str, Path]]:
    """Every file of the package read once and hashed: those this archive lacks written to its
    tmp folder (removed afterwards; by the next writer after a crash), sha256 -> path."""
    staged: dict[str, Path] = {}
    try:
        archive.store.tmp.mkdir(parents=True, exist_ok=True)
        files = opened.doc["manifest"]
        for n, (sha, size) in enumerate(files.items()):
            steps.check(CANCELLED)
            steps.step(n, len(files), "核对文件")
            keep = not archive.store.has(sha)
            check, length = hashlib.sha256(), 0
            fd, name = tempfile.mkstemp(dir=archive.store.tmp, prefix="transfer-") if keep \
                else (-1, "")
            try:
                with os.fdopen(fd, "wb") if keep else _nowhere() as out:
                    for chunk in opened.file_chunks(sha):
                        check.update(chunk)
                        length += len(chunk)
                        out.write(chunk)
            finally:
                if keep:
                    staged[sha] = Path(name)
            if check.hexdigest() != sha or length != size:
                raise TransferError(f"{opened.label} 中的文件 files/{sha} 与清单中的哈希不符"
                                    "（文件被改动），整包拒绝，未应用任何内容")
        yield staged
    finally:
        for path in staged.values():
            with suppress(OSError):
                path.unlink()


class _Nowhere:
    def write(self, data: bytes) -> int:
        return len(data)

    def __enter__(self) -> _Nowhere:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _nowhere() -> _Nowhere:
    return _Nowhere()


# -- the merge -------------------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _history(session: Session, material_id: int) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.material_id == material_id)
                                .order_by(Decision.id)))


def _content(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry.get(k) for k in CONTENT}


class _Merge:
    def __init__(self, archive: Archive, session: Session, log: AuditLogger,
                 doc: dict[str, Any], staged: dict[str, Path], label: str) -> None:
        self.archive, self.session, self.log, self.doc, self.staged = (archive, session, log,
                                                                       doc, staged)
        self.label = label
        self.here = archive.info()["archive_id"]
        self.department = doc["from"]["department"]
        self.nodes = {n["code"]: n for n in doc["nodes"]}
        self.files: dict[str, dict[str, Any]] = {}  # every file the merge keeps
        self.report = MergeReport(doc["package_id"], doc["from"]["archive"], doc["from"]["name"],
                                  self.department, doc["seq"], doc["sender"]["name"])
        self.touched: list[Material] = []
        self.was: dict[int, str | None] = {}  # id(material) -> its state before the merge

    # each material
    def material(self, entry: dict[str, Any]) -> None:
        session = self.session
        m = session.scalars(select(Material).where(Material.uid == entry["uid"])).first()
        origin = (entry["origin"]["archive"], entry["origin"]["id"])
        if m is not None and decisions.signed_identity(self.here, m) != origin:
            raise TransferError(f"{self.label} 中的材料 {entry['uid']} 与本档案材料 #{m.id}"
                                f"《{m.title}》编号相同但来源不同；此包已损坏或被改动")
        if entry["deleted"]:
            if m is not None:
                self.conflict(DELETED, entry, m, f"{self.department}已删除这份材料，本档案仍保留"
                              "（没有删除）")
            else:
                note = f"{self.department}已删除，本档案没有这份材料"
                self.report.unchanged.append({"uid": entry["uid"], "id": None, "title": "",
                                              "note": note})
            return
        self.ensure_nodes(entry["items"])
        if m is None:
            if origin[0] != self.doc["from"]["archive"]:
                raise TransferError(f"{self.label} 中的新材料《{entry['title']}》声称来自另一个档案"
                                    f"（{origin[0]}），不是报送档案；此包已损坏或被改动，"
                                    "未应用任何内容")
            if (why := self.same_file(entry, None)) is not None:
                self.conflict(SAME_FILE, entry, None, why)
                return
            self.add(entry)
            return
        current = material_entry(self.here, m, _history(session, m.id))
        shown = {"uid": m.uid, "id": m.id, "title": m.title}
        if current == entry:
            self.report.unchanged.append(shown)
            return
        ours = [d["hash"] for d in current["decisions"]]
        theirs = [d["hash"] for d in entry["decisions"]]
        if theirs[:len(ours)] == ours:
            # a clash is about filing: checked again only when the filing or files change
            refiled = (current["items"], current["files"]) != (entry["items"], entry["files"])
            if refiled and (why := self.same_file(entry, m)) is not None:
                self.conflict(SAME_FILE, entry, m, why)
                return
            self.update(m, current, entry)
        elif ours[:len(theirs)] == theirs and _content(current) == _content(entry):
            self.report.unchanged.append({**shown, "note": "本档案已有更新的审核记录"})
        else:
            extra = len(ours) - len(os.path.commonprefix([ours, theirs]))
            self.conflict(DECIDED, entry, m, f"本档案对这份材料有 {extra} 条对方没有的审核记录，"
                          f"而{self.department}又改动了它（没有采用对方的改动）")

    def ensure_nodes(self, codes: list[str]) -> None:
        for code in codes:
            if self.session.get(IndicatorNode, code) is not None:
                continue
            node = self.nodes.get(code)
            if node is None:
                raise TransferError(f"{self.label} 中的材料归入了 {code}，但包中没有它的说明；"
                                    "此包已损坏")
            parent = self.session.get(IndicatorNode, node["parent"]) if node["parent"] else None
            if node["kind"] != NodeKind.ITEM or parent is None:
                system = node["system"]
                known = self.session.scalars(select(IndicatorSystemRecord).where(
                    IndicatorSystemRecord.prefix == system["prefix"])).first()
                if known is None:
                    raise TransferError(f"{self.label} 中的材料归入的测评体系「{system['name']}」"
                                        f"（编号前缀 {system['prefix'] or '无'}）本档案没有；"
                                        "请先添加该测评体系；未应用任何内容")
                category = node["code"] if node["kind"] != NodeKind.ITEM else node["parent"]
                named = self.nodes.get(category, {}).get("name", "")
                raise TransferError(f"{self.label} 中的材料归入的测评项目 {category} {named} "
                                    "本档案没有；请先添加该测评项目；未应用任何内容")
            position = self.session.scalar(select(func.count()).select_from(IndicatorNode)
                                           .where(IndicatorNode.parent_code == parent.code)) or 0
            self.session.add(IndicatorNode(code=code, system_id=parent.system_id,
                                           parent_code=parent.code, kind=NodeKind.ITEM,
                                           name=node["name"], criterion=node["criterion"],
                                           position=position, source="transfer"))
            self.session.flush()
            self.log("item.add", code, {"name": node["name"], "criterion": node["criterion"],
                                        "source": "transfer", "package": self.doc["package_id"]})
            self.report.nodes.append(code)

    def same_file(self, entry: dict[str, Any], m: Material | None) -> str | None:
        """Why a file of `entry` clashes with another department's material here: the same
        content filed under other items. None when nothing clashes."""
        for f in entry["files"]:
            others = self.session.scalars(select(Material).join(
                MaterialFile, MaterialFile.material_id == Material.id).where(
                MaterialFile.sha256 == f["sha256"]))
            for other in others:
                if m is not None and other.id == m.id:
                    continue
                dept = other.department.name if other.department else None
                if dept != entry["department"] and other.codes != sorted(entry["items"]):
                    return (f"文件 {f['name']} 与本档案材料 #{other.id}《{other.title}》"
                            f"（{dept or '未指定单位'}，归入 {'、'.join(other.codes)}）相同，"
                            f"而{self.department}把它归入 {'、'.join(entry['items'])}")
        return None

    def keep_files(self, entry: dict[str, Any]) -> None:
        """Register the files the merge keeps (their content is stored by store_files())."""
        for f in entry["files"]:
            sha = f["sha256"]
            if sha in self.files:
                continue
            self.files[sha] = f
            if self.session.get(Blob, sha) is None:
                self.session.add(Blob(sha256=sha, size=f["size"], kind=f["kind"],
                                      mime=f["mime"], page_count=f["page_count"],
                                      stored_at=_now()))
                self.session.add(TextState(sha256=sha))  # its text is extracted here too
        self.session.flush()

    def add(self, entry: dict[str, Any]) -> None:
        self.keep_files(entry)
        now = _now()
        origin = entry["origin"]
        m = Material(uid=entry["uid"], created_at=now, updated_at=now,
                     origin_archive=origin["archive"] if origin["archive"] != self.here else None,
                     origin_id=origin["id"] if origin["archive"] != self.here else None)
        self.set_fields(m, entry)
        m.files = [MaterialFile(sha256=f["sha256"], filename=f["name"], position=n)
                   for n, f in enumerate(entry["files"])]
        m.filings = [Filing(node_code=c) for c in entry["items"]]
        self.session.add(m)
        self.session.flush()
        self.add_decisions(m, entry["decisions"])
        self.touched.append(m)
        self.report.added.append({"uid": m.uid, "id": m.id, "title": m.title})

    def set_fields(self, m: Material, entry: dict[str, Any]) -> None:
        m.title, m.doc_number = entry["title"], entry["doc_number"]
        m.material_date = (dt.date.fromisoformat(entry["material_date"])
                           if entry["material_date"] else None)
        m.department = (department_named(self.session, entry["department"])
                        if entry["department"] else None)
        m.material_type, m.description = entry["material_type"], entry["description"]
        caption = entry["caption"]
        m.caption_time, m.caption_place = caption["time"], caption["place"]
        m.caption_people, m.caption_subject = caption["people"], caption["subject"]
        m.caption_background = caption.get("background", "")
        m.caption_reason = caption.get("reason", "")
        bonus = entry["bonus"]
        m.bonus = bonus is not None
        m.bonus_level = bonus["level"] if bonus else ""
        m.bonus_issuer = bonus["issuer"] if bonus else ""
        m.bonus_date = dt.date.fromisoformat(bonus["date"]) if bonus and bonus["date"] else None
        self.was.setdefault(id(m), str(m.state) if m.state is not None else None)
        m.state = ReviewState(entry["state"])
        m.review_round, m.submitted_by = entry["review_round"], entry["submitted_by"]
        m.created_by = entry["created_by"]
        self.set_marks(m, entry.get("marks") or [])

    def set_marks(self, m: Material, listed: list[dict[str, Any]]) -> None:
        """The material's 红线标注 exactly as the package carries them (by uid)."""
        have = {mark.uid: mark for mark in m.marks}
        wanted = []
        for mark in listed:
            row = have.get(mark["uid"]) or MaterialMark(uid=mark["uid"])
            row.sha256, row.page, row.text = mark["file_sha256"], mark["page"], mark["text"]
            row.rects = json.dumps(mark["rects"])
            row.created_by = mark["by"]
            row.created_at = dt.datetime.fromisoformat(mark["at"].removesuffix("Z"))
            wanted.append(row)
        m.marks = wanted

    def add_decisions(self, m: Material, signed: list[dict[str, Any]]) -> None:
        for d in signed:
            if self.session.scalars(select(Decision.id).where(Decision.hash == d["hash"])
                                    ).first() is not None:
                raise TransferError(f"{self.label} 中的材料《{m.title}》带有本档案另一份材料已有的"
                                    "审核记录（同一签名不能用于两份材料）；此包已损坏或被改动，"
                                    "未应用任何内容")
            data = json.loads(d["payload"])
            self.session.add(Decision(
                material_id=m.id, review_round=data["round"], stage=data["stage"],
                verdict=data["verdict"], comment=data["comment"],
                reviewer=data["reviewer"]["name"], public_key=data["reviewer"]["public_key"],
                decided_at=data["decided_at"], payload=d["payload"], signature=d["signature"],
                hash=d["hash"], prev_hash=data["prev"]))
            self.session.add(TransferDecision(hash=d["hash"], package_id=self.doc["package_id"],
                                              from_archive=self.doc["from"]["archive"]))
        self.session.flush()

    def update(self, m: Material, current: dict[str, Any], entry: dict[str, Any]) -> None:
        self.keep_files(entry)
        before = decisions.material_facts(self.here, m)
        old_round = m.review_round
        approvals = [d for d in _history(self.session, m.id)
                     if d.review_round == old_round and d.verdict == workflow.APPROVE]
        self.set_fields(m, entry)
        if current["files"] != entry["files"]:
            self.session.execute(delete(MaterialFile).where(MaterialFile.material_id == m.id))
            self.session.expire(m, ["files"])
            m.files = [MaterialFile(sha256=f["sha256"], filename=f["name"], position=n)
                       for n, f in enumerate(entry["files"])]
        if current["items"] != entry["items"]:
            self.session.execute(delete(Filing).where(Filing.material_id == m.id))
            self.session.expire(m, ["filings"])
            m.filings = [Filing(node_code=c) for c in entry["items"]]
        m.updated_at = _now()
        self.session.flush()
        self.add_decisions(m, entry["decisions"][len(current["decisions"]):])
        self.session.refresh(m)
        after = decisions.material_facts(self.here, m)
        voided = []
        if before != after:
            fields = "、".join(decisions.changed_fields(before, after))
            voided = [f"{decisions.STAGE_NAMES[d.stage]}通过（{d.reviewer}，第 {d.review_round} "
                      f"轮）作废：签名后{fields}已改变" for d in approvals]
        changed = [k for k in (*CONTENT, "state", "review_round")
                   if current.get(k) != entry.get(k)]
        self.touched.append(m)
        self.report.updated.append({"uid": m.uid, "id": m.id, "title": m.title,
                                    "changed": changed, "voided": voided,
                                    "decisions_added": len(entry["decisions"])
                                    - len(current["decisions"])})

    def number(self) -> None:
        """The 档号 of each material the merge made finally approved (once its signatures are
        checked)."""
        for m in self.touched:
            archival.after_state_change(self.session, self.log, m, self.was.get(id(m)))

    def conflict(self, kind: str, entry: dict[str, Any], m: Material | None, reason: str) -> None:
        if not entry["deleted"]:
            self.keep_files(entry)  # kept, so that taking theirs later needs no package
        title = entry.get("title") or (m.title if m else entry["uid"])
        detail = {"reason": reason, "entry": entry,
                  "city": None if m is None else {
                      "id": m.id, "title": m.title, "state": str(m.state),
                      "decisions": [d.hash for d in _history(self.session, m.id)]}}
        row = TransferConflict(package_id=self.doc["package_id"], material_uid=entry["uid"],
                               kind=kind, detail=json.dumps(detail, ensure_ascii=False),
                               created_at=decisions.utc_now(), resolved_at=None)
        self.session.add(row)
        self.session.flush()
        self.log("transfer.conflict", f"material:{entry['uid']}",
                 {"package": self.doc["package_id"], "conflict": row.id, "kind": kind,
                  "material": m.id if m else None, "title": title, "reason": reason})
        self.report.conflicts.append({"conflict": row.id, "uid": entry["uid"],
                                      "id": m.id if m else None, "title": title, "kind": kind,
                                      "reason": reason})

    # tasks and problems, by uid: only those this archive has (the city's, sent down)
    def task(self, entry: dict[str, Any]) -> None:
        t = self.session.scalars(select(Task).where(Task.uid == entry["uid"])).first()
        if t is None or t.department.name != self.department:
            self.report.unknown += 1
            return
        closed = dt.datetime.fromisoformat(entry["closed_at"]) if entry["closed_at"] else None
        new = (closed, entry["closed_by"], entry["closed_reason"])
        if (t.closed_at, t.closed_by, t.closed_reason) != new:
            t.closed_at, t.closed_by, t.closed_reason = new
            t.updated_at = _now()
            self.report.tasks += 1

    def problem(self, entry: dict[str, Any]) -> None:
        p = self.session.scalars(select(Problem).where(Problem.uid == entry["uid"])).first()
        if p is None or (p.department.name if p.department else None) != self.department:
            self.report.unknown += 1
            return
        ids = set(self.session.scalars(select(Material.id).where(
            Material.uid.in_(entry["evidence"])))) if entry["evidence"] else set()
        now = {e.material_id for e in p.evidence}
        if (p.state, p.rectification, now) != (entry["state"], entry["rectification"], ids):
            p.state, p.rectification = entry["state"], entry["rectification"]
            p.evidence = [ProblemEvidence(material_id=i) for i in sorted(ids)]
            p.updated_at = _now()
            self.report.problems += 1

    def store_files(self) -> None:
        """The files the merge keeps: stored once (a file this archive has is linked)."""
        for sha in self.files:
            if sha in self.staged:
                stored = self.archive.store.stored(self.staged[sha])
                blob = self.session.get(Blob, sha)
                if blob is not None and blob.sm3 is None and stored.sha256 == sha:
                    blob.sm3 = stored.sm3  # (for the exports: computed as it was copied)
                self.report.files_stored += 1
            else:
                self.report.files_linked += 1


def _merge(archive: Archive, session: Session, log: AuditLogger, doc: dict[str, Any],
           staged: dict[str, Path], label: str, steps: Progress) -> MergeReport:
    work = _Merge(archive, session, log, doc, staged, label)
    record = TransferIn(package_id=doc["package_id"], from_archive=doc["from"]["archive"],
                        department=work.department, seq=doc["seq"],
                        applied_at=decisions.utc_now(), applied_by=log.actor, report="{}")
    session.add(record)
    session.flush()
    for n, entry in enumerate(doc["materials"]):
        steps.check(CANCELLED)  # the transaction has not committed: nothing is applied
        steps.step(n, len(doc["materials"]), "合并材料")
        work.material(entry)
    steps.check(CANCELLED)
    for task in doc["tasks"]:
        work.task(task)
    for problem in doc["problems"]:
        work.problem(problem)
    session.flush()
    for m in work.touched:  # what the package says of a state, its signatures must back
        if (found := decisions.signed_state_of(session, work.here, m)) is not None:
            raise TransferError(f"{label} 中的材料《{m.title}》{found.reason}；整包拒绝，"
                                "未应用任何内容")
    work.number()
    work.store_files()
    if work.touched:
        search.refresh(archive, session, [m.id for m in work.touched])
    report = work.report
    record.report = json.dumps(report.to_json(), ensure_ascii=False)
    log("transfer.apply", f"transfer:{doc['package_id']}", {
        "from": doc["from"], "seq": doc["seq"], "since": doc["since"],
        "sender": doc["sender"]["name"],
        "signature_sha256": hashlib.sha256(doc["signature"].encode("ascii")).hexdigest(),
        "added": {m["uid"]: m["id"] for m in report.added},
        "updated": {m["uid"]: m["id"] for m in report.updated},
        "unchanged": len(report.unchanged), "conflicts": len(report.conflicts),
        "tasks": report.tasks, "problems": report.problems, "nodes": report.nodes,
        "files_stored": report.files_stored, "files_linked": report.files_linked})
    return report
