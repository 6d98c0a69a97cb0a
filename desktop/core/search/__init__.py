"""Full-text search behind one facade: index upkeep, queries with filters, snippets, engine
choice, rebuild and drift checks. Engines: "fts5" (default, inside the archive database) and
"whoosh" (jieba words + CJK bigrams, in index/whoosh). docs/search.md has the figures. A server
archive (PostgreSQL) always uses "pg-gram" (grams.py), inside its database."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive
from desktop.core.archive.models import (
    ArchiveInfo,
    IndicatorNode,
    Material,
    SearchDoc,
    SearchPending,
)
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, as_progress
from desktop.core.search import documents, fts, grams
from desktop.core.search.query import Query, QueryError, parse

if TYPE_CHECKING:  # Whoosh loads only for an archive that uses it
    from desktop.core.search.whoosh_engine import WhooshEngine

__all__ = ["ENGINES", "Filters", "Hit", "QueryError", "SearchResult", "search", "parse"]

ENGINES = ("fts5", "whoosh")
DEFAULT_ENGINE = "fts5"
SNIPPET_WIDTH = 90


@dataclass(frozen=True)
class Filters:
    codes: tuple[str, ...] = ()  # 测评项目 (with its items) or 测评内容
    department: str | None = None
    material_type: str | None = None
    state: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets into snippet
    page: int | None = None  # 1-based page of the file that holds the hit; None: metadata
    file: str | None = None
    file_position: int | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "score": round(self.score, 4),
                "snippet": self.snippet, "highlights": self.highlights, "page": self.page,
                "file": self.file}


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    engine: str
    elapsed_ms: float


# -- engine choice ------------------------------------------------------------------------------

def engine_name(archive: Archive) -> str:
    if archive.server is not None:
        return grams.NAME
    return archive.info().get("search_engine", DEFAULT_ENGINE)


def _engine_of(archive: Archive, session: Session) -> str:
    """engine_name() read inside the query's own session (one small statement)."""
    if archive.server is not None:
        return grams.NAME
    value = session.connection().exec_driver_sql(
        "SELECT value FROM archive_info WHERE key = 'search_engine'").scalar()
    return str(value) if value else DEFAULT_ENGINE


def set_engine(archive: Archive, name: str, *, actor: str | None = None) -> None:
    if archive.server is not None:
        if name == grams.NAME:
            return
        raise ZichaError(f"档案 {archive.root} 的数据库在服务器上，全文搜索只能用服务器上的"
                         f"引擎 {grams.NAME}（{name} 不能由多台电脑同时写入）")
    if name not in ENGINES:
        raise ZichaError(f"未知的搜索引擎 {name}；可用: {'、'.join(ENGINES)}")
    with archive.write(actor) as (session, log):
        row = session.get(ArchiveInfo, "search_engine")
        if row is None:
            session.add(ArchiveInfo(key="search_engine", value=name))
        else:
            row.value = name
        log("search.engine", "archive", {"engine": name})


def _whoosh(archive: Archive) -> WhooshEngine:
    from desktop.core.search.whoosh_engine import WhooshEngine

    return WhooshEngine(archive.root / "index" / "whoosh")


def uses_whoosh(archive: Archive) -> bool:
    return engine_name(archive) == "whoosh"


# -- upkeep ---------------------------------------------------------------------------------

def refresh(archive: Archive, session: Session, material_ids) -> None:  # type: ignore[no-untyped-def]
    """Call inside a write transaction after materials or their texts changed."""
    documents.refresh(session, material_ids, pending=uses_whoosh(archive))


def drop(archive: Archive, session: Session, material_ids) -> None:  # type: ignore[no-untyped-def]
    documents.drop(session, material_ids, pending=uses_whoosh(archive))


def sync(archive: Archive) -> int:
    """Bring an out-of-database engine up to date after commits; returns materials updated."""
    if not uses_whoosh(archive):
        return 0
    return _whoosh(archive).sync(archive)


# tidy() merges an FTS5 table whose second-largest b-tree segment holds at least this share of
# the largest's pages, and at least TIDY_MIN_PAGES of them
TIDY_SHARE = 0.1
TIDY_MIN_PAGES = 200
TIDY_PAGES = 1000  # leaf pages a merge step writes, one short transaction (≤ 0.4 s at 50,000)


def segments(archive: Archive) -> dict[str, list[int]]:
    """The b-tree segments of each FTS5 table of a SQLite archive's index, largest first, by
    their entries in the table's page index (about one per two leaf pages); empty for a
    server archive or Whoosh. Each commit that indexes adds a segment and FTS5's automerge
    folds them level by level, so an archive keeps some 5-20 of them."""
    if archive.server is not None or uses_whoosh(archive):
        return {}
    with archive.read() as session:
        return {table: [int(n) for n in session.scalars(text(
            f"SELECT count(*) AS n FROM {table}_idx GROUP BY segid ORDER BY n DESC"))]
            for table in ("search_tri", "search_bi")}


def _worth_merging(sizes: list[int]) -> bool:
    return len(sizes) > 1 and sizes[1] >= max(TIDY_MIN_PAGES, TIDY_SHARE * sizes[0])


def tidy(archive: Archive, *, budget: float = 30.0) -> int:
    """Merge each FTS5 table with more than one large b-tree segment into one, in steps of
    TIDY_PAGES pages, each its own short transaction, for at most `budget` seconds (what is
    left is done the next time); returns the steps run. A term's lookup reads every segment:
    at 50,000 materials imported one commit each, FTS5 kept 13 segments, 9 of them large,
    and a search that checks a few hundred materials by rowid ran 3-8 times slower than on
    one segment (docs/search.md). Small segments cost little, so one large index is rewritten
    only after an import has added a tenth of it. Called at the end of an import and of a
    text pass; a failure (a disk full, another writer) leaves the index as it was, to be
    merged the next time."""
    if not archive.writable:
        return 0
    started, steps = time.monotonic(), 0
    try:
        for table, sizes in segments(archive).items():
            if not _worth_merging(sizes):
                continue
            while time.monotonic() - started < budget:
                with archive.write() as (session, _log):
                    conn = session.connection().connection.driver_connection
                    assert isinstance(conn, sqlite3.Connection)
                    before = conn.total_changes
                    # a negative page count merges across levels, down to one segment
                    conn.execute(f"INSERT INTO {table}({table}, rank) "
                                 f"VALUES('merge', {-TIDY_PAGES})")
                    done = conn.total_changes - before < 2  # FTS5's sign that nothing is left
                steps += 1
                if done:
                    break
    except (OperationalError, sqlite3.OperationalError, OSError):
        pass  # the steps committed stay; the rest waits for the next time
    return steps

def needs_rebuild(archive: Archive) -> bool:
    if uses_whoosh(archive):
        return _whoosh(archive).needs_rebuild(archive)
    with archive.read() as session:
        missing = session.scalar(text(
            "SELECT count(*) FROM material WHERE id NOT IN (SELECT material_id FROM search_doc)"))
    return bool(missing)


def rebuild(archive: Archive, progress: Progress | None = None) -> int:
    """Recompute every search document and the active engine's index; returns the count."""
    progress = as_progress(progress)
    with archive.read() as session:
        ids = list(session.scalars(select(Material.id).order_by(Material.id)))
    total = len(ids)
    on_server = archive.server is not None
    with archive.write() as (session, log):
        conn = session.connection()
        conn.execute(text("DELETE FROM search_doc"))
        if on_server:
            grams.clear(conn)
        else:
            conn.execute(text("INSERT INTO search_tri(search_tri) VALUES('delete-all')"))
            conn.execute(text("INSERT INTO search_bi(search_bi) VALUES('delete-all')"))
        session.expunge_all()
        for start in range(0, total, 500):
            documents.refresh(session, ids[start:start + 500])
            progress.step(min(start + 500, total), total)
        if not on_server:
            conn.execute(text("INSERT INTO search_tri(search_tri) VALUES('optimize')"))
            conn.execute(text("INSERT INTO search_bi(search_bi) VALUES('optimize')"))
        conn.execute(text("DELETE FROM search_pending"))
        log("search.rebuild", "archive", {"materials": total, "engine": engine_name(archive)})
    if uses_whoosh(archive):
        _whoosh(archive).rebuild(archive, progress)
    return total


# -- queries -------------------------------------------------------------------------------

def _allowed(session: Session, filters: Filters) -> tuple[str | None, dict]:
    where, params = [], {}
    if filters.codes:
        codes = set(filters.codes)
        for code in filters.codes:
            if session.get(IndicatorNode, code) is None:
                raise ZichaError(f"未知的测评内容编号 {code}",
                                 hint="用 zicha items 查看本档案的编号")
            codes.update(session.scalars(
                select(IndicatorNode.code).where(IndicatorNode.parent_code == code)))
        names = []
        for n, code in enumerate(sorted(codes)):
            params[f"f_code{n}"] = code
            names.append(f":f_code{n}")
        # checked per material that passes the other filters (its filings by primary key),
        # not a list of every material filed there
        where.append("EXISTS (SELECT 1 FROM filing WHERE filing.material_id = material.id "
                     f"AND filing.node_code IN ({', '.join(names)}))")
    if filters.department:
        params["f_dept"] = filters.department
        where.append("department_id IN (SELECT id FROM department WHERE name = :f_dept)")
    if filters.material_type:
        params["f_type"] = filters.material_type
        where.append("material_type = :f_type")
    if filters.state:
        params["f_state"] = filters.state
        where.append("state = :f_state")
    if filters.date_from:
        params["f_from"] = filters.date_from.isoformat()
        where.append("material_date >= :f_from")
    if filters.date_to:
        params["f_to"] = filters.date_to.isoformat()
        where.append("material_date <= :f_to")
    if not where:
        return None, {}
    return "SELECT id FROM material WHERE " + " AND ".join(where), params


def search(archive: Archive, query_text: str, filters: Filters | None = None, *,
           limit: int = 20, offset: int = 0) -> SearchResult:
    """Ranked materials that contain every term (see query.parse), with snippets."""
    started = time.perf_counter()
    query = parse(query_text)
    if limit < 1:
        raise ZichaError("返回条数至少为 1", hint="--limit N")
    with archive.read() as session:
        engine = _engine_of(archive, session)
        allowed_sql, params = _allowed(session, filters or Filters())
        if engine == "whoosh":
            allowed = (set(session.execute(text(allowed_sql), params).scalars())
                       if allowed_sql else None)
            ranked = _whoosh(archive).search(query, allowed, limit=limit, offset=offset)
        elif engine == grams.NAME:
            ranked = grams.search(session, query, allowed_sql=allowed_sql,
                                  allowed_params=params, limit=limit, offset=offset)
        else:
            ids: list[int] = []
            if allowed_sql:  # read once here, not again in each statement (a pass over the
                # materials each time); the statements read the ids from one JSON array
                conn = session.connection().connection.dbapi_connection
                ids = [r[0] for r in conn.execute(allowed_sql, params)]  # type: ignore[union-attr]
                allowed_sql, params = "SELECT value FROM json_each(:f_ids)", {
                    "f_ids": json.dumps(ids)}
            if allowed_sql and not ids:
                ranked = fts.Ranked([], [], 0, {})
            else:  # every MATCH only between the lowest and highest allowed id
                ranked = fts.search(session, query, allowed_sql=allowed_sql,
                                    allowed_params=params, limit=limit, offset=offset,
                                    id_range=(min(ids), max(ids)) if allowed_sql else None)
        hits = _hits(session, query, ranked)
    return SearchResult(hits, ranked.total, engine, (time.perf_counter() - started) * 1000)


def _hits(session: Session, query: Query, ranked: fts.Ranked) -> list[Hit]:
    if not ranked.ids:
        return []
    docs = dict(ranked.docs or {})
    missing = [i for i in ranked.ids if i not in docs]
    if missing:  # the engine gave (some) ids only: what those hits show, in one statement
        docs.update({i: (title, body or "", pages or "[]") for i, title, body, pages in
                     session.execute(select(Material.id, Material.title, SearchDoc.body,
                                            SearchDoc.pages)
                                     .outerjoin(SearchDoc, SearchDoc.material_id == Material.id)
                                     .where(Material.id.in_(missing)))})
    patterns = _patterns(query)
    hits = []
    for material_id, score in zip(ranked.ids, ranked.scores, strict=True):
        title, body, pages = docs.get(material_id, ("", "", "[]"))
        snippet, marks, ref = _snippet(body, json.loads(pages), patterns) if body else (
            "", [], None)
        hits.append(Hit(material_id, title, score, snippet, marks,
                        ref.page + 1 if ref else None, ref.file if ref else None,
                        ref.position if ref else None))
    return hits


def _patterns(query: Query) -> list[re.Pattern[str]]:
    """One case-insensitive pattern per positive term (textnorm.find_all's), made once per
    query and used for every hit's snippet."""
    return [re.compile(re.escape(t), re.IGNORECASE) for t in dict.fromkeys(query.positive_terms)]


def _snippet(body: str, refs: list, patterns: list[re.Pattern[str]]) -> tuple[
        str, list[tuple[int, int]], documents.PageRef | None]:
    """The snippet around the first occurrence of a term, preferring one inside a file's text
    over one in the title (so the page can be opened), with the terms it shows highlighted.
    Only the first occurrence and the snippet's own stretch are searched, not the whole text."""
    first = None
    if refs:
        found = [m.span() for p in patterns if (m := p.search(body, refs[0][0]))]
        first = min(found) if found else None
    if first is None:
        found = [m.span() for p in patterns if (m := p.search(body))]
        if not found:
            return body[:SNIPPET_WIDTH], [], None
        first = min(found)
    start = max(0, first[0] - SNIPPET_WIDTH // 3)
    end = min(len(body), start + SNIPPET_WIDTH)
    prefix = "…" if start > 0 else ""
    snippet = prefix + body[start:end] + ("…" if end < len(body) else "")
    marks: list[tuple[int, int]] = []
    for s, e in sorted(m.span() for p in patterns for m in p.finditer(body, start, end)):
        s, e = s - start + len(prefix), e - start + len(prefix)
        if marks and s <= marks[-1][1]:
            marks[-1] = (marks[-1][0], max(marks[-1][1], e))
        else:
            marks.append((s, e))
    return snippet, marks, documents.page_at(refs, first[0])


# -- checks --------------------------------------------------------------------------------

@dataclass
class Drift:
    missing: list[int]  # materials not in the index
    stale: list[int]  # indexed but deleted
    problems: list[str]


def drift(archive: Archive) -> Drift:
    with archive.read() as session:  # one snapshot: the sets agree even while an import runs
        materials = set(session.scalars(select(Material.id)))
        indexed = set(session.scalars(select(SearchDoc.material_id)))
        if uses_whoosh(archive):
            pending = set(session.scalars(select(SearchPending.material_id)))
            whoosh_ids = _whoosh(archive).indexed_ids()
            missing = sorted((materials - whoosh_ids) - pending)
            stale = sorted((whoosh_ids - materials) - pending)
        else:
            missing, stale = sorted(materials - indexed), sorted(indexed - materials)
    return Drift(missing, stale, fts_problems(archive))


def fts_problems(archive: Archive) -> list[str]:
    """FTS5's own integrity check of each index. The check is an INSERT, so it needs the write
    lock: it runs in a transaction of its own begun IMMEDIATE, which waits (the connection's
    busy timeout) for a writer such as an import to commit instead of failing with "database
    is locked" the way a read snapshot upgraded to a write does. It is rolled back."""
    if archive.server is not None:
        with archive.read() as session:
            return grams.problems(session.connection())
    problems = []
    raw = archive.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table in ("search_tri", "search_bi"):
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                problems.append(f"无法检查全文索引 {table}：档案正忙（{exc}），请稍后再检查")
                continue
            try:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
            except sqlite3.DatabaseError as exc:  # SQLite reports a corrupt FTS index so
                problems.append(f"全文索引 {table} 损坏（{exc}）；需要重建全文索引")
            finally:
                cursor.execute("ROLLBACK")
        cursor.close()
    finally:
        raw.close()
    return problems
