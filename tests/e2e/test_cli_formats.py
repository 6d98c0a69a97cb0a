"""Every kind of file an office keeps, through the zicha command: imported (the kind read from
the content, a mismatched extension named), its text searched, exported and checked.

The files are the committed fixtures under tests/fixtures/formats, written by the programs
that write those formats (LibreOffice, ffmpeg, libheif, OFD writers, 7-Zip, Info-ZIP, Apache
POI's test mail; each folder's README.md says how)."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from desktop.demo.samples import make_docx, make_pdf
from tests.conftest import ZichaCli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"

# file in the import folder: (fixture, kind read from the content, a word of its text or "")
CASES: dict[str, tuple[str, str, str]] = {
    "档案安全检查通知.doc": ("legacy/tongzhi.doc", "doc", "县直各单位"),
    "档案安全检查通知（WPS）.wps": ("legacy/tongzhi.doc", "doc", "县直各单位"),
    "经费台账.xls": ("legacy/taizhang.xls", "xls", "库房改造"),
    "经费台账（WPS）.et": ("legacy/taizhang.xls", "xls", "库房改造"),
    "工作汇报.ppt": ("legacy/jianbao.ppt.gz", "ppt", "单套制"),
    "工作汇报（WPS）.dps": ("legacy/jianbao.ppt.gz", "ppt", "单套制"),
    "汇报.pptx": ("markup/汇报.pptx", "pptx", "自查八十项"),
    "报送通知.rtf": ("markup/WPS风格.rtf", "rtf", "文明实践站"),
    "自查通知.odt": ("markup/通知.odt", "odt", "迎检"),
    "任务清单.ods": ("markup/台账.ods", "ods", "未成年人思想道德建设"),
    "汇报.odp": ("markup/汇报.odp", "odp", "自查八十项"),
    "政府网页.html": ("markup/政府网页.html", "html", "文明单位"),
    "报送函.eml": ("markup/报送函.eml", "eml", "学雷锋"),
    "來信.msg": ("markup/poi-chinese-traditional.msg", "msg", "張毓倫"),
    "通知.epub": ("markup/通知.epub", "epub", "定人员"),
    "名单.csv": ("markup/名单.csv", "csv", "李建国"),
    "名单.tsv": ("markup/名单.tsv", "tsv", "陈晓梅"),
    "整理说明.md": ("markup/说明.md", "markdown", "序号"),
    "创文指挥部通知.ofd": ("ofd/notice_easyofd.ofd", "ofd", "定要求"),
    "手机照片.heic": ("media/photo.heic", "heic", ""),
    "网页图片.webp": ("media/photo.webp", "webp", ""),
    "扫描件.bmp": ("media/photo.bmp", "bmp", ""),
    "动图.gif": ("media/animated.gif", "gif", ""),
    "活动视频.mp4": ("media/clip.mp4", "mp4", ""),
    "手机视频.mov": ("media/clip.mov", "mov", ""),
    "监控录像.avi": ("media/clip.avi", "avi", ""),
    "宣传片.mkv": ("media/clip.mkv", "mkv", ""),
    "网络视频.flv": ("media/clip.flv", "flv", ""),
    "老视频.wmv": ("media/clip.wmv", "wmv", ""),
    "会议录音.mp3": ("media/tone.mp3", "mp3", ""),
    "录音.wav": ("media/tone.wav", "wav", ""),
    "录音.m4a": ("media/tone.m4a", "m4a", ""),
    "电话录音.amr": ("media/tone.amr", "amr", ""),
    "材料包.zip": ("archives/windows-explorer-gbk.zip", "zip", ""),
    "材料包.7z": ("archives/chinese.7z", "7z", ""),
}


def _place(folder: Path, name: str, fixture: str) -> None:
    source = FIXTURES / fixture
    data = gzip.decompress(source.read_bytes()) if source.suffix == ".gz" else \
        source.read_bytes()
    if "（WPS）" in name:
        # WPS itself cannot run here: its twin is the same Word/Excel/PowerPoint 97 file, one
        # unused sector longer so that it is not the first one's duplicate
        data += bytes(512)
    (folder / name).write_bytes(data)


class Imported:
    def __init__(self, cli: ZichaCli, root: Path, rows: list[dict[str, Any]]) -> None:
        self.cli, self.root = cli, root
        self.rows = {Path(r["path"]).name: r for r in rows}

    def show(self, name: str) -> dict[str, Any]:
        return self.cli.ok_json("show", self.rows[name]["id"], "--archive", self.root)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    base = tmp_path_factory.mktemp("formats")
    cli = ZichaCli(base, base)
    root = base / "档案"
    cli.ok("init", "--archive", root)
    files = base / "材料"
    files.mkdir()
    for name, (fixture, _kind, _word) in CASES.items():
        _place(files, name, fixture)
    # what the extension says is not what the content is: filed by content, the mismatch named
    make_docx(files / "伪装的文字文件.wps", "关于表彰文明家庭的决定",
              ["授予十户家庭文明家庭称号。"])
    make_pdf(files / "其实是PDF.doc", "学雷锋志愿服务月活动方案", ["组织志愿者开展便民服务。"])
    (files / "未知格式.dat").write_bytes(b"\x13\x37" + bytes(range(256)) * 4)
    rows = cli.ok_json("import", files, "--item", "01", "--no-ocr", "--archive", root)
    return Imported(cli, root, rows)


def test_every_file_is_stored(imported: Imported) -> None:
    assert {name: row["status"] for name, row in imported.rows.items()} == {
        name: "stored" for name in imported.rows}
    assert len(imported.rows) == len(CASES) + 3


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_kind_is_read_from_the_content(imported: Imported, name: str) -> None:
    [file] = imported.show(name)["files"]
    assert file["kind"] == CASES[name][1]
    assert file["filename"] == name


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[2]))
def test_the_text_is_searchable(imported: Imported, name: str) -> None:
    word = CASES[name][2]
    hits = imported.cli.ok_json("search", word, "--archive", imported.root)
    assert imported.rows[name]["id"] in [hit["id"] for hit in hits], word


def test_a_mismatched_extension_is_named_and_filed_by_content(imported: Imported) -> None:
    wps = imported.rows["伪装的文字文件.wps"]
    assert wps["reason"].startswith("扩展名 .wps，内容是 DOCX")
    assert imported.show("伪装的文字文件.wps")["files"][0]["kind"] == "docx"
    doc = imported.rows["其实是PDF.doc"]
    assert doc["reason"].startswith("扩展名 .doc，内容是 PDF")
    assert imported.show("其实是PDF.doc")["files"][0]["kind"] == "pdf"
    assert "表彰文明家庭" in imported.show("伪装的文字文件.wps")["title"]


def test_an_unknown_file_is_kept_and_says_so(imported: Imported) -> None:
    row = imported.rows["未知格式.dat"]
    assert row["status"] == "stored" and "无法识别" in row["reason"]
    assert imported.show("未知格式.dat")["files"][0]["kind"] == "other"


def test_an_archive_filed_whole_says_how_to_unpack_it(imported: Imported, tmp_path: Path) -> None:
    assert "解压导入" in imported.rows["材料包.zip"]["reason"]
    assert imported.rows["材料包.zip"]["kind"] == "zip"
    again = tmp_path / "另一个包.zip"
    with zipfile.ZipFile(again, "w") as zf:
        zf.writestr("说明.txt", "另一份说明")
    shown = imported.cli.ok("import", again, "--item", "01", "--no-ocr",
                            "--archive", imported.root)
    assert "请加 --unpack 再导入一次" in shown.stdout


def test_a_photo_brings_its_shooting_time_and_place(imported: Imported) -> None:
    shown = imported.show("手机照片.heic")
    assert shown["material_type"] == "图片"
    assert shown["caption"]["时间"].startswith("20") and "年" in shown["caption"]["时间"]
    assert shown["material_date"] and shown["caption"]["时间"].startswith(
        shown["material_date"][:4])
    assert "GPS" in shown["description"]


def test_a_video_is_a_video(imported: Imported) -> None:
    assert imported.show("活动视频.mp4")["material_type"] == "视频"


def test_export_and_check_of_every_format(imported: Imported, tmp_path: Path) -> None:
    """A draft export whose rules allow every kind: OFD and photos become PDF, the rest go as
    they are, and the export's own 四性检测 opens every one of them."""
    kinds = sorted({case[1] for case in CASES.values()} | {"pdf", "docx", "other"})
    out = tmp_path / "全部格式.zip"
    result = imported.cli.ok_json("export", out, "--all-stages", "--formats", ",".join(kinds),
                                  "--archive", imported.root)
    failed = [(c["code"], c["problems"]) for c in result["verify"]["checks"] if c["problems"]]
    assert failed == []
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read(next(n for n in zf.namelist()
                                           if n.endswith("manifest.json"))))
    actions = {f["source_name"]: f["action"] for f in manifest["files"]
               if f.get("role") == "material"}
    assert actions["创文指挥部通知.ofd"] == "ofd_pdf"
    assert actions["手机照片.heic"] == "image_pdf"
    assert actions["活动视频.mp4"] == actions["经费台账.xls"] == "copy"
    again = imported.cli.run("verify", out)
    assert again.returncode == 0, str(again)


def test_default_rules_flag_what_the_platform_does_not_take(imported: Imported) -> None:
    preview = imported.cli.ok_json("export", "--preview", "--all-stages", "--archive",
                                   imported.root)
    flags = [flag for item in preview["items"] for m in item["materials"] for flag in m["flags"]]
    assert any("经费台账.xls" in f and "LibreOffice" in f for f in flags)
    assert any("宣传片.mkv" in f and "MP4" in f for f in flags)
    assert not any("活动视频.mp4" in f for f in flags)
    assert not any("创文指挥部通知.ofd" in f for f in flags)  # OFD becomes PDF


def test_unpack_imports_the_files_of_a_windows_zip_with_their_chinese_names(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    source = tmp_path / "各单位报送.zip"
    shutil.copyfile(FIXTURES / "archives/windows-explorer-gbk.zip", source)
    rows = zicha_cli.ok_json("import", source, "--unpack", "--item", "01", "--no-ocr",
                             "--archive", cli_archive)
    names = sorted(r["path"].split(" › ", 1)[1] for r in rows)
    assert names == ["创文材料/会议纪要.txt", "创文材料/淺談創文工作.txt",
                     "创文材料/照片说明/说明.txt", "责任清单.txt"]
    assert {r["status"] for r in rows} == {"stored"}
    hits = zicha_cli.ok_json("search", "会议纪要", "--archive", cli_archive)
    assert [h["title"] for h in hits] == ["会议纪要"]


def test_unpack_refuses_unsafe_members_and_keeps_the_rest(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    source = tmp_path / "可疑.zip"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("../越界.txt", "不应写到解压目录之外")
        zf.writestr("/etc/绝对路径.txt", "绝对路径")
        zf.writestr("正常文件.txt", "这是一份正常的活动记录")
    result = zicha_cli.run("import", source, "--unpack", "--item", "01", "--no-ocr", "--json",
                           "--archive", cli_archive)
    assert result.returncode == 1  # something was refused: the exit code says so
    rows = {r["path"].split(" › ", 1)[1]: r for r in result.json()}
    assert rows["正常文件.txt"]["status"] == "stored"
    refused = [r for name, r in rows.items() if name != "正常文件.txt"]
    assert len(refused) == 2 and all(r["status"] == "refused" and r["reason"] for r in refused)
    assert not (tmp_path / "越界.txt").exists()


def test_unpack_refuses_a_bomb_whole(zicha_cli: ZichaCli, cli_archive: Path,
                                     tmp_path: Path) -> None:
    source = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("零.txt", bytes(300 * 1024 * 1024))
    result = zicha_cli.run("import", source, "--unpack", "--item", "01", "--json",
                           "--archive", cli_archive)
    assert result.returncode == 1
    [row] = result.json()
    assert row["status"] == "refused" and "炸弹" in row["reason"]
    assert zicha_cli.ok_json("list", "--archive", cli_archive) == []
