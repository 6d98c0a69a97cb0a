"""What an archive is: its global id, name, bureau, indicator systems, database engine and
size — what `zicha info` shows and what a transfer package names as its origin or its
destination."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from desktop.core.archive import db, server
from desktop.core.archive.archive import DB_NAME, FORMAT, Archive
from desktop.core.archive.models import (
    Blob,
    Decision,
    Department,
    Material,
    NegativeItem,
    Person,
    Problem,
    Task,
)
from desktop.core.archive.systems import SystemView, systems


@dataclass(frozen=True)
class ArchiveFacts:
    id: str  # the archive's UUID, made once when it was created
    name: str
    bureau: str
    bureau_code: str
    created_at: str
    format: str
    engine: str  # "sqlite", or "postgresql" for a server archive
    database: str  # where the database is: its file, or the server's address (no password)
    revision: str | None  # schema revision (Alembic)
    systems: list[SystemView] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # a server archive: host, port, database, user, tls, server_version (server.connection_facts)
    server: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "bureau": self.bureau,
                "bureau_code": self.bureau_code, "created_at": self.created_at,
                "format": self.format, "engine": self.engine, "database": self.database,
                "revision": self.revision, "systems": [s.to_json() for s in self.systems],
                "counts": self.counts, "server": self.server}


COUNTED = (("materials", Material), ("files", Blob), ("decisions", Decision),
           ("tasks", Task), ("problems", Problem), ("negatives", NegativeItem),
           ("departments", Department), ("people", Person))


def archive_facts(archive: Archive) -> ArchiveFacts:
    info = archive.info()
    with archive.read() as session:
        counts = {name: session.scalar(select(func.count()).select_from(table)) or 0
                  for name, table in COUNTED}
    if archive.server is None:
        database, where, revision = str(archive.root / DB_NAME), None, db.current_revision(
            archive.engine)
    else:
        where = server.connection_facts(archive.engine)
        database = server.address(where)
        revision = server.current_revision(archive.engine)
    return ArchiveFacts(
        id=info.get("archive_id", ""), name=info.get("name", archive.root.name),
        bureau=info.get("bureau", ""), bureau_code=info.get("bureau_code", ""),
        created_at=info.get("created_at", ""), format=info.get("format", FORMAT),
        engine=archive.engine.dialect.name, database=database, revision=revision,
        systems=systems(archive), counts=counts, server=where)
