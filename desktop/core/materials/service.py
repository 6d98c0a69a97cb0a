"""Reading and editing materials (佐证材料)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import search
from desktop.core.archive.archive import Archive
from desktop.core.archive.items import resolve_targets
from desktop.core.archive.kinds import BONUS_LEVELS, MATERIAL_TYPES, ReviewState
from desktop.core.archive.models import Filing, IndicatorNode, Material
from desktop.core.archive.systems import system_of
from desktop.core.common.errors import ZichaError
from desktop.core.review import archival
from desktop.core.review.roster import department_named


@dataclass(frozen=True)
class FileInfo:
    filename: str
    sha256: str
    size: int
    kind: str
    mime: str
    page_count: int | None


@dataclass(frozen=True)
class MaterialView:
    id: int
    title: str
    doc_number: str
    material_date: str | None  # ISO date
    department: str
    material_type: str
    description: str
    caption: dict[str, str]
    state: str
    items: list[str]
    files: list[FileInfo] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    created_by: str = ""
    # 创新特色 / 加分: {"level": 国家级/省级/市级 or "", "issuer", "date": ISO or None}
    bonus: dict[str, str | None] | None = None
    uid: str = ""  # global id, the same in every archive the material is transferred to
    # {"archive", "id"}: where it was made, when brought from another archive; else None
    origin: dict[str, Any] | None = None
    # 档号 in force (全宗号-年度-保管期限-件号, review/archival.py), None before 终审通过
    archival_number: str | None = None

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def page_count(self) -> int | None:
        pages = [f.page_count for f in self.files if f.page_count]
        return sum(pages) if pages else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["size"] = self.size
        data["page_count"] = self.page_count
        return data


# a photo's caption (图片说明), as the 测评 asks it: 时间、地点、人物、主题、背景、事由
CAPTION_KEYS = {"时间": "caption_time", "地点": "caption_place", "人物": "caption_people",
                "主题": "caption_subject", "背景": "caption_background",
                "事由": "caption_reason"}


def view_of(m: Material, archival_number: str | None = None) -> MaterialView:
    return MaterialView(
        id=m.id,
        title=m.title,
        doc_number=m.doc_number,
        material_date=m.material_date.isoformat() if m.material_date else None,
        department=m.department.name if m.department else "",
        material_type=m.material_type,
        description=m.description,
        caption={k: getattr(m, attr) for k, attr in CAPTION_KEYS.items()},
        state=str(m.state),
        items=m.codes,
        files=[FileInfo(f.filename, f.sha256, f.blob.size, f.blob.kind, f.blob.mime,
                        f.blob.page_count) for f in m.files],
        created_at=m.created_at.isoformat(timespec="seconds"),
        updated_at=m.updated_at.isoformat(timespec="seconds"),
        created_by=m.created_by,
        bonus=m.bonus_facts,
        uid=m.uid,
        origin={"archive": m.origin_archive, "id": m.origin_id} if m.origin_archive else None,
        archival_number=archival_number,
    )


def _views(session: Session, materials: Sequence[Material]) -> list[MaterialView]:
    """Views of these materials, each with its 档号 in force."""
    numbers = archival.numbers_of(session, None if len(materials) > 500
                                  else [m.id for m in materials])
    return [view_of(m, c.text if (c := numbers.get(m.id)) else None) for m in materials]


def list_materials(archive: Archive, *, code: str | None = None,
                   state: str | None = None, bonus: bool = False,
                   system: str | None = None) -> list[MaterialView]:
    """Materials filed under `code` (a category includes its items), optionally in one state;
    with `bonus` only those marked as 创新特色 / 加分 evidence; with `system` (a 测评体系 by id,
    prefix or name, never a node code) only those filed anywhere in that system."""
    with archive.read() as session:
        query = select(Material).order_by(Material.id)
        if bonus:
            query = query.where(Material.bonus.is_(True))
        if system is not None:
            record = system_of(session, system)
            query = query.where(Material.id.in_(
                select(Filing.material_id)
                .join(IndicatorNode, IndicatorNode.code == Filing.node_code)
                .where(IndicatorNode.system_id == record.id)))
        if code:
            node = session.get(IndicatorNode, code)
            if node is None:
                raise ZichaError(f"未知的测评内容编号 {code}",
                                 hint="用 zicha items 查看本档案的编号")
            codes = [code] + list(session.scalars(
                select(IndicatorNode.code).where(IndicatorNode.parent_code == code)))
            query = query.where(
                Material.id.in_(select(Filing.material_id).where(Filing.node_code.in_(codes))))
        if state:
            try:
                ReviewState(state)
            except ValueError:
                allowed = "、".join(s.value for s in ReviewState)
                raise ZichaError(f"未知的审核状态 {state}；可用: {allowed}") from None
            query = query.where(Material.state == state)
        return _views(session, list(session.scalars(query).unique()))


def count_materials(archive: Archive) -> int:
    with archive.read() as session:
        return int(session.scalar(select(func.count()).select_from(Material)) or 0)


def get_materials(archive: Archive, material_ids: Sequence[int]) -> list[MaterialView]:
    """The materials that still exist among these ids, in id order."""
    with archive.read() as session:
        return _views(session, list(session.scalars(
            select(Material).where(Material.id.in_(list(material_ids))).order_by(Material.id))))


def get_material(archive: Archive, material_id: int) -> MaterialView:
    with archive.read() as session:
        material = session.get(Material, material_id)
        if material is None:
            raise ZichaError(f"没有编号为 {material_id} 的材料")
        return _views(session, [material])[0]


# -- 待完善: what a material still lacks -------------------------------------------------------

# the fields the 待完善 filter checks, in display order, with their labels
INCOMPLETE_FIELDS = {"title": "材料名称", "material_date": "日期", "material_type": "材料类型",
                     "department": "责任单位"}
_NUMBER_LIKE = re.compile(r"[\d\s._\-()（）]+")
# names that cameras, scanners, chat apps and "new file" menus give: not a name anyone chose
_GENERATED_NAME = re.compile(
    r"[A-Za-z]{0,12}[\s_\-]*\d[A-Za-z0-9\s_\-.()]*|新建.*|"
    r"(微信图片|未命名|扫描件|扫描|图片|照片|文档|副本|截图|屏幕截图|mmexport|IMG|DSC|"
    r"Screenshot|scan|doc|document)[A-Za-z0-9\s_\-.()（）]*", re.IGNORECASE)


def incomplete_fields(view: MaterialView) -> list[str]:
    """Keys of INCOMPLETE_FIELDS that `view` still lacks, in that order: a title that is empty,
    a bare number, or one of its files' generated names (IMG_0001, 扫描件3, 1); no date;
    the type 其他; no department. A title equal to a file's chosen name ("工作方案") is kept."""
    return missing_fields(view.title, bool(view.material_date), view.material_type,
                          bool(view.department), [f.filename for f in view.files])


def title_weakness(title: str) -> str:
    """Whether a title counts as missing: "missing" (empty, a bare number), "if-a-file-name"
    (a generated name such as IMG_0001: missing when it is one of the material's file names)
    or "" (a title someone chose)."""
    title = title.strip()
    if not title or _NUMBER_LIKE.fullmatch(title):
        return "missing"
    return "if-a-file-name" if _GENERATED_NAME.fullmatch(title) else ""


def missing_fields(title: str, dated: bool, material_type: str, has_department: bool,
                   filenames: Sequence[str]) -> list[str]:
    """incomplete_fields of a material given as its plain fields (the table's light rows)."""
    missing = []
    weak = title_weakness(title)
    if weak == "missing" or (weak == "if-a-file-name" and title.strip() in {
            PurePath(name).stem.strip() for name in filenames}):
        missing.append("title")
    if not dated:
        missing.append("material_date")
    if material_type == "其他":
        missing.append("material_type")
    if not has_department:
        missing.append("department")
    return missing


def list_incomplete(archive: Archive, *, code: str | None = None,
                    state: str | None = None) -> list[MaterialView]:
    """The 待完善 filter: list_materials(code, state) limited to materials that still lack a
    title, date, type or department (see incomplete_fields)."""
    return [v for v in list_materials(archive, code=code, state=state) if incomplete_fields(v)]


EDITABLE = {"title", "doc_number", "material_date", "department", "material_type",
            "description", "caption", "items", "bonus"}


def update_material(archive: Archive, material_id: int, changes: dict[str, Any], *,
                    actor: str | None = None) -> MaterialView:
    """Apply metadata changes; records old and new values in the audit log."""
    return update_materials(archive, [material_id], changes, actor=actor)[0]


def update_materials(archive: Archive, material_ids: Sequence[int], changes: dict[str, Any], *,
                     actor: str | None = None) -> list[MaterialView]:
    """The same metadata changes on several materials, all or none: one transaction, one audit
    entry per material that really changed."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ZichaError(f"不能修改的字段: {', '.join(sorted(unknown))}")
    if not material_ids:
        raise ZichaError("没有选择材料")
    views = []
    with archive.write(actor) as (session, log):
        changed: list[int] = []
        for material_id in dict.fromkeys(material_ids):
            m = session.get(Material, material_id)
            if m is None:
                raise ZichaError(f"没有编号为 {material_id} 的材料")
            if m.state == ReviewState.FINAL_APPROVED:
                raise ZichaError(f"材料 {material_id} 已终审通过，不能再修改")
            if m.state not in (ReviewState.DRAFT, ReviewState.RETURNED):
                # the reviewers signed this metadata: change it only after it is returned
                raise ZichaError(f"材料 {material_id} 正在审核中，退回后才能修改")
            before = view_of(m)
            for key, value in changes.items():
                _apply(session, m, key, value)
            after = view_of(m)
            diff: dict[str, Any] = {}
            for key in changes:
                old, new = _field(before, key), _field(after, key)
                if old != new:
                    diff[key] = {"old": old, "new": new}
            if diff:
                m.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                log("material.update", f"material:{material_id}", diff)
                changed.append(material_id)
            views.append(m)
        if changed:
            search.refresh(archive, session, changed)
        return [view_of(m) for m in views]


DELETABLE = (ReviewState.DRAFT, ReviewState.RETURNED)


def delete_material(archive: Archive, material_id: int, *, actor: str | None = None) -> None:
    """Remove a draft (or returned) material. Its files stay in the store and the audit log
    keeps what it was, so a deletion can be traced."""
    delete_materials(archive, [material_id], actor=actor)


def delete_materials(archive: Archive, material_ids: Sequence[int], *,
                     actor: str | None = None) -> None:
    """Delete several drafts, all or none; one audit entry per material."""
    if not material_ids:
        raise ZichaError("没有选择材料")
    with archive.write(actor) as (session, log):
        for material_id in dict.fromkeys(material_ids):
            m = session.get(Material, material_id)
            if m is None:
                raise ZichaError(f"没有编号为 {material_id} 的材料")
            if m.state not in DELETABLE:
                raise ZichaError(f"材料 {material_id} 已提交审核（{_state_text(m.state)}），"
                                 "不能删除")
            before = view_of(m)
            archival.material_deleted(session, log, m, "材料已删除")
            search.drop(archive, session, [material_id])
            session.delete(m)
            log("material.delete", f"material:{material_id}", before.to_json())


def _state_text(state: str) -> str:
    from desktop.core.review.workflow import STATE_LABELS

    try:
        return STATE_LABELS[ReviewState(state)]
    except ValueError:
        return str(state)


def _field(view: MaterialView, key: str) -> Any:
    return view.caption if key == "caption" else getattr(view, key)


def _apply(session: Session, m: Material, key: str, value: Any) -> None:
    if key == "title":
        if not str(value).strip():
            raise ZichaError("材料名称不能为空")
        m.title = str(value).strip()
    elif key == "doc_number":
        m.doc_number = str(value or "").strip()
    elif key == "material_date":
        m.material_date = _parse_date(value)
    elif key == "department":
        m.department = department_named(session, value) if value and value.strip() else None
    elif key == "material_type":
        if value not in MATERIAL_TYPES:
            raise ZichaError(f"材料类型 {value} 不在 {'、'.join(MATERIAL_TYPES)} 之中")
        m.material_type = value
    elif key == "description":
        m.description = str(value or "")
    elif key == "caption":
        for k, v in dict(value).items():
            if k not in CAPTION_KEYS:
                raise ZichaError(f"图片说明只有 {'、'.join(CAPTION_KEYS)}，没有 {k}")
            setattr(m, CAPTION_KEYS[k], str(v or "").strip())
    elif key == "items":
        codes = resolve_targets(session, list(value))
        m.filings = [f for f in m.filings if f.node_code in codes]
        have = {f.node_code for f in m.filings}
        m.filings.extend(Filing(node_code=c) for c in codes if c not in have)
    elif key == "bonus":
        _apply_bonus(m, value)


def _apply_bonus(m: Material, value: Any) -> None:
    """Mark (a dict of level, issuer, date, each optional; True for the bare mark) or clear
    (None / False) the material's 创新特色 / 加分 mark."""
    if value is None or value is False:
        m.bonus, m.bonus_level, m.bonus_issuer, m.bonus_date = False, "", "", None
        return
    if value is True:
        value = {}
    if not isinstance(value, dict):
        raise ZichaError("创新特色（加分）应写明级别、发文单位和日期（均可留空）")
    unknown = set(value) - {"level", "issuer", "date"}
    if unknown:
        raise ZichaError("创新特色（加分）只有级别、发文单位和日期，"
                         f"没有 {'、'.join(sorted(unknown))}")
    level = normalize_bonus_level(value.get("level"))
    day = _parse_date(value.get("date"))
    m.bonus, m.bonus_level = True, level
    m.bonus_issuer = str(value.get("issuer") or "").strip()
    m.bonus_date = day


def normalize_bonus_level(value: Any) -> str:
    """国家级 / 省级 / 市级 from what a person writes (国家, 省, 省级以上 …); "" for none."""
    text = str(value or "").strip()
    if not text:
        return ""
    for level in BONUS_LEVELS:
        if text in (level, level.removesuffix("级")) or text == level + "以上":
            return level
    raise ZichaError(f"创新特色（加分）的级别 {text} 不是 {'、'.join(BONUS_LEVELS)} 之一；"
                     "不知道级别时请留空")


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ZichaError(f"日期 {value} 格式不对；请写成 2024-06-30") from None
