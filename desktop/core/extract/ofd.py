"""OFD (GB/T 33190-2016 版式文档, the format of 电子公文): page count, text per page and a
PDF drawing of the pages for the viewer, the OCR phase and the export.

An OFD is a ZIP: OFD.xml names each document's Document.xml (DocBody/DocRoot), which names
the resources (fonts, images) and the pages; each page's Content.xml holds layers of text,
path and image objects in millimetres, y pointing down. A location inside the package is
relative to the file that names it, or absolute from the package root when it starts with /.

Elements are matched by local name: some writers put the OFD elements in a namespace other
than http://www.ofdspec.org/2016, or in none.
"""

from __future__ import annotations

import io
import logging
import math
import posixpath
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import pymupdf
from lxml import etree
from PIL import Image

from desktop.core.common import limits, zipsafety
from desktop.core.extract.base import (
    MAX_CHARS,
    ExtractError,
    Extraction,
    PageText,
    clean_text,
    describe,
)

__all__ = ["extract_ofd", "ofd_page_count", "ofd_to_pdf"]

log = logging.getLogger(__name__)

MAX_PAGES = 10_000  # pages of one file; a real 公文 has a few, a scanned dossier hundreds
MAX_OBJECTS = 200_000  # graphic objects drawn on one page (templates and annotations included)
MAX_DEPTH = 32  # nested PageBlock / CompositeObject
MAX_UNZIPPED = limits.OFFICE_MAX_UNZIPPED  # all members, as declared
MAX_PART = 64 * limits.MB  # one XML part, unpacked
MAX_MEDIA = 64 * limits.MB  # one image file, unpacked
MAX_IMAGE_PIXELS = 100_000_000
MAX_PAGE_MM = 5080.0  # 14,400 pt, the page size limit of PDF readers
MM = 72 / 25.4  # points per millimetre
A4 = (0.0, 0.0, 210.0, 297.0)

# as documents._pdf: a page with fewer visible characters than this and something drawn on it
# is a scan (or text drawn as outlines) and goes to OCR
_MIN_PAGE_CHARS = 20
_MIN_PATHS = 8

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, remove_comments=True,
                          remove_pis=True)
_LAYER_ORDER = {"background": 0, "body": 1, "foreground": 2}


# --------------------------------------------------------------------------- XML helpers


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _kids(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if _local(child) == name:
            yield child


def _kid(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next(_kids(element, name), None)


def _kid_text(element: etree._Element | None, name: str) -> str:
    found = _kid(element, name)
    return (found.text or "").strip() if found is not None else ""


_LIMIT = 1e7  # mm (10 km): no real coordinate comes near; larger ones would overflow MuPDF


def _clamp(value: float) -> float:
    return value if -_LIMIT < value < _LIMIT else (_LIMIT if value > 0 else -_LIMIT)


def _numbers(text: str | None) -> list[float]:
    return [_clamp(float(n)) for n in _NUMBER.findall(text or "")]


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    values = _numbers(text)
    if len(values) < 4 or values[2] <= 0 or values[3] <= 0:
        return None
    x, y, w, h = values[:4]
    return x, y, w, h


def _matrix(text: str | None) -> pymupdf.Matrix | None:
    values = _numbers(text)
    return pymupdf.Matrix(*values[:6]) if len(values) >= 6 else None


def _flag(element: etree._Element, name: str, default: bool) -> bool:
    value = element.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("true", "1")


def _float(element: etree._Element, *names: str, default: float) -> float:
    for name in names:
        values = _numbers(element.get(name))
        if values:
            return values[0]
    return default


class _Unsafe(ExtractError):
    """A part built to harm (XML bomb, too many objects, too deep): the whole file is refused,
    where a merely broken page only loses that page."""


# --------------------------------------------------------------------------- the package


class _Package:
    """The ZIP, checked once: no unsafe names, no bomb, no encrypted members."""

    def __init__(self, path: Path | BinaryIO) -> None:
        try:
            self.zf = zipfile.ZipFile(path)
        except (FileNotFoundError, PermissionError, IsADirectoryError):
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ExtractError(f"OFD 文件已损坏（不是有效的压缩包：{describe(exc)}）；"
                               "请向发文单位索取完整的文件") from exc
        try:
            self._check()
        except BaseException:
            self.zf.close()
            raise
        # some Windows tools store "Doc_0\\Document.xml": read as the "/" it stands for
        self.names = {info.filename.replace("\\", "/"): info for info in self.zf.infolist()}
        self.folded = {name.lower(): name for name in self.names}
        # a package zipped together with its folder has everything under one top folder
        self.prefix = ""
        if "OFD.xml" not in self.names:
            tops = {name.split("/", 1)[0] for name in self.names}
            if len(tops) == 1 and f"{next(iter(tops))}/OFD.xml" in self.names:
                self.prefix = next(iter(tops))

    def _check(self) -> None:
        total = 0
        for info in self.zf.infolist():
            why = zipsafety.unsafe_name(info.filename.replace("\\", "/"))
            if why:
                raise ExtractError(f"OFD 文件中有不安全的成员名（{limits.quoted(info.filename)}"
                                   f" {why}），疑似恶意文件，已拒绝打开")
            if info.flag_bits & 0x1:
                raise ExtractError("OFD 文件已加密（需要密码才能打开），无法提取文字；"
                                   "请提供未加密的版本")
            if zipsafety.inflates_like_a_bomb(info):
                raise ExtractError(f"OFD 文件中的 {limits.quoted(info.filename)} 解压比例异常，"
                                   "疑似压缩炸弹，已跳过")
            total += info.file_size
        if total > MAX_UNZIPPED:
            raise ExtractError(f"OFD 文件解压后超过 {limits.size_text(MAX_UNZIPPED)} 上限，"
                               "疑似压缩炸弹，已跳过")

    def close(self) -> None:
        self.zf.close()

    def find(self, name: str) -> str | None:
        if name in self.names:
            return name
        return self.folded.get(name.lower())

    def read(self, name: str, cap: int) -> bytes:
        info = self.names[name]
        if info.file_size > cap:
            raise ExtractError(f"OFD 文件中的 {limits.quoted(name)} 解压后超过 "
                               f"{limits.size_text(cap)}，疑似恶意文件，已跳过")
        try:
            with self.zf.open(info) as fh:
                data = fh.read(cap + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ExtractError(f"OFD 文件已损坏，{limits.quoted(name)} 无法解压"
                               f"（{describe(exc)}）") from exc
        if len(data) > cap:
            raise ExtractError(f"OFD 文件中的 {limits.quoted(name)} 解压后超过 "
                               f"{limits.size_text(cap)}，疑似恶意文件，已跳过")
        return data

    def xml(self, name: str) -> etree._Element:
        data = self.read(name, MAX_PART)
        if _DOCTYPE.search(data):
            raise _Unsafe(f"OFD 文件中的 {limits.quoted(name)} 含有 DTD/实体声明，"
                          "疑似恶意文件（XML 炸弹），已拒绝打开")
        try:
            root = etree.fromstring(data, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ExtractError(f"OFD 文件中的 {limits.quoted(name)} 已损坏，不是有效的 XML"
                               f"（{describe(exc)}）") from exc
        if root.getroottree().docinfo.internalDTD is not None:  # UTF-16 slips past the scan
            raise _Unsafe(f"OFD 文件中的 {limits.quoted(name)} 含有 DTD/实体声明，"
                          "疑似恶意文件（XML 炸弹），已拒绝打开")
        return root

    def join(self, base_dir: str, loc: str) -> str | None:
        """`loc` named by a file in `base_dir`, as a member name; None if it leaves the
        package (a `/` location starts at the package root)."""
        loc = loc.strip().replace("\\", "/")
        if not loc:
            return None
        if loc.startswith("/"):
            joined = posixpath.join(self.prefix, loc.lstrip("/"))
        else:
            joined = posixpath.join(self.prefix if base_dir == "" else base_dir, loc)
        normal = posixpath.normpath(joined)
        if normal.startswith("../") or normal in ("..", ".") or normal.startswith("/"):
            return None
        if self.prefix and not normal.startswith(self.prefix + "/"):
            return None
        return normal

    def locate(self, loc: str, *bases: str) -> str | None:
        """The member `loc` names, trying each base folder in turn (sloppy writers)."""
        for base in bases:
            name = self.join(base, loc)
            if name is not None and (found := self.find(name)) is not None:
                return found
        return None


# --------------------------------------------------------------------------- resources


@dataclass
class _Res:
    fonts: dict[str, etree._Element] = field(default_factory=dict)
    spaces: dict[str, tuple[str, int]] = field(default_factory=dict)  # ID -> type, bits
    params: dict[str, etree._Element] = field(default_factory=dict)  # DrawParam
    media: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # ID -> member, format
    units: dict[str, etree._Element] = field(default_factory=dict)  # CompositeGraphicUnit
    font_files: dict[str, str] = field(default_factory=dict)  # Font ID -> embedded font member

    def merged(self, other: _Res) -> _Res:
        return _Res({**self.fonts, **other.fonts}, {**self.spaces, **other.spaces},
                    {**self.params, **other.params}, {**self.media, **other.media},
                    {**self.units, **other.units}, {**self.font_files, **other.font_files})


def _load_res(pkg: _Package, name: str, doc_dir: str, into: _Res) -> None:
    root = pkg.xml(name)
    res_dir = posixpath.dirname(name)
    base = pkg.join(res_dir, root.get("BaseLoc", "")) or res_dir
    for group in root:
        for item in group:
            kind, item_id = _local(item), item.get("ID", "")
            if not item_id:
                continue
            if kind == "Font":
                into.fonts[item_id] = item
                loc = _kid_text(item, "FontFile")
                member = pkg.locate(loc, base, res_dir, doc_dir) if loc else None
                if member is not None:
                    into.font_files[item_id] = member
            elif kind == "ColorSpace":
                bits = int(_float(item, "BitsPerComponent", default=8))
                into.spaces[item_id] = (item.get("Type", "RGB").upper(), bits)
            elif kind == "DrawParam":
                into.params[item_id] = item
            elif kind == "MultiMedia":
                loc = _kid_text(item, "MediaFile")
                member = pkg.locate(loc, base, res_dir, doc_dir, posixpath.join(doc_dir, "Res"))
                into.media[item_id] = (member, item.get("Format", "").upper())
            elif kind == "CompositeGraphicUnit":
                into.units[item_id] = item


# --------------------------------------------------------------------------- the document


@dataclass
class _PageInfo:
    index: int
    page_id: str
    member: str | None


class _Doc:
    """OFD.xml and the first document's Document.xml with its resources, pages and templates."""

    def __init__(self, path: Path | BinaryIO) -> None:
        self.pkg = _Package(path)
        try:
            self._load()
        except BaseException:
            self.pkg.close()
            raise

    def close(self) -> None:
        self.pkg.close()

    def __enter__(self) -> _Doc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _load(self) -> None:
        pkg = self.pkg
        entry = pkg.find(posixpath.join(pkg.prefix, "OFD.xml"))
        if entry is None:
            if pkg.find(posixpath.join(pkg.prefix, "Encryptions.xml")) is not None:
                raise ExtractError("OFD 文件已加密（需要密码或密钥才能打开），无法提取文字；"
                                   "请提供未加密的版本")
            raise ExtractError("OFD 文件缺少 OFD.xml，不是有效的 OFD 版式文件；"
                               "请用原软件重新导出或向发文单位索取")
        ofd = pkg.xml(entry)
        body = next((b for b in _kids(ofd, "DocBody") if _kid_text(b, "DocRoot")), None)
        if body is None:
            raise ExtractError("OFD 文件的 OFD.xml 中没有指明文档（缺少 DocBody/DocRoot），"
                               "不是有效的 OFD 版式文件")
        loc = _kid_text(body, "DocRoot")
        doc_name = pkg.locate(loc, "")
        if doc_name is None:
            raise ExtractError(f"OFD 文件缺少 {limits.quoted(loc)}（OFD.xml 指向的文档），"
                               "文件不完整；请用原软件重新导出")
        self.doc_name = doc_name
        self.doc_dir = doc_dir = posixpath.dirname(doc_name)
        document = pkg.xml(doc_name)
        common = _kid(document, "CommonData")
        self.box = _box(_kid_text(_kid(common, "PageArea"), "PhysicalBox")) or A4
        self.res = _Res()
        if common is not None:
            for child in common:
                if _local(child) in ("PublicRes", "DocumentRes") and (child.text or "").strip():
                    member = pkg.locate(child.text or "", doc_dir)
                    if member is None:
                        log.info("OFD 资源文件缺失：%s", child.text)
                        continue
                    try:
                        _load_res(pkg, member, doc_dir, self.res)
                    except _Unsafe:
                        raise
                    except ExtractError as exc:  # the text does not need the resources
                        log.info("OFD 资源文件无法读取：%s", exc.reason)
        self.templates: dict[str, tuple[str | None, str]] = {}
        self._templates: dict[str, etree._Element | None] = {}
        for tpl in _kids(common, "TemplatePage") if common is not None else ():
            member = pkg.locate(tpl.get("BaseLoc", ""), doc_dir)
            self.templates[tpl.get("ID", "")] = (member, tpl.get("ZOrder", "Background"))
        pages_el = _kid(document, "Pages")
        pages = list(_kids(pages_el, "Page")) if pages_el is not None else []
        if not pages:
            raise ExtractError("OFD 文件中没有任何页面（Document.xml 的 Pages 为空），"
                               "文件不完整；请用原软件重新导出")
        if len(pages) > MAX_PAGES:
            raise ExtractError(f"OFD 文件有 {len(pages)} 页，超过 {MAX_PAGES} 页上限，"
                               "疑似恶意文件，已跳过")
        self.pages = [
            _PageInfo(i, page.get("ID", ""), pkg.locate(page.get("BaseLoc", ""), doc_dir))
            for i, page in enumerate(pages)
        ]
        annots = _kid_text(document, "Annotations")
        self.annotations = pkg.locate(annots, doc_dir) if annots else None
        signs = _kid_text(body, "Signatures")
        self.signatures = pkg.locate(signs, "") if signs else None
        self.title = _kid_text(_kid(body, "DocInfo"), "Title")

    # -- one page

    def page_root(self, info: _PageInfo) -> etree._Element:
        if info.member is None:
            raise ExtractError(f"OFD 文件缺少第 {info.index + 1} 页的内容文件（Content.xml），"
                               "文件不完整")
        return self.pkg.xml(info.member)

    def page_box(self, root: etree._Element | None) -> tuple[float, float, float, float]:
        area = _kid(root, "Area")
        box = _box(_kid_text(area, "PhysicalBox")) or self.box
        if max(box[2], box[3]) > MAX_PAGE_MM:
            raise _Unsafe(f"OFD 页面尺寸 {box[2]:g} × {box[3]:g} 毫米，超过 {MAX_PAGE_MM:g} 毫米"
                          "上限，疑似恶意文件，已跳过")
        return box

    def template_root(self, member: str) -> etree._Element | None:
        """A template's content, parsed once; None (and a note) if it is broken."""
        if member not in self._templates:
            try:
                self._templates[member] = self.pkg.xml(member)
            except _Unsafe:
                raise
            except ExtractError as exc:
                log.info("OFD 模板无法读取：%s", exc.reason)
                self._templates[member] = None
        return self._templates[member]

    def page_res(self, info: _PageInfo, root: etree._Element) -> _Res:
        extra = list(_kids(root, "PageRes"))
        if not extra:
            return self.res
        res = _Res()
        page_dir = posixpath.dirname(info.member or "")
        for child in extra:
            member = self.pkg.locate(child.text or "", page_dir, self.doc_dir)
            if member is not None:
                _load_res(self.pkg, member, self.doc_dir, res)
        return self.res.merged(res)

    def page_templates(self, root: etree._Element) -> list[tuple[str, str, str]]:
        """(template ID, member, ZOrder) of the templates the page applies, in order."""
        found = []
        for ref in _kids(root, "Template"):
            tpl_id = ref.get("TemplateID", "")
            member, order = self.templates.get(tpl_id, (None, "Background"))
            if member is not None:
                found.append((tpl_id, member, ref.get("ZOrder") or order))
        return found


# --------------------------------------------------------------------------- graphic objects


@dataclass
class _Obj:
    kind: str  # "text", "path" or "image"
    el: etree._Element
    matrix: pymupdf.Matrix  # object space -> page space, both in mm
    params: tuple[etree._Element, ...]  # DrawParam of the enclosing layer, if any
    res: _Res


class _Counter:
    def __init__(self, page: int) -> None:
        self.page = page
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.count > MAX_OBJECTS:
            raise _Unsafe(f"OFD 第 {self.page + 1} 页的图形对象超过 {MAX_OBJECTS} 个，"
                               "疑似恶意文件，已跳过")


def _object_matrix(el: etree._Element, parent: pymupdf.Matrix, image: bool) -> pymupdf.Matrix:
    box = _box(el.get("Boundary"))
    bx, by = (box[0], box[1]) if box else (0.0, 0.0)
    ctm = _matrix(el.get("CTM"))
    if ctm is None and image and box is not None:
        ctm = pymupdf.Matrix(box[2], 0, 0, box[3], 0, 0)  # no CTM: the image fills its Boundary
    local = ctm if ctm is not None else pymupdf.Matrix(1, 0, 0, 1, 0, 0)
    return local * pymupdf.Matrix(1, 0, 0, 1, bx, by) * parent


def _walk(container: etree._Element, parent: pymupdf.Matrix, params: tuple[etree._Element, ...],
          res: _Res, counter: _Counter, depth: int = 0) -> Iterator[_Obj]:
    if depth > MAX_DEPTH:
        raise _Unsafe(f"OFD 第 {counter.page + 1} 页的对象嵌套超过 {MAX_DEPTH} 层，"
                           "疑似恶意文件，已跳过")
    for el in container:
        kind = _local(el)
        if kind in ("TextObject", "PathObject", "ImageObject", "CompositeObject", "PageBlock"):
            counter.tick()
        else:
            continue
        if not _flag(el, "Visible", True):
            continue
        if kind == "PageBlock":
            yield from _walk(el, parent, params, res, counter, depth + 1)
        elif kind == "CompositeObject":
            unit = res.units.get(el.get("ResourceID", ""))
            content = _kid(unit, "Content")
            if content is not None:
                yield from _walk(content, _object_matrix(el, parent, False), params, res,
                                 counter, depth + 1)
        else:
            short = {"TextObject": "text", "PathObject": "path", "ImageObject": "image"}[kind]
            yield _Obj(short, el, _object_matrix(el, parent, short == "image"), params, res)


def _layers(root: etree._Element) -> list[etree._Element]:
    layers = [layer for content in _kids(root, "Content") for layer in _kids(content, "Layer")]
    return sorted(layers, key=lambda layer: _LAYER_ORDER.get(layer.get("Type", "Body").lower(), 1))


def _layer_objects(root: etree._Element, res: _Res, counter: _Counter,
                   parent: pymupdf.Matrix | None = None) -> Iterator[_Obj]:
    parent = parent if parent is not None else pymupdf.Matrix(1, 0, 0, 1, 0, 0)
    for layer in _layers(root):
        param = res.params.get(layer.get("DrawParam", ""))
        yield from _walk(layer, parent, (param,) if param is not None else (), res, counter)


# --------------------------------------------------------------------------- text positions


@lru_cache(maxsize=65536)
def _em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55


def _advance(ch: str, size: float) -> float:
    """Advance of a glyph where the OFD gives none: a full em for CJK, about half for Latin."""
    return size * _em(ch)


def _deltas(text: str | None, needed: int) -> list[float]:
    """DeltaX / DeltaY values; "g N v" stands for N times v."""
    tokens = (text or "").split()
    out: list[float] = []
    i = 0
    try:
        while i < len(tokens) and len(out) < needed:
            if tokens[i] == "g" and i + 2 < len(tokens):
                count = int(float(tokens[i + 1]))
                value = float(tokens[i + 2])
                out.extend([value] * max(0, min(count, needed - len(out))))
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except (ValueError, OverflowError):  # "inf" and "nan" end the list like any other junk
        pass
    return [_clamp(v) if math.isfinite(v) else 0.0 for v in out]


def _text_size(el: etree._Element) -> float:
    return _float(el, "Size", "size", default=3.5)


def _glyphs(el: etree._Element) -> Iterator[tuple[str, float, float]]:
    """(character, x, y) of each glyph of a TextObject, in object space (baseline points)."""
    size = _text_size(el)
    x = y = 0.0
    for code in _kids(el, "TextCode"):
        # NFC folds CJK compatibility ideographs (U+F900..) into the unified ones people type
        text = unicodedata.normalize("NFC", code.text or "")
        x = _float(code, "X", default=x)
        y = _float(code, "Y", default=y)
        if not text:
            continue
        dxs = _deltas(code.get("DeltaX"), len(text) - 1)
        dys = _deltas(code.get("DeltaY"), len(text) - 1)
        last = len(text) - 1
        for i, ch in enumerate(text):
            yield ch, x, y
            if i < last:  # a short DeltaX list repeats its last value (as other readers do)
                x += dxs[min(i, len(dxs) - 1)] if dxs else _advance(ch, size)
                y += dys[min(i, len(dys) - 1)] if dys else 0.0
        x += _advance(text[-1], size)


def _scale(m: pymupdf.Matrix) -> float:
    return math.sqrt(abs(m.a * m.d - m.b * m.c)) or 1.0


Glyph = tuple[float, float, float, str]  # baseline y, x, size (page mm), character


def _lines(glyphs: list[Glyph]) -> list[str]:
    """Glyphs on the same baseline make a line; lines from top to bottom, glyphs left to right;
    a gap wider than most of a character becomes one space."""
    glyphs.sort()
    rows: list[list[Glyph]] = []
    base = row_size = -1e9
    for g in glyphs:
        if rows and abs(g[0] - base) <= 0.4 * max(g[2], row_size):
            rows[-1].append(g)
        else:
            rows.append([g])
            base, row_size = g[0], g[2]
    lines = []
    for row in rows:
        row.sort(key=lambda g: g[1])
        parts: list[str] = []
        end = None
        for _y, x, size, ch in row:
            if end is not None and x - end > 0.8 * size and parts and parts[-1] != " ":
                parts.append(" ")
            parts.append(ch)
            right = x + _advance(ch, size)
            end = right if end is None or right > end else end
        line = "".join(parts).strip()
        if line:
            lines.append(line)
    return lines


# --------------------------------------------------------------------------- public: count, text


def ofd_page_count(path: Path) -> int:
    """Number of pages of the OFD at `path`; ExtractError if it is broken or unsafe."""
    with _Doc(Path(path)) as doc:
        return len(doc.pages)


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def extract_ofd(path: Path) -> Extraction:
    """Text of each page (reading order by lines, top to bottom); pages with almost no text but
    with an image or many paths drawn are listed in ``ocr_pages``. A template's text is kept
    on the first page that applies it only (headers and footers do not repeat)."""
    pages: list[PageText] = []
    ocr_pages: list[int] = []
    errors: list[str] = []
    left = MAX_CHARS
    seen_templates: set[str] = set()
    with _Doc(Path(path)) as doc:
        for info in doc.pages:
            if left <= 0:
                break
            try:
                text, needs_ocr = _page_text(doc, info, seen_templates)
            except _Unsafe:
                raise
            except ExtractError as exc:
                errors.append(f"第 {info.index + 1} 页：{exc.reason}")
                continue
            if text.strip():
                text = text[:left]
                left -= len(text)
                pages.append(PageText(info.index, text, "text"))
            if needs_ocr:
                ocr_pages.append(info.index)
    if errors and not pages and not ocr_pages:
        raise ExtractError(f"OFD 文件已损坏，任何一页都无法读取（{errors[0]}）")
    if not pages and not ocr_pages:
        return Extraction(state="no_text", reason="OFD 文件中没有文字，页面上也没有图片可识别")
    return Extraction(state="done", pages=tuple(pages), ocr_pages=tuple(ocr_pages))


def _page_text(doc: _Doc, info: _PageInfo, seen_templates: set[str]) -> tuple[str, bool]:
    root = doc.page_root(info)
    res = doc.page_res(info, root)
    counter = _Counter(info.index)
    x0, y0, w, h = doc.page_box(root)
    sources: list[etree._Element] = []
    for tpl_id, member, _order in doc.page_templates(root):
        if tpl_id not in seen_templates:
            seen_templates.add(tpl_id)
            if (template := doc.template_root(member)) is not None:
                sources.append(template)
    glyphs: list[Glyph] = []
    images = paths = 0
    budget = MAX_CHARS
    for source in [*sources, root]:
        for obj in _layer_objects(source, res, counter):
            if obj.kind == "text" and budget > 0:
                m = obj.matrix
                size = _text_size(obj.el) * _scale(m)
                a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
                for ch, gx, gy in _glyphs(obj.el):
                    glyphs.append((b * gx + d * gy + f, a * gx + c * gy + e, size, ch))
                    budget -= 1
            elif obj.kind == "image":
                quad = pymupdf.Rect(0, 0, 1, 1).quad * obj.matrix
                if abs(quad.rect & pymupdf.Rect(x0, y0, x0 + w, y0 + h)) >= w * h * 0.001:
                    images += 1
            elif obj.kind == "path":
                paths += 1
    text = clean_text("\n".join(_lines(glyphs)))
    needs_ocr = _visible(text) < _MIN_PAGE_CHARS and (images > 0 or paths >= _MIN_PATHS)
    return text, needs_ocr


# --------------------------------------------------------------------------- colours


def _colour(el: etree._Element | None, res: _Res) -> tuple[tuple[float, ...], float] | None:
    """(RGB 0..1, alpha 0..1) of a FillColor/StrokeColor element, or None."""
    if el is None:
        return None
    value = el.get("Value")
    if value is None:  # one writer puts <Value> in a child element
        value = _kid_text(el, "Value") or None
    if value is None:
        return None
    tokens = value.split()
    nums: list[float] = []
    for token in tokens:
        try:
            nums.append(float(int(token[1:], 16)) if token.startswith("#") else float(token))
        except ValueError:
            return None
    space, bits = res.spaces.get(el.get("ColorSpace", ""), ("", 8))
    if not space:
        space = {1: "GRAY", 4: "CMYK"}.get(len(nums), "RGB")
    top = float(2 ** min(max(bits, 1), 16) - 1)
    scaled = [min(max(n / top, 0.0), 1.0) for n in nums]
    rgb: tuple[float, ...]
    if space == "GRAY" and scaled:
        rgb = (scaled[0],) * 3
    elif space == "CMYK" and len(scaled) >= 4:
        c, m, y, k = scaled[:4]
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    elif len(scaled) >= 3:
        rgb = tuple(scaled[:3])
    else:
        return None
    alpha = _float(el, "Alpha", default=255.0) / 255.0
    return rgb, min(max(alpha, 0.0), 1.0)


def _bold(obj: _Obj) -> bool:
    font = obj.res.fonts.get(obj.el.get("Font", ""))
    weight = _float(obj.el, "Weight", default=400)
    return weight >= 700 or (font is not None and _flag(font, "Bold", False))


def _param_chain(obj: _Obj) -> list[etree._Element]:
    chain: list[etree._Element] = []
    param = obj.res.params.get(obj.el.get("DrawParam", ""))
    starts = [param] if param is not None else []
    for start in [*starts, *obj.params]:
        current: etree._Element | None = start
        while current is not None and len(chain) < 8 and current not in chain:
            chain.append(current)
            current = obj.res.params.get(current.get("Relative", ""))
    return chain


def _paint(obj: _Obj, name: str) -> tuple[tuple[float, ...], float] | None:
    found = _colour(_kid(obj.el, name), obj.res)
    if found is None:
        for param in _param_chain(obj):
            found = _colour(_kid(param, name), obj.res)
            if found is not None:
                break
    return found


def _line_width(obj: _Obj) -> float:
    if obj.el.get("LineWidth") is not None:
        return _float(obj.el, "LineWidth", default=0.353)
    for param in _param_chain(obj):
        if param.get("LineWidth") is not None:
            return _float(param, "LineWidth", default=0.353)
    return 0.353


# --------------------------------------------------------------------------- paths


Point = tuple[float, float]
Segment = tuple[str, list[Point]]  # ("M"|"L"|"B"|"C", points)


def _arc(start: Point, rx: float, ry: float, angle: float, large: bool, sweep: bool,
         end: Point) -> list[list[Point]]:
    """An elliptical arc (SVG's endpoint form, which OFD's A uses) as cubic Béziers."""
    (sx, sy), (ex, ey) = start, end
    if rx == 0 or ry == 0 or (sx == ex and sy == ey):
        return [[start, end, end]]
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (sx - ex) / 2, (sy - ey) / 2
    x1, y1 = cos * dx + sin * dy, -sin * dx + cos * dy
    rx, ry = abs(rx), abs(ry)
    lam = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry)
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    den = rx * rx * y1 * y1 + ry * ry * x1 * x1
    coef = math.sqrt(max(num / den, 0.0)) if den else 0.0
    if large == sweep:
        coef = -coef
    cx1, cy1 = coef * rx * y1 / ry, -coef * ry * x1 / rx
    cx = cos * cx1 - sin * cy1 + (sx + ex) / 2
    cy = sin * cx1 + cos * cy1 + (sy + ey) / 2

    def angle_of(ux: float, uy: float, vx: float, vy: float) -> float:
        return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)

    theta = angle_of(1, 0, (x1 - cx1) / rx, (y1 - cy1) / ry)
    delta = angle_of((x1 - cx1) / rx, (y1 - cy1) / ry, (-x1 - cx1) / rx, (-y1 - cy1) / ry)
    if not sweep and delta > 0:
        delta -= 2 * math.pi
    elif sweep and delta < 0:
        delta += 2 * math.pi
    parts = max(1, math.ceil(abs(delta) / (math.pi / 2)))
    step = delta / parts
    k = 4 / 3 * math.tan(step / 4)

    def at(t: float) -> tuple[float, float, float, float]:
        px, py = rx * math.cos(t), ry * math.sin(t)
        tx, ty = -rx * math.sin(t), ry * math.cos(t)
        return (cos * px - sin * py + cx, sin * px + cos * py + cy,
                cos * tx - sin * ty, sin * tx + cos * ty)

    curves = []
    t = theta
    for _ in range(parts):
        p0x, p0y, d0x, d0y = at(t)
        p1x, p1y, d1x, d1y = at(t + step)
        curves.append([(p0x + k * d0x, p0y + k * d0y), (p1x - k * d1x, p1y - k * d1y),
                       (p1x, p1y)])
        t += step
    curves[-1][-1] = end
    return curves


def _segments(data: str) -> list[Segment]:
    """AbbreviatedData (S/M move, L line, Q quadratic, B cubic, A arc, C close) in object space."""
    tokens = _PATH_TOKEN.findall(data)
    arity = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    out: list[Segment] = []
    cur = start = (0.0, 0.0)
    i, cmd = 0, ""
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            cmd = token.upper()
            i += 1
            if cmd not in arity:
                cmd = ""
                continue
            if cmd == "C":
                out.append(("C", [start]))
                cur = start
                continue
        elif not cmd or cmd == "C":
            i += 1
            continue
        need = arity[cmd]
        try:
            n = [_clamp(float(t)) for t in tokens[i:i + need]]
        except ValueError:  # a letter where a number belongs: start again at it
            cmd = ""
            continue
        if len(n) < need:
            break
        i += need
        if cmd in ("S", "M"):
            cur = start = (n[0], n[1])
            out.append(("M", [cur]))
            cmd = "L"  # further pairs are lines, as after SVG's M
        elif cmd == "L":
            cur = (n[0], n[1])
            out.append(("L", [cur]))
        elif cmd == "Q":  # the quadratic as the cubic it equals
            qx, qy, ex, ey = n
            out.append(("B", [(cur[0] + (qx - cur[0]) * 2 / 3, cur[1] + (qy - cur[1]) * 2 / 3),
                              (ex + (qx - ex) * 2 / 3, ey + (qy - ey) * 2 / 3), (ex, ey)]))
            cur = (ex, ey)
        elif cmd == "B":
            pts = [(n[0], n[1]), (n[2], n[3]), (n[4], n[5])]
            out.append(("B", pts))
            cur = pts[2]
        elif cmd == "A":
            end = (n[5], n[6])
            out.extend(("B", curve) for curve in _arc(cur, n[0], n[1], n[2], bool(n[3]),
                                                       bool(n[4]), end))
            cur = end
    return out


# --------------------------------------------------------------------------- drawing


@lru_cache(maxsize=1)
def _font() -> pymupdf.Font:
    """PyMuPDF's bundled Droid Sans Fallback (as the export's conversions): covers CJK."""
    return pymupdf.Font("cjk")


_JBIG2 = b"\x97JB2\r\n\x1a\n"


def _jbig2_pixels(data: bytes) -> int | None:
    """Width x height from a JBIG2 file's first segment (page information), or None."""
    flags = data[8] if len(data) > 8 else 0
    at = 9 + (0 if flags & 0x02 else 4)  # the page count is absent when flagged unknown
    if len(data) < at + 6:
        return None
    seg_flags = data[at + 4]
    if seg_flags & 0x3F != 48 or data[at + 5] >> 5 != 0:  # not page info, or refers to others
        return None
    at += 6 + (4 if seg_flags & 0x40 else 1) + 4
    if len(data) < at + 8:
        return None
    return int.from_bytes(data[at:at + 4], "big") * int.from_bytes(data[at + 4:at + 8], "big")


def _image_bytes(data: bytes) -> tuple[bytes | None, str]:
    """Bytes PyMuPDF can place, and a note when it cannot: PNG and JPEG as they are, JBIG2
    files (bilevel scans) for MuPDF's own decoder, other formats through Pillow as PNG."""
    if data.startswith(_JBIG2):
        pixels = _jbig2_pixels(data)
        if pixels is None:
            return None, "JBIG2 图像结构不支持"
        if pixels > MAX_IMAGE_PIXELS:
            return None, "图像像素过多"
        try:
            pymupdf.Pixmap(data)  # decodes: a broken stream is caught here, not in the page
        except Exception as exc:
            return None, f"JBIG2 图像无法解码（{describe(exc)}）"
        return data, ""
    as_is = data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                if im.width * im.height > MAX_IMAGE_PIXELS:
                    return None, "图像像素过多"
                if as_is:
                    return data, ""
                im.seek(0)  # BMP, TIFF (its first page), GIF, JPEG 2000, …
                if im.mode in ("P", "PA", "LA", "RGBA", "1", "L", "RGB"):
                    converted = im.convert("RGBA" if im.mode in ("P", "PA", "LA") else im.mode)
                else:
                    converted = im.convert("RGB")
                buffer = io.BytesIO()
                converted.save(buffer, format="PNG")
                return buffer.getvalue(), ""
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError) as exc:
        return None, f"不支持的图像格式或图像已损坏（{describe(exc)}）"


def _embedded_image(data: bytes) -> bytes | None:
    """A seal picture inside a signature value (SES 印章 carry a PNG, JPEG or GIF), as PNG."""
    for magic in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"GIF87a"):
        at = data.find(magic)
        if at < 0:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(io.BytesIO(data[at:])) as im:
                    if im.width * im.height > MAX_IMAGE_PIXELS:
                        return None
                    im.load()
                    buffer = io.BytesIO()
                    im.convert("RGBA").save(buffer, format="PNG")
                    return buffer.getvalue()
        except (Image.DecompressionBombError, OSError, ValueError, SyntaxError):
            continue
    return None


def _real(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


class _Face:
    """A font the PDF writes with: its resource name, metrics and, once stored, its xref."""

    def __init__(self, name: str, font: pymupdf.Font, buffer: bytes) -> None:
        self.name = name
        self.font = font
        self.buffer = buffer
        self.xref = 0
        self._glyphs: dict[str, tuple[int, float]] = {}

    def glyph(self, ch: str) -> tuple[int, float]:
        """Glyph id (0: none) and advance in em of a character."""
        found = self._glyphs.get(ch)
        if found is None:
            code = ord(ch)
            found = self._glyphs[ch] = (self.font.has_glyph(code), self.font.glyph_advance(code))
        return found


class _FontBook:
    """The fonts of one PDF: PyMuPDF's CJK font, and the fonts the OFD embeds (used for the
    text objects whose characters they all have, as other OFD readers do)."""

    def __init__(self, pkg: _Package) -> None:
        self.pkg = pkg
        self.cjk = _Face("ZOFD", _font(), b"")
        self.embedded: dict[str, _Face | None] = {}

    def face(self, member: str) -> _Face | None:
        if member not in self.embedded:
            face = None
            try:
                data = self.pkg.read(member, MAX_MEDIA)
                # TrueType outlines only: in a subset CFF font (OTTO) the glyph ids we would
                # write are not its CIDs, and the text would come out invisible
                if data[:4] in (b"\x00\x01\x00\x00", b"true"):
                    font = pymupdf.Font(fontbuffer=data)
                    if font.is_writable and font.glyph_count > 0:
                        face = _Face(f"ZOFDf{len(self.embedded)}", font, data)
                else:
                    log.info("OFD 内嵌字体不是 TrueType，改用内置字体：%s", member)
            except _Unsafe:
                raise
            except Exception as exc:  # not a font FreeType reads: the CJK font draws instead
                log.info("OFD 内嵌字体无法使用（%s）：%s", describe(exc), member)
            self.embedded[member] = face
        return self.embedded[member]


class _Painter:
    """Draws one page's objects in order. Text and paths are written as PDF operators (text:
    one TJ per baseline, each glyph at the OFD's position), gathered into one content stream
    until an image comes, which PyMuPDF places itself."""

    def __init__(self, page: pymupdf.Page, to_pt: pymupdf.Matrix, doc: _Doc,
                 xrefs: dict[str, int], fonts: _FontBook) -> None:
        self.fonts = fonts
        self.page_fonts: set[str] = set()  # faces named in this page's resources
        self.pending_fonts: list[_Face] = []
        self.page = page
        self.to_pt = to_pt
        self.doc = doc
        self.xrefs = xrefs
        self.ops: list[str] = []
        self.segments = 0
        self.states: set[str] = set()
        self.glyphs = 0

    # text

    def text(self, obj: _Obj) -> None:
        fill = _flag(obj.el, "Fill", True)
        stroke = _flag(obj.el, "Stroke", False)
        mode = 2 if fill and stroke else 1 if stroke else 0 if fill else 3
        paint = _paint(obj, "FillColor" if fill or not stroke else "StrokeColor")
        colour, alpha = paint if paint is not None else ((0.0, 0.0, 0.0), 1.0)
        alpha *= _float(obj.el, "Alpha", default=255.0) / 255.0
        m = obj.matrix * self.to_pt
        size = _text_size(obj.el)
        bold = _bold(obj)
        if bold and mode == 0:
            mode = 2
        ops = [f"{' '.join(map(_real, colour))} rg {' '.join(map(_real, colour))} RG {mode} Tr"]
        if alpha < 0.999:
            ops.append(f"/{self._opacity(alpha, alpha)} gs")
        if mode in (1, 2):
            ops.append(f"{_real(size * _scale(m) * (0.04 if bold else 0.02))} w")
        # text space -> PDF space (y up): the object's linear part mirrored, scaled by Size
        a, b, c, d = (size * m.a, -size * m.b, -size * m.c, size * m.d)
        height = self.page.rect.height
        glyphs = list(_glyphs(obj.el))
        face = self.fonts.cjk
        member = obj.res.font_files.get(obj.el.get("Font", ""))
        if member is not None and _kid(obj.el, "CGTransform") is None:
            embedded = self.fonts.face(member)
            if embedded is not None and all(embedded.glyph(ch)[0] for ch, _x, _y in glyphs
                                            if not ch.isspace()):
                face = embedded
        pieces: list[str] = []
        prev: tuple[float, float, float] | None = None  # x, y, advance of the last glyph
        for ch, x, y in glyphs:
            gid, advance = face.glyph(ch)
            if gid == 0:
                continue  # nothing to draw (a space, or a character the font lacks)
            self.glyphs += 1
            if self.glyphs > MAX_OBJECTS * 10:
                break
            if prev is None or abs(y - prev[1]) > 1e-6 * max(size, 1.0):
                if pieces:
                    ops.append(f"[{' '.join(pieces)}] TJ")
                    pieces = []
                px, py = m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f
                ops.append(f"{_real(a)} {_real(b)} {_real(c)} {_real(d)} "
                           f"{_real(px)} {_real(height - py)} Tm")
            else:
                # the OFD's advance (DeltaX) against the font's own, in thousandths of an em
                shift = (prev[2] - (x - prev[0]) / size) * 1000
                if abs(shift) > 0.05:
                    pieces.append(_real(shift))
            pieces.append(f"<{gid:04x}>")
            prev = (x, y, advance)
        if pieces:
            ops.append(f"[{' '.join(pieces)}] TJ")
        if prev is not None:
            self.ops.append(f"q BT /{face.name} 1 Tf " + " ".join(ops) + " ET Q")
            if face.name not in self.page_fonts:
                self.page_fonts.add(face.name)
                self.pending_fonts.append(face)

    def _opacity(self, fill: float, stroke: float) -> str:
        """Name of an ExtGState with these alphas in the page's resources."""
        name = f"ZOFDa{round(fill * 100)}s{round(stroke * 100)}"
        if name not in self.states:
            _add_resource(self.page, "ExtGState", name,
                          f"<</ca {_real(fill)}/CA {_real(stroke)}>>")
            self.states.add(name)
        return name

    def flush(self) -> None:
        """Write the text and path operators gathered so far as one content stream."""
        if not self.ops:
            return
        for face in self.pending_fonts:
            # a font goes into the file once; later pages only name it in their resources
            if face.xref == 0:
                face.xref = self.page.insert_font(fontname=face.name,
                                                  fontbuffer=face.buffer or face.font.buffer)
            else:
                _add_resource(self.page, "Font", face.name, f"{face.xref} 0 R")
        self.pending_fonts = []
        doc = self.page.parent
        xref = doc.get_new_xref()
        doc.update_object(xref, "<<>>")
        doc.update_stream(xref, ("\n".join(self.ops) + "\n").encode("ascii"))
        contents = [*self.page.get_contents(), xref]
        doc.xref_set_key(self.page.xref, "Contents", "[" + " ".join(f"{x} 0 R" for x in contents)
                         + "]")
        self.ops = []

    # paths

    def path(self, obj: _Obj) -> None:
        fill = _flag(obj.el, "Fill", False)
        stroke = _flag(obj.el, "Stroke", True)
        fill_paint = _paint(obj, "FillColor") if fill else None
        if fill and fill_paint is None:
            fill_paint = ((0.0, 0.0, 0.0), 1.0)
        stroke_paint = (_paint(obj, "StrokeColor") or ((0.0, 0.0, 0.0), 1.0)) if stroke else None
        if fill_paint is None and stroke_paint is None:
            return
        segments = _segments(_kid_text(obj.el, "AbbreviatedData"))
        self.segments += len(segments)
        if self.segments > MAX_OBJECTS * 10:
            raise _Unsafe(f"OFD 页面上的路径超过 {MAX_OBJECTS * 10} 段，疑似恶意文件，已跳过")
        m = obj.matrix * self.to_pt
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        height = self.page.rect.height

        def at(point: Point) -> str:
            x, y = point
            return f"{_real(a * x + c * y + e)} {_real(height - (b * x + d * y + f))}"

        drawing: list[str] = []
        open_path = drawn = False
        for op, points in segments:
            if op == "M":
                drawing.append(at(points[0]) + " m")
                open_path = True
            elif not open_path:
                continue
            elif op == "L":
                drawing.append(at(points[0]) + " l")
                drawn = True
            elif op == "B":
                drawing.append(" ".join(at(p) for p in points) + " c")
                drawn = True
            elif op == "C":
                drawing.append("h")
        if not drawn:
            return
        alpha = _float(obj.el, "Alpha", default=255.0) / 255.0
        state = []
        fill_alpha = (fill_paint[1] if fill_paint else 1.0) * alpha
        stroke_alpha = (stroke_paint[1] if stroke_paint else 1.0) * alpha
        if fill_alpha < 0.999 or stroke_alpha < 0.999:
            state.append(f"/{self._opacity(fill_alpha, stroke_alpha)} gs")
        if fill_paint:
            state.append(" ".join(map(_real, fill_paint[0])) + " rg")
        if stroke_paint:
            scale = _scale(m)
            cap = {"butt": 0, "round": 1, "square": 2}.get(obj.el.get("Cap", "").lower(), 0)
            join = {"miter": 0, "round": 1, "bevel": 2}.get(obj.el.get("Join", "").lower(), 0)
            state.append(" ".join(map(_real, stroke_paint[0])) + " RG")
            state.append(f"{_real(_line_width(obj) * scale)} w {cap} J {join} j")
            dash = [v for v in _numbers(obj.el.get("DashPattern")) if v >= 0][:16]
            if dash and any(dash):
                state.append("[" + " ".join(_real(v * scale) for v in dash) + "] 0 d")
        odd = "*" if obj.el.get("Rule", "").lower() in ("even-odd", "evenodd") else ""
        paint = ("B" + odd) if fill_paint and stroke_paint else ("f" + odd) if fill_paint else "S"
        self.ops.append("q " + " ".join(state) + "\n" + "\n".join(drawing) + f"\n{paint} Q")

    # images

    def image(self, obj: _Obj) -> None:
        media = obj.res.media.get(obj.el.get("ResourceID", ""))
        if media is None or media[0] is None:
            log.info("OFD 图像资源缺失：%s", obj.el.get("ResourceID"))
            return
        member = media[0]
        m = obj.matrix * self.to_pt
        self.place(member, m, lambda: self.doc.pkg.read(member, MAX_MEDIA))

    def place(self, key: str, m: pymupdf.Matrix, load: Callable[[], bytes]) -> None:
        quad = pymupdf.Rect(0, 0, 1, 1).quad * m
        rect = quad.rect
        if rect.is_empty or rect.width < 0.01 or rect.height < 0.01:
            return
        self.flush()
        rotate = 0
        if abs(m.a) < 1e-9 and abs(m.d) < 1e-9:
            rotate = 90 if m.b > 0 else 270
        elif m.a < 0 and m.d < 0:
            rotate = 180
        xref = self.xrefs.get(key)
        try:
            if xref is None:
                stream, note = _image_bytes(load())
                if stream is None:
                    log.info("OFD 图像未绘制（%s）：%s", note, key)
                    xref = self.xrefs[key] = 0
                else:
                    xref = self.xrefs[key] = self.page.insert_image(
                        rect, stream=stream, keep_proportion=False, rotate=rotate)
                    return
            if xref > 0:
                self.page.insert_image(rect, xref=xref, keep_proportion=False, rotate=rotate)
                return
        except _Unsafe:
            raise
        except Exception as exc:  # one bad picture must not lose the page
            log.info("OFD 图像未绘制（%s）：%s", describe(exc), key)
            self.xrefs[key] = 0
        # a picture we cannot show: a thin grey frame tells the reader something was there
        self.page.draw_rect(rect, color=(0.75, 0.75, 0.75), width=0.5)

    def draw(self, obj: _Obj) -> None:
        m = obj.matrix
        if not all(math.isfinite(v) and abs(v) < 1e9 for v in (m.a, m.b, m.c, m.d, m.e, m.f)):
            return  # nested CTMs multiplied past any page: nothing of it could be seen
        if obj.kind == "text":
            self.text(obj)
        elif obj.kind == "path":
            self.path(obj)
        else:
            self.image(obj)


def _add_resource(page: pymupdf.Page, kind: str, name: str, value: str) -> None:
    """Put `name` = `value` into the page's /Resources /`kind` dictionary (wherever those
    dictionaries live: inline or indirect)."""
    doc = page.parent
    kind_res, res = doc.xref_get_key(page.xref, "Resources")
    target, prefix = (int(res.split()[0]), "") if kind_res == "xref" else (page.xref, "Resources/")
    kind_sub, sub = doc.xref_get_key(target, prefix + kind)
    if kind_sub == "xref":
        doc.xref_set_key(int(sub.split()[0]), name, value)
    else:
        doc.xref_set_key(target, f"{prefix}{kind}/{name}", value)


Seal = tuple[tuple[float, float, float, float], str, bytes]  # Boundary, "png"/"pdf", bytes


def _seal(data: bytes) -> tuple[str, bytes] | None:
    """The seal's appearance inside a signature value: a picture (PNG), or a small OFD of its
    own (drawn as PDF). SES 印章 store either, inside DER we do not otherwise read."""
    at = data.find(b"PK\x03\x04")
    if at >= 0:
        try:
            return "pdf", _render(io.BytesIO(data[at:]), seals=False)
        except _Unsafe:
            raise
        except ExtractError as exc:
            log.info("OFD 印章（内嵌 OFD）未绘制：%s", exc.reason)
    picture = _embedded_image(data)
    return ("png", picture) if picture is not None else None


def _stamps(doc: _Doc) -> dict[str, list[Seal]]:
    """Seal appearances of the signatures, by page ID."""
    found: dict[str, list[Seal]] = {}
    if doc.signatures is None:
        return found
    pkg = doc.pkg
    try:
        signs = pkg.xml(doc.signatures)
        signs_dir = posixpath.dirname(doc.signatures)
        for sign in _kids(signs, "Signature"):
            member = pkg.locate(sign.get("BaseLoc", ""), signs_dir)
            if member is None:
                continue
            root = pkg.xml(member)
            value_loc = _kid_text(root, "SignedValue")
            value = pkg.locate(value_loc, posixpath.dirname(member)) if value_loc else None
            seal = _seal(pkg.read(value, MAX_MEDIA)) if value else None
            if seal is None:
                continue
            info = _kid(root, "SignedInfo")
            for stamp in _kids(info if info is not None else root, "StampAnnot"):
                box = _box(stamp.get("Boundary"))
                if box is not None:
                    found.setdefault(stamp.get("PageRef", ""), []).append((box, *seal))
    except _Unsafe:
        raise
    except ExtractError as exc:  # a broken signature part must not hide the document
        log.info("OFD 签章未绘制：%s", exc.reason)
    return found


def _annotations(doc: _Doc) -> dict[str, list[str]]:
    """Annotation files by page ID."""
    found: dict[str, list[str]] = {}
    if doc.annotations is None:
        return found
    try:
        root = doc.pkg.xml(doc.annotations)
    except _Unsafe:
        raise
    except ExtractError as exc:
        log.info("OFD 注释未绘制：%s", exc.reason)
        return found
    base = posixpath.dirname(doc.annotations)
    for page in _kids(root, "Page"):
        member = doc.pkg.locate(_kid_text(page, "FileLoc"), base)
        if member is not None:
            found.setdefault(page.get("PageID", ""), []).append(member)
    return found


def ofd_to_pdf(path: Path) -> bytes:
    """The OFD drawn as a PDF: one page per OFD page at its physical size, text as real text
    (searchable, in PyMuPDF's CJK font), paths, images, templates, annotation appearances and
    signature seals. ExtractError if the file is broken or unsafe."""
    return _render(Path(path), seals=True)


def _render(source: Path | BinaryIO, seals: bool) -> bytes:
    """ofd_to_pdf; `seals` False for a seal's own OFD (a seal inside a seal is not drawn)."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    out = pymupdf.open()
    try:
        with _Doc(source) as doc:
            stamps = _stamps(doc) if seals else {}
            annotations = _annotations(doc)
            xrefs: dict[str, int] = {}
            fonts = _FontBook(doc.pkg)
            for info in doc.pages:
                try:
                    root: etree._Element | None = doc.page_root(info)
                except _Unsafe:
                    raise
                except ExtractError as exc:
                    log.info("OFD 第 %d 页无法读取：%s", info.index + 1, exc.reason)
                    root = None
                x0, y0, w, h = doc.page_box(root)
                page = out.new_page(width=w * MM, height=h * MM)
                if root is None:
                    continue
                to_pt = pymupdf.Matrix(1, 0, 0, 1, -x0, -y0) * pymupdf.Matrix(MM, 0, 0, MM, 0, 0)
                _draw_page(doc, info, root, page, to_pt, xrefs, fonts, stamps, annotations)
            title = doc.title
        out.set_metadata({"title": title, "creator": "Zicha", "producer": "PyMuPDF"})
        out.subset_fonts()
        return out.tobytes(garbage=3, deflate=True)
    finally:
        out.close()


def _const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _draw_page(doc: _Doc, info: _PageInfo, root: etree._Element, page: pymupdf.Page,
               to_pt: pymupdf.Matrix, xrefs: dict[str, int], fonts: _FontBook,
               stamps: dict[str, list[Seal]],
               annotations: dict[str, list[str]]) -> None:
    res = doc.page_res(info, root)
    counter = _Counter(info.index)
    painter = _Painter(page, to_pt, doc, xrefs, fonts)
    templates = doc.page_templates(root)
    sources: list[etree._Element] = []
    behind = [m for _tpl, m, order in templates if order.lower() != "foreground"]
    above = [m for _tpl, m, order in templates if order.lower() == "foreground"]
    for member in behind:
        if (template := doc.template_root(member)) is not None:
            sources.append(template)
    sources.append(root)
    for member in above:
        if (template := doc.template_root(member)) is not None:
            sources.append(template)
    for source in sources:
        for obj in _layer_objects(source, res, counter):
            painter.draw(obj)
    for member in annotations.get(info.page_id, []):
        try:
            annots = doc.pkg.xml(member)
        except _Unsafe:
            raise
        except ExtractError as exc:
            log.info("OFD 注释未绘制：%s", exc.reason)
            continue
        for annot in _kids(annots, "Annot"):
            if not _flag(annot, "Visible", True):
                continue
            for appearance in _kids(annot, "Appearance"):
                box = _box(appearance.get("Boundary"))
                offset = pymupdf.Matrix(1, 0, 0, 1, box[0], box[1]) if box else None
                for obj in _walk(appearance, offset or pymupdf.Matrix(1, 0, 0, 1, 0, 0), (),
                                 res, counter):
                    painter.draw(obj)
    for index, (box, kind, data) in enumerate(stamps.get(info.page_id, [])):
        m = pymupdf.Matrix(box[2], 0, 0, box[3], box[0], box[1]) * to_pt
        if kind == "png":
            painter.place(f"seal:{info.page_id}:{index}", m, _const(data))
            continue
        painter.flush()
        with pymupdf.open(stream=data, filetype="pdf") as seal:
            page.show_pdf_page(pymupdf.Rect(0, 0, 1, 1).quad.transform(m).rect, seal, 0)
    painter.flush()
