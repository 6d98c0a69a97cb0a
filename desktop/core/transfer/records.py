"""What an archive knows of its 报送包 and 下发包: those it sent and those it applied (with
seq, counts and, for a 报送包 sent, whether it was acknowledged), and the conflicts its merges
left open."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from desktop.core.archive.archive import Archive
from desktop.core.archive.models import TransferConflict, TransferIn, TransferOut
from desktop.core.transfer.package import KIND_DISPATCH


@dataclass(frozen=True)
class TransferRow:
    direction: str  # "sent" / "received"
    package_id: str
    archive: str  # the other archive
    department: str
    seq: int
    at: str
    by: str
    counts: dict[str, int]
    kind: str = "report"  # report (报送包) / dispatch (下发包)
    acknowledged_at: str | None = None  # a 报送包 sent: when the receiver's receipt said so

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def transfers(archive: Archive) -> list[TransferRow]:
    """Every package sent, then every package applied, oldest first."""
    rows = []
    with archive.read() as session:
        for out in session.scalars(select(TransferOut).order_by(TransferOut.created_at,
                                                                TransferOut.seq)):
            rows.append(TransferRow("sent", out.package_id, out.to_archive, out.department,
                                    out.seq, out.created_at, out.created_by,
                                    json.loads(out.counts), out.kind, out.acknowledged_at))
        for got in session.scalars(select(TransferIn).order_by(TransferIn.applied_at)):
            report = json.loads(got.report)
            keys = ("reviews", "skipped") if got.kind == KIND_DISPATCH else (
                "added", "updated", "unchanged", "conflicts")
            counts = {k: len(report.get(k, [])) for k in keys}
            rows.append(TransferRow("received", got.package_id, got.from_archive,
                                    got.department, got.seq, got.applied_at, got.applied_by,
                                    counts, got.kind))
    return rows


@dataclass(frozen=True)
class Reporter:
    """A department's archive the city has applied 报送包 from."""

    archive: str
    department: str
    last_seq: int  # its newest 报送包 applied here
    last_at: str
    dispatched: int  # the newest 下发包 sent to it (0: none yet)


def reporters(rows: list[TransferRow]) -> list[Reporter]:
    """One row per archive that reported here (records.transfers), by department."""
    got: dict[str, TransferRow] = {}
    sent: dict[str, int] = {}
    for r in rows:
        if r.direction == "received" and r.kind == "report":
            if r.archive not in got or r.seq >= got[r.archive].seq:
                got[r.archive] = r
        elif r.direction == "sent" and r.kind == "dispatch":
            sent[r.archive] = max(sent.get(r.archive, 0), r.seq)
    return sorted((Reporter(a, r.department, r.seq, r.at, sent.get(a, 0))
                   for a, r in got.items()), key=lambda x: (x.department, x.archive))


@dataclass(frozen=True)
class ConflictRow:
    id: int
    package_id: str
    department: str
    material_uid: str
    material_id: int | None  # this archive's material, None when the package's was not added
    title: str
    kind: str
    reason: str
    created_at: str
    resolved_at: str | None = None
    resolved_by: str = ""
    resolution: str = ""  # keep / theirs / both
    outcome: dict[str, Any] | None = None  # what the resolution did (resolve.Resolved)

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def open_conflicts(archive: Archive) -> list[ConflictRow]:
    """The conflicts nobody has resolved yet, oldest first."""
    return _conflicts(archive, resolved=False)


def all_conflicts(archive: Archive) -> list[ConflictRow]:
    """Every conflict, open or settled (with who settled it, when and how), oldest first."""
    return _conflicts(archive, resolved=True)


def _conflicts(archive: Archive, *, resolved: bool) -> list[ConflictRow]:
    rows = []
    with archive.read() as session:
        query = (select(TransferConflict, TransferIn.department)
                 .join(TransferIn, TransferIn.package_id == TransferConflict.package_id)
                 .order_by(TransferConflict.id))
        if not resolved:
            query = query.where(TransferConflict.resolved_at.is_(None))
        for conflict, department in session.execute(query):
            detail = json.loads(conflict.detail)
            city = detail.get("city") or {}
            entry = detail.get("entry") or {}
            rows.append(ConflictRow(conflict.id, conflict.package_id, department,
                                    conflict.material_uid, city.get("id"),
                                    entry.get("title") or city.get("title", ""), conflict.kind,
                                    detail.get("reason", ""), conflict.created_at,
                                    conflict.resolved_at, conflict.resolved_by or "",
                                    conflict.resolution or "", detail.get("outcome")))
    return rows
