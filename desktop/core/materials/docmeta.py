"""What a document says about itself: its title, date, 文号 and an evident material type,
read on import so that a clerk does not start from "1", "2", 其他 and no date.

Cheap by design: the first page of a PDF (and the last lines of its last page, where a
公文 has its 落款 date), the first and last paragraphs of a DOCX, the EXIF block of a photo
(HEIC included), the creation time a video's container records.
Nothing here raises: a document that cannot be read says nothing (`DocMeta()`), and the
importer keeps the file name as the title."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.common import formats

FIRST_LINES = 12  # lines of the start and of the end of a document looked at for a date
TITLE_MAX = 120  # characters; longer "titles" are a paragraph of body text
HEADING_RATIO = 1.15  # a heading's font is at least this much larger than the body text
DOCX_PARAGRAPHS = 40  # paragraphs read from the start of a DOCX


@dataclass(frozen=True)
class DocMeta:
    title: str = ""  # "" = the document does not say
    date: dt.date | None = None
    doc_number: str = ""
    material_type: str = ""  # "" = not evident
    source: str = ""  # where the title came from, e.g. "pdf-title", "pdf-heading"
    caption_time: str = ""  # a photo's 时间, from its EXIF
    note: str = ""  # e.g. a photo's GPS position and camera


def read(path: Path, kind: str, *, today: dt.date | None = None, named: Path | None = None,
         pdf: Any = None) -> DocMeta:
    """What the document at `path` (detected as `kind`) says about itself. Never raises.
    `named`: the name the file was imported under, when `path` is a copy by another name (a
    title that only repeats the file name is no title); `pdf`: the PDF already open (PyMuPDF)."""
    today = today or dt.date.today()
    named = named or path
    try:
        if kind == "pdf":
            meta = _read_pdf(path, today, named, pdf)
        elif kind == "docx":
            meta = _read_docx(path, today, named)
        elif kind in formats.IMAGE_KINDS:
            return _photo(path, today)
        elif kind in formats.MEDIA_KINDS:
            return _recording(path, kind, today)
        else:
            return DocMeta()
    except Exception:  # a broken document simply says nothing; the import goes on
        return DocMeta()
    if not _usable_title(meta.title, named):
        meta = DocMeta(date=meta.date, doc_number=meta.doc_number)
    # only a title the document gives: a file name is too thin to set the type from
    kind_guess = type_from_title(meta.title) if meta.title else ""
    return DocMeta(meta.title, meta.date, meta.doc_number, kind_guess, meta.source)


# -- titles ---------------------------------------------------------------------------------

_JUNK_TITLE = re.compile(
    r"^(untitled|无标题|title|标题|document\d*|文档\d*|新建.*文档|slide \d+|"
    r"(scanned|word|untitled|new|blank|microsoft word) document|scan|扫描件|扫描全能王.*|"
    r"camscanner.*|powerpoint 演示文稿|microsoft (word|excel|powerpoint).*|wps.*|"
    r"(microsoft )?word 文档|doc\d*|pdf|temp|tmp|unknown|none|null|"
    r"contents|table of contents|目\s*录|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}, \d{4}|"
    r"\S+\.[A-Za-z][A-Za-z0-9]{1,4})$",  # "jdhs-pattern.eps", "1.doc": a file name
    re.IGNORECASE)
_OFFICE_PREFIX = re.compile(r"^(microsoft (word|excel|powerpoint)|wps (文字|表格))\s*-\s*",
                            re.IGNORECASE)
# the 发文机关标志 of a 红头文件 ("XX市人民政府文件"): large, but not the title
_ISSUER_MARK = re.compile(r"^.{2,30}(文件|简报|通报|快报|情况|专报)$")
# how the title of a 公文 ends (GB/T 9704: 发文机关 + 事由 + 文种)
_TITLE_END = re.compile(r"(通知|方案|意见|办法|规划|计划|报告|总结|纪要|决定|细则|制度|规定|通报|"
                        r"请示|批复|函|要点|公告|情况说明)$")
_NOT_TITLE = re.compile(r"^(第?\s*\d+\s*页|[-—–]\s*\d+\s*[-—–]|\d+|密级.*|特急|加急|平急|"
                        r"[★☆]?\s*(机密|秘密|绝密).*|附件\s*\d*[:：]?|签发人.*)$")


_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")
_CJK_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef]) (?=[\u2e80-\u9fff\uff00-\uffef])")


def clean(text: str) -> str:
    """One line: NFKC for spacing characters only, whitespace collapsed, no space between CJK."""
    text = _SPACE.sub(" ", text).strip()
    return _CJK_SPACE.sub("", text) if " " in text else text


def _usable_title(title: str, path: Path) -> bool:
    title = title.strip()
    if len(title) < 2 or len(title) > TITLE_MAX:
        return False
    if _JUNK_TITLE.match(title) or _NOT_TITLE.match(title):
        return False
    if re.search(r"\\|^/|^[A-Za-z]:[\\/]", title):  # a path
        return False
    if re.fullmatch(r"[\w\-.]+", title, re.ASCII) and re.search(r"\d", title):
        return False  # "scan_0001", "DOC20240630": a scanner's or camera's file name
    if not any(c.isalpha() for c in title):  # only digits and punctuation
        return False
    if title.count("_") >= 2 or re.search(r"[0-9a-f]{16,}", title):
        return False  # "Dossier_Appendix_A_1", a hash or id: a generated name
    if re.search(r"[。；;，,：:]$|[a-z]\.$", title):
        return False  # a sentence of body text ("Center aligned.", "……工作。")
    letters = [c.casefold() for c in title if c.isascii() and c.isalpha()]
    if len(letters) == sum(c.isalpha() for c in title) and len(set(letters)) < 3:
        return False  # "a a a", "aaaa aa.": filler text
    stem = path.stem.casefold()
    folded = title.casefold()
    # a file name as title ("1", "scan_0001"), unless it is the file's real, wordy name
    return not (folded == stem and re.fullmatch(r"[\w\-.]+", folded, re.ASCII))


def metadata_title(raw: str | None) -> str:
    """A title from document properties, without Office's "Microsoft Word - " prefix."""
    if not raw:
        return ""
    title = clean(raw)
    if _OFFICE_PREFIX.match(title):
        return ""  # "Microsoft Word - 1.doc": the name of the file it was printed from
    return "" if _JUNK_TITLE.match(title) else title


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", line):
            out += " "
        out += line
    return clean(out)


def type_from_title(title: str) -> str:
    """A material type that the title makes evident ("…实施方案" -> 方案计划), else ""."""
    inner = re.findall(r"《([^》]+)》", title)
    name = inner[-1] if inner else title
    name = re.sub(r"[（(][^）)]*[）)]$", "", name).strip()  # "规划（2021—2023年）"
    if re.search(r"(方案|计划|规划|工作要点|安排)$", name):
        return "方案计划"
    if re.search(r"(制度|办法|规定|细则|规则|章程|守则|公约|条例|机制)$", name):
        return "制度机制"
    if re.search(r"(会议纪要|纪要|记录|签到表|简报)$", name):
        return "活动记录"
    return ""


# -- dates ----------------------------------------------------------------------------------

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "０": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ０一二三四五六七八九十"
_DATE_PATTERNS = (
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(rf"([{_CN}O]{{4}})\s*年\s*([{_CN}]{{1,3}})\s*月\s*([{_CN}]{{1,3}})\s*日"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)"),
)
_ANY_DIGIT = re.compile(r"\d")
_DATE_LABEL = re.compile(r"(日期|时间|印发|发布|成文|签发)")


def _cn_number(text: str) -> int:
    if all(c in _CN_DIGIT for c in text):  # 二〇二四: digit by digit
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    tens, _, ones = text.partition("十")  # 十, 十二, 二十, 三十一
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def plausible(day: dt.date | None, today: dt.date) -> dt.date | None:
    return day if day is not None and dt.date(2000, 1, 1) < day <= today else None


def find_dates(text: str, today: dt.date) -> list[tuple[int, int, dt.date]]:
    """Plausible dates written in `text`, as (start, end, date), in order."""
    found: list[tuple[int, int, dt.date]] = []
    if "年" not in text and not _ANY_DIGIT.search(text):
        return found
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                if pattern is _DATE_PATTERNS[1]:
                    y, mo, d = (_cn_number(g) for g in m.groups())
                else:
                    y, mo, d = (int(g) for g in m.groups())
                day = plausible(dt.date(y, mo, d), today)
            except (KeyError, ValueError):
                continue
            if day and not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), day))
    return sorted(found)


def _date_line(line: str) -> bool:
    """A line that is only a date (and maybe a short label)."""
    dates = find_dates(line, dt.date.max)
    return bool(dates) and len(line) - sum(e - s for s, e, _ in dates) <= 8


def date_in_lines(first: list[str], last: list[str], today: dt.date) -> dt.date | None:
    """The document's own date: a 落款 line that is only a date (the last such in the closing
    lines), else a dated or labelled line at the start ("发布时间：2023-09-19"). A date inside
    a sentence is more often a deadline, an event or a cited document than the document's
    date, so it is not used (the file's creation date is the better guess)."""
    def standalone(line: str) -> dt.date | None:
        dates = find_dates(line, today)
        if len(dates) != 1:
            return None
        s, e, day = dates[0]
        rest = re.sub(r"[\s()（）:：,，。]", "", line[:s] + line[e:])
        return day if len(rest) <= 2 or _DATE_LABEL.search(line) else None

    for line in reversed(last):
        if (day := standalone(line)) is not None:
            return day
    for line in first:
        if (day := standalone(line)) is not None:
            return day
    return None


def _meta_date(value: Any, today: dt.date) -> dt.date | None:
    """A date from document properties: a datetime, or a PDF date string "D:20240630…"."""
    if isinstance(value, dt.datetime):
        return plausible(value.date(), today)
    if isinstance(value, dt.date):
        return plausible(value, today)
    m = re.match(r"(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})", str(value or "").strip())
    if not m:
        return None
    try:
        return plausible(dt.date(*(int(g) for g in m.groups())), today)
    except ValueError:
        return None


# -- 文号 -----------------------------------------------------------------------------------

DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{2,20}\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*"
    r"(第?\s*\d{1,5})\s*号")


def doc_number_in(lines: list[str]) -> str:
    """The 文号 a first page shows: one on a line of its own (the 发文字号 under the red header,
    maybe beside 签发人), else one in the first lines that is not a citation in brackets."""
    def tidy(m: re.Match[str]) -> str:
        return re.sub(r"\s+", "", m.group(0))

    for line in lines:
        m = DOC_NUMBER.search(line)
        if m:
            rest = (line[:m.start()] + line[m.end():]).strip()
            if not rest or rest.startswith("签发人") or re.fullmatch(r"签发人[:：].*", rest):
                return tidy(m)
    for line in lines[:5]:
        m = DOC_NUMBER.search(line)
        if m and not re.search(r"[（(《]\s*$", line[:m.start()]):
            return tidy(m)
    return ""


# -- PDF ------------------------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    size: float
    x0: float
    x1: float
    y0: float
    y1: float


def _pdf_lines(page: Any) -> list[_Line]:
    lines = []
    height = page.rect.height
    for block in page.get_text("dict", flags=0)["blocks"]:
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            text = clean("".join(s["text"] for s in spans))
            size = max(round(s["size"], 1) for s in spans)
            x0, y0, x1, y1 = line["bbox"]
            if not text or (y0 + y1) / 2 <= 0 or (y0 + y1) / 2 >= height or _garbled(text):
                continue  # off the page, or a font without a usable text mapping
            lines.append(_Line(text, size, x0, x1, y0, y1))
    # rows that PyMuPDF split into several lines (one per span group) are kept in order
    lines.sort(key=lambda ln: (round(ln.y0), ln.x0))
    return lines


_GARBLED = re.compile("[\ufffd\ue000-\uf8ff]")  # replacement and private-use characters


def _garbled(text: str) -> bool:
    return len(_GARBLED.findall(text)) * 4 > len(text)


def _body_size(lines: list[_Line]) -> float:
    chars: Counter[float] = Counter()
    for line in lines:
        chars[line.size] += len(line.text)
    return chars.most_common(1)[0][0]


def pdf_heading(lines: list[_Line], page_width: float) -> str:
    """The title printed on a first page: the largest-font lines (a 公文 title is often two
    lines of 小标宋 二号 over 仿宋 三号 body text) in the upper two thirds, joined; else a short
    centred line at the top. "" when the page has no heading."""
    if not lines:
        return ""
    body = _body_size(lines)
    bottom = max(ln.y1 for ln in lines)
    top = min(ln.y0 for ln in lines)
    upper = [ln for ln in lines if ln.y0 <= top + (bottom - top) * 0.67 or len(lines) < 4]
    candidates = [ln for ln in upper if ln.size >= body * HEADING_RATIO
                  and not _ISSUER_MARK.match(ln.text) and not _NOT_TITLE.match(ln.text)
                  and not DOC_NUMBER.fullmatch(ln.text) and not _date_line(ln.text)
                  and any(c.isalpha() for c in ln.text)]
    if candidates:
        size = max(ln.size for ln in candidates)
        first = next(i for i, ln in enumerate(candidates) if abs(ln.size - size) < 0.6)
        group = [candidates[first]]
        for ln in candidates[first + 1:]:
            gap = ln.y0 - group[-1].y1
            if abs(ln.size - size) >= 0.6 or gap > size * 1.5 or len(group) == 3:
                break
            group.append(ln)
        return _join([ln.text for ln in group])
    # a uniform page: a short first line that reads like a 公文 title, centred or at least
    # ending well before the right margin (so it is not the first line of a wrapped paragraph)
    if len(lines) >= 3:
        head = lines[0]
        centre = (head.x0 + head.x1) / 2
        left = min(ln.x0 for ln in lines)
        right = max(ln.x1 for ln in lines)
        centred = (abs(centre - page_width / 2) < page_width * 0.05 and head.x0 > left + 20
                   and head.x1 < right - 20 and len(head.text) <= 60)
        short = len(head.text) <= 40 and head.x1 < right - 40
        if (centred or short) and _TITLE_END.search(head.text) and _heading_like(head.text):
            return head.text
    return ""


def _read_pdf(path: Path, today: dt.date, named: Path, pdf: Any = None) -> DocMeta:
    import pymupdf

    if pdf is not None:
        return _pdf_meta(pdf, today, named)
    pymupdf.TOOLS.mupdf_display_errors(False)  # broken PDFs say so through their text, later
    pymupdf.TOOLS.mupdf_display_warnings(False)
    with pymupdf.open(path, filetype="pdf") as doc:
        return _pdf_meta(doc, today, named)


def _pdf_meta(doc: Any, today: dt.date, named: Path) -> DocMeta:
    import pymupdf

    if doc.needs_pass or doc.page_count == 0:
        return DocMeta()
    meta = doc.metadata or {}
    page = doc[0]
    lines = _pdf_lines(page)
    texts = [ln.text for ln in lines]
    last = texts[-FIRST_LINES:]
    if doc.page_count > 1:  # the 落款 is at the foot of the last page
        end_page = doc[doc.page_count - 1]
        foot = pymupdf.Rect(end_page.rect)
        foot.y0 = foot.y0 + foot.height * 0.4
        end = end_page.get_text("text", clip=foot).splitlines()
        last = [t for t in (clean(x) for x in end) if t][-FIRST_LINES:]
    title, source = metadata_title(meta.get("title")), "pdf-title"
    if not _usable_title(title, named):
        title, source = pdf_heading(lines, page.rect.width), "pdf-heading"
    day = date_in_lines(texts[:FIRST_LINES], last, today) or _meta_date(
        meta.get("creationDate"), today) or _meta_date(meta.get("modDate"), today)
    return DocMeta(title=title, date=day, doc_number=doc_number_in(texts[:20]),
                   source=source if title else "")


# -- DOCX -----------------------------------------------------------------------------------
# Read with zipfile and ElementTree, not python-docx: opening a document with python-docx
# parses every part (styles, numbering, settings...) and cost 8 ms of a 12 ms import per file.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DOCX_XML_LIMIT = 30_000_000  # bytes of document.xml read for the closing lines


@dataclass
class _Para:
    text: str
    style: str  # style id
    centred: bool
    bold: bool


def _on(el: Any) -> bool:
    """A w:b / w:jc style toggle element that is present and not switched off."""
    return el is not None and el.get(_W + "val", "true") not in ("0", "false", "off")


def _para(el: Any) -> _Para:
    ppr = el.find(_W + "pPr")
    style = centred = None
    if ppr is not None:
        style = ppr.find(_W + "pStyle")
        jc = ppr.find(_W + "jc")
        centred = jc is not None and jc.get(_W + "val") == "center"
    parts, bold_runs, runs = [], 0, 0
    for run in el.iter(_W + "r"):
        text = "".join(t.text or "" for t in run.iter(_W + "t"))
        if not text.strip():
            parts.append(text)
            continue
        runs += 1
        rpr = run.find(_W + "rPr")
        bold_runs += rpr is not None and _on(rpr.find(_W + "b"))
        parts.append(text)
    return _Para(clean("".join(parts)), style.get(_W + "val", "") if style is not None else "",
                 bool(centred), runs > 0 and bold_runs == runs)


def _docx_paragraphs(zf: zipfile.ZipFile) -> tuple[list[_Para], list[_Para]]:
    """(the first DOCX_PARAGRAPHS paragraphs with text, the last FIRST_LINES ones)."""
    from xml.etree.ElementTree import iterparse

    head: list[_Para] = []
    tail: deque[_Para] = deque(maxlen=FIRST_LINES)
    info = zf.getinfo("word/document.xml")
    with zf.open(info) as fh:
        depth = 0
        for event, el in iterparse(fh, events=("start", "end")):
            if el.tag != _W + "p":
                continue
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth:  # a paragraph inside a text box or table cell of a paragraph
                continue
            para = _para(el)
            el.clear()
            if not para.text:
                continue
            if len(head) < DOCX_PARAGRAPHS:
                head.append(para)
            elif info.file_size > DOCX_XML_LIMIT:
                break  # a huge document: its start is enough
            tail.append(para)
    return head, list(tail)


def _docx_styles(zf: zipfile.ZipFile, ids: set[str]) -> dict[str, tuple[str, bool]]:
    """style id -> (style name, centred) for the styles `ids`. A byte search, not a parse:
    styles.xml is large (a parse cost 9 ms per file) and only a few styles are needed."""
    try:
        data = zf.read("word/styles.xml")
    except KeyError:
        return {}
    styles = {}
    for sid in ids:
        at = data.find(b'w:styleId="' + sid.encode("utf-8", "replace") + b'"')
        if at < 0:
            continue
        end = data.find(b"</w:style>", at)
        chunk = data[at:end if end > 0 else at + 4000]
        name = re.search(rb'<w:name w:val="([^"]*)"', chunk)
        styles[sid] = (name.group(1).decode("utf-8", "replace") if name else "",
                       b'<w:jc w:val="center"' in chunk)
    return styles


def _docx_core(zf: zipfile.ZipFile) -> dict[str, str]:
    from xml.etree.ElementTree import parse

    try:
        with zf.open("docProps/core.xml") as fh:
            root = parse(fh).getroot()
    except KeyError:
        return {}
    out = {}
    for key, tag in (("title", _DC + "title"), ("creator", _DC + "creator"),
                     ("created", _DCTERMS + "created")):
        el = root.find(tag)
        if el is not None and el.text:
            out[key] = el.text.strip()
    return out


def _read_docx(path: Path, today: dt.date, named: Path) -> DocMeta:
    with zipfile.ZipFile(path) as zf:
        head, tail = _docx_paragraphs(zf)
        core = _docx_core(zf)
        styles = _docx_styles(zf, {p.style for p in head[:DOCX_PARAGRAPHS] if p.style})
    head_texts = [p.text for p in head]
    tail_texts = [p.text for p in tail]

    title, source = metadata_title(core.get("title")), "docx-title"
    if not _usable_title(title, named):
        title, source = "", ""
        for p in head:  # a Heading/Title style ("heading 1", "Title", "标题 1")
            name = styles.get(p.style, ("", False))[0]
            if re.match(r"(heading|title|标题)", name, re.IGNORECASE) and _heading_like(p.text):
                title, source = p.text, "docx-heading"
                break
    if not title:
        for p in head[:15]:  # else a short centred or bold paragraph near the top
            centred = p.centred or styles.get(p.style, ("", False))[1]
            if (centred or p.bold) and len(p.text) <= 60 and _heading_like(p.text):
                title, source = p.text, "docx-paragraph"
                break
    created = core.get("created", "")
    if core.get("creator") == "python-docx" and created.startswith("2013-12-23"):
        created = ""  # python-docx's template, not the document's date
    day = date_in_lines(head_texts[:FIRST_LINES], tail_texts, today) or _meta_date(
        created.replace("-", ""), today)
    return DocMeta(title=title, date=day, doc_number=doc_number_in(head_texts[:20]),
                   source=source)


def _heading_like(text: str) -> bool:
    return (not _ISSUER_MARK.match(text) and not _NOT_TITLE.match(text)
            and not DOC_NUMBER.fullmatch(text) and not _date_line(text)
            and any(c.isalpha() for c in text))


# -- photos and recordings ------------------------------------------------------------------

def _photo(path: Path, today: dt.date) -> DocMeta:
    """A photo's EXIF: when it was taken (the material's date and its caption's 时间) and
    where (GPS, kept as a note: the caption's 地点 is a place name, which EXIF does not give)."""
    from desktop.core.extract.media import photo_facts

    facts = photo_facts(path)
    taken = facts.taken_at
    day = plausible(taken.date(), today) if taken is not None else None
    when = f"{taken.year}年{taken.month}月{taken.day}日 {taken:%H:%M}" if taken and day else ""
    return DocMeta(date=day, material_type="图片", caption_time=when,
                   note="；".join(t for t in (facts.gps_text, facts.camera and
                                               f"拍摄设备 {facts.camera}") if t))


def _recording(path: Path, kind: str, today: dt.date) -> DocMeta:
    """A video's or a recording's creation time, as its container records it."""
    from desktop.core.extract.media import probe

    created = probe(path).created_at
    day = plausible(created.date(), today) if created is not None else None
    return DocMeta(date=day, material_type="视频" if kind in formats.VIDEO_KINDS else "")
