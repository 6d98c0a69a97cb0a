"""search.tidy (docs/search.md): the FTS5 tables' b-tree segments merged into one at the end of
an import and of a text pass when more than one is large; the hits and pages stay the same.
And a result set too broad for bm25 comes newest first without computing bm25 (score 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core import search
from desktop.core.materials import texts
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.search import fts

QUERIES = ["志愿服务", "王芳 志愿服务", "志愿服务 -垃圾分类", "带 志愿服务 OR 文明交通",
           "劝导 OR 王", "服务第1", "参与群众"]


def _add(archive, folder: Path, n: int) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.extract import extract_text

    body = f"志愿服务第{n}次，参与群众{n * 7}人。" + ("王芳带队。" if n % 5 == 1 else "")
    body += "垃圾分类宣传。" if n % 2 else "文明交通劝导。"
    path = folder / f"志愿服务记录{n}.txt"
    path.write_text(body * 20, encoding="utf-8")
    (row,) = import_paths(archive, [path], ImportOptions(codes=["01"]))
    texts.record(archive, row.sha256, "text", extract_text(path, "text"))  # one commit more


def _pages(archive) -> dict[str, tuple[int, list]]:  # type: ignore[no-untyped-def]
    out = {}
    for q in QUERIES:
        result = search.search(archive, q, limit=100)
        out[q] = (result.total, [(h.id, round(h.score, 9)) for h in result.hits])
    return out


@pytest.fixture
def any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every segment counts as large: the tests' indexes are a few pages."""
    monkeypatch.setattr(search, "TIDY_MIN_PAGES", 0)
    monkeypatch.setattr(search, "TIDY_SHARE", 0.0)


def test_the_segments_are_merged_into_one_and_every_query_finds_what_it_found(
        core_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search, "tidy", lambda archive, **_: 0)  # the imports' own, not yet
    for n in range(12):
        _add(core_archive, tmp_path, n)
    monkeypatch.undo()
    before = search.segments(core_archive)
    assert all(len(sizes) > 1 for sizes in before.values()), before
    found = _pages(core_archive)
    assert search.tidy(core_archive) == 0  # small segments: not worth a rewrite
    monkeypatch.setattr(search, "TIDY_MIN_PAGES", 0)
    monkeypatch.setattr(search, "TIDY_SHARE", 0.0)
    assert search.tidy(core_archive) >= 2
    assert {t: len(s) for t, s in search.segments(core_archive).items()} == \
        {"search_tri": 1, "search_bi": 1}
    assert _pages(core_archive) == found
    assert search.tidy(core_archive) == 0  # nothing left to merge


@pytest.mark.usefixtures("any_size")
def test_an_import_and_a_text_pass_end_with_the_index_merged(core_archive, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for n in range(6):
        path = tmp_path / f"材料{n}.txt"
        path.write_text(f"志愿服务第{n}次" * 30, encoding="utf-8")
        list(import_paths(core_archive, [path], ImportOptions(codes=["01"])))
        assert [len(s) for s in search.segments(core_archive).values()] == [1, 1], n
    stats = texts.process(core_archive)
    assert stats.failed == 0
    assert [len(s) for s in search.segments(core_archive).values()] == [1, 1]
    assert search.search(core_archive, "志愿服务").total == 6


def test_a_read_only_archive_is_left_as_it_is(core_archive, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(core_archive, "writable", False)
    assert search.tidy(core_archive) == 0


def test_a_set_too_broad_for_bm25_comes_newest_first_with_score_zero(
        core_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for n in range(8):
        _add(core_archive, tmp_path, n)
    ranked = search.search(core_archive, "志愿服务 参与群众", limit=100)
    assert ranked.total == 8 and any(h.score != 0 for h in ranked.hits)
    monkeypatch.setattr(fts, "RANK_LIMIT", 5)
    broad = search.search(core_archive, "志愿服务 参与群众", limit=3, offset=2)
    assert broad.total == 8
    ids = sorted((h.id for h in ranked.hits), reverse=True)
    assert [h.id for h in broad.hits] == ids[2:5]
    assert all(h.score == 0 and str(h.score) == "0.0" for h in broad.hits)
