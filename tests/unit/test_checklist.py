"""The evidence checklist of a 测评内容 (issue 19, item 2), core side: reading 材料要求 and
测评标准 texts as they are written — the shared sample task list, a task list built here, the
demo system's items, the 2015-era texts quoted in the shared research — into kinds, counts,
lengths and caption fields with the rest kept as notes; where an item's spec comes from; the
admin's own text, refused when it says nothing; the evaluation's counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.common.errors import ZichaError
from desktop.core.ledger import checklist
from desktop.core.ledger.checklist import Requirement, parse
from desktop.core.ledger.tasks import import_tasks
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import update_material
from desktop.core.review import keys, roster
from desktop.demo.samples import DEMO_ITEMS, make_pdf
from tests.conftest import build_image

SAMPLE = Path("/work/shared/corpus/任务分解清单-示例.xlsx")
SAMPLE_TEXT = "工作方案、会议记录、活动图片(注明时间、地点、人物、主题)、总结报告"
FOUR = ("时间", "地点", "人物", "主题")


def shape(reqs: list[Requirement]) -> list[tuple[tuple[str, ...], int, int, tuple[str, ...]]]:
    return [(r.kinds, r.count, r.min_chars, r.captions) for r in reqs]


def test_the_sample_lists_text() -> None:
    reqs, notes = parse(SAMPLE_TEXT)
    assert shape(reqs) == [(("方案计划",), 1, 0, ()), (("活动记录",), 1, 0, ()),
                           (("图片",), 1, 0, FOUR), (("总结",), 1, 0, ())]
    assert [r.words for r in reqs] == [("工作方案",), ("会议记录",), ("活动图片",), ("总结报告",)]
    assert notes == []
    assert reqs[2].label == "活动图片 ≥ 1 张（注明时间、地点、人物、主题）"


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample corpus not present")
def test_the_sample_lists_work_requirements_ask_for_no_material() -> None:
    """Its 工作要求 column describes the work ("建立完善…机制", "中国特色社会主义"): read as a
    测评标准 it names no material to provide."""
    from desktop.core.ledger.tasklist import read_task_list

    rows = read_task_list(SAMPLE).rows
    assert len(rows) == 39
    assert all(parse(r.requirement, evidence_only=True) == ([], []) for r in rows)
    assert any(parse(r.requirement)[0] for r in rows)  # read as a 材料要求 it would


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample corpus not present")
def test_every_item_of_the_shared_sample_list(core_archive: Archive) -> None:
    report = import_tasks(core_archive, SAMPLE)
    assert report.items_created
    lists = checklist.checklists(core_archive)
    assert len(lists) == len(report.items_created) == 39
    for found in lists:
        assert found.spec.source == checklist.TASKS
        assert found.spec.texts == (SAMPLE_TEXT,)
        assert [c.requirement.kinds for c in found.checks] == [
            ("方案计划",), ("活动记录",), ("图片",), ("总结",)]
        assert found.status == "gaps" and found.materials == 0
    assert checklist.totals(lists).to_json() == {"items": 39, "complete": 0, "with_gaps": 39,
                                                 "without_spec": 0}


# texts quoted in the shared research (桂林's 网上申报具体要求, a 2018 简报, 海口's 材料要求)
RESEARCH = {
    "1.说明报告: 日报、电台、电视台开设专题专栏情况 (每类媒体300字); 2.实景图片: 日报、电视台各提供"
    "5张以上专题专栏新闻截图, 需注明报道时间、专栏专题名称。":
        [(("说明报告",), 1, 300, ()), (("图片",), 5, 0, ("时间", "主题"))],
    "说明报告500字; 实景图片3张以上, 注明时间、地点、主讲人、宣讲主题。":
        [(("说明报告",), 1, 500, ()), (("图片",), 3, 0, FOUR)],
    "提供活动的现场照片或新闻报道截图 (道德讲堂重在日常开展活动情况)。": [(("图片",), 1, 0, ())],
    "市属媒体宣传阐释中国梦的情况; 至少在3个重要节日开展宣传教育; 提供不同形式中国梦主题教育活动"
    "图片或新闻报道。": [(("图片", "报道"), 1, 0, ())],
    "提供按照核心价值观要求修订前后的市民公约、学生守则。": [(("制度机制",), 1, 0, ())],
    "提供主题教育实践活动的方案、总结和活动图片; 评选的相关记录和媒体报道材料; 媒体刊播的截图、"
    "视频和社会媒介刊载公益广告的实景图片。":
        [(("方案计划",), 1, 0, ()), (("总结",), 1, 0, ()), (("图片",), 2, 0, ()),
         (("活动记录",), 1, 0, ()), (("报道",), 1, 0, ()), (("视频",), 1, 0, ())],
}


@pytest.mark.parametrize("text", list(RESEARCH))
def test_texts_of_the_research(text: str) -> None:
    assert shape(parse(text)[0]) == RESEARCH[text]


def test_what_is_no_kind_is_kept_as_a_note() -> None:
    reqs, notes = parse("市属媒体宣传阐释中国梦的情况; 至少在3个重要节日开展宣传教育; "
                        "提供不同形式中国梦主题教育活动图片或新闻报道。")
    assert notes == ["市属媒体宣传阐释中国梦的情况", "至少在3个重要节日开展宣传教育"]
    assert reqs[0].label == "活动图片或新闻报道 ≥ 1 张"
    assert parse("重点了解市委常委会研究意识形态工作的情况,需要提供会议时间、主题等情况。") == (
        [], ["重点了解市委常委会研究意识形态工作的情况,需要提供会议时间、主题等情况"])
    reqs, notes = parse("提供文明行为促进相关制度、实施情况报告及宣传资料")
    assert [r.kinds for r in reqs] == [("制度机制",), ("说明报告",)] and notes == ["宣传资料"]


def test_a_criterion_is_read_for_what_it_asks_to_provide() -> None:
    work = ("1)把学习贯彻讲话精神作为党委政府一项政治任务,制定具体学习计划及实施方案; "
            "2)建立完善学习制度")
    assert parse(work, evidence_only=True) == ([], [])
    assert shape(parse(work)[0]) == [(("方案计划",), 1, 0, ()), (("制度机制",), 1, 0, ())]
    asks = "建立志愿服务制度，提供制度文件和活动照片（注明时间、地点）"
    assert shape(parse(asks, evidence_only=True)[0]) == [(("制度机制",), 1, 0, ()),
                                                         (("图片",), 1, 0, ("时间", "地点"))]
    listed = "工作方案、会议记录、活动图片（注明时间、地点、人物、主题）"  # a list: read whole
    assert parse(listed, evidence_only=True) == parse(listed)
    # "中国特色社会主义" is no 特色成效, "保障群众权益" no 保障措施
    assert parse("提供中国特色社会主义学习教育情况、保障群众权益的做法")[0] == []


def test_nothing_and_noise() -> None:
    assert parse("") == ([], [])
    assert parse("  ；。\n ") == ([], [])
    assert parse("无") == ([], [])  # too short to be a note
    long = "工作方案；" * 200  # the same kind in 200 sentences adds up, still one requirement
    assert shape(parse(long)[0]) == [(("方案计划",), 200, 0, ())]


def test_counts_lengths_and_sentences() -> None:
    reqs, _ = parse("工作方案1份；制度机制不少于2份；实景图片5张以上，注明时间、地点、人物、主题、"
                    "背景、事由；情况说明300字")
    assert shape(reqs) == [(("方案计划",), 1, 0, ()), (("制度机制",), 2, 0, ()),
                           (("图片",), 5, 0, (*FOUR, "背景", "事由")),
                           (("说明报告",), 1, 300, ())]
    # a count in the wrong unit, or a time span, is no count of that kind
    assert shape(parse("抽查两个月报纸样报和电视截屏")[0]) == [(("图片",), 1, 0, ())]
    # the same kind in two sentences adds up; twice in one sentence, once
    assert shape(parse("工作方案；实施方案")[0]) == [(("方案计划",), 2, 0, ())]
    assert shape(parse("制定学习计划及实施方案")[0]) == [(("方案计划",), 1, 0, ())]
    assert shape(parse("照片三张；视频两段")[0]) == [(("图片",), 3, 0, ()), (("视频",), 2, 0, ())]


@pytest.mark.parametrize(("code", "name", "criterion"), DEMO_ITEMS)
def test_every_demo_item_asks_for_something(code: str, name: str, criterion: str) -> None:
    reqs, notes = parse(criterion)
    assert reqs or notes, criterion
    if "活动图片（注明时间、地点、人物、主题）" in criterion:
        [pictures] = [r for r in reqs if r.kinds == ("图片",)]
        assert pictures.captions == FOUR
    for r in reqs:  # every requirement names what it was read from
        assert r.words and all(w in criterion for w in r.words)


def _task_list(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "任务分解清单"
    sheet.append(["序号", "测评项目", "测评内容", "测评标准", "材料要求", "牵头单位", "责任单位",
                  "完成时限"])
    sheet.append([1, "01 理想信念教育", "开展形势政策教育", "组织宣讲",
                  "说明报告500字；实景图片3张以上，注明时间、地点、主讲人、宣讲主题", "市委宣传部",
                  "市文明办", "2024年6月30日"])
    sheet.append([2, "03 文明风尚培育", "深化学雷锋志愿服务",
                  "建立志愿服务制度，提供制度文件和活动照片", None, "市文明办", "团市委",
                  "2024年6月30日"])
    sheet.append([3, "08 生活和谐宜居", "推进生活垃圾分类", "建立垃圾分类长效机制", None,
                  "市城管局", "各区", "2024年6月30日"])
    book.save(path)
    return path


def test_where_an_items_spec_comes_from(core_archive: Archive, tmp_path: Path) -> None:
    import_tasks(core_archive, _task_list(tmp_path / "清单.xlsx"))
    by_name = {c.name: c for c in checklist.checklists(core_archive)}
    talk, volunteers, waste = (by_name["开展形势政策教育"], by_name["深化学雷锋志愿服务"],
                               by_name["推进生活垃圾分类"])
    # two departments' tasks with one 材料要求: read once
    assert talk.spec.source == checklist.TASKS and len(talk.spec.texts) == 1
    assert [(c.requirement.kinds, c.requirement.count, c.requirement.min_chars,
             c.requirement.captions) for c in talk.checks] == [
        (("说明报告",), 1, 500, ()), (("图片",), 3, 0, FOUR)]
    # no 材料要求: what the 测评标准 asks to be provided (not the work it describes)
    assert volunteers.spec.source == checklist.CRITERION
    assert [c.requirement.kinds for c in volunteers.checks] == [("制度机制",), ("图片",)]
    assert waste.spec.source == checklist.CRITERION
    assert waste.status == "none" and waste.spec.notes == ()


def _admin(archive: Archive) -> None:
    roster.add_person(archive, "管理员", "市文明办", ["admin"], keys.new_key("管理员", "pw123456"))
    roster.add_person(archive, "张经办", "市文明办", ["clerk"], keys.new_key("张经办", "pw123456"),
                      actor="管理员")


def test_the_admins_own_text(core_archive: Archive, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    add_item(core_archive, "01.01", "开展理论宣讲", "提供工作方案")
    _admin(core_archive)
    before = checklist.spec(core_archive, "01.01")
    with pytest.raises(ZichaError, match="不是管理员"):
        checklist.set_requirements(core_archive, "01.01", "实景图片5张", actor="张经办")
    with pytest.raises(ZichaError, match="没有读出任何材料种类"):
        checklist.set_requirements(core_archive, "01.01", "材料要齐全", actor="管理员")
    with pytest.raises(ZichaError, match="是测评项目"):
        checklist.set_requirements(core_archive, "01", "实景图片5张", actor="管理员")
    assert checklist.spec(core_archive, "01.01") == before  # refusals changed nothing

    own = checklist.set_requirements(core_archive, "01.01", "实景图片5张以上；宣传资料",
                                     actor="管理员")
    assert own.source == checklist.ADMIN and own.set_by == "管理员"
    assert shape(list(own.requirements)) == [(("图片",), 5, 0, ())]
    assert own.notes == ("宣传资料",)
    assert checklist.set_requirements(core_archive, "01.01", "", actor="管理员").requirements == ()
    assert checklist.checklist(core_archive, "01.01").status == "none"
    back = checklist.set_requirements(core_archive, "01.01", None, actor="管理员")
    assert back == before


def test_evaluation_counts(core_archive: Archive, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    add_item(core_archive, "01.01", "开展理论宣讲", "")
    files = tmp_path / "files"
    files.mkdir()
    plan = make_pdf(files / "方案.pdf", "理论宣讲工作方案", ["宣讲安排"])
    photos = [build_image(files / f"照片{n}.jpg", size=(60 + n, 40)) for n in range(3)]
    rows = import_paths(core_archive, [plan, *photos], ImportOptions(codes=["01.01"]))
    ids = [r.id for r in rows]
    assert all(ids)
    full = {"时间": "2024-05-01", "地点": "市民广场", "人物": "宣讲团", "主题": "理论宣讲",
            "背景": "创建全国文明城市", "事由": "进社区宣讲"}
    update_material(core_archive, ids[1], {"caption": full})
    update_material(core_archive, ids[2], {"caption": {**full, "背景": ""}})
    _admin(core_archive)
    checklist.set_requirements(core_archive, "01.01", "工作方案；实景图片3张以上，注明时间、地点、"
                               "人物、主题、背景、事由；情况说明300字", actor="管理员")
    found = checklist.checklist(core_archive, "01.01")
    plan_check, pictures, report = found.checks
    assert (plan_check.met, plan_check.found, plan_check.materials) == (True, 1, (ids[0],))
    # one photo captioned in full, one without 背景, one without any caption
    assert (pictures.found, pictures.short, pictures.lacking) == (1, 2, tuple(full))
    assert pictures.missing == ("实景图片还差 2 张（要 3，有 1）；"
                                "另有 2 张缺图片说明时间、地点、人物、主题、背景、事由")
    assert (report.found, report.met) == (0, False)
    assert found.status == "gaps" and found.materials == 4
    assert [g.requirement.kinds for g in found.gaps] == [("图片",), ("说明报告",)]
    assert found.to_json()["met"] == 1 and found.to_json()["unmet"] == 2



def test_the_ledger_lists_every_items_checklist(core_archive: Archive, tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    from desktop.core.ledger.documents import write_ledger_xlsx, write_weekly_report_docx
    from desktop.core.ledger.tasks import ledger

    import_tasks(core_archive, _task_list(tmp_path / "清单.xlsx"))
    found = ledger(core_archive)
    assert [(c.name, c.status, c.met, c.unmet) for c in found.checklists] == [
        ("开展形势政策教育", "gaps", 0, 2), ("深化学雷锋志愿服务", "gaps", 0, 2),
        ("推进生活垃圾分类", "none", 0, 0)]
    out = tmp_path / "台账.xlsx"
    write_ledger_xlsx(found, out)
    sheet = load_workbook(out)["材料清单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=1)]
    assert rows[0] == ["测评内容", "名称", "材料清单", "已满足", "未满足", "缺项"]
    assert rows[1][1:5] == ["开展形势政策教育", "有缺项", 0, 2]
    assert "实景图片还差 3 张" in rows[1][5]
    assert rows[-1][:3] == ["合计", "3 个测评内容", "齐全 0，有缺项 2"]
    report = tmp_path / "周报.docx"
    write_weekly_report_docx(found, report)
    text = [p.text for p in docx.Document(str(report)).paragraphs]
    [line] = [t for t in text if t.startswith("材料清单：")]
    assert line.startswith("材料清单：2 个测评内容有材料要求，齐全 0 个，有缺项 2 个（")
