"""The Whoosh engine behind the search facade, on a real archive with imported text files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core import search
from desktop.core.archive.items import add_item
from desktop.core.archive.models import SearchDoc, SearchPending
from desktop.core.materials import service, texts
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.search import Filters, whoosh_engine
from desktop.core.search.query import parse

DOCS = {
    "工作方案": ("关于创建全国文明城市的工作方案\n各单位：由王芳同志牵头，"
                 "志愿服务时长统计见附表。文号 吴党发〔2021〕14号，PM2.5 年均浓度下降。",
                 "市委宣传部", "方案计划", "01.01"),
    "垃圾分类": ("垃圾分类宣传活动记录：张伟、李明参加，发放 No.12 宣传册，LED屏滚动播放，"
                 "5G 网络直播。联系电话 64724665。", "市城管局", "活动记录", "01.02"),
    "道德建设": ("未成年人思想道德建设工作总结，文明城\n市创建成果显著，哈哈哈哈。", "市委宣传部",
                 "其他", "01.01"),
}


@dataclass(frozen=True)
class _Page:
    index: int
    text: str
    source: str = "text"


@dataclass(frozen=True)
class _Extraction:
    state: str
    pages: tuple[_Page, ...]
    ocr_pages: tuple[int, ...] = ()
    reason: str = ""


def _extract(path: Path):  # type: ignore[no-untyped-def]
    try:
        from desktop.core.extract import extract_text
    except ImportError:  # the extraction package is not there: a plain UTF-8 stand-in
        return _Extraction("done", (_Page(0, path.read_text(encoding="utf-8")),))
    return extract_text(path, "text")


def _add(archive, folder: Path, name: str, body: str, department: str,  # type: ignore[no-untyped-def]
         material_type: str, code: str = "01.01") -> int:
    path = folder / f"{name}.txt"
    path.write_text(body, encoding="utf-8")
    (row,) = import_paths(archive, [path], ImportOptions(
        codes=[code], department=department, material_type=material_type))
    assert row.status == "stored", row
    texts.record(archive, row.sha256, "text", _extract(path))
    return row.id


@pytest.fixture
def archive(core_archive, tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "src"
    folder.mkdir()
    add_item(core_archive, "01.01", "创建工作方案")
    add_item(core_archive, "01.02", "宣传活动")
    ids = {name: _add(core_archive, folder, name, *spec) for name, spec in DOCS.items()}
    search.set_engine(core_archive, "whoosh")
    assert search.rebuild(core_archive) == 3
    core_archive.ids = ids
    core_archive.src = folder
    yield core_archive
    whoosh_engine.close_all()


def _found(archive, q: str, filters: Filters | None = None) -> set[int]:  # type: ignore[no-untyped-def]
    result = search.search(archive, q, filters, limit=100)
    assert result.engine == "whoosh"
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}


def _scan(archive, q: str) -> set[int]:  # type: ignore[no-untyped-def]
    """The exact answer: a case-insensitive substring scan of search_doc.body."""
    query = parse(q)

    def has(body: str, term: str) -> bool:
        return re.search(re.escape(term), body, re.IGNORECASE) is not None

    with archive.read() as session:
        rows = session.execute(select(SearchDoc.material_id, SearchDoc.body)).all()
    return {i for i, body in rows
            if all(any(has(body, t) for t in clause) for clause in query.clauses)
            and not any(has(body, t) for t in query.excluded)}


def test_rebuild_makes_an_index_in_the_archive(archive) -> None:  # type: ignore[no-untyped-def]
    folder = archive.root / "index" / "whoosh"
    assert (folder / whoosh_engine.META).is_file()
    assert not search.needs_rebuild(archive)
    assert whoosh_engine.WhooshEngine(folder).indexed_ids() == set(archive.ids.values())
    with archive.read() as session:
        assert not list(session.scalars(select(SearchPending.material_id)))
    # the pickled analyzer is found by its module path, which must stay stable
    schema = whoosh_engine.whoosh_index.open_dir(str(folder)).schema
    analyzer = schema["body"].analyzer
    assert type(analyzer).__module__ == "desktop.core.search.whoosh_engine"
    assert type(analyzer).__name__ == "ZichaTokenizer"


@pytest.mark.parametrize(("q", "names"), [
    ("文明", {"工作方案", "道德建设"}),  # a word inside a longer word
    ("文明城市", {"工作方案", "道德建设"}),  # across a line break in the source text
    ("王芳", {"工作方案"}),
    ("芳", {"工作方案"}),  # one character
    ("吴党发〔2021〕14号", {"工作方案"}),
    ("〔2021〕", {"工作方案"}),
    ("4724", {"垃圾分类"}),  # digits inside a longer number
    ("pm2.5", {"工作方案"}),
    ("PM2.5 浓度", {"工作方案"}),
    ("no.12", {"垃圾分类"}),
    ("LED屏", {"垃圾分类"}),
    ("5g", {"垃圾分类"}),
    ("哈哈哈", {"道德建设"}),  # repeated bigrams in one phrase
    ("务时长", {"工作方案"}),  # crosses jieba's word boundaries
    ("化、规范", set()),
    ("王芳同志牵", {"工作方案"}),  # odd lengths: bigrams two apart, then the last one
    ("由王芳同志牵头", {"工作方案"}),
    ("创建全国文明城市的工作方案", {"工作方案"}),
    ("全国文明工作", set()),  # every bigram occurs, but not at those distances
    ("文明城市工作方", set()),
    ("\"张伟、李明\"", {"垃圾分类"}),
    ("垃圾分类 OR 未成年人", {"垃圾分类", "道德建设"}),
    ("文明 -王芳", {"道德建设"}),
    ("文明 NOT 王芳", {"道德建设"}),
    ("宣传 OR 总结 -张伟", {"工作方案", "道德建设"}),
    # the excluded term's first document comes before the first match (Whoosh's AndNot
    # matcher misses that case, so the engine masks excluded documents instead)
    ("张伟 -宣传", set()),
    ("志愿 OR 垃圾 -市委", {"垃圾分类"}),
    ("文明 张伟", set()),
    ("不存在的词", set()),
])
def test_queries_find_what_a_substring_scan_finds(archive, q: str, names: set[str]) -> None:  # type: ignore[no-untyped-def]
    expected = {archive.ids[n] for n in names}
    assert _scan(archive, q) == expected  # the table above is right
    assert _found(archive, q) == expected


def test_same_answers_as_the_fts5_engine(archive) -> None:  # type: ignore[no-untyped-def]
    queries = ["文明", "市", "城市 OR 垃圾", "宣传 -王芳", "14号", "65", "No.12", "传册，LED"]
    whoosh = {q: _found(archive, q) for q in queries}
    search.set_engine(archive, "fts5")
    fts5 = {q: {h.id for h in search.search(archive, q, limit=100).hits} for q in queries}
    assert whoosh == fts5


def test_hits_are_ranked_with_snippets_and_pages(archive) -> None:  # type: ignore[no-untyped-def]
    result = search.search(archive, "文明", limit=10)
    assert result.total == 2
    assert all(hit.score > 0 for hit in result.hits)
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)
    hit = result.hits[0]
    assert "文明" in hit.snippet and hit.highlights and hit.page == 1
    first = search.search(archive, "文明", limit=1)
    second = search.search(archive, "文明", limit=1, offset=1)
    assert first.total == second.total == 2
    assert {first.hits[0].id, second.hits[0].id} == {h.id for h in result.hits}


def test_filters(archive) -> None:  # type: ignore[no-untyped-def]
    ids = archive.ids
    assert _found(archive, "文明", Filters(department="市委宣传部")) == {
        ids["工作方案"], ids["道德建设"]}
    assert _found(archive, "宣传", Filters(department="市城管局")) == {ids["垃圾分类"]}
    assert _found(archive, "文明", Filters(material_type="方案计划")) == {ids["工作方案"]}
    assert _found(archive, "文明", Filters(department="没有这个部门")) == set()
    assert _found(archive, "宣传", Filters(codes=("01.02",))) == {ids["垃圾分类"]}
    assert _found(archive, "宣传", Filters(codes=("01",))) == set(ids.values())
    assert _found(archive, "宣传 -张伟", Filters(department="市城管局")) == set()


def test_sync_after_edit_and_delete(archive) -> None:  # type: ignore[no-untyped-def]
    ids = archive.ids
    service.update_material(archive, ids["垃圾分类"], {"title": "生活垃圾减量台账"})
    service.delete_material(archive, ids["道德建设"])
    # before sync the index is behind, but the queue accounts for it
    assert search.drift(archive).missing == [] and search.drift(archive).stale == []
    assert search.sync(archive) == 2
    assert _found(archive, "减量台账") == {ids["垃圾分类"]}
    assert _found(archive, "未成年人") == set()
    assert _found(archive, "文明") == {ids["工作方案"]}
    drift = search.drift(archive)
    assert (drift.missing, drift.stale, drift.problems) == ([], [], [])
    with archive.read() as session:
        assert not list(session.scalars(select(SearchPending.material_id)))
    assert search.sync(archive) == 0


def test_new_material_is_found_after_sync(archive) -> None:  # type: ignore[no-untyped-def]
    new = _add(archive, archive.src, "新材料", "新时代文明实践站揭牌仪式", "市文明办", "其他")
    assert _found(archive, "揭牌") == set()  # not yet: Whoosh is updated after commits
    assert search.sync(archive) == 1
    assert _found(archive, "揭牌") == {new}
    assert _found(archive, "文明实践", Filters(department="市文明办")) == {new}


def test_drift_reports_materials_the_index_lacks(archive) -> None:  # type: ignore[no-untyped-def]
    # a material added while the queue was lost (e.g. it was cleared by hand)
    new = _add(archive, archive.src, "遗漏", "遗漏的材料内容", "市城管局", "其他")
    with archive.write() as (session, _log):
        session.query(SearchPending).delete()
    drift = search.drift(archive)
    assert drift.missing == [new] and drift.stale == []
    search.rebuild(archive)
    assert search.drift(archive).missing == []
    assert _found(archive, "遗漏") == {new}


def test_needs_rebuild_when_the_version_changes(archive, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert not search.needs_rebuild(archive)
    engine = whoosh_engine.WhooshEngine
    monkeypatch.setattr(engine, "VERSION", engine.VERSION + 1)
    assert search.needs_rebuild(archive)
    search.rebuild(archive)
    assert not search.needs_rebuild(archive)


def test_an_index_left_from_before_another_engine_is_stale(archive) -> None:  # type: ignore[no-untyped-def]
    search.set_engine(archive, "fts5")  # edits are not queued for Whoosh meanwhile
    service.update_material(archive, archive.ids["垃圾分类"], {"title": "生活垃圾减量台账"})
    search.set_engine(archive, "whoosh")
    assert search.needs_rebuild(archive)
    assert search.sync(archive) == 0  # sync rebuilds a stale index
    assert not search.needs_rebuild(archive)
    assert _found(archive, "减量台账") == {archive.ids["垃圾分类"]}


def test_no_index_yet(core_archive) -> None:  # type: ignore[no-untyped-def]
    search.set_engine(core_archive, "whoosh")
    assert search.needs_rebuild(core_archive)
    engine = whoosh_engine.WhooshEngine(core_archive.root / "index" / "whoosh")
    assert engine.indexed_ids() == set()
    assert engine.search(parse("文明"), None, limit=10, offset=0).total == 0


def test_analyzer_tokens() -> None:
    tokens = [(t.text, t.pos) for t in whoosh_engine.ZichaTokenizer()("文明城市 PM2.5",
                                                                     positions=True)]
    assert ("文", 0) in tokens and ("文明", 0) in tokens and ("明城", 1) in tokens
    assert ("m2", 6) in tokens and ("2.", 7) in tokens and (" p", 4) in tokens
    assert (" ", 4) not in tokens
    assert ("文明城市", 0) in tokens  # a jieba word
