"""What others changed in a server archive (team mode): the audit log is the one record of every
change, in commit order, so a window that remembers the last entry it has seen can ask for the
entries after it and refresh what they touched (docs/team-mode.md). Polled by the window; a
SQLite archive has one writer and needs none of this."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from desktop.core.archive.archive import Archive
from desktop.core.archive.models import AuditEntry
from desktop.core.common.changes import Changes

LIMIT = 2000  # entries read per poll; more than that is refreshed as a whole

# action prefix -> what it changes besides the material it names
_TREE = ("item.", "category.", "system.")
_TASKS = ("task.", "tasks.")
_PROBLEMS = ("problem.", "negative.")
_PEOPLE = ("person.",)
_EVERYTHING = ("transfer.apply", "transfer.resolve", "profile.apply", "archive.", "audit.")
_ADDED = ("material.import", "material.add")


@dataclass(frozen=True)
class Feed:
    last: int  # the newest entry now seen
    changes: Changes | None  # None: nothing new
    actors: frozenset[str] = frozenset()  # who made them


def last_seq(archive: Archive) -> int:
    with archive.read() as session:
        return int(session.scalar(select(func.max(AuditEntry.seq))) or 0)


def changes_since(archive: Archive, seq: int) -> Feed:
    """The changes recorded after entry `seq`, as one Changes the window can apply."""
    with archive.read() as session:
        rows = session.execute(
            select(AuditEntry.seq, AuditEntry.action, AuditEntry.target, AuditEntry.actor)
            .where(AuditEntry.seq > seq).order_by(AuditEntry.seq).limit(LIMIT + 1)).all()
    if not rows:
        return Feed(seq, None)
    actors = frozenset(r.actor for r in rows)
    if len(rows) > LIMIT:  # far behind: refresh everything, then go on from the newest
        return Feed(last_seq(archive), _everything(), actors)
    materials: set[int] = set()
    added: set[int] = set()
    deleted: set[int] = set()
    tree = tasks = problems = people = reload = False
    for _seq, action, target, _actor in rows:
        material = _material_of(target)
        if material is not None:
            if action.startswith(_ADDED):
                added.add(material)
            elif action == "material.delete":
                deleted.add(material)
            else:
                materials.add(material)
            tasks = True
        tree |= action.startswith(_TREE)
        tasks |= action.startswith(_TASKS)
        problems |= action.startswith(_PROBLEMS)
        people |= action.startswith(_PEOPLE)
        reload |= action.startswith(_EVERYTHING)
    if reload:
        return Feed(rows[-1].seq, _everything(), actors)
    changes = Changes(materials=frozenset(materials - added - deleted), added=frozenset(added),
                      deleted=frozenset(deleted), tree=tree or bool(added or deleted),
                      tasks=tasks, problems=problems, people=people)
    return Feed(rows[-1].seq, changes, actors)


def _everything() -> Changes:
    return Changes(tree=True, tasks=True, problems=True, people=True, reload=True)


def _material_of(target: str) -> int | None:
    kind, _, number = target.partition(":")
    return int(number) if kind == "material" and number.isdigit() else None
