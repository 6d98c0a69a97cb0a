"""The department's side of a 下发包 (docs/transfers.md): checked like a 报送包 (the gate,
addressed to this archive, signed by an admin on this roster, in order, every decision's chain
and signature), then applied in one transaction: roster entries the decisions need, indicator
systems and 测评项目 / 测评内容, task lists and tasks, problems, the city's decisions on this
archive's materials (so a clerk sees 已退回 and why), and the receipt that tells the next
报送包 what the city already has."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import search
from desktop.core.archive.archive import Archive, AuditLogger
from desktop.core.archive.kinds import NodeKind, ReviewState, Role
from desktop.core.archive.models import (
    Decision,
    IndicatorNode,
    IndicatorSystemRecord,
    Material,
    Person,
    Problem,
    RoleGrant,
    Task,
    TaskList,
    TransferDecision,
    TransferIn,
    TransferOut,
    TransferOutItem,
)
from desktop.core.ledger.problems import ASSIGNED, RECTIFIED, RETURNED
from desktop.core.review import archival, decisions, roster
from desktop.core.review.roster import department_named
from desktop.core.transfer.checks import check_chain, check_order, check_signer
from desktop.core.transfer.package import (
    KIND_DISPATCH,
    KIND_REPORT,
    Opened,
    TransferError,
    digest,
    material_entry,
)


@dataclass
class DispatchReport:
    package_id: str
    from_archive: str
    from_name: str
    department: str
    seq: int
    sender: str
    receipt: int  # the highest seq of this archive's 报送包 the city says it applied
    acknowledged: list[int] = field(default_factory=list)  # seqs newly acknowledged
    reviews: list[dict[str, Any]] = field(default_factory=list)  # {uid, id, title, state, …}
    unchanged: int = 0  # reviews this archive already had
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {uid, id, title, reason}
    task_lists: int = 0  # added
    tasks_added: int = 0
    tasks_updated: int = 0
    problems_added: int = 0
    problems_updated: int = 0
    people: list[str] = field(default_factory=list)  # roster entries added
    systems: list[str] = field(default_factory=list)  # indicator systems added or changed
    nodes: list[str] = field(default_factory=list)  # 测评项目 / 测评内容 created

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def apply_dispatch(archive: Archive, opened: Opened, *, actor: str | None = None,
                   on_roster: bool = False) -> DispatchReport:
    """Check the 下发包 `opened` (already through the gate and addressed to this archive)
    and apply it, all or none."""
    doc, label = opened.doc, opened.label
    with archive.read() as session:
        if on_roster and actor is not None:
            roster.acting_person(session, actor)
        _check_sender(session, doc, label)
        check_order(session, doc, label)
        known = _roster_keys(session, doc, label)
        _check_reviews(archive.info()["archive_id"], doc, known, label)
    with archive.write(actor) as (session, log):
        check_order(session, doc, label)  # again, under the writer's lock
        return _Receive(archive, session, log, doc, label).run()


def _check_sender(session: Session, doc: dict[str, Any], label: str) -> None:
    if not check_signer(session, doc, label).may(Role.ADMIN, None):
        raise TransferError(f"{label} 的签发人 {doc['sender']['name']} 在本档案名册中不是管理员；"
                            "下发包只接受创文办管理员签发的；整包拒绝，未应用任何内容")


def _roster_keys(session: Session, doc: dict[str, Any], label: str) -> dict[str, str]:
    """This roster's keys and those of the package's people it lacks (vouched for by the
    admin who signed the package). A person this roster has under another key refuses it."""
    known = {p.name: p.public_key for p in session.scalars(select(Person))}
    owners = {key: name for name, key in known.items()}
    for entry in doc["roster"]:
        name, key = entry["name"], entry["public_key"]
        if name in known and known[name] != key:
            raise TransferError(f"{label} 中 {name} 的公钥与本档案名册不符；整包拒绝，"
                                "未应用任何内容", hint="请与创文办核对此人的密钥")
        if name not in known and owners.get(key, name) != name:
            raise TransferError(f"{label} 中 {name} 的公钥在本档案名册中属于 {owners[key]}；"
                                "整包拒绝，未应用任何内容")
        known.setdefault(name, key)
    return known


def _check_reviews(here: str, doc: dict[str, Any], known: dict[str, str], label: str) -> None:
    seen: set[str] = set()
    for entry in doc["reviews"]:
        where = f"{label} 中的材料《{entry['title']}》"
        if entry["uid"] in seen:
            raise TransferError(f"{where} 出现了两次；此包已损坏或被改动")
        seen.add(entry["uid"])
        if entry["origin"]["archive"] != here:
            raise TransferError(f"{where} 不是本档案的材料（来自 {entry['origin']['archive']}）；"
                                "此包已损坏或被改动，未应用任何内容")
        check_chain(entry, known, where)


class _Receive:
    def __init__(self, archive: Archive, session: Session, log: AuditLogger,
                 doc: dict[str, Any], label: str) -> None:
        self.archive, self.session, self.log, self.doc, self.label = (archive, session, log,
                                                                      doc, label)
        self.here = archive.info()["archive_id"]
        self.city = doc["from"]["archive"]
        self.report = DispatchReport(doc["package_id"], self.city, doc["from"]["name"],
                                     doc["to"]["department"], doc["seq"], doc["sender"]["name"],
                                     doc["receipt"]["seq"])
        self.systems: dict[str, IndicatorSystemRecord] = {}  # the city's system id -> ours
        self.touched: list[int] = []

    def run(self) -> DispatchReport:
        session, doc = self.session, self.doc
        record = TransferIn(package_id=doc["package_id"], from_archive=self.city,
                            department=doc["to"]["department"], seq=doc["seq"],
                            applied_at=decisions.utc_now(), applied_by=self.log.actor,
                            report="{}", kind=KIND_DISPATCH)
        session.add(record)
        session.flush()
        self.people()
        self.profile()
        lists = {entry["uid"]: self.task_list(entry) for entry in doc["task_lists"]}
        for entry in doc["tasks"]:
            self.task(entry, lists)
        for entry in doc["problems"]:
            self.problem(entry)
        for entry in doc["reviews"]:
            self.review(entry)
        self.receipt()
        session.flush()
        if self.touched:
            search.refresh(self.archive, session, self.touched)
        report = self.report
        record.report = json.dumps(report.to_json(), ensure_ascii=False)
        self.log("transfer.apply", f"transfer:{doc['package_id']}", {
            "kind": KIND_DISPATCH, "from": doc["from"], "seq": doc["seq"],
            "since": doc["since"], "sender": doc["sender"]["name"],
            "signature_sha256": hashlib.sha256(doc["signature"].encode("ascii")).hexdigest(),
            "receipt": report.receipt, "acknowledged": report.acknowledged,
            "reviews": {r["uid"]: r["id"] for r in report.reviews},
            "skipped": [r["uid"] for r in report.skipped], "people": report.people,
            "systems": report.systems, "nodes": report.nodes,
            "task_lists": report.task_lists, "tasks_added": report.tasks_added,
            "tasks_updated": report.tasks_updated, "problems_added": report.problems_added,
            "problems_updated": report.problems_updated})
        return report

    # the roster entries the decisions need
    def people(self) -> None:
        for entry in self.doc["roster"]:
            if self.session.scalars(select(Person.id).where(Person.name == entry["name"])
                                    ).first() is not None:
                continue
            person = Person(name=entry["name"],
                            department=department_named(self.session, entry["department"])
                            if entry["department"] else None,
                            public_key=entry["public_key"], created_at=_now())
            grants = [roster.parse_role(r) for r in entry["roles"]]
            person.grants = [RoleGrant(role=r, department=department_named(self.session, d)
                                       if d else None) for r, d in grants]
            self.session.add(person)
            self.session.flush()
            self.log("person.add", f"person:{entry['name']}",
                     {"department": entry["department"], "roles": entry["roles"],
                      "public_key": entry["public_key"], "source": "transfer",
                      "package": self.doc["package_id"]})
            self.report.people.append(entry["name"])

    # indicator systems, 测评项目 and 测评内容 (the profile)
    def profile(self) -> None:
        session = self.session
        for entry in self.doc["systems"]:
            record = session.get(IndicatorSystemRecord, entry["id"]) or session.scalars(
                select(IndicatorSystemRecord).where(
                    IndicatorSystemRecord.prefix == entry["prefix"])).first()
            if record is None:
                position = session.scalar(select(func.max(IndicatorSystemRecord.position))) or 0
                record = IndicatorSystemRecord(id=entry["id"], prefix=entry["prefix"],
                                               name=entry["name"], edition="", level="",
                                               weight=entry["weight"], position=position + 1,
                                               source="transfer")
                session.add(record)
                session.flush()
                self.log("system.add", f"system:{record.id}",
                         {"name": record.name, "prefix": record.prefix,
                          "weight": record.weight, "source": "transfer"})
                self.report.systems.append(record.name)
            elif record.weight != entry["weight"]:
                self.log("system.edit", f"system:{record.id}",
                         {"weight": [record.weight, entry["weight"]], "source": "transfer"})
                record.weight = entry["weight"]
                self.report.systems.append(record.name)
            self.systems[entry["id"]] = record
        for node in self.doc["nodes"]:  # parents come first
            if session.get(IndicatorNode, node["code"]) is not None:
                continue
            system = self.systems.get(node["system"]["id"])
            if system is None:
                raise TransferError(f"{self.label} 中的 {node['code']} 所属的测评体系不在包中；"
                                    "此包已损坏")
            parent = node["parent"]
            if parent is not None and session.get(IndicatorNode, parent) is None:
                raise TransferError(f"{self.label} 中的 {node['code']} 的上级 {parent} 不在包中；"
                                    "此包已损坏")
            position = session.scalar(select(func.count()).select_from(IndicatorNode).where(
                IndicatorNode.parent_code == parent if parent else
                IndicatorNode.parent_code.is_(None))) or 0
            session.add(IndicatorNode(code=node["code"], system_id=system.id, parent_code=parent,
                                      kind=NodeKind(node["kind"]), name=node["name"],
                                      criterion=node["criterion"], position=position,
                                      source="transfer"))
            session.flush()
            action = "item.add" if node["kind"] == NodeKind.ITEM else "category.add"
            self.log(action, node["code"], {"name": node["name"], "source": "transfer",
                                            "package": self.doc["package_id"]})
            self.report.nodes.append(node["code"])

    # the department's tasks, as the city defines them; 销号 stays the department's
    def task_list(self, entry: dict[str, Any]) -> TaskList:
        session = self.session
        found = session.scalars(select(TaskList).where(TaskList.uid == entry["uid"])).first()
        if found is None:
            found = session.scalars(select(TaskList).where(TaskList.kind == entry["kind"])).first()
            if found is not None:  # the same list imported here too: it takes the city's uid
                self.log("tasks.adopt", f"task_list:{found.id}",
                         {"uid": [found.uid, entry["uid"]], "kind": entry["kind"]})
                found.uid = entry["uid"]
        if found is None:
            system = self.systems.get(entry["system"]) if entry["system"] else None
            found = TaskList(uid=entry["uid"], kind=entry["kind"], name=entry["name"],
                             source_file="", mapping="{}", imported_at=_now(),
                             imported_by=self.doc["sender"]["name"],
                             system_id=system.id if system else None)
            session.add(found)
            session.flush()
            self.report.task_lists += 1
        return found

    def task(self, entry: dict[str, Any], lists: dict[str, TaskList]) -> None:
        session = self.session
        task_list = lists.get(entry["list"])
        if task_list is None:
            raise TransferError(f"{self.label} 中的任务 {entry['item']} 所属的任务清单不在包中；"
                                "此包已损坏")
        dept = department_named(session, entry["department"])
        t = session.scalars(select(Task).where(Task.uid == entry["uid"])).first()
        if t is None:
            t = session.scalars(select(Task).where(
                Task.list_id == task_list.id, Task.node_code == entry["item"],
                Task.department_id == dept.id)).first()
            if t is not None:
                t.uid = entry["uid"]
        fields = {"role": entry["role"], "requirement": entry["requirement"],
                  "material_requirement": entry["material_requirement"],
                  "responsible": entry["responsible"], "deadline_kind": entry["deadline_kind"],
                  "deadline": _date(entry["deadline"]),
                  "deadline_period": entry["deadline_period"],
                  "deadline_text": entry["deadline_text"]}
        if t is None:
            now = _now()
            session.add(Task(uid=entry["uid"], list_id=task_list.id, node_code=entry["item"],
                             department_id=dept.id, source=f"下发包 {self.doc['seq']}",
                             created_at=now, updated_at=now, **fields))
            self.report.tasks_added += 1
            return
        if any(getattr(t, k) != v for k, v in fields.items()) or t.node_code != entry["item"]:
            for k, v in fields.items():
                setattr(t, k, v)
            t.node_code, t.updated_at = entry["item"], _now()
            self.report.tasks_updated += 1

    # problems assigned to the department; its 整改 stays the department's
    def problem(self, entry: dict[str, Any]) -> None:
        session = self.session
        task = session.scalars(select(Task).where(Task.uid == entry["task"])).first() \
            if entry["task"] else None
        fields = {"node_code": entry["item"], "task_id": task.id if task else None,
                  "department": department_named(session, entry["department"]),
                  "description": entry["description"], "found_at": _date(entry["found_at"]),
                  "found_by": entry["found_by"], "deadline": _date(entry["deadline"]),
                  "feedback": entry["feedback"]}
        p = session.scalars(select(Problem).where(Problem.uid == entry["uid"])).first()
        if p is None:
            now = _now()
            session.add(Problem(uid=entry["uid"], state=entry["state"], rectification="",
                                created_at=now, updated_at=now, **fields))
            self.report.problems_added += 1
            return
        # a rectification the city has not seen yet (made here after the state it sends was
        # set there) stays as it is here
        unseen = (p.state == RECTIFIED and entry["state"] in (ASSIGNED, RETURNED)
                  and entry["rectification"] != p.rectification)
        state = p.state if unseen else entry["state"]
        if any(getattr(p, k) != v for k, v in fields.items()) or p.state != state:
            for k, v in fields.items():
                setattr(p, k, v)
            p.state, p.updated_at = state, _now()
            self.report.problems_updated += 1

    # the city's decisions on this archive's materials
    def review(self, entry: dict[str, Any]) -> None:
        session = self.session
        m = session.scalars(select(Material).where(Material.uid == entry["uid"])).first()
        origin = (entry["origin"]["archive"], entry["origin"]["id"])
        shown = {"uid": entry["uid"], "id": m.id if m else None, "title": entry["title"]}
        if m is None or decisions.signed_identity(self.here, m) != origin:
            self.report.skipped.append({**shown, "reason": "本档案没有这份材料（已删除？）"})
            return
        history = list(session.scalars(select(Decision).where(Decision.material_id == m.id)
                                       .order_by(Decision.id)))
        ours = [d.hash for d in history]
        theirs = [d["hash"] for d in entry["decisions"]]
        if theirs == ours:
            self.report.unchanged += 1
            return
        if theirs[:len(ours)] != ours:
            why = "本档案对这份材料有创文办没有的审核记录，没有采用下发的审核结果"
            self.report.skipped.append({**shown, "reason": why})
            return
        added = entry["decisions"][len(ours):]
        if any(session.scalars(select(Decision.id).where(Decision.hash == d["hash"])).first()
               is not None for d in added):
            self.report.skipped.append({**shown, "reason": "下发的审核记录已属于本档案另一份材料"})
            return
        before = (m.state, m.review_round)
        sent = self._last_sent_item(m.uid)
        in_step = sent is not None and sent.digest == digest(
            material_entry(self.here, m, history))
        step = session.begin_nested()  # this material alone is undone if it does not hold
        try:
            for d in added:
                data = json.loads(d["payload"])
                session.add(Decision(
                    material_id=m.id, review_round=data["round"], stage=data["stage"],
                    verdict=data["verdict"], comment=data["comment"],
                    reviewer=data["reviewer"]["name"], public_key=data["reviewer"]["public_key"],
                    decided_at=data["decided_at"], payload=d["payload"],
                    signature=d["signature"], hash=d["hash"], prev_hash=data["prev"]))
                session.add(TransferDecision(hash=d["hash"], package_id=self.doc["package_id"],
                                             from_archive=self.city))
            m.state, m.review_round = ReviewState(entry["state"]), entry["review_round"]
            m.updated_at = _now()
            session.flush()
            found = decisions.signed_state_of(session, self.here, m)
        except BaseException:
            step.rollback()
            raise
        if found is not None:
            step.rollback()
            session.refresh(m)
            self.report.skipped.append({**shown, "reason": found.reason})
            return
        step.commit()
        archival.after_state_change(session, self.log, m, str(before[0]))  # 终审通过: 档号
        if in_step and sent is not None:
            # the city now has the material as it is here: the next 报送包 need not carry it
            sent.digest = digest(material_entry(self.here, m, [*history, *session.scalars(
                select(Decision).where(Decision.material_id == m.id,
                                       Decision.hash.in_([d["hash"] for d in added]))
                .order_by(Decision.id))]))
        last = json.loads(added[-1]["payload"])
        self.touched.append(m.id)
        self.report.reviews.append({**shown, "state": entry["state"],
                                    "was": [str(before[0]), before[1]],
                                    "decisions_added": len(added),
                                    "comment": last["comment"],
                                    "reviewer": last["reviewer"]["name"]})

    def _last_sent_item(self, uid: str) -> TransferOutItem | None:
        """What the newest 报送包 to the city carried of material `uid`."""
        return self.session.scalars(
            select(TransferOutItem).join(TransferOut,
                                         TransferOut.package_id == TransferOutItem.package_id)
            .where(TransferOut.to_archive == self.city, TransferOut.kind == KIND_REPORT,
                   TransferOutItem.kind == "material", TransferOutItem.uid == uid)
            .order_by(TransferOut.seq.desc())).first()

    # the receipt: which of this archive's 报送包 the city has applied
    def receipt(self) -> None:
        packages = set(self.doc["receipt"]["packages"])
        if not packages:
            return
        now = decisions.utc_now()
        for row in self.session.scalars(select(TransferOut).where(
                TransferOut.to_archive == self.city, TransferOut.kind == KIND_REPORT,
                TransferOut.acknowledged_at.is_(None)).order_by(TransferOut.seq)):
            if row.package_id in packages:
                row.acknowledged_at = now
                self.report.acknowledged.append(row.seq)
