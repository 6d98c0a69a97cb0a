"""A person's queue (我的待办): what waits for them to decide, or to fix and resubmit."""

from __future__ import annotations

from sqlalchemy import select

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import ReviewState, Role
from desktop.core.archive.models import Decision, Material, Person
from desktop.core.review import workflow


def my_queue(archive: Archive, name: str) -> list[int]:
    """Materials `name` may decide now (the awaited stage, within their departments, not their
    own, not a second stage for them), and, for a clerk, their department's drafts and
    returned materials."""
    with archive.read() as session:
        person = session.scalars(select(Person).where(Person.name == name)).first()
        if person is None:
            return []
        grants = tuple((g.role, g.department.name if g.department else None)
                       for g in person.grants)
        actor = workflow.Actor(name, person.department.name if person.department else None,
                               grants)
        decided: dict[int, set[str]] = {}
        for material_id, stage in session.execute(
                select(Decision.material_id, Decision.stage).where(Decision.reviewer == name)):
            decided.setdefault(material_id, set()).add(stage)
        waiting = [s.value for s in workflow.STAGE_AWAITED] + [ReviewState.RETURNED.value,
                                                                ReviewState.DRAFT.value]
        result = []
        for m in session.scalars(select(Material).where(Material.state.in_(waiting))
                                 .order_by(Material.id)):
            dept = m.department.name if m.department else None
            state = ReviewState(m.state)
            if state in (ReviewState.RETURNED, ReviewState.DRAFT):
                if actor.may(Role.CLERK, dept):  # to submit, or to fix and resubmit
                    result.append(m.id)
                continue
            stage = workflow.STAGE_AWAITED[state].value
            try:
                workflow.check_decision(actor, workflow.APPROVE, m.state, stage, dept,
                                        m.submitted_by, {name: decided.get(m.id, set())})
            except workflow.WorkflowError:
                continue
            result.append(m.id)
        return result
