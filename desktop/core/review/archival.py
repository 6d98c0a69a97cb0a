"""档号 (DA/T 13-2022) and its register: the number a material gets when it reaches 终审通过.

A 档号 here is 全宗号-年度-保管期限-件号, e.g. ``Z001-2024-D30-0007``:
- 全宗号 (fonds) is the bureau's, set by the admin (``zicha archival set``, or the bureau
  profile's ``archival`` section); until it is set no numbers are given;
- 年度 is the year of the material's date (the year it was formed), else the year it was
  approved;
- 保管期限 is Y (永久), D30 (定期30年) or D10 (定期10年): the rule of the 测评项目 it is filed
  under, else the default (a material filed under several 测评项目 takes the longest);
- 件号 is four digits, counted from 0001 in each 全宗号 + 年度 + 保管期限 sequence.

Every path that makes a material finally approved (a signed decision taken here or applied
from a decisions file, a 报送包 merged, a 下发包 received, a conflict settled) calls
after_state_change() in its own transaction; the write lane (a folder lock on SQLite, an
advisory lock on PostgreSQL) serialises writers, so the next 件号 is always max + 1. A number
is never given twice and never changed: a material keeps it when it is returned and approved
again; when a numbered material is deleted, or an admin withdraws its number, the register
keeps the line marked withdrawn (when, by whom, why), so a sequence still has no gaps.

The 档号 is not part of what reviewers sign (it is given after they sign)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive.kinds import Role
from desktop.core.archive.models import (
    ArchivalNumber,
    ArchiveInfo,
    Decision,
    IndicatorNode,
    Material,
    Person,
)
from desktop.core.common.errors import ZichaError
from desktop.core.review.archival_code import (  # noqa: F401 - re-exported
    CODE,
    RETENTIONS,
    ArchivalCode,
    gaps,
    parse_code,
)
from desktop.core.review.roster import as_actor

if TYPE_CHECKING:
    from desktop.core.archive.archive import Archive, AuditLogger

RULES_KEY = "archival_rules"
FINAL = "final_approved"
DEFAULT_RETENTION = "D30"
FONDS = re.compile(r"^[0-9A-Za-z]{1,16}$")
MAX_PIECE = 9999  # 件号 has four digits
BEIJING = dt.timezone(dt.timedelta(hours=8))


def code_of(row: ArchivalNumber) -> ArchivalCode:
    """The 档号 of a register row."""
    return ArchivalCode(row.fonds, row.year, row.retention, row.piece)


class ArchivalError(ZichaError):
    """A 档号 rule or register operation refused; the message names what and why."""


@dataclass(frozen=True)
class ArchivalRules:
    """The bureau's 档号 rules: its 全宗号 ("" until the archive gives one: no numbering), the
    default 保管期限 and a 保管期限 per 测评项目 code where it differs."""

    fonds: str = ""
    retention: str = DEFAULT_RETENTION
    categories: dict[str, str] = field(default_factory=dict)

    @property
    def numbering(self) -> bool:
        return bool(self.fonds)

    def retention_for(self, categories: Iterable[str]) -> str:
        """The 保管期限 of a material filed under these 测评项目: the longest of their rules,
        the default where none has one."""
        found = {self.categories.get(c, self.retention) for c in categories} or {self.retention}
        return next(code for code in RETENTIONS if code in found)

    def to_json(self) -> dict[str, Any]:
        return {"fonds": self.fonds, "retention": self.retention,
                "categories": dict(sorted(self.categories.items()))}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArchivalRules:
        return cls(fonds=str(data.get("fonds") or ""),
                   retention=str(data.get("retention") or DEFAULT_RETENTION),
                   categories={str(k): str(v) for k, v in (data.get("categories") or {}).items()})


@dataclass(frozen=True)
class RegisterLine:
    """One line of the register, as data (for `zicha archival register` and the export)."""

    code: ArchivalCode
    material_id: int | None
    material_uid: str
    title: str
    assigned_at: str
    assigned_by: str
    withdrawn_at: str | None
    withdrawn_by: str
    withdrawn_reason: str

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def to_json(self) -> dict[str, Any]:
        return {**self.code.to_json(), "material": self.material_id,
                "material_uid": self.material_uid, "title": self.title,
                "assigned_at": self.assigned_at, "assigned_by": self.assigned_by,
                "withdrawn": None if self.withdrawn_at is None else {
                    "at": self.withdrawn_at, "by": self.withdrawn_by,
                    "reason": self.withdrawn_reason}}


def _iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.isoformat(timespec="seconds") + "Z"


def _line(row: ArchivalNumber) -> RegisterLine:
    return RegisterLine(code_of(row), row.material_id, row.material_uid, row.title,
                        _iso(row.assigned_at) or "", row.assigned_by, _iso(row.withdrawn_at),
                        row.withdrawn_by, row.withdrawn_reason)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


# -- the rules ---------------------------------------------------------------------------------

def rules_in(session: Session) -> ArchivalRules:
    row = session.get(ArchiveInfo, RULES_KEY)
    return ArchivalRules.from_json(json.loads(row.value)) if row is not None else ArchivalRules()


def archival_rules(archive: Archive) -> ArchivalRules:
    with archive.read() as session:
        return rules_in(session)


def check_rules(rules: ArchivalRules, categories: Iterable[str] | None = None,
                where: str = "") -> None:
    """Refuse rules that could not number anything right, saying what is wrong and how to
    write it. `categories`: the archive's 测评项目 codes, when known."""
    at = f"{where}：" if where else ""
    if rules.fonds and not FONDS.match(rules.fonds):
        raise ArchivalError(f"{at}全宗号“{rules.fonds}”不合规：只能由 1 至 16 个字母或数字组成"
                            "（不含“-”与空格），例如 Z001")
    codes = "、".join(f"{c}（{n}）" for c, n in RETENTIONS.items())
    for code in (rules.retention, *rules.categories.values()):
        if code not in RETENTIONS:
            raise ArchivalError(f"{at}保管期限“{code}”不是可用的代码；可用：{codes}")
    if categories is not None:
        known = set(categories)
        for code in rules.categories:
            if code not in known:
                raise ArchivalError(f"{at}没有编号为 {code} 的测评项目，不能为它设保管期限；"
                                    "保管期限按测评项目（如 01）设置")


@dataclass
class RulesSaved:
    rules: ArchivalRules
    numbered: list[tuple[int, str]] = field(default_factory=list)  # (material, 档号) given now

    def to_json(self) -> dict[str, Any]:
        return {**self.rules.to_json(),
                "numbered": [{"id": i, "archival_number": c} for i, c in self.numbered]}


def _may_set(session: Session, actor: str) -> None:
    admins = [p.name for p in session.scalars(select(Person))
              if as_actor(p).may(Role.ADMIN, None)]
    if admins and actor not in admins:
        raise ArchivalError(f"只有管理员可以设置档号规则或撤销档号（{actor} 不是在岗的管理员）",
                            hint="用 --as 写明管理员")


def set_rules(archive: Archive, rules: ArchivalRules, *, actor: str) -> RulesSaved:
    """Save the archive's 档号 rules (an admin, once the roster has one). When numbering is on,
    every final-approved material that has never had a number gets one now, in the order it was
    finally approved, in the same transaction."""
    with archive.write(actor) as (session, log):
        return save_rules_in(session, log, rules, actor=actor)


def save_rules_in(session: Session, log: AuditLogger, rules: ArchivalRules, *, actor: str,
                  check_actor: bool = True) -> RulesSaved:
    if check_actor:
        _may_set(session, actor)
    categories = session.scalars(select(IndicatorNode.code)
                                 .where(IndicatorNode.parent_code.is_(None)))
    check_rules(rules, list(categories))
    value = json.dumps(rules.to_json(), ensure_ascii=False, sort_keys=True)
    row = session.get(ArchiveInfo, RULES_KEY)
    saved = RulesSaved(rules)
    if row is None or row.value != value:
        if row is None:
            session.add(ArchiveInfo(key=RULES_KEY, value=value))
        else:
            row.value = value
        log("archival.rules", "archive", rules.to_json())
        session.flush()
    if rules.numbering:
        saved.numbered = _number_backlog(session, log, rules, actor)
    return saved


def _number_backlog(session: Session, log: AuditLogger, rules: ArchivalRules,
                    actor: str) -> list[tuple[int, str]]:
    """Number the final-approved materials that never had a number (those approved before the
    全宗号 was set), in the order of their last decision."""
    had = select(ArchivalNumber.material_id).where(ArchivalNumber.material_id.is_not(None))
    waiting = list(session.scalars(select(Material).where(Material.state == FINAL,
                                                          Material.id.not_in(had))))
    last = dict(session.execute(select(Decision.material_id, func.max(Decision.decided_at))
                                .group_by(Decision.material_id)).all())
    waiting.sort(key=lambda m: (last.get(m.id) or "", m.id))
    return [(m.id, _assign(session, log, m, rules, actor).text) for m in waiting]


# -- giving and withdrawing numbers ----------------------------------------------------------------

def active_row(session: Session, material_id: int) -> ArchivalNumber | None:
    return session.scalars(select(ArchivalNumber).where(
        ArchivalNumber.material_id == material_id, ArchivalNumber.withdrawn_at.is_(None))).first()


def after_state_change(session: Session, log: AuditLogger, m: Material,
                       before: str | None) -> ArchivalCode | None:
    """The one hook every path that changes a material's review state calls, in its own
    transaction, after the change is checked: a material that has just become finally approved
    gets its 档号 (when the archive numbers, and it has none in force). Returns the number
    given, else None."""
    if str(m.state) != FINAL or (before is not None and str(before) == FINAL):
        return None
    rules = rules_in(session)
    if not rules.numbering:
        return None
    session.flush()
    if active_row(session, m.id) is not None:  # approved again: it keeps its number
        return None
    return _assign(session, log, m, rules, log.actor)


def _year(m: Material) -> int:
    if m.material_date is not None:
        return m.material_date.year
    return dt.datetime.now(BEIJING).year


def _assign(session: Session, log: AuditLogger, m: Material, rules: ArchivalRules,
            actor: str) -> ArchivalCode:
    categories = set()
    for code in m.codes:
        node = session.get(IndicatorNode, code)
        categories.add(node.parent_code or node.code if node is not None else code)
    retention = rules.retention_for(sorted(categories))
    year = _year(m)
    # writers are serialised (the write lane), so max + 1 is free; the unique constraint is
    # the last guard
    top = session.scalar(select(func.max(ArchivalNumber.piece)).where(
        ArchivalNumber.fonds == rules.fonds, ArchivalNumber.year == year,
        ArchivalNumber.retention == retention)) or 0
    if top >= MAX_PIECE:
        raise ArchivalError(f"全宗 {rules.fonds} {year} 年度保管期限"
                            f"{RETENTIONS[retention]}的件号已用到 {MAX_PIECE}，不能再编号；"
                            "请管理员核对档号规则（如更换全宗号）后再审核")
    given = ArchivalCode(rules.fonds, year, retention, top + 1)
    session.add(ArchivalNumber(fonds=given.fonds, year=given.year, retention=given.retention,
                               piece=given.piece, material_id=m.id, material_uid=m.uid,
                               title=m.title, assigned_at=_now(), assigned_by=actor,
                               withdrawn_at=None, withdrawn_by="", withdrawn_reason=""))
    session.flush()
    log("archival.assign", f"material:{m.id}", {"archival_number": given.text,
                                                "title": m.title})
    return given


def material_deleted(session: Session, log: AuditLogger, m: Material, why: str) -> None:
    """Before a material is deleted: its number in force, if any, stays in the register,
    marked withdrawn with `why`."""
    row = active_row(session, m.id)
    if row is not None:
        _withdraw(session, log, row, log.actor, why)


def _withdraw(session: Session, log: AuditLogger, row: ArchivalNumber, actor: str,
              reason: str) -> None:
    row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = _now(), actor, reason
    session.flush()
    log("archival.withdraw", f"material:{row.material_id}",
        {"archival_number": code_of(row).text, "reason": reason, "title": row.title})


def withdraw(archive: Archive, material_id: int, reason: str, *, actor: str) -> RegisterLine:
    """An admin withdraws a material's number (e.g. the material is taken out of the archive):
    the line stays in the register, marked withdrawn; the number is never given again. The
    material gets a new number only if it is finally approved again."""
    if not reason.strip():
        raise ArchivalError("撤销档号必须写明原因", hint="用 --reason 写明")
    with archive.write(actor) as (session, log):
        _may_set(session, actor)
        if session.get(Material, material_id) is None:
            raise ArchivalError(f"没有编号为 {material_id} 的材料")
        row = active_row(session, material_id)
        if row is None:
            raise ArchivalError(f"材料 #{material_id} 没有在用的档号，无需撤销")
        _withdraw(session, log, row, actor, reason.strip())
        return _line(row)


# -- reading -----------------------------------------------------------------------------------

def numbers_of(session: Session, material_ids: Sequence[int] | None = None
               ) -> dict[int, ArchivalCode]:
    """The number in force of each material that has one (of `material_ids`, or all)."""
    query = select(ArchivalNumber).where(ArchivalNumber.withdrawn_at.is_(None),
                                         ArchivalNumber.material_id.is_not(None))
    if material_ids is not None:
        query = query.where(ArchivalNumber.material_id.in_(list(material_ids)))
    return {row.material_id: code_of(row) for row in session.scalars(query)
            if row.material_id is not None}


def number_of(archive: Archive, material_id: int) -> ArchivalCode | None:
    with archive.read() as session:
        return numbers_of(session, [material_id]).get(material_id)


def register_in(session: Session, *, year: int | None = None) -> list[RegisterLine]:
    query = select(ArchivalNumber).order_by(ArchivalNumber.fonds, ArchivalNumber.year,
                                            ArchivalNumber.retention, ArchivalNumber.piece)
    if year is not None:
        query = query.where(ArchivalNumber.year == year)
    return [_line(row) for row in session.scalars(query)]


def register(archive: Archive, *, year: int | None = None) -> list[RegisterLine]:
    with archive.read() as session:
        return register_in(session, year=year)
