"""The fts5 engine's plans (docs/search.md, issue 20 item 4): a narrow short-term part that
starts a mixed query, OR clauses that mix the tables, filters that restrict every MATCH to the
allowed id range. Whatever the plan, the hits are those of an exact substring scan and the
page is the one of the plain plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.core import search
from desktop.core.archive.models import SearchDoc
from desktop.core.materials import texts
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.search import Filters, fts
from desktop.core.search.query import parse


def _add(archive, folder: Path, name: str, body: str, code: str) -> int:  # type: ignore[no-untyped-def]
    from desktop.core.extract import extract_text

    path = folder / f"{name}.txt"
    path.write_text(body, encoding="utf-8")
    (row,) = import_paths(archive, [path], ImportOptions(codes=[code]))
    texts.record(archive, row.sha256, "text", extract_text(path, "text"))
    return row.id


@pytest.fixture
def archive(core_archive, tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "src"
    folder.mkdir()
    for n in range(14):  # 志愿服务 in every text (a broad long term), 王芳 in three (narrow)
        body = f"志愿服务第{n}次，参与群众{n * 7}人。" + ("王芳带队。" if n % 5 == 1 else "")
        body += "垃圾分类宣传。" if n % 2 else "文明交通劝导。"
        title = f"志愿服务记录{n}" if n % 4 else f"王芳{n}"
        _add(core_archive, folder, title, body, "01" if n % 3 else "02")
    return core_archive


def _scan(archive, q: str, allowed: set[int] | None = None) -> set[int]:  # type: ignore[no-untyped-def]
    query = parse(q)
    with archive.read() as session:
        bodies = dict(session.execute(select(SearchDoc.material_id, SearchDoc.body)).all())
    return {i for i, body in bodies.items() if (allowed is None or i in allowed)
            and all(any(t.lower() in body.lower() for t in c) for c in query.clauses)
            and not any(t.lower() in body.lower() for t in query.excluded)}


def _page(archive, q: str, filters: Filters | None = None) -> tuple[int, list]:  # type: ignore[no-untyped-def]
    result = search.search(archive, q, filters, limit=100)
    return result.total, [(h.id, round(h.score, 9)) for h in result.hits]


QUERIES = ["王芳 志愿服务", "王芳 志愿服务 -垃圾分类", "带 志愿服务 OR 文明交通",
           "芳 参与群众 OR 宣", "志愿服务 OR 王芳", "劝导 OR 王", "王芳 服务第1 OR 服务第6"]


@pytest.mark.parametrize("q", QUERIES)
def test_every_plan_finds_what_the_scan_finds(archive, q: str,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _page(archive, q)
    assert plain[0] == len(plain[1]) and {i for i, _s in plain[1]} == _scan(archive, q)
    # the narrow short-term part starts the query (the trigram part counts as broad), the
    # window is found by index for every query of short terms and OR clauses
    monkeypatch.setattr(fts, "RANK_LIMIT", 1)
    monkeypatch.setattr(fts, "SHORT_RANK_LIMIT", 2)
    monkeypatch.setattr(fts, "SHORT_WINDOW", 2)
    bounded = _page(archive, q)
    assert {i for i, _s in bounded[1]} == {i for i, _s in plain[1]}
    monkeypatch.setattr(fts, "DRIVE_LIMIT", 0)  # never started from the short-term part
    assert _page(archive, q) == bounded
    # the broad set's page checked row by row (a seek into the index for each check)
    monkeypatch.setattr(fts, "ROWWISE_READS", 10**6)
    assert _page(archive, q) == bounded


@pytest.mark.parametrize("q", QUERIES)
def test_filters_restrict_to_the_allowed_range(archive, q: str) -> None:  # type: ignore[no-untyped-def]
    with archive.read() as session:
        allowed_sql, params = search._allowed(session, Filters(codes=("02",)))
        allowed = set(session.execute(text(allowed_sql), params).scalars())
    assert allowed and max(allowed) - min(allowed) + 1 > len(allowed)  # not one run of ids
    total, hits = _page(archive, q, Filters(codes=("02",)))
    assert total == len(hits) and {i for i, _s in hits} == _scan(archive, q, allowed)
    assert _page(archive, q, Filters(department="没有这个单位")) == (0, [])  # none allowed
