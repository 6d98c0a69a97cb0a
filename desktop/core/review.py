"""The roster, submission and signed review decisions (初审 / 复审 / 终审).

A decision is signed over its payload: canonical JSON (schema/decision-format.md) holding the
material's metadata, the SHA-256 of each of its files and the hash of the material's previous
decision. Anyone can check a history with the public keys alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import keys, workflow
from desktop.core.archive import Archive
from desktop.core.errors import ZichaError
from desktop.core.materials import department_named
from desktop.core.models import Decision, Material, Person, ReviewState, Role, RoleGrant

FORMAT = "zicha-decision/1"
GENESIS = ""
ROLES = tuple(r.value for r in Role)


# -- roster --------------------------------------------------------------------------------

def parse_role(text: str) -> tuple[str, str | None]:
    """"first" (every department) or "first@市文明办" (that department only)."""
    role, _, department = text.partition("@")
    role = role.strip()
    if role not in ROLES:
        raise ZichaError(f"未知的角色 {role}；可用: {', '.join(ROLES)}"
                         "（可写成 first@部门 限定部门）")
    return role, department.strip() or None


def add_person(archive: Archive, name: str, department: str, roles: Sequence[str],
               public_key: str, *, actor: str | None = None) -> None:
    name = name.strip()
    if not name:
        raise ZichaError("姓名不能为空")
    keys.parse_public(public_key)
    grants = [parse_role(r) for r in roles]
    if not grants:
        raise ZichaError("至少要给一个角色（--role clerk|first|second|final|admin）")
    with archive.write(actor) as (session, log):
        if session.scalars(select(Person).where(Person.name == name)).first() is not None:
            raise ZichaError(f"名册中已有 {name}")
        taken = session.scalars(select(Person).where(Person.public_key == public_key.strip()))
        if (other := taken.first()) is not None:
            raise ZichaError(f"这个公钥已属于 {other.name}；每人应有自己的密钥")
        person = Person(name=name, department=department_named(session, department),
                        public_key=public_key.strip(),
                        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
        person.grants = [RoleGrant(role=r, department=department_named(session, d) if d else None)
                         for r, d in grants]
        session.add(person)
        log("person.add", f"person:{name}", {"department": department, "roles": list(roles),
                                             "public_key": public_key.strip()})


@dataclass(frozen=True)
class PersonView:
    name: str
    department: str
    roles: list[str]  # "first" or "first@部门"
    public_key: str

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def people(archive: Archive) -> list[PersonView]:
    with archive.read() as session:
        return [_person_view(p) for p in session.scalars(select(Person).order_by(Person.id))]


def _person_view(p: Person) -> PersonView:
    roles = [g.role + (f"@{g.department.name}" if g.department else "") for g in p.grants]
    return PersonView(p.name, p.department.name if p.department else "", roles, p.public_key)


def _actor(session: Session, name: str) -> tuple[Person, workflow.Actor]:
    person = session.scalars(select(Person).where(Person.name == name)).first()
    if person is None:
        raise ZichaError(f"名册中没有 {name}；先用 zicha user add 登记")
    grants = tuple((g.role, g.department.name if g.department else None) for g in person.grants)
    return person, workflow.Actor(name, person.department.name if person.department else None,
                                  grants)


# -- submitting ----------------------------------------------------------------------------

def submit(archive: Archive, material_ids: Sequence[int], by: str) -> None:
    """Submit drafts or returned materials for 初审; all or none."""
    with archive.write(by) as (session, log):
        _, actor = _actor(session, by)
        for material_id in material_ids:
            m = _material(session, material_id)
            dept = m.department.name if m.department else None
            m.state = workflow.check_submit(actor, m.state, dept)
            m.submitted_by, m.review_round = by, m.review_round + 1
            log("material.submit", f"material:{material_id}", {"round": m.review_round})


def _material(session: Session, material_id: int) -> Material:
    m = session.get(Material, material_id)
    if m is None:
        raise ZichaError(f"没有编号为 {material_id} 的材料")
    return m


# -- decisions -----------------------------------------------------------------------------

def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def material_facts(archive_id: str, m: Material) -> dict[str, Any]:
    """What a signature covers of the material: its metadata and its files' hashes."""
    return {
        "archive": archive_id,
        "id": m.id,
        "title": m.title,
        "doc_number": m.doc_number,
        "material_date": m.material_date.isoformat() if m.material_date else None,
        "department": m.department.name if m.department else None,
        "material_type": m.material_type,
        "items": m.codes,
        "files": [{"name": f.filename, "sha256": f.sha256, "size": f.blob.size}
                  for f in m.files],
    }


def payload(material: dict[str, Any], round_: int, stage: str, verdict: str, comment: str,
            reviewer: str, public_key: str, decided_at: str, prev: str) -> bytes:
    return canonical({"format": FORMAT, "material": material, "round": round_, "stage": stage,
                      "verdict": verdict, "comment": comment,
                      "reviewer": {"name": reviewer, "public_key": public_key},
                      "decided_at": decided_at, "prev": prev})


def _history(session: Session, material_id: int) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.material_id == material_id)
                                .order_by(Decision.id)))


def decide(archive: Archive, material_id: int, reviewer: str, verdict: str, comment: str,
           key: Ed25519PrivateKey) -> Decision:
    """Record `reviewer`'s signed decision on the stage the material awaits."""
    if verdict not in (workflow.APPROVE, workflow.REJECT):
        raise ZichaError("结论只能是通过或退回")
    if verdict == workflow.REJECT and not comment.strip():
        raise ZichaError("退回时必须写明原因（--comment）")
    archive_id = archive.info()["archive_id"]
    with archive.write(reviewer) as (session, log):
        person, actor = _actor(session, reviewer)
        if keys.public_text(key.public_key()) != person.public_key:
            raise ZichaError(f"解锁的密钥与名册中 {reviewer} 的公钥不符")
        m = _material(session, material_id)
        stage = workflow.STAGE_AWAITED.get(ReviewState(m.state))
        stage_value = stage.value if stage else ""
        history = _history(session, material_id)
        decided: dict[str, set[str]] = {}
        for d in history:
            decided.setdefault(d.reviewer, set()).add(d.stage)
        dept = m.department.name if m.department else None
        new_state = workflow.check_decision(actor, verdict, m.state, stage_value, dept,
                                            m.submitted_by, decided)
        prev = history[-1].hash if history else GENESIS
        decided_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        body = payload(material_facts(archive_id, m), m.review_round, stage_value, verdict,
                       comment, reviewer, person.public_key, decided_at, prev)
        decision = Decision(
            material_id=material_id, review_round=m.review_round, stage=stage_value,
            verdict=verdict, comment=comment, reviewer=reviewer, public_key=person.public_key,
            decided_at=decided_at, payload=body.decode("utf-8"), signature=keys.sign(key, body),
            hash=hashlib.sha256(body).hexdigest(), prev_hash=prev)
        session.add(decision)
        m.state = new_state
        log("material.decide", f"material:{material_id}",
            {"stage": stage_value, "verdict": verdict, "comment": comment,
             "decision_hash": decision.hash, "state": str(new_state)})
        session.flush()
        return decision


@dataclass(frozen=True)
class CheckedDecision:
    stage: str
    verdict: str
    comment: str
    reviewer: str
    decided_at: str
    round: int
    hash: str
    ok: bool
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def history(archive: Archive, material_id: int) -> list[CheckedDecision]:
    """The material's decisions, each checked: signature, roster key, chain, and (for the
    current round) that the signed files and metadata are still the material's."""
    archive_id = archive.info()["archive_id"]
    with archive.read() as session:
        m = _material(session, material_id)
        current = canonical(material_facts(archive_id, m))
        roster = {p.name: p.public_key for p in session.scalars(select(Person))}
        result, prev = [], GENESIS
        for d in _history(session, material_id):
            body = d.payload.encode("utf-8")
            problem = ""
            data = json.loads(d.payload)
            if not keys.verify(d.public_key, body, d.signature):
                problem = "签名无效"
            elif roster.get(d.reviewer) != d.public_key:
                problem = "签名人的公钥与名册不符"
            elif hashlib.sha256(body).hexdigest() != d.hash or data.get("prev") != prev:
                problem = "审核链断开"
            elif d.review_round == m.review_round and canonical(data["material"]) != current:
                problem = "签名后材料的文件或信息已改变，此审核意见作废"
            result.append(CheckedDecision(d.stage, d.verdict, d.comment, d.reviewer,
                                          d.decided_at, d.review_round, d.hash, not problem,
                                          problem))
            prev = d.hash
        return result
