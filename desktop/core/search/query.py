"""Parsing what a user types: words and fragments (AND), "exact phrases", OR, NOT / -term."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from desktop.core.common.errors import ZichaError
from desktop.core.search.textnorm import normalize


class QueryError(ZichaError):
    pass


@dataclass(frozen=True)
class Query:
    """All `clauses` must match; a clause matches if any of its terms occurs (OR).
    No material containing a term of `excluded` matches."""

    clauses: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = field(default=())

    @property
    def positive_terms(self) -> list[str]:
        return [t for clause in self.clauses for t in clause]


def _lex(text: str) -> list[tuple[str, bool]]:
    """Split into (token, quoted) pairs; a quoted phrase keeps its spaces."""
    tokens: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "\"“”":
            close = min((j for j in (text.find(q, i + 1) for q in "\"“”") if j != -1),
                        default=-1)
            if close == -1:
                raise QueryError("引号没有配对：短语要用一对引号括起来，例如 \"文明城市\"")
            tokens.append((text[i + 1:close], True))
            i = close + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "\"“”":
                j += 1
            tokens.append((text[i:j], False))
            i = j
    return tokens


def parse(text: str) -> Query:
    # NFKC only here: spaces between CJK words still separate terms; each term is then
    # normalised like the indexed text
    text = unicodedata.normalize("NFKC", text)
    clauses: list[list[str]] = []
    excluded: list[str] = []
    negate = join_next = False
    for token, quoted in _lex(text):
        if not quoted and token in ("OR", "|"):
            if not clauses or join_next or negate:
                raise QueryError("OR 两边都要有搜索词，例如 垃圾分类 OR 生活垃圾")
            join_next = True
            continue
        if not quoted and token == "NOT":
            negate = True
            continue
        if not quoted and token.startswith("-") and len(token) > 1:
            token, negate = token[1:], True
        term = normalize(token)
        if not term:
            continue
        if negate:
            if join_next:
                raise QueryError("OR 后面不能跟排除词")
            excluded.append(term)
            negate = False
        elif join_next:
            clauses[-1].append(term)
            join_next = False
        else:
            clauses.append([term])
    if join_next:
        raise QueryError("OR 两边都要有搜索词，例如 垃圾分类 OR 生活垃圾")
    if negate:
        raise QueryError("NOT 后面缺少要排除的词")
    if not clauses:
        raise QueryError("只有排除词无法搜索；请至少写一个要找的词" if excluded
                         else "请输入要搜索的词")
    return Query(tuple(tuple(c) for c in clauses), tuple(excluded))
