"""The roster: the people of an archive, their departments, roles and public keys; who
is acting and what they may do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive.kinds import Role
from desktop.core.archive.models import Decision, Department, Person, RoleGrant
from desktop.core.common.errors import ZichaError
from desktop.core.review import keys, workflow

if TYPE_CHECKING:  # not imported at run time: a reviewer's `zicha package review` starts faster
    from desktop.core.archive.archive import Archive

ROLES = tuple(r.value for r in Role)



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
    from desktop.core.review.roster import department_named

    name = name.strip()
    if not name:
        raise ZichaError("姓名不能为空")
    if not department.strip():
        raise ZichaError(f"请填写 {name} 的部门")
    keys.parse_public(public_key)
    grants = [parse_role(r) for r in roles]
    if not grants:
        raise ZichaError("至少要给一个角色（经办人、初审、复审、终审或管理员）",
                         hint="用 --role clerk|first|second|final|admin 给出")
    with archive.write(actor) as (session, log):
        if actor is not None:  # None: setting up (a bureau profile, `user add` without --as)
            _check_roster_change(session, actor)
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
    retired: bool = False  # 已停用: kept for checking their past signatures, may not act

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def people(archive: Archive, *, include_retired: bool = True) -> list[PersonView]:
    """The roster in the order people were added; retired people (marked) unless left out."""
    with archive.read() as session:
        return [person_view(p) for p in session.scalars(select(Person).order_by(Person.id))
                if include_retired or p.retired_at is None]


def person_view(p: Person) -> PersonView:
    roles = [g.role + (f"@{g.department.name}" if g.department else "") for g in p.grants]
    return PersonView(p.name, p.department.name if p.department else "", roles, p.public_key,
                      p.retired_at is not None)


def acting_person(session: Session, name: str) -> tuple[Person, workflow.Actor]:
    person = session.scalars(select(Person).where(Person.name == name)).first()
    if person is None:
        raise ZichaError(f"名册中没有 {name}；请先在名册中登记此人", hint="用 zicha user add 登记")
    actor = as_actor(person)
    workflow.check_active(actor)  # a retired person can no longer act
    return person, actor


def as_actor(person: Person) -> workflow.Actor:
    grants = tuple((g.role, g.department.name if g.department else None) for g in person.grants)
    return workflow.Actor(person.name, person.department.name if person.department else None,
                          grants, person.retired_at is not None)


# changing the roster: once it has an admin (in post), only an admin may; every change is one
# audit entry. A key that has signed decisions is never replaced (see replace_key).

def _admins(session: Session) -> list[str]:
    return [p.name for p in session.scalars(select(Person))
            if as_actor(p).may(Role.ADMIN, None)]


def _roster_refusal(session: Session, actor: str | None) -> str:
    admins = _admins(session)
    if not admins or (actor and actor in admins):
        return ""
    if not actor:
        return "名册已有管理员，只有管理员可以修改名册；请先选择当前人员"
    return f"只有管理员可以修改名册（{actor} 不是在岗的管理员）"


def _check_roster_change(session: Session, actor: str | None) -> None:
    if why := _roster_refusal(session, actor):
        raise ZichaError(why)


def roster_refusal(archive: Archive, actor: str | None) -> str:
    """Why `actor` may not change the roster now, or "" when they may (the same rule every
    roster operation applies; the window disables its buttons with this as the reason)."""
    with archive.read() as session:
        return _roster_refusal(session, actor)


def _roster_person(session: Session, name: str, *, active: bool = True) -> Person:
    person = session.scalars(select(Person).where(Person.name == name)).first()
    if person is None:
        raise ZichaError(f"名册中没有 {name}")
    if active and person.retired_at is not None:
        raise ZichaError(f"{name} 已停用；先恢复在岗再修改")
    return person


def _keep_an_admin(session: Session, had: list[str]) -> None:
    """Refuse a change that leaves a roster that had an admin without one: nobody could
    change it any more (or, worse, everybody could)."""
    session.flush()
    if had and not _admins(session):
        raise ZichaError(f"至少要保留一名在岗的管理员（现在只有 {'、'.join(had)}）")


def update_person(archive: Archive, name: str, *, department: str | None = None,
                  roles: Sequence[str] | None = None, actor: str) -> PersonView:
    """Change a person's department and/or roles (None: leave as is); one audit entry."""
    from desktop.core.review.roster import department_named

    grants = None if roles is None else [parse_role(r) for r in roles]
    if grants is not None and not grants:
        raise ZichaError(f"至少要给 {name} 一个角色")
    if department is not None and not department.strip():
        raise ZichaError(f"请填写 {name} 的部门")
    with archive.write(actor) as (session, log):
        _check_roster_change(session, actor)
        person = _roster_person(session, name)
        before, had = person_view(person), _admins(session)
        if department is not None:
            person.department = department_named(session, department)
        if grants is not None:
            person.grants = [RoleGrant(role=r,
                                       department=department_named(session, d) if d else None)
                             for r, d in dict.fromkeys(grants)]
        _keep_an_admin(session, had)
        after = person_view(person)
        if after != before:
            log("person.update", f"person:{name}",
                {"department": [before.department, after.department],
                 "roles": [before.roles, after.roles]})
        return after


def set_roles(archive: Archive, name: str, roles: Sequence[str], *, actor: str) -> PersonView:
    return update_person(archive, name, roles=roles, actor=actor)


def set_department(archive: Archive, name: str, department: str, *,
                   actor: str) -> PersonView:
    return update_person(archive, name, department=department, actor=actor)


def retire_person(archive: Archive, name: str, *, actor: str) -> None:
    """停用: the person stays in the roster (decisions they signed keep verifying against their
    key) but can no longer submit, decide or take part in the 问题整改 loop."""
    with archive.write(actor) as (session, log):
        _check_roster_change(session, actor)
        person = _roster_person(session, name, active=False)
        if person.retired_at is not None:
            raise ZichaError(f"{name} 已于 {person.retired_at:%Y-%m-%d} 停用")
        had = _admins(session)
        person.retired_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        _keep_an_admin(session, had)
        log("person.retire", f"person:{name}", {})


def reinstate_person(archive: Archive, name: str, *, actor: str) -> None:
    """恢复在岗: undo retire_person()."""
    with archive.write(actor) as (session, log):
        _check_roster_change(session, actor)
        person = _roster_person(session, name, active=False)
        if person.retired_at is None:
            raise ZichaError(f"{name} 在岗，无需恢复")
        person.retired_at = None
        log("person.reinstate", f"person:{name}", {})


def replace_key(archive: Archive, name: str, public_key: str, *, actor: str) -> None:
    """Give a person a new public key, only while no decision of theirs is signed with the old
    one. history(), `zicha package apply` and the export's 四性检测 check each signature against
    the roster's one key per person, so replacing a key that has signed would make every one of
    those decisions fail as forged. A person whose key is lost after signing is retired and
    registered again under a new name with the new key."""
    keys.parse_public(public_key)
    key = public_key.strip()
    with archive.write(actor) as (session, log):
        _check_roster_change(session, actor)
        person = _roster_person(session, name)
        if person.public_key == key:
            raise ZichaError(f"这已经是名册中 {name} 的公钥")
        other = session.scalars(select(Person).where(Person.public_key == key)).first()
        if other is not None:
            raise ZichaError(f"这个公钥已属于 {other.name}；每人应有自己的密钥")
        signed = session.scalar(select(func.count()).select_from(Decision)
                                .where(Decision.reviewer == name)) or 0
        if signed:
            raise ZichaError(
                f"{name} 已用名册中的公钥签过 {signed} 条审核意见，换公钥会使这些签名无法核对，"
                f"因此不能更换；如密钥遗失，请停用 {name}，再以新的姓名登记新密钥")
        old, person.public_key = person.public_key, key
        log("person.key", f"person:{name}", {"old": old, "new": key})


def departments(archive: Archive) -> list[str]:
    with archive.read() as session:
        return list(session.scalars(select(Department.name).order_by(Department.name)))


def department_named(session: Session, name: str) -> Department:
    name = name.strip()
    dept = session.scalars(select(Department).where(Department.name == name)).first()
    if dept is None:
        dept = Department(name=name)
        session.add(dept)
        session.flush()
    return dept
