"""Search through the zicha command over files whose text the archive really extracted:
PDF text layer, DOCX, GB18030 text and OCR of a photo."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from desktop.demo.samples import make_docx, make_photo
from tests.conftest import ZichaCli

# materials are named by their documents' headings on import (docmeta), not by the file names
# 志愿服务通知.docx and 创建方案.pdf
NOTICE = "关于开展文明交通志愿服务活动的通知"
PLAN = "吴州市创建全国文明城市工作方案"


def pdf_lines(path: Path, lines: list[str]) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="cjk", fontbuffer=pymupdf.Font("cjk").buffer)
    for n, line in enumerate(lines):
        page.insert_text((72, 100 + 24 * n), line, fontname="cjk", fontsize=14)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> tuple[ZichaCli, Path]:
    base = tmp_path_factory.mktemp("search")
    cli = ZichaCli(base, base)
    root = base / "档案"
    cli.ok("init", "--archive", root)
    files = base / "材料"
    files.mkdir()
    pdf_lines(files / "创建方案.pdf", [
        "吴州市创建全国文明城市工作方案",
        "文号：吴党发〔2021〕14号，联系人王芳，PM2.5 年均浓度下降。",
        "各单位要加强未成年人思想",  # the phrase continues on the next line
        "道德建设，健全工作机制。",
    ])
    make_docx(files / "志愿服务通知.docx", "关于开展文明交通志愿服务活动的通知",
              ["请各单位组织志愿者参加文明交通劝导。"],
              table=[["姓名", "单位"], ["张伟", "团市委"]])
    (files / "会议记录.txt").write_bytes("会议听取了垃圾分类工作汇报，李娜发言。".encode("gb18030"))
    make_photo(files / "活动照片.jpg", "垃圾分类宣传进社区", size=(1000, 560), seed=3)
    rows = cli.ok_json("import", files, "--item", "08", "--archive", root)
    assert [r["status"] for r in rows] == ["stored"] * 4
    return cli, root


def titles(cli: ZichaCli, root: Path, query: str, *extra: str) -> list[str]:
    return [hit["title"] for hit in cli.ok_json("search", query, "--archive", root, *extra)]


@pytest.mark.parametrize(("query", "expected"), [
    ("文明", [PLAN, NOTICE]),  # a word inside longer words (文明城市, 文明交通)
    ("王芳", [PLAN]),  # a name
    ("吴党发〔2021〕14号", [PLAN]),  # a 文号 with its brackets
    ("未成年人思想道德建设", [PLAN]),  # a phrase across a line break of the PDF
    ("pm2.5", [PLAN]),  # mixed ASCII, any case
    ("张伟", [NOTICE]),  # a DOCX table cell
    ("李娜", ["会议记录"]),  # a GB18030 text file
    ("宣传进社区", ["活动照片"]),  # only in the photo's pixels (OCR)
    ("垃圾分类 -宣传", ["会议记录"]),
    ("王芳 OR 张伟", [PLAN, NOTICE]),
    ('"思想道德"', [PLAN]),
    ("市", [PLAN, NOTICE]),  # one character
])
def test_chinese_queries(searched: tuple[ZichaCli, Path], query: str,
                         expected: list[str]) -> None:
    cli, root = searched
    assert sorted(titles(cli, root, query)) == sorted(expected)


def test_short_queries_are_ranked_title_hits_first(searched: tuple[ZichaCli, Path]) -> None:
    cli, root = searched
    hits = cli.ok_json("search", "市", "--archive", root)
    assert [h["title"] for h in hits] == [PLAN, NOTICE]  # 市 in the title first
    assert hits[0]["score"] > hits[1]["score"] > 0
    hits = cli.ok_json("search", "志愿", "--archive", root)
    assert [h["title"] for h in hits] == [NOTICE]


def test_hit_has_snippet_page_and_highlight(searched: tuple[ZichaCli, Path]) -> None:
    cli, root = searched
    [hit] = cli.ok_json("search", "王芳", "--archive", root)
    assert set(hit) >= {"id", "title", "score", "snippet", "page"}
    assert hit["page"] == 1 and hit["file"] == "创建方案.pdf"
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "王芳"


def test_filters_and_limit(searched: tuple[ZichaCli, Path]) -> None:
    cli, root = searched
    assert titles(cli, root, "文明", "--item", "01") == []
    assert len(titles(cli, root, "文明", "--item", "08", "--limit", "1")) == 1
    assert titles(cli, root, "文明", "--type", "图片") == []


def test_bad_queries_get_a_message(searched: tuple[ZichaCli, Path]) -> None:
    cli, root = searched
    for query in ('"没有配对', "OR", "-只有排除"):
        result = cli.run("search", query, "--archive", root)
        assert result.returncode != 0 and len(result.stderr_lines) == 1, str(result)
        assert "Traceback" not in result.stderr


def test_texts_and_index_status(searched: tuple[ZichaCli, Path]) -> None:
    cli, root = searched
    states = cli.ok_json("texts", "--archive", root)
    assert {s["state"] for s in states} == {"done"}
    photo = next(s for s in states if s["kind"] == "jpeg")
    assert photo["ocr_state"] == "done" and photo["chars"] > 0
    status = cli.ok_json("index", "--archive", root)
    assert status["missing"] == [] and status["stale"] == [] and not status["needs_rebuild"]
    report = cli.ok_json("verify", "--archive", root)
    assert report["ok"]
