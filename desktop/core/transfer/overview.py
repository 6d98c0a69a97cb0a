"""The city's view over its departments (issue 16, item 6): per department, the last 报送包
applied, the materials it brought and how far their review is, its tasks done and overdue;
and which departments have not reported since a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import ReviewState
from desktop.core.archive.models import Department, Material, TransferConflict, TransferIn
from desktop.core.ledger.tasks import ledger
from desktop.core.transfer.package import KIND_REPORT


@dataclass
class DepartmentReport:
    department: str
    archives: list[str] = field(default_factory=list)  # the archives it sent from
    packages: int = 0
    last_seq: int | None = None
    last_at: str | None = None  # when its newest package was applied (ISO UTC)
    materials: int = 0  # brought by its packages and still in the archive
    submitted: int = 0  # awaiting a review stage
    approved: int = 0  # 终审通过
    returned: int = 0  # 已退回
    open_conflicts: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0

    def reported_since(self, day: dt.date) -> bool:
        if self.last_at is None:
            return False
        return dt.datetime.fromisoformat(self.last_at).date() >= day

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


AWAITING = (ReviewState.SUBMITTED, ReviewState.FIRST_APPROVED, ReviewState.SECOND_APPROVED)


def departments_overview(archive: Archive, today: dt.date | None = None
                         ) -> list[DepartmentReport]:
    """Every department of the archive (its roster's and those that sent packages), those that
    sent material first, by name."""
    found: dict[str, DepartmentReport] = {}

    def of(name: str) -> DepartmentReport:
        return found.setdefault(name, DepartmentReport(name))

    with archive.read() as session:
        for name in session.scalars(select(Department.name)):
            of(name)
        sender: dict[str, str] = {}
        for row in session.scalars(select(TransferIn).where(TransferIn.kind == KIND_REPORT)
                                   .order_by(TransferIn.applied_at)):
            report = of(row.department)
            report.packages += 1
            if row.from_archive not in report.archives:
                report.archives.append(row.from_archive)
            sender[row.from_archive] = row.department
            if report.last_at is None or row.applied_at >= report.last_at:
                report.last_at, report.last_seq = row.applied_at, row.seq
        counted = session.execute(
            select(Material.origin_archive, Material.state, func.count())
            .where(Material.origin_archive.is_not(None))
            .group_by(Material.origin_archive, Material.state))
        for origin, state, n in counted:
            if origin not in sender:
                continue
            report = of(sender[origin])
            report.materials += n
            if state in AWAITING:
                report.submitted += n
            elif state == ReviewState.FINAL_APPROVED:
                report.approved += n
            elif state == ReviewState.RETURNED:
                report.returned += n
        open_by_package = session.execute(
            select(TransferIn.department, func.count())
            .join(TransferConflict, TransferConflict.package_id == TransferIn.package_id)
            .where(TransferConflict.resolved_at.is_(None))
            .group_by(TransferIn.department))
        for name, n in open_by_package:
            of(name).open_conflicts += n
    for completion in ledger(archive, today).by_department:
        report = of(completion.key)
        report.tasks, report.tasks_done, report.tasks_overdue = (
            completion.total, completion.done, completion.red)
    return sorted(found.values(), key=lambda r: (r.packages == 0, r.department))


def not_reported(reports: list[DepartmentReport], since: dt.date) -> list[DepartmentReport]:
    """The departments with tasks or material whose last 报送包 is older than `since` (or that
    never sent one): the reminder list."""
    return [r for r in reports if (r.tasks or r.packages) and not r.reported_since(since)]
