"""Unpacking the archives departments send (ZIP, 7z, RAR) into files the import can take.

A department mails or copies one archive: a ZIP made by Windows' 发送到→压缩文件夹 (names in
the OEM code page, CP936 on Chinese Windows, without the UTF-8 flag), by WinRAR/360压缩/好压
(the same), by a Mac or Linux (UTF-8, often without the flag), a 7z or a RAR. `unpack` writes
every regular file of it into a new folder, keeping the folders and the Chinese names, and
says for each member it did not write why not.

What is refused, one member at a time (it is listed in `Unpacked.refused` with a reason and
nothing of it is written): names that would land outside the folder (absolute, `C:`, `\\\\server`,
`..`), links and special files, Windows device names (CON, NUL, …) and characters Windows
forbids (refused on every system, so an archive unpacks the same everywhere), control
characters, over-long names, a second member with the same name (after NFC normalisation; case
and trailing dots/spaces ignored where the file system ignores them), encrypted members, files
over the import limit (limits.IMPORT_MAX_BYTES), compression methods we cannot read, and the
litter of other systems (__MACOSX/, .DS_Store, Thumbs.db, desktop.ini).

What refuses the whole archive (`UnpackRefused` with `bomb=True`, nothing is left behind): more
than MAX_MEMBERS entries, more than MAX_TOTAL bytes declared, a member inflating beyond
zipsafety.MAX_RATIO, members that overlap in a ZIP, a member yielding more bytes than it
declared (bytes are counted as they are written, declared sizes are never trusted alone), and,
with `nested=True`, an archive inside an archive inside the archive. Without `nested` an inner
archive is written as a file like any other (`Extracted.is_archive` tells the caller); with it,
each inner archive is unpacked in its place (one level) and its members are named
`outer.zip/inner`. An archive that is wholly encrypted, or whose member list is, is refused
with ENCRYPTED (`bomb=False`), so is a broken one.

Writes: into a hidden folder beside `dest` (common.atomic.AtomicFolder), renamed to `dest`
when all is written; any failure or cancel removes it, so `dest` holds all or nothing. Files get
the archive's modification time and the default permissions (no modes from the archive).

`UnpackRefused` is a ZichaError (one line for the CLI and the window) and a detect.Refused
(the importer's per-file row shows it as the file's reason).
"""

from __future__ import annotations

import os
import re
import stat
import struct
import sys
import time
import unicodedata
import zipfile
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from desktop.core.common import limits
from desktop.core.common.atomic import AtomicFolder, remove_tree, write_failed
from desktop.core.common.errors import ZichaError
from desktop.core.common.limits import quoted, size_text
from desktop.core.common.progress import Progress, as_progress
from desktop.core.common.zipsafety import MAX_RATIO, RATIO_FLOOR, inflates_like_a_bomb
from desktop.core.materials.detect import Refused, archive_kind

__all__ = [
    "ENCRYPTED", "KINDS", "MAX_MEMBERS", "MAX_TOTAL", "NO_RAR_TOOL", "Extracted", "Member",
    "Skipped", "UnpackRefused", "Unpacked", "archive_kind", "decode_name", "list_members",
    "member_name", "unpack", "unpack_tool_available",
]

KINDS = ("zip", "7z", "rar")
MAX_MEMBERS = limits.UNPACK_MAX_MEMBERS
MAX_TOTAL = limits.UNPACK_MAX_BYTES
CHUNK = 1 << 20
MAX_NAME_BYTES = 255  # one path component, UTF-8 (ext4, NTFS in UTF-16 units is close)

ENCRYPTED = "压缩包已加密，需要密码；请解压后再导入其中的文件"
NO_RAR_TOOL = "本机没有可解压 RAR 的程序（unrar 或 7-Zip）；请先解压后导入其中的文件"
_AGAIN = "请让对方重新打包发送，或解压后导入其中的文件"
_SAME_FILE = "与前面的文件落在同一个文件名上（本机的文件系统不区分它们），未解压"

_UNICODE_PATH = 0x7075  # Info-ZIP Unicode Path extra field
_UTF8_FLAG = 0x800  # general purpose bit 11 (EFS)
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")})
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_LITTER_DIRS = frozenset({"__macosx"})
_LITTER_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
# where the file system (and so the folder we write) ignores case
_FOLD_CASE = sys.platform in ("win32", "darwin")


class UnpackRefused(ZichaError, Refused):
    """The archive as a whole is not unpacked; the message says why and what to do. `bomb`
    is True when the archive looks built to exhaust the disk or memory."""

    def __init__(self, message: str, *, bomb: bool = False, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.bomb = bomb


@dataclass(frozen=True)
class Member:
    """One entry of an archive as listed (declared sizes, nothing inflated)."""

    name: str  # the name as the archive means it (decoded, see member_name)
    size: int  # declared, uncompressed
    packed: int | None  # compressed bytes, when the format says per member
    type: str  # "file", "dir", "link" or "special"
    encrypted: bool = False
    refused: str = ""  # why unpack would not write it ("" = it would)


@dataclass(frozen=True)
class Extracted:
    name: str  # archive name; `outer.zip/inner/name` for a member of an inner archive
    path: Path  # where it is, inside `dest`
    size: int  # bytes written
    is_archive: bool = False  # an archive itself (left packed: nested=False)


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


@dataclass(frozen=True)
class Unpacked:
    dest: Path
    files: tuple[Extracted, ...]
    refused: tuple[Skipped, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


# -- names ------------------------------------------------------------------------------------

def decode_name(raw: bytes, *, utf8_first: bool = False) -> str:
    """A name stored as bytes without a declared encoding (ZIP without bit 11, RAR 2/3 without
    its Unicode name), decoded by what it most likely is:

    1. ASCII is ASCII.
    2. Valid UTF-8 whose characters are all ASCII or at least U+0800 (Chinese, Japanese,
       Korean, symbols: three-byte sequences): UTF-8. Macs and Info-ZIP `zip` on Linux write
       UTF-8 this way, unflagged, and such bytes very often also decode as GBK ("中文" is six
       bytes and three valid GBK pairs), so trying GBK first would garble them. The reverse
       accident is rare: GB2312 text forms valid UTF-8 almost only as two-byte sequences,
       which give Latin/Greek/Cyrillic/Arabic letters (U+0080–U+07FF), and a run of hanzi
       that happens to form three-byte sequences needs every byte to fall in narrow ranges.
    3. Clean GB18030 (a superset of GBK/CP936): what Windows' built-in 压缩 and WinRAR/360压缩/
       好压 write on Chinese Windows.
    4. Any other valid UTF-8 (e.g. a name in Cyrillic or with accented letters).
    5. CP437, the ZIP specification's default, which decodes any byte.

    The price of step 3 before 4: an unflagged UTF-8 name in Cyrillic or with accents that
    happens to be clean GB18030 is read as GBK; in a Chinese office the reverse mistake
    (every GBK name of two common hanzi in forty that is valid UTF-8 read as Cyrillic) would
    be far more frequent. `utf8_first` (RAR 2/3, whose Windows writers always add a Unicode
    name, so unflagged bytes come from `rar` on Linux) takes any valid UTF-8 first.
    """
    try:
        text = raw.decode("ascii")
        return text
    except UnicodeDecodeError:
        pass
    utf8: str | None
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and (utf8_first or all(ord(c) < 0x80 or ord(c) >= 0x800 for c in utf8)):
        return utf8
    with suppress(UnicodeDecodeError):
        return raw.decode("gb18030")
    if utf8 is not None:
        return utf8
    return raw.decode("cp437")


def _raw_zip_name(info: zipfile.ZipInfo) -> bytes:
    # zipfile decoded an unflagged name as CP437, which maps every byte: encoding gives the
    # bytes back. orig_filename is the name before zipfile turned os.sep into "/" (on Windows
    # that would cut GBK characters whose second byte is 0x5C) or cut it at a NUL.
    try:
        return info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # a ZipInfo made in memory with a str name
        return info.orig_filename.encode("utf-8")


def _unicode_path(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field's name, when present and still describing this
    entry (its CRC-32 is of the header's own name: a renamed entry keeps a stale field)."""
    extra = info.extra
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        data, extra = extra[4:4 + size], extra[4 + size:]
        if kind != _UNICODE_PATH or len(data) < 5 or data[0] != 1:
            continue
        if struct.unpack("<I", data[1:5])[0] != zlib.crc32(raw):
            return None
        try:
            return data[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """The real name of a ZIP member: UTF-8 when bit 11 says so, else the Unicode Path extra
    field when valid, else the raw bytes decoded by decode_name()."""
    if info.flag_bits & _UTF8_FLAG:
        return info.orig_filename
    raw = _raw_zip_name(info)
    unicode = _unicode_path(info, raw)
    return unicode if unicode is not None else decode_name(raw)


def _parts(name: str) -> list[str]:
    # backslashes are separators: PowerShell's Compress-Archive and some Chinese tools write
    # them, and on Windows they would be separators anyway
    return name.replace("\\", "/").split("/")


def _name_problem(name: str) -> str | None:
    """Why a (decoded) member name cannot be written as a path inside the folder, or None."""
    if not name.strip("/\\"):
        return "文件名为空"
    if any(ord(c) < 32 or ord(c) == 0x7F for c in name):
        return "文件名含控制字符"
    unified = name.replace("\\", "/")
    if unified.startswith("/"):
        return "是绝对路径（以 / 或 \\ 开头），会写到解压文件夹以外"
    if re.match(r"^[A-Za-z]:", unified):
        return "含盘符（如 C:），会写到解压文件夹以外"
    parts = [p for p in _parts(name) if p not in ("", ".")]
    if ".." in parts:
        return "含 ..，会写到解压文件夹以外"
    for part in parts:
        if _WINDOWS_FORBIDDEN.search(part):
            return "文件名含 Windows 不允许的字符（< > : \" | ? *）"
        if part.split(".")[0].rstrip(" ").upper() in _DEVICE_NAMES:
            return f"文件名 {quoted(part)} 是 Windows 的设备名（CON、NUL 等），无法作为文件保存"
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return "文件名过长（超过 255 字节）"
    return None


def _litter(parts: list[str]) -> bool:
    lowered = [p.lower() for p in parts]
    return (any(p in _LITTER_DIRS for p in lowered[:-1]) or lowered[-1] in _LITTER_FILES
            or lowered[-1].startswith("._"))


def _key(parts: list[str]) -> tuple[str, ...]:
    out = []
    for part in parts:
        part = unicodedata.normalize("NFC", part)
        if sys.platform == "win32":
            part = part.rstrip(". ")
        out.append(part.casefold() if _FOLD_CASE else part)
    return tuple(out)


# -- one listing for the three formats ---------------------------------------------------------

@dataclass
class _Entry:
    member: Member
    handle: Any  # the format's own entry: ZipInfo, py7zr ArchiveFile, RarInfo
    mtime: float | None = None
    parts: list[str] = field(default_factory=list)


@dataclass
class _Listing:
    kind: str
    entries: list[_Entry]
    stored_ratio_total: bool = False  # 7z: ratio over the whole archive (solid blocks)


def _zip_listing(path: Path, zf: zipfile.ZipFile) -> _Listing:
    infos = zf.infolist()
    _check_count(len(infos))
    size = path.stat().st_size
    packed = sum(i.compress_size + 30 + len(i.orig_filename) for i in infos)
    if packed > size + 1024:  # the members' data overlaps (a "better zip bomb")
        raise UnpackRefused("压缩包中的成员互相重叠（声明的压缩数据比文件本身还大），"
                            f"疑似压缩炸弹；{_AGAIN}", bomb=True)
    entries = []
    for info in infos:
        mode = info.external_attr >> 16
        dos_dir = bool(info.external_attr & 0x10) and not mode and info.file_size == 0
        if info.is_dir() or (mode and stat.S_ISDIR(mode)) or dos_dir:
            kind = "dir"
        elif mode and stat.S_ISLNK(mode):
            kind = "link"
        elif mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            kind = "special"
        else:
            kind = "file"
        mtime = None
        with suppress(ValueError, OverflowError, OSError):
            mtime = time.mktime((*info.date_time, 0, 0, -1))
        member = Member(member_name(info), info.file_size, info.compress_size, kind,
                        bool(info.flag_bits & 0x1))
        entries.append(_Entry(member, info, mtime))
    return _Listing("zip", entries)


def _7z_open(path: Path, fh: BinaryIO) -> Any:
    import py7zr
    from py7zr.exceptions import PasswordRequired

    try:
        return py7zr.SevenZipFile(fh, max_extract_size=MAX_TOTAL)
    except PasswordRequired:
        raise UnpackRefused(ENCRYPTED) from None
    except Exception as exc:  # py7zr passes on its codecs' and parsers' own errors
        raise UnpackRefused(f"{path.name} 已损坏，无法作为 7z 压缩包打开（{quoted(exc)}）；"
                            f"{_AGAIN}") from None


def _7z_listing(szf: Any) -> _Listing:
    from py7zr.compressor import SupportedMethods

    files = list(szf.files)
    _check_count(len(files))
    entries = []
    for f in files:
        if f.is_directory:
            kind = "dir"
        elif f.is_symlink or f.is_junction:
            kind = "link"
        elif f.is_socket:
            kind = "special"
        else:
            kind = "file"
        encrypted = False
        if not f.emptystream:
            with suppress(Exception):  # an unknown coder: extraction says so
                encrypted = bool(SupportedMethods.needs_password(f.folder.coders))
        mtime = None
        with suppress(Exception):
            mtime = float(f.lastwritetime.totimestamp()) if f.lastwritetime else None
        member = Member(f.filename, int(f.uncompressed or 0), f.compressed, kind, encrypted)
        entries.append(_Entry(member, f, mtime))
    return _Listing("7z", entries, stored_ratio_total=True)


def _rar_open(path: Path) -> Any:
    import rarfile

    try:
        rf = rarfile.RarFile(str(path), errors="strict")
    except rarfile.PasswordRequired:
        raise UnpackRefused(ENCRYPTED) from None
    except rarfile.NeedFirstVolume:
        raise UnpackRefused(f"{path.name} 是分卷压缩包的后续分卷；请把所有分卷放在一起，"
                            "从第一卷（.part1.rar）解压后导入其中的文件") from None
    except Exception as exc:  # rarfile's errors and its parsers' (struct, index, …)
        raise UnpackRefused(f"{path.name} 已损坏，无法作为 RAR 压缩包打开（{quoted(exc)}）；"
                            f"{_AGAIN}") from None
    if rf.needs_password() and not rf.infolist():
        rf.close()
        raise UnpackRefused(ENCRYPTED)
    return rf


def _rar_name(info: Any) -> str:
    import rarfile

    raw = info.orig_filename
    flags = getattr(info, "flags", 0)
    # RAR 2/3 without the Unicode flag: `rar` on Linux (UTF-8) or old DOS/Windows versions
    # (the OEM code page, "\\" between folders); rarfile would try UTF-8, then UTF-16 (which
    # takes any even number of bytes), then Windows-1252
    if (isinstance(info, rarfile.Rar3Info) and isinstance(raw, bytes)
            and not flags & rarfile.RAR_FILE_UNICODE):
        return decode_name(raw, utf8_first=True).replace("\\", "/")
    return str(info.filename)


def _rar_listing(rf: Any) -> _Listing:
    infos = rf.infolist()
    _check_count(len(infos))
    entries = []
    for info in infos:
        if info.is_dir():
            kind = "dir"
        elif info.is_symlink() or info.file_redir:
            kind = "link"  # symbolic links, junctions, hard links, file copies
        elif not info.is_file():
            kind = "special"
        else:
            kind = "file"
        mtime = None
        with suppress(Exception):
            mtime = time.mktime((*info.date_time, 0, 0, -1))
        member = Member(_rar_name(info), int(info.file_size or 0), info.compress_size, kind,
                        bool(info.needs_password()))
        entries.append(_Entry(member, info, mtime))
    return _Listing("rar", entries)


def _check_count(n: int) -> None:
    if n > MAX_MEMBERS:
        raise UnpackRefused(f"压缩包有 {n} 个成员，超过 {MAX_MEMBERS} 个上限，疑似压缩炸弹；"
                            "请解压后分批导入", bomb=True)


def _judge(listing: _Listing) -> list[_Entry]:
    """Each entry with its `refused` reason filled in (duplicates judged in archive order)."""
    files: dict[tuple[str, ...], str] = {}
    dirs: dict[tuple[str, ...], str] = {}
    judged = []
    for entry in listing.entries:
        m = entry.member
        parts = [p for p in _parts(m.name) if p not in ("", ".")]
        entry.parts = parts
        why = _name_problem(m.name)
        if why is None and m.type == "link":
            why = "是链接（符号链接、快捷方式或硬链接），不解压"
        elif why is None and m.type == "special":
            why = "不是普通文件（设备、管道等），不解压"
        elif why is None and m.type == "file":
            why = _file_problem(entry, parts, files, dirs)
        elif why is None and m.type == "dir":
            key = _key(parts)
            if key in files:
                why = f"与文件 {quoted(files[key])} 同名"
            else:
                for i in range(1, len(key) + 1):
                    dirs.setdefault(key[:i], m.name)
        judged.append(_Entry(Member(m.name, m.size, m.packed, m.type, m.encrypted, why or ""),
                             entry.handle, entry.mtime, parts))
    return judged


def _file_problem(entry: _Entry, parts: list[str], files: dict[tuple[str, ...], str],
                  dirs: dict[tuple[str, ...], str]) -> str | None:
    m = entry.member
    if _litter(parts):
        return "是 macOS/Windows 自动生成的附属文件，不是材料"
    if m.encrypted:
        return ENCRYPTED
    if m.size > limits.IMPORT_MAX_BYTES:
        return (f"有 {size_text(m.size)}，超过单个文件 {size_text(limits.IMPORT_MAX_BYTES)} "
                "上限；请拆分或压缩后再导入")
    if isinstance(entry.handle, zipfile.ZipInfo) and entry.handle.compress_type not in _ZIP_METHODS:
        return ("用了本程序不支持的压缩方式（如 Deflate64）；请用 7-Zip 等解压后导入其中的文件")
    key = _key(parts)
    if key in files:
        return f"与前面的 {quoted(files[key])} 重名（不区分大小写时）" if _FOLD_CASE else (
            f"与前面的 {quoted(files[key])} 重名")
    if key in dirs:
        return f"与文件夹 {quoted(dirs[key])} 同名"
    for i in range(1, len(key)):
        if key[:i] in files:
            return f"所在的文件夹与前面的文件 {quoted(files[key[:i]])} 同名"
    files[key] = m.name
    for i in range(1, len(key)):
        dirs.setdefault(key[:i], "/".join(parts[:i]))
    return None


_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                          zipfile.ZIP_LZMA})


def _check_bombs(listing: _Listing, judged: list[_Entry], archive_size: int,
                 label: str) -> None:
    writing = [e for e in judged if e.member.type == "file" and not e.member.refused]
    total = sum(e.member.size for e in writing)
    if total > MAX_TOTAL:
        raise UnpackRefused(f"{label}解压后有 {size_text(total)}，超过 {size_text(MAX_TOTAL)} "
                            "上限，疑似压缩炸弹；请解压后分批导入", bomb=True)
    if listing.stored_ratio_total:
        declared = sum(e.member.size for e in listing.entries if e.member.type == "file")
        if declared > RATIO_FLOOR and declared > MAX_RATIO * max(archive_size, 1):
            raise UnpackRefused(f"{label}解压后膨胀到压缩包的 {declared // max(archive_size, 1)}"
                                f" 倍，超过 {MAX_RATIO} 倍上限，疑似压缩炸弹；{_AGAIN}",
                                bomb=True)
        return
    for e in listing.entries:
        m = e.member
        if m.type != "file" or m.encrypted:
            continue
        if isinstance(e.handle, zipfile.ZipInfo):
            bomb = inflates_like_a_bomb(e.handle)
        else:
            bomb = m.size > RATIO_FLOOR and m.size > MAX_RATIO * max(m.packed or 0, 1)
        if bomb:
            raise UnpackRefused(f"{label}中的 {quoted(m.name)} 膨胀到压缩时的 "
                                f"{m.size // max(m.packed or 0, 1)} 倍，超过 {MAX_RATIO} 倍上限，"
                                f"疑似压缩炸弹；{_AGAIN}", bomb=True)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown archive kind {kind!r} (one of {', '.join(KINDS)})")
    return kind


def _readable(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UnpackRefused(f"找不到压缩包 {path}") from None
    except OSError as exc:
        raise UnpackRefused(f"无法读取 {path}：{exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UnpackRefused(f"{path} 不是普通文件，无法作为压缩包打开")
    return st.st_size


def _zip_declared_count(path: Path) -> int | None:
    """The entry count the end of central directory record declares (ZIP64 too), read before
    zipfile builds an object for every entry of a central directory that may be huge."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            start = max(size - (65535 + 22 + 20), 0)
            fh.seek(start)
            tail = fh.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) < at + 22:
                return None
            count = struct.unpack("<H", tail[at + 10:at + 12])[0]
            locator = at - 20
            if count == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
                fh.seek(struct.unpack("<Q", tail[locator + 8:locator + 16])[0])
                record = fh.read(56)
                if record[:4] == b"PK\x06\x06" and len(record) == 56:
                    return int(struct.unpack("<Q", record[32:40])[0])
            return int(count)
    except (OSError, ValueError, struct.error):
        return None


def _open_zip(path: Path) -> zipfile.ZipFile:
    declared = _zip_declared_count(path)
    if declared is not None:
        _check_count(declared)
    try:
        return zipfile.ZipFile(path)
    except Exception as exc:  # BadZipFile, and what a mangled directory makes zipfile raise
        raise UnpackRefused(f"{path.name} 已损坏，无法作为 ZIP 压缩包打开（{quoted(exc)}）；"
                            f"{_AGAIN}") from None


def list_members(path: Path, kind: str) -> list[Member]:
    """The entries of the archive `path` of `kind` ("zip", "7z", "rar"), each with the reason
    unpack would refuse it. Reads headers only: no tool is needed for RAR. Raises
    UnpackRefused for a broken archive, one whose list is encrypted, or too many entries."""
    path = Path(path)
    _readable(path)
    kind = _check_kind(kind)
    if kind == "zip":
        with _open_zip(path) as zf:
            listing = _zip_listing(path, zf)
    elif kind == "7z":
        with path.open("rb") as fh:
            szf = _7z_open(path, fh)
            try:
                listing = _7z_listing(szf)
            finally:
                szf.close()
    else:
        rf = _rar_open(path)
        try:
            listing = _rar_listing(rf)
        finally:
            rf.close()
    return [e.member for e in _judge(listing)]


def unpack_tool_available(kind: str) -> bool:
    """Whether this computer can unpack archives of `kind`: ZIP and 7z always (in Python);
    RAR only with an unrar, unar, 7-Zip or bsdtar program that rarfile can run."""
    if _check_kind(kind) != "rar":
        return True
    import rarfile

    try:
        rarfile.tool_setup()
    except rarfile.RarCannotExec:
        return False
    return True


# -- writing ---------------------------------------------------------------------------------

class _Budget:
    """Bytes one unpack may still write (the archive's declared total: inner archives share
    it), and the progress through which it is cancelled."""

    def __init__(self, limit: int, progress: Progress) -> None:
        self.left = limit
        self.progress = progress

    def take(self, n: int, label: str) -> None:
        self.left -= n
        if self.left < 0:
            raise UnpackRefused(f"{label}解压出的内容超过了声明的大小，疑似压缩炸弹；{_AGAIN}",
                                bomb=True)


class _MemberOut:
    """One member's file being written: counts bytes against the member's declared size and
    the budget, and checks for cancel at each chunk."""

    def __init__(self, target: Path, entry: _Entry, budget: _Budget, label: str) -> None:
        self.target = target
        self.entry = entry
        self.budget = budget
        self.label = label
        self.written = 0
        self.fh: BinaryIO | None = None

    def open(self) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        # "xb": never through something already there (a link cannot be: we make none)
        self.fh = self.target.open("xb")

    def write(self, data: bytes) -> None:
        self.written += len(data)
        if self.written > self.entry.member.size:
            raise UnpackRefused(f"{self.label}中的 {quoted(self.entry.member.name)} 解压后超过"
                                f"声明的 {size_text(self.entry.member.size)}，疑似压缩炸弹；"
                                f"{_AGAIN}", bomb=True)
        self.budget.take(len(data), self.label)
        assert self.fh is not None
        self.fh.write(data)
        self.budget.progress.check()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
            if self.entry.mtime is not None:
                with suppress(OSError, ValueError, OverflowError):
                    os.utime(self.target, (self.entry.mtime, self.entry.mtime))


@dataclass
class _Run:
    root: Path  # the hidden folder being filled
    budget: _Budget
    progress: Progress
    nested: bool
    files: list[tuple[str, Path, int, bool]] = field(default_factory=list)  # name, rel, size
    refused: list[Skipped] = field(default_factory=list)


def _target(run: _Run, base: PurePosixPath, parts: list[str]) -> Path:
    rel = base.joinpath(*parts)
    return run.root.joinpath(*rel.parts)


def _write_zip(path: Path, zf: zipfile.ZipFile, todo: list[_Entry], run: _Run,
               base: PurePosixPath, label: str, prefix: str) -> None:
    for i, entry in enumerate(todo):
        run.progress.check()
        run.progress.step(i, len(todo), entry.member.name)
        out = _MemberOut(_target(run, base, entry.parts), entry, run.budget, label)
        try:
            with zf.open(entry.handle) as src:
                out.open()
                while chunk := src.read(CHUNK):
                    out.write(chunk)
        except ZichaError:
            raise
        except FileExistsError:
            run.refused.append(Skipped(prefix + entry.member.name, _SAME_FILE))
            continue
        except OSError as exc:
            if _writing_error(exc):
                out.close()
                raise write_failed(exc, out.target) from None
            _drop(run, out, prefix, f"已损坏，无法解压（{quoted(exc)}）")
            continue
        except Exception as exc:  # zipfile, zlib, bz2, lzma: each its own error for bad data
            _drop(run, out, prefix, f"已损坏，无法解压（{quoted(exc)}）")
            continue
        finally:
            out.close()
        run.files.append((prefix + entry.member.name, _rel(run, out.target), out.written,
                          False))
    run.progress.step(len(todo), len(todo), "")


def _writing_error(exc: OSError) -> bool:
    # decompressors raise OSError without an errno for bad data (bz2: "Invalid data stream");
    # the disk and the file system always give one
    return exc.errno is not None


def _drop(run: _Run, out: _MemberOut, prefix: str, reason: str) -> None:
    """A member that failed while written: its partial file goes, the reason is listed."""
    out.close()
    out.target.unlink(missing_ok=True)
    run.budget.left += out.written
    run.refused.append(Skipped(prefix + out.entry.member.name, reason))


def _rel(run: _Run, target: Path) -> Path:
    return target.relative_to(run.root)


def _7z_factory(outs: dict[str, _MemberOut]) -> tuple[Any, list[_MemberOut]]:
    """py7zr's writer factory: each member py7zr decompresses goes to our counting writer
    (keyed by the name py7zr gives it); members we did not ask for (a duplicate, which py7zr
    renames) go nowhere."""
    from py7zr.io import Py7zIO, WriterFactory

    opened: list[_MemberOut] = []

    class Writer(Py7zIO):
        def __init__(self, out: _MemberOut | None) -> None:
            self.out = out
            self.n = 0
            if out is not None:
                out.open()
                opened.append(out)

        def write(self, s: bytes | bytearray) -> int:
            if self.out is not None:
                self.out.write(bytes(s))
            self.n += len(s)
            return len(s)

        def read(self, size: int | None = None) -> bytes:
            return b""

        def seek(self, offset: int, whence: int = 0) -> int:
            return 0

        def flush(self) -> None:
            pass

        def size(self) -> int:
            return self.n

        def close(self) -> None:
            if self.out is not None:
                self.out.close()

    class Factory(WriterFactory):
        def create(self, filename: str) -> Py7zIO:
            return Writer(outs.pop(filename, None))

    return Factory(), opened


def _7z_key(name: str) -> str:
    from py7zr.helpers import get_sanitized_output_path

    try:
        return get_sanitized_output_path(name, None).as_posix()
    except Exception:  # py7zr refuses the name: it will not write it either
        return name


def _write_7z(path: Path, szf: Any, todo: list[_Entry], run: _Run, base: PurePosixPath,
              label: str, prefix: str) -> None:
    from py7zr.exceptions import ArchiveError, PasswordRequired

    if not todo:
        return
    by_name = {e.handle.filename: _MemberOut(_target(run, base, e.parts), e, run.budget, label)
               for e in todo}
    factory, opened = _7z_factory({_7z_key(n): out for n, out in by_name.items()})
    run.progress.step(0, len(todo), todo[0].member.name)
    try:
        szf.extract(targets=list(by_name), factory=factory)
    except PasswordRequired:
        raise UnpackRefused(ENCRYPTED) from None
    except ZichaError:
        raise
    except OSError as exc:
        if _writing_error(exc):
            raise write_failed(exc, opened[-1].target if opened else run.root) from None
        raise UnpackRefused(f"{label}已损坏，解压失败（{quoted(exc)}）；{_AGAIN}") from None
    except ArchiveError as exc:
        if "exceeds limit" in str(exc):
            raise UnpackRefused(f"{label}解压出的内容超过了声明的大小，疑似压缩炸弹；{_AGAIN}",
                                bomb=True) from None
        raise UnpackRefused(f"{label}已损坏，解压失败（{quoted(exc)}）；{_AGAIN}") from None
    except Exception as exc:  # py7zr passes on each codec's own error for bad data
        raise UnpackRefused(f"{label}已损坏，解压失败（{quoted(exc)}）；{_AGAIN}") from None
    finally:
        for out in opened:
            out.close()
    for i, entry in enumerate(todo):
        out = by_name[entry.handle.filename]
        if not out.target.exists():  # an empty file py7zr never opened
            out.open()
            out.close()
        if out.written != entry.member.size:
            raise UnpackRefused(f"{label}中的 {quoted(entry.member.name)} 解压后只有 "
                                f"{out.written} 字节，少于声明的 {entry.member.size} 字节；"
                                f"{_AGAIN}")
        run.files.append((prefix + entry.member.name, _rel(run, out.target), out.written,
                          False))
        run.progress.step(i + 1, len(todo), entry.member.name)


def _write_rar(path: Path, rf: Any, todo: list[_Entry], run: _Run, base: PurePosixPath,
               label: str, prefix: str) -> None:
    import rarfile

    needs_tool = rf.is_solid() or any(e.handle.compress_type != rarfile.RAR_M0 for e in todo)
    if todo and needs_tool and not unpack_tool_available("rar"):
        raise UnpackRefused(NO_RAR_TOOL)
    for i, entry in enumerate(todo):
        run.progress.check()
        run.progress.step(i, len(todo), entry.member.name)
        out = _MemberOut(_target(run, base, entry.parts), entry, run.budget, label)
        try:
            with rf.open(entry.handle) as src:
                out.open()
                while chunk := src.read(CHUNK):
                    out.write(chunk)
        except FileExistsError:
            run.refused.append(Skipped(prefix + entry.member.name, _SAME_FILE))
            continue
        except rarfile.RarCannotExec:
            raise UnpackRefused(NO_RAR_TOOL) from None
        except rarfile.PasswordRequired:
            raise UnpackRefused(ENCRYPTED) from None
        except ZichaError:
            raise
        except OSError as exc:
            if _writing_error(exc):
                out.close()
                raise write_failed(exc, out.target) from None
            _drop(run, out, prefix, _rar_failed(exc))
            continue
        except Exception as exc:  # rarfile's errors, and what its readers pass on
            _drop(run, out, prefix, _rar_failed(exc))
            continue
        finally:
            out.close()
        run.files.append((prefix + entry.member.name, _rel(run, out.target), out.written,
                          False))
    run.progress.step(len(todo), len(todo), "")


def _rar_failed(exc: Exception) -> str:
    return (f"无法解压（{quoted(exc)}）：已损坏，或本机的解压程序不支持这种 RAR；"
            "请用 WinRAR 或 7-Zip 解压后导入")


def _unpack_into(path: Path, kind: str, run: _Run, base: PurePosixPath, level: int,
                 prefix: str = "") -> None:
    """Unpack `path` into run.root / base; `level` 0 is the archive given, 1 an inner one."""
    size = _readable(path)
    label = "压缩包" if level == 0 else f"内层压缩包 {quoted(prefix.rstrip('/'))} "
    opened: Any
    fh: BinaryIO | None = None
    if kind == "zip":
        opened = _open_zip(path)
    elif kind == "7z":
        fh = path.open("rb")
        try:
            opened = _7z_open(path, fh)
        except BaseException:
            fh.close()
            raise
    else:
        opened = _rar_open(path)
    try:
        if kind == "zip":
            listing = _zip_listing(path, opened)
        elif kind == "7z":
            listing = _7z_listing(opened)
        else:
            listing = _rar_listing(opened)
        if not listing.entries:
            where = label if level else f"{path.name} "
            raise UnpackRefused(f"{where}里没有任何文件（也可能已损坏）；"
                                "请检查压缩包，或解压后导入其中的文件")
        judged = _judge(listing)
        files = [e for e in judged if e.member.type == "file"]
        if files and all(e.member.encrypted for e in files):
            raise UnpackRefused(ENCRYPTED)
        _check_bombs(listing, judged, size, label)
        for e in judged:
            if e.member.refused and not _is_litter_dir(e):
                run.refused.append(Skipped(prefix + e.member.name, e.member.refused))
            elif e.member.type == "dir" and not _is_litter_dir(e):
                with suppress(OSError):
                    _target(run, base, e.parts).mkdir(parents=True, exist_ok=True)
        todo = [e for e in files if not e.member.refused]
        writer = {"zip": _write_zip, "7z": _write_7z, "rar": _write_rar}[kind]
        start = len(run.files)
        writer(path, opened, todo, run, base, label, prefix)
    finally:
        opened.close()
        if fh is not None:
            fh.close()
    _inner_archives(run, start, level)


def _is_litter_dir(entry: _Entry) -> bool:
    return entry.member.type == "dir" and any(p.lower() in _LITTER_DIRS for p in entry.parts)


def _inner_archives(run: _Run, start: int, level: int) -> None:
    """Mark (nested=False) or unpack in place (nested=True) the archives among the files just
    written from index `start` on."""
    for i in range(start, len(run.files)):
        name, rel, size, _ = run.files[i]
        inner = run.root / rel
        kind = archive_kind(inner)
        if kind is None:
            continue
        if not run.nested:
            run.files[i] = (name, rel, size, True)
            continue
        if level >= 1:
            raise UnpackRefused(f"压缩包里的压缩包中还有压缩包 {quoted(name)}，嵌套超过一层，"
                                "疑似压缩炸弹；请解压后导入其中的文件", bomb=True)
        folder = _inner_folder(run, rel)
        run.files[i] = ("", rel, 0, False)  # replaced by its members below
        run.budget.left += size  # the archive's bytes go; its members' count instead
        kept_files, kept_refused = len(run.files), len(run.refused)
        try:
            _unpack_into(inner, kind, run, PurePosixPath(*folder.parts), level + 1,
                         prefix=name + "/")
        except UnpackRefused as exc:
            if exc.bomb:
                raise
            # what the inner archive wrote before it failed goes with it
            del run.files[kept_files:], run.refused[kept_refused:]
            remove_tree(run.root / folder)
            run.refused.append(Skipped(name, f"内层压缩包未解压：{exc}"))
        inner.unlink(missing_ok=True)
    if level == 0:
        run.files[:] = [f for f in run.files if f[0]]


def _inner_folder(run: _Run, rel: Path) -> Path:
    """Where an inner archive's members go: a folder named after it beside it."""
    candidate = rel.with_name(rel.stem or rel.name)
    n = 1
    while (run.root / candidate).exists():
        candidate = rel.with_name(f"{rel.stem}（解压{'' if n == 1 else n}）")
        n += 1
    return candidate


def unpack(path: Path, kind: str, dest: Path, progress: Progress | None = None, *,
           nested: bool = False) -> Unpacked:
    """Unpack the archive `path` of `kind` ("zip", "7z", "rar") into the new folder `dest`
    (it must not exist, or be an empty folder): every regular file, in its folders, under its
    Chinese name; see the module docstring for what is refused. Reports
    `progress.step(done, total, member name)` per file and stops at `progress.check()`
    (Cancelled), leaving no `dest`. Raises UnpackRefused for an archive refused whole."""
    path, dest = Path(path), Path(dest)
    kind = _check_kind(kind)
    progress = as_progress(progress)
    _readable(path)
    if dest.exists():
        if not dest.is_dir() or any(dest.iterdir()):
            raise UnpackRefused(f"解压到的文件夹 {dest} 已存在且不是空的；请另选一个文件夹")
        dest.rmdir()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failed(exc, dest) from None
    folder = AtomicFolder(dest)
    run = _Run(folder.path, _Budget(MAX_TOTAL, progress), progress, nested)
    try:
        _unpack_into(path, kind, run, PurePosixPath(), 0)
        progress.check()
        folder.commit()
    except BaseException:
        folder.discard()
        raise
    files = tuple(Extracted(name, dest / rel, size, is_archive)
                  for name, rel, size, is_archive in run.files)
    return Unpacked(dest, files, tuple(run.refused))
