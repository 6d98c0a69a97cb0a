"""The city's side of a 下发包 (docs/transfers.md): for one department's archive, the decisions
the city took on that department's materials (each material's whole signed chain), the
department's tasks and the task lists they belong to, the problems assigned to it, the
indicator systems and the 测评项目 / 测评内容 those name, the roster entries the decisions need,
and a receipt of every 报送包 the city applied from that archive. Signed by an admin."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.kinds import Role
from desktop.core.archive.models import (
    Decision,
    Department,
    IndicatorSystemRecord,
    Material,
    Person,
    Problem,
    Task,
    TaskList,
    TransferDecision,
    TransferIn,
    TransferOut,
    TransferOutItem,
)
from desktop.core.common import atomic
from desktop.core.common.progress import Progress
from desktop.core.review import decisions, keys, roster
from desktop.core.transfer.package import (
    FORMAT,
    KIND_DISPATCH,
    KIND_REPORT,
    PACKAGE_SUFFIX,
    TransferError,
    digest,
    node_entry,
    signed_bytes,
)
from desktop.core.transfer.records import reporters, transfers
from desktop.core.transfer.send import UUID_TEXT, last_sent, write_package

REVIEW, TASK_LIST, TASK, PROBLEM = "review", "task_list", "task", "problem"
SUFFIX = PACKAGE_SUFFIX


class NothingToDispatch(TransferError):
    """A 下发包 not written because the department has nothing new, not even the receipt."""


@dataclass(frozen=True)
class DispatchSent:
    package_id: str
    to: str
    department: str
    seq: int
    since: int
    out: str
    receipt: int  # the highest seq of the department's 报送包 it acknowledges
    # {uid, id, title, state, reviewer, comment} of each material carried (its newest decision)
    reviews: list[dict[str, Any]]
    task_lists: int
    tasks: int
    problems: int
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def department_of(session: Session, archive_id: str) -> str | None:
    """The department the archive `archive_id` reports for, from its newest 报送包 here."""
    return session.scalars(select(TransferIn.department).where(
        TransferIn.from_archive == archive_id, TransferIn.kind == KIND_REPORT)
        .order_by(TransferIn.seq.desc())).first()


def _dispatcher(session: Session, name: str) -> Person:
    person, actor = roster.acting_person(session, name)
    if not actor.may(Role.ADMIN, None):
        raise TransferError(f"{name} 不是本档案的管理员；下发包由创文办的管理员签发")
    return person


def export_dispatch(archive: Archive, to: str, out: Path, *, actor: str,
                    unlock: Callable[[], Ed25519PrivateKey], department: str | None = None,
                    all_: bool = False) -> DispatchSent:
    """Write the 下发包 for the department archive `to` at `out` (never over an existing file;
    whole or not at all): what changed since the last 下发包 to it (everything with `all_`)
    and the receipt. `department`: needed only before that archive has reported; it must
    match what its 报送包 say otherwise. Refused when there is nothing new, not even the
    receipt. The key is unlocked only once the package is worth signing."""
    to = to.strip().lower()
    out = Path(out)
    info = archive.info()
    if not UUID_TEXT.match(to):
        raise TransferError(f"“{to}” 不是档案编号（应为 UUID，如 1b4e28ba-2fa1-4d2e-…）",
                            hint="在该单位的档案上运行 zicha info 可看到档案编号")
    if to == info["archive_id"]:
        raise TransferError("不能向本档案自己下发；请填写该单位档案的编号")
    if out.is_dir():
        raise TransferError(f"{out} 是文件夹；请给出下发包的文件名")
    if out.exists():
        raise TransferError(f"{out} 已存在；不会覆盖（请换一个文件名）")
    package_id = str(uuid.uuid4())
    with (atomic.undone_on_failure(archive.root / DB_NAME) as published,
          archive.write(actor) as (session, log)):
        person = _dispatcher(session, actor)
        known = department_of(session, to)
        given = department.strip() if department else None
        if known and given and given != known:
            raise TransferError(f"档案 {to} 报送的是 {known} 的材料，不是 {given}；下发包只能发给"
                                "该档案所属的单位")
        target_department = known or given
        if not target_department:
            raise TransferError(f"本档案还没有收到档案 {to} 的报送包，不知道它属于哪个单位",
                                hint="用 --department 给出单位名称")
        if session.scalars(select(Department.id).where(
                Department.name == target_department)).first() is None:
            raise TransferError(f"本档案中没有单位“{target_department}”（名册、任务和问题都没有）；"
                                "请检查单位名称")
        last, sent = last_sent(session, to, KIND_DISPATCH)
        receipt = _receipt(session, to)
        previous = _previous_receipt(session, to)
        contents, items, carried = _contents(session, to, target_department, sent, all_)
        if not items and receipt["seq"] == previous and not all_:
            after = f"（第 {last} 号下发包之后）" if last else ""
            raise NothingToDispatch(
                f"{target_department} 没有新的审核结果、任务或问题可下发，回执也没有变化{after}；"
                "没有生成下发包", hint="要重新下发全部内容，用 --all")
        key = unlock()
        if keys.public_text(key.public_key()) != person.public_key:
            raise TransferError(f"解锁的密钥与名册中 {actor} 的公钥不符")
        sender_department = person.department.name if person.department else ""
        doc = {"format": FORMAT, "package_id": package_id, "kind": KIND_DISPATCH,
               "from": {"archive": info["archive_id"], "name": info.get("name", ""),
                        "bureau": info.get("bureau", ""),
                        "department": sender_department or info.get("name", "") or "创文办"},
               "to": {"archive": to, "department": target_department},
               "seq": last + 1, "since": 0 if all_ else last, "base": 0,
               "created_at": decisions.utc_now(),
               "sender": {"name": person.name, "public_key": person.public_key},
               "receipt": receipt, **contents, "manifest": {}}
        doc["roster"] = _people(session, doc, person)
        doc["signature"] = keys.sign(key, signed_bytes(doc))
        counts = {"reviews": len(carried), "task_lists": len(doc["task_lists"]),
                  "tasks": len(doc["tasks"]), "problems": len(doc["problems"]),
                  "receipt": receipt["seq"]}
        session.add(TransferOut(package_id=package_id, to_archive=to, seq=last + 1,
                                since=doc["since"], department=target_department,
                                created_at=doc["created_at"], created_by=person.name,
                                counts=json.dumps(counts), kind=KIND_DISPATCH))
        session.flush()
        session.add_all(TransferOutItem(package_id=package_id, kind=kind, uid=uid, digest=d,
                                        origin="") for (kind, uid), d in items.items())
        target = write_package(archive, out, doc, {}, 0)
        try:
            log("transfer.dispatch", f"transfer:{package_id}",
                {"to": to, "department": target_department, "seq": last + 1,
                 "since": doc["since"], **counts, "materials": [c["uid"] for c in carried],
                 "out": str(out),
                 "signature_sha256": hashlib.sha256(doc["signature"].encode()).hexdigest()})
            target.commit()
            published.append(target)
        except BaseException:
            target.discard()
            raise
    return DispatchSent(package_id, to, target_department, last + 1, doc["since"], str(out),
                        receipt["seq"], carried, counts["task_lists"], counts["tasks"],
                        counts["problems"], out.stat().st_size)


@dataclass(frozen=True)
class DispatchSkipped:
    to: str
    department: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class DispatchRound:
    """One round of 下发包 for every department that reported here (export_dispatches)."""

    folder: str
    sent: list[DispatchSent] = field(default_factory=list)
    unchanged: list[DispatchSkipped] = field(default_factory=list)  # nothing new
    failed: list[DispatchSkipped] = field(default_factory=list)  # refused: the reason

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "sent": [s.to_json() for s in self.sent],
                "unchanged": [u.to_json() for u in self.unchanged],
                "failed": [f.to_json() for f in self.failed]}


class _Unlocking(Exception):
    """What unlocking the key raised, carried out of the department it happened in: a wrong
    passphrase (or a dialog's probe) ends the whole round, not one department."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def package_path(folder: Path, department: str, seq: int, day: date | None = None) -> Path:
    """下发包-<单位>-第<n>号-<日期>.zip in `folder` (numbered -2, -3 … when taken: never
    overwritten); the number orders a department's packages as it must apply them."""
    safe = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in department).strip()
    stem = f"下发包-{safe or '单位'}-第{seq}号-{day or date.today():%Y%m%d}"
    path, n = folder / f"{stem}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{SUFFIX}"
    return path


def export_dispatches(archive: Archive, folder: Path, *, actor: str,
                      unlock: Callable[[], Ed25519PrivateKey], all_: bool = False,
                      progress: Progress | None = None) -> DispatchRound:
    """A 下发包 for every department archive that reported here and has something new, each
    written into `folder` as export_dispatch writes one (its own transaction, all or nothing),
    signed with one unlock of `actor`'s key. A department with nothing new is listed as
    unchanged; one refused for another reason as failed, with the reason, and the others are
    still written. Refused as a whole when no department reported here, or none had anything
    to send; a failure to unlock the key ends the round, and so does cancel, between two
    departments (what was written stays written)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TransferError(f"{folder} 不是已有的文件夹；请先建好保存下发包的文件夹")
    targets = reporters(transfers(archive))
    if not targets:
        raise TransferError("还没有单位向本档案报送过，无法按单位逐一下发；"
                            "要向还没有报送的单位下发，请逐个填写其档案编号")
    key: list[Ed25519PrivateKey] = []

    def unlock_once() -> Ed25519PrivateKey:
        if not key:
            try:
                key.append(unlock())
            except BaseException as error:  # noqa: BLE001 — re-raised below, unwrapped
                raise _Unlocking(error) from error
        return key[0]

    round_ = DispatchRound(str(folder))
    for n, target in enumerate(targets):
        if progress is not None:
            progress.check()
            progress.step(n, len(targets), target.department)
        try:
            round_.sent.append(export_dispatch(
                archive, target.archive, package_path(folder, target.department,
                                                   target.dispatched + 1), actor=actor,
                unlock=unlock_once, all_=all_))
        except _Unlocking as failed:
            raise failed.error from None
        except NothingToDispatch as nothing:
            round_.unchanged.append(DispatchSkipped(target.archive, target.department,
                                                    str(nothing)))
        except TransferError as refused:
            round_.failed.append(DispatchSkipped(target.archive, target.department,
                                                 str(refused)))
    if progress is not None:
        progress.step(len(targets), len(targets), "")
    if not round_.sent and not round_.failed:
        raise NothingToDispatch(f"{len(targets)} 个单位都没有新的审核结果、任务或问题可下发，回执"
                                "也没有变化；没有生成下发包", hint="要重新下发全部内容，用 --all")
    return round_


def _receipt(session: Session, archive_id: str) -> dict[str, Any]:
    rows = list(session.scalars(select(TransferIn).where(
        TransferIn.from_archive == archive_id, TransferIn.kind == KIND_REPORT)
        .order_by(TransferIn.seq)))
    return {"seq": max((r.seq for r in rows), default=0),
            "packages": [r.package_id for r in rows]}


def _previous_receipt(session: Session, to: str) -> int | None:
    """The receipt seq the last 下发包 to `to` carried; None before the first."""
    row = session.scalars(select(TransferOut).where(
        TransferOut.to_archive == to, TransferOut.kind == KIND_DISPATCH)
        .order_by(TransferOut.seq.desc())).first()
    return None if row is None else int(json.loads(row.counts).get("receipt", 0))


def assigned_task(t: Task) -> dict[str, Any]:
    return {"uid": t.uid, "list": t.task_list.uid, "item": t.node_code,
            "department": t.department.name, "role": t.role, "requirement": t.requirement,
            "material_requirement": t.material_requirement, "responsible": t.responsible,
            "deadline_kind": t.deadline_kind,
            "deadline": t.deadline.isoformat() if t.deadline else None,
            "deadline_period": t.deadline_period, "deadline_text": t.deadline_text}


def task_list_entry(t: TaskList) -> dict[str, Any]:
    return {"uid": t.uid, "kind": t.kind, "name": t.name, "system": t.system_id}


def assigned_problem(session: Session, p: Problem) -> dict[str, Any]:
    task = session.get(Task, p.task_id) if p.task_id else None
    return {"uid": p.uid, "item": p.node_code, "task": task.uid if task else None,
            "department": p.department.name if p.department else "",
            "description": p.description, "found_at": p.found_at.isoformat(),
            "found_by": p.found_by, "deadline": p.deadline.isoformat() if p.deadline else None,
            "state": p.state, "feedback": p.feedback, "rectification": p.rectification}


def review_entry(m: Material, to: str, history: list[Decision]) -> dict[str, Any]:
    return {"uid": m.uid, "origin": {"archive": to, "id": m.origin_id}, "title": m.title,
            "state": str(m.state), "review_round": m.review_round,
            "decisions": [{"payload": d.payload, "signature": d.signature, "hash": d.hash}
                          for d in history]}


def _contents(session: Session, to: str, department: str,
              sent: dict[tuple[str, str], TransferOutItem], all_: bool
              ) -> tuple[dict[str, Any], dict[tuple[str, str], str], list[dict[str, Any]]]:
    """What the 下发包 holds, the items to record ((kind, uid) -> digest), the materials."""
    items: dict[tuple[str, str], str] = {}

    def changed(kind: str, uid: str, entry: dict[str, Any]) -> bool:
        d = digest(entry)
        before = sent.get((kind, uid))
        if all_ or before is None or before.digest != d:
            items[(kind, uid)] = d
            return True
        return False

    theirs = set(session.scalars(select(TransferDecision.hash).where(
        TransferDecision.from_archive == to)))
    reviews, carried = [], []
    for m in session.scalars(select(Material).where(Material.origin_archive == to)
                             .order_by(Material.id)):
        history = list(session.scalars(select(Decision).where(Decision.material_id == m.id)
                                       .order_by(Decision.id)))
        if all(d.hash in theirs for d in history):
            continue  # nothing signed here: the department has all of it
        entry = review_entry(m, to, history)
        if changed(REVIEW, m.uid, entry):
            reviews.append(entry)
            last = history[-1]  # the newest decision: who decided what, and why
            carried.append({"uid": m.uid, "id": m.id, "title": m.title, "state": str(m.state),
                            "reviewer": last.reviewer, "comment": last.comment})
    dept = roster.department_named(session, department)
    tasks, lists = [], {}
    codes: set[str] = set()
    for t in session.scalars(select(Task).where(Task.department_id == dept.id)
                             .order_by(Task.id)):
        entry = assigned_task(t)
        if changed(TASK, t.uid, entry):
            tasks.append(entry)
            codes.add(t.node_code)
            lists[t.task_list.uid] = t.task_list
    task_lists = [task_list_entry(tl) for tl in lists.values()]
    for tl in lists.values():
        items[(TASK_LIST, tl.uid)] = digest(task_list_entry(tl))
    problems = []
    for p in session.scalars(select(Problem).where(Problem.department_id == dept.id)
                             .order_by(Problem.id)):
        entry = assigned_problem(session, p)
        if changed(PROBLEM, p.uid, entry):
            problems.append(entry)
            codes.add(p.node_code)
    nodes: dict[str, dict[str, Any]] = {}
    for code in sorted(codes):
        for node in node_entry(session, code):
            nodes.setdefault(node["code"], node)
    systems = [{"id": s.id, "prefix": s.prefix, "name": s.name, "weight": s.weight}
               for s in session.scalars(select(IndicatorSystemRecord)
                                        .order_by(IndicatorSystemRecord.position))]
    return ({"reviews": reviews, "systems": systems, "nodes": list(nodes.values()),
             "task_lists": task_lists, "tasks": tasks, "problems": problems},
            items, carried)


def _people(session: Session, doc: dict[str, Any], sender: Person) -> list[dict[str, Any]]:
    """The roster entries the department needs: the reviewers of the decisions carried, and
    the sender."""
    names = {sender.name}
    for review in doc["reviews"]:
        for d in review["decisions"]:
            names.add(json.loads(d["payload"])["reviewer"]["name"])
    people = []
    for person in session.scalars(select(Person).where(Person.name.in_(sorted(names)))
                                  .order_by(Person.id)):
        view = roster.person_view(person).to_json()
        people.append({k: view[k] for k in ("name", "department", "roles", "public_key")})
    return people
