"""The evidence checklist of a 测评内容 (issue 19, item 2): what the item asks for — kinds of
material and how many ("工作方案", "实景图片5张以上，注明时间、地点、人物、主题", "说明报告300字")
— and which of it the material filed there already gives.

Where the spec comes from, in this order:
1. the admin's own text for the item (`item_checklist`, set_requirements), written as a task
   list writes its 材料要求;
2. the 材料要求 of the item's tasks (every distinct text of every task list);
3. the item's 测评标准 (criterion), when no task says what material it wants.
All three are read by one parser (parse): kinds and counts it recognises become
requirements, what it does not is kept as a note, shown but not checked.

How a kind is recognised in a material (what the archive knows of it: 材料类型, file kinds,
title, the caption's fields, the length of its extracted text) is in KINDS; evaluate() counts
and says what is met and what is missing, in one place for the CLI, the window, the 台账 and
the check before 提交初审."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import NodeKind, Role
from desktop.core.archive.models import (
    Blob,
    Filing,
    IndicatorNode,
    ItemChecklist,
    Material,
    MaterialFile,
    Task,
    TextState,
)
from desktop.core.common import formats
from desktop.core.common.errors import UnknownCode, ZichaError
from desktop.core.common.heap import collector_paused
from desktop.core.materials.docmeta import type_from_title
from desktop.core.materials.service import CAPTION_KEYS
from desktop.core.review import decisions, roster

MAX_TEXT = 2000  # characters of an admin's own 材料要求


# -- kinds ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    name: str  # what the checklist calls it
    unit: str  # 份 / 张 / 段
    words: tuple[str, ...]  # how a 材料要求 names it


# The words are matched longest first, so "总结报告" is a 总结 and "会议记录" one 活动记录.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("方案计划", "份", ("实施方案", "工作方案", "方案", "计划", "规划", "工作要点")),
    Kind("制度机制", "份", ("制度文件", "制度", "机制", "办法", "细则", "规定", "守则", "公约",
                         "章程", "条例")),
    Kind("活动记录", "份", ("会议记录", "会议纪要", "活动记录", "纪要", "记录", "签到表")),
    Kind("保障措施", "份", ("保障措施", "经费保障")),  # not "保障" alone: "保障群众权益"
    # not "特色" alone: "中国特色社会主义" is in every other sentence
    Kind("特色成效", "份", ("特色成效", "特色亮点", "特色做法", "工作特色", "成效材料", "成效")),
    Kind("总结", "份", ("工作总结", "总结报告", "总结")),
    Kind("说明报告", "份", ("情况说明", "说明报告", "情况报告", "工作报告", "自查报告",
                         "整改报告", "情况汇报", "汇报", "报告")),
    Kind("图片", "张", ("实景图片", "活动图片", "现场照片", "图片", "照片", "相片", "截图",
                       "截屏")),
    Kind("视频", "段", ("视频", "录像", "影像资料")),
    Kind("台账", "份", ("工作台账", "台账", "统计表", "统计数字", "统计", "名录", "名单", "清单",
                       "登记表")),
    Kind("报道", "份", ("新闻报道", "媒体报道", "报道")),
    Kind("文件", "份", ("规范文件", "政策文件", "下发文件", "文件")),
)}
# kinds whose length a 材料要求 may state ("说明报告300字")
TEXT_KINDS = ("说明报告", "总结", "方案计划", "制度机制", "特色成效", "保障措施", "文件", "报道")
MEDIA_KINDS = ("图片", "视频")  # kinds a caption (注明时间、地点…) belongs to
TYPED = ("方案计划", "制度机制", "活动记录", "保障措施", "特色成效")  # = a 材料类型

_WORD = {w: k.name for k in KINDS.values() for w in k.words}
_WORDS = re.compile("|".join(sorted(map(re.escape, _WORD), key=len, reverse=True)))

# caption fields as a 材料要求 names them -> the caption's keys
CAPTION_WORDS = {
    "时间": ("报道时间", "拍摄时间", "活动时间", "时间", "日期"),
    "地点": ("活动地点", "地点", "场所", "位置"),
    "人物": ("主讲人", "参加人员", "参与人员", "参加人", "人员", "人物"),
    "主题": ("宣讲主题", "活动主题", "专栏专题名称", "专题名称", "栏目名称", "专栏名称", "主题",
           "专题", "专栏"),
    "背景": ("背景",),
    "事由": ("事由", "起因"),
}
_CAPTION_WORD = sorted(((w, key) for key, ws in CAPTION_WORDS.items() for w in ws),
                       key=lambda p: len(p[0]), reverse=True)

_SHEET_KINDS = formats.kinds_of(formats.Family.SHEET) | {"csv"}
_DOCUMENT_KINDS = formats.kinds_of(formats.Family.DOCUMENT) | formats.kinds_of(
    formats.Family.TEXT)


# -- the spec --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Requirement:
    kinds: tuple[str, ...]  # any one of them will do ("图片或新闻报道": 图片, 报道)
    count: int = 1
    min_chars: int = 0  # a text kind: characters of extracted text each one must have
    captions: tuple[str, ...] = ()  # a picture or video: the caption fields each must have
    words: tuple[str, ...] = ()  # how the text named it, e.g. ("工作方案",)
    text: str = ""  # the sentence it was read from

    @property
    def unit(self) -> str:
        return KINDS[self.kinds[0]].unit

    @property
    def name(self) -> str:
        """The words the text used ("工作方案"; "照片或新闻报道" for alternatives)."""
        if not self.words:
            return "或".join(self.kinds)
        return ("或" if len(self.kinds) > 1 else "、").join(self.words)

    @property
    def label(self) -> str:
        """"实景图片 ≥ 5 张（注明时间、地点）", "情况说明 ≥ 1 份（每份 ≥ 300 字）"."""
        text = f"{self.name} ≥ {self.count} {self.unit}"
        extra = []
        if self.captions:
            extra.append("注明" + "、".join(self.captions))
        if self.min_chars:
            extra.append(f"每{self.unit} ≥ {self.min_chars} 字")
        return text + (f"（{'，'.join(extra)}）" if extra else "")

    def to_json(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds), "count": self.count, "min_chars": self.min_chars,
                "captions": list(self.captions), "words": list(self.words),
                "label": self.label, "text": self.text}


ADMIN, TASKS, CRITERION, NONE = "admin", "tasks", "criterion", "none"
SOURCE_LABELS = {ADMIN: "管理员设定", TASKS: "任务清单的材料要求", CRITERION: "测评标准",
                 NONE: "无"}


@dataclass(frozen=True)
class Spec:
    code: str
    requirements: tuple[Requirement, ...] = ()
    notes: tuple[str, ...] = ()  # what the parser did not recognise, kept as written
    source: str = NONE
    texts: tuple[str, ...] = ()  # the texts it was read from
    set_by: str = ""  # the admin, for source ADMIN
    set_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "source": self.source,
                "requirements": [r.to_json() for r in self.requirements],
                "notes": list(self.notes), "texts": list(self.texts), "set_by": self.set_by,
                "set_at": self.set_at.isoformat(timespec="seconds") if self.set_at else None}


# -- the parser ------------------------------------------------------------------------------

_CLAUSES = re.compile(r"[;。\n]+|(?:^|(?<=[\s:,、]))\(?\d{1,2}[).、](?!\d)")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}
_NUM = r"(\d+|[一二两三四五六七八九十]{1,3})"
_COUNT = re.compile(r"(?:不少于|至少|不低于|最少|≥|>=)?\s*" + _NUM
                    + r"\s*(张|幅|份|篇|个|条|次|段|部|件|期|本|套|组)"
                    r"(?!月|小时|工作日|季度|星期|周|年)(?:及?以上|或以上)?")
_CHARS = re.compile(r"(?:字数)?(?:不少于|至少|不低于|≥|>=)?\s*(\d+)\s*字(?!数)(?:以上|左右)?"
                    r"|字数(?:不少于|至少|不低于|≥|>=|在)\s*(\d+)(?:字)?")
_CAPTION = re.compile(r"(?:需|须|要|并|应)?(?:注明|标明|标注|写明|载明)\s*:?\s*([^;()]*)")
_ALTERNATIVE = re.compile(r"^[^、,和及与]*或[^、,和及与]*$")
_FILLER = re.compile(r"[提供需须要应相关等及和与以并的各其中:：,，、()（）\s\d]"
                     r"|情况|材料|资料|工作")
_DOCUMENTISH = re.compile(r"(材料|资料|表|册|书|单|证|函|意见|通报|情况|数据|样报)$")
# the units a count may be written in, by the kind's own unit
_UNITS = {"张": "张幅个组套", "份": "份篇个件本套期条", "段": "段部个条"}
_SPLIT = re.compile(r"[、,]|以及|及|和|与")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _CN_NUM.get(text[1:], 0)
    if len(text) > 1 and text[1] == "十":
        return _CN_NUM[text[0]] * 10 + _CN_NUM.get(text[2:], 0)
    return _CN_NUM.get(text, 1)


@dataclass
class _Mention:
    kind: str
    word: str
    start: int
    end: int
    count: int = 0  # 0 = not stated
    min_chars: int = 0
    captions: list[str] = field(default_factory=list)
    alternatives: list[_Mention] = field(default_factory=list)


def _clauses(text: str) -> list[str]:
    normal = unicodedata.normalize("NFKC", text)
    return [c.strip(" ,、:") for c in _CLAUSES.split(normal) if c and c.strip(" ,、:")]


def _nearest(mentions: list[_Mention], start: int, end: int,
             fits: Callable[[_Mention], bool]) -> _Mention | None:
    best, gap = None, 10**9
    for m in mentions:
        if not fits(m):
            continue
        d = start - m.end if m.end <= start else m.start - end if m.start >= end else 0
        if d < gap:
            best, gap = m, d
    return best


def _in_unit(unit: str) -> Callable[[_Mention], bool]:
    return lambda m: unit in _UNITS[KINDS[m.kind].unit]


def _of_kinds(kinds: tuple[str, ...]) -> Callable[[_Mention], bool]:
    return lambda m: m.kind in kinds


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _parse_clause(clause: str, notes: list[str]) -> list[_Mention]:
    """The kinds a clause names, with the counts, lengths and caption fields it gives them;
    what it names that is no kind goes to `notes`."""
    work = clause
    captions: list[tuple[int, int, list[str]]] = []
    for m in _CAPTION.finditer(clause):
        fields, unknown = [], []
        for part in re.split(r"[、,和及与/]", m.group(1)):
            part = part.strip()
            if not part:
                continue
            key = next((k for w, k in _CAPTION_WORD if w in part), None)
            if key is None:
                unknown.append(part)
            elif key not in fields:
                fields.append(key)
        if fields:
            captions.append((m.start(), m.end(), fields))
            work = _blank(work, m.start(), m.end())
        if unknown:
            notes.append(f"注明{'、'.join(unknown)}（{clause}）")
    counts: list[tuple[int, int, int, str]] = []
    for m in _COUNT.finditer(work):
        counts.append((m.start(), m.end(), _number(m.group(1)), m.group(2)))
    chars: list[tuple[int, int, int, str]] = []
    for m in _CHARS.finditer(work):
        chars.append((m.start(), m.end(), int(m.group(1) or m.group(2)), "字"))
    for start, end, *_n in counts + chars:
        work = _blank(work, start, end)
    mentions: list[_Mention] = []
    for found in _WORDS.finditer(work):
        named = _Mention(_WORD[found.group(0)], found.group(0), found.start(), found.end())
        if mentions and not work[mentions[-1].end:named.start].strip():
            # one name of two words ("新闻报道截图"): the last word says what it is
            prev = mentions.pop()
            kind = prev.kind if named.kind == "文件" else named.kind  # "经费保障文件": 保障措施
            named = _Mention(kind, clause[prev.start:named.end], prev.start, named.end)
        mentions.append(named)
    for start, end, n, unit in counts:
        target = _nearest(mentions, start, end, _in_unit(unit))
        if target is not None:
            target.count = max(target.count, n)
    for start, end, n, _unit in chars:
        target = _nearest(mentions, start, end, _of_kinds(TEXT_KINDS))
        if target is not None:
            target.min_chars = max(target.min_chars, n)
    for start, end, fields in captions:
        target = _nearest(mentions, start, end, _of_kinds(MEDIA_KINDS))
        if target is not None:
            target.captions += [f for f in fields if f not in target.captions]
        else:
            notes.append(f"注明{'、'.join(fields)}（{clause}）")
    # "A或B": one requirement either kind meets
    merged: list[_Mention] = []
    for named in mentions:
        if merged and named.kind != merged[-1].kind and \
                _ALTERNATIVE.match(work[merged[-1].end:named.start] or "、"):
            merged[-1].alternatives.append(named)
        else:
            merged.append(named)
    if not mentions:
        if len(_FILLER.sub("", clause)) >= 2:
            notes.append(clause.removeprefix("提供"))
        return []
    # a named thing that is no kind ("宣传资料", "验收意见"): a note
    offset = 0
    for piece in _SPLIT.split(work):
        at = work.find(piece, offset)
        offset = at + len(piece)
        if any(named.start < offset and named.end > at for named in mentions):
            continue
        rest = piece.strip()
        if len(_FILLER.sub("", rest)) >= 2 and _DOCUMENTISH.search(rest):
            notes.append(clause[at:offset].strip().removeprefix("提供"))
    return merged


def _requirement(group: list[_Mention], text: str) -> Requirement:
    kinds = tuple(dict.fromkeys(k for m in group for k in [m.kind, *(a.kind for a in
                                                                   m.alternatives)]))
    words = tuple(dict.fromkeys(w for m in group for w in [m.word, *(a.word for a in
                                                                   m.alternatives)]))
    everything = [x for m in group for x in [m, *m.alternatives]]
    return Requirement(
        kinds=kinds,
        count=max(1, max(m.count for m in everything)),
        min_chars=max(m.min_chars for m in everything),
        captions=tuple(dict.fromkeys(c for m in everything for c in m.captions)),
        words=words, text=text)


def _key(r: Requirement) -> tuple[str, ...]:
    return r.kinds


# what a 测评标准 says when it speaks of evidence rather than of the work itself
_EVIDENCE = re.compile(r"提供|报送|上传|提交|佐证|备查|留存|存档|附上|附有|需注明|须注明")


def _list_like(clause: str) -> bool:
    """A sentence that is a list of materials ("工作方案、会议记录、活动图片（注明…）") rather than
    prose about the work: little is left once the kinds, counts and caption fields are out."""
    rest = _FILLER.sub("", _WORDS.sub("", _CAPTION.sub("", _COUNT.sub("", clause))))
    return len(rest) <= 0.3 * len(re.sub(r"\s", "", clause))


def parse(text: str, *, evidence_only: bool = False) -> tuple[list[Requirement], list[str]]:
    """The requirements a 材料要求 states, and its notes: the parts that name no kind, kept as
    written. One kind named twice in a sentence is one requirement with the larger number;
    named in separate sentences (；。 or numbered), the numbers add up. With `evidence_only`
    (a 测评标准, which mostly describes the work: "建立长效机制"), only what a sentence asks to
    be provided is read, from its 提供/报送/佐证… on, and sentences that are lists of
    materials; the rest is neither a requirement nor a note."""
    requirements: dict[tuple[str, ...], Requirement] = {}
    notes: list[str] = []
    for clause in _clauses(text):
        if evidence_only:
            found = _EVIDENCE.search(clause)
            if found is not None:
                clause = clause[found.start():]
            elif not _list_like(clause):
                continue
        by_kind: dict[tuple[str, ...], list[_Mention]] = {}
        for m in _parse_clause(clause, notes):
            kinds = (m.kind, *(a.kind for a in m.alternatives))
            by_kind.setdefault(kinds, []).append(m)
        for kinds, group in by_kind.items():
            new = _requirement(group, clause)
            old = requirements.get(kinds)
            requirements[kinds] = new if old is None else replace(
                old, count=old.count + new.count, min_chars=max(old.min_chars, new.min_chars),
                captions=tuple(dict.fromkeys(old.captions + new.captions)),
                words=tuple(dict.fromkeys(old.words + new.words)),
                text=f"{old.text}；{new.text}")
    return list(requirements.values()), list(dict.fromkeys(notes))


def merge(parsed: Iterable[tuple[list[Requirement], list[str]]]
          ) -> tuple[list[Requirement], list[str]]:
    """Several texts for one item (one per department's task): each says the whole of it, so
    a kind takes the largest count any of them asks, and the caption fields of all."""
    requirements: dict[tuple[str, ...], Requirement] = {}
    notes: list[str] = []
    for reqs, more in parsed:
        for r in reqs:
            old = requirements.get(_key(r))
            requirements[_key(r)] = r if old is None else replace(
                old, count=max(old.count, r.count), min_chars=max(old.min_chars, r.min_chars),
                captions=tuple(dict.fromkeys(old.captions + r.captions)),
                words=tuple(dict.fromkeys(old.words + r.words)))
        notes += more
    return list(requirements.values()), list(dict.fromkeys(notes))


# -- reading the spec of an item ------------------------------------------------------------

def _item_node(session: Session, code: str) -> IndicatorNode:
    node = session.get(IndicatorNode, code)
    if node is None:
        raise UnknownCode(f"未知的测评内容编号 {code}", hint="用 zicha items 查看本档案的编号")
    if node.kind != NodeKind.ITEM:
        raise ZichaError(f"{code} {node.name} 是测评项目；材料清单按测评内容设定（如 {code}.01）")
    return node


def _specs(session: Session, nodes: Sequence[IndicatorNode]) -> dict[str, Spec]:
    codes = [n.code for n in nodes]
    admin = {r.code: r for r in session.scalars(
        select(ItemChecklist).where(ItemChecklist.code.in_(codes)))}
    task_texts: dict[str, list[str]] = {}
    for code, text in session.execute(select(Task.node_code, Task.material_requirement)
                                      .where(Task.node_code.in_(codes)).order_by(Task.id)):
        if text and text.strip():
            texts = task_texts.setdefault(code, [])
            if text.strip() not in texts:
                texts.append(text.strip())
    specs = {}
    for node in nodes:
        row = admin.get(node.code)
        if row is not None:
            reqs, notes = parse(row.text)
            specs[node.code] = Spec(node.code, tuple(reqs), tuple(notes), ADMIN,
                                    (row.text,) if row.text else (), row.set_by, row.set_at)
        elif node.code in task_texts:
            texts = task_texts[node.code]
            reqs, notes = merge(parse(t) for t in texts)
            specs[node.code] = Spec(node.code, tuple(reqs), tuple(notes), TASKS, tuple(texts))
        elif node.criterion.strip():
            reqs, notes = parse(node.criterion, evidence_only=True)
            specs[node.code] = Spec(node.code, tuple(reqs), tuple(notes), CRITERION,
                                    (node.criterion,))
        else:
            specs[node.code] = Spec(node.code)
    return specs


def spec(archive: Archive, code: str) -> Spec:
    with archive.read() as session:
        node = _item_node(session, code.strip())
        return _specs(session, [node])[node.code]


def set_requirements(archive: Archive, code: str, text: str | None, *, actor: str) -> Spec:
    """The admin's own 材料要求 of 测评内容 `code`, in the words a task list uses; it replaces
    what the checklist reads from the tasks and the 测评标准. `text` "" says the item needs no
    checklist; None takes the admin's text away (back to the tasks' 材料要求). A text in which
    nothing is recognised is refused: it would check nothing. Audit entry `item.checklist`."""
    code = code.strip()
    if not actor.strip():
        raise ZichaError("请说明是哪位管理员设定的材料要求", hint="用 --as 姓名")
    if text is not None:
        text = text.strip()
        if len(text) > MAX_TEXT:
            raise ZichaError(f"材料要求有 {len(text)} 字，超过 {MAX_TEXT} 字；请只写要提供的材料")
        if text and not parse(text)[0]:
            raise ZichaError(
                f"“{text}”中没有读出任何材料种类；请写明要提供的材料及数量，如"
                "“工作方案1份；实景图片5张以上，注明时间、地点、人物、主题；情况说明300字”",
                hint="认得的材料种类见 zicha items requirements --help")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with archive.write(actor) as (session, log):
        _person, who = roster.acting_person(session, actor)
        who.require(Role.ADMIN, None, f"{actor} 不是管理员；只有管理员可以设定材料要求")
        node = _item_node(session, code)
        row = session.get(ItemChecklist, code)
        before = row.text if row is not None else None
        if before == text:
            return _specs(session, [node])[code]
        if text is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ItemChecklist(code=code, text=text, set_by=actor, set_at=now))
        else:
            row.text, row.set_by, row.set_at = text, actor, now
        session.flush()
        log("item.checklist", code, {"name": node.name, "before": before, "after": text})
        return _specs(session, [node])[code]


# -- evaluation ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One countable piece of evidence: a material, or one picture file of it."""

    material_id: int
    title: str
    kind: str  # the requirement kind it is of
    chars: int
    captions: frozenset[str]  # caption fields written


@dataclass(frozen=True)
class Check:
    requirement: Requirement
    found: int  # pieces that meet it fully
    short: int  # pieces of the right kind lacking caption fields or length
    materials: tuple[int, ...]  # the materials counted in `found`
    lacking: tuple[str, ...] = ()  # caption fields the short ones lack, e.g. ("背景",)

    @property
    def met(self) -> bool:
        return self.found >= self.requirement.count

    @property
    def missing(self) -> str:
        """"" when met, else what is missing in a sentence."""
        if self.met:
            return ""
        r = self.requirement
        text = f"{r.name}还差 {r.count - self.found} {r.unit}（要 {r.count}，有 {self.found}）"
        if self.short:
            why = []
            if self.lacking:
                why.append("缺图片说明" + "、".join(self.lacking))
            if r.min_chars:
                why.append(f"不足 {r.min_chars} 字")
            text += f"；另有 {self.short} {r.unit}{'或'.join(why) or '不合要求'}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {**self.requirement.to_json(), "found": self.found, "short": self.short,
                "lacking": list(self.lacking), "materials": list(self.materials),
                "met": self.met, "missing": self.missing}


@dataclass(frozen=True)
class Checklist:
    code: str
    name: str
    spec: Spec
    checks: tuple[Check, ...]
    materials: int  # materials filed under the item

    @property
    def gaps(self) -> list[Check]:
        return [c for c in self.checks if not c.met]

    @property
    def complete(self) -> bool:
        return bool(self.checks) and not self.gaps

    @property
    def status(self) -> str:
        """"complete", "gaps" or "none" (the item asks for nothing the checklist knows)."""
        return "none" if not self.checks else "gaps" if self.gaps else "complete"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "status": self.status,
                "source": self.spec.source, "materials": self.materials,
                "requirements": [c.to_json() for c in self.checks],
                "met": sum(c.met for c in self.checks), "unmet": len(self.gaps),
                "notes": list(self.spec.notes), "texts": list(self.spec.texts),
                "set_by": self.spec.set_by,
                "set_at": self.spec.set_at.isoformat(timespec="seconds")
                if self.spec.set_at else None}

    def gap_entry(self) -> dict[str, Any]:
        """What submission records of this item: {item, name, missing: [sentence]}."""
        return {"item": self.code, "name": self.name, "missing": [c.missing for c in self.gaps]}


_SUMMARY_TITLE = re.compile(r"总结")
_REPORT_TITLE = re.compile(r"说明|报告|汇报|总结")
_LEDGER_TITLE = re.compile(r"台账|统计|名录|名单|清单|登记表|一览表")
_NEWS = re.compile(r"报道|新闻|专栏|刊播|媒体|报纸|电视|截屏")


@dataclass(frozen=True)
class Evidence:
    """What the checklist knows of one material: read with plain column queries, so that the
    checklists of every 测评内容 of a large archive are quick to evaluate."""

    id: int
    title: str
    material_type: str
    description: str
    captions: frozenset[str]  # the caption fields written
    files: tuple[tuple[str, str, int | None], ...]  # (sha256, kind, page count)


def units_of(m: Evidence, chars: dict[str, int]) -> dict[str, list[Unit]]:
    """The pieces of evidence material `m` gives, per kind. A photo file is one 图片 each
    (a PDF or document typed 图片 one per page); every other kind counts materials."""
    text = sum(chars.get(sha, 0) for sha, _kind, _pages in m.files)
    kinds = {kind for _sha, kind, _pages in m.files}
    typed = m.material_type if m.material_type != "其他" else type_from_title(m.title)
    found: dict[str, list[Unit]] = {}

    def add(kind: str, n: int = 1) -> None:
        found.setdefault(kind, []).extend(Unit(m.id, m.title, kind, text, m.captions)
                                          for _ in range(n))

    if typed in TYPED:
        add(typed)
    if _SUMMARY_TITLE.search(m.title):
        add("总结")
    if _REPORT_TITLE.search(m.title) and kinds & _DOCUMENT_KINDS:
        add("说明报告")
    pictures = 0
    for _sha, kind, pages in m.files:
        if kind in formats.IMAGE_KINDS:
            pictures += 1
        elif m.material_type == "图片" and kind not in formats.VIDEO_KINDS:
            pictures += pages or 1
    if pictures:
        add("图片", pictures)
    videos = sum(kind in formats.VIDEO_KINDS for _sha, kind, _pages in m.files)
    if videos or m.material_type == "视频":
        add("视频", max(videos, 1))
    if kinds & _SHEET_KINDS or _LEDGER_TITLE.search(m.title):
        add("台账")
    if _NEWS.search(m.title) or _NEWS.search(m.description):
        add("报道")
    if kinds & _DOCUMENT_KINDS and m.material_type not in ("图片", "视频"):
        add("文件")
    return found


_CAPTION_COLUMNS = [getattr(Material, attr) for attr in CAPTION_KEYS.values()]


def _evidence(session: Session, codes: Sequence[str]
              ) -> tuple[dict[int, Evidence], dict[int, list[str]], dict[str, int]]:
    """The materials filed under `codes`, which of those codes each is filed under, and the
    length of each of their files' extracted text."""
    filed = select(Filing.material_id).where(Filing.node_code.in_(list(codes)))
    where: dict[int, list[str]] = {}
    for material_id, code in session.execute(
            select(Filing.material_id, Filing.node_code).where(Filing.node_code.in_(list(codes)))):
        where.setdefault(material_id, []).append(code)
    files: dict[int, list[tuple[str, str, int | None]]] = {}
    for material_id, sha, kind, pages in session.execute(
            select(MaterialFile.material_id, MaterialFile.sha256, Blob.kind, Blob.page_count)
            .join(Blob, Blob.sha256 == MaterialFile.sha256)
            .where(MaterialFile.material_id.in_(filed))
            .order_by(MaterialFile.material_id, MaterialFile.position)):
        files.setdefault(material_id, []).append((sha, kind, pages))
    found = {}
    for row in session.execute(
            select(Material.id, Material.title, Material.material_type, Material.description,
                   *_CAPTION_COLUMNS).where(Material.id.in_(filed))):
        material_id, title, material_type, description, *caption = row
        written = frozenset(k for k, v in zip(CAPTION_KEYS, caption, strict=True)
                            if str(v or "").strip())
        found[material_id] = Evidence(material_id, title, material_type, description or "",
                                      written, tuple(files.get(material_id, ())))
    chars = dict(session.execute(
        select(TextState.sha256, TextState.chars).where(TextState.sha256.in_(
            select(MaterialFile.sha256).where(MaterialFile.material_id.in_(filed))))).all())
    return found, where, chars


def _check(r: Requirement, units: list[Unit]) -> Check:
    good, short, lacking, ids = 0, 0, set(), []
    for u in units:
        if u.kind not in r.kinds:
            continue
        missing = [c for c in r.captions if c not in u.captions]
        if missing or u.chars < r.min_chars:
            short += 1
            lacking.update(missing)
            continue
        good += 1
        if u.material_id not in ids:
            ids.append(u.material_id)
    order = {k: i for i, k in enumerate(CAPTION_KEYS)}
    return Check(r, good, short, tuple(ids), tuple(sorted(lacking, key=order.__getitem__)))


def _evaluate(session: Session, nodes: Sequence[IndicatorNode]) -> list[Checklist]:
    specs = _specs(session, nodes)
    codes = [n.code for n in nodes]
    materials, where, chars = _evidence(session, codes)
    by_code: dict[str, list[Unit]] = {c: [] for c in codes}
    counts = dict.fromkeys(codes, 0)
    for material_id in sorted(materials):
        units = [u for us in units_of(materials[material_id], chars).values() for u in us]
        for code in where.get(material_id, ()):
            by_code[code] += units
            counts[code] += 1
    result = []
    for node in nodes:
        s = specs[node.code]
        checks = tuple(_check(r, by_code[node.code]) for r in s.requirements)
        result.append(Checklist(node.code, node.name, s, checks, counts[node.code]))
    return result


def checklist(archive: Archive, code: str) -> Checklist:
    """The checklist of 测评内容 `code`: each requirement with what is found, met or missing."""
    with collector_paused(), archive.read() as session:  # all its filings (common/heap.py)
        return _evaluate(session, [_item_node(session, code.strip())])[0]


def checklists(archive: Archive, codes: Sequence[str] | None = None) -> list[Checklist]:
    """Every 测评内容's checklist (or those of `codes`), in code order."""
    with collector_paused(), archive.read() as session:  # every filing (common/heap.py)
        query = select(IndicatorNode).where(IndicatorNode.kind == NodeKind.ITEM)
        if codes is not None:
            query = query.where(IndicatorNode.code.in_(list(codes)))
        return _evaluate(session, list(session.scalars(query.order_by(IndicatorNode.code))))


@dataclass(frozen=True)
class Totals:
    items: int
    complete: int
    with_gaps: int
    without_spec: int

    def to_json(self) -> dict[str, int]:
        return {"items": self.items, "complete": self.complete, "with_gaps": self.with_gaps,
                "without_spec": self.without_spec}


def totals(lists: Iterable[Checklist]) -> Totals:
    lists = list(lists)
    return Totals(len(lists), sum(c.status == "complete" for c in lists),
                  sum(c.status == "gaps" for c in lists), sum(c.status == "none" for c in lists))


# -- before 提交初审 ------------------------------------------------------------------------

def _gaps_in(session: Session, material_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    codes_of: dict[int, list[str]] = {}
    for material_id, code in session.execute(
            select(Filing.material_id, Filing.node_code)
            .where(Filing.material_id.in_(list(material_ids)))):
        codes_of.setdefault(material_id, []).append(code)
    codes = sorted({c for cs in codes_of.values() for c in cs})
    nodes = list(session.scalars(select(IndicatorNode).where(
        IndicatorNode.code.in_(codes), IndicatorNode.kind == NodeKind.ITEM)))
    lists = {c.code: c for c in _evaluate(session, nodes)} if nodes else {}
    gaps = {}
    for material_id in material_ids:
        found = [lists[c].gap_entry() for c in sorted(codes_of.get(material_id, []))
                 if c in lists and lists[c].gaps]
        if found:
            gaps[material_id] = found
    return gaps


def submission_gaps(archive: Archive, material_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What the checklists of these materials' 测评内容 still lack, one entry per item
    ({item, name, missing: [sentence]}); [] when nothing is missing."""
    with archive.read() as session:
        per_material = _gaps_in(session, material_ids)
    items: dict[str, dict[str, Any]] = {}
    for entries in per_material.values():
        for entry in entries:
            items.setdefault(entry["item"], entry)
    return [items[c] for c in sorted(items)]


class GapsFound(ZichaError):
    """Submission refused because the checklists have gaps; `gaps` lists them by item."""

    def __init__(self, gaps: list[dict[str, Any]]) -> None:
        lines = "；".join(f"{g['item']} {g['name']}：{'，'.join(g['missing'])}" for g in gaps)
        super().__init__(f"材料清单还有缺项，未提交：{lines}。补齐后再提交，或确认仍要提交",
                         hint="确认仍要提交时加 --despite-gaps")
        self.gaps = gaps


def gap_text(gaps: list[dict[str, Any]]) -> str:
    """The gaps as lines, one per item, for a message box or the review panel."""
    return "\n".join(f"{g['item']} {g['name']}：{'；'.join(g['missing'])}" for g in gaps)


def submit(archive: Archive, material_ids: Sequence[int], by: str, *,
           despite_gaps: bool = False) -> dict[int, list[dict[str, Any]]]:
    """提交初审 with the checklist checked, in one transaction: with gaps in the checklists of
    the materials' 测评内容 nothing is submitted (GapsFound) unless `despite_gaps`; then the
    gaps are recorded with each material's new round, for the reviewers. Returns them."""
    with archive.write(by) as (session, log):
        gaps = _gaps_in(session, material_ids)
        if gaps and not despite_gaps:
            decisions.check_submission(session, material_ids, by)
            items: dict[str, dict[str, Any]] = {}
            for entries in gaps.values():
                for e in entries:
                    items.setdefault(e["item"], e)
            raise GapsFound([items[c] for c in sorted(items)])
        decisions.submit_in(session, log, material_ids, by, gaps)
    return gaps
