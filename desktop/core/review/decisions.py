"""The roster, submission and signed review decisions (初审 / 复审 / 终审).

A decision is signed over its payload: canonical JSON (schema/decision-format.md) holding the
material's metadata, the SHA-256 of each of its files, the hash of the material's previous
decision and the audit log's head when it was signed (an anchor). Anyone can check a history
with the public keys alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.archive import audit, marks
from desktop.core.archive.kinds import ReviewState, Role
from desktop.core.archive.models import (
    Decision,
    Material,
    Person,
    SubmissionGap,
    TransferDecision,
)
from desktop.core.archive.store import sha256_of
from desktop.core.common.errors import ZichaError
from desktop.core.review import archival, keys, workflow
from desktop.core.review.roster import acting_person

if TYPE_CHECKING:  # not imported at run time: a reviewer's `zicha package review` starts faster
    from desktop.core.archive.archive import Archive, AuditLogger

FORMAT = "zicha-decision/2"  # /2 adds `audit_head`; decisions of /1 stay valid where stored
FORMATS = ("zicha-decision/1", FORMAT)
GENESIS = ""


# -- submitting ----------------------------------------------------------------------------

def submit(archive: Archive, material_ids: Sequence[int], by: str) -> None:
    """Submit drafts or returned materials for 初审; all or none."""
    with archive.write(by) as (session, log):
        submit_in(session, log, material_ids, by)


def submit_in(session: Session, log: AuditLogger, material_ids: Sequence[int], by: str,
              gaps: dict[int, list[dict[str, Any]]] | None = None) -> None:
    """submit() inside a caller's write transaction. `gaps` (material id -> what the
    checklists of its 测评内容 still lacked, as the clerk was shown it) is recorded with the
    new round (SubmissionGap) and in the audit entry, for the reviewers to see."""
    _, actor = acting_person(session, by)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for material_id in material_ids:
        m = _material(session, material_id)
        dept = m.department.name if m.department else None
        m.state = workflow.check_submit(actor, m.state, dept)
        m.submitted_by, m.review_round = by, m.review_round + 1
        detail: dict[str, Any] = {"round": m.review_round}
        if gaps and gaps.get(material_id):
            detail["gaps"] = gaps[material_id]
            session.merge(SubmissionGap(material_id=material_id, round=m.review_round,
                                        gaps=json.dumps(gaps[material_id], ensure_ascii=False),
                                        submitted_by=by, submitted_at=now))
        log("material.submit", f"material:{material_id}", detail)


def check_submission(session: Session, material_ids: Sequence[int], by: str) -> None:
    """The rules submit_in() applies (the person, each material's state and department),
    checked without changing anything: a caller that would refuse for another reason (the
    checklist's gaps) says first what the person may not do at all."""
    _, actor = acting_person(session, by)
    for material_id in material_ids:
        m = _material(session, material_id)
        workflow.check_submit(actor, m.state, m.department.name if m.department else None)


def submission_gaps(archive: Archive, material_id: int) -> list[dict[str, Any]]:
    """What the checklists lacked when the material was submitted in its current round
    ([{item, name, missing: [text]}]); [] when nothing was missing or it was never submitted."""
    with archive.read() as session:
        m = session.get(Material, material_id)
        if m is None or not m.review_round:
            return []
        row = session.get(SubmissionGap, (material_id, m.review_round))
        return list(json.loads(row.gaps)) if row is not None else []


def _material(session: Session, material_id: int) -> Material:
    m = session.get(Material, material_id)
    if m is None:
        raise ZichaError(f"没有编号为 {material_id} 的材料")
    return m


# -- decisions -----------------------------------------------------------------------------

def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def signed_identity(archive_id: str, m: Material) -> tuple[str, int]:
    """(archive, id) a signature names the material by: where it was made and its number
    there. A material brought by a 报送包 keeps its origin's, so decisions signed in the
    department's archive verify unchanged in the city's, and the city's in the department's."""
    if m.origin_archive and m.origin_id is not None:
        return m.origin_archive, m.origin_id
    return archive_id, m.id


def material_by_identity(session: Session, archive_id: str, signed_archive: str,
                         signed_id: int) -> Material | None:
    """The material a signature's (archive, id) names in this archive (`archive_id`), or
    None: one made here by its number, one brought from elsewhere by its origin."""
    if signed_archive == archive_id:
        m = session.get(Material, signed_id)
        return m if m is not None and not m.origin_archive else None
    return session.scalars(select(Material).where(Material.origin_archive == signed_archive,
                                                  Material.origin_id == signed_id)).first()


def material_facts(archive_id: str, m: Material) -> dict[str, Any]:
    """What a signature covers of the material: its metadata and its files' hashes, and its
    signed identity (signed_identity: where it was made). The 创新特色 / 加分 mark ({level,
    issuer, date}) is a key only while the material is marked, so what was signed before the
    mark existed is still what an unmarked material is now. The 红线标注 ({count, sha256} of
    marks.digest) likewise are a key only while the material has marks."""
    origin, number = signed_identity(archive_id, m)
    facts: dict[str, Any] = {
        "archive": origin,
        "id": number,
        "title": m.title,
        "doc_number": m.doc_number,
        "material_date": m.material_date.isoformat() if m.material_date else None,
        "department": m.department.name if m.department else None,
        "material_type": m.material_type,
        "items": m.codes,
        "files": [{"name": f.filename, "sha256": f.sha256, "size": f.blob.size}
                  for f in m.files],
    }
    if (bonus := m.bonus_facts) is not None:
        facts["bonus"] = bonus
    if (marked := marks.facts_of(m)) is not None:  # 红线标注, likewise only while there are some
        facts["marks"] = marked
    return facts


def payload(material: dict[str, Any], round_: int, stage: str, verdict: str, comment: str,
            reviewer: str, public_key: str, decided_at: str, prev: str,
            audit_head: dict[str, Any] | None = None) -> bytes:
    return canonical({"format": FORMAT, "material": material, "round": round_, "stage": stage,
                      "verdict": verdict, "comment": comment,
                      "reviewer": {"name": reviewer, "public_key": public_key},
                      "decided_at": decided_at, "prev": prev, "audit_head": audit_head})


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Signed:
    """A decision as signed: the payload bytes, the base64 signature, the payload's SHA-256."""

    payload: bytes
    signature: str
    hash: str


def sign_decision(key: Ed25519PrivateKey, material: dict[str, Any], round_: int, stage: str,
                  verdict: str, comment: str, reviewer: str, public_key: str, prev: str,
                  decided_at: str | None = None, *,
                  audit_head: dict[str, Any] | None = None) -> Signed:
    """The one place a decision is built and signed: `zicha review` on the archive and
    `zicha package review` on a reviewer's PC both come here. `audit_head` is the archive's
    audit log head ({seq, hash}) at signing time, or the one the review package recorded."""
    check_verdict(verdict, comment)
    body = payload(material, round_, stage, verdict, comment, reviewer, public_key,
                   decided_at or utc_now(), prev, audit_head)
    return Signed(body, keys.sign(key, body), hashlib.sha256(body).hexdigest())


def check_verdict(verdict: str, comment: str) -> None:
    if verdict not in (workflow.APPROVE, workflow.REJECT):
        raise ZichaError("结论只能是通过或退回")
    if verdict == workflow.REJECT and not comment.strip():
        raise ZichaError("退回时必须写明原因",
                         hint="用 --comment 写明；离线审核也可写成 --reject 编号:意见")


def stages_decided_by(decisions: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """(reviewer, stage) pairs of a material's decisions (any round) -> stages per person."""
    decided: dict[str, set[str]] = {}
    for reviewer, stage in decisions:
        decided.setdefault(reviewer, set()).add(stage)
    return decided


STAGE_NAMES = {r.value: label for r, label in workflow.STAGE_LABELS.items()}


def awaited_stage(state: str) -> str:
    stage = workflow.STAGE_AWAITED.get(ReviewState(state))
    return stage.value if stage else ""


def _history(session: Session, material_id: int) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.material_id == material_id)
                                .order_by(Decision.id)))


def _check_rules(session: Session, m: Material, actor: workflow.Actor, verdict: str,
                 stage: str) -> tuple[ReviewState, str]:
    """The workflow rules for `actor` deciding `verdict` at `stage` on `m` as it is now: the new
    state and the hash the decision must name as `prev`. Shared by decide() and apply_signed()."""
    history = _history(session, m.id)
    decided = stages_decided_by((d.reviewer, d.stage) for d in history)
    dept = m.department.name if m.department else None
    new_state = workflow.check_decision(actor, verdict, m.state, stage, dept, m.submitted_by,
                                        decided)
    return new_state, (history[-1].hash if history else GENESIS)


def _record(session: Session, log: AuditLogger, m: Material, signed: Signed, data: dict[str, Any],
            new_state: ReviewState, via: dict[str, Any] | None = None) -> Decision:
    """Store a checked decision exactly as signed, move the material on, log it."""
    decision = Decision(
        material_id=m.id, review_round=data["round"], stage=data["stage"],
        verdict=data["verdict"], comment=data["comment"], reviewer=data["reviewer"]["name"],
        public_key=data["reviewer"]["public_key"], decided_at=data["decided_at"],
        payload=signed.payload.decode("utf-8"), signature=signed.signature, hash=signed.hash,
        prev_hash=data["prev"])
    session.add(decision)
    before = m.state
    m.state = new_state
    detail = {"stage": data["stage"], "verdict": data["verdict"], "comment": data["comment"],
              "reviewer": decision.reviewer, "decision_hash": decision.hash,
              "state": str(new_state)}
    if via:
        detail["via"] = via
    log("material.decide", f"material:{m.id}", detail)
    session.flush()
    archival.after_state_change(session, log, m, before)  # 终审通过: its 档号
    return decision


def decide(archive: Archive, material_id: int, reviewer: str, verdict: str, comment: str,
           key: Ed25519PrivateKey, *, seen_stage: str | None = None) -> Decision:
    """Record `reviewer`'s signed decision on the stage the material awaits. `seen_stage` is
    the stage the reviewer saw it await (the window passes it): when someone else decided that
    stage in the meantime (another desktop on a server archive), nothing is recorded and the
    message says who did what when."""
    check_verdict(verdict, comment)
    archive_id = archive.info()["archive_id"]
    with archive.write(reviewer) as (session, log):
        person, actor = acting_person(session, reviewer)
        if keys.public_text(key.public_key()) != person.public_key:
            raise ZichaError(f"解锁的密钥与名册中 {reviewer} 的公钥不符")
        m = _material(session, material_id)
        stage = awaited_stage(m.state)
        if seen_stage is not None and stage != seen_stage:
            raise ZichaError(_overtaken(session, m, seen_stage))
        new_state, prev = _check_rules(session, m, actor, verdict, stage)
        signed = sign_decision(key, material_facts(archive_id, m), m.review_round, stage,
                               verdict, comment, reviewer, person.public_key, prev,
                               audit_head=audit.head(session).to_json())
        return _record(session, log, m, signed, json.loads(signed.payload), new_state)


def _overtaken(session: Session, m: Material, seen_stage: str) -> str:
    """Why a decision on the stage the reviewer saw cannot be recorded: the material moved on
    (named by its last decision when that was on this stage)."""
    label = STAGE_NAMES.get(seen_stage, seen_stage)
    now = workflow.STATE_LABELS[ReviewState(m.state)]
    history = _history(session, m.id)
    last = history[-1] if history else None
    if last is not None and last.stage == seen_stage:
        verdict = "通过" if last.verdict == workflow.APPROVE else "退回"
        when = last.decided_at[:16].replace("T", " ")
        return (f"材料 #{m.id} 的{label}刚由 {last.reviewer} 做出（{verdict}，{when}），"
                f"现为“{now}”；你的决定没有记录，请刷新后再看")
    return f"材料 #{m.id} 已不在等待{label}（现为“{now}”）；你的决定没有记录，请刷新后再看"


@dataclass(frozen=True)
class Allowed:
    """What one person may do with one material now, and why not where they may not: the
    window enables its buttons from this, with the same rules the actions themselves apply."""

    submit: bool
    decide: bool
    why_not_submit: str
    why_not_decide: str
    last_return: str  # the comment of the rejection that returned the material, if it is returned
    unchanged_since_return: bool  # returned, and nothing edited since


def allowed(archive: Archive, material_id: int, person: str | None) -> Allowed:
    with archive.read() as session:
        m = _material(session, material_id)
        history = _history(session, material_id)
        last = history[-1] if history else None
        returned = m.state == ReviewState.RETURNED and last is not None
        last_return = last.comment if returned and last is not None else ""
        unchanged = bool(returned and last is not None
                         and canonical(material_facts("", m)) == _facts_of(last))
        if not person:
            why = "先在工具栏选择“当前人员”"
            return Allowed(False, False, why, why, last_return, unchanged)
        try:
            _, actor = acting_person(session, person)
        except ZichaError as exc:
            return Allowed(False, False, str(exc), str(exc), last_return, unchanged)
        dept = m.department.name if m.department else None
        why_submit = why_decide = ""
        try:
            workflow.check_submit(actor, m.state, dept)
        except ZichaError as exc:
            why_submit = str(exc)
        stage = awaited_stage(m.state)
        if not stage:
            why_decide = f"材料处于“{workflow.STATE_LABELS[ReviewState(m.state)]}”状态，不在审核中"
        else:
            try:
                _check_rules(session, m, actor, workflow.APPROVE, stage)
            except ZichaError as exc:
                why_decide = str(exc)
        return Allowed(not why_submit, not why_decide, why_submit, why_decide, last_return,
                       unchanged)


def _facts_of(decision: Decision) -> bytes:
    """The material facts a decision was signed over, without the archive id, comparable with
    canonical(material_facts("", m))."""
    facts = dict(json.loads(decision.payload)["material"])
    facts["archive"] = ""
    return canonical(facts)


# -- decisions signed elsewhere (zicha package apply) ---------------------------------------

@dataclass(frozen=True)
class AppliedDecision:
    id: int
    title: str
    stage: str
    verdict: str
    comment: str
    reviewer: str
    state: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


_DECIDED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _is_head(value: Any) -> bool:
    """An anchored audit-log head {seq, hash}, or null (a package made before anchors)."""
    return value is None or (isinstance(value, dict) and set(value) == {"seq", "hash"}
                             and isinstance(value["seq"], int) and value["seq"] >= 0
                             and isinstance(value["hash"], str)
                             and _SHA256.match(value["hash"]) is not None)


def _signed_data(body: bytes, where: str) -> dict[str, Any]:
    """The payload's object, if it is a well-formed zicha-decision/2 in canonical form."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ZichaError(f"{where}的签名内容不是 JSON，决定文件已损坏或被改动") from None
    bad = not isinstance(data, dict) or data.get("format") != FORMAT
    if not bad:
        reviewer, material = data.get("reviewer"), data.get("material")
        bad = not (isinstance(reviewer, dict) and isinstance(reviewer.get("name"), str)
                   and isinstance(reviewer.get("public_key"), str)
                   and isinstance(material, dict) and isinstance(material.get("id"), int)
                   and isinstance(material.get("archive"), str)
                   and isinstance(data.get("round"), int)
                   and data.get("stage") in (Role.FIRST, Role.SECOND, Role.FINAL)
                   and isinstance(data.get("comment"), str) and isinstance(data.get("prev"), str)
                   and isinstance(data.get("decided_at"), str)
                   and _DECIDED_AT.match(data["decided_at"]) is not None
                   and _is_head(data.get("audit_head", False)))
    if bad:
        raise ZichaError(f"{where}不是 {FORMAT} 格式的审核决定")
    if canonical(data) != body:
        raise ZichaError(f"{where}的签名内容不是规范字节格式（schema/decision-format.md）")
    return data


def apply_signed(archive: Archive, signed: Sequence[tuple[str, str, str]], *,
                 actor: str | None = None,
                 via: dict[str, Any] | None = None) -> list[AppliedDecision]:
    """Apply decisions signed elsewhere, given as (payload text, base64 signature, claimed hash),
    all in one transaction: every one is checked against this archive (its roster's keys, not
    the keys the payload names; the material's current files, metadata, round and last decision;
    the same workflow rules as decide()) and stored exactly as signed, or nothing is."""
    archive_id = archive.info()["archive_id"]
    result: list[AppliedDecision] = []
    with archive.write(actor) as (session, log):
        for n, (text, signature, claimed) in enumerate(signed, 1):
            body = text.encode("utf-8")
            digest = hashlib.sha256(body).hexdigest()
            where = f"第 {n} 条决定"
            if claimed != digest:
                raise ZichaError(f"{where}的哈希与签名内容不符：决定文件被改动")
            data = _signed_data(body, where)
            where = f"材料 #{data['material']['id']} 的{STAGE_NAMES[data['stage']]}决定"
            if session.scalars(select(Decision).where(Decision.hash == digest)).first():
                raise ZichaError(f"{where}已应用过（同一决定文件不能应用两次）")
            m = material_by_identity(session, archive_id, data["material"]["archive"],
                                     data["material"]["id"])
            if m is None and data["material"]["archive"] != archive_id:
                raise ZichaError(f"{where}是为另一个档案做的，不属于本档案")
            name = data["reviewer"]["name"]
            person = session.scalars(select(Person).where(Person.name == name)).first()
            if person is None:
                raise ZichaError(f"{where}的审核人 {name} 不在本档案名册中")
            if not keys.verify(person.public_key, body, signature):
                raise ZichaError(f"{where}签名无效：不是名册中 {name} 的密钥所签，"
                                 "或签名后内容被改动")
            if data["reviewer"]["public_key"] != person.public_key:
                raise ZichaError(f"{where}所列公钥与名册中 {name} 的公钥不符")
            if m is None:
                raise ZichaError(f"{where}：本档案没有这份材料")
            _, reviewer = acting_person(session, name)
            try:
                check_verdict(data["verdict"], data["comment"])
                new_state, prev = _check_rules(session, m, reviewer, data["verdict"],
                                               data["stage"])
            except ZichaError as exc:
                raise ZichaError(f"{where}：{exc}") from None
            if data["round"] != m.review_round or data["prev"] != prev:
                raise ZichaError(f"{where}已过期：导出审核包后材料又经过审核或重新提交")
            if canonical(data["material"]) != canonical(material_facts(archive_id, m)):
                raise ZichaError(f"{where}作废：材料的文件或信息与签名时不同")
            _record(session, log, m, Signed(body, signature, digest), data, new_state, via)
            result.append(AppliedDecision(m.id, m.title, data["stage"], data["verdict"],
                                          data["comment"], name, str(new_state), digest))
        if via:
            log("package.apply", f"package:{via.get('package', '')}",
                {**via, "decisions": [r.hash for r in result]})
    return result


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


def _row_differs(d: Decision, data: dict[str, Any], signed_id: int) -> bool:
    """Whether the row's columns (what a window shows) say something the signed payload does
    not. `signed_id`: the number the material's signatures name it by (signed_identity)."""
    signed = (data.get("material", {}).get("id"), data.get("round"), data.get("stage"),
              data.get("verdict"), data.get("comment"), data.get("reviewer"),
              data.get("decided_at"), data.get("prev"))
    row = (signed_id, d.review_round, d.stage, d.verdict, d.comment,
           {"name": d.reviewer, "public_key": d.public_key}, d.decided_at, d.prev_hash)
    return signed != row


def history(archive: Archive, material_id: int) -> list[CheckedDecision]:
    """The material's decisions, each checked: signature, roster key, chain, (for the current
    round) that the signed files and metadata are still the material's, and that every stored
    file a decision vouches for still has the content it signed (each file re-hashed)."""
    archive_id = archive.info()["archive_id"]
    with archive.read() as session:
        m = _material(session, material_id)
        current = material_facts(archive_id, m)
        roster = {p.name: p.public_key for p in session.scalars(select(Person))}
        result, prev = [], GENESIS
        for d in _history(session, material_id):
            body = d.payload.encode("utf-8")
            problem = ""
            try:
                data = json.loads(d.payload)
            except ValueError:
                data = None
            if not keys.verify(d.public_key, body, d.signature) or not isinstance(data, dict):
                problem = "签名无效"
            elif roster.get(d.reviewer) != d.public_key:
                problem = "签名人的公钥与名册不符"
            elif hashlib.sha256(body).hexdigest() != d.hash or data.get("prev") != prev:
                problem = "审核链断开"
            elif _row_differs(d, data, current["id"]):
                problem = "记录与签名内容不符（数据库中的记录被改动）"
            elif d.review_round == m.review_round and \
                    canonical(data["material"]) != canonical(current):
                fields = "、".join(changed_fields(data["material"], current))
                problem = f"签名后{fields}已改变，此审核意见作废"
            else:
                problem = _stored_files_problem(archive, data["material"],
                                                current=d.review_round == m.review_round)
            result.append(CheckedDecision(d.stage, d.verdict, d.comment, d.reviewer,
                                          d.decided_at, d.review_round, d.hash, not problem,
                                          problem))
            prev = d.hash
        return result


# the stored files history() re-hashed: (path, size, mtime, ctime, inode) -> sha256. Stored
# files are never modified in place, so a window showing the same material again need not read
# them again; any write to a file (a flipped byte included) changes its ctime, which unlike the
# mtime cannot be set back, and it is hashed anew. A new process (the CLI) always hashes.
_HASHED: dict[tuple[str, int, int, int, int], str] = {}


def _stored_sha256(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    if key not in _HASHED:
        if len(_HASHED) > 10_000:
            _HASHED.clear()
        try:
            _HASHED[key] = sha256_of(path)
        except OSError:
            return None
    return _HASHED[key]


def _stored_files_problem(archive: Archive, signed: dict[str, Any], *, current: bool) -> str:
    """Why the files a decision signed are not in the store as signed, or ""."""
    for f in signed.get("files", []):
        path = archive.store.path_for(f["sha256"])
        found = _stored_sha256(path)
        if found is None:
            if current:
                return f"档案中缺少签名时的文件 {f['name']}，此审核意见无法核对"
        elif found != f["sha256"]:
            return f"档案中存储的文件 {f['name']} 已损坏（内容与签名时的哈希不符）"
    return ""


# -- approval means the current state is the signed state -----------------------------------

FIELD_LABELS = {"archive": "所属档案", "id": "材料编号", "title": "材料名称",
                "doc_number": "文号", "material_date": "日期", "department": "责任单位",
                "material_type": "材料类型", "items": "测评内容", "files": "文件",
                "bonus": "创新特色（加分）", "marks": "红线标注"}
# the decisions a material's current round must hold, in order, for each state past 初审
APPROVED_STAGES = {ReviewState.FIRST_APPROVED: (Role.FIRST.value,),
                   ReviewState.SECOND_APPROVED: (Role.FIRST.value, Role.SECOND.value),
                   ReviewState.FINAL_APPROVED: (Role.FIRST.value, Role.SECOND.value,
                                                Role.FINAL.value)}


def changed_fields(signed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The names (材料名称, 日期, 文件（…）…) of what differs between two material_facts()."""
    found = []
    for key, label in FIELD_LABELS.items():
        if key == "files":
            if detail := _files_changed(signed.get("files") or [], current.get("files") or []):
                found.append(f"文件（{detail}）")
        elif signed.get(key) != current.get(key):
            found.append(label)
    found += [k for k in set(signed) ^ set(current) if k not in FIELD_LABELS]
    return found or ["内容"]


def _files_changed(signed: list[dict[str, Any]], current: list[dict[str, Any]]) -> str:
    if signed == current:
        return ""
    before = {f.get("name"): f for f in signed}
    after = {f.get("name"): f for f in current}
    parts = [f"{n} 的内容" for n in before if n in after
             and (before[n].get("sha256"), before[n].get("size"))
             != (after[n].get("sha256"), after[n].get("size"))]
    parts += [f"多了 {n}" for n in after if n not in before]
    parts += [f"少了 {n}" for n in before if n not in after]
    return "、".join(parts) or "顺序"


@dataclass(frozen=True)
class StateMismatch:
    """A material whose state claims approvals its signed decisions do not back as it is now."""

    material_id: int
    title: str
    reason: str  # e.g. "签名后被改动：材料名称、日期"
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"材料 #{self.material_id}《{self.title}》{self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.material_id, "title": self.title, "reason": self.reason,
                "fields": list(self.fields)}


def signed_state_of(session: Session, archive_id: str, m: Material,
                    roster: dict[str, str] | None = None,
                    decisions: Sequence[Decision] | None = None) -> StateMismatch | None:
    """Whether `m`'s review state is what its signatures say, as the material is now: for a
    material past 初审 (first/second/final approved) the current round must hold exactly the
    approvals of that state, each signed with the roster's key of its reviewer and chained, and
    the last one must have signed the material's current metadata, filings and files. None
    when it holds (and for drafts, returned and submitted materials, which claim no approval).
    `roster` (name -> public key) and `decisions` (the material's, oldest first): read once by
    callers checking many materials."""
    expected = APPROVED_STAGES.get(ReviewState(m.state))
    if expected is None:
        return None
    if roster is None:
        roster = {p.name: p.public_key for p in session.scalars(select(Person))}

    def mismatch(reason: str, fields: Sequence[str] = ()) -> StateMismatch:
        return StateMismatch(m.id, m.title, reason, tuple(fields))

    state = workflow.STATE_LABELS[ReviewState(m.state)]
    prev, this_round = GENESIS, []
    for n, d in enumerate(_history(session, m.id) if decisions is None else decisions, 1):
        body = d.payload.encode("utf-8")
        try:
            data = json.loads(body)
            name, key = data["reviewer"]["name"], data["reviewer"]["public_key"]
            # the chain is checked throughout; signatures where they vouch for the state now
            good = (isinstance(data, dict) and data.get("format") in FORMATS
                    and hashlib.sha256(body).hexdigest() == d.hash and data["prev"] == prev
                    and (data["round"] != m.review_round
                         or (roster.get(name) == key and _verified(key, body, d))))
        except (ValueError, KeyError, TypeError):
            good = False
        if not good:
            return mismatch(f"的第 {n} 条审核意见签名无效或审核链断开，“{state}”没有可信的签名")
        if data["round"] == m.review_round:
            this_round.append(data)
        prev = d.hash
    signed = tuple(d["stage"] for d in this_round if d["verdict"] == workflow.APPROVE)
    if signed != expected or len(this_round) != len(expected):
        return mismatch(f"状态为“{state}”，但本轮签名的审核意见不是依次的"
                        + "、".join(STAGE_NAMES[s] + "通过" for s in expected))
    last = this_round[-1]["material"]
    current = material_facts(archive_id, m)
    if canonical(last) != canonical(current):
        fields = changed_fields(last, current)
        return mismatch(f"签名后被改动：{'、'.join(fields)}（与{STAGE_NAMES[expected[-1]]}"
                        "签名时不同，审核签名已作废）", fields)
    return None


# signatures signed_state_of() found good in this process, as (key, payload hash, signature):
# the window re-checks the same decisions each time it plans an export or shows a material
_GOOD: set[tuple[str, str, str]] = set()


def _verified(key: str, body: bytes, d: Decision) -> bool:
    seen = (key, d.hash, d.signature)  # d.hash is checked to be sha256(body) before this
    if seen in _GOOD:
        return True
    if not keys.verify(key, body, d.signature):
        return False
    if len(_GOOD) > 200_000:
        _GOOD.clear()
    _GOOD.add(seen)
    return True


def signed_state_problems(archive: Archive,
                          material_ids: Iterable[int] | None = None) -> list[StateMismatch]:
    """signed_state_of() for every material past 初审 (or for `material_ids`)."""
    archive_id = archive.info()["archive_id"]
    with archive.read() as session:
        roster = {p.name: p.public_key for p in session.scalars(select(Person))}
        query = select(Material).where(Material.state.in_(list(APPROVED_STAGES)))
        chains = select(Decision).join(Material, Decision.material_id == Material.id).where(
            Material.state.in_(list(APPROVED_STAGES)))
        if material_ids is not None:
            wanted = list(material_ids)
            query = query.where(Material.id.in_(wanted))
            chains = chains.where(Decision.material_id.in_(wanted))
        history: dict[int, list[Decision]] = {}
        for d in session.scalars(chains.order_by(Decision.id)):
            history.setdefault(d.material_id, []).append(d)
        found = (signed_state_of(session, archive_id, m, roster, history.get(m.id, []))
                 for m in session.scalars(query.order_by(Material.id)))
        return [f for f in found if f is not None]


# -- anchors of the audit log ----------------------------------------------------------------

def anchors(session: Session) -> list[tuple[str, int, str]]:
    """Every audit-log head anchored in a signed decision of this archive: (where, seq, hash),
    oldest decision first. A decision made here anchors the head just before its own entry; a
    decision signed offline anchors the head its review package recorded. Decisions of
    zicha-decision/1 (made before anchors existed) carry none and are left out, and so are
    decisions that came in a 报送包 (transfer_decision): they anchor the log of the archive
    they were signed in. Only the decision's signed payload is read, never its row's columns."""
    found = []
    elsewhere = set(session.scalars(select(TransferDecision.hash)))
    for d in session.scalars(select(Decision).order_by(Decision.id)):
        if d.hash in elsewhere:
            continue
        try:
            data = json.loads(d.payload)
            head = data.get("audit_head")
            seq, digest = head["seq"], head["hash"]
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if not isinstance(seq, int) or not isinstance(digest, str):
            continue
        stage = STAGE_NAMES.get(str(data.get("stage")), str(data.get("stage")))
        reviewer = (data.get("reviewer") or {}).get("name", "")
        material = (data.get("material") or {}).get("id", d.material_id)
        found.append((f"材料 #{material} 的{stage}决定（{reviewer}，{d.decided_at}）",
                      seq, digest))
    return found
