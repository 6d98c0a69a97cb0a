"""Ranking of 1-2 character queries (no bm25 table scores them): title hits first, then the
terms' frequency, on both engines, with the recall of an exact substring scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core import search
from desktop.core.archive.models import SearchDoc
from desktop.core.materials import texts
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.search import Filters, fts, whoosh_engine
from desktop.core.search.query import parse

# name (the title) -> text; the names say what the ranking must make of them
DOCS = {
    "文明交通劝导": "路口劝导，不闯红灯。",  # the term only in the title
    "多次": "文明" * 6 + "。创建内容" * 8,  # six times in a short text
    "一次长篇": "文明城市创建。" + "其他工作内容" * 60,  # once in a long text
    "两次": "文明礼仪，文明餐桌。" + "其他工作内容" * 8,
    "没有": "工作记录。明天继续。",  # 明 but not 文
    "无关": "垃圾分类宣传。",
}


def _add(archive, folder: Path, name: str, body: str) -> int:  # type: ignore[no-untyped-def]
    from desktop.core.extract import extract_text

    path = folder / f"{name}.txt"
    path.write_text(body, encoding="utf-8")
    (row,) = import_paths(archive, [path], ImportOptions(codes=["01"]))
    texts.record(archive, row.sha256, "text", extract_text(path, "text"))
    return row.id


@pytest.fixture(params=["fts5", "whoosh"])
def archive(request, core_archive, tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "src"
    folder.mkdir()
    core_archive.ids = {name: _add(core_archive, folder, name, body)
                        for name, body in DOCS.items()}
    core_archive.names = {i: n for n, i in core_archive.ids.items()}
    if request.param == "whoosh":
        search.set_engine(core_archive, "whoosh")
        search.rebuild(core_archive)
    yield core_archive
    whoosh_engine.close_all()


def _ranked(archive, q: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    result = search.search(archive, q, limit=100, **kw)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True), scores
    assert all(s > 0 for s in scores)  # ranked, not all 0 and newest first
    return [archive.names[h.id] for h in result.hits]


def _scan(archive, q: str) -> set[str]:  # type: ignore[no-untyped-def]
    query = parse(q)
    with archive.read() as session:
        rows = session.execute(select(SearchDoc.material_id, SearchDoc.body)).all()
    return {archive.names[i] for i, body in rows
            if all(any(re.search(re.escape(t), body, re.I) for t in c) for c in query.clauses)
            and not any(re.search(re.escape(t), body, re.I) for t in query.excluded)}


@pytest.mark.parametrize("q", ["文", "文明"])
def test_title_hits_first_then_frequency(archive, q: str) -> None:  # type: ignore[no-untyped-def]
    ranked = _ranked(archive, q)
    assert ranked[0] == "文明交通劝导"
    assert ranked[1] == "多次"
    assert ranked.index("两次") < ranked.index("一次长篇")
    assert set(ranked) == _scan(archive, q) == {"文明交通劝导", "多次", "两次", "一次长篇"}


def test_one_character_recall_and_ranking(archive) -> None:  # type: ignore[no-untyped-def]
    ranked = _ranked(archive, "明")
    assert set(ranked) == _scan(archive, "明")
    assert ranked[:2] == ["文明交通劝导", "多次"]
    assert "没有" in ranked


@pytest.mark.parametrize("q", ["文 OR 垃", "文 -城", "明 创", "文明 NOT 餐"])
def test_short_queries_with_operators_keep_recall(archive, q: str) -> None:  # type: ignore[no-untyped-def]
    assert set(_ranked(archive, q)) == _scan(archive, q)


def test_paging_and_filters_follow_the_ranking(archive) -> None:  # type: ignore[no-untyped-def]
    whole = _ranked(archive, "文")
    pages = [archive.names[h.id] for offset in range(0, len(whole), 2)
             for h in search.search(archive, "文", limit=2, offset=offset).hits]
    assert pages == whole
    assert _ranked(archive, "文", filters=Filters(codes=("02",))) == []
    result = search.search(archive, "文", limit=1)
    assert result.total == 4 and len(result.hits) == 1


def test_above_the_rank_limit_title_hits_still_come_first(core_archive, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    ids = {name: _add(core_archive, folder, name, body) for name, body in DOCS.items()}
    monkeypatch.setattr(fts, "SHORT_RANK_LIMIT", 2)
    result = search.search(core_archive, "文", limit=10)
    order = [h.id for h in result.hits]
    assert order[0] == ids["文明交通劝导"] and result.total == 4
    assert order[1:] == sorted(order[1:], reverse=True)  # then newest first


def test_above_the_rank_limit_the_window_is_ranked_by_occurrences(  # type: ignore[no-untyped-def]
        core_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    order_made = ("文明交通劝导", "一次长篇", "多次", "两次", "没有", "无关")  # newest last
    ids = {name: _add(core_archive, folder, name, DOCS[name]) for name in order_made}
    monkeypatch.setattr(fts, "SHORT_RANK_LIMIT", 3)  # 4 materials hold 文: a window of 3
    result = search.search(core_archive, "文", limit=10)
    order = [h.id for h in result.hits]
    assert result.total == 4 and sorted(order) == sorted(
        ids[n] for n in ("文明交通劝导", "多次", "一次长篇", "两次"))
    assert order[0] == ids["文明交通劝导"]  # the title hit first
    # the window (the title hit and the two newest, 两次 and 多次) ranked by occurrences:
    # 两次 is newer, but 多次 holds 文 six times in a short text
    assert order[1:3] == [ids["多次"], ids["两次"]]
    assert order[3] == ids["一次长篇"]  # beyond the window: newest first, as before
    assert [h.score for h in result.hits[:3]] == sorted(
        (h.score for h in result.hits[:3]), reverse=True)
    pages = [h.id for offset in range(4)
             for h in search.search(core_archive, "文", limit=1, offset=offset).hits]
    assert pages == order  # one by one, the same order: nothing twice, nothing left out


def test_migration_0018_gives_an_older_archive_the_title_tokens(  # type: ignore[no-untyped-def]
        core_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command
    from sqlalchemy import text

    from desktop.core.archive import db

    folder = tmp_path / "src"
    folder.mkdir()
    ids = {name: _add(core_archive, folder, name, body) for name, body in DOCS.items()}
    queries = ["文", "文明", "明 创", "文 -城", "文明 NOT 餐", "创建内容", "垃圾分类 OR 明"]
    before = {q: [(h.id, h.score) for h in search.search(core_archive, q, limit=100).hits]
              for q in queries}
    assert all(before.values())

    def titled(token: str) -> list[int]:
        with core_archive.read() as session:
            return list(session.scalars(text(
                "SELECT rowid FROM search_bi WHERE search_bi MATCH :t"), {"t": f'"{token}"'}))

    assert titled("zt文") == [ids["文明交通劝导"]]
    config = db._alembic_config(core_archive.engine)
    command.downgrade(config, "0017")  # the archive as an older Zicha left it
    assert titled("zt文") == []
    assert search.drift(core_archive).problems == []
    command.upgrade(config, "head")
    assert titled("zt文") == [ids["文明交通劝导"]]
    for q in queries:
        after = [(h.id, h.score) for h in search.search(core_archive, q, limit=100).hits]
        assert after == before[q], q
    monkeypatch.setattr(fts, "SHORT_RANK_LIMIT", 2)  # the window is found by the title tokens
    assert search.search(core_archive, "文", limit=10).hits[0].id == ids["文明交通劝导"]
    assert search.drift(core_archive).problems == []


@pytest.mark.parametrize("q", ["文", "明", "文 OR 垃圾分类", "明 创", "文 -城", "文明 OR 2.",
                               "内容 OR 交通劝导", "明 OR 红灯 -餐"])
def test_the_window_found_by_index_is_the_window_of_sorting_every_match(  # type: ignore[no-untyped-def]
        core_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, q: str) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    for name, body in DOCS.items():
        _add(core_archive, folder, name, body)
    (folder / "更多").mkdir()
    for n in range(8):  # more materials than the window, some with the terms in the title
        _add(core_archive, folder / "更多", f"文明{n}" if n % 3 == 0 else f"记录{n}",
             f"文明创建，路口劝导，红灯。第{n}次" + "内容" * n)
    monkeypatch.setattr(fts, "SHORT_RANK_LIMIT", 3)
    monkeypatch.setattr(fts, "SHORT_WINDOW", 3)

    def pages() -> list[tuple[int, float]]:
        return [(h.id, h.score) for offset in range(0, 20, 2)
                for h in search.search(core_archive, q, limit=2, offset=offset).hits]

    by_index = pages()
    assert len(by_index) == search.search(core_archive, q).total > 3
    assert {i for i, _s in by_index} == {i for i, _s in _ids(core_archive, q)}
    monkeypatch.setattr(fts, "WINDOW_TERMS", 0)  # every match sorted by its title hits
    assert pages() == by_index


def _ids(archive, q: str) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    return [(h.id, h.score) for h in search.search(archive, q, limit=100).hits]
