"""What the 台账 (ledger) is made of, as plain data: tasks with their derived status, problems
(问题整改) and the per-category / per-department completion. Produced by tasks.ledger() and read
by the exports (ledger_docs) and the window; nothing here touches the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Derived task status; never typed in.
DONE, WHITE, YELLOW, RED, CLOSED = "done", "white", "yellow", "red", "closed"
STATUS_LABELS = {DONE: "已完成", WHITE: "白", YELLOW: "黄", RED: "红", CLOSED: "已销号"}
STATUS_COLOURS = {DONE: "#2e7d32", WHITE: "#ffffff", YELLOW: "#f9a825", RED: "#c62828",
                  CLOSED: "#607d8b"}

# Deadline kinds: a date; a recurring one (每季度, 每月, 每年, 每半年); open-ended (长期坚持,
# 常态化, 持续推进); none given.
DATE, RECURRING, OPEN, NONE = "date", "recurring", "open", "none"


@dataclass(frozen=True)
class Deadline:
    kind: str  # DATE / RECURRING / OPEN / NONE
    date: dt.date | None = None  # for DATE
    period: str | None = None  # for RECURRING: month / quarter / half / year
    text: str = ""  # as written in the task list

    def label(self) -> str:
        if self.kind == DATE and self.date:
            return self.date.isoformat()
        return self.text or {OPEN: "长期", RECURRING: "定期", NONE: "未定"}.get(self.kind, "")


@dataclass(frozen=True)
class TaskView:
    id: int
    category_code: str
    category_name: str
    item_code: str
    item_name: str
    department: str
    role: str  # lead (牵头) / support (配合)
    requirement: str  # 测评标准 / 工作要求
    material_requirement: str  # 材料要求 / 网上申报要求
    responsible: str  # 责任人
    deadline: Deadline
    status: str  # DONE / WHITE / YELLOW / RED / CLOSED
    days_left: int | None  # to the deadline (negative: overdue), for DATE deadlines
    materials: int  # materials of this department filed under the item
    final_approved: int  # of those, final-approved
    closed_reason: str = ""  # 销号
    closed_by: str = ""
    closed_at: str = ""
    done_at: str = ""  # when the first final approval covering it happened (ISO), if done
    list_kind: str = ""  # the task list it belongs to: 材料自查, 省级部门评价项目, 创新特色 …
    system_id: str = ""  # the indicator system of its 测评内容
    system_prefix: str = ""  # "" for the city system, "W" for W01.02


@dataclass(frozen=True)
class ProblemView:
    id: int
    item_code: str
    item_name: str
    department: str
    description: str
    found_at: str  # ISO date
    found_by: str
    deadline: dt.date | None
    state: str  # found / assigned / rectified / confirmed / returned
    rectification: str
    evidence: list[int]  # material ids
    feedback: str
    overdue: bool


@dataclass(frozen=True)
class NegativeView:
    """One line of the 负面清单: a risk (not occurred) or an event (occurred, with its 处置)."""

    id: int
    description: str
    category_code: str  # 测评项目 ("" when none is given)
    category_name: str
    department: str  # responsible department, "" when none
    prevention: str  # 防范措施
    occurred: bool
    occurred_on: str  # ISO date, "" when not occurred or not known
    disposal: str  # 处置 record
    disposed_by: str
    disposed_at: str  # ISO
    evidence: list[int]  # material ids
    created_by: str
    created_at: str  # ISO


@dataclass(frozen=True)
class ChecklistRow:
    """One 测评内容's 材料清单 in the 台账: complete, with gaps (and what is missing), or none."""

    code: str
    name: str
    status: str  # "complete", "gaps" or "none"
    met: int
    unmet: int
    missing: str  # what is missing, in sentences ("" when complete)


@dataclass(frozen=True)
class BonusView:
    """A material marked as 创新特色 / 加分 evidence, with the recognition it shows."""

    id: int
    title: str
    items: list[str]  # 测评内容 codes it is filed under
    department: str
    level: str  # 国家级 / 省级 / 市级, "" when not known
    issuer: str
    date: str  # ISO, "" when not known
    state: str  # review state (draft … final_approved)
    item_labels: list[str] = field(default_factory=list)  # "03.01 规范市民文明行为", as items


@dataclass
class Completion:
    """Tasks done (or 销号) out of all, for one category / item / department."""

    key: str  # code or department name
    label: str
    total: int = 0
    done: int = 0
    white: int = 0
    yellow: int = 0
    red: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 0.0


@dataclass
class SystemCompletion(Completion):
    """One indicator system (测评体系): its tasks done (or 销号) out of all, as Completion (key
    is the system's id, label its name with its edition), its weight, and how many of the places
    evidence is filed under (its 测评内容, and the 测评项目 that have none) have at least one
    final-approved material (材料覆盖)."""

    prefix: str = ""  # "" for the city system
    name: str = ""
    weight: int | None = None  # per cent of the city's total, None when not given
    items: int = 0  # 测评内容 (and 测评项目 without any) of the system
    covered: int = 0  # of those, with at least one final-approved material

    @property
    def main(self) -> bool:
        return self.prefix == ""

    @property
    def coverage(self) -> float:
        return 100.0 * self.covered / self.items if self.items else 0.0

    @property
    def weight_text(self) -> str:
        return f"{self.weight}%" if self.weight is not None else ""


@dataclass
class Ledger:
    today: dt.date
    bureau: str
    warn_days: int  # 黄 when due within this many days
    tasks: list[TaskView] = field(default_factory=list)
    problems: list[ProblemView] = field(default_factory=list)
    by_category: list[Completion] = field(default_factory=list)
    by_department: list[Completion] = field(default_factory=list)
    by_list: list[Completion] = field(default_factory=list)  # per task list (its kind)
    list_kind: str = ""  # when the ledger is of one list only
    by_system: list[SystemCompletion] = field(default_factory=list)  # city first, then added
    system: str = ""  # the system's id when the ledger is of one system only
    system_name: str = ""
    newly_done: list[TaskView] = field(default_factory=list)  # done in the 7 days before today
    bonus: list[BonusView] = field(default_factory=list)  # 创新特色（加分）材料, by level
    negatives: list[NegativeView] = field(default_factory=list)  # 负面清单, occurred first
    checklists: list[ChecklistRow] = field(default_factory=list)  # 材料清单 per 测评内容
