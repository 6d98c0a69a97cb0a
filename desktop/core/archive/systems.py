"""The indicator systems (测评体系) an archive files under. The city system comes with
the archive (prefix ""); a bureau adds the systems evaluated with the city (同创同测:
未成年人思想道德建设, 文明村镇 …) from a YAML file it writes, or empty, and makes their
测评项目 from its task list ("新建测评项目") or one by one. Their codes carry the system's
prefix (W01, W01.02), so every code is unique in the archive and a material filed under
W01.02 is plainly of that system."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive, AuditLogger, add_system
from desktop.core.archive.kinds import NodeKind
from desktop.core.archive.models import (
    Filing,
    IndicatorNode,
    IndicatorSystemRecord,
    NegativeItem,
    Task,
    TaskList,
)
from desktop.core.common.errors import UnknownCode, ZichaError
from desktop.core.common.limits import quoted
from desktop.core.indicators.system import IndicatorSystem, load_system_file, system_label

PREFIX = re.compile(r"^[A-Z]{1,3}$")
MAX_CATEGORIES = 99  # two digits after the prefix


@dataclass(frozen=True)
class SystemView:
    id: str
    prefix: str  # "" for the city system
    name: str
    edition: str
    level: str
    weight: int | None  # per cent of the city's total
    source: str  # shipped / file / bureau
    categories: int
    items: int
    materials: int  # distinct materials filed in it

    @property
    def main(self) -> bool:
        return self.prefix == ""

    @property
    def label(self) -> str:
        return system_label(self.name, self.edition)

    @property
    def weight_text(self) -> str:
        return f"{self.weight}%" if self.weight is not None else ""

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "prefix": self.prefix, "name": self.name,
                "edition": self.edition, "level": self.level, "weight": self.weight,
                "source": self.source, "main": self.main, "categories": self.categories,
                "items": self.items, "materials": self.materials}


def _views(session: Session) -> list[SystemView]:
    records = session.scalars(select(IndicatorSystemRecord)
                              .order_by(IndicatorSystemRecord.position)).all()
    counts: dict[tuple[str, str], int] = {
        (system_id, kind): n for system_id, kind, n in session.execute(
            select(IndicatorNode.system_id, IndicatorNode.kind, func.count())
            .group_by(IndicatorNode.system_id, IndicatorNode.kind))}
    materials = dict(session.execute(
        select(IndicatorNode.system_id, func.count(func.distinct(Filing.material_id)))
        .join(Filing, Filing.node_code == IndicatorNode.code)
        .group_by(IndicatorNode.system_id)).all())
    return [SystemView(r.id, r.prefix, r.name, r.edition, r.level, r.weight, r.source,
                       counts.get((r.id, NodeKind.CATEGORY), 0),
                       counts.get((r.id, NodeKind.ITEM), 0), materials.get(r.id, 0))
            for r in records]


def systems(archive: Archive) -> list[SystemView]:
    """The archive's systems, the city system first."""
    with archive.read() as session:
        return _views(session)


def system_of(session: Session, ref: str) -> IndicatorSystemRecord:
    """A system by its id, its prefix or its name."""
    text = ref.strip()
    for record in session.scalars(select(IndicatorSystemRecord)
                                  .order_by(IndicatorSystemRecord.position)):
        if text in (record.id, record.name) or (record.prefix and text.upper() == record.prefix):
            return record
    known = "、".join(f"{r.prefix or '（无前缀）'} {r.name}" for r in
                     session.scalars(select(IndicatorSystemRecord)
                                     .order_by(IndicatorSystemRecord.position)))
    raise UnknownCode(f"档案中没有测评体系“{quoted(ref)}”；现有：{known}",
                      hint="用 zicha systems 查看本档案的测评体系")


def system_for_code(session: Session, code: str) -> IndicatorSystemRecord | None:
    node = session.get(IndicatorNode, code)
    return session.get(IndicatorSystemRecord, node.system_id) if node else None


def _check_prefix(session: Session, prefix: str) -> str:
    prefix = prefix.strip().upper()
    if not PREFIX.match(prefix):
        raise ZichaError(f"编号前缀“{quoted(prefix)}”不对：应为 1 到 3 个英文大写字母，如 W；"
                         "这个测评体系的编号将是 W01、W01.02 …")
    taken = session.scalars(select(IndicatorSystemRecord)
                            .where(IndicatorSystemRecord.prefix == prefix)).first()
    if taken is not None:
        raise ZichaError(f"编号前缀 {prefix} 已被测评体系“{taken.name}”使用；请换一个")
    return prefix


def _check_weight(weight: int | None) -> int | None:
    if weight is not None and not 0 <= weight <= 100:
        raise ZichaError(f"权重 {weight}% 不对：应为 0 到 100 之间的整数（百分比）")
    return weight


def _next_position(session: Session) -> int:
    return (session.scalar(select(func.max(IndicatorSystemRecord.position))) or 0) + 1


def add_system_file(archive: Archive, path: Path, *, prefix: str | None = None,
                    weight: int | None = None, actor: str | None = None) -> SystemView:
    """Add the system a bureau wrote as YAML (schema/indicator-system.schema.json): its
    测评项目 and 测评内容 under `prefix` (or the file's own), with `weight` (or the file's)."""
    path = Path(path)
    system = load_system_file(path)
    with archive.write(actor) as (session, log):
        if session.get(IndicatorSystemRecord, system.id) is not None:
            raise ZichaError(f"测评体系 {system.id}（{system.name}）已在档案中，没有再次添加")
        chosen = prefix if prefix is not None else system.prefix
        if not chosen:
            raise ZichaError(f"测评体系文件 {path.name} 没有写编号前缀（prefix），"
                             "请指定 1 到 3 个大写字母，如 W",
                             hint="加 --prefix W，或在文件中写 prefix: W")
        add_definition(session, log, system, prefix=chosen,
                       weight=weight if weight is not None else system.weight, source="file",
                       file=path.name)
        return next(v for v in _views(session) if v.id == system.id)


def add_definition(session: Session, log: AuditLogger, system: IndicatorSystem, *,
                   prefix: str, weight: int | None, source: str, file: str = ""
                   ) -> IndicatorSystemRecord:
    """Add a system (from a file, a bureau profile, or empty) within the caller's write."""
    prefix = _check_prefix(session, prefix)
    if session.get(IndicatorSystemRecord, system.id) is not None:
        raise ZichaError(f"测评体系编号 {system.id} 已被使用；请换一个编号前缀")
    same = session.scalars(select(IndicatorSystemRecord)
                           .where(IndicatorSystemRecord.name == system.name)).first()
    if same is not None:
        raise ZichaError(f"档案中已有测评体系“{system.name}”（编号前缀 {same.prefix or '无'}）")
    record = add_system(session, system, prefix=prefix, position=_next_position(session),
                        source=source, weight=_check_weight(weight))
    log("system.add", system.id, {"name": system.name, "prefix": prefix, "weight": weight,
                                  "edition": system.edition, "source": source, "file": file,
                                  "categories": len(system.categories),
                                  "items": len(system.items)})
    return record


def create_system(archive: Archive, name: str, *, prefix: str, weight: int | None = None,
                  edition: str = "", level: str = "", actor: str | None = None) -> SystemView:
    """Add an empty system, whose 测评项目 the bureau then makes from its task list or by
    hand."""
    name = " ".join(name.split())
    if not name:
        raise ZichaError("测评体系的名称不能为空，如“全国未成年人思想道德建设工作测评体系”")
    with archive.write(actor) as (session, log):
        system = IndicatorSystem(id=bureau_system_id(_check_prefix(session, prefix)),
                                 name=name, edition=edition.strip(), level=level.strip(),
                                 categories=())
        add_definition(session, log, system, prefix=prefix, weight=weight, source="bureau")
        return next(v for v in _views(session) if v.id == system.id)


def bureau_system_id(prefix: str) -> str:
    """The id of a system a bureau defines without giving one."""
    return f"bureau-{prefix.strip().lower()}"


_UNSET = object()


def edit_system(archive: Archive, ref: str, *, name: str | None = None,
                weight: int | None | object = _UNSET, actor: str | None = None
                ) -> dict[str, list[object]]:
    """Change a system's name (not the city system's) or weight; returns what changed."""
    with archive.write(actor) as (session, log):
        record = system_of(session, ref)
        changes: dict[str, list[object]] = {}
        if name is not None:
            name = " ".join(name.split())
            if not name:
                raise ZichaError("测评体系的名称不能为空")
            if record.prefix == "" and name != record.name:
                raise ZichaError(f"“{record.name}”是档案的主测评体系，"
                                 "名称来自测评体系文件，不能改名")
            if name != record.name:
                changes["name"] = [record.name, name]
                record.name = name
        if weight is not _UNSET:
            value = _check_weight(weight)  # type: ignore[arg-type]
            if value != record.weight:
                changes["weight"] = [record.weight, value]
                record.weight = value
        if changes:
            log("system.edit", record.id, changes)
        return changes


def remove_system(archive: Archive, ref: str, *, actor: str | None = None) -> SystemView:
    """Remove a system the bureau added, while nothing is filed, tasked or listed under it."""
    with archive.write(actor) as (session, log):
        record = system_of(session, ref)
        if record.prefix == "":
            raise ZichaError(f"“{record.name}”是档案的主测评体系，不能删除")
        view = next(v for v in _views(session) if v.id == record.id)
        codes = list(session.scalars(select(IndicatorNode.code)
                                     .where(IndicatorNode.system_id == record.id)))
        uses = [
            (view.materials, "份材料"),
            (session.scalar(select(func.count()).select_from(Task)
                            .where(Task.node_code.in_(codes))) or 0, "项任务"),
            (session.scalar(select(func.count()).select_from(NegativeItem)
                            .where(NegativeItem.node_code.in_(codes))) or 0, "项负面清单"),
            (session.scalar(select(func.count()).select_from(TaskList)
                            .where(TaskList.system_id == record.id)) or 0, "份任务清单"),
        ]
        used = "、".join(f"{n} {what}" for n, what in uses if n)
        if used:
            raise ZichaError(f"测评体系“{record.name}”中已有 {used}，不能删除；"
                             "先把材料改归其他测评内容、删除其任务后再删除")
        for code in sorted(codes, key=lambda c: "." not in c):  # items before categories
            session.delete(session.get(IndicatorNode, code))
            session.flush()
        session.delete(record)
        log("system.remove", record.id, {"name": record.name, "prefix": record.prefix})
        return view


def new_category(session: Session, log: AuditLogger, record: IndicatorSystemRecord,
                 name: str) -> IndicatorNode:
    """A new 测评项目 of a system the bureau added, numbered after its last one."""
    name = " ".join(name.split())
    if not name:
        raise ZichaError("测评项目的名称不能为空")
    if record.prefix == "":
        raise ZichaError(f"“{record.name}”的测评项目来自测评体系文件，不能新建；"
                         "新的测评项目只能建在本单位添加的测评体系中")
    existing = list(session.scalars(select(IndicatorNode).where(
        IndicatorNode.system_id == record.id, IndicatorNode.kind == NodeKind.CATEGORY)))
    same = next((n for n in existing if n.name == name), None)
    if same is not None:
        return same
    numbers = [int(n.code[len(record.prefix):]) for n in existing]
    number = max(numbers, default=0) + 1
    if number > MAX_CATEGORIES:
        raise ZichaError(f"测评体系“{record.name}”已有 {MAX_CATEGORIES} 个测评项目，不能再新建")
    node = IndicatorNode(code=f"{record.prefix}{number:02d}", system_id=record.id,
                         parent_code=None, kind=NodeKind.CATEGORY, name=name, criterion="",
                         position=len(existing), source="bureau")
    session.add(node)
    session.flush()
    log("category.add", node.code, {"name": name, "system": record.id})
    return node


def add_category(archive: Archive, ref: str, name: str, *, actor: str | None = None) -> str:
    """Add a 测评项目 to a system the bureau added; returns its code."""
    with archive.write(actor) as (session, log):
        return new_category(session, log, system_of(session, ref), name).code
