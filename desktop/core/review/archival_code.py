"""档号 as text and data, and the register's gap check: what the 四性检测 of an export needs of
review/archival.py, without the archive's database layer (an export is checked without it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# 保管期限 codes (DA/T 13), longest first, with their names
RETENTIONS: dict[str, str] = {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}
CODE = re.compile(r"^(?P<fonds>[0-9A-Za-z]{1,16})-(?P<year>\d{4})-(?P<retention>Y|D30|D10)-"
                  r"(?P<piece>\d{4})$")


@dataclass(frozen=True)
class ArchivalCode:
    """A 档号 and its parts."""

    fonds: str
    year: int
    retention: str
    piece: int

    @property
    def text(self) -> str:
        return f"{self.fonds}-{self.year:04d}-{self.retention}-{self.piece:04d}"

    @property
    def retention_name(self) -> str:
        return RETENTIONS.get(self.retention, self.retention)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.text, "fonds": self.fonds, "year": self.year,
                "retention": self.retention, "piece": self.piece}


def parse_code(text: str) -> ArchivalCode | None:
    """A 档号 written as 全宗号-年度-保管期限-件号, or None when it is not one."""
    match = CODE.match(text or "")
    if match is None:
        return None
    return ArchivalCode(match["fonds"], int(match["year"]), match["retention"],
                        int(match["piece"]))


def gaps(lines: Iterable[dict[str, Any]]) -> list[str]:
    """What is wrong with a register extract (lines as RegisterLine.to_json gives them): in each
    全宗号 + 年度 + 保管期限 sequence every 件号 from 1 to the highest is present exactly once
    (withdrawn lines count as accounted for). Used by the export's 四性检测."""
    seen: dict[tuple[str, int, str], list[int]] = {}
    problems: list[str] = []
    for line in lines:
        try:
            key = (str(line["fonds"]), int(line["year"]), str(line["retention"]))
            piece = int(line["piece"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"档号登记中有一行无法读取：{str(line)[:80]}")
            continue
        seen.setdefault(key, []).append(piece)
    for (fonds, year, retention), pieces in sorted(seen.items()):
        label = f"{fonds}-{year:04d}-{retention}"
        twice = sorted({p for p in pieces if pieces.count(p) > 1})
        if twice:
            problems.append(f"档号 {label} 的件号 {'、'.join(f'{p:04d}' for p in twice)} "
                            "登记了不止一次")
        missing = sorted(set(range(1, max(pieces) + 1)) - set(pieces))
        if missing:
            shown = "、".join(f"{p:04d}" for p in missing[:10])
            more = f" 等 {len(missing)} 个" if len(missing) > 10 else ""
            problems.append(f"档号 {label} 的件号有空号 {shown}{more}（登记中缺少，"
                            "也没有记为已撤销）")
    return problems
