"""The Whoosh engine (whoosh-reloaded + jieba), kept in `<archive>/index/whoosh/`.

The index is built from `search_doc.body` (the normalised text, see textnorm). Every token's
position is the offset of its first character in the lower-cased body, and the analyzer emits:

* every non-space character (unigram) and every pair of adjacent characters (bigram), letters,
  digits and punctuation alike, so that any term maps to an exact Whoosh query: one character ->
  its unigram, two -> its bigram, more -> its bigrams at the right distances (term_query).
  Digits inside longer numbers, `PM2.5`, `吴党发〔2021〕14号` and phrases across punctuation
  are found like an exact substring scan finds them;
* jieba words of 3+ characters, which only add to the score of documents that hold the term as a
  word (the bigram positions decide whether a document matches).

A second field, `title`, holds the material's title with the same analyzer. It never decides a
match; for a query of 1-2 character terms it adds TITLE_BOOST to the score of materials whose
title holds a term, so title hits come first and BM25 (term frequency) orders the rest.

The database stays the source of truth: edits queue material ids in `search_pending`, and `sync`
applies them after the commit. The analyzer is pickled into the index schema, so
`ZichaTokenizer` must keep this module path; bump VERSION whenever the schema or analyzer
changes and `needs_rebuild` says so.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import NUMERIC, TEXT, Schema
from whoosh.query.spans import SpanNear2

from desktop.core.archive.models import AuditEntry, Material, SearchDoc, SearchPending
from desktop.core.common import atomic
from desktop.core.common.progress import Progress, as_progress
from desktop.core.search.fts import Ranked
from desktop.core.search.query import Query
from desktop.core.search.textnorm import normalize

NAME = "whoosh"
FIELD = "body"
TITLE = "title"  # the material's title again, only to rank 1-2 character queries
TITLE_BOOST = 20.0  # a title hit outweighs the body's BM25 score
META = "zicha-whoosh.json"
BATCH = 500
WORD_MIN = 3  # shorter jieba words are already unigrams or bigrams

_jieba_lock = threading.Lock()
_jieba: Any = None


def _segmenter() -> Any:
    """A quiet jieba tokenizer whose dictionary cache lives in the user cache dir."""
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba
            import platformdirs

            jieba.setLogLevel(logging.WARNING)
            cache = Path(platformdirs.user_cache_dir("zicha", appauthor=False)) / "jieba"
            try:
                cache.mkdir(parents=True, exist_ok=True)
            except OSError:
                import tempfile

                cache = Path(tempfile.gettempdir())
            seg = jieba.Tokenizer()
            seg.tmp_dir = str(cache)
            seg.initialize()
            _jieba = seg
        return _jieba


def fold(text: str) -> str:
    """Lower-case without changing the length (offsets stay those of the body)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


class ZichaTokenizer(Tokenizer):
    """Unigrams and bigrams of every character plus jieba words, positioned by offset."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,  # noqa: D102
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        text = fold(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        n = len(text)
        for i in range(n):
            c = text[i]
            if c != " ":
                token.text = c
                token.pos = start_pos + i
                token.startchar, token.endchar = start_char + i, start_char + i + 1
                yield token
            if i + 1 < n:
                token.text = text[i:i + 2]
                token.pos = start_pos + i
                token.startchar, token.endchar = start_char + i, start_char + i + 2
                yield token
        if mode == "query":
            return
        for word, start, end in _segmenter().tokenize(text, HMM=False):
            if end - start >= WORD_MIN and " " not in word:
                token.text = word
                token.pos = start_pos + start
                token.startchar, token.endchar = start_char + start, start_char + end
                yield token


def make_schema() -> Schema:
    return Schema(id=NUMERIC(int, bits=64, signed=False, unique=True, sortable=True,
                             stored=False),
                  body=TEXT(analyzer=ZichaTokenizer(), phrase=True, stored=False),
                  title=TEXT(analyzer=ZichaTokenizer(), phrase=False, stored=False))


def term_query(term: str, field: str = FIELD) -> wq.Query:
    """The Whoosh query that matches exactly the documents whose body contains `term`.

    One or two characters: that token. Longer: every other bigram, exactly two positions
    apart (t[0:2] at p, t[2:4] at p+2, ...), and for an odd length the last bigram one position
    after those. That checks every character with half the bigrams of a phrase of all the
    overlapping ones, which halves the position matching (p95 44 -> 20 ms on 500 materials)."""
    text = fold(term)
    n = len(text)
    if n <= 2:
        return wq.Term(field, text)
    grams: list[wq.Query] = [wq.Term(field, text[i:i + 2]) for i in range(0, n - 1, 2)]
    exact = grams[0] if len(grams) == 1 else SpanNear2(grams, slop=2, mindist=2)
    if n % 2:
        exact = SpanNear2([exact, wq.Term(field, text[n - 2:])], slop=1, mindist=1)
    if " " not in text:
        return wq.AndMaybe(exact, wq.Term(field, text))  # a whole jieba word scores higher
    return exact


def to_whoosh(query: Query) -> tuple[wq.Query, wq.Query | None]:
    """(what must match, what must not match). The excluded part is applied as a mask of
    document numbers, not as wq.AndNot: Whoosh's AndNotMatcher does not check the first match
    when the excluded term's first document comes before it, so that document was kept."""
    clauses = [wq.Or([term_query(t) for t in clause]) if len(clause) > 1
               else term_query(clause[0]) for clause in query.clauses]
    positive = clauses[0] if len(clauses) == 1 else wq.And(clauses)
    if all(len(t) <= 2 for t in query.positive_terms):
        # 1-2 character terms: BM25 ranks by their frequency; title hits come first
        in_title = [wq.Term(TITLE, fold(t), boost=TITLE_BOOST)
                    for t in dict.fromkeys(query.positive_terms)]
        positive = wq.AndMaybe(positive, in_title[0] if len(in_title) == 1
                               else wq.Or(in_title))
    if not query.excluded:
        return positive, None
    return positive, wq.Or([term_query(t) for t in query.excluded])


class _Open:
    """An open index with its searcher and the docnum -> material id column, shared by every
    WhooshEngine on the same folder (the facade makes a new engine object per call)."""

    def __init__(self, folder: Path) -> None:
        self.lock = threading.RLock()
        self.index = whoosh_index.open_dir(str(folder))
        self.searcher = self.index.searcher()
        self._ids: list[int] | None = None
        self._docnums: dict[int, int] | None = None

    def fresh(self) -> Any:
        if not self.searcher.up_to_date():
            # not searcher.refresh(): it reuses segment readers whose deletions changed (and
            # re-adds segments merged away), so deleted materials would still be found
            old, self.searcher = self.searcher, self.index.searcher()
            old.close()
            self._ids = self._docnums = None
        return self.searcher

    def ids(self) -> list[int]:
        if self._ids is None:
            reader = self.searcher.reader()
            self._ids = list(reader.column_reader("id")) if reader.doc_count_all() else []
        return self._ids

    def docnums(self) -> dict[int, int]:
        if self._docnums is None:
            ids = self.ids()
            self._docnums = {ids[d]: d for d in self.searcher.reader().all_doc_ids()}
        return self._docnums

    def close(self) -> None:
        try:
            self.searcher.close()
        finally:
            self.index.close()


_open_lock = threading.Lock()
_opened: dict[str, _Open] = {}


def _forget(folder: Path) -> None:
    with _open_lock:
        opened = _opened.pop(str(folder.resolve()), None)
    if opened is not None:
        with opened.lock:
            opened.close()


def close_all() -> None:
    """Close every cached index (before moving or deleting archives)."""
    with _open_lock:
        folders = [Path(k) for k in _opened]
    for folder in folders:
        _forget(folder)


def _documents(session: Any, ids: list[int]) -> dict[int, tuple[str, str]]:
    """material id -> (search body, normalised title) of those still indexed."""
    return {i: (body, normalize(title or "")) for i, body, title in session.execute(
        select(SearchDoc.material_id, SearchDoc.body, Material.title)
        .join(Material, Material.id == SearchDoc.material_id, isouter=True)
        .where(SearchDoc.material_id.in_(ids)).order_by(SearchDoc.material_id)).all()}


class WhooshEngine:
    VERSION = 2  # 2: the title field
    # processes for rebuild; >1 uses Whoosh's multiprocessing writer (fork-friendly platforms)
    procs = 1
    limitmb = 256

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # -- state ----------------------------------------------------------------------------

    def _meta(self) -> dict:
        try:
            return json.loads((self.folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_meta(self, documents: int, switched: int | None = None) -> None:
        meta = self._meta()
        meta.update({"version": self.VERSION, "engine": NAME, "documents": documents})
        if switched is not None:
            meta["engine_switch"] = switched
        # the index is rebuildable: whole or absent after a crash is enough, no flush to disk
        atomic.write_bytes(self.folder / META, json.dumps(meta).encode("utf-8"), durable=False)

    @staticmethod
    def _last_switch(archive: Any) -> int:
        """Audit seq of the last engine choice: while another engine was chosen, changes were
        not queued for this index, so an index older than the last switch is stale."""
        with archive.read() as session:
            return session.scalar(select(func.max(AuditEntry.seq)).where(
                AuditEntry.action == "search.engine")) or 0

    def exists(self) -> bool:
        return self.folder.is_dir() and whoosh_index.exists_in(str(self.folder))

    def needs_rebuild(self, archive: Any) -> bool:
        if not self.exists():
            return True
        meta = self._meta()
        return (meta.get("version") != self.VERSION
                or meta.get("engine_switch", -1) < self._last_switch(archive))

    def _opened(self) -> _Open | None:
        if not self.exists():
            return None
        key = str(self.folder.resolve())
        with _open_lock:
            opened = _opened.get(key)
            if opened is None:
                opened = _opened[key] = _Open(self.folder)
        return opened

    # -- upkeep ---------------------------------------------------------------------------

    def sync(self, archive: Any) -> int:
        """Apply `search_pending`: update each queued material from search_doc (or delete it),
        commit Whoosh, then clear the queue rows whose document did not change meanwhile."""
        if self.needs_rebuild(archive):
            self.rebuild(archive)
            return 0
        with archive.read() as session:
            queued = list(session.scalars(select(SearchPending.material_id)))
        if not queued:
            return 0
        applied: dict[int, str | None] = {}
        index = whoosh_index.open_dir(str(self.folder))
        try:
            writer = index.writer(timeout=60.0, limitmb=self.limitmb)
            try:
                for start in range(0, len(queued), BATCH):
                    chunk = queued[start:start + BATCH]
                    with archive.read() as session:
                        docs = _documents(session, chunk)
                    for material_id in chunk:
                        body, title = docs.get(material_id, (None, ""))
                        if body is None:
                            writer.delete_by_term("id", material_id)
                        else:
                            writer.update_document(id=material_id, body=body, title=title)
                        applied[material_id] = body
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        finally:
            index.close()
        self._clear_pending(archive, applied)
        self._write_meta(self._doc_count())
        return len(queued)

    @staticmethod
    def _clear_pending(archive: Any, applied: dict[int, str | None]) -> None:
        """Delete the queue rows of materials whose search_doc is still what was indexed
        (None: deleted); one changed meanwhile stays queued for the next sync."""
        queued = sorted(applied)
        with archive.write() as (session, _log):
            done: list[int] = []
            for start in range(0, len(queued), BATCH):
                chunk = queued[start:start + BATCH]
                now = dict(session.execute(
                    select(SearchDoc.material_id, SearchDoc.body)
                    .where(SearchDoc.material_id.in_(chunk))).all())
                done += [i for i in chunk if now.get(i) == applied[i]]
            for start in range(0, len(done), BATCH):
                session.execute(delete(SearchPending).where(
                    SearchPending.material_id.in_(done[start:start + BATCH])))

    def _doc_count(self) -> int:
        index = whoosh_index.open_dir(str(self.folder))
        try:
            return index.doc_count()
        finally:
            index.close()

    def rebuild(self, archive: Any, progress: Progress | None = None) -> None:
        """Index every search_doc row into a new, empty index."""
        progress = as_progress(progress)
        _forget(self.folder)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        switched = self._last_switch(archive)
        index = whoosh_index.create_in(str(self.folder), make_schema())
        try:
            with archive.read() as session:
                queued_before = set(session.scalars(select(SearchPending.material_id)))
                ids = list(session.scalars(select(SearchDoc.material_id)
                                           .order_by(SearchDoc.material_id)))
            total = len(ids)
            indexed: dict[int, str | None] = dict.fromkeys(queued_before)
            if self.procs > 1:
                writer = index.writer(procs=self.procs, multisegment=True,
                                      limitmb=self.limitmb)
            else:
                writer = index.writer(limitmb=self.limitmb)
            try:
                for start in range(0, total, BATCH):
                    chunk = ids[start:start + BATCH]
                    with archive.read() as session:
                        rows = _documents(session, chunk)
                    for material_id, (body, title) in rows.items():
                        writer.add_document(id=material_id, body=body, title=title)
                        if material_id in queued_before:
                            indexed[material_id] = body
                    progress.step(min(start + BATCH, total), total)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        finally:
            index.close()
        if indexed:  # queued rows that the new index holds as they are now are done
            self._clear_pending(archive, indexed)
        self._write_meta(total, switched)

    # -- queries --------------------------------------------------------------------------

    def search(self, query: Query, allowed: set[int] | None, *, limit: int,
               offset: int) -> Ranked:
        opened = self._opened()
        if opened is None or (allowed is not None and not allowed):
            return Ranked([], [], 0)
        with opened.lock:
            searcher = opened.fresh()
            docfilter = None
            if allowed is not None:
                docnums = opened.docnums()
                docfilter = {docnums[i] for i in allowed if i in docnums}
                if not docfilter:
                    return Ranked([], [], 0)
            positive, negative = to_whoosh(query)
            mask = set(searcher.docs_for_query(negative)) if negative is not None else None
            # optimize=False: block-quality skipping leaves the total unknown, and len() would
            # then run the whole query a second time (top-20 p95 2x slower at 10,000)
            results = searcher.search(positive, limit=offset + limit, filter=docfilter,
                                      mask=mask or None, terms=False, optimize=False)
            top = results.top_n[offset:offset + limit]
            ids = opened.ids()
            return Ranked([ids[docnum] for _score, docnum in top],
                          [float(score) for score, _docnum in top], len(results))

    def indexed_ids(self) -> set[int]:
        opened = self._opened()
        if opened is None:
            return set()
        with opened.lock:
            opened.fresh()
            return set(opened.docnums())
