"""What an export is made of: the rules it follows and the plan it carries out.

The plan is computed first (plan.make_plan) and shown before anything is written: which
materials go where under which name, what is converted, and what is missing or flagged."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop.core.indicators.system import system_label

# the bag's own files (export/bag.py writes them, export/verify.py reads them)
EXPORT_FORMAT = "zicha-export/1"
MANIFEST_JSON = "zicha/manifest.json"
AUDIT_JSONL = "zicha/audit-log.jsonl"
MANIFEST_SM3 = "manifest-sm3.txt"  # BagIt manifests of a second algorithm (RFC 8493 §2.1.3)
TAGMANIFEST_SM3 = "tagmanifest-sm3.txt"

# Kinds (common/formats.py) an upload may contain: the platforms take PDF, JPG and MP4; photos
# become A4 PDF pages, OFD becomes PDF, Office and WPS files too where LibreOffice is present.
DEFAULT_FORMATS = ("pdf", "jpeg", "mp4")


@dataclass(frozen=True)
class ExportRules:
    """A bureau's export rules (the bureau profile's `export` section), with defaults from the
    upload and archive conventions found (one folder per item, 序号 prefix, A4 photo pages)."""

    # placeholders {序号} {材料名称} {文号} {日期} {责任单位}; the extension is added
    name_template: str = "{序号}_{材料名称}"
    allowed_formats: tuple[str, ...] = DEFAULT_FORMATS
    max_file_mb: float = 10.0
    images_to_pdf: bool = True  # one photo per A4 page, centred, caption 时间、地点、人物、主题
    # Office and WPS documents (DOCX, DOC/WPS, XLS/ET, PPT/DPS, PPTX, RTF, ODF) to PDF: needs
    # LibreOffice; without it the original is kept and a note says so
    docx_to_pdf: bool = False
    ofd_to_pdf: bool = True  # drawn by Zicha itself (extract/ofd.py): no other program needed
    merged_pdf: bool = False  # also one PDF per item with a bookmark per material
    evaluation_date: dt.date | None = None  # T; materials outside [T-13 months, T-1 month] flagged
    window_months_before: int = 13
    window_months_after: int = 1
    # 归档章 (DA/T 22-2015) on the first page of each exported material PDF (export/stamp.py),
    # with red or black lines; the stored original is never changed
    archival_stamp: bool = False
    stamp_color: str = "red"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def window(self) -> tuple[dt.date, dt.date] | None:
        if self.evaluation_date is None:
            return None
        return (_add_months(self.evaluation_date, -self.window_months_before),
                _add_months(self.evaluation_date, -self.window_months_after))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["allowed_formats"] = list(self.allowed_formats)
        data["evaluation_date"] = self.evaluation_date.isoformat() if self.evaluation_date \
            else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportRules:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if known.get("evaluation_date"):
            known["evaluation_date"] = dt.date.fromisoformat(known["evaluation_date"])
        if "allowed_formats" in known:
            known["allowed_formats"] = tuple(known["allowed_formats"])
        return cls(**known)


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class SignedDecision:
    """One decision of a material's review chain, as signed (review.decide)."""

    stage: str  # first / second / final
    verdict: str  # approve / reject
    comment: str
    reviewer: str
    public_key: str  # "ed25519:<base64>"
    decided_at: str  # ISO UTC
    round: int
    payload: str  # the exact signed bytes (UTF-8 JSON, schema/decision-format.md)
    signature: str
    hash: str  # SHA-256 of payload


@dataclass
class ExportFile:
    """One payload file: where it goes (`path`, relative to the bag's data/) and from what."""

    path: str
    material_id: int
    source_sha256: str
    source_name: str
    source_kind: str
    action: str = "copy"  # copy / image_pdf / text_pdf / ofd_pdf / docx_pdf / office_pdf
    size: int = 0  # of the source; the written size is known once written
    source_sm3: str | None = None  # recorded when it was stored (None: computed as written)


@dataclass
class PlannedMaterial:
    id: int
    seq: int  # 序号 within its item, from 1, no gaps
    title: str
    doc_number: str
    material_date: str | None
    department: str
    material_type: str
    state: str
    page_count: int | None
    caption: dict[str, str]
    decisions: list[SignedDecision]
    files: list[ExportFile] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # e.g. 日期不在测评时限内; shown, not fatal
    # 创新特色 / 加分 evidence: {"level", "issuer", "date"}, None when not marked
    bonus: dict[str, str | None] | None = None
    # {"archive", "id"} its signatures name it by, when it was made in another archive and
    # brought by a 报送包 (decisions.signed_identity); None for a material made here
    signed_as: dict[str, Any] | None = None
    # its 档号 in force ({code, fonds, year, retention, piece}: review/archival.py), None when
    # it has none
    archival_number: dict[str, Any] | None = None
    # 红线标注 (materials.marks.marks_json): each {file_sha256, page, text, rects, …}
    marks: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedSystem:
    """The indicator system (测评体系) an item of the export belongs to. The city system
    (prefix "") keeps its folders directly under data/; a system the bureau added has its own
    top folder (`folder`, named after it), so its upload can be taken as one folder."""

    id: str = ""
    prefix: str = ""
    name: str = ""
    edition: str = ""
    weight: int | None = None  # per cent of the city's total, None when not given
    folder: str = ""  # "" for the city system, else its top folder below data/

    @property
    def main(self) -> bool:
        return self.prefix == ""

    @property
    def label(self) -> str:
        """Name and edition: 全国未成年人思想道德建设工作测评体系（2023年版）."""
        return system_label(self.name, self.edition)

    @property
    def heading(self) -> str:
        """The heading of its section in 材料目录: label and weight when set."""
        weight = f"\u3000权重 {self.weight}%" if self.weight is not None else ""
        return self.label + weight

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "prefix": self.prefix, "name": self.name,
                "edition": self.edition, "weight": self.weight}


# the system of an item planned without one (a plan built by hand): the city system, unnamed
MAIN_SYSTEM = PlannedSystem()


@dataclass
class PlannedItem:
    code: str  # "01.02", "W01.02" in a system the bureau added
    name: str
    category_code: str
    category_name: str
    folder: str  # "01 理想信念教育/01.02 …", safe on Windows; an added system's under its own
    materials: list[PlannedMaterial] = field(default_factory=list)
    not_ready: list[tuple[int, str, str]] = field(default_factory=list)  # (id, title, state)
    tasks: int = 0  # tasks of the task list on this item (each needs material)
    system: PlannedSystem = MAIN_SYSTEM
    conclusion: str = ""  # 结论性说明 (items.set_conclusion), "" when none is written
    conclusion_by: str = ""  # its 填表人
    conclusion_at: str = ""  # when it was written (ISO UTC), "" when none


@dataclass
class ExportPlan:
    archive_id: str
    bureau: str
    rules: ExportRules
    draft: bool  # --all-stages: not only final-approved materials
    items: list[PlannedItem]
    created_at: str  # ISO UTC
    notes: list[str] = field(default_factory=list)
    # the archive's audit log head when the plan was made ({seq, hash}): the export's anchor
    audit_head: dict[str, Any] | None = None
    # materials whose state claims approvals their signatures do not back as they are now
    # (review.signed_state_of): (id, title, reason). Never exported as approved.
    void: list[tuple[int, str, str]] = field(default_factory=list)
    # the archive's indicator systems, the city system first (make_plan fills it; a plan
    # built by hand may leave it empty, then the items' own systems count)
    systems: list[PlannedSystem] = field(default_factory=list)
    # 档号: the archive's rules ({fonds, retention, categories}) and the register lines of every
    # sequence an exported material is numbered in (RegisterLine.to_json); None when the plan
    # was made without them
    archival_rules: dict[str, Any] | None = None
    archival_register: list[dict[str, Any]] = field(default_factory=list)

    @property
    def materials(self) -> list[PlannedMaterial]:
        return [m for item in self.items for m in item.materials]

    @property
    def sections(self) -> list[tuple[PlannedSystem, list[PlannedItem]]]:
        """The items system by system, in the systems' order (the city system first)."""
        order = list(dict.fromkeys([*self.systems, *(i.system for i in self.items)]))
        return [(s, [i for i in self.items if i.system == s]) for s in order]

    @property
    def several_systems(self) -> bool:
        """Whether the archive has more than one indicator system: then the documents name
        each item's system and 材料目录 has a section per system."""
        return len(self.sections) > 1

    @property
    def bonus(self) -> list[tuple[PlannedItem, PlannedMaterial]]:
        """The 创新特色 / 加分 materials of the export, each with the first item it is in."""
        seen: set[int] = set()
        found = []
        for item in self.items:
            for m in item.materials:
                if m.bonus is not None and m.id not in seen:
                    seen.add(m.id)
                    found.append((item, m))
        return found

    @property
    def missing(self) -> list[PlannedItem]:
        """Items with nothing to export."""
        return [item for item in self.items if not item.materials]


# -- 四性检测 (DA/T 70-2018) of a written export ----------------------------------------------

PROPERTIES = ("真实性", "完整性", "可用性", "安全性")


@dataclass
class Check:
    """One check of the report: passes when `problems` is empty. Each problem names a file."""

    property: str  # one of PROPERTIES
    code: str  # e.g. "1-1"
    name: str  # e.g. "固化信息有效性检测（签名与哈希）"
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    count: int = 0  # how many things were checked

    @builtins.property  # the field `property` shadows the builtin in this class body
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"property": self.property, "code": self.code, "name": self.name, "ok": self.ok,
                "count": self.count, "problems": self.problems, "notes": self.notes}


@dataclass
class VerifyReport:
    path: str  # the export checked (ZIP or folder)
    checked_at: str  # ISO UTC
    bureau: str
    draft: bool
    files: int  # payload files
    bytes: int  # payload bytes
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "checked_at": self.checked_at, "bureau": self.bureau,
                "draft": self.draft, "files": self.files, "bytes": self.bytes, "ok": self.ok,
                "checks": [c.to_json() for c in self.checks]}
