"""The `zicha` command end to end, on real archives in tmp_path: the happy paths."""

from __future__ import annotations

import hashlib
from pathlib import Path

import desktop
from tests.conftest import FileBuilder, ZichaCli

ROW_KEYS = {"id", "path", "title", "sha256", "items", "status", "reason", "kind"}


def _blob_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "files").rglob("*") if p.is_file())


def _audit_entries(report: dict) -> int:
    """Entries in the audit log, from `zicha verify --json`."""
    return next(c["count"] for c in report["checks"] if c["name"] == "审计日志哈希链")


def test_version(zicha_cli: ZichaCli) -> None:
    result = zicha_cli.ok("--version")
    assert result.stdout.strip() == f"zicha {desktop.__version__}"


def test_init_creates_an_archive_that_verifies(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    root = tmp_path / "新档案" / "市文明办"
    info = zicha_cli.ok_json("init", "--archive", root)
    assert info["system_id"] == "cn-wmcs-2023-prefecture"
    assert info["name"] == "市文明办"
    assert (root / "zicha.db").is_file()

    tree, listed, report = zicha_cli.ok_json_all(
        ["items", "--archive", root], ["list", "--archive", root], ["verify", root])
    assert [n["code"] for n in tree] == [f"{n:02d}" for n in range(1, 12)]
    assert tree[10]["name"] == "创建常态长效"
    assert {(n["kind"], n["materials"]) for n in tree} == {("category", 0)}
    assert listed == []
    assert report["ok"] is True and report["kind"] == "archive"
    assert _audit_entries(report) == 1

    again = zicha_cli.run("init", "--archive", root)
    assert again.returncode != 0
    assert len(again.stderr_lines) == 1 and "已经是一个档案" in again.stderr, again


def test_import_files_and_folders_with_chinese_names(zicha_cli: ZichaCli, cli_archive: Path,
                                                     file_builder: FileBuilder) -> None:
    folder = file_builder.base / "材料"
    made = [
        file_builder.pdf("材料/二级/关于印发《文明交通行动方案》的通知.pdf", pages=3),
        file_builder.docx("材料/二级/志愿服务活动记录.docx"),
        file_builder.xlsx("材料/任务分解清单（2024）.xlsx"),
        file_builder.image("材料/照片/文明劝导 现场.jpg", "JPEG"),
        file_builder.image("材料/照片/宣传栏.png", "PNG"),
        file_builder.image("材料/照片/扫描件.tiff", "TIFF"),
    ]
    single = file_builder.pdf("单个/scan_0001.pdf")

    one = zicha_cli.ok_json("import", single, "--item", "03", "--title", "市文明办工作要点",
                            "--department", "市文明办", "--archive", cli_archive)
    assert len(one) == 1
    assert set(one[0]) == ROW_KEYS
    assert one[0]["status"] == "stored"
    assert (one[0]["title"], one[0]["items"], one[0]["path"]) == (
        "市文明办工作要点", ["03"], str(single))

    rows = zicha_cli.ok_json("import", folder, "--item", "05", "--item", "08",
                             "--archive", cli_archive)
    assert len(rows) == len(made)
    assert all(set(r) == ROW_KEYS for r in rows)
    by_path = {Path(r["path"]): r for r in rows}
    assert set(by_path) == set(made)
    for path in made:
        row = by_path[path]
        assert row["status"] == "stored", row
        assert row["reason"] == ""
        # a DOCX is named by its first heading (docmeta); the others by the file name
        assert row["title"] == ("关于开展文明交通志愿服务活动的通知" if path.suffix == ".docx"
                                else path.stem)
        assert row["items"] == ["05", "08"]
        assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert isinstance(row["id"], int)
    assert len({r["id"] for r in rows} | {one[0]["id"]}) == 7
    stored = _blob_files(cli_archive)
    assert len(stored) == 7
    assert {p.name for p in stored} == {r["sha256"] for r in rows} | {one[0]["sha256"]}

    # the same content again: said to be duplicate, nothing new stored
    again = zicha_cli.ok_json("import", folder, single, "--item", "05", "--item", "08",
                              "--archive", cli_archive)
    assert len(again) == 7
    assert {r["status"] for r in again} == {"duplicate"}
    assert all(r["reason"] and r["id"] is not None and set(r) == ROW_KEYS for r in again)
    assert {r["sha256"]: r["id"] for r in again} == {r["sha256"]: r["id"]
                                                     for r in [*rows, *one]}
    assert _blob_files(cli_archive) == stored

    notice, photo = by_path[made[0]], by_path[made[3]]
    materials, under_08, under_03, shown, photo_view, report = zicha_cli.ok_json_all(
        ["list", "--archive", cli_archive], ["list", "--item", "08", "--archive", cli_archive],
        ["list", "--item", "03", "--archive", cli_archive],
        ["show", str(notice["id"]), "--archive", cli_archive],
        ["show", str(photo["id"]), "--archive", cli_archive], ["verify", cli_archive])
    assert len(materials) == 7
    # the duplicate of the single file filed it under 05 and 08 too
    single_view = next(m for m in materials if m["id"] == one[0]["id"])
    assert (single_view["items"], single_view["department"]) == (["03", "05", "08"], "市文明办")
    assert len(under_08) == 7
    assert [m["title"] for m in under_03] == ["市文明办工作要点"]
    assert shown["title"] == "关于印发《文明交通行动方案》的通知"
    assert (shown["state"], shown["created_by"]) == ("draft", "经办人甲")
    assert shown["page_count"] == 3
    assert [(f["filename"], f["kind"], f["sha256"]) for f in shown["files"]] == [
        ("关于印发《文明交通行动方案》的通知.pdf", "pdf", notice["sha256"])]
    assert (photo_view["material_type"], photo_view["files"][0]["kind"]) == ("图片", "jpeg")
    assert report["ok"] is True
    assert _audit_entries(report) == 1 + 7 + 1  # init, 7 imports, 1 re-filing


def test_plain_text_output_on_the_archive_from_the_environment(
        zicha_cli: ZichaCli, tmp_path: Path, file_builder: FileBuilder) -> None:
    root = tmp_path / "环境变量档案"
    zicha_cli.env["ZICHA_ARCHIVE"] = str(root)
    assert str(root) in zicha_cli.ok("init").stdout
    pdf = file_builder.pdf("材料/通知.pdf")
    out = zicha_cli.ok("import", pdf, "--item", "01").stdout
    assert out.splitlines()[0] == f"已保存\t#1\t{pdf}"
    assert "保存 1，重复 0，拒绝 0" in out
    again, listing, verified = zicha_cli.run_all(["import", pdf, "--item", "01"], ["list"],
                                                 ["verify"])
    assert again.succeeded().stdout.startswith(f"重复\t#1\t{pdf}")
    assert "通知" in listing.succeeded().stdout and "共 1 份材料" in listing.stdout
    assert "档案检查通过" in verified.succeeded().stdout
    assert len(_blob_files(root)) == 1


def test_items_of_a_new_archive_say_how_to_add_some(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    """A new archive has only the 11 测评项目: `zicha items` says where material goes and how
    测评内容 come; once there is one, it lists them without the hint."""
    root = tmp_path / "新档案"
    zicha_cli.ok("init", "--archive", root)
    listed = zicha_cli.ok("items", "--archive", root).stdout
    assert "01 理想信念教育（0）" in listed
    assert "还没有测评内容" in listed and "zicha items add" in listed and "--item 01" in listed
    zicha_cli.ok("items", "add", "01.01", "党的创新理论宣传", "--archive", root)
    listed = zicha_cli.ok("items", "--archive", root).stdout
    assert "  01.01 党的创新理论宣传（0）" in listed and "还没有测评内容" not in listed


def test_items_edit_show(zicha_cli: ZichaCli, cli_archive: Path,
                         file_builder: FileBuilder) -> None:
    added = zicha_cli.ok_json("items", "add", "03.01", "志愿服务", "--criterion", "有活动记录",
                              "--archive", cli_archive)
    assert added == {"code": "03.01", "name": "志愿服务"}
    zicha_cli.ok("items", "add", "03.02", "文明交通", "--archive", cli_archive)
    (row,) = zicha_cli.ok_json("import", file_builder.image("志愿者合影.jpg"), "--item", "03.01",
                               "--archive", cli_archive)
    view = zicha_cli.ok_json(
        "edit", str(row["id"]), "--title", "学雷锋志愿服务合影",
        "--doc-number", "文明办〔2024〕5号", "--date", "2024-03-05", "--department", "团市委",
        "--type", "活动记录", "--description", "三月志愿服务",
        "--caption-place", "人民广场", "--caption-people", "志愿者",
        "--item", "03.01", "--item", "03.02", "--archive", cli_archive)
    assert view["title"] == "学雷锋志愿服务合影"
    assert view["items"] == ["03.01", "03.02"]

    shown, tree_list, report = zicha_cli.ok_json_all(
        ["show", str(row["id"]), "--archive", cli_archive], ["items", "--archive", cli_archive],
        ["verify", cli_archive])
    assert shown == view
    assert (shown["doc_number"], shown["material_date"], shown["department"]) == (
        "文明办〔2024〕5号", "2024-03-05", "团市委")
    assert shown["material_type"] == "活动记录"
    assert shown["caption"] == {"时间": "", "地点": "人民广场", "人物": "志愿者", "主题": "",
                                "背景": "", "事由": ""}
    tree = {n["code"]: n for n in tree_list}
    assert (tree["03.01"]["parent"], tree["03.01"]["criterion"]) == ("03", "有活动记录")
    assert (tree["03"]["materials"], tree["03.01"]["materials"], tree["03.02"]["materials"]) == (
        1, 1, 1)
    assert report["ok"] is True
    assert _audit_entries(report) == 5  # init, two items, import, edit
