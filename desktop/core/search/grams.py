"""The server engine ("pg-gram", PostgreSQL archives): every distinct 1- and 2-character
substring of each search document's lower-cased text, one row each in search_gram with a
B-tree primary key (gram, material_id); migration 0002 makes the table. Exact by
construction, like FTS5:

- a term of 1-2 characters occurs in a text exactly when it is one of the text's grams;
- a longer term can only occur where all its 2-character grams do: those materials are the
  candidates, and each candidate's text is then checked for the term itself.

Ranking is the same for every query (no bm25 on the server): title hits first (TITLE_WEIGHT
per term), then the terms' frequency saturated and normalised by length as in BM25, newest
first among equals; above fts.SHORT_RANK_LIMIT matches only title hits are ranked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Integer, Text

from desktop.core.search import fts
from desktop.core.search.query import Query

NAME = "pg-gram"
CHUNK = 2000  # ids per IN (...) list


def fold(value: str) -> str:
    """The one case folding of indexed text, query terms and the check of candidates."""
    return value.lower()


def grams_of(body: str) -> list[str]:
    """Every distinct 1- and 2-character substring of the folded text."""
    folded = fold(body)
    found = set(folded)
    found.update(folded[i:i + 2] for i in range(len(folded) - 1))
    return sorted(found)


_INSERT = text("INSERT INTO search_gram (gram, material_id) "
               "SELECT g, :id FROM unnest(:grams) AS g").bindparams(
    bindparam("grams", type_=ARRAY(Text)), bindparam("id", type_=Integer))


def add(conn: Connection, rows: Sequence[dict]) -> None:
    """Index search documents (rows of {id, body}) just written to search_doc."""
    for row in rows:
        conn.execute(_INSERT, {"id": row["id"], "grams": grams_of(row["body"])})


def drop(conn: Connection, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), CHUNK):
        conn.execute(text("DELETE FROM search_gram WHERE material_id = ANY(:ids)").bindparams(
            bindparam("ids", type_=ARRAY(Integer))), {"ids": list(ids[start:start + CHUNK])})


def clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM search_gram"))


class _Texts:
    """The search documents one query needs, each read once (folded body, its length, folded
    title): the check of a long term's candidates and the ranking share them."""

    _STMT = text("SELECT s.material_id, s.body, m.title FROM search_doc AS s "
                 "JOIN material AS m ON m.id = s.material_id "
                 "WHERE s.material_id = ANY(:ids)").bindparams(
        bindparam("ids", type_=ARRAY(Integer)))

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.docs: dict[int, tuple[str, int, str]] = {}

    def of(self, ids: Iterable[int]) -> dict[int, tuple[str, int, str]]:
        wanted = set(ids)
        missing = sorted(wanted - self.docs.keys())
        for start in range(0, len(missing), CHUNK):
            rows = self.conn.execute(self._STMT, {"ids": missing[start:start + CHUNK]}).all()
            for material_id, body, title in rows:
                self.docs[material_id] = (fold(body), len(body), fold(title or ""))
        return {i: self.docs[i] for i in wanted if i in self.docs}


def _having(conn: Connection, texts: _Texts, term: str) -> set[int]:
    """The materials whose text contains `term` (case-folded)."""
    needle = fold(term)
    if len(needle) <= 2:
        return set(conn.execute(text("SELECT material_id FROM search_gram WHERE gram = :g"),
                                {"g": needle}).scalars())
    pairs = sorted({needle[i:i + 2] for i in range(len(needle) - 1)})
    candidates = set(conn.execute(text(
        "SELECT material_id FROM search_gram WHERE gram = ANY(:g) GROUP BY material_id "
        "HAVING count(*) = :n").bindparams(bindparam("g", type_=ARRAY(Text))),
        {"g": pairs, "n": len(pairs)}).scalars())
    if not candidates:
        return set()
    return {i for i, (body, _n, _t) in texts.of(candidates).items() if needle in body}


def search(session: Session, query: Query, *, allowed_sql: str | None = None,
           allowed_params: dict | None = None, limit: int = 50, offset: int = 0) -> fts.Ranked:
    conn = session.connection()
    cache: dict[str, set[int]] = {}
    texts = _Texts(conn)

    def having(term: str) -> set[int]:
        if term not in cache:
            cache[term] = _having(conn, texts, term)
        return cache[term]

    matched: set[int] | None = None
    for clause in sorted(query.clauses, key=lambda c: -min(len(t) for t in c)):
        ids = set().union(*(having(t) for t in clause))
        matched = ids if matched is None else matched & ids
        if not matched:
            break
    matched = matched or set()
    for term in query.excluded:
        if not matched:
            break
        matched -= having(term)
    if matched and allowed_sql:
        matched &= set(conn.execute(text(allowed_sql), allowed_params or {}).scalars())
    total = len(matched)
    if not matched:
        return fts.Ranked([], [], 0)
    terms = [fold(t) for t in dict.fromkeys(query.positive_terms)]
    if total > fts.SHORT_RANK_LIMIT:
        titles = {i: fold(t) for i, t in _titles(conn, matched).items()}
        scored = [(-(sum(t in titles.get(i, "") for t in terms) * fts.TITLE_WEIGHT), -i)
                  for i in matched]
    else:
        docs = texts.of(matched)
        mean = (sum(n for _b, n, _t in docs.values()) / len(docs)) if docs else 1.0
        scored = []
        for material_id, (body, length, title) in docs.items():
            tf = sum(body.count(t) for t in terms)
            hits = sum(t in title for t in terms)
            norm = fts.K1 * (1 - fts.B + fts.B * length / (mean or 1.0))
            scored.append((-(hits * fts.TITLE_WEIGHT + tf / (tf + norm)), -material_id))
    scored.sort()
    page = scored[offset:offset + limit]
    return fts.Ranked([-i for _s, i in page], [-s for s, _i in page], total)


def _titles(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(ids)
    found: dict[int, str] = {}
    stmt = text("SELECT id, title FROM material WHERE id = ANY(:ids)").bindparams(
        bindparam("ids", type_=ARRAY(Integer)))
    for start in range(0, len(ids), CHUNK):
        found.update(dict(conn.execute(stmt, {"ids": ids[start:start + CHUNK]}).all()))
    return found


def problems(conn: Connection) -> list[str]:
    """Search documents with no grams (an index that lost rows)."""
    bare = conn.execute(text(
        "SELECT count(*) FROM search_doc AS s WHERE s.body <> '' AND NOT EXISTS "
        "(SELECT 1 FROM search_gram AS g WHERE g.material_id = s.material_id)")).scalar_one()
    return [f"全文索引 search_gram 缺少 {bare} 份材料的字词；需要重建全文索引"] if bare else []
