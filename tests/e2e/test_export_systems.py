"""`zicha export` of an archive with more than one indicator system (issue 15 item 4): the
city system's folders stay as they were, each added system's items go under a top folder
named after it, the manifest lists the systems and each item's, 材料目录 (DOCX and XLSX) has
a section per system and names the systems of the 创新特色（加分） materials, each
《测评材料提交表》 names its system, the preview groups the items by system, and the
四性检测 passes. An archive with the city system alone exports exactly as before."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import docx
import jsonschema
import openpyxl
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from tests.conftest import REVIEWED_ITEMS, ZichaCli, build_pdf, build_reviewed_archive

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "export-manifest.schema.json"
PASS = "systems-pass-1"
CITY_ID = "cn-wmcs-2023-prefecture"
CITY = "全国文明城市（地级以上）测评体系（2023年版）"
W_NAME = "全国未成年人思想道德建设工作测评体系"
W_HEADING = f"{W_NAME}（2023年版）\u3000权重 20%"
V_NAME = "全国文明村镇测评体系"
V_HEADING = f"{V_NAME}\u3000权重 10%"
CITY_ITEM = "01 理想信念教育/01.01 深入学习贯彻习近平新时代中国特色社会主义思想"
W_ITEM = f"{W_NAME}/W01 思想道德教育/W01.01 加强未成年人思想道德教育"
W_EMPTY = f"{W_NAME}/W02 校外活动场所建设"


@dataclass
class Exported:
    root: Path  # the archive
    out: Path  # the export, as a folder
    ids: dict[str, int]
    preview: str  # `zicha export --preview` as printed
    plan: dict[str, Any]  # `zicha export --preview --json`
    result: dict[str, Any]  # `zicha export --json`


def _build(root: Path, home: Path, files: Path) -> dict[str, int]:
    """The city system with one item, system W (prefix W, 2023, 20 %) with an item and an
    empty category, and system V (prefix V, 10 %) with nothing in it yet; three materials,
    all through 初审/复审/终审 with real signatures: 学习方案 (city), 道德讲堂 (W, bonus) and
    表扬通报 (filed in both, bonus)."""
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.archive.systems import add_category, create_system
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys, roster

    files.mkdir()
    made = {
        "学习方案": (["01.01"], None),
        "道德讲堂活动记录": (["W01.01"], {"level": "市", "issuer": "市文明办",
                                      "date": "2024-04-10"}),
        "省文明办表扬通报": (["01.01", "W01.01"], {"level": "省", "issuer": "省文明办",
                                           "date": "2024-03-01"}),
    }
    people = (("经办人甲", "clerk"), ("初审乙", "first"), ("复审丙", "second"),
              ("终审丁", "final"))
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(home), "ZICHA_USER": "经办人甲"}), \
            Archive.create(root) as archive:
        add_item(archive, "01.01", REVIEWED_ITEMS["01.01"])
        create_system(archive, W_NAME, prefix="W", weight=20, edition="2023")
        assert add_category(archive, "W", "思想道德教育") == "W01"
        assert add_category(archive, "W", "校外活动场所建设") == "W02"
        add_item(archive, "W01.01", "加强未成年人思想道德教育")
        create_system(archive, V_NAME, prefix="V", weight=10)
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, PASS))
        ids = {}
        for n, (title, (codes, bonus)) in enumerate(made.items()):
            path = build_pdf(files / f"{n}.pdf", title)
            [row] = import_paths(archive, [path], ImportOptions(codes=codes))
            ids[title] = row.id
            update_material(archive, row.id, {"title": title, "department": "市文明办",
                                              "material_date": f"2024-05-{10 + n}",
                                              **({"bonus": bonus} if bonus else {})})
        decisions.submit(archive, list(ids.values()), "经办人甲")
        for name, _role in people[1:]:
            key = keys.load_private(name, PASS)
            for material_id in ids.values():
                decisions.decide(archive, material_id, name, "approve", "同意", key)
    return ids


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    base = tmp_path_factory.mktemp("systems-export")
    root = base / "档案"
    ids = _build(root, base / "home", base / "files")
    cli = ZichaCli(base, base)
    preview = cli.ok("export", "--preview", "--archive", root).stdout
    plan = cli.ok_json("export", "--preview", "--archive", root)
    out = base / "申报材料"
    result = cli.run("export", out, "--folder", "--json", "--archive", root)
    failed = [(c["code"], c["problems"]) for c in result.json()["verify"]["checks"]
              if not c["ok"]] if result.stdout.startswith("{") else []
    assert result.returncode == 0 and result.stderr == "", (failed, str(result))
    return Exported(root, out, ids, preview, plan, result.json())


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "zicha/manifest.json").read_text(encoding="utf-8"))


def _body(document: Any) -> list[str | list[list[str]]]:
    """The document's paragraphs (their text) and tables (their rows) in order."""
    parts: list[str | list[list[str]]] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = Paragraph(child, document).text
            if text.strip():
                parts.append(text)
        elif child.tag.endswith("}tbl"):
            parts.append([[c.text for c in r.cells] for r in Table(child, document).rows])
    return parts


# -- folders ------------------------------------------------------------------------------


def test_each_added_system_has_its_own_top_folder(exported: Exported) -> None:
    data = exported.out / "data"
    assert sorted(p.name for p in data.iterdir()) == [
        "01 理想信念教育", W_NAME, "材料目录.docx", "材料目录.xlsx"]
    # the city system's folders as before; W's under its own folder, 序号 from 001 in each
    assert sorted(p.name for p in (data / CITY_ITEM).iterdir()) == [
        "000_测评材料提交表.docx", "001_学习方案.pdf", "002_省文明办表扬通报.pdf"]
    assert sorted(p.name for p in (data / W_ITEM).iterdir()) == [
        "000_测评材料提交表.docx", "001_道德讲堂活动记录.pdf", "002_省文明办表扬通报.pdf"]
    assert not (data / W_EMPTY).exists()  # nothing to export: no empty folder
    assert not any(V_NAME in p.as_posix() for p in data.rglob("*"))


def test_manifest_lists_the_systems_and_each_items_system(exported: Exported) -> None:
    doc = _manifest(exported.out)
    jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text(encoding="utf-8")),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(doc)
    assert doc["systems"] == [
        {"id": CITY_ID, "prefix": "", "name": "全国文明城市（地级以上）测评体系",
         "edition": "2023", "weight": None},
        {"id": "bureau-w", "prefix": "W", "name": W_NAME, "edition": "2023", "weight": 20},
        {"id": "bureau-v", "prefix": "V", "name": V_NAME, "edition": "", "weight": 10}]
    items = {i["code"]: i for i in doc["items"]}
    assert items["01.01"]["system"] == CITY_ID and items["02"]["system"] == CITY_ID
    assert items["01.01"]["folder"] == f"data/{CITY_ITEM}"
    assert items["W01.01"]["system"] == "bureau-w"
    assert items["W01.01"]["folder"] == f"data/{W_ITEM}"
    assert items["W02"] == {**items["W02"], "system": "bureau-w", "folder": f"data/{W_EMPTY}",
                            "materials": []}
    # the city system's items first, then W's, in their order
    codes = [i["code"] for i in doc["items"]]
    assert codes.index("11") < codes.index("W01.01") < codes.index("W02")
    assert items["W01.01"]["materials"] == [exported.ids["道德讲堂活动记录"],
                                            exported.ids["省文明办表扬通报"]]
    shared = next(m for m in doc["materials"] if m["id"] == exported.ids["省文明办表扬通报"])
    assert shared["items"] == [{"code": "01.01", "seq": 2}, {"code": "W01.01", "seq": 2}]


def test_an_export_with_systems_passes_verify(exported: Exported) -> None:
    assert exported.result["verify"]["ok"]
    report = ZichaCli(exported.out.parent, exported.out.parent).ok_json("verify", exported.out)
    checks = {c["code"]: c for c in report["checks"]}
    assert report["ok"] and all(c["ok"] for c in checks.values())
    assert {c["property"] for c in report["checks"]} == {"真实性", "完整性", "可用性", "安全性"}
    assert checks["2-6"]["count"] == 2  # the city item's folder and W01.01's
    assert checks["1-5"]["count"] == 3 and checks["1-1"]["count"] == 3


def test_a_zip_export_with_systems_is_a_valid_bag(exported: Exported, tmp_path: Path) -> None:
    import zipfile

    root = tmp_path / "档案"
    shutil.copytree(exported.root, root, symlinks=True)
    out = tmp_path / "申报材料.zip"
    cli = ZichaCli(tmp_path, tmp_path)
    assert cli.ok_json("export", out, "--archive", root)["verify"]["ok"]
    with zipfile.ZipFile(out) as zf:
        names = {n.split("/", 1)[1] for n in zf.namelist()}
        zf.extractall(tmp_path / "解包")
    assert f"data/{W_ITEM}/001_道德讲堂活动记录.pdf" in names
    assert f"data/{CITY_ITEM}/001_学习方案.pdf" in names
    bagit = pytest.importorskip("bagit")
    bagit.Bag(str(tmp_path / "解包" / "申报材料")).validate()


def test_verify_finds_a_gap_in_an_added_systems_folder(exported: Exported,
                                                        tmp_path: Path) -> None:
    from tests.e2e.test_cli_export import _failed, _rewrite_manifests

    out = tmp_path / "改动"
    shutil.copytree(exported.out, out)
    first = out / "data" / W_ITEM / "001_道德讲堂活动记录.pdf"
    first.rename(first.with_name("003_道德讲堂活动记录.pdf"))
    _rewrite_manifests(out)
    _failed(ZichaCli(tmp_path, tmp_path), out, "2-6", f"data/{W_ITEM}：序号有空号 1")


def _edit_manifest(out: Path, change: Any) -> None:
    from tests.e2e.test_cli_export import _rewrite_manifests

    doc = _manifest(out)
    change(doc)
    (out / "zicha/manifest.json").write_text(json.dumps(doc, ensure_ascii=False),
                                             encoding="utf-8")
    _rewrite_manifests(out)


def test_verify_names_the_system_of_an_item_without_material(exported: Exported,
                                                             tmp_path: Path) -> None:
    from tests.e2e.test_cli_export import _failed

    out = tmp_path / "改动"
    shutil.copytree(exported.out, out)

    def task_on_w02(doc: dict[str, Any]) -> None:
        next(i for i in doc["items"] if i["code"] == "W02")["tasks"] = 1

    _edit_manifest(out, task_on_w02)
    _failed(ZichaCli(tmp_path, tmp_path), out, "2-9",
            f"W02 校外活动场所建设（{W_NAME}）：有 1 项任务，但没有可导出的材料")


def test_verify_refuses_an_item_of_an_unlisted_system(exported: Exported,
                                                      tmp_path: Path) -> None:
    from tests.e2e.test_cli_export import _failed

    out = tmp_path / "改动"
    shutil.copytree(exported.out, out)

    def drop_w(doc: dict[str, Any]) -> None:
        doc["systems"] = [s for s in doc["systems"] if s["id"] != "bureau-w"]

    _edit_manifest(out, drop_w)
    _failed(ZichaCli(tmp_path, tmp_path), out, "3-1", "测评内容 W01.01 所属的测评体系 bureau-w")


def test_verify_reads_an_export_made_before_there_were_systems(exported: Exported,
                                                               tmp_path: Path) -> None:
    """A manifest without `systems` and `system` (as Zicha wrote before) still passes."""
    out = tmp_path / "旧格式"
    shutil.copytree(exported.out, out)

    def as_before(doc: dict[str, Any]) -> None:
        del doc["systems"]
        for item in doc["items"]:
            del item["system"]

    _edit_manifest(out, as_before)
    doc = _manifest(out)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    assert ZichaCli(tmp_path, tmp_path).ok_json("verify", out)["ok"]


# -- 材料目录 and the forms ---------------------------------------------------------------------


def test_catalogue_docx_has_a_section_per_system(exported: Exported) -> None:
    body = _body(docx.Document(str(exported.out / "data/材料目录.docx")))
    headings = [p for p in body if isinstance(p, str)]
    assert headings[0] == "材料目录"
    at = {text: n for n, text in enumerate(body) if isinstance(text, str)}
    # each heading, a line of what the section holds, then its table
    assert at[CITY] < at[W_HEADING] < at[V_HEADING] < at["创新特色（加分）材料"]
    assert isinstance(body[at[V_HEADING] + 2], str)  # the bonus heading: V has no table
    assert body[at[CITY] + 1].startswith("测评内容 11 项，材料 2 份，10 项缺材料")
    assert body[at[W_HEADING] + 1] == ("测评内容 2 项，材料 2 份，1 项缺材料；"
                                       f"文件在 {W_NAME} 文件夹中")
    city, w = body[at[CITY] + 2], body[at[W_HEADING] + 2]
    assert isinstance(city, list) and isinstance(w, list)
    assert city[0] == w[0] == ["序号", "测评内容", "材料名称", "文号", "日期", "页数",
                               "责任单位", "审核"]
    assert [r[0] for r in city[1:3]] == ["01.01-001", "01.01-002"]
    assert [r[2] for r in city[1:3]] == ["学习方案", "省文明办表扬通报"]
    assert not any(r[0].startswith("W") for r in city)
    assert [(r[0], r[1], r[2]) for r in w[1:]] == [
        ("W01.01-001", "W01.01 加强未成年人思想道德教育", "道德讲堂活动记录"),
        ("W01.01-002", "W01.01 加强未成年人思想道德教育", "省文明办表扬通报"),
        ("—", "W02 校外活动场所建设", "（缺材料）")]
    assert w[1][7] == "初审 初审乙 ✓；复审 复审丙 ✓；终审 终审丁 ✓"
    assert body[at[V_HEADING] + 1] == "本测评体系尚无测评内容。"  # V: no table


def test_catalogue_docx_bonus_section_names_the_systems(exported: Exported) -> None:
    body = _body(docx.Document(str(exported.out / "data/材料目录.docx")))
    bonus = body[body.index("创新特色（加分）材料") + 1]
    assert isinstance(bonus, list)
    assert bonus[0] == ["序号", "测评体系", "测评内容", "材料名称", "级别", "发文（表扬）单位",
                        "表扬日期", "责任单位", "审核"]
    rows = {r[3]: r for r in bonus[1:]}
    assert set(rows) == {"道德讲堂活动记录", "省文明办表扬通报"}
    assert rows["道德讲堂活动记录"][:7] == [
        "W01.01-001", W_NAME, "W01.01 加强未成年人思想道德教育", "道德讲堂活动记录", "市级",
        "市文明办", "2024-04-10"]
    # filed in both systems: named under its first item (the city's), both systems named
    assert rows["省文明办表扬通报"][:3] == [
        "01.01-002", f"全国文明城市（地级以上）测评体系、{W_NAME}",
        f"01.01 {REVIEWED_ITEMS['01.01']}"]


def test_catalogue_xlsx_has_a_section_per_system(exported: Exported) -> None:
    book = openpyxl.load_workbook(exported.out / "data/材料目录.xlsx")
    sheet = book["材料目录"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["序号", "测评内容", "材料名称", "文号", "日期", "页数", "责任单位", "审核"]
    firsts = [str(r[0]) for r in rows]
    city = next(n for n, v in enumerate(firsts) if v.startswith(CITY))
    w = next(n for n, v in enumerate(firsts) if v.startswith(W_HEADING))
    v = next(n for n, v in enumerate(firsts) if v.startswith(V_HEADING))
    assert city == 1 and city < w < v == len(rows) - 1
    assert firsts[city + 1:city + 3] == ["01.01-001", "01.01-002"]
    assert firsts[w + 1:v] == ["W01.01-001", "W01.01-002", "—"]
    assert rows[w + 1][2] == "道德讲堂活动记录" and rows[w + 3][1] == "W02 校外活动场所建设"
    assert "本测评体系尚无测评内容" in firsts[v]
    # a heading is one cell merged across the row, in bold
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"A{n + 1}:H{n + 1}" for n in (city, w, v)} <= merged
    assert sheet.cell(w + 1, 1).font.b

    items = [list(r) for r in book["测评内容"].iter_rows(values_only=True)]
    firsts = [str(r[0]) for r in items]
    w = next(n for n, v in enumerate(firsts) if v.startswith(W_HEADING))
    assert items[w + 1] == ["W01 思想道德教育", "W01.01 加强未成年人思想道德教育", 2, 0]
    assert items[w + 2] == ["W02 校外活动场所建设", "W02 校外活动场所建设", 0, 0]
    assert book["测评内容"].cell(w + 3, 2).fill.fgColor.rgb.endswith("FFC7CE")  # W02 missing
    assert not book["测评内容"].cell(w + 2, 2).fill.fgColor.rgb.endswith("FFC7CE")

    bonus = [list(r) for r in book["创新特色（加分）材料"].iter_rows(values_only=True)]
    assert bonus[0][:3] == ["序号", "测评体系", "测评内容"]
    assert {(r[0], r[1]) for r in bonus[1:]} == {
        ("W01.01-001", W_NAME), ("01.01-002", f"全国文明城市（地级以上）测评体系、{W_NAME}")}


def test_each_form_names_its_system(exported: Exported) -> None:
    for folder, heading, category in ((W_ITEM, W_HEADING, "W01 思想道德教育"),
                                      (CITY_ITEM, CITY, "01 理想信念教育")):
        form = docx.Document(str(exported.out / "data" / folder / "000_测评材料提交表.docx"))
        info = [[c.text for c in r.cells] for r in form.tables[0].rows]
        assert info[0] == ["测评体系", heading] and info[1] == ["测评项目", category]


# -- the preview ------------------------------------------------------------------------------


def test_preview_groups_the_items_by_system(exported: Exported) -> None:
    lines = exported.preview.splitlines()
    heads = [n for n, line in enumerate(lines) if line.startswith("【")]
    assert [lines[n] for n in heads] == [
        f"【{CITY}】测评内容 11 项，材料 2 份，文件 2 个，10 项缺材料（data/）",
        f"【{W_NAME}（2023年版），权重 20%】测评内容 2 项，材料 2 份，文件 2 个，1 项缺材料"
        f"（data/{W_NAME}/）",
        f"【{V_NAME}，权重 10%】尚无测评内容"]
    city = lines[heads[0]:heads[1]]
    w = lines[heads[1]:heads[2]]
    assert f"    {CITY_ITEM}/001_学习方案.pdf" in city
    assert "W01.01 加强未成年人思想道德教育：2 份" in w
    assert f"    {W_ITEM}/001_道德讲堂活动记录.pdf" in w
    assert not any(line.startswith("W") for line in city)

    systems = exported.plan["systems"]
    assert [(s["id"], s["items"], s["materials"], s["files"]) for s in systems] == [
        (CITY_ID, 11, 2, 2), ("bureau-w", 2, 2, 2), ("bureau-v", 0, 0, 0)]
    assert systems[1]["folder"] == f"data/{W_NAME}" and systems[1]["missing"] == ["W02"]
    assert {i["code"]: i["system"] for i in exported.plan["items"]}["W01.01"] == "bureau-w"


# -- one system: as before --------------------------------------------------------------------


def test_an_archive_with_one_system_exports_as_before(tmp_path: Path) -> None:
    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    cli = ZichaCli(tmp_path, tmp_path)
    out = tmp_path / "申报材料"
    assert cli.ok_json("export", out, "--folder", "--archive", root)["verify"]["ok"]
    data = out / "data"
    folders = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_dir())
    assert folders == [
        "01 理想信念教育",
        "01 理想信念教育/01.01 深入学习贯彻习近平新时代中国特色社会主义思想",
        "01 理想信念教育/01.02 加强爱国主义教育：弘扬“长征精神”？",
        "03 文明风尚培育", "03 文明风尚培育/03.01 规范市民文明行为",
        "08 生活和谐宜居", "08 生活和谐宜居/08.02 推进生活垃圾分类"]
    doc = _manifest(out)
    assert doc["systems"] == [{"id": CITY_ID, "prefix": "", "edition": "2023", "weight": None,
                               "name": "全国文明城市（地级以上）测评体系"}]
    assert {i["system"] for i in doc["items"]} == {CITY_ID}

    # 材料目录: one table and the bonus line, no system headings; forms name no system
    body = _body(docx.Document(str(data / "材料目录.docx")))
    assert [type(p) for p in body[2:]] == [list, str, str]
    assert body[3:] == ["创新特色（加分）材料", "本次导出没有标为创新特色（加分）的材料。"]
    assert not any(CITY in str(p) for p in body)
    sheet = openpyxl.load_workbook(data / "材料目录.xlsx")["材料目录"]
    assert not sheet.merged_cells.ranges
    assert [r[0] for r in sheet.iter_rows(min_row=2, max_row=2, values_only=True)] == [
        "01.01-001"]
    bonus = openpyxl.load_workbook(data / "材料目录.xlsx")["创新特色（加分）材料"]
    assert [c.value for c in bonus[1]][:2] == ["序号", "测评内容"]
    form = docx.Document(str(data / CITY_ITEM / "000_测评材料提交表.docx"))
    assert form.tables[0].rows[0].cells[0].text == "测评项目"
    preview = cli.ok("export", "--preview", "--archive", root).stdout
    assert "【" not in preview
    assert f"01.01 {REVIEWED_ITEMS['01.01']}：2 份" in preview


def test_a_system_folder_never_takes_a_city_folders_name(core_archive: Any) -> None:
    """A system named like a city category folder, or two whose names are the same once
    shortened to a folder name, each get a folder of their own."""
    from desktop.core.archive.items import add_item
    from desktop.core.archive.systems import add_category, create_system
    from desktop.core.export.plan import archive_rules, make_plan

    long = "全国文明村镇测评体系" * 5  # 50 characters: folder names stop at 40
    for prefix, name in (("X", "01 理想信念教育"), ("Y", long + "甲"), ("Z", long + "乙")):
        create_system(core_archive, name, prefix=prefix)
        add_item(core_archive, add_category(core_archive, prefix, "工作") + ".01", "内容")
    plan = make_plan(core_archive, archive_rules(core_archive), soffice=None)
    folders = [s.folder for s in plan.systems]
    assert folders == ["", "01 理想信念教育（2）", long[:40], long[:40] + "（2）"]
    items = {i.code: i.folder for i in plan.items}
    assert items["01"] == "01 理想信念教育"  # the city's own category folder, unchanged
    assert items["X01.01"] == "01 理想信念教育（2）/X01 工作/X01.01 内容"
    assert items["Z01.01"] == f"{long[:40]}（2）/Z01 工作/Z01.01 内容"
    assert [s.id for s, _ in plan.sections] == [s.id for s in plan.systems]
    assert [i.code for i in plan.items][-3:] == ["X01.01", "Y01.01", "Z01.01"]
