"""Checks both sides make of a package that arrived, before anything is written: that it comes
in order (not applied before, not older than what was applied, nothing it builds on missing)
and that a material's signed review chain is whole and signed with this roster's keys."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive.models import Person, TransferIn
from desktop.core.review import decisions, keys, roster, workflow
from desktop.core.transfer.package import KIND_DISPATCH, TransferError, signed_bytes

# what each kind of package is called
KIND_NAMES = {"report": "报送包", "dispatch": "下发包"}


def check_signer(session: Session, doc: dict[str, Any], label: str) -> workflow.Actor:
    """The package's sender: on this roster, the whole-file signature made with their key
    here, the listed key theirs, in post. What they may send is the caller's to check."""
    who = "签发人" if doc["kind"] == KIND_DISPATCH else "报送人"
    name = doc["sender"]["name"]
    person = session.scalars(select(Person).where(Person.name == name)).first()
    if person is None:
        raise TransferError(f"{label} 的{who} {name} 不在本档案名册中；整包拒绝，未应用任何内容")
    if not keys.verify(person.public_key, signed_bytes(doc), doc["signature"]):
        raise TransferError(f"{label} 的整体签名无效：不是名册中 {name} 的密钥所签，或签名后被"
                            "改动；整包拒绝，未应用任何内容")
    if doc["sender"]["public_key"] != person.public_key:
        raise TransferError(f"{label} 所列公钥与名册中 {name} 的公钥不符；整包拒绝")
    actor = roster.as_actor(person)
    if actor.retired:
        raise TransferError(f"{label} 的{who} {name} 已停用；整包拒绝，未应用任何内容")
    return actor


def check_order(session: Session, doc: dict[str, Any], label: str) -> None:
    kind = doc["kind"]
    what = KIND_NAMES[kind]
    done = session.get(TransferIn, doc["package_id"])
    if done is not None:
        raise TransferError(f"{label} 已应用过（{done.applied_at[:19]} 由 {done.applied_by} "
                            f"应用，{done.department} 第 {done.seq} 号）；没有再次应用")
    seq, source = doc["seq"], doc["from"]
    sender = source["name"] or source["department"] if kind == KIND_DISPATCH \
        else source["department"]
    last = session.scalar(select(func.max(TransferIn.seq)).where(
        TransferIn.from_archive == source["archive"], TransferIn.kind == kind)) or 0
    if seq <= last:
        raise TransferError(f"{label} 是{sender}第 {seq} 号{what}，已过期：本档案已应用了它的"
                            f"第 {last} 号；未应用任何内容",
                            hint="请对方重新下发（zicha transfer dispatch）"
                            if kind == KIND_DISPATCH else "请对方重新报送（zicha transfer export）")
    needed = max(doc["since"], doc["base"]) if kind != KIND_DISPATCH else doc["since"]
    if needed > last:
        missing = "、".join(str(n) for n in range(last + 1, needed + 1))
        raise TransferError(f"{label} 是{sender}第 {seq} 号{what}，接在第 {needed} 号之后；"
                            f"本档案还缺第 {missing} 号（只应用到第 {last} 号）：请先应用缺少的"
                            f"{what}；未应用任何内容",
                            hint="或请对方用 zicha transfer dispatch --all 重新下发全部内容"
                            if kind == KIND_DISPATCH else
                            "或请对方用 zicha transfer export --resend 重新报送回执以来的改动，"
                            "或用 --all 报送全部内容")


def check_chain(entry: dict[str, Any], roster_keys: dict[str, str], where: str) -> None:
    """`entry`'s decisions (oldest first): each payload canonical and hashed, chained, naming
    the material's origin, of a round it has reached, signed with `roster_keys`' key of its
    reviewer."""
    prev = decisions.GENESIS
    origin = entry["origin"]
    for n, d in enumerate(entry["decisions"], 1):
        body = d["payload"].encode("utf-8")
        try:
            data = json.loads(body)
            ok = (hashlib.sha256(body).hexdigest() == d["hash"]
                  and decisions.canonical(data) == body
                  and data["format"] in decisions.FORMATS and data["prev"] == prev
                  and data["material"]["archive"] == origin["archive"]
                  and data["material"]["id"] == origin["id"]
                  and isinstance(data["round"], int) and data["round"] <= entry["review_round"]
                  and data["stage"] in decisions.STAGE_NAMES)
            name, key = data["reviewer"]["name"], data["reviewer"]["public_key"]
        except (ValueError, KeyError, TypeError):
            ok, name, key = False, "", ""
        if not ok:
            raise TransferError(f"{where} 的第 {n} 条审核记录无法验证（被改动或审核链断开）；"
                                "整包拒绝，未应用任何内容")
        if roster_keys.get(name) != key:
            raise TransferError(f"{where} 的第 {n} 条审核记录的审核人 {name} 不在本档案名册中，"
                                "或其公钥与名册不符；请先在名册中登记此人（与报送单位相同的密钥）"
                                "；整包拒绝，未应用任何内容")
        if not keys.verify(key, body, d["signature"]):
            raise TransferError(f"{where} 的第 {n} 条审核记录签名无效（{name}）；整包拒绝，"
                                "未应用任何内容")
        prev = d["hash"]
