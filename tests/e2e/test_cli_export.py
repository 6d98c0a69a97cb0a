"""`zicha export` and `zicha verify EXPORT` on a real archive whose materials went through
three real signed reviews: the bag, its layout and names, the generated documents, and the
四性检测 catching each kind of damage."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pymupdf
import pytest

from tests.conftest import ZichaCli, build_encrypted_pdf, build_reviewed_archive


@pytest.fixture(scope="session")
def _approved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("export")
    root = base / "档案"
    ids = build_reviewed_archive(root, base / "home", base / "files")
    return root, base / "home", ids


@pytest.fixture
def approved(tmp_path: Path, _approved) -> tuple[Path, dict[str, int]]:  # type: ignore[no-untyped-def]
    root, _home, ids = _approved
    copy = tmp_path / "档案"
    shutil.copytree(root, copy, symlinks=True)
    return copy, ids


@pytest.fixture(scope="session")
def _exported_folder(tmp_path_factory: pytest.TempPathFactory, _approved) -> Path:  # type: ignore[no-untyped-def]
    root, _home, _ids = _approved
    base = tmp_path_factory.mktemp("folder-export")
    work = base / "档案"
    shutil.copytree(root, work, symlinks=True)
    out = base / "申报材料"
    ZichaCli(base, base).ok("export", out, "--folder", "--archive", work)
    return out


@pytest.fixture
def folder_export(tmp_path: Path, _exported_folder: Path) -> Path:
    copy = tmp_path / "申报材料"
    shutil.copytree(_exported_folder, copy, symlinks=True)
    return copy


def export_ok(cli: ZichaCli, *args: str | Path) -> dict:  # type: ignore[type-arg]
    """`zicha export ARGS --json` that must pass its own 四性检测; failing checks are shown."""
    result = cli.run("export", *args, "--json")
    failed = [(c["code"], c["problems"]) for c in result.json()["verify"]["checks"]
              if not c["ok"]] if result.stdout.startswith("{") else []
    assert result.returncode == 0 and result.stderr == "", (failed, str(result))
    return result.json()


def test_export_zip_is_a_valid_bag_with_chinese_names(zicha_cli: ZichaCli, approved,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    root, ids = approved
    out = tmp_path / "吴州市网上申报材料.zip"
    result = export_ok(zicha_cli, out, "--archive", root)
    assert result["verify"]["ok"] and result["materials"] == 5 and not result["draft"]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        infos = zf.infolist()
    assert all(n.startswith("吴州市网上申报材料/") for n in names)
    assert all(i.flag_bits & 0x800 for i in infos if not i.filename.isascii())
    rel = {n.split("/", 1)[1] for n in names}
    folder = "data/01 理想信念教育/01.01 深入学习贯彻习近平新时代中国特色社会主义思想"
    assert f"{folder}/001_文明交通劝导行动方案.pdf" in rel
    assert f"{folder}/002_志愿服务活动通知.docx" in rel
    assert f"{folder}/000_测评材料提交表.docx" in rel
    photo = "data/03 文明风尚培育/03.01 规范市民文明行为/001_文明劝导活动照片.pdf"
    assert photo in rel  # a photo became a PDF page
    odd = [n for n in rel if n.startswith("data/01 理想信念教育/01.02")]
    assert odd and all("?" not in n and "：" in n for n in odd)  # full-width, Chinese kept
    assert not any("尚在初审" in n for n in rel)  # not final-approved: not exported
    assert {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt",
            "zicha/manifest.json", "zicha/audit-log.jsonl", "data/材料目录.docx",
            "data/材料目录.xlsx"} <= rel
    missing = {item["code"] for item in result["plan"]["items"] if not item["materials"]}
    assert "08.02" not in missing and result["plan"]["items"]
    [item] = [i for i in result["plan"]["items"] if i["code"] == "08.02"]
    assert item["not_ready"][0]["id"] == ids["尚在初审的工作总结"]

    # an independent BagIt validator, on the unpacked ZIP
    bagit = pytest.importorskip("bagit")
    unpacked = tmp_path / "解包"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(unpacked)
    bagit.Bag(str(unpacked / "吴州市网上申报材料")).validate()


def test_photo_becomes_a_captioned_a4_page(folder_export: Path) -> None:
    page_pdf = next(folder_export.rglob("001_文明劝导活动照片.pdf"))
    with pymupdf.open(page_pdf) as doc:
        assert doc.page_count == 1
        page = doc[0]
        assert round(page.rect.width) == 595 and round(page.rect.height) == 842
        text = page.get_text()
    assert "文明劝导活动照片" in text and "人民广场" in text


def test_catalogue_lists_every_material_in_a_real_table(folder_export: Path) -> None:
    import docx
    import openpyxl

    document = docx.Document(str(folder_export / "data/材料目录.docx"))
    [table] = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["序号", "测评内容", "材料名称", "文号", "日期", "页数", "责任单位", "审核"]
    body = "\n".join(c.text for r in table.rows[1:] for c in r.cells)
    assert "01.01-001" in body and "文明交通劝导行动方案" in body
    assert "终审 终审丁 ✓" in body
    sheet = openpyxl.load_workbook(folder_export / "data/材料目录.xlsx")["材料目录"]
    assert sheet.freeze_panes == "A2"
    assert any(row[2] == "垃圾分类宣传照片" for row in sheet.iter_rows(values_only=True))


def test_verify_passes_and_writes_a_docx_report(zicha_cli: ZichaCli, folder_export: Path,
                                                tmp_path: Path) -> None:
    report = zicha_cli.ok_json("verify", folder_export, "--report", tmp_path / "检测报告.docx")
    assert report["ok"] and {c["property"] for c in report["checks"]} == {
        "真实性", "完整性", "可用性", "安全性"}
    import docx

    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "检测报告.docx")).paragraphs)
    assert "四性检测" in text and "通过" in text


# -- the 四性检测 catches damage, and names the file ---------------------------------------------


def _rewrite_manifests(bag: Path) -> None:
    """Recompute the manifests (SHA-256 and SM3) and the tag manifests after a deliberate
    change, so only the check under test can notice it."""
    lines, national = [], {}
    for path in sorted(p for p in (bag / "data").rglob("*") if p.is_file()):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  "
                     f"{path.relative_to(bag).as_posix()}\n")
        national[path.relative_to(bag).as_posix()] = _sm3(path.read_bytes())
    (bag / "manifest-sha256.txt").write_text("".join(lines), encoding="utf-8")
    (bag / "manifest-sm3.txt").write_text("".join(f"{d}  {p}\n" for p, d in national.items()),
                                          encoding="utf-8")
    doc = json.loads((bag / "zicha/manifest.json").read_text(encoding="utf-8"))
    by_path = {f["path"]: f for f in doc["files"]}
    files = []
    for line in lines:
        sha, path = line.split("  ", 1)
        entry = by_path.get(path.strip(), {"path": path.strip(), "role": "material"})
        files.append({**entry, "sha256": sha, "sm3": national[path.strip()],
                      "size": (bag / path.strip()).stat().st_size})
    doc["files"] = files
    (bag / "zicha/manifest.json").write_text(json.dumps(doc, ensure_ascii=False),
                                             encoding="utf-8")
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sm3.txt",
            "zicha/manifest.json", "zicha/audit-log.jsonl"]
    total = sum((bag / p.split("  ", 1)[1].strip()).stat().st_size for p in lines)
    info = (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    info = [f"Payload-Oxum: {total}.{len(lines)}" if line.startswith("Payload-Oxum") else line
            for line in info]
    (bag / "bag-info.txt").write_text("\n".join(info) + "\n", encoding="utf-8")
    (bag / "tagmanifest-sha256.txt").write_text("".join(
        f"{hashlib.sha256((bag / t).read_bytes()).hexdigest()}  {t}\n" for t in tags),
        encoding="utf-8")
    (bag / "tagmanifest-sm3.txt").write_text("".join(
        f"{_sm3((bag / t).read_bytes())}  {t}\n" for t in tags), encoding="utf-8")


def _sm3(data: bytes) -> str:
    h = hashlib.new("sm3")
    h.update(data)
    return h.hexdigest()


def _failed(cli: ZichaCli, bag: Path, code: str, *needles: str) -> None:
    result = cli.run("verify", bag, "--json")
    assert result.returncode == 1, str(result)
    assert "未通过四性检测" in result.stderr
    checks = {c["code"]: c for c in result.json()["checks"]}
    problems = "\n".join(checks[code]["problems"])
    assert not checks[code]["ok"] and all(n in problems for n in needles), problems


def test_a_flipped_byte_is_caught(zicha_cli: ZichaCli, folder_export: Path) -> None:
    target = next((folder_export / "data/01 理想信念教育").rglob("001_*.pdf"))
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    _failed(zicha_cli, folder_export, "2-7", "001_文明交通劝导行动方案.pdf", "哈希不符")


def test_a_flipped_byte_inside_a_zip_is_caught(zicha_cli: ZichaCli, approved,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    root, _ids = approved
    out = tmp_path / "包.zip"
    zicha_cli.ok("export", out, "--archive", root)
    damaged = tmp_path / "改动.zip"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("002_志愿服务活动通知.docx"):
                data = data[:-30] + bytes([data[-30] ^ 0xFF]) + data[-29:]
            zout.writestr(info, data)
    _failed(zicha_cli, damaged, "2-7", "002_志愿服务活动通知.docx")


def test_a_missing_file_is_caught(zicha_cli: ZichaCli, folder_export: Path) -> None:
    next(folder_export.rglob("001_文明劝导活动照片.pdf")).unlink()
    _failed(zicha_cli, folder_export, "2-7", "001_文明劝导活动照片.pdf", "缺失")


def test_an_extra_file_is_caught(zicha_cli: ZichaCli, folder_export: Path) -> None:
    (folder_export / "data/03 文明风尚培育/说明.txt").write_text("后加的", encoding="utf-8")
    _failed(zicha_cli, folder_export, "2-7", "说明.txt", "多出")


def test_a_forged_signature_is_caught(zicha_cli: ZichaCli, folder_export: Path) -> None:
    doc = json.loads((folder_export / "zicha/manifest.json").read_text(encoding="utf-8"))
    decision = doc["materials"][0]["decisions"][-1]
    decision["payload"] = decision["payload"].replace("同意", "同意。")
    decision["hash"] = hashlib.sha256(decision["payload"].encode()).hexdigest()
    (folder_export / "zicha/manifest.json").write_text(json.dumps(doc, ensure_ascii=False),
                                                       encoding="utf-8")
    _rewrite_manifests(folder_export)
    _failed(zicha_cli, folder_export, "1-1", f"材料 #{doc['materials'][0]['id']}", "无法验证")


def test_a_gap_in_the_numbering_is_caught(zicha_cli: ZichaCli, folder_export: Path) -> None:
    second = next(folder_export.rglob("002_志愿服务活动通知.docx"))
    second.rename(second.with_name("003_志愿服务活动通知.docx"))
    _rewrite_manifests(folder_export)
    _failed(zicha_cli, folder_export, "2-6", "01.01", "空号 2")


def test_an_encrypted_pdf_is_caught(zicha_cli: ZichaCli, folder_export: Path,
                                    tmp_path: Path) -> None:
    target = next(folder_export.rglob("001_文明交通劝导行动方案.pdf"))
    target.write_bytes(build_encrypted_pdf(tmp_path / "加密.pdf").read_bytes())
    _rewrite_manifests(folder_export)
    _failed(zicha_cli, folder_export, "4-1", "001_文明交通劝导行动方案.pdf", "加密")


@pytest.mark.parametrize(("cut", "needle"), [
    (lambda data: data[:len(data) * 2 // 3], "无法打开"),  # MuPDF cannot make a PDF of it
    (lambda data: data[:-24], "截断"),  # it still opens: only its end is gone
], ids=["two-thirds-kept", "end-cut-off"])
def test_a_pdf_cut_short_fails_usability(zicha_cli: ZichaCli, folder_export: Path,
                                         cut, needle: str) -> None:  # type: ignore[no-untyped-def]
    """Its manifests rewritten to match, only 可用性 can tell the file is incomplete."""
    target = next(folder_export.rglob("001_文明交通劝导行动方案.pdf"))
    target.write_bytes(cut(target.read_bytes()))
    _rewrite_manifests(folder_export)
    _failed(zicha_cli, folder_export, "3-4", "001_文明交通劝导行动方案.pdf", needle)


def test_a_pdf_with_a_broken_image_fails_usability(zicha_cli: ZichaCli, folder_export: Path,
                                                   tmp_path: Path) -> None:
    """The photo page's JPEG loses its second half; the PDF around it stays well formed."""
    target = next(folder_export.rglob("001_文明劝导活动照片.pdf"))
    with pymupdf.open(target) as doc:
        [xref] = [x for x in range(1, doc.xref_length())
                  if doc.xref_get_key(x, "Subtype") == ("name", "/Image")]
        assert doc.xref_get_key(xref, "Filter") == ("name", "/DCTDecode")
        raw = doc.xref_stream_raw(xref)
        doc.update_stream(xref, raw[:len(raw) // 2], compress=False)
        doc.xref_set_key(xref, "Filter", "/DCTDecode")
        doc.save(tmp_path / "坏图.pdf")
    shutil.copyfile(tmp_path / "坏图.pdf", target)
    _rewrite_manifests(folder_export)
    _failed(zicha_cli, folder_export, "3-4", "001_文明劝导活动照片.pdf", "JPEG", "不完整")
    result = zicha_cli.run("verify", folder_export, "--full", "--json")
    checks = {c["code"]: c for c in result.json()["checks"]}
    assert result.returncode == 1 and not checks["3-4"]["ok"]


# -- drafts and refusals ------------------------------------------------------------------------


def test_all_stages_makes_a_marked_draft(zicha_cli: ZichaCli, approved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ids = approved
    out = tmp_path / "草稿"
    result = export_ok(zicha_cli, out, "--folder", "--all-stages", "--archive", root)
    assert result["draft"] and result["materials"] == 6
    assert "Zicha-Export: draft" in (out / "bag-info.txt").read_text(encoding="utf-8")
    assert any("尚在初审" in p.name for p in out.rglob("*.pdf"))
    report = zicha_cli.ok_json("verify", out)
    assert report["draft"] and report["ok"]


def test_refusals_leave_nothing_behind(zicha_cli: ZichaCli, approved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ids = approved
    taken = tmp_path / "已有.zip"
    taken.write_bytes(b"keep me")
    cases = [
        (["export", taken], "已存在"),
        (["export", tmp_path / "无此文件夹" / "x.zip"], "不存在"),
        (["export", tmp_path / "x.tar"], ".zip"),
        (["export", tmp_path / "y.zip", "--template", "{材料名称}"], "{序号}"),
        (["export", tmp_path / "z.zip", "--template", "{序号}_{题名}"], "{题名}"),
        (["export", tmp_path / "w.zip", "--evaluation-date", "2024年8月"], "YYYY-MM-DD"),
    ]
    before = sorted(p.name for p in tmp_path.iterdir())
    for args, needle in cases:
        result = zicha_cli.run(*args, "--archive", root)
        assert result.returncode != 0 and needle in result.stderr, str(result)
    assert taken.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_preview_flags_dates_outside_the_window(zicha_cli: ZichaCli, approved) -> None:  # type: ignore[no-untyped-def]
    root, _ids = approved
    plan = zicha_cli.ok_json("export", "unused.zip", "--preview", "--archive", root,
                             "--evaluation-date", "2026-08-01")
    flags = [f for item in plan["items"] for m in item["materials"] for f in m["flags"]]
    assert flags and all("2024-05-20 不在测评时限 2025-07-01 至 2026-07-01 内" in f
                         for f in flags)


def test_nothing_approved_is_refused(zicha_cli: ZichaCli, cli_archive: Path,
                                     tmp_path: Path) -> None:
    result = zicha_cli.run("export", tmp_path / "空.zip", "--archive", cli_archive)
    assert result.returncode == 1 and "没有可导出" in result.stderr
    assert not (tmp_path / "空.zip").exists()


def test_an_item_with_tasks_but_no_material_fails_completeness(zicha_cli: ZichaCli, approved,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    import datetime as dt

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.models import Task
    from desktop.core.ledger.tasks import task_list_record
    from desktop.core.review.roster import department_named

    root, _ids = approved
    now = dt.datetime(2024, 6, 1)
    with Archive.open(root) as archive, archive.write("测试") as (session, _log):
        dept = department_named(session, "市教育局")
        listed = task_list_record(session).id
        session.add(Task(list_id=listed, node_code="01.02", department_id=dept.id, role="lead",
                         requirement="", material_requirement="", responsible="",
                         deadline_kind="none", deadline_text="", source="test", closed_by="",
                         closed_reason="",
                         created_at=now, updated_at=now))
        session.add(Task(list_id=listed, node_code="04", department_id=dept.id, role="lead",
                         requirement="", material_requirement="", responsible="",
                         deadline_kind="none", deadline_text="", source="test", closed_by="",
                         closed_reason="",
                         created_at=now, updated_at=now))
    out = tmp_path / "导出"
    result = zicha_cli.run("export", out, "--folder", "--archive", root)
    assert result.returncode == 1 and "未通过四性检测" in result.stderr
    _failed(zicha_cli, out, "2-9", "04 教育科技进步：有 1 项任务，但没有可导出的材料")
    checks = {c["code"]: c for c in zicha_cli.run("verify", out, "--json").json()["checks"]}
    assert not any("01.02" in p for p in checks["2-9"]["problems"])  # it has material


# -- SM3 (GB/T 32905-2016) beside SHA-256 -------------------------------------------------------

def test_sm3_manifests_beside_sha256(zicha_cli: ZichaCli, folder_export: Path) -> None:
    """manifest-sm3.txt lists every payload file with its SM3, tagmanifest-sm3.txt every tag
    file, manifest.json carries each file's sm3; bagit-python still validates the bag."""
    national = dict(reversed(line.split("  ", 1)) for line in
                    (folder_export / "manifest-sm3.txt").read_text(encoding="utf-8")
                    .splitlines())
    payload = sorted(p.relative_to(folder_export).as_posix()
                     for p in (folder_export / "data").rglob("*") if p.is_file())
    assert sorted(national) == payload
    for name in payload:
        assert national[name] == _sm3((folder_export / name).read_bytes())
    doc = json.loads((folder_export / "zicha/manifest.json").read_text(encoding="utf-8"))
    assert all(f["sm3"] == national[f["path"]] for f in doc["files"])
    tags = dict(reversed(line.split("  ", 1)) for line in
                (folder_export / "tagmanifest-sm3.txt").read_text(encoding="utf-8")
                .splitlines())
    assert {"bagit.txt", "manifest-sha256.txt", "manifest-sm3.txt", "zicha/manifest.json"} \
        <= set(tags)
    assert all(d == _sm3((folder_export / t).read_bytes()) for t, d in tags.items())
    bagit = pytest.importorskip("bagit")
    bagit.Bag(str(folder_export)).validate()


def test_a_wrong_sm3_is_found(zicha_cli: ZichaCli, folder_export: Path) -> None:
    """One SM3 line changed (the SHA-256 manifests untouched and consistent): verify names
    the file; a changed tag file is found by the SM3 tag manifest too."""
    manifest = folder_export / "manifest-sm3.txt"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    digest, name = lines[0].split("  ", 1)
    lines[0] = f"{'0' * 64}  {name}"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _failed(zicha_cli, folder_export, "2-7", name, "SM3")
    _failed(zicha_cli, folder_export, "1-14", "manifest-sm3.txt", "tagmanifest-sm3.txt")


def test_text_files_are_set_on_pages(zicha_cli: ZichaCli, cli_archive: Path,
                                     tmp_path: Path) -> None:
    """A 情况说明 kept as .txt (GBK from a Windows Notepad, or UTF-8 Markdown) is not an upload
    format: the export sets it on A4 pages, so the bag passes its own 四性检测 3-3."""
    gbk = tmp_path / "情况说明.txt"
    gbk.write_bytes("关于开展志愿服务活动的情况说明\r\n第二行：活动共计三次。\r\n".encode("gbk"))
    long = tmp_path / "工作总结.md"
    paragraph = "第{}段：新时代文明实践站开展理论宣讲。"
    long.write_text("\n".join(paragraph.format(n) * 3 for n in range(1, 121)), encoding="utf-8")
    zicha_cli.ok("import", gbk, long, "--item", "01", "--no-ocr", "--archive", cli_archive)
    out = tmp_path / "草稿"
    export_ok(zicha_cli, out, "--folder", "--all-stages", "--archive", cli_archive)
    manifest = json.loads((out / "zicha" / "manifest.json").read_text(encoding="utf-8"))
    actions = {Path(f["path"]).name: f["action"] for f in manifest["files"]
               if f["role"] == "material"}
    assert actions == {"001_情况说明.pdf": "text_pdf", "002_工作总结.pdf": "text_pdf"}, actions
    folder = next(out.glob("data/01 *"))
    with pymupdf.open(folder / "001_情况说明.pdf") as doc:
        text = doc[0].get_text()
    assert "情况说明" in text and "第二行：活动共计三次。" in text
    with pymupdf.open(folder / "002_工作总结.pdf") as doc:
        assert doc.page_count >= 3
        whole = "".join(page.get_text() for page in doc)
    assert "第120段" in whole.replace("\n", "")
    assert not list((out / "data").rglob("*.txt")) and not list((out / "data").rglob("*.md"))


def test_full_verify_reads_every_page(zicha_cli: ZichaCli, folder_export: Path,
                                      cli_archive: Path) -> None:
    report = zicha_cli.ok_json("verify", folder_export, "--full")
    assert report["ok"]
    refused = zicha_cli.run("verify", cli_archive, "--full")
    assert refused.returncode != 0 and "--full 只用于检查导出包" in refused.stderr
