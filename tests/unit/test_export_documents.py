"""desktop.core.export.documents writes real Word and Excel documents, in Chinese."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table

from desktop.core.export.documents import (
    BONUS_HEADER,
    CATALOGUE_HEADER,
    DRAFT_WARNING,
    write_catalogue_docx,
    write_catalogue_xlsx,
    write_submission_form,
    write_verify_report_docx,
)
from desktop.core.export.model import (
    Check,
    ExportFile,
    ExportPlan,
    ExportRules,
    PlannedItem,
    PlannedMaterial,
    SignedDecision,
    VerifyReport,
)

CHAIN = (("first", "李四"), ("second", "王五"), ("final", "赵六"))


def _decision(stage: str, reviewer: str, verdict: str = "approve", round_: int = 1,
              comment: str = "材料齐全，同意") -> SignedDecision:
    return SignedDecision(stage=stage, verdict=verdict, comment=comment, reviewer=reviewer,
                          public_key="ed25519:AAAA", decided_at="2024-05-02T09:15:00+00:00",
                          round=round_, payload="{}", signature="sig",
                          hash=f"{stage[:2]:0<2}" + "ab" * 31)


def _material(seq: int, title: str, decisions: list[SignedDecision]) -> PlannedMaterial:
    folder = "01 理想信念教育/01.02 加强爱国主义教育"
    return PlannedMaterial(
        id=seq * 10, seq=seq, title=title, doc_number=f"吴文明办〔2024〕{seq}号",
        material_date=f"2024-03-{seq % 28 + 1:02d}", department="市委宣传部", material_type="文件",
        state="approved_final" if decisions else "draft", page_count=seq + 1, caption={},
        decisions=decisions,
        files=[ExportFile(path=f"{folder}/{seq:03d}_{title}.pdf", material_id=seq * 10,
                          source_sha256="0" * 64, source_name=f"{title}.pdf", source_kind="pdf")])


def _plan(draft: bool = False) -> ExportPlan:
    approved = _material(1, "爱国主义教育基地名录", [_decision(s, r) for s, r in CHAIN])
    unreviewed = _material(3, "国旗下的讲话活动照片", [])
    items = [
        PlannedItem(code="01.02", name="加强爱国主义教育", category_code="01",
                    category_name="理想信念教育", folder="01 理想信念教育/01.02 加强爱国主义教育",
                    materials=[approved, unreviewed],
                    not_ready=[(99, "红色故事宣讲方案", "first_review")]),
        PlannedItem(code="02.01", name="培育和践行社会主义核心价值观", category_code="02",
                    category_name="社会主义核心价值观", folder="02 社会主义核心价值观/02.01 …"),
    ]
    return ExportPlan(archive_id="a1", bureau="吴州市文明办", rules=ExportRules(), draft=draft,
                      items=items, created_at="2024-05-03T10:20:30+00:00")


def _text(doc: DocxDocument) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _repeats_header(table: Table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def test_catalogue_docx_is_one_landscape_table(tmp_path: Path) -> None:
    out = tmp_path / "材料目录.docx"
    write_catalogue_docx(_plan(), out)
    doc = Document(str(out))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert len(doc.tables) == 1
    table = doc.tables[0]
    rows = _rows(table)
    assert tuple(rows[0]) == CATALOGUE_HEADER == (
        "序号", "测评内容", "材料名称", "文号", "日期", "页数", "责任单位", "审核")
    assert _repeats_header(table)
    assert len(rows) == 1 + 3
    assert rows[1] == ["01.02-001", "01.02 加强爱国主义教育", "爱国主义教育基地名录",
                       "吴文明办〔2024〕1号", "2024-03-02", "2", "市委宣传部",
                       "初审 李四 ✓；复审 王五 ✓；终审 赵六 ✓"]
    assert rows[2][0] == "01.02-003" and rows[2][2] == "国旗下的讲话活动照片"
    assert rows[2][7] == "未审核"
    assert rows[3][1] == "02.01 培育和践行社会主义核心价值观" and rows[3][2] == "（缺材料）"
    text = _text(doc)
    assert "材料目录" in text and "吴州市文明办" in text and "2024-05-03" in text
    assert DRAFT_WARNING not in text


def test_fonts_are_set_for_east_asian_text(tmp_path: Path) -> None:
    out = tmp_path / "目录.docx"
    write_catalogue_docx(_plan(), out)
    doc = Document(str(out))
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "宋体" and doc.styles["Normal"].font.name == "宋体"
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.text == "材料目录"
    assert title_run.font.name == "黑体"
    assert title_run.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_catalogue_summarises_the_last_round_only(tmp_path: Path) -> None:
    plan = _plan()
    material = plan.items[0].materials[0]
    material.decisions = [_decision("first", "李四"), _decision("second", "王五", "reject"),
                          _decision("first", "李四", round_=2)]
    out = tmp_path / "目录.docx"
    write_catalogue_docx(plan, out)
    assert _rows(Document(str(out)).tables[0])[1][7] == "初审 李四 ✓"
    material.decisions = material.decisions[:2]
    write_catalogue_docx(plan, out)
    assert _rows(Document(str(out)).tables[0])[1][7] == "初审 李四 ✓；复审 王五 ✗"


def test_submission_form_lists_materials_and_decisions(tmp_path: Path) -> None:
    plan = _plan()
    out = tmp_path / "测评材料提交表.docx"
    write_submission_form(plan, plan.items[0], out)
    doc = Document(str(out))
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert doc.paragraphs[0].text == "测评材料提交表"
    info = dict((r[0], r[1]) for r in _rows(doc.tables[0]))
    assert info == {"测评项目": "01 理想信念教育", "测评内容": "01.02 加强爱国主义教育",
                    "报送单位": "吴州市文明办", "材料份数": "2",
                    "导出时间": "2024-05-03 18:20（北京时间）"}

    materials = _rows(doc.tables[1])
    assert materials[0] == ["序号", "材料名称", "文号", "日期", "页数", "责任单位", "文件"]
    assert _repeats_header(doc.tables[1])
    assert materials[1] == ["001", "爱国主义教育基地名录", "吴文明办〔2024〕1号", "2024-03-02",
                            "2", "市委宣传部", "001_爱国主义教育基地名录.pdf"]
    assert materials[2][0] == "003" and materials[2][6] == "003_国旗下的讲话活动照片.pdf"

    # one decisions table: the unreviewed material says 未审核 instead
    assert len(doc.tables) == 3
    decisions = _rows(doc.tables[2])
    assert decisions[0] == ["阶段", "结论", "审核人", "时间（北京时间）", "意见", "签名摘要"]
    assert [r[0] for r in decisions[1:]] == ["初审", "复审", "终审"]
    assert [r[2] for r in decisions[1:]] == ["李四", "王五", "赵六"]
    assert decisions[1][1] == "通过" and decisions[1][3] == "2024-05-02 17:15"
    assert decisions[1][5] == "fi" + "ab" * 7 + "…"
    text = _text(doc)
    assert "未审核" in text and "结论性说明" in text and "填表人" in text
    assert DRAFT_WARNING not in text


def test_submission_form_with_several_files_and_rounds(tmp_path: Path) -> None:
    plan = _plan()
    material = plan.items[0].materials[0]
    material.files.append(ExportFile(path="01/01.02/001_名录_附件.docx", material_id=10,
                                     source_sha256="1" * 64, source_name="附件.docx",
                                     source_kind="docx"))
    material.decisions = [_decision("first", "李四", "reject", comment="缺少盖章页"),
                          *[_decision(s, r, round_=2) for s, r in CHAIN]]
    out = tmp_path / "表.docx"
    write_submission_form(plan, plan.items[0], out)
    doc = Document(str(out))
    assert _rows(doc.tables[1])[1][6] == "001_爱国主义教育基地名录.pdf、001_名录_附件.docx"
    decisions = _rows(doc.tables[2])[1:]
    assert [(r[0], r[1]) for r in decisions] == [("初审", "退回"), ("初审", "通过"),
                                                ("复审", "通过"), ("终审", "通过")]
    assert decisions[0][4] == "缺少盖章页"
    assert "以第 2 轮为准" in _text(doc)


def test_submission_form_of_an_empty_item(tmp_path: Path) -> None:
    plan = _plan()
    out = tmp_path / "表.docx"
    write_submission_form(plan, plan.items[1], out)
    doc = Document(str(out))
    assert _rows(doc.tables[0])[3] == ["材料份数", "0"]
    assert len(_rows(doc.tables[1])) == 1
    assert "（缺材料）" in _text(doc)


@pytest.mark.parametrize("writer", ["form", "catalogue"])
def test_draft_warning_only_on_draft_exports(tmp_path: Path, writer: str) -> None:
    texts = {}
    for draft in (False, True):
        plan = _plan(draft=draft)
        out = tmp_path / f"{writer}-{draft}.docx"
        if writer == "form":
            write_submission_form(plan, plan.items[0], out)
        else:
            write_catalogue_docx(plan, out)
        texts[draft] = _text(Document(str(out)))
    assert DRAFT_WARNING in texts[True]
    assert DRAFT_WARNING not in texts[False]


def test_catalogue_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "材料目录.xlsx"
    write_catalogue_xlsx(_plan(), out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["材料目录", "测评内容", "创新特色（加分）材料"]
    sheet = book["材料目录"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H4"
    assert sheet.max_row == 4
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == CATALOGUE_HEADER
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("D9E1F2")
    assert rows[1][:6] == ["01.02-001", "01.02 加强爱国主义教育", "爱国主义教育基地名录",
                           "吴文明办〔2024〕1号", "2024-03-02", 2]
    assert isinstance(rows[1][4], str)
    assert rows[2][0] == "01.02-003" and rows[2][7] == "未审核"
    assert rows[3][2] == "（缺材料）" and rows[3][4] is None
    # 材料名称: 10 CJK characters, about two width units each
    assert 20 <= sheet.column_dimensions["C"].width <= 60
    # printed as the 台账 is: landscape A4, one page wide, the header on every page
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert str(sheet.print_title_rows) == "$1:$1" and "&P" in sheet.oddFooter.center.text

    items = book["测评内容"]
    assert [[c.value for c in row] for row in items.iter_rows()] == [
        ["测评项目", "测评内容", "材料份数", "未就绪"],
        ["01 理想信念教育", "01.02 加强爱国主义教育", 2, 1],
        ["02 社会主义核心价值观", "02.01 培育和践行社会主义核心价值观", 0, 0],
    ]
    assert items["A3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert items["D3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert not items["A2"].fill.fgColor.rgb.endswith("FFC7CE")


def _report(problems: list[str]) -> VerifyReport:
    checks = [
        Check("完整性", "2-1", "总件数相符性检测", count=3, notes=["3 个文件"]),
        Check("真实性", "1-1", "固化信息有效性检测（签名与哈希）", count=3, problems=problems),
        Check("安全性", "4-1", "病毒检测", count=3),
    ]
    return VerifyReport(path="/导出/吴州市文明办-2024.zip", checked_at="2024-05-04T08:00:00Z",
                        bureau="吴州市文明办", draft=False, files=3, bytes=123456, checks=checks)


def test_verify_report_that_fails(tmp_path: Path) -> None:
    problems = ["001_爱国主义教育基地名录.pdf：哈希不符", "003_国旗下的讲话活动照片.pdf：签名无效"]
    out = tmp_path / "四性检测报告.docx"
    write_verify_report_docx(_report(problems), out)
    doc = Document(str(out))
    text = _text(doc)
    assert "电子档案四性检测报告" in text and "吴州市文明办" in text
    assert "结论：不通过" in text and "2024-05-04 16:00（北京时间）" in text and "123,456" in text
    rows = _rows(doc.tables[0])
    assert rows[0] == ["性质", "编号", "检测项", "检测数", "结果", "说明"]
    assert [r[0] for r in rows[1:]] == ["真实性", "完整性", "安全性"]
    assert rows[1][4] == "不通过" and rows[1][5] == "\n".join(problems)
    assert rows[2][4] == "通过" and rows[2][5] == "3 个文件"
    assert rows[3][5] == "—"
    assert DRAFT_WARNING not in text


def test_verify_report_that_passes(tmp_path: Path) -> None:
    report = _report([])
    report.draft = True
    out = tmp_path / "四性检测报告.docx"
    write_verify_report_docx(report, out)
    doc = Document(str(out))
    text = _text(doc)
    assert "结论：通过" in text and "不通过" not in text
    assert DRAFT_WARNING in text
    assert all(r[4] == "通过" for r in _rows(doc.tables[0])[1:])


def _bonus_plan() -> ExportPlan:
    plan = _plan()
    first = plan.items[0].materials[0]
    first.bonus = {"level": "省级", "issuer": "省文明办", "date": "2024-04-01"}
    plan.items[1].materials.append(first)  # filed under two items: listed once
    return plan


def test_catalogue_lists_bonus_materials_in_their_own_section(tmp_path: Path) -> None:
    docx_out, xlsx_out = tmp_path / "材料目录.docx", tmp_path / "材料目录.xlsx"
    write_catalogue_docx(_bonus_plan(), docx_out)
    write_catalogue_xlsx(_bonus_plan(), xlsx_out)
    doc = Document(str(docx_out))
    assert "创新特色（加分）材料" in [p.text for p in doc.paragraphs]
    bonus = _rows(doc.tables[1])
    assert bonus[0] == list(BONUS_HEADER)
    assert bonus[1:] == [["01.02-001", "01.02 加强爱国主义教育", "爱国主义教育基地名录", "省级",
                          "省文明办", "2024-04-01", "市委宣传部",
                          "初审 李四 ✓；复审 王五 ✓；终审 赵六 ✓"]]
    sheet = openpyxl.load_workbook(xlsx_out)["创新特色（加分）材料"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == BONUS_HEADER
    assert rows[1][:6] == ["01.02-001", "01.02 加强爱国主义教育", "爱国主义教育基地名录", "省级",
                           "省文明办", "2024-04-01"]
    assert len(rows) == 2


def test_catalogue_says_when_there_is_no_bonus_material(tmp_path: Path) -> None:
    out = tmp_path / "材料目录.docx"
    write_catalogue_docx(_plan(), out)
    doc = Document(str(out))
    assert len(doc.tables) == 1
    assert "本次导出没有标为创新特色（加分）的材料。" in _text(doc)
