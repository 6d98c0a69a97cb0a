"""The server engine ("pg-gram", PostgreSQL archives). Two tables, kept in the same transaction
as the search documents:

- search_gram: every distinct 1- and 2-character substring of each document's folded text, one
  row each, B-tree primary key (gram, material_id) (migration 0002);
- search_fold: each document's folded text, folded title and length (migration 0017), the text
  stored out of line and uncompressed, so a row is narrow and a text is read as it is.

Exact by construction, like FTS5:

- a term of 1-2 characters occurs in a text exactly when it is one of the text's grams;
- a longer term can only occur where all its 2-character grams do: those materials are the
  candidates, and each candidate's folded text is checked for the term (strpos) in the database.

One statement per query: the candidates of every clause are intersected first (index only, the
planner starting from the rarest grams it knows of), so the texts read are only those of
materials every clause can still match; the check, the total and the ranking of the page run
in the same statement.

Ranking is the same for every query (no bm25 on the server): title hits first (TITLE_WEIGHT
per term), then the terms' frequency saturated and normalised by length as in BM25, newest
first among equals; above fts.SHORT_RANK_LIMIT matches only title hits are ranked (the texts
of a broad result are then not read for the ranking)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Integer, Text

from desktop.core.search import fts
from desktop.core.search.query import Query

NAME = "pg-gram"
CHUNK = 2000  # ids per ANY(...) array
# the 2-character grams of a long term that select its candidates (its rarest); more only add
# joins, since every candidate's text is checked anyway
MAX_PAIRS = 5


def fold(value: str) -> str:
    """The one case folding of indexed text, query terms and the check of candidates."""
    return value.lower()


def grams_of(body: str) -> list[str]:
    """Every distinct 1- and 2-character substring of the folded text."""
    folded = fold(body)
    found = set(folded)
    found.update(folded[i:i + 2] for i in range(len(folded) - 1))
    return sorted(found)


_INSERT_GRAMS = text("INSERT INTO search_gram (gram, material_id) "
                     "SELECT * FROM unnest(:grams, :ids)").bindparams(
    bindparam("grams", type_=ARRAY(Text)), bindparam("ids", type_=ARRAY(Integer)))
_INSERT_FOLD = text("INSERT INTO search_fold (material_id, title, chars, body) "
                    "SELECT * FROM unnest(:ids, :titles, :chars, :bodies)").bindparams(
    bindparam("ids", type_=ARRAY(Integer)), bindparam("titles", type_=ARRAY(Text)),
    bindparam("chars", type_=ARRAY(Integer)), bindparam("bodies", type_=ARRAY(Text)))
_TITLES = text("SELECT id, title FROM material WHERE id = ANY(:ids)").bindparams(
    bindparam("ids", type_=ARRAY(Integer)))


def add(conn: Connection, rows: Sequence[dict]) -> None:
    """Index search documents (rows of {id, body}) just written to search_doc."""
    if not rows:
        return
    ids = [row["id"] for row in rows]
    titles: dict[int, str] = {i: t for i, t in conn.execute(_TITLES, {"ids": ids})}
    conn.execute(_INSERT_FOLD, {
        "ids": ids, "titles": [fold(titles.get(i) or "") for i in ids],
        "chars": [len(row["body"]) for row in rows],
        "bodies": [fold(row["body"]) for row in rows]})
    gram_list: list[str] = []
    id_list: list[int] = []
    for row in rows:
        found = grams_of(row["body"])
        gram_list += found
        id_list += [row["id"]] * len(found)
        if len(gram_list) >= 200_000:
            conn.execute(_INSERT_GRAMS, {"grams": gram_list, "ids": id_list})
            gram_list, id_list = [], []
    if gram_list:
        conn.execute(_INSERT_GRAMS, {"grams": gram_list, "ids": id_list})


def drop(conn: Connection, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = {"ids": list(ids[start:start + CHUNK])}
        for table in ("search_gram", "search_fold"):
            conn.execute(text(f"DELETE FROM {table} WHERE material_id = ANY(:ids)").bindparams(
                bindparam("ids", type_=ARRAY(Integer))), chunk)


def clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM search_gram"))
    conn.execute(text("DELETE FROM search_fold"))


def _pairs(term: str, common: dict[str, float]) -> list[str]:
    """The distinct 2-character grams of a folded term of 3+ characters, at most MAX_PAIRS of
    them: the rarest by `common` (gram -> share of the gram rows, for the grams the planner's
    statistics list as most common; any other gram is rarer than those), from the term's start
    to its end among equals."""
    pairs = list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)))
    if len(pairs) <= MAX_PAIRS:
        return pairs
    rarest = sorted(range(len(pairs)), key=lambda i: (common.get(pairs[i], 0.0), i))
    return [pairs[i] for i in sorted(rarest[:MAX_PAIRS])]


_COMMON: dict[str, tuple[float, dict[str, float]]] = {}  # database URL -> (read at, shares)
COMMON_TTL = 300.0  # seconds


def _common(conn: Connection) -> dict[str, float]:
    """The planner's most common grams of search_gram with their shares (ANALYZE, which
    autovacuum runs, keeps them), read again every COMMON_TTL seconds."""
    key = conn.engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    cached = _COMMON.get(key)
    if cached and now - cached[0] < COMMON_TTL:
        return cached[1]
    row = conn.execute(text(
        "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats "
        "WHERE tablename = 'search_gram' AND attname = 'gram'")).first()
    shares = dict(zip(row[0], row[1], strict=True)) if row and row[0] else {}
    _COMMON[key] = (now, shares)
    return shares


class _Sql:
    def __init__(self, params: dict | None, common: dict[str, float]) -> None:
        self.params: dict[str, object] = dict(params or {})
        self.common = common
        self.n = 0

    def bind(self, value: object) -> str:
        name = f"g{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def alias(self) -> str:
        self.n += 1
        return f"q{self.n}"

    def candidates(self, term: str) -> str:
        """The ids of the materials that can contain the folded `term`: exactly those that do
        for 1-2 characters, those with all its chosen 2-character grams for a longer one."""
        if len(term) <= 2:
            return f"SELECT material_id FROM search_gram WHERE gram = {self.bind(term)}"
        pairs = _pairs(term, self.common)
        first = self.alias()
        sql = f"SELECT {first}.material_id FROM search_gram AS {first}"
        for pair in pairs[1:]:
            a = self.alias()
            sql += (f" JOIN search_gram AS {a} ON {a}.material_id = {first}.material_id "
                    f"AND {a}.gram = {self.bind(pair)}")
        return sql + f" WHERE {first}.gram = {self.bind(pairs[0])}"

    def contains(self, term: str) -> str:
        """True where the text d.body (a row's folded text, read once) holds the folded
        `term`."""
        return f"strpos(d.body, {self.bind(term)}) > 0"


def _statement(query: Query, allowed_sql: str | None, allowed_params: dict | None,
               common: dict[str, float]) -> tuple[str, str, dict[str, object]]:
    """The one statement of a query, rows (id, score, total) of the page; and the statement of
    the total alone (for a page past the last).

    Each term's candidates are a CTE of their own (planned alone, small joins); the clauses'
    candidates are intersected (with the filters, less the excluded short terms) before any
    text is read; then the folded texts of what is left are checked for the long terms."""
    sql = _Sql(allowed_params, common)
    clauses = [list(dict.fromkeys(fold(t) for t in c)) for c in query.clauses]
    excluded = list(dict.fromkeys(fold(t) for t in query.excluded))
    ctes: list[str] = []
    names: dict[str, str] = {}

    def cte(term: str) -> str:
        if term not in names:
            names[term] = f"t{len(names)}"
            ctes.append(f"{names[term]} AS MATERIALIZED ({sql.candidates(term)})")
        return names[term]

    sets = [" UNION ".join(f"SELECT material_id FROM {cte(t)}" for t in clause)
            for clause in clauses]
    if allowed_sql:
        sets.append(f"SELECT id FROM ({allowed_sql}) AS allowed")
    candidates = " INTERSECT ".join(f"({s})" for s in sets)
    for term in excluded:
        if len(term) <= 2:
            candidates = f"({candidates}) EXCEPT SELECT material_id FROM {cte(term)}"
    checks = []
    for clause in clauses:
        if any(len(t) > 2 for t in clause):
            checks.append("(" + " OR ".join(sql.contains(t) for t in clause) + ")")
    for term in excluded:
        if len(term) > 2:
            checks.append(f"NOT (f.id IN (SELECT material_id FROM {cte(term)}) "
                          f"AND {sql.contains(term)})")
    ctes.append(f"c AS MATERIALIZED ({candidates})")
    rows = ("SELECT f.material_id AS id, f.title, f.chars, f.body "
            "FROM c JOIN search_fold AS f ON f.material_id = c.material_id")
    # a text is read from its table once per use below, however many terms look at it (a
    # sub-select kept apart by OFFSET 0 reads it; the terms then share the value)
    once = "CROSS JOIN LATERAL (SELECT {}.body || '' AS body OFFSET 0) AS d"
    if checks:
        # the rows of the candidates first, then the checks on them (left to the planner, a
        # check would run on every text of the table before the join)
        ctes.append(f"f AS MATERIALIZED ({rows})")
        ctes.append(f"m AS MATERIALIZED (SELECT f.* FROM f {once.format('f')} WHERE "
                    + " AND ".join(checks) + ")")
    else:
        ctes.append(f"m AS ({rows})")
    terms = list(dict.fromkeys(t for c in clauses for t in c))
    titled = " + ".join(f"(strpos(m.title, {sql.bind(t)}) > 0)::int" for t in terms)
    # occurrences of a term: what replace() takes away, in bytes, over the term's bytes
    freq = " + ".join(
        f"(octet_length(d.body) - octet_length(replace(d.body, {p}, ''))) / {len(t.encode())}"
        for t in terms for p in [sql.bind(t)])
    total = "count(*) OVER ()"
    norm = (f"{fts.K1} * (1 - {fts.B} + {fts.B} * m.chars / "
            f"greatest(avg(m.chars) OVER ()::float8, 1.0))")
    limit = sql.bind(fts.SHORT_RANK_LIMIT)
    tf = f"(SELECT ({freq})::float8 FROM (SELECT 1) AS one {once.format('m')})"
    # one pass over the matches: the total and the mean length as window aggregates, the
    # frequencies (which read the texts) only when the total is small enough to rank by them;
    # tf / (tf + norm) written as 1 - norm / (tf + norm), so tf (a text read) is taken once
    statement = (
        f"WITH {', '.join(ctes)} "
        f"SELECT m.id, CASE WHEN {total} > {limit} THEN ({titled}) * {fts.TITLE_WEIGHT} "
        f"ELSE ({titled}) * {fts.TITLE_WEIGHT} + 1.0 - ({norm}) / ({tf} + {norm}) END "
        f"AS score, "
        f"{total} AS total FROM m ORDER BY score DESC, m.id DESC "
        f"LIMIT :limit OFFSET :offset")
    count = f"WITH {', '.join(ctes)} SELECT count(*) FROM m"
    return statement, count, sql.params


def search(session: Session, query: Query, *, allowed_sql: str | None = None,
           allowed_params: dict | None = None, limit: int = 50, offset: int = 0) -> fts.Ranked:
    conn = session.connection()
    statement, count, params = _statement(query, allowed_sql, allowed_params, _common(conn))
    rows = conn.execute(text(statement), {**params, "limit": limit, "offset": offset}).all()
    if rows:
        total = int(rows[0][2])
    elif offset > 0:  # a page past the last one: the total on its own
        total = int(conn.execute(text(count), params).scalar_one())
    else:
        total = 0
    return fts.Ranked([int(r[0]) for r in rows], [float(r[1]) for r in rows], total)


def problems(conn: Connection) -> list[str]:
    """Search documents with no grams or no folded text (an index that lost rows)."""
    bare = conn.execute(text(
        "SELECT count(*) FROM search_doc AS s WHERE s.body <> '' AND NOT EXISTS "
        "(SELECT 1 FROM search_gram AS g WHERE g.material_id = s.material_id)")).scalar_one()
    unfolded = conn.execute(text(
        "SELECT count(*) FROM search_doc AS s WHERE NOT EXISTS "
        "(SELECT 1 FROM search_fold AS f WHERE f.material_id = s.material_id)")).scalar_one()
    found = []
    if bare:
        found.append(f"全文索引 search_gram 缺少 {bare} 份材料的字词；需要重建全文索引")
    if unfolded:
        found.append(f"全文索引 search_fold 缺少 {unfolded} 份材料的文字；需要重建全文索引")
    return found
