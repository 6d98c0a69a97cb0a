"""Active content in a file: what could run, launch, load or carry something when the file is
opened (四性检测 安全性, DA/T 70-2018 "无宏与可执行文件").

`scan(path)` returns one Chinese phrase per finding ("打开时运行 JavaScript"); callers put the
file name in front. It never raises for a damaged file (that is the open check's finding) and
never runs or renders anything.

- PDF: every object dictionary is read through MuPDF (`xref_object`), so objects inside
  compressed object streams and names written with #xx escapes are seen as a reader sees them;
  nothing is matched in the raw bytes. JavaScript anywhere (/JS, the /JavaScript name tree,
  OpenAction and AA actions, javascript: links), /Launch, embedded files (/EF file
  specifications and FileAttachment annotations), /RichMedia, /SubmitForm, /ImportData, XFA.
- Office Open XML (DOCX/XLSX/PPTX): VBA projects and macro-enabled content types, ActiveX
  controls, OLE objects and embedded packages (chart data workbooks are scanned, not flagged),
  remote templates and other external targets that load content when the document opens,
  DDE fields.
- Executables by magic (PE, ELF, Mach-O, #! scripts): the file itself, every part of a ZIP
  package, every file embedded in a PDF.
- Other formats (OFD once it is supported) plug in with `register()`.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import pymupdf

EXECUTABLE_EXT = frozenset({".exe", ".dll", ".bat", ".cmd", ".com", ".msi", ".scr", ".js", ".vbs",
                            ".ps1", ".sh", ".jar", ".lnk", ".hta", ".wsf", ".cpl", ".pif"})
HEAD = 64
MAX_XML = 8 << 20  # a .rels or [Content_Types].xml larger than this is not read
MAX_NESTED = 64 << 20  # an embedded package larger than this is flagged, not opened
MAX_DEPTH = 2  # packages inside packages inside the file

Scanner = Callable[[Path], list[str]]


class Unreadable(Exception):
    """The file does not open at all (a scanner raises it; the open check names the file)."""

_SCANNERS: dict[str, Scanner] = {}


def register(kind: str, scanner: Scanner) -> None:
    """Add the scanner for a package kind `_kind()` tells apart ("ofd" when OFD lands)."""
    _SCANNERS[kind] = scanner


def executable(head: bytes) -> str:
    """What kind of program `head` (the first bytes of a file) starts, or ""."""
    if head[:2] == b"MZ":
        return "Windows 可执行程序（PE）"
    if head[:4] == b"\x7fELF":
        return "Linux 可执行程序（ELF）"
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return "macOS 可执行程序（Mach-O）"
    if head[:2] == b"#!" and head[2:3] in (b"/", b" "):  # "#!AMR" starts a recording
        return "脚本（#!）"
    return ""


def scan(path: Path, *, pdf: pymupdf.Document | None = None,
         package: zipfile.ZipFile | None = None) -> list[str]:
    """Every piece of active content found in the file at `path`; [] when there is none.
    `pdf`: the file already open in PyMuPDF (a PDF is then not opened again); `package`: the
    file, a ZIP, already open (an Office document is then scanned there)."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError:
        return []
    if what := executable(head):
        return [f"本身是{what}"]
    kind = _kind(path, head, package)
    scanner = _SCANNERS.get(kind)
    if kind == "pdf" and pdf is not None:
        scanner = lambda _path: scan_pdf_doc(pdf)  # noqa: E731
    elif kind == "ooxml" and package is not None and scanner is scan_ooxml:
        scanner = lambda _path: _scan_package(package, 0)  # noqa: E731
    if scanner is None:
        return []
    try:
        return _unique(scanner(path))
    except Unreadable:
        return []  # the open check reports it
    except Exception as exc:  # noqa: BLE001 - a file that opens but defeats the scan fails it
        return [f"活动内容未能检查完（{type(exc).__name__}），不能确认安全"]


def _kind(path: Path, head: bytes, package: zipfile.ZipFile | None = None) -> str:
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            if package is not None:
                names = set(package.namelist())
            else:
                with zipfile.ZipFile(path) as z:
                    names = set(z.namelist())
        except (zipfile.BadZipFile, OSError):
            return ""
        if "OFD.xml" in names:
            return "ofd" if "ofd" in _SCANNERS else "zip"
        if "mimetype" in names and any(n.startswith(("Basic/", "Scripts/")) for n in names):
            return "odf"
        return "ooxml" if "[Content_Types].xml" in names else "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    return ""


def _unique(found: list[str]) -> list[str]:
    return list(dict.fromkeys(found))


def _shown(text: str, limit: int = 60) -> str:
    """A name taken from the file, safe to print: no control or direction characters, short."""
    clean = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    return clean if len(clean) <= limit else clean[:limit] + "…"


def _named_executable(name: str) -> bool:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower() in EXECUTABLE_EXT


# -- PDF -------------------------------------------------------------------------------------


class Name(str):
    """A PDF name, without its slash."""


class Ref(int):
    """An indirect reference: the object number."""


_TOKEN = re.compile(r"\s+|%[^\r\n]*|<<|>>|[\[\]{}]|/[^\s()<>\[\]{}/%]*|\(|<[^>]*>?"
                    r"|[^\s()<>\[\]{}/%]+|.", re.S)


def _tokens(text: str) -> Iterator[Any]:
    """The tokens of one object in the syntax MuPDF prints: names (#xx decoded), strings as
    bytes, dictionary and array brackets, and the other words as they are."""
    i, n = 0, len(text)
    match = _TOKEN.match
    while i < n:
        m = match(text, i)
        assert m is not None  # the last alternative matches any character
        tok, i = m.group(), m.end()
        first = tok[0]
        if first.isspace() or first == "%":
            continue
        if first == "/":
            yield Name(_unescape_name(tok[1:]))
        elif tok == "(":
            i, value = _literal(text, i)
            yield value
        elif first == "<" and tok != "<<":
            digits = "".join(c for c in tok if c in "0123456789abcdefABCDEF")
            yield bytes.fromhex(digits + "0" * (len(digits) % 2))
        else:
            yield tok


def _unescape_name(raw: str) -> str:
    if "#" not in raw:
        return raw
    out, i = bytearray(), 0
    data = raw.encode("latin-1", "replace")
    while i < len(data):
        if data[i] == 0x23 and _is_hex(data[i + 1:i + 3]):
            out.append(int(data[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(data[i])
            i += 1
    return out.decode("latin-1")


def _is_hex(pair: bytes) -> bool:
    return len(pair) == 2 and all(c in b"0123456789abcdefABCDEF" for c in pair)


_ESCAPES = {"n": 10, "r": 13, "t": 9, "b": 8, "f": 12}


def _literal(text: str, i: int) -> tuple[int, bytes]:
    out, depth, n = bytearray(), 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
            elif nxt in "01234567":
                j = i + 1
                while j < n and j < i + 4 and text[j] in "01234567":
                    j += 1
                out.append(int(text[i + 1:j], 8) & 0xFF)
                i = j
            elif nxt in "\r\n":
                i += 2
            else:
                out.extend(nxt.encode("utf-8"))
                i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1, bytes(out)
        out.extend(ch.encode("latin-1") if ord(ch) < 256 else ch.encode("utf-8"))
        i += 1
    return n, bytes(out)


def parse_object(text: str) -> Any:
    """One object as Python values: dict (name -> value), list, Name, bytes (a string), Ref,
    or the word as it is (numbers, true, null). Iterative, so deep nesting cannot overflow."""
    stack: list[list[Any]] = [[]]
    kinds: list[str] = ["top"]
    for tok in _tokens(text):
        if isinstance(tok, (Name, bytes)):
            stack[-1].append(tok)
        elif tok in ("<<", "["):
            stack.append([])
            kinds.append(tok)
        elif tok in (">>", "]") and len(stack) > 1:
            items, kind = stack.pop(), kinds.pop()
            if kind == "<<":
                stack[-1].append({str(items[k]): items[k + 1] for k in range(0, len(items) - 1, 2)
                                  if isinstance(items[k], Name)})
            else:
                stack[-1].append(items)
        elif tok == "R" and len(stack[-1]) >= 2 and all(
                isinstance(v, str) and not isinstance(v, Name) and v.isdigit()
                for v in stack[-1][-2:]):
            del stack[-1][-1]  # the generation number
            stack[-1].append(Ref(int(stack[-1].pop())))
        else:
            stack[-1].append(tok)
    while len(stack) > 1:  # unbalanced: close what is open
        items, kind = stack.pop(), kinds.pop()
        stack[-1].append(items)
    return stack[0][0] if stack[0] else None


def _text(value: Any) -> str:
    """A PDF text string (UTF-16 with BOM, UTF-8, or PDFDocEncoding) as str."""
    if not isinstance(value, bytes):
        return str(value) if isinstance(value, str) else ""
    if value.startswith((b"\xfe\xff", b"\xff\xfe")):
        return value.decode("utf-16", "replace")
    if value.startswith(b"\xef\xbb\xbf"):
        return value[3:].decode("utf-8", "replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


class _Pdf:
    """The objects of one open document, parsed on first use."""

    def __init__(self, doc: pymupdf.Document) -> None:
        self.doc = doc
        self.cache: dict[int, Any] = {}
        self.length = doc.xref_length()

    def text(self, xref: int) -> str:
        try:
            return self.doc.xref_object(xref, compressed=True) if 0 < xref < self.length \
                else "null"
        except (RuntimeError, ValueError):
            return "null"

    def get(self, xref: int) -> Any:
        if xref not in self.cache:
            self.cache[xref] = parse_object(self.text(xref))
        return self.cache[xref]

    def plain_refs(self, xref: int) -> list[Ref] | None:
        """The references in an object that names nothing making or framing a finding (most
        objects: pages trees, fonts, images), which need not be parsed; None for the others."""
        if xref in self.cache:
            return None
        text = self.text(xref)
        if _KEYWORDS.search(text) is not None:
            return None
        return [Ref(int(n)) for n in _REFS.findall(text)]

    def resolve(self, value: Any) -> Any:
        for _ in range(32):  # a reference to a reference ...
            if not isinstance(value, Ref):
                return value
            value = self.get(value)
        return None

    def filename(self, value: Any) -> str:
        """The name in a file specification (a string, or a dictionary with /UF or /F)."""
        value = self.resolve(value)
        if isinstance(value, dict):
            value = self.resolve(value.get("UF")) or self.resolve(value.get("F"))
        return _shown(_text(value))

    def stream_head(self, ref: Any) -> bytes:
        """The first bytes of a stream, inflating no more than that."""
        if not isinstance(ref, Ref) or not self.doc.xref_is_stream(ref):
            return b""
        try:
            raw = self.doc.xref_stream_raw(ref)
            kind, value = self.doc.xref_get_key(ref, "Filter")
        except (RuntimeError, ValueError):
            return b""
        filters = value.replace("[", " ").replace("]", " ").split() if kind != "null" else []
        if not filters:
            return raw[:HEAD]
        if filters == ["/FlateDecode"]:
            try:
                return zlib.decompressobj().decompress(raw, HEAD)
            except zlib.error:
                return b""
        return b""


# every name that makes a finding or sets the context of one (an object without them is
# skipped unless it is reached from such a key)
_KEYWORDS = re.compile(r"/(?:JS|JavaScript|Launch|EF|FS|RichMedia\w*|SubmitForm|ImportData|XFA|"
                       r"URI|OpenAction|AA|A|Next|Names|EmbeddedFile)(?![^\s()<>\[\]{}/%])")
_REFS = re.compile(r"(?<![\d.])(\d+)\s+\d+\s+R(?![^\s()<>\[\]{}/%])")

# the context an action is found in, for how the finding is worded
_JS = {"open": "打开时运行 JavaScript", "event": "在页面或表单事件中运行 JavaScript（附加动作 AA）",
       "doc": "打开时加载文档级 JavaScript", "click": "点击时运行 JavaScript"}
_WHEN = {"open": "打开时", "event": "页面或表单事件中", "click": "点击时", "doc": "打开时"}


def _open_pdf(path: Path) -> pymupdf.Document:
    try:
        return pymupdf.open(path)
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several kinds for a damaged file
        raise Unreadable(str(exc)) from exc


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(str(exc)) from exc


def scan_pdf(path: Path) -> list[str]:
    with _open_pdf(path) as doc:
        return scan_pdf_doc(doc)


def scan_pdf_doc(doc: pymupdf.Document) -> list[str]:
    """scan_pdf of a document already open."""
    if not doc.is_pdf or doc.needs_pass:
        return []  # an encrypted PDF is the encryption check's finding
    pdf = _Pdf(doc)
    found: list[str] = []
    seen: set[tuple[int, str]] = set()
    embedded_streams: set[int] = set()
    try:
        trailer = parse_object(doc.pdf_trailer(compressed=True))
    except (RuntimeError, ValueError):
        trailer = None
    _walk(pdf, trailer, found, seen, embedded_streams)
    reached = {xref for xref, _ in seen}
    for xref in range(1, doc.xref_length()):  # objects no reader reaches, too
        if xref not in reached:
            _walk(pdf, Ref(xref), found, seen, embedded_streams)
    for xref in range(1, doc.xref_length()):
        if xref not in embedded_streams \
                and doc.xref_get_key(xref, "Type") == ("name", "/EmbeddedFile"):
            what = executable(pdf.stream_head(Ref(xref)))
            found.append("嵌入了未命名的文件" + (f"，是{what}" if what else ""))
    return found


_LATER = frozenset({"Pages", "Kids", "Parent", "Annots", "P"})


def _walk(pdf: _Pdf, start: Any, found: list[str], seen: set[tuple[int, str]],
          embedded_streams: set[int]) -> None:
    stack: list[tuple[Any, str]] = [(start, "")]
    while stack:
        value, ctx = stack.pop()
        if isinstance(value, Ref):
            if (value, ctx) in seen:
                continue
            seen.add((value, ctx))
            if not ctx and (refs := pdf.plain_refs(value)) is not None:
                stack.extend((ref, "") for ref in reversed(refs))
                continue
            value = pdf.get(value)
        if isinstance(value, list):
            stack.extend((v, ctx) for v in reversed(value))
        elif isinstance(value, dict):
            _inspect(pdf, value, ctx, found, embedded_streams)
            # what the document does as a whole is found before what its pages do
            for key, child in sorted(reversed(value.items()), key=lambda kv: kv[0] not in _LATER):
                stack.append((child, _child_context(key, child, ctx, value)))


def _child_context(key: str, child: Any, ctx: str, parent: dict[str, Any]) -> str:
    if key == "OpenAction":
        return "open"
    if key == "AA":
        return "event"
    if key == "A" and parent.get("Type") != "Action":
        return "click"
    if key == "JavaScript" and isinstance(child, (dict, Ref)):  # the document's name tree
        return "doc"
    if key == "FS" and parent.get("Subtype") == "FileAttachment":
        return "attach"
    if key == "Next" or (ctx == "event" and "S" not in parent) or (
            ctx == "doc" and key in ("Names", "Kids")):
        return ctx
    return ""


def _inspect(pdf: _Pdf, d: dict[str, Any], ctx: str, found: list[str],
             embedded_streams: set[int]) -> None:
    action = d.get("S")
    if action == "JavaScript" or "JS" in d:
        found.append(_JS.get(ctx, "含 JavaScript 动作"))
    if action == "URI" and _text(pdf.resolve(d.get("URI"))).strip().lower().startswith(
            "javascript:"):
        found.append(_JS.get(ctx, "含 JavaScript 动作") + "（javascript: 链接）")
    if action == "Launch":
        name = pdf.filename(d.get("F"))
        win = pdf.resolve(d.get("Win"))
        if not name and isinstance(win, dict):
            name = pdf.filename(win.get("F"))
        found.append(f"{_WHEN.get(ctx, '')}启动外部程序{' ' + name if name else ''}（Launch 动作）")
    if action == "SubmitForm":
        found.append("把表单数据提交到外部地址（SubmitForm）")
    if action == "ImportData":
        found.append("从外部文件导入数据（ImportData）")
    if d.get("Subtype") == "RichMedia" or "RichMediaContent" in d or action == "RichMediaExecute":
        found.append("富媒体内容（RichMedia，可含 Flash 或脚本）")
    if "XFA" in d:
        found.append("XFA 动态表单（可含脚本）")
    ef = pdf.resolve(d.get("EF"))
    if isinstance(ef, dict):
        stream = ef.get("UF") or ef.get("F")
        if isinstance(stream, Ref):
            embedded_streams.add(stream)
        name = pdf.filename(d)
        what = executable(pdf.stream_head(stream))
        if not what and _named_executable(name):
            what = "可执行文件"
        where = "文件附件注释中嵌入了文件" if ctx == "attach" else "嵌入了文件"
        found.append(f"{where} {name or '（未命名）'}" + (f"，是{what}" if what else ""))


register("pdf", scan_pdf)


# -- ZIP packages: Office Open XML, and ZIP members in general -------------------------------

_REMOTE = ("http:", "https:", "ftp:", "smb:", "\\\\", "//", "mhtml:")


def _remote(target: str) -> bool:
    t = target.strip().lower()
    return t.startswith(_REMOTE) or (t.startswith("file://") and not t.startswith("file:///"))


def scan_ooxml(path: Path) -> list[str]:
    with _open_zip(path) as z:
        return _scan_package(z, 0)


def scan_zip(path: Path) -> list[str]:
    """A ZIP that is no Office document: executables among its members."""
    with _open_zip(path) as z:
        return [f"包含可执行文件 {_shown(name)}，是{what}" for name, what in _executables(z)]


def _executables(z: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    for info in z.infolist():
        if info.is_dir():
            continue
        try:
            with z.open(info) as f:
                head = f.read(HEAD)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
            continue
        if what := executable(head):
            yield info.filename, what


def _read_xml(z: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = z.getinfo(name)
        if info.file_size > MAX_XML:
            return None
        return ElementTree.fromstring(z.read(info))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, RuntimeError,
            NotImplementedError, zlib.error, ValueError):
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(z: zipfile.ZipFile) -> Iterator[tuple[str, str, str, bool]]:
    """(source part, relationship type's last word, target, external) of every relationship."""
    for name in z.namelist():
        if not name.endswith(".rels"):
            continue
        folder, _, rels = name.rpartition("_rels/")
        source = folder + rels[:-len(".rels")]
        root = _read_xml(z, name)
        if root is None:
            continue
        for rel in root:
            if _local(rel.tag) != "Relationship":
                continue
            rtype = rel.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "").lower() == "external"
            if not external:
                base = posixpath.dirname(source)
                target = target.lstrip("/") if target.startswith("/") \
                    else posixpath.normpath(posixpath.join(base, target))
            yield source, rtype, target, external


def _scan_package(z: zipfile.ZipFile, depth: int) -> list[str]:
    found: list[str] = []
    names = [i.filename for i in z.infolist() if not i.is_dir()]
    lower = {n: n.lower() for n in names}
    types = _read_xml(z, "[Content_Types].xml")
    for el in types.iter() if types is not None else ():
        ctype = el.get("ContentType", "").lower()
        if "macroenabled" in ctype or "vbaproject" in ctype:
            found.append("包含宏（VBA）")
        if "activex" in ctype:
            found.append("包含 ActiveX 控件")
    for n in names:
        if lower[n].endswith(("vbaproject.bin", "vbadata.xml")):
            found.append("包含宏（VBA）")
        if "/activex/" in lower[n]:
            found.append("包含 ActiveX 控件")

    chart_data: set[str] = set()  # workbooks behind charts: ordinary data, scanned inside
    for source, rtype, target, external in _relationships(z):
        shown = _shown(target, 80)
        if rtype == "oleObject" and external:
            found.append(f"链接外部 OLE 对象 {shown}")
        elif rtype == "attachedTemplate" and external and _remote(target):
            found.append(f"打开时加载远程模板 {shown}")
        elif rtype in ("frame", "subDocument") and external and _remote(target):
            found.append(f"打开时加载外部文档 {shown}")
        elif rtype in ("control", "activeXControlBinary"):
            found.append("包含 ActiveX 控件")
        elif rtype == "vbaProject":
            found.append("包含宏（VBA）")
        elif rtype in ("package", "oleObject") and not external and (
                "/charts/" in f"/{source}" or "/chartex" in f"/{source}".lower()):
            chart_data.add(target)

    for n in names:
        if _FIELD_PARTS.match(n) and _dde_field(z, n):
            found.append("含 DDE 字段（打开时可运行外部命令）")

    executables = dict(_executables(z))
    for n in names:
        base = _shown(PurePosixPath(n).name)
        if n in executables:
            found.append(f"包含可执行文件 {base}，是{executables[n]}")
            continue
        if "/embeddings/" not in f"/{lower[n]}":
            continue
        nested = _nested(z, n, depth)
        if n not in chart_data:
            ole = nested is None and _head(z, n).startswith(b"\xd0\xcf\x11\xe0")
            kind = "OLE 对象" if ole or lower[n].endswith(".bin") else "文档或文件"
            found.append(f"嵌入了{kind} {base}")
        found.extend(f"嵌入的 {base} 中：{what}" for what in nested or ())
    return found


# the Word parts whose fields are updated on opening; DDE/DDEAUTO fields run a program
_FIELD_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_INSTR = re.compile(rb'<w:instrText[^>]*>([^<]*)<|w:instr="([^"]*)"')
_DDE = re.compile(rb"^\s*DDE(AUTO)?\b", re.I)


def _dde_field(z: zipfile.ZipFile, name: str) -> bool:
    """Whether a field instruction in the part starts with DDE or DDEAUTO (read in pieces,
    so a large document is not held whole)."""
    tail = b""
    try:
        with z.open(name) as f:
            while chunk := f.read(1 << 20):
                data = tail + chunk
                if any(_DDE.match(a or b) for a, b in _INSTR.findall(data)):
                    return True
                tail = data[-4096:]
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
        return False
    return False


def _head(z: zipfile.ZipFile, name: str) -> bytes:
    try:
        with z.open(name) as f:
            return f.read(HEAD)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
        return b""


def _nested(z: zipfile.ZipFile, name: str, depth: int) -> list[str] | None:
    """Findings inside an embedded Office package; None when the part is not one."""
    if not _head(z, name).startswith(b"PK\x03\x04"):
        return None
    if depth >= MAX_DEPTH or z.getinfo(name).file_size > MAX_NESTED:
        return ["嵌套过深或过大，未能检查其中的内容"]
    try:
        with zipfile.ZipFile(io.BytesIO(z.read(name))) as inner:
            return _scan_package(inner, depth + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
        return None


# -- Office 97-2003 and WPS (OLE), ODF ---------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# storages that hold VBA macros in Word, Excel and PowerPoint 97-2003 files (WPS writes the same)
_VBA_STORAGES = {"macros", "_vba_project_cur", "vba", "_vba_project"}


def scan_ole(path: Path) -> list[str]:
    """VBA macros and embedded OLE objects of a Word/Excel/PowerPoint 97-2003 or WPS file."""
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except (OSError, ValueError) as exc:
        raise Unreadable(str(exc)) from exc
    found: list[str] = []
    try:
        for entry in ole.listdir(streams=True, storages=True):
            parts = [part.lower() for part in entry]
            if any(part in _VBA_STORAGES for part in parts):
                found.append("含宏（VBA），打开时可能运行程序")
            elif (len(parts) > 1 and parts[0] in ("objectpool", "embedding")) or \
                    parts[-1] == "\x01ole10native":  # an empty ObjectPool holds nothing
                found.append("嵌入了 OLE 对象")
    finally:
        ole.close()
    return found


def scan_odf(path: Path) -> list[str]:
    """Basic or script macros of an ODF document (they sit in its Basic/ or Scripts/ folder)."""
    return ["含宏（LibreOffice Basic 或脚本），打开时可能运行程序"]


register("ooxml", scan_ooxml)
register("zip", scan_zip)
register("ole", scan_ole)
register("odf", scan_odf)
