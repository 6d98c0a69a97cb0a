"""The department's side: write a 报送包 for the city (docs/transfers.md).

Everything new or changed since the last package to that city (transfer_out_item keeps the
digest of what each package carried of every material, task and problem), or everything; the
department's deletions of materials it had sent; signed as a whole by the sender."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import DB_NAME, Archive
from desktop.core.archive.models import (
    Decision,
    Department,
    Material,
    Person,
    Problem,
    Task,
    TransferOut,
    TransferOutItem,
)
from desktop.core.common import atomic
from desktop.core.common.progress import Progress, as_progress
from desktop.core.review import decisions, keys, roster
from desktop.core.review.package import CHUNK
from desktop.core.transfer.package import (
    FORMAT,
    KIND_REPORT,
    TRANSFER_JSON,
    TransferError,
    acts_for,
    digest,
    material_entry,
    node_entry,
    signed_bytes,
)

UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MATERIAL, TASK, PROBLEM = "material", "task", "problem"


@dataclass(frozen=True)
class SentReport:
    package_id: str
    to: str
    seq: int
    since: int
    out: str
    department: str
    materials: list[dict[str, Any]]  # {uid, id, title} of each material carried
    deleted: list[str]  # uids
    tasks: int
    problems: int
    files: int
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def sender_department(session: Session, name: str) -> tuple[Person, str]:
    """The sender on this archive's roster, in post, and the department they send for: their
    own, in which they must hold a role (or be an admin)."""
    person, actor = roster.acting_person(session, name)
    department = person.department.name if person.department else ""
    if not department:
        raise TransferError(f"{name} 在名册中没有所属单位，不能以单位名义报送")
    if not acts_for(actor, department):
        raise TransferError(f"{name} 在 {department} 没有任何角色，不能报送该单位的材料")
    return person, department


def last_sent(session: Session, to: str, kind: str = KIND_REPORT, upto: int | None = None
              ) -> tuple[int, dict[tuple[str, str], TransferOutItem]]:
    """The last seq of `kind` sent to `to` (of those up to `upto`, when given), and for every
    (kind, uid) the item of the newest such package that carried it."""
    query = select(TransferOut).where(TransferOut.to_archive == to, TransferOut.kind == kind)
    if upto is not None:
        query = query.where(TransferOut.seq <= upto)
    packages = {p.package_id: p.seq for p in session.scalars(query)}
    last = max(packages.values(), default=0)
    newest: dict[tuple[str, str], TransferOutItem] = {}
    if packages:
        rows = session.scalars(select(TransferOutItem).where(
            TransferOutItem.package_id.in_(list(packages))))
        for row in sorted(rows, key=lambda r: packages[r.package_id]):
            newest[(row.kind, row.uid)] = row
    return last, newest


def acknowledged(session: Session, to: str) -> int:
    """The highest seq of this archive's 报送包 to `to` that `to` has acknowledged (a receipt
    in one of its 下发包), 0 when none."""
    return session.scalar(select(func.max(TransferOut.seq)).where(
        TransferOut.to_archive == to, TransferOut.kind == KIND_REPORT,
        TransferOut.acknowledged_at.is_not(None))) or 0


def task_entry(t: Task) -> dict[str, Any]:
    return {"uid": t.uid, "list_kind": t.task_list.kind, "item": t.node_code,
            "department": t.department.name, "role": t.role, "deadline_kind": t.deadline_kind,
            "deadline": t.deadline.isoformat() if t.deadline else None,
            "deadline_period": t.deadline_period, "deadline_text": t.deadline_text,
            "closed_at": t.closed_at.isoformat(timespec="seconds") if t.closed_at else None,
            "closed_by": t.closed_by, "closed_reason": t.closed_reason}


def problem_entry(session: Session, p: Problem) -> dict[str, Any]:
    ids = [e.material_id for e in p.evidence]
    uids = sorted(session.scalars(select(Material.uid).where(Material.id.in_(ids)))) if ids \
        else []
    return {"uid": p.uid, "state": p.state, "rectification": p.rectification, "evidence": uids}


def export_transfer(archive: Archive, to: str, out: Path, *, actor: str,
                    unlock: Callable[[], Ed25519PrivateKey], all_: bool = False,
                    resend: bool = False, progress: Progress | None = None) -> SentReport:
    """Write the 报送包 of `actor`'s department for the archive `to` at `out` (never over an
    existing file; whole or not at all) and record what it carried. It carries what changed
    since the last package to `to`; with `resend`, since the last one `to` acknowledged (for a
    package lost on the way); with `all_`, everything. Refused when there is nothing to carry.
    The key is unlocked (`unlock()`) only once the package is known to be worth signing.
    `progress` steps once per file written; cancelled, no file is left and nothing recorded."""
    to = to.strip().lower()
    out = Path(out)
    info = archive.info()
    if not UUID_TEXT.match(to):
        raise TransferError(f"“{to}” 不是档案编号（应为 UUID，如 1b4e28ba-2fa1-4d2e-…）",
                            hint="在市创文办的档案上运行 zicha info 可看到档案编号")
    if to == info["archive_id"]:
        raise TransferError("不能向本档案自己报送；请填写市创文办档案的编号")
    if out.is_dir():
        raise TransferError(f"{out} 是文件夹；请给出报送包的文件名")
    if out.exists():
        raise TransferError(f"{out} 已存在；不会覆盖（请换一个文件名）")
    package_id = str(uuid.uuid4())
    with (atomic.undone_on_failure(archive.root / DB_NAME) as published,
          archive.write(actor) as (session, log)):
        person, department = sender_department(session, actor)
        base = acknowledged(session, to)
        last, sent = last_sent(session, to)
        since = 0 if all_ else last
        if resend and not all_:
            since, sent = last_sent(session, to, upto=base)
        doc, items, carried, deleted, blobs = _contents(session, info["archive_id"], department,
                                                        sent, all_)
        if not items:
            after = f"（第 {last} 号报送包之后）" if last else ""
            raise TransferError(f"{department} 没有新的或改动过的材料、任务或整改情况可报送"
                                f"{after}；没有生成报送包",
                                hint="要重新报送全部内容，用 --all")
        total = sum(blobs.values())
        key = unlock()
        if keys.public_text(key.public_key()) != person.public_key:
            raise TransferError(f"解锁的密钥与名册中 {actor} 的公钥不符")
        doc = {"format": FORMAT, "package_id": package_id, "kind": KIND_REPORT,
               "from": {"archive": info["archive_id"], "name": info.get("name", ""),
                        "bureau": info.get("bureau", ""), "department": department},
               "to": {"archive": to}, "seq": last + 1, "since": since,
               "base": base, "created_at": decisions.utc_now(),
               "sender": {"name": person.name, "public_key": person.public_key}, **doc,
               "manifest": dict(sorted(blobs.items()))}
        doc["signature"] = keys.sign(key, signed_bytes(doc))
        counts = {"materials": len(carried), "deleted": len(deleted), "tasks": len(doc["tasks"]),
                  "problems": len(doc["problems"]), "files": len(blobs)}
        session.add(TransferOut(package_id=package_id, to_archive=to, seq=last + 1,
                                since=doc["since"], department=department,
                                created_at=doc["created_at"], created_by=person.name,
                                counts=json.dumps(counts)))
        session.flush()
        session.add_all(TransferOutItem(package_id=package_id, kind=kind, uid=uid, digest=d,
                                        origin=origin) for (kind, uid), (d, origin)
                        in items.items())
        target = write_package(archive, out, doc, blobs, total, as_progress(progress))
        try:
            log("transfer.export", f"transfer:{package_id}",
                {"to": to, "seq": last + 1, "since": doc["since"], "department": department,
                 **counts, "materials_sent": [c["uid"] for c in carried],
                 "deleted_sent": deleted, "out": str(out),
                 "signature_sha256": hashlib.sha256(doc["signature"].encode()).hexdigest()})
            target.commit()
            published.append(target)  # removed again if the commit of the log fails
        except BaseException:
            target.discard()
            raise
    return SentReport(package_id, to, last + 1, doc["since"], str(out), department, carried,
                      deleted, counts["tasks"], counts["problems"], len(blobs),
                      out.stat().st_size)


def _contents(session: Session, archive_id: str, department: str,
              sent: dict[tuple[str, str], TransferOutItem], all_: bool
              ) -> tuple[dict[str, Any], dict[tuple[str, str], tuple[str, str]],
                         list[dict[str, Any]], list[str], dict[str, int]]:
    """What the package holds (materials, nodes, roster, tasks, problems), the items to record
    ((kind, uid) -> (digest, origin)), the materials carried, the uids deleted, the files."""
    dept = session.scalars(select(Department).where(Department.name == department)).first()
    dept_id = dept.id if dept else None
    items: dict[tuple[str, str], tuple[str, str]] = {}

    def changed(kind: str, uid: str, entry: dict[str, Any]) -> str | None:
        d = digest(entry)
        before = sent.get((kind, uid))
        return d if all_ or before is None or before.digest != d else None

    query = select(Material).where((Material.department_id == dept_id)
                                   | Material.department_id.is_(None)).order_by(Material.id)
    history: dict[int, list[Decision]] = {}
    for signed in session.scalars(select(Decision).order_by(Decision.id)):
        history.setdefault(signed.material_id, []).append(signed)
    materials, carried, present = [], [], set()
    blobs: dict[str, int] = {}
    codes: set[str] = set()
    names: set[str] = set()
    for m in session.scalars(query):
        present.add(m.uid)
        entry = material_entry(archive_id, m, history.get(m.id, []))
        if (sent_digest := changed(MATERIAL, m.uid, entry)) is None:
            continue
        origin = entry["origin"]
        items[(MATERIAL, m.uid)] = (sent_digest, f"{origin['archive']}:{origin['id']}")
        materials.append(entry)
        carried.append({"uid": m.uid, "id": m.id, "title": m.title})
        blobs.update({f["sha256"]: f["size"] for f in entry["files"]})
        codes.update(entry["items"])
        names.update(n for n in (m.submitted_by, m.created_by) if n)
        names.update(x.reviewer for x in history.get(m.id, []))
    deleted = []
    for (kind, uid), row in sorted(sent.items()):
        if kind != MATERIAL or uid in present or not row.origin:
            continue
        origin_archive, _, number = row.origin.rpartition(":")
        entry = {"uid": uid, "origin": {"archive": origin_archive, "id": int(number)},
                 "deleted": True}
        if (sent_digest := changed(MATERIAL, uid, entry)) is not None:
            items[(MATERIAL, uid)] = (sent_digest, row.origin)
            materials.append(entry)
            deleted.append(uid)
    tasks = []
    for t in session.scalars(select(Task).where(Task.department_id == dept_id)
                             .order_by(Task.id)):
        entry = task_entry(t)
        if (sent_digest := changed(TASK, t.uid, entry)) is not None:
            items[(TASK, t.uid)] = (sent_digest, "")
            tasks.append(entry)
    problems = []
    for p in session.scalars(select(Problem).where(Problem.department_id == dept_id)
                             .order_by(Problem.id)):
        entry = problem_entry(session, p)
        if (sent_digest := changed(PROBLEM, p.uid, entry)) is not None:
            items[(PROBLEM, p.uid)] = (sent_digest, "")
            problems.append(entry)
    nodes: dict[str, dict[str, Any]] = {}
    for code in sorted(codes):
        for node in node_entry(session, code):
            nodes.setdefault(node["code"], node)
    people = []
    for person in session.scalars(select(Person).where(Person.name.in_(sorted(names)))
                                  .order_by(Person.id)):
        view = roster.person_view(person).to_json()
        people.append({k: view[k] for k in ("name", "department", "roles", "public_key")})
    doc = {"materials": materials, "nodes": list(nodes.values()), "roster": people,
           "tasks": tasks, "problems": problems}
    return doc, items, carried, deleted, blobs


def write_package(archive: Archive, out: Path, doc: dict[str, Any], blobs: dict[str, int],
                  total: int, progress: Progress | None = None) -> atomic.AtomicFile:
    """transfer.json (deflated, with the sender's named roster entry made complete) and every
    file stored, in a temporary file beside `out`, on the disk; the caller commits it."""
    body = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.write_failed(exc, out) from None
    target = atomic.AtomicFile(out, needed=len(body) + total + 4096, overwrite=False)
    try:
        with target.open() as fh, zipfile.ZipFile(fh, "w") as zf:
            zf.writestr(TRANSFER_JSON, body, compress_type=zipfile.ZIP_DEFLATED)
            steps = as_progress(progress)
            for n, (sha, size) in enumerate(sorted(blobs.items())):
                steps.check("报送已取消，没有留下不完整的报送包")
                steps.step(n, len(blobs), "写出文件")
                check, length = hashlib.sha256(), 0
                with (archive.store.path_for(sha).open("rb") as src,
                      zf.open(zipfile.ZipInfo(f"files/{sha}"), "w") as dst):
                    while chunk := src.read(CHUNK):
                        check.update(chunk)
                        length += len(chunk)
                        dst.write(chunk)
                if check.hexdigest() != sha or length != size:
                    raise TransferError(f"档案中的文件 {sha[:12]}… 已损坏（哈希不符）；"
                                        "请先检查档案", hint="用 zicha verify --archive 检查")
            steps.check("报送已取消，没有留下不完整的报送包")
            steps.step(len(blobs), len(blobs), "写出文件")
        return target
    except FileNotFoundError:
        target.discard()
        raise TransferError("档案中缺少材料的文件；请先检查档案",
                            hint="用 zicha verify --archive 检查") from None
    except TransferError:
        target.discard()
        raise
    except OSError as exc:
        raise target.failed(exc) from None
    except BaseException:
        target.discard()
        raise

