"""The FTS5 engine: trigram phrases for terms of 3+ characters, the single/pair token table for
1-2 character terms, a LIKE scan only for short terms with punctuation. Exact by construction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.core.search.query import Query
from desktop.core.search.textnorm import is_token_run

NAME = "fts5"
# bm25 ranks result sets up to this size; broader ones come newest first (docs/search.md)
RANK_LIMIT = 2000
# 1-2 character queries (which no bm25 table scores) are ranked by title hits and term
# frequency up to this many materials; broader ones by title hits, then newest first
SHORT_RANK_LIMIT = 1000
TITLE_WEIGHT = 10.0  # a title hit outweighs any term frequency (which scores below 1)
K1, B = 1.2, 0.75  # BM25's saturation and length normalisation


@dataclass(frozen=True)
class Ranked:
    ids: list[int]
    scores: list[float]
    total: int


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
    total = conn.execute(text(f"SELECT count(*) FROM ({base})"), sql.params).scalar_one()
    if long:
        order = "score, id" if total <= RANK_LIMIT else "id DESC"
        rows = conn.execute(text(f"{base} ORDER BY {order} LIMIT :limit OFFSET :offset"),
                            {**sql.params, "limit": limit, "offset": offset}).all()
        return Ranked([r[0] for r in rows], [-float(r[1]) for r in rows], total)
    return _short_ranked(conn, sql, base, query, total, limit, offset)


def _short_ranked(conn, sql: _Sql, base: str, query: Query, total: int,  # type: ignore[no-untyped-def]
                  limit: int, offset: int) -> Ranked:
    """Rank a query made only of 1-2 character terms: materials whose title holds a term first
    (TITLE_WEIGHT per term), then by the terms' occurrences in the text, saturated and
    normalised by length as in BM25 (a score below 1), newest first among equals.

    Counting is done here on the UTF-8 bytes (bytes.count), not in SQL: SQLite's replace()
    trick costs 12 µs per text, five times the read. Above SHORT_RANK_LIMIT only title hits
    are ranked, so a term found in nearly every material stays as fast as before."""
    terms = list(dict.fromkeys(query.positive_terms))
    if total > SHORT_RANK_LIMIT:
        in_title = " + ".join(f"(instr(lower(m.title), {sql.bind(_lower(t))}) > 0)"
                              for t in terms)
        rows = conn.execute(text(
            f"SELECT h.id, ({in_title}) * {TITLE_WEIGHT} AS score FROM ({base}) AS h "
            f"JOIN material AS m ON m.id = h.id ORDER BY score DESC, h.id DESC "
            f"LIMIT :limit OFFSET :offset"),
            {**sql.params, "limit": limit, "offset": offset}).all()
        return Ranked([r[0] for r in rows], [float(r[1]) for r in rows], total)
    rows = conn.execute(text(
        f"SELECT h.id, CAST(s.body AS BLOB), m.title FROM ({base}) AS h "
        f"JOIN search_doc AS s ON s.material_id = h.id JOIN material AS m ON m.id = h.id"),
        sql.params).all()
    if not rows:
        return Ranked([], [], total)
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
    page = scored[offset:offset + limit]
    return Ranked([-i for _s, i in page], [-s for s, _i in page], total)


def _lower(term: str) -> str:
    """Lower-case like SQLite's lower() (ASCII only), so both sides fold alike."""
    return "".join(c.lower() if c.isascii() else c for c in term)
