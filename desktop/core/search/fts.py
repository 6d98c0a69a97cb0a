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
    order = "score, id" if long and total <= RANK_LIMIT else "id DESC"
    rows = conn.execute(text(f"{base} ORDER BY {order} LIMIT :limit OFFSET :offset"),
                        {**sql.params, "limit": limit, "offset": offset}).all()
    return Ranked([r[0] for r in rows], [-float(r[1]) for r in rows], total)
