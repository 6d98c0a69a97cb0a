"""A task list's own headings (the bureau's "提升服务水平,建设廉洁高效政府") and the 测评项目 they
stand for. Pure logic, no database: given the headings of a list, the categories of the
system (with the names of their 测评内容) and any mapping already known, say for each heading
which category it goes to and why, or propose one.

How a heading is settled, first rule that applies:
1. a mapping given for this import (the dialog's choice, the command line), or saved with the
   list at an earlier import;
2. the heading *is* a category: it contains a category's name (or is contained in one), with
   no other code written before it; or it starts with the category's two-digit code ("06 …");
3. otherwise it needs a choice, and a proposal is made: a number written before it ("一、",
   "6、", which may be the list's own numbering) wins; else the category sharing the most
   two-character words with the heading (words of the category's name and of its 测评内容
   names; generic words such as 建设、加强、推进 do not count). No proposal when nothing is
   shared or two categories tie.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.core.ledger.tasklist import category_code

GIVEN, SAVED, NAME, CODE, PROPOSED, NONE = "given", "saved", "name", "code", "proposed", "none"
NEW = "new"  # settled: becomes a new 测评项目 of the list's system, named after the heading
NO_HEADING = "（未写测评项目）"  # how a row without a heading is named

# Words too common in headings to say which category a heading means.
GENERIC_WORDS = ("建设", "加强", "提升", "提高", "推进", "促进", "开展", "工作", "完善", "营造",
                 "打造", "实施", "优化", "建立", "深化", "全面", "积极", "大力", "机制", "活动",
                 "培育", "丰富", "塑造", "弘扬", "水平", "体系", "进一步")

_MARKER = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|"
                     r"[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．:：]?(?=\D))\s*")
_PUNCT = re.compile(r"[\s,，、;；:：.。!！?？\"“”'‘’()（）\[\]【】《》〈〉·\-—_/]+")
# the system's own code: two digits ("06 政务廉洁高效"); "1、" or "6." is a list's own numbering
_DIGIT_CODE = re.compile(r"^\s*\d{2}(?![\d、.．])")


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    items: tuple[str, ...] = ()  # names of its 测评内容 already in the archive


@dataclass
class HeadingChoice:
    heading: str  # as written (one line); "" for rows without one
    rows: list[int]  # spreadsheet rows of its tasks
    code: str | None  # the category it goes to; None while undecided (or NEW, until made)
    how: str  # GIVEN, SAVED, NAME, CODE, NEW (settled) or PROPOSED, NONE (needs a choice)
    reason: str  # in Chinese, for the dialog and the messages
    proposal: str | None = None  # the proposed code (PROPOSED) or the settled one
    score: int = 0
    shared: list[str] = field(default_factory=list)  # the words shared with the proposal

    @property
    def settled(self) -> bool:
        return self.how in (GIVEN, SAVED, NAME, CODE, NEW)

    @property
    def label(self) -> str:
        return self.heading or NO_HEADING


def heading_key(heading: str) -> str:
    """What identifies a heading in a mapping: no spaces, no leading 序号 ("（一）", "一、",
    "1."), full-width commas and semicolons as ASCII ones."""
    text = _MARKER.sub("", heading, count=1)
    text = re.sub(r"\s+", "", text)
    return text.replace("，", ",").replace("；", ";").replace("：", ":")


def heading_name(heading: str) -> str:
    """The name a heading gives a new 测评项目: as written, without its 序号, on one line."""
    return " ".join(_MARKER.sub("", heading, count=1).split())


def new_choice(heading: str, rows: list[int], system: str) -> HeadingChoice:
    return HeadingChoice(heading, rows, None, NEW,
                         f"新建测评项目“{heading_name(heading)}”（{system}）")


def _words(text: str) -> set[str]:
    """Two-character words of the text, within runs between punctuation, generic ones left out."""
    found: set[str] = set()
    for run in _PUNCT.split(text):
        for generic in GENERIC_WORDS:
            run = run.replace(generic, "|")
        for part in run.split("|"):
            found.update(part[i:i + 2] for i in range(len(part) - 1))
    return found


def _runs(heading: str, words: set[str]) -> list[str]:
    """The shared words joined where they overlap in the heading: 廉洁、洁高、高效 → 廉洁高效."""
    runs: list[str] = []
    text = heading_key(heading)
    i = 0
    while i < len(text) - 1:
        if text[i:i + 2] in words:
            j = i + 1
            while j < len(text) - 1 and text[j:j + 2] in words:
                j += 1
            run = text[i:j + 1]
            if run not in runs:
                runs.append(run)
            i = j + 1
        else:
            i += 1
    return runs


def _by_name(heading: str, categories: list[Category]) -> Category | None:
    name = heading_key(heading)
    name = re.sub(r"^\d{1,2}\s*", "", name)
    if not name:
        return None
    return next((c for c in categories if c.name in name or name in c.name), None)


def _scores(heading: str, categories: list[Category]) -> list[tuple[int, Category, set[str]]]:
    words = _words(heading_key(heading))
    scored = []
    for category in categories:
        theirs = _words(category.name)
        for item in category.items:
            theirs |= _words(item)
        shared = words & theirs
        scored.append((len(shared), category, shared))
    return sorted(scored, key=lambda s: (-s[0], s[1].code))


def settle(heading: str, rows: list[int], categories: list[Category],
           given: dict[str, str], saved: dict[str, str], prefix: str = "") -> HeadingChoice:
    """How one heading maps (see the module's rules). `given` and `saved` are keyed by
    heading_key(). `prefix`: of the system's codes, put before a code written in a heading."""
    key = heading_key(heading)
    codes = {c.code: c for c in categories}
    for how, mapping, reason in ((GIVEN, given, "本次指定"), (SAVED, saved, "上次导入时确认")):
        code = mapping.get(key)
        if code in codes:
            return HeadingChoice(heading, rows, code, how,
                                 f"{reason}：{code} {codes[code].name}", code)
    local = category_code(heading) if heading else None
    written = prefix + local if local else None
    named = _by_name(heading, categories) if heading else None
    if named and written in (None, named.code):
        return HeadingChoice(heading, rows, named.code, NAME,
                             f"名称即测评项目“{named.name}”", named.code)
    if written in codes and _DIGIT_CODE.match(heading) and named is None:
        return HeadingChoice(heading, rows, written, CODE,
                             f"写有编号 {written}（{codes[written].name}）", written)
    if written in codes:
        marker = _MARKER.match(heading)
        shown = marker[0].strip() if marker else written
        return HeadingChoice(heading, rows, None, PROPOSED,
                             f"建议 {written} {codes[written].name}：标题前写有序号“{shown}”",
                             written)
    if not heading:
        return HeadingChoice(heading, rows, None, NONE,
                             "这些行没有写测评项目，请选择它们所属的测评项目")
    scored = _scores(heading, categories)
    best = scored[0] if scored else None
    if best is None or best[0] == 0:
        return HeadingChoice(heading, rows, None, NONE,
                             "与各测评项目的名称和测评内容没有共同的词，请选择")
    if len(scored) > 1 and scored[1][0] == best[0]:
        tied = "、".join(f"{s[1].code} {s[1].name}" for s in scored if s[0] == best[0])
        return HeadingChoice(heading, rows, None, NONE,
                             f"与 {tied} 共有的词一样多（{best[0]} 个），无法建议，请选择")
    score, category, shared = best
    runs = _runs(heading, shared)
    where = "名称和测评内容" if category.items else "名称"
    second = (f"；其次 {scored[1][1].code} {scored[1][1].name}（{scored[1][0]}）"
              if len(scored) > 1 and scored[1][0] else "")
    return HeadingChoice(heading, rows, None, PROPOSED,
                         f"建议 {category.code} {category.name}：与其{where}共有"
                         f"{'、'.join(f'“{r}”' for r in runs)}（得分 {score}{second}）",
                         category.code, score, runs)


def settle_all(headings: Iterable[tuple[str, list[int]]], categories: list[Category],
               given: dict[str, str], saved: dict[str, str], prefix: str = ""
               ) -> list[HeadingChoice]:
    return [settle(heading, rows, categories, given, saved, prefix) for heading, rows in headings]
