"""The FTS5 engine: trigram phrases for terms of 3+ characters, the single/pair token table for
1-2 character terms, a LIKE scan only for short terms with punctuation. Exact by construction."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop.core.search.query import Query
from desktop.core.search.textnorm import _RUN, TITLE_MARK, is_token_run

NAME = "fts5"
# bm25 ranks result sets up to this size; broader ones come newest first (docs/search.md)
RANK_LIMIT = 2000
# 1-2 character queries (which no bm25 table scores) are ranked by title hits and term
# frequency up to this many materials; broader ones by title hits, then newest first
SHORT_RANK_LIMIT = 1000
# above SHORT_RANK_LIMIT, the first this many (title hits, then newest) are ranked by occurrences
SHORT_WINDOW = 200
# this engine ranks every match by occurrences only up to this many (each is a text read:
# about 15 µs, so 1,000 matches cost 15 ms); above it, the window (docs/search.md)
SHORT_FULL_LIMIT = 400
# up to this many distinct terms the window is found by index (every combination of the terms
# in the title is one limited select); more come from sorting every match by its title
WINDOW_TERMS = 4
# a short-term part with up to this many matches starts a mixed query (docs/search.md)
DRIVE_LIMIT = 300
# an OR clause of a short query's window is checked row by row up to this many short-term
# matches per match of the query (docs/search.md)
ROWWISE_RATIO = 3
# a broad long query's page is checked row by row (a seek each, 15-65 µs) when it reads at
# most this many rows; otherwise each check's set is built (0.1 µs an element)
ROWWISE_READS = 40
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
    def __init__(self, id_range: tuple[int, int] | None = None) -> None:
        self.params: dict[str, object] = {}
        # every MATCH (and the LIKE scan) only between the lowest and highest material id the
        # filters allow: FTS5 seeks to the range instead of reading every match (exact: the
        # allowed set is still checked)
        self.within = self.id_within = ""
        self.id_range = id_range
        if id_range is not None:
            low, high = self.bind(id_range[0]), self.bind(id_range[1])
            self.within = f" AND rowid BETWEEN {low} AND {high}"
            self.id_within = f" AND material_id BETWEEN {low} AND {high}"

    def bind(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def term(self, term: str) -> str:
        """A sub-select of the ids of materials whose text contains `term`."""
        if len(term) >= 3:
            return (f"SELECT rowid AS id FROM search_tri "
                    f"WHERE search_tri MATCH {self.bind(_phrase(term))}{self.within}")
        if is_token_run(term):
            return (f"SELECT rowid AS id FROM search_bi "
                    f"WHERE search_bi MATCH {self.bind(_phrase(term))}{self.within}")
        # 1-2 characters with punctuation ("2.", "5%"): no index holds them; scan the text.
        return (f"SELECT material_id AS id FROM search_doc "
                f"WHERE body LIKE {self.bind(_like(term))} ESCAPE '\\'{self.id_within}")

    def clause(self, terms: tuple[str, ...]) -> str:
        return " UNION ".join(self.term(t) for t in terms)

    def member(self, column: str, op: str, terms: tuple[str, ...]) -> str:
        """`column` (not) in the set of a clause: one IN list per term, ORed, instead of an IN
        over their UNION (which builds the union's b-tree and then the list's again)."""
        tests = " OR ".join(f"{column} IN ({self.term(t)})" for t in terms)
        return f"({tests})" if op == "IN" else f"NOT ({tests})"


def _bi_term(term: str) -> bool:
    """A term the short-term table answers by one token: 1-2 letters or digits."""
    return len(term) <= 2 and is_token_run(term)


def _any(terms) -> str:  # type: ignore[no-untyped-def]
    return "(" + " OR ".join(_phrase(t) for t in terms) + ")"


def search(session: Session, query: Query, *, allowed_sql: str | None = None,
           allowed_params: dict | None = None, limit: int = 50, offset: int = 0,
           id_range: tuple[int, int] | None = None) -> Ranked:
    """`id_range`: the lowest and highest id `allowed_sql` can give (every MATCH is restricted
    to it)."""
    sql = _Sql(id_range)
    if allowed_params:
        sql.params.update(allowed_params)
    long = [c for c in query.clauses if all(len(t) >= 3 for t in c)]
    tokens = [c for c in query.clauses if c not in long and all(_bi_term(t) for t in c)]
    other = [c for c in query.clauses if c not in long and c not in tokens]
    # one MATCH per table where it can: the clauses of 1-2 character tokens (and the tokens
    # they exclude) are one expression of the short-term table, the long clauses (and the long
    # terms they exclude) one of the trigram table; the rest are sets the rows are checked in
    bi_expr = " AND ".join(_any(c) for c in tokens) if tokens else None
    excluded = list(query.excluded)
    if bi_expr and any(_bi_term(t) for t in excluded):
        bi_expr = f"({bi_expr}) NOT {_any(t for t in excluded if _bi_term(t))}"
        excluded = [t for t in excluded if not _bi_term(t)]
    tri_expr = " AND ".join(_any(c) for c in long) if long else None
    if tri_expr and any(len(t) >= 3 for t in excluded):
        tri_expr = f"({tri_expr}) NOT {_any(t for t in excluded if len(t) >= 3)}"
        excluded = [t for t in excluded if len(t) < 3]
    # (operator, sub-select) that each match must pass
    checks = [("IN", sql.clause(c)) for c in other]
    checks += [("NOT IN", sql.term(t)) for t in excluded]
    if allowed_sql:
        checks.append(("IN", allowed_sql))
    conn = session.connection()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:  # the DB-API cursor itself: no per-statement layers above these few statements
        if tri_expr is None:
            return _short(cursor, sql, query, bi_expr, other, checks, limit, offset)
        return _long(cursor, sql, tri_expr, bi_expr, other, excluded, allowed_sql, limit,
                     offset)
    finally:
        cursor.close()


def _long(cursor, sql: _Sql, tri_expr: str, bi_expr: str | None, other: list,  # type: ignore[no-untyped-def]
          excluded: list[str], allowed_sql: str | None, limit: int, offset: int) -> Ranked:
    """A query with a clause of long terms: the trigram MATCH, ranked by bm25 up to RANK_LIMIT
    matches (newest first above). The other tables' parts are checks on its rows; a narrow
    short-term part (up to DRIVE_LIMIT matches) is the start instead, and the trigram phrase
    is checked only on its rows (FTS5 seeks to each rowid)."""
    tests = [sql.member("+rowid", "IN", c) for c in other]
    tests += [f"+rowid NOT IN ({sql.term(t)})" for t in excluded]
    # the same checks made row by row (FTS5 seeks to the rowid), for a page of a broad set
    seeks = [_exists(sql, c, "search_tri.rowid") for c in other]
    seeks += [f"NOT {_exists(sql, (t,), 'search_tri.rowid')}" for t in excluded]
    if allowed_sql:
        tests.append(f"+rowid IN ({allowed_sql})")
        seeks.append(f"+rowid IN ({allowed_sql})")
    tri = f"search_tri MATCH {sql.bind(tri_expr)}"
    hits: list[int] | None = None
    probed: list[bool] = []

    def tri_narrow() -> bool:
        """At most RANK_LIMIT matches of the trigram part alone (read up to one more)."""
        if not probed:
            cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM search_tri WHERE {tri}"
                           f"{sql.within} LIMIT {RANK_LIMIT + 1})", sql.params)
            probed.append(int(cursor.fetchone()[0]) <= RANK_LIMIT)
        return probed[0]

    if bi_expr:
        bi = f"search_bi MATCH {sql.bind(bi_expr)}{sql.within}"
        cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM search_bi WHERE {bi} "
                       f"LIMIT {DRIVE_LIMIT + 1})", sql.params)
        # worth it only against a broad trigram part (a rare phrase is cheaper read whole
        # than checked rowid by rowid)
        if int(cursor.fetchone()[0]) <= DRIVE_LIMIT and not tri_narrow():
            # the few short-term matches first, each checked in the trigram table by rowid
            cursor.execute(
                f"SELECT b.rowid FROM search_bi AS b WHERE {bi} AND EXISTS (SELECT 1 FROM "
                f"search_tri WHERE {tri} AND rowid = b.rowid)"
                + "".join(f" AND {t.replace('+rowid', '+b.rowid')}" for t in tests),
                sql.params)
            hits = [r[0] for r in cursor.fetchall()]
        else:
            tests.insert(0, f"+rowid IN (SELECT rowid FROM search_bi WHERE {bi})")
            seeks.insert(0, f"EXISTS (SELECT 1 FROM search_bi({sql.bind(bi_expr)}) AS x "
                            f"WHERE x.rowid = search_tri.rowid)")
    if hits is None and tests and tri_narrow():
        # a few matches to check: read once with the checks, then ranked by their ids alone
        # (counting first and then ranking made every check's set twice)
        cursor.execute(f"SELECT rowid FROM search_tri WHERE {tri}{sql.within}"
                       + "".join(f" AND {t}" for t in tests), sql.params)
        hits = [r[0] for r in cursor.fetchall()]
    if hits is None:
        where = f"WHERE {tri}{sql.within}" + "".join(f" AND {t}" for t in tests)
        cursor.execute(f"SELECT count(*) FROM search_tri {where}", sql.params)
        total = int(cursor.fetchone()[0])
        if total > RANK_LIMIT and tests and _few_reads(cursor, sql, total, offset + limit):
            # most matches pass the checks: the newest page reads a few rows past it, each
            # checked by rowid, instead of building each check's whole set again
            where = f"WHERE {tri}{sql.within}" + "".join(f" AND {t}" for t in seeks)
    else:
        total = len(hits)
        if hits:  # the trigram table ranks them (bm25), read only between the first and last
            where = (f"WHERE {tri} AND rowid BETWEEN {sql.bind(min(hits))} AND "
                     f"{sql.bind(max(hits))} AND +rowid IN (SELECT value FROM "
                     f"json_each({sql.bind(json.dumps(hits))}))")
    if total == 0:
        return Ranked([], [], 0, {})
    # a broader set comes newest first, unscored: bm25 would read each phrase's whole doclist
    # for its weights (8 ms of a 40,000-hit query's 13 at 50,000 materials) to score a page
    # that is not ordered by it
    score = "bm25(search_tri)" if total <= RANK_LIMIT else "0.0"
    base = f"SELECT rowid AS id, {score} AS score FROM search_tri {where}"
    # the page and what its hits show, in one statement (bm25 only on a set it can rank
    # quickly; a broader one comes newest first, in the index's own order)
    order = ("h.score, h.id", "score, id") if total <= RANK_LIMIT else ("h.id DESC", "id DESC")
    cursor.execute(
        f"SELECT h.id, h.score, m.title, s.body, s.pages FROM ({base} ORDER BY {order[1]} "
        f"LIMIT :limit OFFSET :offset) AS h LEFT JOIN material AS m ON m.id = h.id "
        f"LEFT JOIN search_doc AS s ON s.material_id = h.id ORDER BY {order[0]}",
        {**sql.params, "limit": limit, "offset": offset})
    rows = cursor.fetchall()
    return Ranked([r[0] for r in rows], [-float(r[1]) or 0.0 for r in rows], total,
                  {r[0]: (r[2] or "", r[3] or "", r[4] or "[]") for r in rows})


def _few_reads(cursor, sql: _Sql, total: int, wanted: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether the first `wanted` of `total` matches are found by reading at most
    ROWWISE_READS rows of the index, newest first, when the matches are spread over the ids
    (at most one row per id between the lowest and highest a material can have)."""
    if sql.id_range is not None:
        low, high = sql.id_range
    else:
        cursor.execute("SELECT (SELECT min(id) FROM material), (SELECT max(id) FROM material)")
        low, high = cursor.fetchone()
        if low is None:
            return False
    return wanted * (high - low + 1) <= ROWWISE_READS * total


def _short(cursor, sql: _Sql, query: Query, bi_expr: str | None, other: list,  # type: ignore[no-untyped-def]
           checks: list[tuple[str, str]], limit: int, offset: int) -> Ranked:
    """Rank a query made only of 1-2 character terms: materials whose title holds a term first
    (TITLE_WEIGHT per term), then by the terms' occurrences in the text, saturated and
    normalised by length as in BM25 (a score below 1), newest first among equals.

    Counting is done here on the UTF-8 bytes (bytes.count), not in SQL: SQLite's replace()
    trick costs 12 µs per text, five times the read. Above SHORT_RANK_LIMIT matches the work
    is bounded: the first SHORT_WINDOW by title hits, then newest, are the window that is
    ranked by occurrences (title hits still first); beyond the window the order stays title
    hits, then newest first, so every page holds what the one before did not. The window is
    found in the index: the newest matches whose titles hold each combination of the terms
    (title tokens, textnorm.title_tokens), never every match's title."""
    terms = list(dict.fromkeys(query.positive_terms))
    rowwise = False  # (set below, once the total is known)

    def base(expr: str | None, extra: tuple[str, ...] = (), named: bool = False) -> str:
        """The matches (ids in the index's order) with the short-term expression `expr`, and
        the `extra` checks. `named`: a select of the window, which reads only a few hundred
        rows: a clause's set is checked row by row (FTS5 seeks to the rowid), the other
        checks' sets are the statement's materialised CTEs c…, made once however many selects
        use them."""
        def conds(col: str, skip_first: bool) -> str:
            out = [f"+{col} {c}" for c in extra]
            for k, (op, sub) in enumerate(checks):
                if skip_first and k == 0:  # (checks[0] is the start's own clause)
                    continue
                if k < len(other) and not (named and not rowwise):
                    out.append(_exists(sql, other[k], col) if named
                               else sql.member(f"+{col}", "IN", other[k]))
                else:
                    out.append(f"+{col} {op} c{k}" if named else f"+{col} {op} ({sub})")
            return "".join(f" AND {c}" for c in out)

        if expr is None:  # no clause is all tokens: the first clause's set is the start
            if named:  # the newest of each of its terms' matches
                return "SELECT id FROM (" + " UNION ".join(
                    f"SELECT id FROM ({_branch(sql, t)}{conds(_column(t), True)} "
                    f"ORDER BY id DESC LIMIT :window)" for t in other[0]) + ")"
            return (f"SELECT id FROM ({sql.clause(other[0])}) WHERE 1" + conds("id", True))
        return (f"SELECT rowid AS id FROM search_bi WHERE search_bi MATCH {sql.bind(expr)}"
                f"{sql.within}" + conds("search_bi.rowid", False))

    matches = base(bi_expr)
    cursor.execute(f"SELECT count(*) FROM ({matches})", sql.params)
    total = int(cursor.fetchone()[0])
    if total == 0:
        return Ranked([], [], 0, {})
    # a term in the title, counted in SQL (instr over ASCII-folded titles, as in _scored)
    # the window's selects read the newest matches of their start until they have enough: an
    # OR clause is checked row by row there when most of the short-term matches pass
    # (about window * matches / total rows are read); otherwise its set is made once
    if other and bi_expr is not None:
        cursor.execute(f"SELECT count(*) FROM search_bi WHERE search_bi MATCH "
                       f"{sql.bind(bi_expr)}{sql.within}", sql.params)
        rowwise = int(cursor.fetchone()[0]) <= ROWWISE_RATIO * total
    lowered = [_lower(t) for t in terms]
    in_title = " + ".join(f"(instr(lower(m.title), {sql.bind(t)}) > 0)" for t in lowered)
    if total <= min(SHORT_RANK_LIMIT, SHORT_FULL_LIMIT):
        cursor.execute(
            f"SELECT h.id, CAST(s.body AS BLOB), m.title, s.pages, {in_title} "
            f"FROM ({matches}) AS h JOIN search_doc AS s ON s.material_id = h.id "
            f"JOIN material AS m ON m.id = h.id", sql.params)
        rows = cursor.fetchall()
        page = _scored(rows, terms)[offset:offset + limit]
        return _ranked(page, total, rows)
    titled = (f"SELECT h.id, ({in_title}) * {TITLE_WEIGHT} AS score, m.title FROM "
              f"({matches}) AS h JOIN material AS m ON m.id = h.id "
              f"ORDER BY score DESC, h.id DESC")
    ids: list[int] = []
    scores: list[float] = []
    docs: dict[int, tuple[str, str, str]] = {}
    window_size = min(SHORT_WINDOW, SHORT_RANK_LIMIT)
    if offset < window_size:
        if len(terms) <= WINDOW_TERMS:
            # the window is among the newest window_size matches of each set of terms in the
            # title (a material ahead of another has at least its title terms, and is newer).
            # A token's titles are its marked token in the short-term table (in the same
            # MATCH when the matches come from that table); another term's, one pass over
            # the titles, made once for the statement
            longer = [t for t in lowered if not _bi_term(t)]
            ctes = [f"c{k} AS MATERIALIZED ({sub})" for k, (_op, sub) in enumerate(checks)
                    if k >= len(other) or not (rowwise or (k == 0 and bi_expr is None))]
            ctes += [f"t{k} AS MATERIALIZED ({_titled(sql, t)})" for k, t in enumerate(longer)]
            parts = [base(bi_expr, (), True)]
            for n in range(1, 2 ** len(terms)):
                chosen = [t for k, t in enumerate(lowered) if n >> k & 1]
                marks = " AND ".join(_phrase(TITLE_MARK + t) for t in chosen if _bi_term(t))
                extra = tuple(f"IN t{longer.index(t)}" for t in chosen if not _bi_term(t))
                if marks and bi_expr is not None:
                    parts.append(base(f"({bi_expr}) AND {marks}", extra, True))
                elif marks:
                    parts.append(base(None, (f"IN (SELECT rowid FROM search_bi WHERE "
                                             f"search_bi MATCH {sql.bind(marks)})", *extra),
                                      True))
                else:
                    parts.append(base(bi_expr, extra, True))
            union = " UNION ".join(f"SELECT id FROM ({p} ORDER BY id DESC LIMIT :window)"
                                   for p in parts)
            # the window and its texts, in one statement
            cursor.execute(("WITH " + ", ".join(ctes) + " " if ctes else "")
                           + f"SELECT w.id, coalesce(CAST(s.body AS BLOB), X''), w.title, "
                           f"s.pages, w.hits FROM (SELECT c.id, m.title, {in_title} AS hits "
                           f"FROM ({union}) AS c JOIN material AS m ON m.id = c.id "
                           f"ORDER BY hits DESC, c.id DESC LIMIT :window) AS w "
                           f"LEFT JOIN search_doc AS s ON s.material_id = w.id",
                           {**sql.params, "window": window_size})
        else:
            cursor.execute(f"SELECT w.id, coalesce(CAST(s.body AS BLOB), X''), w.title, "
                           f"s.pages, w.score / {TITLE_WEIGHT} FROM ({titled} LIMIT :window) "
                           f"AS w LEFT JOIN search_doc AS s ON s.material_id = w.id",
                           {**sql.params, "window": window_size})
        rows = cursor.fetchall()
        window = _scored(rows, terms)[offset:offset + limit]
        ranked = _ranked(window, total, rows)
        ids, scores, docs = ranked.ids, ranked.scores, ranked.docs or {}
    beyond = offset + limit - max(offset, window_size)
    if beyond > 0 and len(ids) < limit:
        cursor.execute(f"{titled} LIMIT :limit OFFSET :offset",
                       {**sql.params, "limit": limit - len(ids),
                        "offset": max(offset, window_size)})
        rest = cursor.fetchall()
        ids += [r[0] for r in rest]
        scores += [float(r[1]) for r in rest]
    return Ranked(ids, scores, total, docs)


def _column(term: str) -> str:
    """The id column of _branch(term)'s table."""
    if len(term) >= 3:
        return "search_tri.rowid"
    return "search_bi.rowid" if is_token_run(term) else "search_doc.material_id"


def _branch(sql: _Sql, term: str) -> str:
    """Like _Sql.term, with the table's own name for its id column (_column)."""
    if len(term) >= 3 or is_token_run(term):
        table = "search_tri" if len(term) >= 3 else "search_bi"
        return (f"SELECT rowid AS id FROM {table} WHERE {table} MATCH "
                f"{sql.bind(_phrase(term))}{sql.within}")
    return (f"SELECT material_id AS id FROM search_doc WHERE body LIKE {sql.bind(_like(term))} "
            f"ESCAPE '\\'{sql.id_within}")


def _exists(sql: _Sql, terms: tuple[str, ...], col: str) -> str:
    """The material `col` contains one of `terms`: checked by rowid in the index (FTS5 seeks
    to it), for a few rows."""
    tests = []
    for term in terms:
        if len(term) >= 3 or is_token_run(term):
            table = "search_tri" if len(term) >= 3 else "search_bi"
            tests.append(f"EXISTS (SELECT 1 FROM {table}({sql.bind(_phrase(term))}) AS x "
                         f"WHERE x.rowid = {col})")
        else:
            tests.append(f"EXISTS (SELECT 1 FROM search_doc AS x WHERE x.material_id = {col} "
                         f"AND x.body LIKE {sql.bind(_like(term))} ESCAPE '\\')")
    return "(" + " OR ".join(tests) + ")"


def _titled(sql: _Sql, term: str) -> str:
    """The ids of materials whose title holds `term` (lower-cased), a term that is not one
    token: those whose marked title tokens hold every pair (or single letter) of its runs of
    letters and digits, then checked on the title; a pass over every title only for a term
    without letters or digits."""
    tokens = [run[i:i + 2] for run in _RUN.findall(term) for i in range(max(1, len(run) - 1))]
    check = f"instr(lower(m.title), {sql.bind(term)}) > 0"
    if not tokens:
        return f"SELECT m.id FROM material AS m WHERE {check}"
    marks = " AND ".join(_phrase(TITLE_MARK + t) for t in dict.fromkeys(tokens))
    return (f"SELECT m.id FROM search_bi AS b JOIN material AS m ON m.id = b.rowid "
            f"WHERE search_bi MATCH {sql.bind(marks)} AND {check}")


def _ranked(page: list[tuple[float, int]], total: int, rows: list) -> Ranked:
    """The Ranked of a page of (score, id), with what its hits show from the (id, body as
    UTF-8 bytes, title, pages, title hits) rows it was ranked from (only the page's texts are
    decoded)."""
    by_id = {r[0]: r for r in rows}
    docs = {}
    for _score, i in page:
        _i, body, title, pages, _hits = by_id[i]
        docs[i] = (title or "", body.decode("utf-8") if body else "", pages or "[]")
    return Ranked([i for _s, i in page], [s for s, _i in page], total, docs)


def _scored(rows: list, terms: list[str]) -> list[tuple[float, int]]:
    """(score, id) of (id, body as UTF-8 bytes, title, pages, title hits) rows, best first,
    newest first among equals: TITLE_WEIGHT per term in the title (counted in SQL), plus the
    terms' occurrences in the text, saturated and normalised by length as in BM25 (a score
    below 1)."""
    if not rows:
        return []
    needles = [_fold(t) for t in terms]
    fold = any(c.isascii() and c.isalpha() for t in terms for c in t)
    lengths = [len(r[1]) for r in rows]
    mean = sum(lengths) / len(lengths) or 1.0
    scored = []
    for (material_id, body, _title, _pages, hits), size in zip(rows, lengths, strict=True):
        if fold:
            body = body.lower()  # bytes.lower folds ASCII only, like SQLite
        tf = body.count(needles[0]) if len(needles) == 1 else sum(map(body.count, needles))
        score = hits * TITLE_WEIGHT + tf / (tf + K1 * (1 - B + B * size / mean))
        scored.append((-score, -material_id))
    scored.sort()
    return [(-s, -i) for s, i in scored]


def _fold(value: str) -> bytes:
    """The UTF-8 bytes of `value` lower-cased like SQLite's lower() (ASCII only: bytes.lower),
    as the texts are compared in Python."""
    return value.encode("utf-8").lower()


def _lower(term: str) -> str:
    """Lower-case like SQLite's lower() (ASCII only), so both sides fold alike."""
    return _fold(term).decode("utf-8")
