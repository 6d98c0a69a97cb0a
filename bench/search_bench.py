"""Search benchmark: every engine side by side on one generated corpus.

    .venv/bin/python bench/search_bench.py --materials 10000 [--work /tmp/zicha-bench]

1. makes (or reuses) a corpus of N materials (bench/corpus.py: text PDFs, DOCX, XLSX and a few
   scanned images) under WORK/corpus;
2. imports it into a fresh archive with importer.import_paths and extracts + indexes the text with
   texts.process(ocr=False) (the FTS5 index is written in the same transaction as each text),
   timing materials/s per file kind;
3. for each engine (fts5, whoosh, and pg-gram with `--server URL`, an empty PostgreSQL
   database: the archive is first copied there with `zicha migrate`'s migrate_archive, not
   timed): makes its index (search.rebuild for fts5 and pg-gram; for whoosh `set_engine` + the
   Whoosh engine's rebuild, which is all its own indexing), its size on disk,
   then a fixed, seeded set of ~300 queries: one pass through the engine for the full hit sets,
   which are checked against an exact case-insensitive substring scan of search_doc.body (every
   clause must match: recall and precision), then a warm timed pass through the facade,
   `search.search(archive, q, limit=20)`, for p50/p95 latency by query class:
   short = every term has 1-2 characters, long = every term has 3 or more, mixed = both.

Prints one table per run and writes WORK/results-N.json. `--reuse` keeps an archive that was
already imported and extracted for the same N (to re-run only the query part); `--reuse-server`
also keeps the server copy of an earlier run (WORK/archive-N-server) with its pg-gram index.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from desktop.core import search  # noqa: E402
from desktop.core.archive.archive import Archive  # noqa: E402
from desktop.core.archive.items import add_item  # noqa: E402
from desktop.core.archive.models import Blob, SearchDoc, TextState  # noqa: E402
from desktop.core.materials import texts
from desktop.core.materials.importer import ImportOptions, import_paths  # noqa: E402
from desktop.core.search import fts, grams  # noqa: E402
from desktop.core.search.query import Query, parse  # noqa: E402

ENGINES = ("fts5", "whoosh")
SERVER_ENGINE = "pg-gram"  # needs --server
KIND_OF_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".jpg": "jpeg"}


def log(message: str) -> None:
    print(message, flush=True)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Phases:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, fn: Callable[[], object]) -> object:
        log(f"-- {name} ...")
        started = time.perf_counter()
        result = fn()
        self.seconds[name] = round(time.perf_counter() - started, 1)
        log(f"-- {name}: {self.seconds[name]} s (max RSS {rss_mb():.0f} MB)")
        return result


# -- archive -------------------------------------------------------------------------------

def import_corpus(root: Path, files: list[Path]) -> dict:
    """A fresh archive with every file imported (department and type vary by folder)."""
    archive = Archive.create(root)
    try:
        add_item(archive, "01.01", "创建工作材料")
        started = time.perf_counter()
        by_folder: dict[Path, list[Path]] = {}
        for path in files:
            by_folder.setdefault(path.parent, []).append(path)
        stored = 0
        types = ["方案计划", "制度机制", "活动记录", "保障措施", "特色成效"]
        for n, (_folder, paths) in enumerate(sorted(by_folder.items())):
            options = ImportOptions(codes=["01.01"], department=corpus.DEPARTMENTS[n % 20],
                                    material_type=types[n % len(types)])
            for row in import_paths(archive, paths, options):
                stored += row.status == "stored"
            log(f"  imported {stored}/{len(files)} ({time.perf_counter() - started:.0f} s)")
        seconds = time.perf_counter() - started
    finally:
        archive.close()
    return {"files": len(files), "stored": stored, "seconds": round(seconds, 1),
            "files_per_s": round(stored / seconds, 1)}


def extract(archive: Archive) -> dict:
    """Text phase (no OCR) of every file with FTS5 indexing: PDF and DOCX together (the class
    the throughput target is about), then XLSX, then images (which only wait for OCR)."""
    kind_of: dict[str, str] = {}
    with archive.read() as session:
        by_kind: dict[str, list[str]] = {}
        for sha, kind in session.execute(select(TextState.sha256, Blob.kind).join(
                Blob, Blob.sha256 == TextState.sha256).where(TextState.state == texts.PENDING)):
            kind_of[sha] = kind
            group = "pdf+docx" if kind in ("pdf", "docx") else kind  # the target's class
            by_kind.setdefault(group, []).append(sha)
    try:
        import desktop.core.extract.runner  # noqa: F401
        real = True
    except ImportError:
        real = False
    result: dict = {"method": "texts.process(ocr=False), its own text workers" if real
                    else "in-process pymupdf/python-docx/openpyxl + texts.record "
                         "(desktop.core.extract was not available)"}
    total_files, total_s = 0, 0.0
    for kind in sorted(by_kind):
        keys = by_kind[kind]
        started = time.perf_counter()
        if real:
            stats = texts.process(archive, keys=keys, ocr=False)
            outcome = {"done": stats.done, "no_text": stats.no_text, "failed": stats.failed}
        else:
            outcome = {"done": sum(_extract_in_process(archive, [k], kind_of[k])["done"]
                                   for k in keys)}
        seconds = time.perf_counter() - started
        result[kind] = {"files": len(keys), **outcome, "seconds": round(seconds, 1),
                        "per_s": round(len(keys) / seconds, 1)}
        log(f"  {kind}: {result[kind]}")
        if kind != "jpeg":
            total_files += len(keys)
            total_s += seconds
    result["text_files_per_s"] = round(total_files / total_s, 1) if total_s else None
    # Files the real extractor failed on are extracted here instead (and reported), so that a
    # bug in one extractor does not leave the search corpus without that kind's text.
    with archive.read() as session:
        failed = session.execute(select(TextState.sha256, Blob.kind, TextState.reason).join(
            Blob, Blob.sha256 == TextState.sha256).where(
            TextState.state == texts.FAILED)).all()
    if failed:
        retry: dict[str, list[str]] = {}
        for sha, kind, _reason in failed:
            retry.setdefault(kind, []).append(sha)
        result["retried_in_process"] = {
            "files": {k: len(v) for k, v in retry.items()}, "first_reason": failed[0][2]}
        log(f"  {len(failed)} files failed; retrying in process: {result['retried_in_process']}")
        for kind, keys in retry.items():
            _extract_in_process(archive, keys, kind)
    return result


def forget_texts(archive: Archive) -> None:
    """Back to the state right after import: every text pending, search documents holding
    only metadata (so that the timed extraction does the same work as the first time)."""
    with archive.write() as (session, _log):
        session.execute(text("DELETE FROM blob_page"))
        session.execute(text("UPDATE text_state SET state='pending', reason='', "
                             "ocr_state='none', ocr_reason='', ocr_pages='[]', chars=0"))
    search.set_engine(archive, "fts5")
    search.rebuild(archive)


def _extract_in_process(archive: Archive, keys: list[str], kind: str) -> dict:
    """Fallback when desktop.core.extract is missing: minimal extractors in this process."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Page:
        index: int
        text: str
        source: str = "text"

    @dataclass(frozen=True)
    class Result:
        state: str
        pages: tuple
        ocr_pages: tuple = ()
        reason: str = ""

    done = 0
    for sha in keys:
        path = archive.store.path_for(sha)
        pages: list[Page] = []
        if kind == "pdf":
            import pymupdf

            with pymupdf.open(path) as doc:
                pages = [Page(i, p.get_text()) for i, p in enumerate(doc)]
        elif kind == "docx":
            import docx

            d = docx.Document(str(path))
            parts = [p.text for p in d.paragraphs]
            parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
            pages = [Page(0, "\n".join(parts))]
        elif kind == "xlsx":
            import openpyxl

            with open(path, "rb") as handle:  # a file object: stored files have no suffix
                wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                for i, ws in enumerate(wb.worksheets):
                    rows = ("\t".join("" if v is None else str(v) for v in row)
                            for row in ws.iter_rows(values_only=True))
                    pages.append(Page(i, "\n".join(rows)))
                wb.close()
        result = Result("done" if pages else "no_text", tuple(pages),
                        (0,) if kind == "jpeg" else ())
        texts.record(archive, sha, "text", result)
        done += bool(pages)
    search.sync(archive)
    return {"done": done}


# -- queries -------------------------------------------------------------------------------

_GIVEN = "|".join(sorted(corpus.GIVEN, key=len, reverse=True))
NAME_RE = re.compile(f"[{corpus.SURNAMES}](?:{_GIVEN})")
DOCNO_RE = re.compile(r"[吴苏][\u4e00-\u9fff]{1,3}〔\d{4}〕\d{1,3}号")
CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
DIGITS_RE = re.compile(r"\d{2,}")
ASCII_TERMS = [t for t in corpus.ASCII_TERMS] + ["0512-6", "No.1", "PM2"]


def _term(rng: random.Random, body: str, kind: str) -> str | None:
    if kind in ("cjk1", "cjk2", "cjk3-6"):
        runs = [r for r in CJK_RUN_RE.findall(body) if len(r) >= 6]
        if not runs:
            return None
        run = rng.choice(runs)
        size = {"cjk1": 1, "cjk2": 2}.get(kind) or rng.randint(3, 6)
        start = rng.randrange(len(run) - size + 1)
        return run[start:start + size]
    if kind == "name":
        found = NAME_RE.findall(body)
        return rng.choice(found) if found else None
    if kind == "docno":
        found = DOCNO_RE.findall(body)
        return rng.choice(found) if found else None
    if kind == "number":
        found = DIGITS_RE.findall(body)
        if not found:
            return None
        run = rng.choice(found)
        size = rng.randint(2, min(6, len(run)))
        start = rng.randrange(len(run) - size + 1)
        return run[start:start + size]
    if kind == "ascii":
        found = [t for t in ASCII_TERMS if t.lower() in body.lower()]
        if not found:
            return None
        term = rng.choice(found)
        i = body.lower().index(term.lower())
        return body[i:i + len(term)]  # as the document writes it
    raise ValueError(kind)


TERM_KINDS = ["cjk1"] * 2 + ["cjk2"] * 3 + ["cjk3-6"] * 6 + ["name"] * 3 + ["number"] * 2 + \
    ["docno"] * 2 + ["ascii"] * 3


def _quote(term: str) -> str:
    if " " in term or term.startswith("-") or term in ("OR", "NOT", "|"):
        return f'"{term}"'
    return term


def make_queries(bodies: dict[int, str], count: int, seed: int) -> list[dict]:
    """`count` queries of 1-3 terms from random documents (every query has a hit);
    one in ten has an OR, one in ten excludes a term that its source document lacks."""
    rng = random.Random(seed)
    ids = sorted(i for i, body in bodies.items() if len(body) >= 500)  # documents with text
    queries: list[dict] = []
    while len(queries) < count:
        body = bodies[rng.choice(ids)]
        terms: list[str] = []
        kinds: list[str] = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3])):
            kind = rng.choice(TERM_KINDS)
            term = _term(rng, body, kind)
            if term and '"' not in term and term not in terms:
                terms.append(term)
                kinds.append(kind)
        if not terms:
            continue
        parts = [_quote(t) for t in terms]
        shape = rng.random()
        if shape < 0.1:  # OR with a term from another document
            other = _term(rng, bodies[rng.choice(ids)], rng.choice(TERM_KINDS))
            if other and '"' not in other:
                parts[-1] = f"{parts[-1]} OR {_quote(other)}"
                terms.append(other)
        elif shape < 0.2:  # NOT a term the source document lacks
            other = _term(rng, bodies[rng.choice(ids)], rng.choice(["cjk2", "cjk3-6", "name"]))
            if other and '"' not in other and other.lower() not in body.lower():
                parts.append(f"-{_quote(other)}")
        q = " ".join(parts)
        query = parse(q)
        lengths = [len(t) for t in query.positive_terms]
        cls = ("short" if max(lengths) <= 2 else "long" if min(lengths) >= 3 else "mixed")
        queries.append({"q": q, "class": cls, "kinds": kinds})
    return queries


def scan(lowered: list[tuple[int, str]], query: Query) -> set[int]:
    """The exact answer: a case-insensitive substring scan of every search_doc.body."""
    clauses = [[t.lower() for t in c] for c in query.clauses]
    excluded = [t.lower() for t in query.excluded]
    return {i for i, body in lowered
            if all(any(t in body for t in c) for c in clauses)
            and not any(t in body for t in excluded)}


def ground_truth(bodies: dict[int, str], queries: list[dict]) -> list[set[int]]:
    lowered = [(i, b.lower()) for i, b in bodies.items()]
    return [scan(lowered, parse(item["q"])) for item in queries]


def ground_truth_phase(phases: Phases, bodies: dict[int, str],
                       queries: list[dict]) -> list[set[int]]:
    return phases.run("exact scan (ground truth)", lambda: ground_truth(bodies, queries))


# -- engines -------------------------------------------------------------------------------

def dir_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def fts_sizes(archive: Archive) -> dict:
    with archive.read() as session:
        rows = dict(session.execute(text(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name")).all())
    tri = sum(v for k, v in rows.items() if k.startswith("search_tri"))
    bi = sum(v for k, v in rows.items() if k.startswith("search_bi"))
    with archive.read() as session:
        body, short = session.execute(text(
            "SELECT sum(length(CAST(body AS BLOB))), sum(length(CAST(short AS BLOB))) "
            "FROM search_doc")).one()
    return {"trigram_mb": round(tri / 1e6, 1), "short_table_mb": round(bi / 1e6, 1),
            "search_doc_mb": round(rows.get("search_doc", 0) / 1e6, 1),
            "body_text_mb": round((body or 0) / 1e6, 1),
            "short_column_mb": round((short or 0) / 1e6, 1),
            "database_file_mb": round((archive.root / "zicha.db").stat().st_size / 1e6, 1)}


def full_hits(archive: Archive, engine: str, query: Query, big: int) -> tuple[list[int], int]:
    if engine == "whoosh":
        ranked = search._whoosh(archive).search(query, None, limit=big, offset=0)
    elif engine == SERVER_ENGINE:
        with archive.read() as session:
            ranked = grams.search(session, query, limit=big, offset=0)
    else:
        with archive.read() as session:
            ranked = fts.search(session, query, limit=big, offset=0)
    return ranked.ids, ranked.total


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run_engine(archive: Archive, engine: str, queries: list[dict], truth: list[set[int]],
               n_docs: int, phases: Phases, whoosh_procs: int, rebuild: bool = True) -> dict:
    out: dict = {"engine": engine}
    search.set_engine(archive, engine)
    if engine == "whoosh":
        from desktop.core.search import whoosh_engine

        whoosh_engine.WhooshEngine.procs = whoosh_procs
        folder = archive.root / "index" / "whoosh"

        def build() -> None:
            def progress(done: int, total: int) -> None:
                if done % 5000 < 500 or done == total:
                    log(f"  whoosh: {done}/{total}")
            search._whoosh(archive).rebuild(archive, progress)

        phases.run(f"{engine}: index", build)
        out["index_s"] = phases.seconds[f"{engine}: index"]
        out["index_mb"] = round(dir_size(folder) / 1e6, 1)
        out["procs"] = whoosh_procs
    elif engine == SERVER_ENGINE:
        if rebuild:
            phases.run(f"{engine}: index", lambda: search.rebuild(archive))
            out["index_s"] = phases.seconds[f"{engine}: index"]
        else:
            out["index_s"] = "(kept)"
        with archive.read() as session:
            gram, fold, doc = session.execute(text(
                "SELECT pg_total_relation_size('search_gram'), "
                "pg_total_relation_size('search_fold'), "
                "pg_total_relation_size('search_doc')")).one()
        out["sizes"] = {"search_gram_mb": round(gram / 1e6, 1),
                        "search_fold_mb": round(fold / 1e6, 1),
                        "search_doc_mb": round(doc / 1e6, 1)}
        out["index_mb"] = round(out["sizes"]["search_gram_mb"]
                                + out["sizes"]["search_fold_mb"], 1)
    else:
        if rebuild or search.needs_rebuild(archive):
            phases.run(f"{engine}: index", lambda: search.rebuild(archive))
            out["index_s"] = phases.seconds[f"{engine}: index"]
        else:
            out["index_s"] = "(kept)"
        out["sizes"] = fts_sizes(archive)
        out["index_mb"] = round(out["sizes"]["trigram_mb"] + out["sizes"]["short_table_mb"], 1)
    assert not search.needs_rebuild(archive), engine
    drift = search.drift(archive)
    out["drift"] = {"missing": len(drift.missing), "stale": len(drift.stale),
                    "problems": drift.problems}

    def check() -> list[dict]:
        rows = []
        for item, expected in zip(queries, truth, strict=True):
            started = time.perf_counter()
            ids, total = full_hits(archive, engine, parse(item["q"]), n_docs + 10)
            found = set(ids)
            hit = len(found & expected)
            rows.append({
                "q": item["q"], "class": item["class"], "found": len(found), "total": total,
                "expected": len(expected),
                "recall": hit / len(expected) if expected else 1.0,
                "precision": hit / len(found) if found else (1.0 if not expected else 0.0),
                "full_ms": (time.perf_counter() - started) * 1000,
            })
        return rows

    checked = phases.run(f"{engine}: full hit sets", check)
    out["recall_mean"] = statistics.fmean(r["recall"] for r in checked)
    out["precision_mean"] = statistics.fmean(r["precision"] for r in checked)
    out["recall_min"] = min(r["recall"] for r in checked)
    out["precision_min"] = min(r["precision"] for r in checked)
    out["total_mismatch"] = sum(r["total"] != r["found"] for r in checked)
    out["imperfect"] = [r for r in checked if r["recall"] < 1 or r["precision"] < 1]
    out["full_ms_p95"] = pct([r["full_ms"] for r in checked], 95)

    each: list[float] = []

    def timed() -> dict:
        times: dict[str, list[float]] = {"short": [], "long": [], "mixed": []}
        for item in queries:
            started = time.perf_counter()
            search.search(archive, item["q"], limit=20)
            ms = (time.perf_counter() - started) * 1000
            times[item["class"]].append(ms)
            each.append(ms)
        return times

    times = phases.run(f"{engine}: timed top-20", timed)
    out["per_query_ms"] = [round(t, 2) for t in each]
    filtered = phases.run(f"{engine}: filters (check and timed top-20)",
                          lambda: filter_pass(archive, engine, queries, truth, n_docs))
    out["filters"] = {k: v for k, v in filtered.items() if k != "times"}
    out["by_kind"] = by_kind(queries, truth, each, filtered["times"])
    if engine == "fts5":
        out["facade"] = phases.run(f"{engine}: facade against raw SQL",
                                   lambda: facade_overhead(archive, queries))
    every = [t for v in times.values() for t in v]
    out["latency"] = {cls: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95), "max": max(v)}
                      for cls, v in {**times, "all": every}.items() if v}
    out["rss_mb"] = round(rss_mb())
    if engine == "whoosh":
        from desktop.core.search import whoosh_engine

        whoosh_engine.close_all()
    gc.collect()
    return out


# -- query kinds ---------------------------------------------------------------------------

MANY_HITS = 2000  # fts.RANK_LIMIT: above it a result set is "many-hit"


def kinds_of(item: dict, expected: int) -> list[str]:
    """The kinds a query belongs to (one query may be of several): a 1- or 2-character term,
    only terms of 3+ characters, a quoted phrase, more than MANY_HITS hits."""
    lengths = [len(t) for t in parse(item["q"]).positive_terms]
    kinds = []
    if 1 in lengths:
        kinds.append("1-char")
    if 2 in lengths:
        kinds.append("2-char")
    if min(lengths) >= 3:
        kinds.append("long term")
    if '"' in item["q"]:
        kinds.append("phrase")
    if expected > MANY_HITS:
        kinds.append("many-hit")
    return kinds


def filters_for(n: int) -> search.Filters:
    """The filters of the filter pass: a department (the import gives one per folder) on every
    query, every other query also a 材料类型, every third also the 测评内容 01.01."""
    return search.Filters(
        department=corpus.DEPARTMENTS[n % 20],
        material_type=["方案计划", "制度机制", "活动记录", "保障措施", "特色成效"][n % 5]
        if n % 2 else None,
        codes=("01.01",) if n % 3 == 0 else ())


def filter_pass(archive: Archive, engine: str, queries: list[dict], truth: list[set[int]],
                n_docs: int) -> dict:
    """Each query with filters_for(i): its full hit set against the exact scan restricted to
    the materials the filters allow, then a timed top-20 pass through the facade."""
    from sqlalchemy import text as sql_text

    recall, precision, times = [], [], []
    for n, (item, expected_all) in enumerate(zip(queries, truth, strict=True)):
        filters = filters_for(n)
        with archive.read() as session:
            allowed_sql, params = search._allowed(session, filters)
            allowed = set(session.execute(sql_text(allowed_sql), params).scalars())
            query = parse(item["q"])
            if engine == "fts5":
                ranked = fts.search(session, query, allowed_sql=allowed_sql,
                                    allowed_params=params, limit=n_docs + 10)
            elif engine == SERVER_ENGINE:
                ranked = grams.search(session, query, allowed_sql=allowed_sql,
                                      allowed_params=params, limit=n_docs + 10)
            else:
                ranked = search._whoosh(archive).search(query, allowed, limit=n_docs + 10,
                                                         offset=0)
        expected = expected_all & allowed
        found = set(ranked.ids)
        hit = len(found & expected)
        recall.append(hit / len(expected) if expected else 1.0)
        precision.append(hit / len(found) if found else (1.0 if not expected else 0.0))
    for n, item in enumerate(queries):
        filters = filters_for(n)
        started = time.perf_counter()
        search.search(archive, item["q"], filters, limit=20)
        times.append((time.perf_counter() - started) * 1000)
    return {"recall_min": min(recall), "precision_min": min(precision),
            "recall_mean": statistics.fmean(recall),
            "precision_mean": statistics.fmean(precision), "times": times}


def by_kind(queries: list[dict], truth: list[set[int]], each: list[float],
            filtered: list[float]) -> dict:
    groups: dict[str, list[float]] = {}
    for item, expected, ms in zip(queries, truth, each, strict=True):
        for kind in kinds_of(item, len(expected)):
            groups.setdefault(kind, []).append(ms)
    groups["filters"] = filtered
    order = ["1-char", "2-char", "long term", "phrase", "filters", "many-hit"]
    return {k: {"n": len(groups[k]), "p50": round(pct(groups[k], 50), 1),
                "p95": round(pct(groups[k], 95), 1), "max": round(max(groups[k]), 1)}
            for k in order if groups.get(k)}


def kind_table(results: list[dict]) -> str:
    lines = ["| engine | " + " | ".join(
        f"{k} p50 / p95 (n)" for k in ("1-char", "2-char", "long term", "phrase", "filters",
                                       "many-hit")) + " | filters recall / precision min |",
        "|---" * 8 + "|"]
    for r in results:
        cells = []
        for k in ("1-char", "2-char", "long term", "phrase", "filters", "many-hit"):
            v = r["by_kind"].get(k)
            cells.append(f"{v['p50']} / {v['p95']} ({v['n']})" if v else "–")
        f = r["filters"]
        lines.append(f"| {r['engine']} | " + " | ".join(cells)
                     + f" | {f['recall_min']:.2f} / {f['precision_min']:.2f} |")
    return "\n".join(lines)


# -- report --------------------------------------------------------------------------------

def table(n: int, results: list[dict], extraction: dict | None) -> str:
    lines = [f"### {n:,} materials", ""]
    if extraction:
        rates = ", ".join(f"{k} {v['per_s']}/s ({v['files']})" for k, v in extraction.items()
                          if isinstance(v, dict) and "per_s" in v)
        lines += [f"Extraction + FTS5 indexing ({extraction['method']}): {rates}; "
                  f"text files overall {extraction['text_files_per_s']} materials/s.", ""]
        if extraction.get("retried_in_process"):
            lines += [f"Failed in the real extractor, then extracted in process for the "
                      f"search corpus: {extraction['retried_in_process']}", ""]
    lines += ["| engine | index build s | index MB | all p50 / p95 ms | short p50 / p95 | "
              "long p50 / p95 | mixed p50 / p95 | max ms | recall mean (min) | "
              "precision mean (min) | imperfect queries |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lat = r["latency"]

        def pp(cls: str, lat: dict = lat) -> str:
            v = lat.get(cls)
            return f"{v['p50']:.1f} / {v['p95']:.1f}" if v else "–"

        lines.append(
            f"| {r['engine']} | {r['index_s']} | {r['index_mb']} | {pp('all')} | {pp('short')} "
            f"| {pp('long')} | {pp('mixed')} | {lat['all']['max']:.0f} | "
            f"{r['recall_mean']:.4f} ({r['recall_min']:.2f}) | "
            f"{r['precision_mean']:.4f} ({r['precision_min']:.2f}) | {len(r['imperfect'])} |")
    return "\n".join(lines)


def facade_overhead(archive: Archive, queries: list[dict], rounds: int = 3) -> dict:
    """Issue 20 item 4: each query through the facade (search.search, top 20 with snippets)
    against the very statements it ran, replayed on a plain sqlite3 connection to the same
    database (fetching every row). Per query the best of `rounds`; the ratio of the sums and
    the median of per-query ratios, and statements per query."""
    import sqlite3

    from sqlalchemy import event

    # every statement that reaches SQLite, bound values filled in (the DB-API cursor the
    # facade may use directly included), from each connection it checks out
    traced: list[str] = []

    def checkout(dbapi_conn, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.set_trace_callback(traced.append)

    def checkin(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.set_trace_callback(None)

    raw = sqlite3.connect(archive.root / "zicha.db")
    facade_ms, raw_ms, counts, ratios = [], [], [], []
    facade_cpu, raw_cpu = [], []  # this thread's CPU time: what another job's load leaves out
    try:
        for item in queries:
            best_f = best_r = float("inf")
            cpu_f = cpu_r = float("inf")
            run: list[str] = []
            for _ in range(rounds):
                traced.clear()
                event.listen(archive.engine, "checkout", checkout)
                event.listen(archive.engine, "checkin", checkin)
                started, cpu = time.perf_counter(), time.thread_time()
                search.search(archive, item["q"], limit=20)
                best_f = min(best_f, (time.perf_counter() - started) * 1000)
                cpu_f = min(cpu_f, (time.thread_time() - cpu) * 1000)
                event.remove(archive.engine, "checkout", checkout)
                event.remove(archive.engine, "checkin", checkin)
                # what the facade itself ran: not the transaction's bounds, nor what SQLite
                # and FTS5 run inside a statement ("-- " nested ones, their PRAGMAs and
                # shadow-table reads on first use)
                run = [t for t in traced if not t.upper().startswith(
                    ("BEGIN", "COMMIT", "ROLLBACK", "--", "PRAGMA"))
                    and "FROM 'main'." not in t]
                started, cpu = time.perf_counter(), time.thread_time()
                for sql_text in run:
                    raw.execute(sql_text).fetchall()
                best_r = min(best_r, (time.perf_counter() - started) * 1000)
                cpu_r = min(cpu_r, (time.thread_time() - cpu) * 1000)
            facade_cpu.append(cpu_f)
            raw_cpu.append(cpu_r)
            facade_ms.append(best_f)
            raw_ms.append(best_r)
            counts.append(len(run))
            ratios.append(best_f / best_r if best_r else 0.0)
    finally:
        raw.close()
    by_class = {}
    for cls in ("short", "long", "mixed"):
        f = sum(t for t, q in zip(facade_ms, queries, strict=True) if q["class"] == cls)
        r = sum(t for t, q in zip(raw_ms, queries, strict=True) if q["class"] == cls)
        if r:
            by_class[cls] = round(f / r, 2)
    return {"by_class_ratio_of_sums": by_class,
            "facade_ms_sum": round(sum(facade_ms), 1), "raw_ms_sum": round(sum(raw_ms), 1),
            "ratio_of_sums": round(sum(facade_ms) / sum(raw_ms), 2),
            "cpu_ratio_of_sums": round(sum(facade_cpu) / sum(raw_cpu), 2),
            "cpu_by_class_ratio_of_sums": {
                cls: round(sum(t for t, q in zip(facade_cpu, queries, strict=True)
                               if q["class"] == cls)
                           / sum(t for t, q in zip(raw_cpu, queries, strict=True)
                                 if q["class"] == cls), 2)
                for cls in ("short", "long", "mixed")
                if any(q["class"] == cls for q in queries)},
            "ratio_median": round(statistics.median(ratios), 2),
            "ratio_p90": round(pct(ratios, 90), 2),
            "facade_p50_ms": pct(facade_ms, 50), "raw_p50_ms": pct(raw_ms, 50),
            "statements_per_query": round(statistics.fmean(counts), 2),
            "statements_max": max(counts)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/zicha-bench"))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--whoosh-procs", type=int, default=2)
    parser.add_argument("--server", metavar="postgresql://…",
                        help=f"an empty PostgreSQL database: adds the engine {SERVER_ENGINE}")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse an archive already imported and extracted for this N")
    parser.add_argument("--reuse-server", action="store_true",
                        help="keep the server copy of an earlier run and its index (queries "
                             "only; the database given by --server is not used)")
    parser.add_argument("--keep-index", action="store_true",
                        help="with --reuse: keep the FTS5 index as it is (no search.rebuild) "
                             "unless it needs one")
    parser.add_argument("--reextract", action="store_true",
                        help="with --reuse: forget every text and time the extraction again")
    args = parser.parse_args(argv)
    n = args.materials
    engines = [e for e in args.engines.split(",") if e]
    if args.server and SERVER_ENGINE not in engines:
        engines.append(SERVER_ENGINE)
    if SERVER_ENGINE in engines and not args.server:
        parser.error(f"{SERVER_ENGINE} needs --server postgresql://… (an empty database)")
    phases = Phases()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ZICHA_USER", "基准测试")
    log(f"search benchmark: {n} materials, engines {engines}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}")

    files = phases.run("corpus", lambda: corpus.make_corpus(work / "corpus", n, log=log))
    root = work / f"archive-{n}"
    ready = root / "bench-ready.json"
    extraction = None
    imported = None
    if args.reuse and ready.exists():
        saved = json.loads(ready.read_text(encoding="utf-8"))
        imported, extraction = saved["import"], saved["extraction"]
        log(f"-- reusing {root}")
        if args.reextract:
            archive = Archive.open(root)
            try:
                phases.run("forget texts (not timed in extraction)", lambda: forget_texts(archive))
                extraction = phases.run("extract + index (fts5)", lambda: extract(archive))
                extraction["note"] = "re-extracted in the archive of an earlier run"
            finally:
                archive.close()
            ready.write_text(json.dumps({"import": imported, "extraction": extraction},
                                        ensure_ascii=False), encoding="utf-8")
    else:
        if root.exists():
            import shutil

            shutil.rmtree(root)
        imported = phases.run("import", lambda: import_corpus(root, files))
        log(f"   {imported}")
        archive = Archive.open(root)
        try:
            extraction = phases.run("extract + index (fts5)", lambda: extract(archive))
        finally:
            archive.close()
        ready.write_text(json.dumps({"import": imported, "extraction": extraction},
                                    ensure_ascii=False), encoding="utf-8")

    archive = Archive.open(root)
    try:
        # what an import or a text pass ends with (search.tidy); an archive made before it
        # existed, reused here, gets it now as it would at its next import
        before = {t: len(sizes) for t, sizes in search.segments(archive).items()}
        steps = phases.run("merge the index's segments (search.tidy)",
                           lambda: search.tidy(archive, budget=3600))
        after = {t: len(sizes) for t, sizes in search.segments(archive).items()}
        log(f"   segments {before} -> {after} ({steps} merge steps)")

        def load() -> dict[int, str]:
            with archive.read() as session:
                return dict(session.execute(
                    select(SearchDoc.material_id, SearchDoc.body)).all())

        bodies = phases.run("load bodies", load)
        chars = sum(len(b) for b in bodies.values())
        log(f"   {len(bodies)} search documents, {chars / 1e6:.1f} M characters")
        queries = make_queries(bodies, args.queries, args.seed)
        truth = ground_truth_phase(phases, bodies, queries)
        del bodies
        gc.collect()
        classes = {c: sum(q["class"] == c for q in queries) for c in ("short", "long", "mixed")}
        hits = sorted(len(t) for t in truth)
        log(f"   queries {classes}; hits per query median {statistics.median(hits)}, "
            f"min {hits[0]}, max {hits[-1]}")
        results = []
        for engine in engines:
            if engine == SERVER_ENGINE:
                continue
            results.append(run_engine(archive, engine, queries, truth, n, phases,
                                      args.whoosh_procs, rebuild=not args.keep_index))
            log(table(n, results, extraction))
        search.set_engine(archive, "fts5")
        if SERVER_ENGINE in engines:
            from desktop.core.admin.migrate import migrate_archive

            on_server = work / f"archive-{n}-server"
            kept = args.reuse_server and (on_server / "zicha-server.json").is_file()
            if kept:
                log(f"-- reusing the server copy {on_server} and its index")
            else:
                if on_server.exists():
                    import shutil

                    shutil.rmtree(on_server)
                phases.run("copy to the server (migrate, not an engine figure)",
                           lambda: migrate_archive(archive, on_server, args.server))
            with Archive.open(on_server) as server_archive:
                results.append(run_engine(server_archive, SERVER_ENGINE, queries, truth, n,
                                          phases, args.whoosh_procs, rebuild=not kept))
            log(table(n, results, extraction))
    finally:
        archive.close()

    report = table(n, results, extraction)
    print()
    print(report)
    print()
    print(kind_table(results))
    print()
    for r in results:
        if r.get("facade"):
            print(f"{r['engine']} facade against raw SQL:",
                  json.dumps(r["facade"], ensure_ascii=False))
    print("load:", Path("/proc/loadavg").read_text().strip())
    print("phases (s):", json.dumps(phases.seconds, ensure_ascii=False))
    for r in results:
        if r["imperfect"]:
            print(f"{r['engine']}: {len(r['imperfect'])} imperfect queries, e.g.")
            for row in r["imperfect"][:12]:
                print("   ", {k: row[k] for k in ("q", "class", "expected", "found", "recall",
                                                   "precision")})
    out = work / f"results-{n}.json"
    out.write_text(json.dumps({
        "materials": n, "characters": chars, "cpus": os.cpu_count(), "phases": phases.seconds,
        "import": imported, "extraction": extraction, "query_classes": classes,
        "hits_median": statistics.median(hits), "engines": results, "queries": queries,
    }, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
