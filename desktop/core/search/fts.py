"""The FTS5 engine: trigram phrases for terms of 3+ characters, the single/pair token table for
1-2 character terms, a LIKE scan only for short terms with punctuation. Exact by construction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop.core.search.query import Query
from desktop.core.search.textnorm import is_token_run

NAME = "fts5"
# bm25 ranks result sets up to this size; broader ones come newest first (docs/search.md)
RANK_LIMIT = 2000
# 1-2 character queries (which no bm25 table scores) are ranked by title hits and term
# frequency up to this many materials; broader ones by title hits, then newest first
SHORT_RANK_LIMIT = 1000
# above SHORT_RANK_LIMIT, the first this many (title hits, then newest) are ranked by occurrences
SHORT_WINDOW = 200
TITLE_WEIGHT = 10.0  # a title hit outweighs any term frequency (which scores below 1)
K1, B = 1.2, 0.75  # BM25's saturation and length normalisation


@dataclass(frozen=True)
class Ranked:
    ids: list[int]
    scores: list[float]
    total: int
    # what a hit shows, read with the ranking when the engine can: id -> (title, body, pages)
    docs: dict[int, tuple[str, str, str]] | None = None


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Sql:
    def __init__(self) -> None:
        self.params: dict[str, object] = {}

    def bind(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def term(self, term: str) -> str:
        """A sub-select of the ids of materials whose text contains `term`."""
        if len(term) >= 3:
            return (f"SELECT rowid AS id FROM search_tri "
                    f"WHERE search_tri MATCH {self.bind(_phrase(term))}")
        if is_token_run(term):
            return (f"SELECT rowid AS id FROM search_bi "
                    f"WHERE search_bi MATCH {self.bind(_phrase(term))}")
        # 1-2 characters with punctuation ("2.", "5%"): no index holds them; scan the text.
        return (f"SELECT material_id AS id FROM search_doc "
                f"WHERE body LIKE {self.bind(_like(term))} ESCAPE '\\'")

    def clause(self, terms: tuple[str, ...]) -> str:
        return " UNION ".join(self.term(t) for t in terms)


def search(session: Session, query: Query, *, allowed_sql: str | None = None,
           allowed_params: dict | None = None, limit: int = 50, offset: int = 0) -> Ranked:
    sql = _Sql()
    if allowed_params:
        sql.params.update(allowed_params)
    long = [c for c in query.clauses if all(len(t) >= 3 for t in c)]
    other = [c for c in query.clauses if c not in long]
    if long:
        expr = " AND ".join("(" + " OR ".join(_phrase(t) for t in c) + ")" for c in long)
        idcol = "rowid"
        base = (f"SELECT rowid AS id, bm25(search_tri) AS score FROM search_tri "
                f"WHERE search_tri MATCH {sql.bind(expr)}")
    else:
        idcol = "id"
        first, other = other[0], other[1:]
        base = f"SELECT id, 0.0 AS score FROM ({sql.clause(first)}) WHERE 1"
    for clause in other:
        base += f" AND +{idcol} IN ({sql.clause(clause)})"
    for term in query.excluded:
        base += f" AND +{idcol} NOT IN ({sql.term(term)})"
    if allowed_sql:
        base += f" AND +{idcol} IN ({allowed_sql})"
    conn = session.connection()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:  # the DB-API cursor itself: two statements, no per-statement layers above them
        cursor.execute(f"SELECT count(*) FROM ({base})", sql.params)
        total = int(cursor.fetchone()[0])  # type: ignore[index]
        if not long:
            return _short_ranked(cursor, sql, base, query, total, limit, offset)
        if total == 0:
            return Ranked([], [], 0, {})
        # the page and what its hits show, in one statement (bm25 only on a set it can rank
        # quickly; a broader one comes newest first, in the index's own order)
        order = ("h.score, h.id", "score, id") if total <= RANK_LIMIT else ("h.id DESC",
                                                                             "id DESC")
        cursor.execute(
            f"SELECT h.id, h.score, m.title, s.body, s.pages FROM ({base} ORDER BY {order[1]} "
            f"LIMIT :limit OFFSET :offset) AS h LEFT JOIN material AS m ON m.id = h.id "
            f"LEFT JOIN search_doc AS s ON s.material_id = h.id ORDER BY {order[0]}",
            {**sql.params, "limit": limit, "offset": offset})
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return Ranked([r[0] for r in rows], [-float(r[1]) for r in rows], total,
                  {r[0]: (r[2] or "", r[3] or "", r[4] or "[]") for r in rows})


def _short_ranked(cursor, sql: _Sql, base: str, query: Query, total: int,  # type: ignore[no-untyped-def]
                  limit: int, offset: int) -> Ranked:
    """Rank a query made only of 1-2 character terms: materials whose title holds a term first
    (TITLE_WEIGHT per term), then by the terms' occurrences in the text, saturated and
    normalised by length as in BM25 (a score below 1), newest first among equals.

    Counting is done here on the UTF-8 bytes (bytes.count), not in SQL: SQLite's replace()
    trick costs 12 µs per text, five times the read. Above SHORT_RANK_LIMIT matches the work
    is bounded: the first SHORT_WINDOW by title hits, then newest, are the window that is
    ranked by occurrences (title hits still first); beyond the window the order stays title
    hits, then newest first, so every page holds what the one before did not."""
    terms = list(dict.fromkeys(query.positive_terms))
    if total > SHORT_RANK_LIMIT:
        in_title = " + ".join(f"(instr(lower(m.title), {sql.bind(_lower(t))}) > 0)"
                              for t in terms)
        titled = (f"SELECT h.id, ({in_title}) * {TITLE_WEIGHT} AS score, m.title FROM "
                  f"({base}) AS h JOIN material AS m ON m.id = h.id "
                  f"ORDER BY score DESC, h.id DESC")
        ids: list[int] = []
        scores: list[float] = []
        window_size = min(SHORT_WINDOW, SHORT_RANK_LIMIT)
        if offset < window_size:
            cursor.execute(
                f"SELECT w.id, coalesce(CAST(s.body AS BLOB), X''), w.title FROM ({titled} "
                f"LIMIT :window) AS w LEFT JOIN search_doc AS s ON s.material_id = w.id",
                {**sql.params, "window": window_size})
            window = _scored(cursor.fetchall(), terms)
            ids = [i for _s, i in window][offset:offset + limit]
            scores = [s for s, _i in window][offset:offset + limit]
        beyond = offset + limit - max(offset, window_size)
        if beyond > 0 and len(ids) < limit:
            cursor.execute(f"{titled} LIMIT :limit OFFSET :offset",
                           {**sql.params, "limit": limit - len(ids),
                            "offset": max(offset, window_size)})
            rows = cursor.fetchall()
            ids += [r[0] for r in rows]
            scores += [float(r[1]) for r in rows]
        return Ranked(ids, scores, total)
    cursor.execute(
        f"SELECT h.id, CAST(s.body AS BLOB), m.title FROM ({base}) AS h "
        f"JOIN search_doc AS s ON s.material_id = h.id JOIN material AS m ON m.id = h.id",
        sql.params)
    rows = cursor.fetchall()
    if not rows:
        return Ranked([], [], total)
    page = _scored(rows, terms)[offset:offset + limit]
    return Ranked([i for _s, i in page], [s for s, _i in page], total)


def _scored(rows: list, terms: list[str]) -> list[tuple[float, int]]:
    """(score, id) of (id, body as UTF-8 bytes, title) rows, best first, newest first among
    equals: TITLE_WEIGHT per term in the title, plus the terms' occurrences in the text,
    saturated and normalised by length as in BM25 (a score below 1)."""
    if not rows:
        return []
    lowered = [_lower(t) for t in terms]
    needles = [t.encode("utf-8") for t in lowered]
    fold = any(c.isascii() and c.isalpha() for t in terms for c in t)
    lengths = [len(r[1]) for r in rows]
    mean = sum(lengths) / len(lengths) or 1.0
    scored = []
    for (material_id, body, title), size in zip(rows, lengths, strict=True):
        body = body.lower() if fold else body  # bytes.lower folds ASCII only, like SQLite
        tf = sum(body.count(n) for n in needles)
        title = _lower(title or "")
        hits = sum(t in title for t in lowered)
        score = hits * TITLE_WEIGHT + tf / (tf + K1 * (1 - B + B * size / mean))
        scored.append((-score, -material_id))
    scored.sort()
    return [(-s, -i) for s, i in scored]


def _lower(term: str) -> str:
    """Lower-case like SQLite's lower() (ASCII only), so both sides fold alike."""
    return "".join(c.lower() if c.isascii() else c for c in term)
