"""The archive's tables (SQLAlchemy 2 typed models). Schema changes go through Alembic."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desktop.core.archive.kinds import NodeKind, ReviewState


class Base(DeclarativeBase):
    pass


def new_uid() -> str:
    """A global id (UUID 4): the same thing keeps it in every archive it is transferred to."""
    return str(uuid.uuid4())


class ArchiveInfo(Base):
    __tablename__ = "archive_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class IndicatorSystemRecord(Base):
    """An indicator system (测评体系) the archive files under: the city system (prefix "", the
    first) and any the bureau adds (未成年人思想道德建设, 文明村镇 …), whose codes carry their
    prefix ("W01", "W01.02") so that every code stays unique in the archive. weight: the share
    of the city's total the system's result counts for (20 = 20 %), None when not given."""

    __tablename__ = "indicator_system"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(Text)
    edition: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(Text)
    weight: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))  # shipped / file / bureau


class IndicatorNode(Base):
    """A 测评项目 (Category, code "01") or a 测评内容 (Item, code "01.02") of one system."""

    __tablename__ = "indicator_node"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    system_id: Mapped[str] = mapped_column(ForeignKey("indicator_system.id"), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("indicator_node.code"))
    kind: Mapped[NodeKind] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    criterion: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16), default="system")


class ItemConclusion(Base):
    """结论性说明 of one 测评内容: the clerk's conclusion, printed in its 测评材料提交表."""

    __tablename__ = "item_conclusion"
    code: Mapped[str] = mapped_column(ForeignKey("indicator_node.code", ondelete="CASCADE"),
                                      primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ItemChecklist(Base):
    """The admin's own 材料要求 of one 测评内容, written as a task list writes it; it replaces
    what the checklist reads from the item's task lists and 测评标准."""

    __tablename__ = "item_checklist"
    code: Mapped[str] = mapped_column(ForeignKey("indicator_node.code", ondelete="CASCADE"),
                                      primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SubmissionGap(Base):
    """What the checklists of a material's 测评内容 still lacked when it was submitted for 初审
    (one row per review round that had gaps): the reviewers see it."""

    __tablename__ = "submission_gap"
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"),
                                             primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    gaps: Mapped[str] = mapped_column(Text)  # JSON: [{item, name, missing: [text]}]
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Department(Base):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Blob(Base):
    """File content stored once, addressed by its SHA-256."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    mime: Mapped[str] = mapped_column(String(100))
    page_count: Mapped[int | None] = mapped_column(Integer)
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # SM3 of the same bytes, computed as they were stored (migration 0020; None before it, or
    # where OpenSSL has no SM3): an export's manifest-sm3 takes it for a copied file
    sm3: Mapped[str | None] = mapped_column(String(64))


class Material(Base):
    """One piece of evidence (佐证材料): one or more files, filed under one or more nodes."""

    __tablename__ = "material"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, index=True, unique=True)
    title: Mapped[str] = mapped_column(Text)
    doc_number: Mapped[str] = mapped_column(Text, default="")
    # indexed (migration 0019): filters and the material table select by these
    material_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    material_type: Mapped[str] = mapped_column(String(16), default="其他", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    caption_time: Mapped[str] = mapped_column(Text, default="")
    caption_place: Mapped[str] = mapped_column(Text, default="")
    caption_people: Mapped[str] = mapped_column(Text, default="")
    caption_subject: Mapped[str] = mapped_column(Text, default="")
    caption_background: Mapped[str] = mapped_column(Text, default="")  # 背景
    caption_reason: Mapped[str] = mapped_column(Text, default="")  # 事由
    state: Mapped[ReviewState] = mapped_column(String(20), default=ReviewState.DRAFT,
                                               index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    submitted_by: Mapped[str] = mapped_column(String(200), default="")  # of the current round
    review_round: Mapped[int] = mapped_column(Integer, default=0)  # 1 at first submission
    # 创新特色 / 加分: evidence of a recognition (国家级/省级/市级, by whom, when); the level,
    # issuer and date are kept only while the mark is set
    bonus: Mapped[bool] = mapped_column(Boolean, default=False)
    bonus_level: Mapped[str] = mapped_column(String(16), default="")
    bonus_issuer: Mapped[str] = mapped_column(Text, default="")
    bonus_date: Mapped[dt.date | None] = mapped_column(Date)
    # brought from another archive (a 报送包): the archive it was made in and its number there,
    # which its signed decisions name; both None for a material made here
    origin_archive: Mapped[str | None] = mapped_column(String(36))
    origin_id: Mapped[int | None] = mapped_column(Integer)

    department: Mapped[Department | None] = relationship(lazy="joined")
    files: Mapped[list[MaterialFile]] = relationship(
        order_by="MaterialFile.position", cascade="all, delete-orphan", lazy="selectin"
    )
    filings: Mapped[list[Filing]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    marks: Mapped[list[MaterialMark]] = relationship(
        order_by="MaterialMark.id", cascade="all, delete-orphan", lazy="selectin")

    @property
    def codes(self) -> list[str]:
        return sorted(f.node_code for f in self.filings)

    @property
    def bonus_facts(self) -> dict[str, str | None] | None:
        """The 创新特色 / 加分 mark as data ({level, issuer, date}), None when not marked."""
        if not self.bonus:
            return None
        return {"level": self.bonus_level or "", "issuer": self.bonus_issuer or "",
                "date": self.bonus_date.isoformat() if self.bonus_date else None}


class MaterialFile(Base):
    __tablename__ = "material_file"
    __table_args__ = (UniqueConstraint("material_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    filename: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    blob: Mapped[Blob] = relationship(lazy="joined")


class MaterialMark(Base):
    """红线标注: a passage of one of the material's PDF files marked with a red line under its
    text. `page` is the page number (1 for the first); `rects` the JSON list of the passage's
    line boxes [[x0, y0, x1, y1], ...] in PDF points of the unrotated page. The stored file is
    never changed: the line is drawn by the viewer and burned into the export's marked copy."""

    __tablename__ = "material_mark"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"),
                                             index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    page: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    rects: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Filing(Base):
    """A material filed under a node (测评内容, or a 测评项目 that has no items yet)."""

    __tablename__ = "filing"
    material_id: Mapped[int] = mapped_column(
        ForeignKey("material.id", ondelete="CASCADE"), primary_key=True
    )
    node_code: Mapped[str] = mapped_column(
        ForeignKey("indicator_node.code"), primary_key=True, index=True
    )


class AuditEntry(Base):
    """Append-only, hash-chained log of every change (全程留痕)."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class TextState(Base):
    """Extraction progress of one stored file: the text phase, then OCR where needed."""

    __tablename__ = "text_state"
    sha256: Mapped[str] = mapped_column(
        ForeignKey("blob.sha256", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    ocr_state: Mapped[str] = mapped_column(String(16), default="none", index=True)
    ocr_pages: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of page indexes
    reason: Mapped[str] = mapped_column(Text, default="")
    ocr_reason: Mapped[str] = mapped_column(Text, default="")
    chars: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class BlobPage(Base):
    """Text of one page of a stored file (page index 0-based; source text or ocr)."""

    __tablename__ = "blob_page"
    sha256: Mapped[str] = mapped_column(
        ForeignKey("blob.sha256", ondelete="CASCADE"), primary_key=True
    )
    page: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)


class SearchDoc(Base):
    """A material's searchable text in normalised form, and where each file page starts in it.
    The FTS5 tables index this; the exact scan that checks them reads it too."""

    __tablename__ = "search_doc"
    material_id: Mapped[int] = mapped_column(
        ForeignKey("material.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)
    pages: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[offset, file, page], ...]
    short: Mapped[str] = mapped_column(Text, default="")  # tokens given to search_bi


class SearchPending(Base):
    """Materials whose search_doc changed since an out-of-database engine (Whoosh) last saw it."""

    __tablename__ = "search_pending"
    material_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Person(Base):
    """A member of the roster: who may act, with which public key (private keys never come
    into an archive)."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    public_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # 停用: still in the roster (their past signatures are checked against their key) but may no
    # longer act
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    department: Mapped[Department | None] = relationship(lazy="joined")
    grants: Mapped[list[RoleGrant]] = relationship(cascade="all, delete-orphan",
                                                   lazy="selectin")


class RoleGrant(Base):
    """A role of a person, for every department or (department_id set) for one only."""

    __tablename__ = "role_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))

    department: Mapped[Department | None] = relationship(lazy="joined")


class Decision(Base):
    """One signed review decision. `payload` is the exact signed byte string (UTF-8 JSON,
    schema/decision-format.md); `hash` is its SHA-256 and the next decision's `prev`."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"),
                                             index=True)
    review_round: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))


class TaskList(Base):
    """A task list the bureau received (材料自查任务清单, 省级部门评价项目任务清单, 创新特色工作清单
    …), one per kind: the file it was last imported from and how its own headings map to 测评项目
    (JSON {heading: category code}), so that a revised list is imported without asking again."""

    __tablename__ = "task_list"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, index=True, unique=True)
    kind: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(Text)
    mapping: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(200))
    # the indicator system its headings and codes belong to; None: the city system
    system_id: Mapped[str | None] = mapped_column(ForeignKey("indicator_system.id"))


class Task(Base):
    """One line of the 任务分解清单: a 测评内容 × a department (牵头 or 配合), with what is asked
    and by when. Its status is derived from the material, never stored; only 销号 is. A task
    belongs to one list; the same item and department may have a task in each list."""

    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("list_id", "node_code", "department_id",
                                       name="uq_task_list_node_department"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, index=True, unique=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("task_list.id", name="fk_task_list_id"),
                                         index=True)
    node_code: Mapped[str] = mapped_column(ForeignKey("indicator_node.code"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    role: Mapped[str] = mapped_column(String(16), default="lead")  # lead / support
    requirement: Mapped[str] = mapped_column(Text, default="")
    material_requirement: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(16), default="none")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_period: Mapped[str | None] = mapped_column(String(16))
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")  # file and row it came from
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str] = mapped_column(String(200), default="")
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    department: Mapped[Department] = relationship(lazy="joined")
    task_list: Mapped[TaskList] = relationship(lazy="joined")


class Problem(Base):
    """问题整改: a problem found (发现) against an item or task, assigned to a department with a
    deadline (交办), rectified with a note and evidence (整改), confirmed or sent back (反馈)."""

    __tablename__ = "problem"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, index=True, unique=True)
    node_code: Mapped[str] = mapped_column(ForeignKey("indicator_node.code"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    description: Mapped[str] = mapped_column(Text)
    found_at: Mapped[dt.date] = mapped_column(Date)
    found_by: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="found")
    rectification: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    department: Mapped[Department | None] = relationship(lazy="joined")
    evidence: Mapped[list[ProblemEvidence]] = relationship(cascade="all, delete-orphan",
                                                           lazy="selectin")


class ProblemEvidence(Base):
    __tablename__ = "problem_evidence"
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"),
                                            primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"),
                                             primary_key=True)


class NegativeItem(Base):
    """负面清单: a risk or event that costs points or the nomination (what, under which 测评项目,
    the responsible department, its 防范措施), whether and when it occurred, and its 处置 record
    with evidence materials."""

    __tablename__ = "negative_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, index=True, unique=True)
    description: Mapped[str] = mapped_column(Text)
    node_code: Mapped[str | None] = mapped_column(ForeignKey("indicator_node.code"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    prevention: Mapped[str] = mapped_column(Text, default="")
    occurred: Mapped[bool] = mapped_column(Boolean, default=False)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    disposal: Mapped[str] = mapped_column(Text, default="")
    disposed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disposed_by: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    department: Mapped[Department | None] = relationship(lazy="joined")
    evidence: Mapped[list[NegativeEvidence]] = relationship(cascade="all, delete-orphan",
                                                            lazy="selectin")


class NegativeEvidence(Base):
    __tablename__ = "negative_evidence"
    negative_id: Mapped[int] = mapped_column(
        ForeignKey("negative_item.id", ondelete="CASCADE"), primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"),
                                             primary_key=True)


class TransferOut(Base):
    """A 报送包 this archive wrote (docs/transfers.md): to which archive, its sequence number
    there (1, 2, … per destination), the delta it was built on (`since`: the seq whose state it
    carries the changes from, 0 for everything), by whom and when."""

    __tablename__ = "transfer_out"
    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    to_archive: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    since: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))
    counts: Mapped[str] = mapped_column(Text)  # JSON {materials, deleted, tasks, problems, files}
    kind: Mapped[str] = mapped_column(String(16), default="report",
                                      server_default="report")  # report / dispatch
    # when the other archive's receipt (in a 下发包) said it applied this package
    acknowledged_at: Mapped[str | None] = mapped_column(String(40))


class TransferOutItem(Base):
    """What one 报送包 carried of one thing (kind material / task / problem, by uid): the
    SHA-256 of its entry as sent, so the next package carries only what changed since."""

    __tablename__ = "transfer_out_item"
    package_id: Mapped[str] = mapped_column(
        ForeignKey("transfer_out.package_id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    digest: Mapped[str] = mapped_column(String(64))
    # a material's signed identity "archive:id" (a deletion is sent by it), else ""
    origin: Mapped[str] = mapped_column(String(64), default="")


class TransferIn(Base):
    """A 报送包 this archive applied: from which archive and department, its seq, who applied
    it and when, and the merge report (JSON: added / updated / unchanged / conflicts)."""

    __tablename__ = "transfer_in"
    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    from_archive: Mapped[str] = mapped_column(String(36), index=True)
    department: Mapped[str] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[str] = mapped_column(String(40))
    applied_by: Mapped[str] = mapped_column(String(200))
    report: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="report",
                                      server_default="report")  # report / dispatch


class TransferConflict(Base):
    """What a 报送包 would have changed but was not settled silently: the department changed a
    material the city decided on, deleted one the city holds, or filed a file another
    department filed under other items. The material is left as the city had it; `detail`
    (JSON) holds the package's entry, so keep / take theirs / both can be decided later."""

    __tablename__ = "transfer_conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("transfer_in.package_id"), index=True)
    material_uid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # decided / deleted / same_file
    detail: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    resolved_at: Mapped[str | None] = mapped_column(String(40))
    resolved_by: Mapped[str] = mapped_column(String(200), default="")
    resolution: Mapped[str] = mapped_column(String(16), default="")  # keep / theirs / both


class TransferDecision(Base):
    """A signed decision that came in a 报送包: signed in another archive, so its audit-log
    anchor names that archive's log (checked there, not against this one's)."""

    __tablename__ = "transfer_decision"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("transfer_in.package_id"), index=True)
    from_archive: Mapped[str] = mapped_column(String(36))


class ArchivalNumber(Base):
    """One line of the 档号 register (DA/T 13-2022: 全宗号-年度-保管期限-件号): given to a
    material when it reaches 终审通过, never reused, never renumbered. A number whose material is
    deleted or withdrawn stays here, marked withdrawn (when, by whom, why), so each 件号
    sequence (per 全宗号, 年度 and 保管期限) has no gaps. `material_uid` and `title` keep what
    it was given to after the material is gone."""

    __tablename__ = "archival_number"
    __table_args__ = (
        UniqueConstraint("fonds", "year", "retention", "piece", name="uq_archival_number"),
        # at most one number in force per material
        Index("ix_archival_number_active", "material_id", unique=True,
              sqlite_where=sql_text("withdrawn_at IS NULL"),
              postgresql_where=sql_text("withdrawn_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    fonds: Mapped[str] = mapped_column(String(16))  # 全宗号
    year: Mapped[int] = mapped_column(Integer)  # 年度
    retention: Mapped[str] = mapped_column(String(8))  # 保管期限: Y / D30 / D10
    piece: Mapped[int] = mapped_column(Integer)  # 件号, from 1 in each sequence
    material_id: Mapped[int | None] = mapped_column(
        ForeignKey("material.id", ondelete="SET NULL", name="fk_archival_number_material"))
    material_uid: Mapped[str] = mapped_column(String(36))
    title: Mapped[str] = mapped_column(Text)
    assigned_at: Mapped[dt.datetime] = mapped_column(DateTime)
    assigned_by: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
