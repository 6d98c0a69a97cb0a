"""The server engine (pg-gram, a server archive on PostgreSQL) finds exactly what a scan finds:
on a small generated archive, short (1-2 characters), long and mixed queries, with OR, NOT and
ASCII in any case, each compared with a case-insensitive substring scan of the search documents;
the totals and pages agree with the full hit set, and a changed or deleted material leaves the
index with its new text only."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core import search
from desktop.core.archive.archive import Archive
from desktop.core.archive.models import SearchDoc
from desktop.core.materials import texts
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.search import grams
from desktop.core.search.query import parse

WORDS = ["文明城市", "志愿服务", "垃圾分类", "网格员", "测评", "督查", "整改", "台账", "社区",
         "街道", "王芳", "李明", "张伟", "PM2.5", "No.12", "LED屏", "WiFi", "12345热线",
         "吴党发〔2021〕14号", "5%", "的", "了", "和", "在", "创建", "工作", "长效机制",
         "群众满意度", "文明交通", "Ω", "ΣΑΣ"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(["", "，", "。", " "])
                   for _ in range(rng.randint(5, 60)))


@pytest.fixture
def archive(tmp_path: Path, pg_database: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from desktop.core.extract import extract_text

    monkeypatch.setenv("ZICHA_USER", "测试员")
    archive = Archive.create(tmp_path / "档案", server_url=pg_database)
    rng = random.Random(17)
    folder = tmp_path / "src"
    folder.mkdir()
    for n in range(60):
        path = folder / f"材料{n:02d}.txt"
        path.write_text(_text(rng), encoding="utf-8")
        (row,) = import_paths(archive, [path], ImportOptions(codes=["01"]))
        texts.record(archive, row.sha256, "text", extract_text(path, "text"))
    yield archive
    archive.close()


def _bodies(archive: Archive) -> dict[int, str]:
    with archive.read() as session:
        return dict(session.execute(select(SearchDoc.material_id, SearchDoc.body)).all())


def _scan(bodies: dict[int, str], q: str) -> set[int]:
    query = parse(q)
    low = {i: b.lower() for i, b in bodies.items()}
    return {i for i, b in low.items()
            if all(any(t.lower() in b for t in c) for c in query.clauses)
            and not any(t.lower() in b for t in query.excluded)}


def _queries(bodies: dict[int, str]) -> list[str]:
    """Terms cut out of the texts (so most have hits) and a few that occur nowhere."""
    rng = random.Random(5)
    texts_ = sorted(bodies.values())
    cuts: dict[str, list[str]] = {"short": [], "long": []}
    for _ in range(40):
        body = rng.choice(texts_)
        for size, kind in ((rng.randint(1, 2), "short"), (rng.randint(3, 8), "long")):
            start = rng.randrange(max(1, len(body) - size))
            term = body[start:start + size].strip()
            if term and '"' not in term and not term.startswith("-") and term not in (
                    "OR", "NOT", "|"):
                cuts[kind].append(f'"{term}"' if " " in term else term)
    q = [*cuts["short"][:15], *cuts["long"][:15]]
    q += [f"{a} {b}" for a, b in zip(cuts["short"][15:25], cuts["long"][15:25], strict=False)]
    q += [f"{a} OR {b}" for a, b in zip(cuts["long"][25:30], cuts["short"][25:30], strict=False)]
    q += [f"{a} -{b}" for a, b in zip(cuts["short"][30:35], cuts["long"][30:35], strict=False)]
    q += ["pm2.5", "PM2.5 -wifi", "wIfI 文明", "σας", "Ω", "文明城市工作方案", "没有这个词",
          "的 了", "长效机制 -群众满意度", "群众满意度 OR 督查", "〔2021〕", "5%"]
    return q


def test_hits_equal_the_exact_scan(archive: Archive) -> None:
    assert search.engine_name(archive) == grams.NAME
    bodies = _bodies(archive)
    assert len(bodies) == 60
    queries = _queries(bodies)
    found_any = 0
    for q in queries:
        expected = _scan(bodies, q)
        with archive.read() as session:
            ranked = grams.search(session, parse(q), limit=1000)
        assert set(ranked.ids) == expected, q
        assert ranked.total == len(expected) == len(ranked.ids), q
        assert ranked.scores == sorted(ranked.scores, reverse=True), q
        found_any += bool(expected)
        result = search.search(archive, q, limit=5)
        assert result.total == len(expected) and len(result.hits) == min(5, len(expected)), q
        assert [h.id for h in result.hits] == ranked.ids[:5], q
    assert found_any >= len(queries) * 2 // 3  # the terms were cut from the texts


def test_pages_follow_the_full_ranking(archive: Archive) -> None:
    with archive.read() as session:
        whole = grams.search(session, parse("的"), limit=1000)
    assert whole.total > 6
    paged = [h.id for offset in range(0, whole.total, 4)
             for h in search.search(archive, "的", limit=4, offset=offset).hits]
    assert paged == whole.ids
    beyond = search.search(archive, "的", limit=4, offset=whole.total + 10)
    assert beyond.hits == [] and beyond.total == whole.total


def test_a_changed_text_is_found_by_its_new_words_only(archive: Archive, tmp_path: Path) -> None:
    from desktop.core.extract import extract_text

    path = tmp_path / "新材料.txt"
    path.write_text("独一无二的ＸＹＺ检查记录", encoding="utf-8")
    (row,) = import_paths(archive, [path], ImportOptions(codes=["01"]))
    texts.record(archive, row.sha256, "text", extract_text(path, "text"))
    assert [h.id for h in search.search(archive, "xyz检查").hits] == [row.id]
    assert [h.id for h in search.search(archive, "独一无二").hits] == [row.id]
    with archive.write() as (session, _log):
        search.drop(archive, session, [row.id])
        session.execute(SearchDoc.__table__.delete().where(SearchDoc.material_id == row.id))
    assert search.search(archive, "独一无二").hits == []
    with archive.write() as (session, _log):
        search.refresh(archive, session, [row.id])
    assert [h.id for h in search.search(archive, "独一无二").hits] == [row.id]
    assert search.drift(archive).problems == []


def test_migration_0017_fills_the_folded_texts_of_an_archive_made_before_it(
        archive: Archive) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from desktop.core.archive import db

    queries = ["的", "pm2.5", "文明城市", "群众满意度 OR 督查", "长效机制 -群众满意度", "wIfI 文明"]
    before = {q: search.search(archive, q, limit=100).hits for q in queries}
    assert any(before.values())
    config = db._alembic_config(archive.engine)
    [script] = [s for s in ScriptDirectory.from_config(config).walk_revisions()
                if s.path.endswith("_search_fold.py")]
    # the archive as an older Zicha left it: no search_fold
    command.downgrade(config, str(script.down_revision))
    command.upgrade(config, "head")
    for q in queries:
        after = search.search(archive, q, limit=100).hits
        assert [(h.id, h.score) for h in after] == [(h.id, h.score) for h in before[q]], q
    assert search.drift(archive).problems == []
