"""Generate realistic small Chinese-language evidence files for demos and tests.

The files imitate what a city collects for the 全国文明城市 (national civilised city)
assessment: official notices, meeting minutes, rules, statistics workbooks, scanned
sign-in sheets and activity photos.  Everything is synthetic: the city (吴州市), the
people and the assessment items in :data:`DEMO_ITEMS` are invented (see :data:`DEMO_NOTE`).

Only pymupdf, python-docx, openpyxl and Pillow are used; nothing here imports Qt.
"""

from __future__ import annotations

import io
import math
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import pymupdf
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

from desktop.core.archive.kinds import MATERIAL_TYPES
from desktop.core.office import sheets

__all__ = [
    "CATEGORIES",
    "DEMO_ITEMS",
    "DEMO_NOTE",
    "MATERIAL_TYPES",
    "SampleMaterial",
    "make_docx",
    "make_pdf",
    "make_photo",
    "make_scanned_pdf",
    "make_xlsx",
    "write_demo_corpus",
]

DEMO_NOTE = "示例数据：测评内容为演示而编，并非官方2023版测评内容"

CITY = "吴州市"


CATEGORIES: dict[str, str] = {
    "01": "理想信念教育",
    "02": "思想道德建设",
    "03": "文明风尚培育",
    "04": "教育科技进步",
    "05": "文化事业和文化产业发展",
    "06": "政务廉洁高效",
    "07": "法治公平正义",
    "08": "生活和谐宜居",
    "09": "社会安全稳定",
    "10": "生态环境良好",
    "11": "创建常态长效",
}

_PHOTO_NOTE = "活动图片（注明时间、地点、人物、主题）"

DEMO_ITEMS: list[tuple[str, str, str]] = [
    ("01.01", "开展党的创新理论学习宣传", f"提供年度学习宣传计划、宣讲活动记录及{_PHOTO_NOTE}"),
    ("01.02", "加强爱国主义教育", f"提供爱国主义教育基地名录、主题教育活动方案及{_PHOTO_NOTE}"),
    ("01.03", "推进新时代文明实践中心建设", f"提供建设方案、阵地清单、志愿服务记录及{_PHOTO_NOTE}"),
    ("02.01", "培育和践行社会主义核心价值观", "提供工作方案、公益广告刊播记录及相关制度文件"),
    ("02.02", "加强未成年人思想道德建设", f"提供工作方案、会议记录、主题活动记录及{_PHOTO_NOTE}"),
    ("02.03", "推进社会诚信体系建设", "提供诚信建设制度文件、会议记录、信用信息公示截图"),
    ("03.01", "规范市民文明行为", "提供文明行为促进相关制度、实施情况报告及宣传资料"),
    ("03.02", "深入开展文明交通行动", f"提供专项行动方案、劝导活动记录、执法统计及{_PHOTO_NOTE}"),
    ("03.03", "深化学雷锋志愿服务", f"提供志愿服务管理制度、活动统计台账及{_PHOTO_NOTE}"),
    ("04.01", "推进义务教育优质均衡发展", "提供工作方案、达标学校名单及推进情况报告"),
    ("04.02", "加强科学普及", f"提供科普活动方案、活动总结及{_PHOTO_NOTE}"),
    ("04.03", "促进创新创业", "提供政策文件、孵化载体清单及成效材料"),
    ("05.01", "完善公共文化服务体系", "提供建设方案、公共文化设施清单及开放情况统计"),
    ("05.02", "广泛开展群众性文化活动", f"提供年度活动计划、活动记录及{_PHOTO_NOTE}"),
    ("05.03", "保护传承优秀传统文化", "提供保护工作方案、非遗项目名录及传承活动记录"),
    ("06.01", "优化营商环境", "提供政策措施文件、工作台账及成效材料"),
    ("06.02", "推进政务公开和便民服务", "提供工作报告、办件统计及群众满意度评价材料"),
    ("06.03", "加强党风廉政建设", f"提供工作制度、廉政教育活动记录及{_PHOTO_NOTE}"),
    ("07.01", "深入开展法治宣传教育", f"提供普法工作要点、宣传活动记录及{_PHOTO_NOTE}"),
    ("07.02", "推进严格规范公正文明执法", "提供执法制度文件、自查报告及整改台账"),
    ("07.03", "完善公共法律服务体系", "提供服务网点清单、法律援助统计及工作总结"),
    ("08.01", "提升市容环境秩序", f"提供整治方案、问题台账及整治前后对比{_PHOTO_NOTE}"),
    ("08.02", "推进生活垃圾分类", f"提供考核办法、工作台账及{_PHOTO_NOTE}"),
    ("08.03", "完善便民服务设施", "提供农贸市场、公厕等设施建设管理材料及验收意见"),
    ("09.01", "加强社会治安综合治理", f"提供会议记录、巡防工作记录及{_PHOTO_NOTE}"),
    ("09.02", "强化安全生产和应急管理", "提供工作方案、隐患排查台账及工作总结"),
    ("09.03", "保障食品药品安全", "提供监管工作方案、抽检统计表及处置记录"),
    ("10.01", "打好大气污染防治攻坚战", "提供年度工作方案、空气质量月度统计及成效材料"),
    ("10.02", "推进水污染防治和河湖长制", "提供河湖长制工作制度、巡河记录及情况汇报"),
    ("10.03", "加强园林绿化和生态保护", f"提供绿化工作方案、植树活动记录及{_PHOTO_NOTE}"),
    ("11.01", "健全创建工作机制", "提供领导小组文件、会议纪要及经费保障文件"),
    ("11.02", "开展创建问题整改督查", "提供督查通报、问题整改台账及整改报告"),
    ("11.03", "加强创建宣传和群众参与", f"提供宣传方案、市民满意度调查材料及{_PHOTO_NOTE}"),
]

_ITEM_NAMES = {code: name for code, name, _ in DEMO_ITEMS}

# Three or four concrete actions per demo item; the text generators build on them.
_ITEM_TASKS: dict[str, tuple[str, ...]] = {
    "01.01": (
        "组建市级宣讲团深入基层开展分众化宣讲",
        "建立理论学习中心组学习制度",
        "依托融媒体平台开设理论学习专栏",
    ),
    "01.02": (
        "用好爱国主义教育基地开展主题教育",
        "组织重要节庆日和纪念日主题活动",
        "推动红色资源进校园、进社区",
    ),
    "01.03": (
        "实现新时代文明实践所、站全覆盖",
        "建立“群众点单、中心派单、志愿者接单”服务机制",
        "培育一批文明实践特色品牌项目",
    ),
    "02.01": (
        "在主要街道、公共场所设置公益广告",
        "开展道德模范和“身边好人”评选",
        "推动核心价值观融入市民公约、村规民约",
    ),
    "02.02": (
        "开展“扣好人生第一粒扣子”主题教育",
        "加强乡村学校少年宫和校外活动场所建设",
        "整治校园周边环境",
    ),
    "02.03": (
        "完善信用信息归集共享机制",
        "开展诚信主题宣传教育",
        "落实守信激励和失信惩戒措施",
    ),
    "03.01": (
        "贯彻实施文明行为促进条例",
        "治理乱扔垃圾、随地吐痰、不文明养犬等行为",
        "开展“文明餐桌”“光盘行动”宣传",
    ),
    "03.02": (
        "在主要路口设置文明交通劝导岗",
        "开展电动自行车驾乘人员佩戴安全头盔专项整治",
        "推进机动车礼让斑马线常态化",
        "开展文明交通宣传进校园、进社区",
    ),
    "03.03": (
        "健全志愿者注册和服务时长记录制度",
        "打造“学雷锋”志愿服务品牌项目",
        "建设志愿服务站点并规范运行",
    ),
    "04.01": (
        "推进学校标准化建设",
        "深化集团化办学和教师交流轮岗",
        "落实“双减”政策和课后服务",
    ),
    "04.02": (
        "组织全国科普日和科技活动周活动",
        "开展科普大篷车进校园、进社区",
        "建设社区科普活动站",
    ),
    "04.03": (
        "完善科技企业孵化体系",
        "落实创新创业扶持政策",
        "举办创新创业大赛",
    ),
    "05.01": (
        "推进图书馆、文化馆总分馆制建设",
        "实现公共文化设施免费开放",
        "建设城市书房和文化驿站",
    ),
    "05.02": (
        "开展“百姓大舞台”群众文艺展演",
        "组织送戏下乡、送书下乡活动",
        "举办全民阅读系列活动",
    ),
    "05.03": (
        "建立非物质文化遗产保护名录",
        "开展传统节日民俗活动",
        "推进历史文化街区保护利用",
    ),
    "06.01": (
        "压缩企业开办和工程建设项目审批时间",
        "推行涉企服务“一件事一次办”",
        "建立营商环境问题投诉快速处理机制",
    ),
    "06.02": (
        "推进政务服务“一网通办”",
        "规范政府信息公开目录",
        "完善12345政务服务便民热线",
    ),
    "06.03": (
        "落实全面从严治党主体责任",
        "开展廉政文化进机关活动",
        "加强对重点领域的监督检查",
    ),
    "07.01": (
        "落实“谁执法谁普法”普法责任制",
        "开展宪法宣传周和民法典宣传活动",
        "建设法治文化阵地",
    ),
    "07.02": (
        "落实行政执法公示、执法全过程记录、重大执法决定法制审核制度",
        "开展行政执法案卷评查",
        "规范行政裁量权基准",
    ),
    "07.03": (
        "建设公共法律服务中心、工作站和工作室",
        "扩大法律援助覆盖面",
        "推进人民调解组织规范化建设",
    ),
    "08.01": (
        "整治占道经营、乱停乱放和乱贴乱画",
        "推进背街小巷和老旧小区改造",
        "规范户外广告和店招标牌设置",
    ),
    "08.02": (
        "推进生活垃圾分类投放点规范化建设",
        "开展垃圾分类宣传进小区",
        "完善分类收集、运输和处理体系",
    ),
    "08.03": (
        "推进农贸市场标准化改造",
        "加强城市公厕建设和管理",
        "完善社区便民服务网点",
    ),
    "09.01": (
        "深化平安建设和群防群治",
        "开展街面巡逻防控",
        "推进矛盾纠纷多元化解",
    ),
    "09.02": (
        "开展安全生产隐患大排查大整治",
        "加强应急预案管理和应急演练",
        "落实企业安全生产主体责任",
    ),
    "09.03": (
        "加强食品安全监督抽检",
        "推进“明厨亮灶”工程",
        "开展食品安全宣传周活动",
    ),
    "10.01": (
        "推进工业企业深度治理",
        "加强建筑工地和道路扬尘管控",
        "推动机动车污染防治",
        "开展重污染天气应对",
    ),
    "10.02": (
        "全面落实河湖长制",
        "推进城市黑臭水体治理",
        "加强饮用水水源地保护",
    ),
    "10.03": (
        "组织全民义务植树活动",
        "推进口袋公园和城市绿道建设",
        "加强古树名木保护",
    ),
    "11.01": (
        "健全创建工作领导小组及办公室运行机制",
        "落实创建任务分解和责任清单",
        "保障创建工作经费",
    ),
    "11.02": (
        "开展创建工作常态化督查暗访",
        "建立问题整改台账并实行销号管理",
        "对整改不力的单位进行通报",
    ),
    "11.03": (
        "开展创建全国文明城市宣传",
        "组织市民满意度调查",
        "畅通群众参与创建的意见建议渠道",
    ),
}


@dataclass(frozen=True)
class SampleMaterial:
    """One generated file and the metadata an archivist would record for it."""

    path: Path
    item_code: str
    title: str
    material_type: str
    department: str
    doc_number: str | None
    material_date: date
    description: str
    caption: dict[str, str] | None


# --------------------------------------------------------------------------- fonts

_PDF_FONT = "zhcjk"

_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)


@lru_cache(maxsize=1)
def _cjk_font() -> pymupdf.Font:
    """PyMuPDF's bundled Droid Sans Fallback (a TrueType font covering CJK)."""
    return pymupdf.Font("cjk")


def _load_pil_font(size: int, candidates: Sequence[str]) -> ImageFont.FreeTypeFont:
    """First loadable system CJK font, else the font bundled with PyMuPDF."""
    for candidate in candidates:
        if Path(candidate).is_file():
            try:
                return ImageFont.truetype(candidate, size)
            except OSError:
                continue
    return ImageFont.truetype(io.BytesIO(_cjk_font().buffer), size)


@lru_cache(maxsize=32)
def _pil_font(size: int) -> ImageFont.FreeTypeFont:
    return _load_pil_font(size, _FONT_CANDIDATES)


pil_font = _pil_font


# --------------------------------------------------------------------------- PDF

_A4 = pymupdf.paper_rect("a4")
_MARGIN_X = 79.0  # about 28 mm, as in GB/T 9704 official documents
_MARGIN_TOP = 74.0
_MARGIN_BOTTOM = 80.0
_BODY_SIZE = 15.0
_TITLE_SIZE = 21.0
_LEADING = 1.75
_RED = (0.8, 0.0, 0.0)
_MIN_LINES_PER_PAGE = 4  # short text is repeated so that no page looks empty
_NO_LINE_START = set("，。、；：？！）》」』”’%")


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text into lines no wider than ``width`` (closing marks may hang)."""
    widths = _cjk_font().char_lengths(text, fontsize=size)
    lines: list[str] = []
    current, used = "", 0.0
    for char, advance in zip(text, widths, strict=True):
        if current and used + advance > width and char not in _NO_LINE_START:
            lines.append(current)
            current, used = "", 0.0
        current += char
        used += advance
    lines.append(current)
    return lines


def _text_width(text: str, size: float) -> float:
    return _cjk_font().text_length(text, fontsize=size)


def _new_pdf_page(doc: pymupdf.Document) -> None:
    page = doc.new_page(width=_A4.width, height=_A4.height)
    xref = page.insert_font(fontname=_PDF_FONT, fontbuffer=_cjk_font().buffer)
    if doc.page_count == 1:
        # PyMuPDF caches glyph widths per document up to the highest code point seen so far
        # and rebuilds that table whenever a higher one turns up (full-width punctuation sits
        # at U+FFxx); building it once for the whole BMP makes later insert_text calls cheap.
        doc.get_char_widths(xref, limit=0x10000)


def _put(
    page: pymupdf.Page,
    x: float,
    y: float,
    text: str,
    size: float,
    color: tuple[float, float, float] = (0, 0, 0),
) -> None:
    page.insert_text((x, y), text, fontname=_PDF_FONT, fontsize=size, color=color)


def _put_centered(page: pymupdf.Page, y: float, text: str, size: float,
                  color: tuple[float, float, float] = (0, 0, 0)) -> None:
    _put(page, (page.rect.width - _text_width(text, size)) / 2, y, text, size, color)


def _put_right(page: pymupdf.Page, y: float, text: str, size: float) -> None:
    x = page.rect.width - _MARGIN_X - 2 * size - _text_width(text, size)
    _put(page, x, y, text, size)


def _draw_letterhead(page: pymupdf.Page, issuer: str, doc_number: str | None) -> float:
    """Red 版头 (issuer name in red, document number, red rule); returns next baseline."""
    text = issuer if issuer.endswith(("文件", "纪要", "简报")) else f"{issuer}文件"
    width = page.rect.width - 2 * _MARGIN_X
    size = min(26.0, width / _text_width(text, 1.0))
    y = _MARGIN_TOP + size
    _put_centered(page, y, text, size, color=_RED)
    y += 2.0 * _BODY_SIZE
    if doc_number:
        _put_centered(page, y, doc_number, _BODY_SIZE)
    y += 0.9 * _BODY_SIZE
    page.draw_line((_MARGIN_X, y), (page.rect.width - _MARGIN_X, y), color=_RED, width=1.6)
    return y + 2.2 * _BODY_SIZE


def _balanced_wrap(text: str, size: float, width: float) -> list[str]:
    """Wrap a title into lines of similar length instead of leaving one orphan character."""
    lines = _wrap(text, size, width)
    if len(lines) < 2:
        return lines
    per_line = math.ceil(len(text) / len(lines))
    balanced = [text[i : i + per_line] for i in range(0, len(text), per_line)]
    if all(_text_width(ln, size) <= width and ln[0] not in _NO_LINE_START for ln in balanced):
        return balanced
    return lines


def _draw_title(page: pymupdf.Page, y: float, title: str) -> float:
    width = page.rect.width - 2 * _MARGIN_X
    y += _TITLE_SIZE
    for line in _balanced_wrap(title, _TITLE_SIZE, width):
        _put_centered(page, y, line, _TITLE_SIZE)
        y += _TITLE_SIZE * 1.5
    return y + _BODY_SIZE * 0.6


def _draw_footer(page: pymupdf.Page, number: int, total: int) -> None:
    y = page.rect.height - _MARGIN_BOTTOM / 2
    _put_centered(page, y, f"第 {number} 页 共 {total} 页", 10.5, color=(0.25, 0.25, 0.25))


def _body_lines(paragraphs: Sequence[str], width: float, indent: bool) -> list[list[str]]:
    """Wrapped lines, one list per paragraph."""
    prefix = "\u3000\u3000" if indent else ""
    return [_wrap(prefix + p.strip(), _BODY_SIZE, width) for p in paragraphs]


def _fit_lines(blocks: list[list[str]], capacity: int, minimum: int) -> list[str]:
    """Flatten paragraphs, dropping whole trailing paragraphs that do not fit."""
    flat = [line for block in blocks for line in block]
    while len(blocks) > 1 and sum(map(len, blocks)) > capacity:
        blocks = blocks[:-1]
    kept = [line for block in blocks for line in block]
    return (kept if len(kept) >= minimum else flat)[:capacity]


def _spread(lines: list[str], capacities: list[int]) -> list[list[str]]:
    """Share ``lines`` out so that every page gets some and none overflows."""
    chunks: list[list[str]] = []
    start = 0
    for index, capacity in enumerate(capacities):
        pages_left = len(capacities) - index
        take = min(capacity, math.ceil((len(lines) - start) / pages_left))
        chunks.append(lines[start : start + take])
        start += take
    return chunks


def _layout_document(
    doc: pymupdf.Document,
    title: str,
    paragraphs: Sequence[str],
    *,
    pages: int,
    indent: bool = True,
    issuer: str | None = None,
    doc_number: str | None = None,
    signed: str | None = None,
) -> None:
    """Write a titled document of exactly ``pages`` pages into ``doc``."""
    width = _A4.width - 2 * _MARGIN_X
    line_height = _BODY_SIZE * _LEADING
    texts = list(paragraphs) if any(p.strip() for p in paragraphs) else [title]
    blocks = _body_lines(texts, width, indent)
    while sum(map(len, blocks)) < _MIN_LINES_PER_PAGE * pages:
        blocks += _body_lines(texts, width, indent)
    for _ in range(pages):
        _new_pdf_page(doc)
    # Page objects go stale when pages are added, so load them once all exist.
    page_list = [doc[i] for i in range(doc.page_count - pages, doc.page_count)]
    first = page_list[0]
    y0 = _draw_letterhead(first, issuer, doc_number) if issuer else _MARGIN_TOP
    y0 = _draw_title(first, y0, title)
    starts = [y0] + [_MARGIN_TOP + _BODY_SIZE] * (pages - 1)
    bottom = _A4.height - _MARGIN_BOTTOM
    caps = [max(1, int((bottom - y) // line_height)) for y in starts]
    if signed:
        caps[-1] = max(1, caps[-1] - 4)
    lines = _fit_lines(blocks, sum(caps), pages)
    for number, (page, y, chunk) in enumerate(
        zip(page_list, starts, _spread(lines, caps), strict=True), start=1
    ):
        for line in chunk:
            _put(page, _MARGIN_X, y, line, _BODY_SIZE)
            y += line_height
        if number == pages and signed:
            y += line_height
            if issuer:
                _put_right(page, y, issuer, _BODY_SIZE)
            _put_right(page, y + line_height, signed, _BODY_SIZE)
        _draw_footer(page, number, pages)


def _save_pdf(doc: pymupdf.Document, path: Path, title: str) -> Path:
    doc.set_metadata({"title": title, "creator": "Zicha samples", "producer": "PyMuPDF"})
    doc.subset_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def make_pdf(
    path: Path,
    title: str,
    paragraphs: list[str],
    *,
    pages: int = 1,
    issuer: str | None = None,
    doc_number: str | None = None,
    signed: str | None = None,
) -> Path:
    """Write an A4 PDF with an embedded (subset) CJK font and a real text layer.

    ``issuer``/``doc_number`` add a red official letterhead on page 1; ``signed`` (a date
    string) adds an issuer/date signature at the end of the last page.
    """
    if pages < 1:
        raise ValueError("pages must be at least 1")
    doc = pymupdf.open()
    _layout_document(
        doc, title, paragraphs, pages=pages, issuer=issuer, doc_number=doc_number, signed=signed
    )
    return _save_pdf(doc, Path(path), title)


def _noise(size: tuple[int, int], rng: random.Random, amplitude: int) -> Image.Image:
    """Seeded uniform grain centred on 128 (``Image.effect_noise`` cannot be seeded)."""
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lambda v: 128 + (v - 128) * amplitude // 128)


def _scan_effect(image: Image.Image, seed: int) -> Image.Image:
    """Make a clean greyscale page look scanned: slight skew, grey paper, noise."""
    rng = random.Random(seed)
    angle = rng.uniform(-0.8, 0.8)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    image = image.point(lambda v: 28 + v * 205 // 255)  # paper is never pure white
    return ImageChops.add(image, _noise(image.size, rng, 12), scale=1.0, offset=-128)


def make_scanned_pdf(path: Path, title: str, lines: list[str]) -> Path:
    """Write an image-only (no text layer) single-page PDF that looks like a scan."""
    source = pymupdf.open()
    _layout_document(source, title, lines, pages=1, indent=False)
    pix = source[0].get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
    source.close()
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    image = _scan_effect(image, zlib.crc32(title.encode("utf-8")))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    doc = pymupdf.open()
    page = doc.new_page(width=_A4.width, height=_A4.height)
    page.insert_image(page.rect, stream=buffer.getvalue())
    doc.set_metadata({"title": title, "creator": "Zicha samples (scan)", "producer": "PyMuPDF"})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


# --------------------------------------------------------------------------- DOCX

_DOCX_BODY_FONT = "宋体"
_DOCX_HEADING_FONT = "黑体"


def _east_asian(element: BaseOxmlElement, name: str) -> None:
    """Set the East Asian font name, which python-docx's ``font.name`` leaves alone."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)


def _style_run(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    _east_asian(run._element, name)


def _add_page_number(paragraph: Paragraph) -> None:
    paragraph.add_run("第 ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" 页")


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _setup_docx_page(document: DocxDocument, header: str, footer: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    head = section.header.paragraphs[0]
    head.text = header
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer:
        foot.add_run(footer + "　")
    _add_page_number(foot)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal.element, _DOCX_BODY_FONT)


def _add_table(document: DocxDocument, table: list[list[str]]) -> None:
    columns = max(len(row) for row in table)
    grid = document.add_table(rows=len(table), cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(table):
        for c in range(columns):
            cell = grid.cell(r, c)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            value = row[c] if c < len(row) else ""
            _style_run(paragraph.add_run(str(value)), _DOCX_BODY_FONT, 10.5, bold=r == 0)
            if r == 0:
                _shade(cell, "D9D9D9")


def make_docx(
    path: Path,
    title: str,
    paragraphs: list[str],
    *,
    table: list[list[str]] | None = None,
    header: str | None = None,
    footer: str = "",
) -> Path:
    """Write an A4 Word document: heading, indented paragraphs, optional table.

    The first row of ``table`` is the header row.  ``header`` defaults to the title;
    the footer holds ``footer`` followed by a page-number field.
    """
    document = Document()
    _setup_docx_page(document, header if header is not None else title, footer)
    heading = document.add_heading(level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_run(heading.add_run(title), _DOCX_HEADING_FONT, 18, bold=True)
    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        paragraph.paragraph_format.line_spacing = 1.5
        _style_run(paragraph.add_run(text), _DOCX_BODY_FONT, 12)
    if table:
        _add_table(document, table)
    document.core_properties.title = title
    document.core_properties.author = "Zicha 示例数据"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# --------------------------------------------------------------------------- XLSX

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _display_width(value: object) -> int:
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def make_xlsx(path: Path, title: str, header: list[str], rows: list[list[object]]) -> Path:
    """Write a one-sheet workbook: merged title row, bold header row, data rows."""
    workbook = Workbook()
    sheet = sheets.active_sheet(workbook)
    sheet.title = title.translate(_INVALID_SHEET_CHARS)[:31] or "Sheet1"
    columns = max([len(header), *(len(row) for row in rows)])
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    fill = PatternFill("solid", fgColor="DDEBF7")
    for c, name in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=c, value=name)
        cell.font, cell.fill, cell.border = Font(bold=True), fill, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            # the demo's rows hold str, int and date, which openpyxl stores as they are
            cell = sheet.cell(row=r, column=c, value=value)  # type: ignore[call-overload]
            cell.border = _BOX
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    for c in range(1, columns + 1):
        values: list[object] = [header[c - 1] if c <= len(header) else ""]
        values += [row[c - 1] for row in rows if c <= len(row)]
        width = max(_display_width(v) for v in values) + 2
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width, 8), 48)
    sheet.freeze_panes = "A3"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


# --------------------------------------------------------------------------- photos

_PHOTO_FORMATS = {"JPEG": "JPEG", "JPG": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "TIF": "TIFF"}
_SCENES = ("street", "plaza", "park")
_SLOGANS = (
    "创建全国文明城市　建设美好幸福家园",
    "讲文明　树新风　做文明有礼吴州人",
    "文明交通从我做起",
    "垃圾分类　人人有责",
    "弘扬志愿精神　传递文明温暖",
    "社会主义核心价值观",
)
_CLOTHES = (
    (200, 40, 40),
    (230, 90, 30),
    (40, 80, 160),
    (240, 240, 235),
    (60, 60, 70),
    (90, 140, 60),
    (230, 200, 40),
)


def _gradient(size: tuple[int, int], top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, black=top, white=bottom)


def _jitter(rng: random.Random, color: tuple[int, int, int], amount: int) -> tuple[int, ...]:
    return tuple(max(0, min(255, v + rng.randint(-amount, amount))) for v in color)


def _draw_clouds(image: Image.Image, horizon: int, rng: random.Random) -> None:
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    w = image.width
    for _ in range(rng.randint(2, 5)):
        cx, cy = rng.randint(0, w), rng.randint(horizon // 10, horizon // 2)
        for _ in range(5):
            rx, ry = rng.randint(w // 25, w // 10), rng.randint(w // 60, w // 30)
            dx, dy = rng.randint(-w // 12, w // 12), rng.randint(-w // 80, w // 80)
            draw.ellipse((cx + dx - rx, cy + dy - ry, cx + dx + rx, cy + dy + ry), fill=200)
    layer = layer.filter(ImageFilter.GaussianBlur(w / 120))
    image.paste((250, 250, 252), mask=layer)


def _draw_buildings(draw: ImageDraw.ImageDraw, w: int, horizon: int, rng: random.Random) -> None:
    x = -rng.randint(0, 60)
    while x < w:
        bw = rng.randint(w // 12, w // 5)
        bh = rng.randint(horizon // 4, int(horizon * 0.8))
        base = _jitter(rng, rng.choice([(190, 180, 165), (160, 165, 175), (210, 205, 195)]), 15)
        draw.rectangle((x, horizon - bh, x + bw, horizon), fill=base)
        window = tuple(max(0, v - 55) for v in base)
        step_x, step_y = max(10, bw // 6), max(12, bh // 10)
        for wx in range(x + step_x // 2, x + bw - step_x // 2, step_x):
            for wy in range(horizon - bh + step_y // 2, horizon - step_y, step_y):
                draw.rectangle((wx, wy, wx + step_x // 2, wy + step_y // 2), fill=window)
        x += bw + rng.randint(0, w // 30)


def _draw_banner(
    image: Image.Image, horizon: int, rng: random.Random, slogan: str
) -> None:
    w, h = image.size
    font = _pil_font(max(12, h // 26))
    text_w = int(font.getlength(slogan))
    bw, bh = text_w + h // 12, int(font.size * 1.8)
    left = rng.randint(w // 20, max(w // 20 + 1, w - bw - w // 20))
    top = horizon - int(h * rng.uniform(0.14, 0.28))
    draw = ImageDraw.Draw(image)
    pole = max(3, w // 300)
    for px in (left - pole, left + bw):
        draw.rectangle((px, top - bh // 3, px + pole, horizon + h // 40), fill=(90, 90, 90))
    draw.rectangle((left, top, left + bw, top + bh), fill=(196, 24, 24))
    draw.text((left + bw / 2, top + bh / 2), slogan, font=font, fill=(255, 225, 60), anchor="mm")


def _draw_ground(
    image: Image.Image, horizon: int, scene: str, rng: random.Random
) -> ImageDraw.ImageDraw:
    w, h = image.size
    colors = {
        "street": ((118, 118, 122), (88, 88, 92)),
        "plaza": ((190, 180, 165), (150, 140, 128)),
        "park": ((120, 160, 80), (70, 120, 50)),
    }[scene]
    image.paste(_gradient((w, h - horizon), *colors), (0, horizon))
    draw = ImageDraw.Draw(image)
    if scene == "street":
        stripes, cx = 9, w // 2 + rng.randint(-w // 8, w // 8)
        near, far = int(h * 0.9), horizon + (h - horizon) // 3
        for i in range(stripes):
            t0, t1 = (i - stripes / 2) / stripes, (i + 0.5 - stripes / 2) / stripes
            draw.polygon(
                [(cx + t0 * w * 0.5, far), (cx + t1 * w * 0.5, far),
                 (cx + t1 * w * 1.1, near), (cx + t0 * w * 1.1, near)],
                fill=(225, 225, 220),
            )
    elif scene == "plaza":
        for y in range(horizon, h, max(8, h // 30)):
            draw.line((0, y, w, y), fill=(170, 160, 148), width=1)
    return draw


def _draw_tree(draw: ImageDraw.ImageDraw, x: int, base: int, s: float, rng: random.Random) -> None:
    trunk_w, trunk_h = max(3, int(10 * s)), int(70 * s)
    draw.rectangle((x - trunk_w // 2, base - trunk_h, x + trunk_w // 2, base), fill=(95, 65, 40))
    for _ in range(5):
        r = int(rng.uniform(28, 46) * s)
        cx = x + int(rng.uniform(-28, 28) * s)
        cy = base - trunk_h - int(rng.uniform(0, 45) * s)
        green = _jitter(rng, (50, 110, 45), 20)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=green)


def _shade_color(color: tuple[int, ...], factor: float) -> tuple[int, ...]:
    return tuple(int(v * factor) for v in color)


def _draw_person(
    draw: ImageDraw.ImageDraw, x: float, foot: float, s: float, rng: random.Random
) -> None:
    """A simple standing figure about ``170 * s`` pixels tall."""
    h = 170 * s
    top, head = foot - h, h * 0.14
    shoulder, hip = top + head * 1.15, top + h * 0.52
    half, arm, leg, gap = h * 0.1, h * 0.045, h * 0.065, h * 0.012
    shirt = _jitter(rng, rng.choice(_CLOTHES), 12)
    trousers = _jitter(rng, rng.choice([(40, 45, 60), (70, 70, 75), (30, 30, 35)]), 10)
    skin = _jitter(rng, (236, 200, 168), 12)
    for side in (-1, 1):
        x0, x1 = sorted((x + side * gap, x + side * (gap + leg)))
        draw.rectangle((x0, hip, x1, foot), fill=trousers)
        draw.ellipse((x0 - leg * 0.15, foot - h * 0.025, x1 + leg * 0.15, foot + h * 0.01),
                     fill=(30, 30, 30))
        edge = x + side * half
        box = sorted((edge - side * 1, edge + side * arm))
        draw.rounded_rectangle((box[0], shoulder + 1, box[1], hip + h * 0.04),
                               radius=max(1, int(arm / 2)), fill=_shade_color(shirt, 0.85))
        draw.ellipse((box[0], hip + h * 0.03, box[1], hip + h * 0.03 + arm), fill=skin)
    draw.rounded_rectangle((x - half, shoulder, x + half, hip + h * 0.03),
                           radius=max(1, int(half * 0.4)), fill=shirt)
    draw.rectangle((x - h * 0.02, shoulder - head * 0.2, x + h * 0.02, shoulder + 1), fill=skin)
    draw.ellipse((x - head * 0.42, top, x + head * 0.42, top + head), fill=skin)
    draw.chord((x - head * 0.44, top - head * 0.04, x + head * 0.44, top + head * 0.7),
               180, 360, fill=(25, 22, 20))
    if rng.random() < 0.2:  # a small red flag, as volunteers often carry
        hand_x, hand_y = x + half + arm / 2, hip + h * 0.04
        draw.line((hand_x, hand_y, hand_x, hand_y - h * 0.45), fill=(80, 80, 80),
                  width=max(1, int(h / 90)))
        draw.rectangle((hand_x, hand_y - h * 0.45, hand_x + h * 0.16, hand_y - h * 0.35),
                       fill=(205, 30, 30))


def _draw_desk(draw: ImageDraw.ImageDraw, x: float, foot: float, s: float) -> None:
    """A publicity desk with a red tablecloth and a display board."""
    half, high = 80 * s, 55 * s
    draw.rectangle((x - half, foot - high, x + half, foot), fill=(185, 28, 28))
    draw.rectangle((x - half, foot - high, x + half, foot - high + 5 * s), fill=(215, 60, 55))
    left = x + half + 12 * s
    draw.line((left + 10 * s, foot - 60 * s, left + 10 * s, foot), fill=(70, 70, 70),
              width=max(1, int(3 * s)))
    draw.line((left + 60 * s, foot - 60 * s, left + 60 * s, foot), fill=(70, 70, 70),
              width=max(1, int(3 * s)))
    draw.rectangle((left, foot - 160 * s, left + 70 * s, foot - 60 * s), fill=(245, 245, 238),
                   outline=(60, 60, 60), width=max(1, int(2 * s)))
    draw.rectangle((left + 6 * s, foot - 152 * s, left + 64 * s, foot - 138 * s),
                   fill=(200, 35, 35))
    for row in range(4):
        y = foot - 128 * s + row * 14 * s
        draw.line((left + 8 * s, y, left + 62 * s, y), fill=(150, 150, 150),
                  width=max(1, int(2 * s)))


def _draw_figures(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], horizon: int, scene: str,
    rng: random.Random,
) -> None:
    """Trees, a publicity desk and groups of people, painted back to front."""
    w, h = size
    depth = h - horizon
    figures: list[tuple[float, float, str]] = []
    tree_count = {"park": 7, "plaza": 3, "street": 0}[scene]
    figures += [(rng.uniform(0, w), rng.uniform(0.02, 0.3), "tree") for _ in range(tree_count)]
    groups = [
        (rng.uniform(0.15, 0.85) * w, rng.uniform(0.3, 0.7)) for _ in range(rng.randint(2, 3))
    ]
    if scene != "street":
        gx, gt = groups[0]
        figures.append((gx, gt + 0.02, "desk"))
    for _ in range(rng.randint(7, 14)):
        gx, gt = rng.choice(groups)
        t = min(0.92, max(0.05, gt + rng.gauss(0, 0.12)))
        figures.append((gx + rng.gauss(0, w * 0.08), t, "person"))
    for x, t, kind in sorted(figures, key=lambda f: f[1]):
        foot = horizon + t * depth
        scale = (0.3 + 1.3 * t) * h / 800
        if kind == "tree":
            _draw_tree(draw, int(x), int(foot), scale * 2.0, rng)
        elif kind == "desk":
            _draw_desk(draw, x, foot, scale)
        else:
            _draw_person(draw, x, foot, scale, rng)


def _draw_caption(image: Image.Image, caption: str) -> None:
    w, h = image.size
    band = max(24, h // 11)
    overlay = Image.new("RGBA", (w, band), (0, 0, 0, 150))
    base = image.crop((0, h - band, w, h)).convert("RGBA")
    image.paste(Image.alpha_composite(base, overlay).convert("RGB"), (0, h - band))
    size = max(10, int(band * 0.48))
    font = _pil_font(size)
    while size > 10 and font.getlength(caption) > w * 0.94:
        size -= 2
        font = _pil_font(size)
    draw = ImageDraw.Draw(image)
    draw.text((w * 0.03, h - band / 2), caption, font=font, fill=(255, 255, 255), anchor="lm")


def _render_photo(
    size: tuple[int, int], seed: int, scene: str | None, slogan: str | None
) -> Image.Image:
    rng = random.Random(seed)
    scene = scene or rng.choice(_SCENES)
    w, h = size
    horizon = int(h * rng.uniform(0.42, 0.55))
    sky_top = _jitter(rng, (70, 125, 200), 20)
    image = _gradient((w, h), sky_top, (205, 222, 238))
    _draw_clouds(image, horizon, rng)
    _draw_buildings(ImageDraw.Draw(image), w, horizon, rng)
    draw = _draw_ground(image, horizon, scene, rng)
    _draw_banner(image, horizon, rng, slogan or rng.choice(_SLOGANS))
    _draw_figures(draw, size, horizon, scene, rng)
    image = image.filter(ImageFilter.GaussianBlur(max(0.5, w / 1600)))
    noise = _noise(size, rng, 9).convert("RGB")
    return ImageChops.add(image, noise, scale=1.0, offset=-128)


def photo_image(size: tuple[int, int], seed: int, scene: str | None, slogan: str | None,
                caption: str) -> Image.Image:
    """A drawn activity scene with `caption` on a dark band at the bottom (what make_photo
    saves, for the demo's HEIC photo and video frames)."""
    image = _render_photo(size, seed, scene, slogan)
    _draw_caption(image, caption)
    return image


def make_photo(
    path: Path,
    caption: str,
    *,
    fmt: str = "JPEG",
    size: tuple[int, int] = (1200, 800),
    seed: int = 0,
    scene: str | None = None,
    slogan: str | None = None,
) -> Path:
    """Write a synthetic activity photo with ``caption`` on a dark banner at the bottom.

    ``fmt`` is JPEG, PNG or TIFF; ``seed`` varies the composition.  ``scene`` (street,
    plaza or park) and the ``slogan`` on the red banner are picked from the seed when
    not given.
    """
    key = _PHOTO_FORMATS.get(fmt.upper())
    if key is None:
        raise ValueError(f"unsupported photo format: {fmt}")
    if scene is not None and scene not in _SCENES:
        raise ValueError(f"unknown scene: {scene}")
    image = photo_image(size, seed, scene, slogan, caption)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {}
    if key == "JPEG":
        options = {"quality": 85, "optimize": True}
    elif key == "TIFF":
        options = {"compression": "tiff_lzw"}
    elif key == "PNG":
        options = {"optimize": False, "compress_level": 6}
    image.save(path, format=key, **options)
    return path


# --------------------------------------------------------------------------- corpus text

_CN_DIGITS = "零一二三四五六七八九"
_SURNAMES = "张王李刘陈杨赵黄周吴徐孙朱马胡郭林何高罗"
_GIVEN = ("建国", "海燕", "文斌", "丽华", "志强", "晓明", "秀英", "国平", "红梅", "立新",
          "雪芳", "永刚", "静", "伟", "敏", "俊杰", "春燕", "卫东")
_DISTRICTS = ("姑苏区", "吴中区", "相城区", "高新区", "滨湖新区")
_STREETS = ("人民路", "干将路", "十全街", "凤凰街", "三香路", "东环路", "石路", "观前街",
            "竹辉路", "金门路")


def _cn_number(n: int) -> str:
    """Chinese numeral for 0 <= n < 100 (一, 十二, 二十)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


_ELABORATIONS = (
    "各责任单位要明确专人负责，建立工作台账，每月5日前报送上月工作进展情况。",
    "要坚持问题导向，对照测评标准逐项梳理，做到发现一处、整改一处、巩固一处。",
    "要注重发挥志愿者作用，广泛动员群众参与，营造共建共享的良好氛围。",
    "要加强部门协同和市区联动，形成上下贯通、齐抓共管的工作格局。",
    "要及时收集整理活动方案、记录和图片资料，做到资料规范、佐证充分。",
    "要把日常管理与集中整治结合起来，推动工作由“突击式”向“常态化”转变。",
)


_DETAILS = (
    "明确牵头单位和配合单位，细化任务清单、责任清单和时限清单，确保每项任务有人抓、有人管。",
    "建立周调度、月通报制度，及时掌握工作进展，协调解决推进中遇到的困难和问题。",
    "充分利用报纸、电视、网站和微信公众号等平台，广泛宣传工作进展和先进典型。",
    "组织志愿者常态化参与，做到重要节点有活动、重点区域有岗位、日常工作有记录。",
    "对照测评标准开展自查自评，形成问题清单，实行销号管理，确保问题见底清零。",
    "加强与各区、各街道的联动，推动工作力量和资源向基层下沉。",
    "注重总结提炼典型经验，每季度至少报送一篇工作信息，年底形成书面总结。",
    "规范档案资料管理，做到方案、记录、图片、台账齐全，分类归档、便于查阅。",
    "引入第三方机构开展暗访评估，评估结果作为改进工作的重要依据。",
    "畅通12345热线、网络留言等群众反映渠道，对群众反映的问题限时办结、及时反馈。",
    "配齐配强专兼职工作人员，加强业务培训，每年至少组织两次专题培训。",
    "把相关工作纳入部门年度目标考核，考核结果与评先评优挂钩。",
    "结合重要节庆日和纪念日，组织开展形式多样、群众喜闻乐见的主题活动。",
    "加大对重点区域、重点时段的巡查力度，发现问题及时交办、跟踪督办。",
)


def _tasks(code: str) -> tuple[str, ...]:
    return _ITEM_TASKS[code]


def _details(rng: random.Random, count: int) -> list[str]:
    """``count`` numbered detail paragraphs (1．…, 2．…) for padding longer documents."""
    picked = rng.sample(_DETAILS, min(count, len(_DETAILS)))
    return [f"{i}．{text}" for i, text in enumerate(picked, start=1)]


def _plan_paragraphs(code: str, year: int, rng: random.Random, detail: int = 0) -> list[str]:
    name = _ITEM_NAMES[code]
    out = [
        f"为深入推进全国文明城市创建工作，进一步{name}，巩固提升创建成果，"
        "结合我市实际，制定本方案。",
        "一、总体要求",
        "坚持以人民为中心的发展思想，坚持创建为民、创建惠民，以" + name + "为重点，"
        "着力补短板、强弱项、固长效，推动城市文明程度和市民文明素质同步提升。",
        "二、工作目标",
        f"到{year}年底，相关测评指标全部达到测评标准要求，群众知晓率、满意度分别达到"
        f"{rng.randint(90, 96)}%和{rng.randint(88, 95)}%以上，形成一批可复制、可推广的经验做法。",
        "三、主要任务",
    ]
    for i, task in enumerate(_tasks(code), start=1):
        out.append(f"（{_cn_number(i)}）{task}。{rng.choice(_ELABORATIONS)}")
        out += _details(rng, detail)
    start = rng.randint(2, 4)
    out += [
        "四、实施步骤",
        f"（一）动员部署阶段（{year}年{start}月）。制定工作方案，召开动员部署会，"
        "明确任务分工和时间节点。",
        f"（二）集中推进阶段（{year}年{start + 1}月至{start + 6}月）。各责任单位按照任务分工"
        "全面推进，市创建办每月开展一次督查。",
        f"（三）总结提升阶段（{year}年{start + 7}月至12月）。全面梳理工作成效，"
        "总结推广经验做法，建立长效管理机制。",
        "五、保障措施",
        "（一）加强组织领导。成立由分管负责同志任组长的工作专班，统筹推进各项任务落实。",
        "（二）强化经费保障。将相关工作经费纳入年度部门预算，确保各项任务顺利实施。",
        "（三）严格督查考核。督查结果纳入年度文明创建考核，对工作不力的单位予以通报。",
    ]
    return out


def _notice_paragraphs(
    inner: str, code: str, year: int, rng: random.Random, detail: int = 0
) -> list[str]:
    head = [
        "各区人民政府，市各有关部门、单位：",
        f"现将《{inner}》印发给你们，请结合实际认真抓好贯彻落实。",
        f"附件：{inner}",
    ]
    return head + _plan_paragraphs(code, year, rng, detail)


def _minutes_paragraphs(
    code: str, dept: str, when: date, rng: random.Random
) -> list[str]:
    name = _ITEM_NAMES[code]
    tasks = _tasks(code)
    attendees = "、".join(rng.sample(sorted(_DOC_PREFIX), 4))
    return [
        f"时间：{_cn_date(when)}上午9:00",
        f"地点：市行政中心{rng.randint(2, 9)}号楼{rng.randint(3, 12)}0{rng.randint(1, 8)}会议室",
        f"主持：{_person(rng)}（市创建办常务副主任）",
        f"参加：{attendees}等单位分管负责同志",
        f"记录：{dept}综合科",
        f"会议听取了{dept}关于{name}工作情况的汇报，分析了当前存在的短板弱项，"
        "研究部署了下一阶段重点任务。现将会议主要精神纪要如下：",
        "一、会议指出，今年以来各成员单位认真履职、密切配合，创建工作总体推进有序，"
        "但对照测评标准，仍存在部分点位反复、资料收集不够规范等问题。",
        f"二、会议强调，要聚焦{name}，重点抓好以下工作：" + "；".join(tasks) + "。",
        f"三、会议要求，各单位要在{rng.randint(10, 25)}个工作日内完成问题整改，"
        "并将整改情况及佐证材料报市创建办。市创建办要加强跟踪督办，确保按期销号。",
        "四、会议研究了近期重点工作安排，明确由市创建办牵头，于下月组织开展一次"
        "全市创建工作集中督查，督查结果在全市通报。",
        "五、会议还对资料整理归档工作提出要求，各单位要按照测评标准逐项整理佐证材料，"
        "做到内容真实、分类清晰、标注规范。",
    ]


def _report_paragraphs(
    code: str, dept: str, year: int, rng: random.Random, detail: int = 0
) -> list[str]:
    name = _ITEM_NAMES[code]
    out = [
        f"{year}年以来，{dept}按照市委、市政府关于创建全国文明城市的部署要求，"
        f"围绕{name}，扎实推进各项工作，取得了阶段性成效。现将有关情况报告如下。",
        "一、主要做法",
    ]
    for i, task in enumerate(_tasks(code), start=1):
        out.append(
            f"（{_cn_number(i)}）{task}。全年累计开展相关活动{rng.randint(20, 180)}场次，"
            f"覆盖群众{rng.randint(2, 30)}万人次。"
        )
        out += _details(rng, detail)
    out += [
        "二、取得成效",
        f"相关测评指标完成率达到{rng.randint(92, 100)}%，"
        f"群众满意度为{rng.uniform(88, 97):.1f}%，比上年提高{rng.uniform(1, 5):.1f}个百分点，"
        "相关做法被省级媒体报道。",
        "三、存在问题",
        "对照测评标准，仍存在部分区域工作推进不平衡、长效机制有待完善、"
        "群众参与的广度和深度还需进一步拓展等问题。",
        "四、下一步工作打算",
        "坚持目标导向和问题导向，持续补齐短板弱项，健全常态长效工作机制，"
        "推动创建成果更多更好惠及广大市民。",
    ]
    return out


def _rules_paragraphs(
    code: str, dept: str, when: date, rng: random.Random, detail: int = 0
) -> list[str]:
    name = _ITEM_NAMES[code]
    articles = [
        f"为{name}，推动全国文明城市创建工作常态长效，根据有关法律法规和政策规定，"
        "结合本市实际，制定本办法。",
        f"本办法适用于本市行政区域内{name}相关工作。",
        f"{dept}负责统筹协调和监督指导，各区、各有关部门按照职责分工做好相关工作。",
    ]
    for task in _tasks(code):
        extra = "".join(text.split("．", 1)[1] for text in _details(rng, detail + 1))
        articles.append(f"{task}。{extra}")
    articles += [
        "对工作推进不力、测评中出现严重失分的单位，由市创建办予以通报并督促整改。",
        f"本办法自{_cn_date(when)}起施行。",
    ]
    return [f"第{_cn_number(i)}条　{text}" for i, text in enumerate(articles, start=1)]


def _signin_lines(title: str, dept: str, when: date, rng: random.Random) -> list[str]:
    lines = [
        f"会议名称：{title.replace('签到表（扫描件）', '')}",
        f"时间：{_cn_date(when)}　　地点：市行政中心{rng.randint(2, 9)}号会议室",
        f"组织单位：{dept}",
        "序号　　姓名　　　单位　　　　　　　　　职务　　　签名",
    ]
    units = rng.sample(sorted(_DOC_PREFIX), 10)
    for i, unit in enumerate(units, start=1):
        name = _person(rng)
        lines.append(f"{i:02d}　　{name:　<5}{unit:　<10}　科长　　　{name}")
    return lines


def _acceptance_lines(dept: str, when: date, rng: random.Random) -> list[str]:
    market = rng.choice(("东环路", "南门", "新华路", "石湖"))
    return [
        f"项目名称：{market}农贸市场标准化改造",
        f"验收时间：{_cn_date(when)}",
        f"验收单位：{dept}、市商务局、{rng.choice(_DISTRICTS)}人民政府",
        "验收意见：经现场查看和查阅资料，该市场功能分区合理，摊位划行归市，地面、排水、"
        "通风、照明等设施符合标准，公平秤、信息公示屏设置规范，公厕及垃圾收集点管理到位。"
        "验收组一致同意通过验收。",
        "整改建议：进一步加强日常保洁和消防通道管理。",
        "",
        "验收组成员签字：",
        "",
        f"{_org_name(dept)}（盖章）　　{_cn_date(when)}",
    ]


# --------------------------------------------------------------------------- corpus specs

_DOC_PREFIX: dict[str, str] = {
    "市文明办": "吴文明办",
    "市委宣传部": "吴宣",
    "市委政法委": "吴政法",
    "市教育局": "吴教",
    "市科技局": "吴科",
    "市文化广电和旅游局": "吴文旅",
    "市政务服务管理办公室": "吴政务办",
    "市司法局": "吴司",
    "市公安局": "吴公",
    "市城市管理局": "吴城管",
    "市应急管理局": "吴应急",
    "市市场监督管理局": "吴市监",
    "市生态环境局": "吴环",
    "市水务局": "吴水",
    "市财政局": "吴财",
    "市发展改革委": "吴发改",
    "市纪委监委": "吴纪",
    "团市委": "吴团",
}


@dataclass(frozen=True)
class _Spec:
    kind: str  # pdf, scan, docx, xlsx, or a photo format: jpeg, png, tiff
    item: str
    title: str
    mtype: str
    dept: str
    genre: str  # notice, plan, minutes, report, rules, signin, acceptance, table, photo
    month: tuple[int, int]  # (year, month) the material dates from
    pages: int = 1
    place: str = ""
    people: str = ""
    scene: str | None = None
    numbered: bool = True  # official documents carry a 文号


_S = _Spec
_SPECS: tuple[_Spec, ...] = (
    # ---- text PDFs
    _S("pdf", "01.01", "关于印发《2024年度理论学习宣传工作计划》的通知", "方案计划",
       "市委宣传部", "notice", (2024, 2), pages=3),
    _S("pdf", "01.03", "新时代文明实践中心建设提升工作方案", "方案计划",
       "市文明办", "plan", (2024, 3), pages=2),
    _S("pdf", "02.01", "关于深化社会主义核心价值观宣传教育的实施意见", "制度机制",
       "市委宣传部", "plan", (2024, 4), pages=2),
    _S("pdf", "03.02", "关于印发《2024年文明交通专项行动方案》的通知", "方案计划",
       "市公安局", "notice", (2024, 3), pages=4),
    _S("pdf", "03.01", "《吴州市文明行为促进条例》实施情况报告", "特色成效",
       "市文明办", "report", (2024, 11), pages=3),
    _S("pdf", "04.02", "2024年全国科普日活动总结", "活动记录",
       "市科技局", "report", (2024, 10), pages=2),
    _S("pdf", "05.01", "公共文化服务体系建设实施方案", "方案计划",
       "市文化广电和旅游局", "plan", (2024, 5), pages=2),
    _S("pdf", "06.01", "关于进一步优化营商环境的若干措施", "制度机制",
       "市发展改革委", "rules", (2024, 6), pages=4),
    _S("pdf", "07.01", "2025年普法依法治理工作要点", "方案计划",
       "市司法局", "notice", (2025, 2), pages=2),
    _S("pdf", "08.02", "吴州市生活垃圾分类工作考核办法", "制度机制",
       "市城市管理局", "rules", (2024, 7), pages=3),
    _S("pdf", "09.02", "安全生产隐患大排查大整治工作总结", "特色成效",
       "市应急管理局", "report", (2024, 12), pages=2),
    _S("pdf", "10.01", "2024年大气污染防治工作方案", "方案计划",
       "市生态环境局", "plan", (2024, 1), pages=6),
    _S("pdf", "11.01", "创建全国文明城市工作领导小组第一次会议纪要", "活动记录",
       "市文明办", "minutes", (2025, 1), pages=2),
    _S("pdf", "11.02", "关于全国文明城市创建问题整改情况的报告", "特色成效",
       "市文明办", "report", (2025, 5), pages=3),
    # ---- scanned PDFs
    _S("scan", "02.03", "诚信建设工作推进会签到表（扫描件）", "活动记录",
       "市发展改革委", "signin", (2024, 9)),
    _S("scan", "08.03", "农贸市场标准化改造验收意见（扫描件）", "其他",
       "市市场监督管理局", "acceptance", (2025, 4)),
    # ---- DOCX
    _S("docx", "01.02", "爱国主义教育基地名录及2024年活动安排", "其他",
       "市委宣传部", "table", (2024, 3), numbered=False),
    _S("docx", "02.02", "未成年人思想道德建设工作联席会议纪要", "活动记录",
       "市教育局", "minutes", (2024, 4)),
    _S("docx", "03.03", "吴州市志愿服务项目管理办法", "制度机制",
       "市文明办", "rules", (2024, 2)),
    _S("docx", "04.01", "义务教育优质均衡发展推进情况汇报", "特色成效",
       "市教育局", "table", (2024, 12)),
    _S("docx", "05.03", "非物质文化遗产保护传承工作方案", "方案计划",
       "市文化广电和旅游局", "plan", (2024, 5)),
    _S("docx", "06.02", "政务服务“一网通办”工作情况报告", "特色成效",
       "市政务服务管理办公室", "table", (2025, 1)),
    _S("docx", "07.02", "行政执法“三项制度”落实情况自查报告", "活动记录",
       "市司法局", "report", (2024, 9)),
    _S("docx", "09.01", "平安建设工作推进会会议纪要", "活动记录",
       "市委政法委", "minutes", (2024, 6)),
    _S("docx", "11.01", "关于保障创建全国文明城市工作经费的通知", "保障措施",
       "市财政局", "table", (2024, 2)),
    _S("docx", "10.02", "2024年河湖长制工作情况汇报", "特色成效",
       "市水务局", "table", (2024, 12)),
    # ---- XLSX
    _S("xlsx", "03.03", "2024年志愿服务活动统计表", "活动记录",
       "团市委", "volunteer", (2024, 12)),
    _S("xlsx", "08.01", "市容环境问题整治台账", "活动记录",
       "市城市管理局", "cityscape", (2025, 3)),
    _S("xlsx", "10.01", "2024年空气质量月度统计表", "特色成效",
       "市生态环境局", "air", (2025, 1)),
    _S("xlsx", "11.02", "创建问题整改台账（2025年第一季度）", "活动记录",
       "市文明办", "rectify", (2025, 4)),
    _S("xlsx", "09.03", "2024年食品安全监督抽检情况统计表", "活动记录",
       "市市场监督管理局", "food", (2025, 1)),
    # ---- photos
    _S("jpeg", "03.02", "2024年文明交通劝导活动照片（一）", "图片", "市公安局", "photo",
       (2024, 4), place="人民路与干将路交叉口", people="交警支队民警、文明交通志愿者",
       scene="street"),
    _S("jpeg", "03.02", "2024年文明交通劝导活动照片（二）", "图片", "市公安局", "photo",
       (2024, 9), place="三香路与南环路交叉口", people="交警支队民警、青年志愿者",
       scene="street"),
    _S("jpeg", "01.03", "新时代文明实践站理论宣讲活动照片", "图片", "市文明办", "photo",
       (2024, 5), place="吴中区长桥街道文明实践站", people="市级宣讲团成员、社区居民",
       scene="plaza"),
    _S("jpeg", "03.03", "“学雷锋”志愿服务集中活动照片", "图片", "团市委", "photo",
       (2024, 3), place="市民广场", people="青年志愿者、社区居民", scene="plaza"),
    _S("jpeg", "05.02", "“百姓大舞台”广场文艺演出照片", "图片", "市文化广电和旅游局",
       "photo", (2024, 8), place="市文化中心广场", people="群众文艺团队、市民观众",
       scene="plaza"),
    _S("jpeg", "07.01", "“宪法宣传周”法治宣传进社区活动照片", "图片", "市司法局",
       "photo", (2024, 12), place="姑苏区双塔街道社区广场", people="司法所干部、律师、居民",
       scene="plaza"),
    _S("jpeg", "08.02", "垃圾分类宣传进小区活动照片", "图片", "市城市管理局", "photo",
       (2025, 3), place="相城区元和街道花园小区", people="城管队员、垃圾分类督导员、居民",
       scene="park"),
    _S("jpeg", "10.03", "2025年全民义务植树活动照片", "图片", "市生态环境局", "photo",
       (2025, 3), place="滨湖新区生态公园", people="机关干部、志愿者", scene="park"),
    _S("jpeg", "09.01", "平安志愿者街面巡逻活动照片", "图片", "市委政法委", "photo",
       (2024, 7), place="观前街步行街", people="社区民警、平安志愿者", scene="street"),
    _S("png", "04.02", "科普大篷车进校园活动照片", "图片", "市科技局", "photo",
       (2024, 5), place="吴州市实验小学", people="科技馆讲解员、小学生", scene="plaza"),
    _S("png", "06.03", "廉政文化进机关主题展览照片", "图片", "市纪委监委", "photo",
       (2025, 6), place="市行政中心廉政文化长廊", people="机关党员干部", scene="park"),
    _S("tiff", "02.02", "“我们的节日·端午”主题活动照片", "图片", "市教育局", "photo",
       (2024, 6), place="吴州市第三中学", people="中学生、老师、社区志愿者", scene="park"),
    _S("tiff", "08.01", "背街小巷环境整治后照片", "图片", "市城市管理局", "photo",
       (2024, 10), place="姑苏区十全街", people="城管队员、沿街商户", scene="street"),
    # ---- a phone photo (HEIC, with EXIF time and GPS) and a short video
    _S("heic", "10.03", "湿地公园志愿植绿活动手机照片", "图片", "市生态环境局", "photo",
       (2025, 3), place="太湖湿地公园", people="机关志愿者、社区居民", scene="park"),
    _S("video", "03.02", "文明交通劝导活动视频", "视频", "市公安局", "video",
       (2025, 5), place="人民路与干将路交叉口", people="交警、文明交通志愿者", scene="street"),
    # ---- what offices keep from older systems: a Word 97-2003 file and an OFD 电子公文
    _S("doc", "04.01", "2024年科普工作总结（Word 97-2003 文档）", "特色成效", "市科技局", "file",
       (2024, 12), numbered=False),
    _S("ofd", "06.01", "关于进一步规范行政审批中介服务的通知（OFD 电子公文）", "制度机制",
       "市发展改革委", "file", (2025, 1), numbered=False),
)
# where a photo was taken (the HEIC photo's GPS): 太湖湿地公园, 苏州
_HEIC_GPS = (31.2585, 120.5016)


# --------------------------------------------------------------------------- corpus tables

def _table_rows(spec: _Spec, year: int, rng: random.Random) -> list[list[str]]:
    """Tables embedded in DOCX files, chosen by item."""
    if spec.item == "01.02":
        rows = [["序号", "基地名称", "所在区", "2024年主要活动", "联系单位"]]
        sites = ("革命烈士陵园", "市博物馆", "城市规划展示馆", "抗战纪念馆", "名人故居",
                 "运河文化馆")
        events = ("清明祭扫", "国防教育", "主题团日", "研学实践", "党史讲座", "国庆升旗")
        for i, (site, event) in enumerate(zip(sites, events, strict=True), start=1):
            rows.append([str(i), f"吴州{site}", rng.choice(_DISTRICTS), event, "市委宣传部"])
        return rows
    if spec.item == "04.01":
        rows = [["学校类别", "学校数（所）", "达标数（所）", "达标率"]]
        for kind in ("小学", "初中", "九年一贯制", "特殊教育"):
            total = rng.randint(8, 60)
            done = total - rng.randint(0, 2)
            rows.append([kind, str(total), str(done), f"{done / total:.1%}"])
        return rows
    if spec.item == "06.02":
        rows = [["指标", f"{year - 1}年", f"{year}年", "同比变化"]]
        for name, base in (("网上可办率（%）", 92), ("一次办结率（%）", 85), ("好评率（%）", 97)):
            before = base + rng.random() * 2
            after = min(99.9, before + rng.random() * 3)
            rows.append([name, f"{before:.1f}", f"{after:.1f}", f"+{after - before:.1f}"])
        return rows
    if spec.item == "11.01":
        rows = [["项目", "金额（万元）", "用途说明"]]
        uses = (
            ("宣传氛围营造", "公益广告制作与更新"),
            ("志愿服务", "志愿者保险及物资"),
            ("点位整治", "背街小巷、农贸市场改造"),
            ("测评迎检", "资料整理与第三方暗访"),
        )
        for name, use in uses:
            rows.append([name, str(rng.randint(80, 600)), use])
        return rows
    rows = [["河道名称", "市级河长", "巡河次数", "发现问题", "已整改"]]
    for river in ("胥江", "外城河", "娄江", "石湖", "澄湖"):
        found = rng.randint(3, 25)
        rows.append([river, _person(rng), str(rng.randint(12, 48)), str(found),
                     str(found - rng.randint(0, 2))])
    return rows


def _sheet(spec: _Spec, rng: random.Random) -> tuple[list[str], list[list[object]]]:
    """Header and rows for the XLSX statistics tables."""
    year = spec.month[0]
    if spec.genre == "air":
        header = ["月份", "PM2.5（μg/m³）", "PM10（μg/m³）", "优良天数", "优良率（%）"]
        rows: list[list[object]] = []
        data_year = year - 1  # the January report covers the previous year
        for m in range(1, 13):
            days = (date(data_year + m // 12, m % 12 + 1, 1) - date(data_year, m, 1)).days
            good = days - rng.randint(0, 9 if m in (1, 2, 12) else 4)
            rows.append([f"{data_year}年{m}月", rng.randint(18, 48), rng.randint(35, 80), good,
                         round(good / days * 100, 1)])
        return header, rows
    if spec.genre == "food":
        header = ["序号", "食品类别", "抽检批次", "合格批次", "不合格批次", "合格率（%）"]
        kinds = ("粮食加工品", "食用油", "肉制品", "乳制品", "饮料", "糕点", "蔬菜", "水产品")
        rows = []
        for i, kind in enumerate(kinds, start=1):
            total = rng.randint(60, 400)
            bad = rng.randint(0, 4)
            rows.append([i, kind, total, total - bad, bad, round((total - bad) / total * 100, 2)])
        return header, rows
    if spec.genre == "volunteer":
        header = ["序号", "活动名称", "日期", "地点", "参与人数", "服务时长（小时）", "组织单位"]
        names = ("新春送温暖", "网络文明宣传", "学雷锋集中服务", "文明交通劝导", "河道清洁",
                 "端午敬老助餐", "关爱留守儿童", "平安巡逻", "爱心义诊", "重阳节关爱空巢老人",
                 "垃圾分类督导", "宪法宣传周普法")  # one per month, January first
        rows = []
        for i, name in enumerate(names, start=1):
            people = rng.randint(15, 220)
            rows.append([i, name, date(year, i, rng.randint(1, 28)),
                         f"{rng.choice(_DISTRICTS)}{rng.choice(_STREETS)}社区",
                         people, people * rng.randint(2, 4), rng.choice(("团市委", "市文明办"))])
        return header, rows
    header = ["序号", "问题描述", "点位", "责任单位", "整改措施", "整改时限", "整改状态"]
    problems = {
        "cityscape": ("占道经营", "非机动车乱停放", "小广告乱贴", "店招破损", "垃圾桶满溢",
                      "绿化带裸土", "井盖缺失", "违规晾晒"),
        "rectify": ("公益广告破损", "农贸市场地面湿滑", "背街小巷垃圾堆放", "公厕无障碍设施缺失",
                    "校园周边流动摊点", "斑马线标线模糊", "社区宣传栏内容过期", "共享单车堆积"),
    }[spec.genre]
    rows = []
    for i, problem in enumerate(problems, start=1):
        done = date(year, rng.randint(1, spec.month[1]), rng.randint(1, 28))
        status = "已整改" if rng.random() < 0.8 else "整改中"
        rows.append([i, problem, f"{rng.choice(_DISTRICTS)}{rng.choice(_STREETS)}",
                     rng.choice(("市城市管理局", "属地街道", "市交通运输局", "市市场监督管理局")),
                     "现场督办、限期整改", done, status])
    return header, rows


# --------------------------------------------------------------------------- corpus writer

_FORBIDDEN = str.maketrans({"\\": "＼", "/": "／", ":": "：", "*": "＊", "?": "？",
                            '"': "＂", "<": "＜", ">": "＞", "|": "｜"})
_ITEM_SLOGANS = {
    "03.02": "文明交通从我做起",
    "03.03": "弘扬志愿精神　传递文明温暖",
    "07.01": "弘扬宪法精神　建设法治吴州",
    "08.02": "垃圾分类　人人有责",
    "10.03": "植树造林　绿化家园",
    "04.02": "弘扬科学精神　普及科学知识",
    "06.03": "清风正气　廉洁从政",
    "09.01": "平安吴州　人人共建",
}
_EXTENSIONS = {"pdf": ".pdf", "scan": ".pdf", "docx": ".docx", "xlsx": ".xlsx",
               "jpeg": ".jpg", "png": ".png", "tiff": ".tif", "heic": ".heic", "video": ".mp4",
               "doc": ".doc", "ofd": ".ofd"}
_PHOTO_SIZES = {"jpeg": (1200, 800), "png": (900, 600), "tiff": (900, 600)}


def _file_name(title: str, kind: str) -> str:
    return title.translate(_FORBIDDEN).strip(" .") + _EXTENSIONS[kind]


_ORG_NAMES = {
    "市文明办": f"{CITY}精神文明建设委员会办公室",
    "团市委": f"共青团{CITY}委员会",
    "市发展改革委": f"{CITY}发展和改革委员会",
    "市委政法委": f"中共{CITY}委政法委员会",
}
_MINUTES_ISSUER = f"{CITY}创建文明城市工作领导小组会议纪要"


def _org_name(dept: str) -> str:
    """Full name of a department, e.g. 市教育局 -> 吴州市教育局."""
    return _ORG_NAMES.get(dept, CITY.removesuffix("市") + dept)


def _doc_number(spec: _Spec, when: date, rng: random.Random) -> str | None:
    if spec.kind in ("xlsx", "scan", "jpeg", "png", "tiff", "heic", "video") or \
            not spec.numbered:
        return None
    series = {"minutes": "纪", "report": "报"}.get(spec.genre, "发")
    return f"{_DOC_PREFIX[spec.dept]}{series}〔{when.year}〕{rng.randint(2, 68)}号"


def _inner_title(title: str) -> str:
    if "《" in title and "》" in title:
        return title[title.index("《") + 1 : title.index("》")]
    return title


def _table_intro(spec: _Spec, when: date) -> list[str]:
    """Opening text of the DOCX files that are mostly a table."""
    name = _ITEM_NAMES[spec.item]
    if spec.item == "11.01":
        return [
            "各区人民政府，市各有关部门、单位：",
            f"为保障全国文明城市创建工作顺利开展，经市政府同意，{when.year}年市级财政安排"
            "创建工作专项经费，现将有关事项通知如下。",
            "一、专项经费实行专款专用，各使用单位要严格按照预算执行，不得挤占挪用。",
            "二、各单位要于每季度末将经费使用情况报市财政局和市创建办。",
            "三、专项经费安排情况见下表。",
        ]
    if spec.item == "01.02":
        return [
            f"为充分发挥爱国主义教育基地的教育功能，推动{name}常态化开展，"
            f"现将我市爱国主义教育基地名录及{when.year}年主要活动安排公布如下。",
            "各基地要结合重要节庆日、纪念日精心组织主题活动，做好活动记录和图片资料留存。",
        ]
    return [
        f"{when.year}年，{spec.dept}紧紧围绕全国文明城市创建目标，聚焦{name}，"
        + "；".join(_tasks(spec.item)) + "，各项工作取得积极成效。",
        "主要指标完成情况见下表。",
        "下一步，我们将对照测评标准，持续巩固提升工作成效，健全常态长效机制。",
    ]


def _genre_paragraphs(spec: _Spec, when: date, rng: random.Random, detail: int) -> list[str]:
    year = when.year
    if spec.genre == "notice":
        return _notice_paragraphs(_inner_title(spec.title), spec.item, year, rng, detail)
    if spec.genre == "plan":
        return _plan_paragraphs(spec.item, year, rng, detail)
    if spec.genre == "minutes":
        return _minutes_paragraphs(spec.item, spec.dept, when, rng)
    if spec.genre == "rules":
        return _rules_paragraphs(spec.item, spec.dept, when, rng, detail)
    return _report_paragraphs(spec.item, spec.dept, year, rng, detail)


def _paragraphs(spec: _Spec, when: date, rng: random.Random, *, pages: int = 1) -> list[str]:
    """Body text, padded with detail paragraphs until it fills ``pages`` pages reasonably."""
    seed = rng.random()
    target = 480 * pages
    for detail in range(8):
        paragraphs = _genre_paragraphs(spec, when, random.Random(seed), detail)
        if sum(map(len, paragraphs)) >= target:
            break
    return paragraphs


def _write_document(spec: _Spec, path: Path, when: date, number: str | None,
                    rng: random.Random) -> None:
    if spec.kind == "scan":
        lines = (_signin_lines(spec.title, spec.dept, when, rng) if spec.genre == "signin"
                 else _acceptance_lines(spec.dept, when, rng))
        make_scanned_pdf(path, spec.title.replace("（扫描件）", ""), lines)
    elif spec.kind == "pdf":
        issuer = _MINUTES_ISSUER if spec.genre == "minutes" else _org_name(spec.dept)
        signed = None if spec.genre == "minutes" else _cn_date(when)
        make_pdf(path, spec.title, _paragraphs(spec, when, rng, pages=spec.pages),
                 pages=spec.pages, issuer=issuer, doc_number=number, signed=signed)
    elif spec.kind == "docx":
        if spec.genre == "table":
            table: list[list[str]] | None = _table_rows(spec, when.year, rng)
            text = _table_intro(spec, when)
        else:
            table, text = None, _paragraphs(spec, when, rng)
        make_docx(path, spec.title, text, table=table,
                  header=f"{CITY}创建全国文明城市工作资料", footer=_org_name(spec.dept))
    else:
        header, rows = _sheet(spec, rng)
        make_xlsx(path, spec.title, header, rows)


def _photo_caption(spec: _Spec, when: date) -> dict[str, str]:
    theme = spec.title.replace("（一）", "").replace("（二）", "")
    theme = theme.removesuffix("视频").removesuffix("照片").removesuffix("手机")
    theme = theme.removeprefix("2024年").removeprefix("2025年")
    place = spec.place if spec.place.startswith(CITY) else CITY + spec.place.removeprefix("市")
    return {"时间": _cn_date(when), "地点": place, "人物": spec.people, "主题": theme}


def _description(spec: _Spec, when: date, caption: dict[str, str] | None) -> str:
    if caption:
        when_where = f"{caption['时间']}在{caption['地点']}"
        return f"{when_where}开展{caption['主题']}，参加人员：{caption['人物']}。"
    kind = {"pdf": "PDF文件", "scan": "扫描件", "docx": "Word文档", "xlsx": "Excel统计表",
            "doc": "Word 97-2003 文档", "ofd": "OFD 电子公文"}
    return (f"{spec.dept}{when.year}年{when.month}月形成的{kind[spec.kind]}，"
            f"佐证“{_ITEM_NAMES[spec.item]}”工作情况。")


def _write_recording(spec: _Spec, path: Path, caption: dict[str, str], when: date,
                     rng: random.Random) -> None:
    from desktop.demo import media

    text = f"{caption['时间']}　{caption['地点']}　{caption['主题']}"
    moment = datetime(when.year, when.month, when.day, 9 + rng.randrange(8), rng.randrange(60))
    seed = rng.randrange(2**31)
    slogan = _ITEM_SLOGANS.get(spec.item)
    if spec.kind == "heic":
        # made once with media.make_heic for seed 0 (files/README.md): the installed bundle
        # carries the HEVC decoder only, not pillow-heif's 23 MB x265 encoder
        _copy_kept_file(spec, path)
    else:
        media.make_video(path, text, seed=seed, scene=spec.scene, slogan=slogan,
                         created=moment.replace(tzinfo=timezone(timedelta(hours=8))))


def _copy_kept_file(spec: _Spec, path: Path) -> None:
    """A file made once by the program that writes its format (LibreOffice for the .doc, an
    OFD writer for the OFD), shipped with the demo: Python has no writer for either."""
    from importlib.resources import files

    source = files("desktop.demo").joinpath("files", f"{spec.item}{_EXTENSIONS[spec.kind]}")
    path.write_bytes(source.read_bytes())


def write_demo_corpus(dest: Path, *, seed: int = 0) -> list[SampleMaterial]:
    """Write the demo evidence corpus (about 45 files) into ``dest``.

    File names are the Chinese titles; contents and dates are deterministic for ``seed``.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    materials: list[SampleMaterial] = []
    for index, spec in enumerate(_SPECS):
        rng = random.Random(f"{seed}:{index}:{spec.title}")
        year, month = spec.month
        when = date(year, month, rng.randint(1, 28))
        path = dest / _file_name(spec.title, spec.kind)
        number = _doc_number(spec, when, rng)
        caption = None
        if spec.kind in ("heic", "video"):
            caption = _photo_caption(spec, when)
            _write_recording(spec, path, caption, when, rng)
        elif spec.genre == "photo":
            caption = _photo_caption(spec, when)
            text = f"{caption['时间']}　{caption['地点']}　{caption['主题']}"
            make_photo(path, text, fmt=spec.kind.upper(), size=_PHOTO_SIZES[spec.kind],
                       seed=rng.randrange(2**31), scene=spec.scene,
                       slogan=_ITEM_SLOGANS.get(spec.item))
        elif spec.genre == "file":
            _copy_kept_file(spec, path)
        else:
            _write_document(spec, path, when, number, rng)
        materials.append(SampleMaterial(
            path=path, item_code=spec.item, title=spec.title, material_type=spec.mtype,
            department=spec.dept, doc_number=number, material_date=when,
            description=_description(spec, when, caption), caption=caption,
        ))
    return materials


