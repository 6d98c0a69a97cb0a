"""The 报送包 file (`zicha-transfer/1`, docs/transfers.md): one ZIP holding transfer.json
(schema/transfer-package.schema.json) and files/<sha256>, each file once, the whole of
transfer.json signed by the sender.

Both sides use this module: the department builds entries with material_entry() and signs with
signed_bytes(); the city opens what arrived with open_transfer(), the same gate as review
packages (review/package.py: member names, sizes, bombs, JSON size), then the schema, the
manifest against the members, and each file's hash as it is read."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop.core.archive.kinds import Role
from desktop.core.archive.marks import marks_json
from desktop.core.archive.models import Decision, IndicatorNode, IndicatorSystemRecord, Material
from desktop.core.review import decisions, workflow
from desktop.core.review.package import (
    MAX_JSON,
    PackageError,
    member_chunks,
    open_package_zip,
)

FORMAT = "zicha-transfer/1"
TRANSFER_JSON = "transfer.json"
SCHEMA_NAME = "transfer-package.schema.json"
KIND_REPORT = "report"  # 报送包: a department to the city
KIND_DISPATCH = "dispatch"  # 下发包: the city to a department
PACKAGE_SUFFIX = ".zicha-transfer.zip"  # how 报送包 and 下发包 are named (the desktop file type)
_FILE_MEMBER = re.compile(r"^files/[0-9a-f]{64}$")


class TransferError(PackageError):
    """A 报送包 refused or a transfer that cannot be made; the message names the file."""


def acts_for(actor: workflow.Actor, department: str) -> bool:
    """Whether a person may send (and sign) a department's 报送包: an admin; someone with a role
    granted for that department; or someone of that department holding a role that is not
    limited to another one. A retired person may not."""
    if actor.retired:
        return False
    return any(scope == department
               or (scope is None and (role == Role.ADMIN or actor.department == department))
               for role, scope in actor.grants)


def signed_bytes(doc: dict[str, Any]) -> bytes:
    """What the sender's signature covers: all of transfer.json but `signature`, canonical."""
    return decisions.canonical({k: v for k, v in doc.items() if k != "signature"})


def digest(entry: dict[str, Any]) -> str:
    """The SHA-256 of an entry (material, task, problem) as sent: what changed is what differs."""
    return hashlib.sha256(decisions.canonical(entry)).hexdigest()


# -- what a material is, on either side ------------------------------------------------------

def _caption(m: Material) -> dict[str, str]:
    """The caption as a package carries it; 背景 and 事由 only when written, so a material
    without them reads the same as in a package made before they existed."""
    caption = {"time": m.caption_time, "place": m.caption_place, "people": m.caption_people,
               "subject": m.caption_subject}
    if m.caption_background:
        caption["background"] = m.caption_background
    if m.caption_reason:
        caption["reason"] = m.caption_reason
    return caption


def material_entry(archive_id: str, m: Material, history: list[Decision]) -> dict[str, Any]:
    """A material as a 报送包 carries it: the same dict on the sending side (from the
    department's material) and the receiving side (from the city's copy), so "unchanged" is
    equality. `history`: its decisions, oldest first."""
    origin, number = decisions.signed_identity(archive_id, m)
    # 红线标注 only while there are some: an unmarked material's entry is what it always was
    marked = {"marks": [{k: v for k, v in mark.items() if k != "id"}
                        for mark in marks_json(m)]} if m.marks else {}
    return {
        "uid": m.uid, "origin": {"archive": origin, "id": number}, "deleted": False,
        "title": m.title, "doc_number": m.doc_number,
        "material_date": m.material_date.isoformat() if m.material_date else None,
        "department": m.department.name if m.department else None,
        "material_type": m.material_type, "description": m.description,
        "caption": _caption(m),
        "bonus": m.bonus_facts, "state": str(m.state), "review_round": m.review_round,
        "submitted_by": m.submitted_by, "created_by": m.created_by, "items": m.codes,
        "files": [{"name": f.filename, "sha256": f.sha256, "size": f.blob.size,
                   "kind": f.blob.kind, "mime": f.blob.mime, "page_count": f.blob.page_count}
                  for f in m.files],
        "decisions": [{"payload": d.payload, "signature": d.signature, "hash": d.hash}
                      for d in history],
        **marked,
    }


def node_entry(session: Session, code: str) -> list[dict[str, Any]]:
    """The node a material is filed under and, for a 测评内容, its 测评项目 (parent first)."""
    found: list[dict[str, Any]] = []
    node = session.get(IndicatorNode, code)
    while node is not None:
        system = node_system(session, node)
        found.insert(0, {"code": node.code, "kind": str(node.kind), "name": node.name,
                         "criterion": node.criterion, "parent": node.parent_code,
                         "system": system})
        node = session.get(IndicatorNode, node.parent_code) if node.parent_code else None
    return found


def node_system(session: Session, node: IndicatorNode) -> dict[str, str]:
    record = session.get(IndicatorSystemRecord, node.system_id)
    return {"id": node.system_id, "prefix": record.prefix if record else "",
            "name": record.name if record else ""}


# -- reading what arrived ---------------------------------------------------------------------

@dataclass
class Opened:
    """A 报送包 that passed open_transfer(): its document (schema-checked), the bytes it was
    parsed from, the open ZIP. Files are read (and hashed) with file_chunks()."""

    path: Path
    doc: dict[str, Any]
    raw: bytes
    zip: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @property
    def label(self) -> str:
        what = "下发包" if self.doc.get("kind") == KIND_DISPATCH else "报送包"
        return f"{what} {self.path.name}"

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Opened:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def file_chunks(self, sha256: str) -> Iterator[bytes]:
        """One file's bytes, never more than its declared size (checked against the manifest
        by open_transfer); the caller compares the hash."""
        return _chunks(self.zip, self.members[f"files/{sha256}"], self.label)


def _ours(exc: PackageError) -> TransferError:
    return exc if isinstance(exc, TransferError) else TransferError(str(exc), hint=exc.hint)


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Iterator[bytes]:
    """review.package's bounded member reader, its refusals as TransferError."""
    try:
        yield from member_chunks(zf, info, label)
    except PackageError as exc:
        raise _ours(exc) from None


def open_transfer(path: Path) -> Opened:
    """Open a file that is to be a 报送包: refused with the file named unless it is a ZIP that
    passes the review packages' checks (names, sizes, bombs), holds transfer.json of this
    format and schema and nothing but the files its manifest lists, each of the listed size."""
    path = Path(path)
    label = f"报送包 {path.name}"
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        raise TransferError(f"找不到报送包 {path}") from None
    except IsADirectoryError:
        raise TransferError(f"{path} 是文件夹，不是报送包") from None
    except OSError as exc:
        raise TransferError(f"无法读取 {path}: {exc.strerror or exc}") from None
    if not (head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")):
        raise TransferError(f"{path.name} 不是报送包（不是 ZIP 文件）")
    try:
        zf, members = open_package_zip(path, label)
    except PackageError as exc:
        raise _ours(exc) from None
    try:
        info = members.get(TRANSFER_JSON)
        if info is None:
            what = "（这是审核包）" if "package.json" in members else ""
            raise TransferError(f"{path.name} 不是报送包{what}：ZIP 中没有 {TRANSFER_JSON}")
        if info.file_size > MAX_JSON:
            raise TransferError(f"{label} 的 {TRANSFER_JSON} 超过 {MAX_JSON >> 20} MB，拒绝打开")
        raw = b"".join(_chunks(zf, info, label))
        doc = _parse(raw, label)
        strays = [n for n in members if n != TRANSFER_JSON and not _FILE_MEMBER.match(n)]
        if strays:
            raise TransferError(f"{label} 中有不属于报送包的文件 {strays[0]!r}，拒绝打开")
        listed = {f"files/{sha}": size for sha, size in doc["manifest"].items()}
        present = {n for n in members if n != TRANSFER_JSON}
        if extra := sorted(present - set(listed)):
            raise TransferError(f"{label} 中有清单之外的文件 {extra[0]}，拒绝使用此包")
        if missing := sorted(set(listed) - present):
            raise TransferError(f"{label} 缺少清单中的文件 {missing[0]}，拒绝使用此包")
        for name, size in listed.items():
            if members[name].file_size != size:
                raise TransferError(f"{label} 中的文件 {name} 大小与清单不符（文件被改动），"
                                    "拒绝使用此包")
    except BaseException:
        zf.close()
        raise
    return Opened(path, doc, raw, zf, members)


def _parse(raw: bytes, label: str) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TransferError(f"{label} 的 {TRANSFER_JSON} 不是 UTF-8 文本") from None
    except RecursionError:
        raise TransferError(f"{label} 的 {TRANSFER_JSON} 嵌套过深") from None
    except ValueError as exc:
        where = f"第 {exc.lineno} 行" if isinstance(exc, json.JSONDecodeError) else ""
        raise TransferError(f"{label} 的 {TRANSFER_JSON} {where}不是有效的 JSON") from None
    found = doc.get("format") if isinstance(doc, dict) else None
    if found != FORMAT:
        if isinstance(found, str) and found.startswith("zicha-transfer/"):
            raise TransferError(f"{label} 的版本 {found} 本程序不认识（只认 {FORMAT}）；"
                                "请升级 Zicha")
        raise TransferError(f"{label} 不是报送包（format 应为 {FORMAT}）")
    _validate(doc, label)
    return doc


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((resources.files("desktop.schema") / SCHEMA_NAME)
                                        .read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(schema())  # the schema is checked by the tests


def _validate(doc: dict[str, Any], label: str) -> None:
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "顶层"
        raise TransferError(f"{label} 内容有误（{where}: {error.message[:200]}）")
