"""The archive's indicator tree: 测评项目 from the system, 测评内容 added by the bureau, and
the clerk's 结论性说明 of each 测评内容."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import NodeKind
from desktop.core.archive.models import Filing, IndicatorNode, IndicatorSystemRecord, ItemConclusion
from desktop.core.common.errors import UnknownCode, ZichaError

# a system's prefix (none for the city system), two digits, then the item's own part
CATEGORY_CODE = re.compile(r"^[A-Z]{0,3}\d{2}$")
ITEM_CODE = re.compile(r"^([A-Z]{0,3}\d{2})\.[0-9A-Z]{2,4}$")


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    kind: NodeKind
    parent_code: str | None
    criterion: str
    material_count: int  # distinct materials filed here (for a category: here or in its items)
    system_id: str = ""


def nodes(archive: Archive) -> list[Node]:
    """Categories and items in tree order (system by system, the city system first), with
    their material counts."""
    with archive.read() as session:
        rows = session.scalars(
            select(IndicatorNode).order_by(IndicatorNode.kind, IndicatorNode.code)
        ).all()
        direct = dict(
            session.execute(select(Filing.node_code, func.count()).group_by(Filing.node_code)).all()
        )
        # a material filed under two 测评内容 of one 测评项目 counts once there: one aggregate
        # statement, not every filing read into Python
        category = func.coalesce(IndicatorNode.parent_code, IndicatorNode.code)
        per_category = dict(session.execute(
            select(category, func.count(func.distinct(Filing.material_id)))
            .join(IndicatorNode, IndicatorNode.code == Filing.node_code)
            .group_by(category)).all())
        order = dict(session.execute(select(IndicatorSystemRecord.id,
                                            IndicatorSystemRecord.position)).all())
    result = []
    for r in sorted(rows, key=lambda r: (order.get(r.system_id, 0), r.code)):
        count = (per_category.get(r.code, 0) if r.kind == NodeKind.CATEGORY
                 else direct.get(r.code, 0))
        result.append(Node(r.code, r.name, NodeKind(r.kind), r.parent_code, r.criterion, count,
                           r.system_id))
    return result


def resolve_targets(session: Session, codes: list[str]) -> list[str]:
    """Check codes a material is to be filed under. A 测评项目 code is accepted only while the
    bureau has defined no 测评内容 under it."""
    if not codes:
        raise ZichaError("至少要指定一个测评内容编号（例如 01.02）")
    resolved: list[str] = []
    for code in codes:
        code = code.strip()
        node = session.get(IndicatorNode, code)
        if node is None:
            raise UnknownCode(f"未知的测评内容编号 {code}", hint="用 zicha items 查看本档案的编号")
        if node.kind == NodeKind.CATEGORY:
            first = session.scalars(
                select(IndicatorNode.code).where(IndicatorNode.parent_code == code)
                .order_by(IndicatorNode.code).limit(1)
            ).first()
            if first is not None:
                raise UnknownCode(
                    f"测评项目 {code} 下已有测评内容（如 {first}），"
                    "请指定测评内容编号而不是项目编号"
                )
        if code not in resolved:
            resolved.append(code)
    return resolved


def add_item(archive: Archive, code: str, name: str, criterion: str = "", *,
             source: str = "manual", actor: str | None = None) -> None:
    match = ITEM_CODE.match(code)
    if not match:
        raise ZichaError(f"测评内容编号 {code} 格式不对；应为 测评项目编号.序号，例如 01.02"
                         "（其他测评体系的编号带字母前缀，如 W01.02）")
    name = name.strip()
    if not name:
        raise ZichaError(f"测评内容 {code} 缺少名称")
    with archive.write(actor) as (session, log):
        parent = session.get(IndicatorNode, match.group(1))
        if parent is None or parent.kind != NodeKind.CATEGORY:
            raise UnknownCode(f"测评内容 {code} 所属的测评项目 {match.group(1)} 不存在")
        if session.get(IndicatorNode, code) is not None:
            raise ZichaError(f"测评内容 {code} 已存在")
        position = session.scalar(
            select(func.count()).select_from(IndicatorNode)
            .where(IndicatorNode.parent_code == parent.code)
        ) or 0
        session.add(IndicatorNode(code=code, system_id=parent.system_id,
                                  parent_code=parent.code, kind=NodeKind.ITEM,
                                  name=name, criterion=criterion, position=position,
                                  source=source))
        log("item.add", code, {"name": name, "criterion": criterion, "source": source})


def rename_item(archive: Archive, code: str, name: str, criterion: str | None = None, *,
                actor: str | None = None) -> None:
    """Rename a 测评内容 (and, given `criterion`, change its 测评标准). 测评项目 keep the names
    of the indicator system, except those the bureau made itself (新建测评项目)."""
    code = code.strip()
    name = name.strip()
    if not name:
        raise ZichaError(f"测评内容 {code} 的名称不能为空")
    with archive.write(actor) as (session, log):
        node = session.get(IndicatorNode, code)
        if node is None:
            raise UnknownCode(f"未知的测评内容编号 {code}")
        if node.kind != NodeKind.ITEM and node.source != "bureau":
            raise ZichaError(f"{code} {node.name} 是测评项目，名称来自测评体系，不能改名")
        changes: dict[str, list[str]] = {}
        if node.name != name:
            changes["name"] = [node.name, name]
            node.name = name
        if criterion is not None and node.criterion != criterion:
            changes["criterion"] = [node.criterion, criterion]
            node.criterion = criterion
        if changes:
            log("item.rename", code, changes)


# -- 结论性说明 ------------------------------------------------------------------------------

MAX_CONCLUSION = 2000  # characters: the form has room for a few paragraphs, not a report


@dataclass(frozen=True)
class Conclusion:
    code: str
    text: str  # "" when none is written
    written_by: str = ""
    written_at: dt.datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "text": self.text, "written_by": self.written_by,
                "written_at": self.written_at.isoformat(timespec="seconds")
                if self.written_at else None}


def conclusions(session: Session) -> dict[str, Conclusion]:
    """Every 测评内容's 结论性说明, by code."""
    return {c.code: Conclusion(c.code, c.text, c.written_by, c.written_at)
            for c in session.scalars(select(ItemConclusion))}


def conclusion(archive: Archive, code: str) -> Conclusion:
    with archive.read() as session:
        _item(session, code.strip())
        return conclusions(session).get(code.strip(), Conclusion(code.strip(), ""))


def _item(session: Session, code: str) -> IndicatorNode:
    node = session.get(IndicatorNode, code)
    if node is None:
        raise UnknownCode(f"未知的测评内容编号 {code}", hint="用 zicha items 查看本档案的编号")
    if node.kind != NodeKind.ITEM:
        raise ZichaError(f"{code} {node.name} 是测评项目；结论性说明写在测评内容上（如 {code}.01）")
    return node


def set_conclusion(archive: Archive, code: str, text: str, *, actor: str) -> Conclusion:
    """Write (or, with empty `text`, remove) the 结论性说明 of 测评内容 `code`, by `actor` (its
    填表人 in the 提交表). One audit entry `item.conclusion` with the text before and after."""
    code, text = code.strip(), text.strip()
    if not actor.strip():
        raise ZichaError("请说明是谁写的结论性说明（填表人）", hint="用 --as 姓名")
    if len(text) > MAX_CONCLUSION:
        raise ZichaError(f"结论性说明有 {len(text)} 字，超过 {MAX_CONCLUSION} 字；请写得简短些，"
                         "详细情况可作为一份“情况说明”材料归档")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with archive.write(actor) as (session, log):
        node = _item(session, code)
        row = session.get(ItemConclusion, code)
        before = row.text if row else ""
        if before == text:
            return Conclusion(code, text, row.written_by if row else "",
                              row.written_at if row else None)
        if not text:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ItemConclusion(code=code, text=text, written_by=actor, written_at=now))
        else:
            row.text, row.written_by, row.written_at = text, actor, now
        log("item.conclusion", code, {"name": node.name, "before": before, "after": text})
    return Conclusion(code, text, actor if text else "", now if text else None)
