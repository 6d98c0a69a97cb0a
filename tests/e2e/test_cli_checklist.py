"""The evidence checklist through the `zicha` command (issue 19, item 2): `zicha items
checklist` counts an item's materials against its 材料要求 (from its 测评标准 or the admin's
own text, `zicha items requirements`), `zicha submit` refuses while the checklist has gaps and
changes nothing, `--despite-gaps` submits and records the gaps for the reviewers; the photo
caption's 背景 and 事由 go through `zicha edit`, `zicha show` and into the exported photo page."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pymupdf
import pytest

from tests.conftest import FileBuilder, ZichaCli, archive_snapshot, build_image

ITEM = "01.01"
CRITERION = "工作方案、会议记录、活动图片（注明时间、地点、人物、主题、背景、事由）"
CAPTION = {"时间": "2024年5月1日", "地点": "市民广场", "人物": "市宣讲团", "主题": "理论宣讲进社区",
           "背景": "创建全国文明城市", "事由": "宣讲党的创新理论"}
FLAGS = {"时间": "--caption-time", "地点": "--caption-place", "人物": "--caption-people",
         "主题": "--caption-subject", "背景": "--caption-background", "事由": "--caption-reason"}


class Bureau:
    def __init__(self, cli: ZichaCli, root: Path, base: Path) -> None:
        self.cli, self.root = cli, root
        self.people = {name: cli.as_person(name, base / "keys" / name)
                       for name in ("管理员", "张经办")}
        keys = {n: p.in_process("key", "new", n).strip() for n, p in self.people.items()}
        self.run_as("管理员", "user", "add", "管理员", "--department", "市文明办", "--role",
                    "admin", "--public-key", keys["管理员"]).succeeded()
        self.run_as("管理员", "user", "add", "张经办", "--department", "市文明办", "--role",
                    "clerk", "--public-key", keys["张经办"]).succeeded()

    def run_as(self, name: str, *args: str | int | Path):  # type: ignore[no-untyped-def]
        return self.people[name].run(*map(str, args), "--archive", self.root)

    def ok(self, *args: str | int | Path):  # type: ignore[no-untyped-def]
        return self.cli.ok_json(*args, "--archive", self.root)


@pytest.fixture
def bureau(zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> Bureau:
    b = Bureau(zicha_cli, cli_archive, tmp_path)
    zicha_cli.ok("items", "add", ITEM, "开展理论宣讲", "--criterion", CRITERION,
                 "--archive", cli_archive)
    return b


def _import(bureau: Bureau, tmp_path: Path) -> dict[str, int]:
    files = FileBuilder(tmp_path / "src")
    paths = [files.pdf("理论宣讲工作方案.pdf", "理论宣讲工作方案"),
             build_image(tmp_path / "src" / "宣讲1.jpg", size=(80, 60)),
             build_image(tmp_path / "src" / "宣讲2.jpg", size=(90, 60))]
    rows = bureau.ok("import", *paths, "--item", ITEM, "--department", "市文明办", "--no-ocr")
    return {Path(r["path"]).stem: r["id"] for r in rows}


def test_checklist_counts_and_the_admins_own_requirements(bureau: Bureau,
                                                          tmp_path: Path) -> None:
    empty = bureau.ok("items", "checklist", ITEM)
    assert (empty["status"], empty["source"], empty["materials"]) == ("gaps", "criterion", 0)
    assert [(r["kinds"], r["count"], r["found"], r["met"]) for r in empty["requirements"]] == [
        (["方案计划"], 1, 0, False), (["活动记录"], 1, 0, False), (["图片"], 1, 0, False)]

    ids = _import(bureau, tmp_path)
    caption = [a for k, v in CAPTION.items() for a in (FLAGS[k], v)]
    bureau.ok("edit", ids["宣讲1"], *caption)
    found = bureau.ok("items", "checklist", ITEM)
    plan, records, pictures = found["requirements"]
    assert (plan["found"], plan["met"], plan["materials"]) == (1, True, [ids["理论宣讲工作方案"]])
    assert (records["found"], records["met"]) == (0, False)
    assert (pictures["found"], pictures["short"], pictures["met"]) == (1, 1, True)
    assert (found["met"], found["unmet"], found["materials"]) == (2, 1, 3)

    # the admin asks for more: 2 captioned photos and a 300-character 情况说明
    refused = bureau.run_as("张经办", "items", "requirements", ITEM, "实景图片2张",
                            "--as", "张经办")
    assert refused.returncode == 1 and "不是管理员" in refused.stderr
    nothing = bureau.run_as("管理员", "items", "requirements", ITEM, "材料要齐全", "--as", "管理员")
    assert nothing.returncode == 1 and "没有读出任何材料种类" in nothing.stderr
    own = bureau.run_as("管理员", "items", "requirements", ITEM,
                        "工作方案1份；实景图片2张以上，注明时间、地点、人物、主题、背景、事由；"
                        "情况说明300字；宣传资料", "--as", "管理员", "--json").succeeded().json()
    assert own["source"] == "admin" and own["set_by"] == "管理员"
    assert own["notes"] == ["宣传资料"]
    found = bureau.ok("items", "checklist", ITEM)
    assert [(r["kinds"], r["count"], r["found"], r["short"]) for r in found["requirements"]] == [
        (["方案计划"], 1, 1, 0), (["图片"], 2, 1, 1), (["说明报告"], 1, 0, 0)]
    assert found["requirements"][1]["lacking"] == list(CAPTION)
    text = bureau.cli.ok("items", "checklist", ITEM, "--archive", bureau.root).stdout
    assert "✔ 工作方案 ≥ 1 份：有 1" in text
    assert "✘ 实景图片 ≥ 2 张（注明时间、地点、人物、主题、背景、事由）：实景图片还差 1 张" in text
    assert "备注（不自动检查）：宣传资料" in text

    # from a file; --none: no checklist; an unknown item is refused by name
    spec_file = tmp_path / "要求.txt"
    spec_file.write_text("工作方案1份\n会议记录2份", encoding="utf-8")
    from_file = bureau.run_as("管理员", "items", "requirements", ITEM, "--file", spec_file,
                              "--as", "管理员", "--json").succeeded().json()
    assert [(r["kinds"], r["count"]) for r in from_file["requirements"]] == [
        (["方案计划"], 1), (["活动记录"], 2)]
    bureau.run_as("管理员", "items", "requirements", ITEM, "--none", "--as", "管理员").succeeded()
    assert bureau.ok("items", "checklist", ITEM)["status"] == "none"
    unknown = bureau.run_as("管理员", "items", "requirements", "09.09", "工作方案",
                            "--as", "管理员")
    assert unknown.returncode == 1 and "09.09" in unknown.stderr
    two = bureau.run_as("管理员", "items", "requirements", ITEM, "工作方案", "--none")
    assert two.returncode == 2 and "只能用一个" in two.stderr
    bureau.run_as("管理员", "items", "requirements", ITEM,
                  "工作方案1份；实景图片2张以上，注明时间、地点、人物、主题、背景、事由；"
                  "情况说明300字", "--as", "管理员").succeeded()

    every = bureau.ok("items", "checklist")
    assert every["totals"]["with_gaps"] == 1 and every["totals"]["items"] == 1
    bureau.run_as("管理员", "items", "requirements", ITEM, "--clear", "--as", "管理员").succeeded()
    assert bureau.ok("items", "requirements", ITEM)["source"] == "criterion"


def test_submit_with_gaps_is_refused_unless_confirmed(bureau: Bureau, tmp_path: Path) -> None:
    ids = _import(bureau, tmp_path)
    before = archive_snapshot(bureau.cli, bureau.root)
    refused = bureau.run_as("张经办", "submit", ids["理论宣讲工作方案"], "--as", "张经办")
    assert refused.returncode == 1 and len(refused.stderr_lines) == 1
    assert "材料清单还有缺项" in refused.stderr and "会议记录还差 1 份" in refused.stderr
    assert "--despite-gaps" in refused.stderr
    assert archive_snapshot(bureau.cli, bureau.root) == before

    as_json = bureau.run_as("张经办", "submit", ids["理论宣讲工作方案"], "--as", "张经办", "--json")
    assert as_json.returncode == 1 and as_json.json()["submitted"] == []
    [gap] = as_json.json()["gaps"]
    assert gap["item"] == ITEM and any("会议记录" in m for m in gap["missing"])

    done = bureau.run_as("张经办", "submit", ids["理论宣讲工作方案"], "--as", "张经办",
                         "--despite-gaps", "--json").succeeded().json()
    assert done["submitted"] == [ids["理论宣讲工作方案"]] and done["gaps"] == [gap]
    [listed] = bureau.ok("list", "--stage", "submitted")
    assert listed["id"] == ids["理论宣讲工作方案"]
    from desktop.core.archive.archive import Archive
    from desktop.core.review import decisions

    with Archive.open(bureau.root) as archive:
        assert decisions.submission_gaps(archive, ids["理论宣讲工作方案"]) == [gap]
        assert decisions.submission_gaps(archive, ids["宣讲1"]) == []
    history = bureau.cli.ok("history", ids["理论宣讲工作方案"], "--archive", bureau.root).stdout
    assert history.startswith("提交时缺项（材料清单）：\n01.01 开展理论宣讲：")

    # an offline reviewer's package carries them too
    package = tmp_path / "初审包.zip"
    bureau.run_as("张经办", "package", "export", "--stage", "first", "--out", package).succeeded()
    with zipfile.ZipFile(package) as zf:
        doc = json.loads(zf.read("package.json"))
    [entry] = doc["materials"]
    assert entry["submit_gaps"] == [gap]


def test_caption_background_and_reason_round_trip(bureau: Bureau, tmp_path: Path) -> None:
    ids = _import(bureau, tmp_path)
    photo = ids["宣讲1"]
    caption = [a for k, v in CAPTION.items() for a in (FLAGS[k], v)]
    assert bureau.ok("edit", photo, *caption)["caption"] == CAPTION
    assert bureau.ok("show", photo)["caption"] == CAPTION
    shown = bureau.cli.ok("show", photo, "--archive", bureau.root).stdout
    assert "背景 创建全国文明城市；事由 宣讲党的创新理论" in shown
    bureau.ok("edit", photo, "--caption-reason", "")
    assert bureau.ok("show", photo)["caption"]["事由"] == ""
    bureau.ok("edit", photo, "--caption-reason", CAPTION["事由"])

    out = tmp_path / "导出"
    bureau.cli.ok("export", out, "--folder", "--all-stages", "--archive", bureau.root)
    [page] = [p for p in (out / "data").rglob("*.pdf") if "宣讲1" in p.name]
    text = "".join(pymupdf.open(page)[0].get_text().split())
    for key, value in CAPTION.items():
        assert f"{key}：{value}" in text
