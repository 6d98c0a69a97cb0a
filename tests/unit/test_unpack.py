"""unpack: the archives departments send (ZIP with GBK or UTF-8 names, 7z, RAR) written into a
new folder; unsafe members refused one by one, bombs and encrypted archives refused whole."""

from __future__ import annotations

import errno
import io
import os
import stat
import struct
import time
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.common import limits
from desktop.core.common.atomic import WriteFailed
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Cancelled, Progress
from desktop.core.materials import unpack as up
from desktop.core.materials.detect import Refused
from desktop.core.materials.unpack import (
    ENCRYPTED,
    NO_RAR_TOOL,
    UnpackRefused,
    archive_kind,
    decode_name,
    list_members,
    member_name,
    unpack,
    unpack_tool_available,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "formats" / "archives"
TREE = {
    "创文材料/会议纪要.txt": "全国文明城市创建工作会议纪要",
    "创文材料/照片说明/说明.txt": "志愿服务活动照片共十二张",
    "责任清单.txt": "创文工作责任清单",
}


def _files(dest: Path) -> dict[str, bytes]:
    return {p.relative_to(dest).as_posix(): p.read_bytes()
            for p in sorted(dest.rglob("*")) if p.is_file()}


def _leftovers(parent: Path, dest: Path) -> list[str]:
    """What is in `parent` besides the archives the test made: nothing when unpack cleaned up."""
    return sorted(p.name for p in parent.iterdir()
                  if p.suffix not in (".zip", ".7z", ".rar") and p != dest)


def _zip(path: Path, members: Sequence[tuple[str | zipfile.ZipInfo, bytes]],
         method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names: that is the point
        with zipfile.ZipFile(path, "w", method) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def _patch(path: Path, index: int, *, flags: int | None = None, size: int | None = None,
           attr: int | None = None) -> None:
    """Change member `index`'s fields in the central directory and its local header, the way
    a hostile or broken program would have written them."""
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    count, _, cd_offset = struct.unpack("<HII", data[at + 10:at + 20])
    pos = cd_offset
    for i in range(count):
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28:pos + 34])
        if i == index:
            local = struct.unpack("<I", data[pos + 42:pos + 46])[0]
            if flags is not None:
                struct.pack_into("<H", data, pos + 8, flags)
                struct.pack_into("<H", data, local + 6, flags)
            if size is not None:
                struct.pack_into("<I", data, pos + 24, size)
                struct.pack_into("<I", data, local + 22, size)
            if attr is not None:
                struct.pack_into("<I", data, pos + 38, attr)
        pos += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))


def _refused(path: Path, kind: str, dest: Path, *, nested: bool = False) -> UnpackRefused:
    with pytest.raises(UnpackRefused) as err:
        unpack(path, kind, dest, nested=nested)
    message = str(err.value)
    assert message and "\n" not in message and "Traceback" not in message
    assert not dest.exists()
    assert _leftovers(dest.parent, dest) == []
    return err.value


# -- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["windows-explorer-gbk.zip", "infozip-gbk.zip",
                                     "infozip-utf8-unflagged.zip", "7zip-utf8-flagged.zip",
                                     "chinese.7z"])
def test_fixtures_unpack_with_their_chinese_names(fixture: str, tmp_path: Path) -> None:
    kind = "7z" if fixture.endswith(".7z") else "zip"
    dest = tmp_path / "材料"
    result = unpack(FIXTURES / fixture, kind, dest)
    found = _files(dest)
    expected = {n: w for n, w in TREE.items() if fixture != "infozip-gbk.zip" or "责任" not in n}
    for name, word in expected.items():
        assert word in found[name].decode("utf-8"), name
    assert {f.name for f in result.files} >= set(expected)
    assert all(f.path.is_file() and f.path.parent.is_relative_to(dest) for f in result.files)
    assert all(f.size == f.path.stat().st_size for f in result.files)
    assert result.refused == ()
    assert [m.name for m in list_members(FIXTURES / fixture, kind) if m.type == "file"] == [
        f.name for f in result.files]


def test_windows_name_whose_second_byte_is_a_backslash(tmp_path: Path) -> None:
    # 淺 is 9C 5C in GBK: read as bytes then split on "\" it would become two folders
    result = unpack(FIXTURES / "windows-explorer-gbk.zip", "zip", tmp_path / "out")
    assert "创文材料/淺談創文工作.txt" in {f.name for f in result.files}
    assert "繁体字" in (tmp_path / "out/创文材料/淺談創文工作.txt").read_text(encoding="utf-8")


def test_windows_layout_is_what_explorer_writes() -> None:
    with zipfile.ZipFile(FIXTURES / "windows-explorer-gbk.zip") as zf:
        for info in zf.infolist():
            assert info.flag_bits & 0x800 == 0 and info.extra == b""
            assert info.create_system == 0
            raw = info.orig_filename.encode("cp437")
            assert member_name(info) == raw.decode("gbk")


def test_unflagged_utf8_is_not_read_as_gbk() -> None:
    # Info-ZIP zip on Linux writes UTF-8 without bit 11; the same bytes are valid GBK too
    with zipfile.ZipFile(FIXTURES / "infozip-utf8-unflagged.zip") as zf:
        info = next(i for i in zf.infolist() if i.orig_filename.endswith(".txt"))
    raw = info.orig_filename.encode("cp437")
    assert info.flag_bits & 0x800 == 0
    raw.decode("gb18030")  # no error: GBK-first would garble it
    assert member_name(info) == raw.decode("utf-8")


def test_unicode_path_extra_field_used_when_its_crc_matches() -> None:
    with zipfile.ZipFile(FIXTURES / "unicode-path-extra.zip") as zf:
        names = [member_name(i) for i in zf.infolist()]
    # the second entry's field is stale (旧名称.txt, CRC of another name): the GBK name wins
    assert names == ["创文材料/会议纪要.txt", "责任清单.txt"]


def _with_unicode_path(raw: bytes, name: str, crc: int | None = None,
                       payload: bytes | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(raw.decode("cp437"))
    body = payload if payload is not None else name.encode("utf-8")
    data = b"\x01" + struct.pack("<I", zlib.crc32(raw) if crc is None else crc) + body
    info.extra = struct.pack("<HH", 0x5455, 1) + b"\x00" + struct.pack(
        "<HH", 0x7075, len(data)) + data
    return info


def test_unicode_path_extra_field() -> None:
    raw = b"NEWFIL~1.TXT"
    assert member_name(_with_unicode_path(raw, "新名称.txt")) == "新名称.txt"
    assert member_name(_with_unicode_path(raw, "新名称.txt", crc=1)) == "NEWFIL~1.TXT"
    assert member_name(_with_unicode_path(raw, "", payload=b"\xff\xfe")) == "NEWFIL~1.TXT"


def test_utf8_flag_wins() -> None:
    info = zipfile.ZipInfo("创文/材料.txt")
    info.flag_bits |= 0x800
    assert member_name(info) == "创文/材料.txt"


@pytest.mark.parametrize(("raw", "expected", "why"), [
    (b"report-2024.pdf", "report-2024.pdf", "ASCII"),
    ("材料汇总.pdf".encode("gbk"), "材料汇总.pdf", "GBK, not valid UTF-8"),
    ("说明.txt".encode(), "说明.txt", "UTF-8 that is also clean GBK (璇存槑)"),
    ("会议纪要.docx".encode(), "会议纪要.docx", "UTF-8, odd GBK alignment"),
    ("一为.txt".encode("gbk"), "一为.txt", "GBK that is also valid UTF-8 (һΪ, Cyrillic)"),
    ("联通.txt".encode("gbk"), "联通.txt", "the famous 联通 bytes (C1 AA CD A8)"),
    ("𠀀字.txt".encode("gb18030"), "𠀀字.txt", "GB18030 four-byte character"),
    ("中é.txt".encode(), "中é.txt", "UTF-8 with an accent, not clean GB18030"),
    # the price of trying GB18030 before UTF-8 with two-byte characters: an unflagged UTF-8
    # name in Cyrillic or with accents that happens to be clean GB18030 is read as GBK
    ("Привет.txt".encode(), "袩褉懈胁械褌.txt", "accepted: Cyrillic read as GBK"),
    (b"\x80\xff.txt", "\xc7\xa0.txt", "neither: CP437"),
])
def test_decode_name_heuristic(raw: bytes, expected: str, why: str) -> None:
    assert decode_name(raw) == expected, why


def test_rar_names_take_utf8_first() -> None:
    # RAR 2/3 from Windows always carries a Unicode name: unflagged bytes are rar on Linux
    assert decode_name("Привет.txt".encode(), utf8_first=True) == "Привет.txt"
    assert decode_name("材料.txt".encode("gbk"), utf8_first=True) == "材料.txt"


def test_ambiguous_pairs_of_common_hanzi_read_as_gbk() -> None:
    """Every pair of 200 common hanzi whose GBK bytes are also valid UTF-8 still decodes to
    the hanzi (GBK bytes form UTF-8 only as two-byte sequences: Latin/Greek/Cyrillic...)."""
    common = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
              "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
              "物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
              "相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建"
              "月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长")
    ambiguous = 0
    for a in common:
        for b in common:
            raw = (a + b).encode("gbk")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            ambiguous += 1
            assert decode_name(raw) == a + b
    assert ambiguous > 100


# -- members refused one by one ---------------------------------------------------------------

def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def test_unsafe_members_are_refused_and_nothing_lands_outside(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", [
        ("ok/好文件.txt", "正常的材料".encode()),
        ("../evil.txt", b"x"),
        ("a/../../evil2.txt", b"x"),
        ("/abs.txt", b"x"),
        ("C:\\Windows\\x.txt", b"x"),
        ("\\\\server\\share\\x.txt", b"x"),
        ("D:relative.txt", b"x"),
        ("CON.txt", b"x"),
        ("ok/nul", b"x"),
        ("ok/a\x01b.txt", b"x"),
        ("ok/a:b.txt", b"x"),
        ("ok/what?.txt", b"x"),
        (_symlink("ok/link"), b"/etc/passwd"),
        ("ok/" + "长" * 90 + ".txt", b"x"),
        ("__MACOSX/ok/._好文件.txt", b"x"),
        ("ok/.DS_Store", b"x"),
    ])
    dest = tmp_path / "out" / "dest"
    result = unpack(archive, "zip", dest)
    assert _files(dest) == {"ok/好文件.txt": "正常的材料".encode()}
    reasons = {s.name: s.reason for s in result.refused}
    assert "会写到解压文件夹以外" in reasons["../evil.txt"]
    assert "会写到解压文件夹以外" in reasons["a/../../evil2.txt"]
    assert "绝对路径" in reasons["/abs.txt"]
    assert "盘符" in reasons["C:\\Windows\\x.txt"]
    assert "绝对路径" in reasons["\\\\server\\share\\x.txt"]
    assert "盘符" in reasons["D:relative.txt"]
    assert "设备名" in reasons["CON.txt"] and "设备名" in reasons["ok/nul"]
    assert "控制字符" in reasons["ok/a\x01b.txt"]
    assert "不允许的字符" in reasons["ok/a:b.txt"] and "不允许的字符" in reasons["ok/what?.txt"]
    assert "链接" in reasons["ok/link"]
    assert "过长" in reasons["ok/" + "长" * 90 + ".txt"]
    assert "附属文件" in reasons["ok/.DS_Store"]
    assert "附属文件" in reasons["__MACOSX/ok/._好文件.txt"]
    assert len(reasons) == 15
    assert not list(tmp_path.rglob("evil*.txt")) and not (tmp_path / "abs.txt").exists()
    # list_members says the same before anything is written
    listed = {m.name: m.refused for m in list_members(archive, "zip")}
    assert listed == {"ok/好文件.txt": "", **reasons}


def test_duplicates_after_normalisation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _zip(tmp_path / "dup.zip", [
        ("报告.txt", b"first"),
        ("报告.txt", b"second"),
        ("caf\u00e9.txt", b"nfc"),
        ("cafe\u0301.txt", b"nfd"),
        ("Report.TXT", b"upper"),
        ("report.txt", b"lower"),
        ("材料", b"a file"),
        ("材料/内容.txt", b"under a file"),
    ])
    result = unpack(archive, "zip", tmp_path / "posix")
    reasons = [(s.name, s.reason) for s in result.refused]
    assert [n for n, _ in reasons] == ["报告.txt", "cafe\u0301.txt", "材料/内容.txt"]
    assert "重名" in reasons[0][1] and "重名" in reasons[1][1] and "同名" in reasons[2][1]
    assert (tmp_path / "posix/报告.txt").read_bytes() == b"first"
    # where the file system ignores case (Windows, macOS) Report.TXT and report.txt collide
    monkeypatch.setattr(up, "_FOLD_CASE", True)
    result = unpack(archive, "zip", tmp_path / "folded")
    assert "report.txt" in {s.name for s in result.refused}
    assert (tmp_path / "folded/Report.TXT").read_bytes() == b"upper"


def test_member_over_the_import_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "IMPORT_MAX_BYTES", 1000)
    archive = _zip(tmp_path / "big.zip", [("大文件.pdf", os.urandom(2000)), ("小.txt", b"ok")])
    result = unpack(archive, "zip", tmp_path / "out")
    assert [s.name for s in result.refused] == ["大文件.pdf"]
    assert "超过单个文件" in result.refused[0].reason
    assert _files(tmp_path / "out") == {"小.txt": b"ok"}


def test_one_encrypted_member_is_refused_the_rest_unpacked(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "part.zip", [("公开.txt", b"open"), ("保密.txt", b"secret")])
    _patch(archive, 1, flags=0x1)
    result = unpack(archive, "zip", tmp_path / "out")
    assert [(s.name, s.reason) for s in result.refused] == [("保密.txt", ENCRYPTED)]
    assert _files(tmp_path / "out") == {"公开.txt": b"open"}


def test_corrupt_member_is_refused_the_rest_unpacked(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "crc.zip", [("好.txt", b"good" * 100), ("坏.txt", b"bad" * 100)])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        bad = zf.getinfo("坏.txt")
        start = bad.header_offset + 30 + len(bad.orig_filename.encode("utf-8"))
    data[start + 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    result = unpack(archive, "zip", tmp_path / "out")
    assert [s.name for s in result.refused] == ["坏.txt"]
    assert "已损坏" in result.refused[0].reason
    assert _files(tmp_path / "out") == {"好.txt": b"good" * 100}


def test_member_larger_than_declared_is_cut_at_its_declared_size(tmp_path: Path) -> None:
    # zipfile yields no more than the declared size and the CRC then fails: refused as broken
    archive = _zip(tmp_path / "lie.zip", [("多.txt", os.urandom(4096)), ("ok.txt", b"ok")],
                   method=zipfile.ZIP_STORED)
    _patch(archive, 0, size=100)
    result = unpack(archive, "zip", tmp_path / "out")
    assert [s.name for s in result.refused] == ["多.txt"]
    assert _files(tmp_path / "out") == {"ok.txt": b"ok"}


def test_writer_stops_a_member_inflating_past_its_declared_size(tmp_path: Path) -> None:
    # 7z and RAR (through unrar) stream what they decode: our own count stops it
    member = up.Member("炸弹.txt", 10, 5, "file")
    entry = up._Entry(member, None)
    out = up._MemberOut(tmp_path / "x.txt", entry, up._Budget(1 << 20, Progress()), "压缩包")
    out.open()
    out.write(b"0123456789")
    with pytest.raises(UnpackRefused) as err:
        out.write(b"!")
    out.close()
    assert err.value.bomb and "超过声明" in str(err.value)


def test_budget_counts_bytes_written(tmp_path: Path) -> None:
    budget = up._Budget(100, Progress())
    budget.take(100, "压缩包")
    with pytest.raises(UnpackRefused) as err:
        budget.take(1, "压缩包")
    assert err.value.bomb


# -- archives refused whole -------------------------------------------------------------------

def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", [("零.bin", bytes(8 * limits.MB)), ("ok.txt", b"ok")])
    err = _refused(archive, "zip", tmp_path / "out")
    assert err.bomb and "压缩炸弹" in str(err) and "零.bin" in str(err)


def test_member_declared_1_gb(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "gb.zip", [("声明1G.bin", b"small"), ("ok.txt", b"ok")])
    _patch(archive, 0, size=1024**3)
    assert list_members(archive, "zip")[0].size == 1024**3
    err = _refused(archive, "zip", tmp_path / "out")
    assert err.bomb and "倍" in str(err)


def test_total_declared_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(up, "MAX_TOTAL", 3000)
    archive = _zip(tmp_path / "total.zip", [(f"{i}.bin", os.urandom(1000)) for i in range(4)])
    err = _refused(archive, "zip", tmp_path / "out")
    assert err.bomb and "上限" in str(err)


def test_20000_members(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for i in range(20_000):
            zf.writestr(f"f{i}.txt", b"")
    err = _refused(archive, "zip", tmp_path / "out")
    assert err.bomb and "20000 个成员" in str(err)
    with pytest.raises(UnpackRefused):
        list_members(archive, "zip")


def test_member_count_read_before_the_central_directory(tmp_path: Path) -> None:
    # only an end record declaring 50,000 entries: refused before zipfile reads any entry
    archive = tmp_path / "claims.zip"
    archive.write_bytes(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 50_000, 50_000, 0, 0, 0))
    err = _refused(archive, "zip", tmp_path / "out")
    assert err.bomb and "50000 个成员" in str(err)


def test_overlapping_members(tmp_path: Path) -> None:
    # the "better zip bomb": central directory entries pointing at the same data
    archive = _zip(tmp_path / "overlap.zip", [("a.bin", os.urandom(50_000))],
                   method=zipfile.ZIP_STORED)
    data = archive.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", data[end + 16:end + 20])[0]
    entry = data[cd_offset:end]
    copies = [entry.replace(b"a.bin", f"{c}.bin".encode()) for c in "abcdefgh"]
    cd = b"".join(copies)
    tail = bytearray(data[end:])
    struct.pack_into("<HHII", tail, 8, len(copies), len(copies), len(cd), cd_offset)
    archive.write_bytes(data[:cd_offset] + cd + bytes(tail))
    err = _refused(archive, "zip", tmp_path / "out")
    assert err.bomb and "重叠" in str(err)


def _inner_zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def test_zip_in_zip_left_packed_unless_asked(tmp_path: Path) -> None:
    inner = _inner_zip("内层/通知.txt", "内层的通知".encode())
    archive = _zip(tmp_path / "outer.zip", [("外层.txt", b"outer"), ("附件/材料包.zip", inner)])
    plain = unpack(archive, "zip", tmp_path / "plain")
    assert {(f.name, f.is_archive) for f in plain.files} == {
        ("外层.txt", False), ("附件/材料包.zip", True)}
    nested = unpack(archive, "zip", tmp_path / "nested", nested=True)
    assert {f.name for f in nested.files} == {"外层.txt", "附件/材料包.zip/内层/通知.txt"}
    assert _files(tmp_path / "nested") == {"外层.txt": b"outer",
                                           "附件/材料包/内层/通知.txt": "内层的通知".encode()}


def test_nesting_beyond_one_level_refuses_the_archive(tmp_path: Path) -> None:
    innermost = _inner_zip("深.txt", b"deep")
    middle = _inner_zip("中.zip", innermost)
    archive = _zip(tmp_path / "deep.zip", [("外.zip", middle)])
    err = _refused(archive, "zip", tmp_path / "out", nested=True)
    assert err.bomb and "嵌套超过一层" in str(err)
    # without nested the inner archive is just a file
    assert [f.name for f in unpack(archive, "zip", tmp_path / "flat").files] == ["外.zip"]


def test_inner_bomb_refuses_the_archive(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "outer.zip", [("炸弹.zip", _inner_zip("零", bytes(8 * limits.MB)))],
                   method=zipfile.ZIP_STORED)
    err = _refused(archive, "zip", tmp_path / "out", nested=True)
    assert err.bomb and "内层压缩包" in str(err)


def test_inner_archive_failing_midway_leaves_nothing_of_it(tmp_path: Path) -> None:
    # a 7z whose data is cut: py7zr fails after the listing, the outer archive goes on
    cut = (FIXTURES / "chinese.7z").read_bytes()
    cut = cut[:40] + bytes(len(cut) - 40 - 200) + cut[-200:]
    archive = _zip(tmp_path / "outer.zip", [("坏.7z", cut), ("ok.txt", b"ok")])
    result = unpack(archive, "zip", tmp_path / "out", nested=True)
    assert [f.name for f in result.files] == ["ok.txt"]
    assert [s.name for s in result.refused] == ["坏.7z"]
    assert _files(tmp_path / "out") == {"ok.txt": b"ok"}


def test_inner_encrypted_archive_is_listed_as_refused(tmp_path: Path) -> None:
    locked = (FIXTURES / "encrypted-zipcrypto.zip").read_bytes()
    archive = _zip(tmp_path / "outer.zip", [("加密.zip", locked), ("ok.txt", b"ok")])
    result = unpack(archive, "zip", tmp_path / "out", nested=True)
    assert [f.name for f in result.files] == ["ok.txt"]
    assert [s.name for s in result.refused] == ["加密.zip"]
    assert ENCRYPTED in result.refused[0].reason


@pytest.mark.parametrize(("fixture", "kind"), [
    ("encrypted-zipcrypto.zip", "zip"), ("encrypted-aes.zip", "zip"),
    ("encrypted.7z", "7z"), ("encrypted-names.7z", "7z")])
def test_encrypted_archives(fixture: str, kind: str, tmp_path: Path) -> None:
    err = _refused(FIXTURES / fixture, kind, tmp_path / "out")
    assert str(err) == ENCRYPTED and not err.bomb


def test_encrypted_names_cannot_be_listed() -> None:
    with pytest.raises(UnpackRefused, match="已加密"):
        list_members(FIXTURES / "encrypted-names.7z", "7z")
    listed = list_members(FIXTURES / "encrypted.7z", "7z")
    assert {m.name for m in listed if m.type == "file"} == set(TREE)
    assert all(m.encrypted and m.refused == ENCRYPTED for m in listed if m.type == "file")


@pytest.mark.parametrize("kind", ["zip", "7z", "rar"])
def test_broken_archives(kind: str, tmp_path: Path) -> None:
    source = {"zip": FIXTURES / "7zip-utf8-flagged.zip", "7z": FIXTURES / "chinese.7z"}
    broken = tmp_path / f"broken.{kind}"
    if kind == "rar":
        broken.write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40)
    else:
        broken.write_bytes(source[kind].read_bytes()[: 200])
    err = _refused(broken, kind, tmp_path / "out")
    assert "损坏" in str(err)


def test_refusals_are_zicha_errors_and_detect_refusals() -> None:
    assert issubclass(UnpackRefused, ZichaError) and issubclass(UnpackRefused, Refused)


# -- writing: all or nothing -------------------------------------------------------------------

def test_dest_must_be_new_or_empty(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full/old.txt").write_text("x")
    with pytest.raises(UnpackRefused, match="不是空的"):
        unpack(FIXTURES / "chinese.7z", "7z", tmp_path / "full")
    (tmp_path / "empty").mkdir()
    assert len(unpack(FIXTURES / "chinese.7z", "7z", tmp_path / "empty").files) == 3


def test_progress_and_cancel_leave_nothing(tmp_path: Path) -> None:
    steps: list[tuple[int, int, str]] = []
    unpack(FIXTURES / "windows-explorer-gbk.zip", "zip", tmp_path / "ok",
           Progress(lambda d, t, w: steps.append((d, t, w))))
    assert steps[0] == (0, 4, "创文材料/会议纪要.txt") and steps[-1][:2] == (4, 4)

    class CancelAtTwo(Progress):
        def step(self, done: int, total: int, what: str = "") -> None:
            if done == 2:
                self.cancel()

    progress = CancelAtTwo()
    dest = tmp_path / "cancelled"
    with pytest.raises(Cancelled):
        unpack(FIXTURES / "windows-explorer-gbk.zip", "zip", dest, progress)
    assert not dest.exists() and _leftovers(tmp_path, dest) == ["ok"]


def test_full_disk_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = up._MemberOut.write
    calls = {"n": 0}

    def failing(self: up._MemberOut, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, data)

    monkeypatch.setattr(up._MemberOut, "write", failing)
    dest = tmp_path / "out"
    with pytest.raises(WriteFailed, match="磁盘已满"):
        unpack(FIXTURES / "windows-explorer-gbk.zip", "zip", dest)
    assert not dest.exists() and _leftovers(tmp_path, dest) == []


def test_times_kept_modes_not(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("可执行.sh", (2023, 3, 4, 5, 6, 8))
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o4777) << 16
    archive = _zip(tmp_path / "modes.zip", [(info, b"#!/bin/sh\n")])
    result = unpack(archive, "zip", tmp_path / "out")
    st = result.files[0].path.stat()
    assert not st.st_mode & (stat.S_ISUID | stat.S_IXOTH)
    assert time.localtime(st.st_mtime)[:6] == (2023, 3, 4, 5, 6, 8)


# -- 7z ------------------------------------------------------------------------------------

def test_7z_symlink_member_refused(tmp_path: Path) -> None:
    py7zr = pytest.importorskip("py7zr")
    src = tmp_path / "src"
    (src / "材料").mkdir(parents=True)
    (src / "材料/通知.txt").write_text("关于创文工作的通知", encoding="utf-8")
    (src / "材料/链接").symlink_to("/etc/passwd")
    archive = tmp_path / "link.7z"
    with py7zr.SevenZipFile(archive, "w") as szf:
        szf.writeall(src / "材料", "材料")
    result = unpack(archive, "7z", tmp_path / "out")
    assert _files(tmp_path / "out") == {"材料/通知.txt": "关于创文工作的通知".encode()}
    assert [s.name for s in result.refused] == ["材料/链接"]
    assert "链接" in result.refused[0].reason


def test_7z_bomb(tmp_path: Path) -> None:
    py7zr = pytest.importorskip("py7zr")
    archive = tmp_path / "bomb.7z"
    with py7zr.SevenZipFile(archive, "w") as szf:
        szf.writestr(bytes(8 * limits.MB), "零.bin")
    err = _refused(archive, "7z", tmp_path / "out")
    assert err.bomb and "倍" in str(err)


def test_7z_traversal_and_duplicates(tmp_path: Path) -> None:
    py7zr = pytest.importorskip("py7zr")
    archive = tmp_path / "evil.7z"
    with py7zr.SevenZipFile(archive, "w") as szf:
        szf.writestr(b"good", "好.txt")
        szf.writestr(b"first", "重名.txt")
        szf.writestr(b"second", "重名.txt")
    listed = {m.name for m in list_members(archive, "7z")}
    assert listed == {"好.txt", "重名.txt"}
    result = unpack(archive, "7z", tmp_path / "out")
    assert _files(tmp_path / "out") == {"好.txt": b"good", "重名.txt": b"first"}
    assert [s.name for s in result.refused] == ["重名.txt"]


# -- RAR: no RAR can be made here (rar is non-free); a minimal RAR 5 is laid out by hand -------

def _vint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _block(kind: int, body: bytes, *, flags: int = 0, extra: bytes = b"",
           data: bytes | None = None) -> bytes:
    fields = _vint(kind)
    if extra:
        flags |= 0x01
    if data is not None:
        flags |= 0x02
    fields += _vint(flags)
    if extra:
        fields += _vint(len(extra))
    if data is not None:
        fields += _vint(len(data))
    header = fields + body + extra
    header = _vint(len(header)) + header
    return struct.pack("<I", zlib.crc32(header)) + header + (data or b"")


def _rar5(members: list[tuple[str, bytes, int, bytes]]) -> bytes:
    """A RAR 5 archive (format spec at rarlab.com/technote.htm) of (name, data, method,
    extra records); method 0 stores the data, others declare compression we cannot decode."""
    out = b"Rar!\x1a\x07\x01\x00" + _block(1, _vint(0))
    for name, data, method, extra in members:
        raw = name.encode("utf-8")
        body = (_vint(0x04) + _vint(len(data)) + _vint(0x20) + struct.pack("<I", zlib.crc32(data))
                + _vint(method << 7) + _vint(1) + _vint(len(raw)) + raw)
        out += _block(2, body, extra=extra, data=data)
    return out + _block(5, _vint(0))


def _symlink_record(target: str) -> bytes:
    body = _vint(5) + _vint(1) + _vint(0) + _vint(len(target)) + target.encode()
    return _vint(len(body)) + body


def _no_rar_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    import rarfile

    def none(*_a: object, **_k: object) -> None:
        raise rarfile.RarCannotExec("Cannot find working tool")

    monkeypatch.setattr(rarfile, "tool_setup", none)


def test_rar_listed_and_stored_members_unpacked_without_a_tool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_rar_tool(monkeypatch)
    archive = tmp_path / "材料.rar"
    archive.write_bytes(_rar5([
        ("创文材料/会议纪要.txt", "全国文明城市创建工作会议纪要".encode(), 0, b""),
        ("创文材料/链接", b"", 0, _symlink_record("/etc/passwd")),
        ("../evil.txt", b"x", 0, b""),
    ]))
    assert archive_kind(archive) == "rar"
    listed = {m.name: (m.type, m.refused) for m in list_members(archive, "rar")}
    assert listed["创文材料/会议纪要.txt"] == ("file", "")
    assert listed["创文材料/链接"][0] == "link" and "链接" in listed["创文材料/链接"][1]
    assert "以外" in listed["../evil.txt"][1]
    result = unpack(archive, "rar", tmp_path / "out")
    text = "全国文明城市创建工作会议纪要".encode()
    assert _files(tmp_path / "out") == {"创文材料/会议纪要.txt": text}
    assert {s.name for s in result.refused} == {"创文材料/链接", "../evil.txt"}


def test_rar_without_a_tool_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_rar_tool(monkeypatch)
    assert unpack_tool_available("rar") is False
    assert unpack_tool_available("zip") and unpack_tool_available("7z")
    archive = tmp_path / "压缩.rar"
    archive.write_bytes(_rar5([("通知.txt", b"\x00" * 64, 3, b"")]))
    assert [m.name for m in list_members(archive, "rar")] == ["通知.txt"]
    err = _refused(archive, "rar", tmp_path / "out")
    assert str(err) == NO_RAR_TOOL


# -- kinds, speed -----------------------------------------------------------------------------

def test_archive_kind(tmp_path: Path) -> None:
    assert archive_kind(FIXTURES / "windows-explorer-gbk.zip") == "zip"
    assert archive_kind(FIXTURES / "chinese.7z") == "7z"
    import docx as python_docx

    document = tmp_path / "文档.zip"
    python_docx.Document().save(str(document))
    assert archive_kind(document) is None  # a DOCX is a ZIP, not an archive to unpack
    renamed = tmp_path / "其实是压缩包.docx"
    renamed.write_bytes((FIXTURES / "7zip-utf8-flagged.zip").read_bytes())
    assert archive_kind(renamed) == "zip"  # by the content, whatever the name says
    (tmp_path / "t.txt").write_text("text")
    assert archive_kind(tmp_path / "t.txt") is None
    with pytest.raises(ValueError):
        list_members(FIXTURES / "chinese.7z", "tar")


def test_unpack_speed_of_20_mb_of_pdfs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    pdfs = []
    for i in range(42):
        doc = pymupdf.open()
        page = doc.new_page()
        page.insert_text((72, 72), f"Document {i}")
        doc.embfile_add("scan.bin", os.urandom(500_000))  # stands for a scan: incompressible
        pdfs.append((f"材料/第{i:02d}号文件.pdf", doc.tobytes()))
        doc.close()
    archive = _zip(tmp_path / "pdfs.zip", pdfs)
    size = archive.stat().st_size
    assert size > 20 * limits.MB
    started = time.perf_counter()
    result = unpack(archive, "zip", tmp_path / "out")
    seconds = time.perf_counter() - started
    speed = result.size / limits.MB / seconds
    with capsys.disabled():
        print(f"\nunpack: {len(result.files)} PDFs, {result.size / limits.MB:.1f} MB in "
              f"{seconds:.3f} s = {speed:.0f} MB/s")
    assert len(result.files) == 42 and speed > 5


def test_mangled_archives_give_a_reason_never_a_traceback(tmp_path: Path) -> None:
    """Bytes changed at random in the fixtures: every run ends in a result or a ZichaError,
    and no hidden working folder is left behind."""
    import random

    rng = random.Random(14)
    sources = sorted(FIXTURES.glob("*.zip")) + sorted(FIXTURES.glob("*.7z"))
    for n in range(150):
        src = sources[n % len(sources)]
        data = bytearray(src.read_bytes())
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[:rng.randrange(len(data))]
        mangled = tmp_path / f"m{n}{src.suffix}"
        mangled.write_bytes(bytes(data))
        kind = "7z" if src.suffix == ".7z" else "zip"
        for listing in (True, False):
            try:
                if listing:
                    list_members(mangled, kind)
                else:
                    unpack(mangled, kind, tmp_path / f"d{n}")
            except ZichaError as exc:
                assert str(exc) and "\n" not in str(exc)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
