"""The formats the archive knows: one row per kind of file, read by detection, extraction,
the viewer and the export. A kind names what the content is (never what the extension
says); a file whose content matches no row is still filed, as kind "other"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    DOCUMENT = "document"  # word processing and page formats
    SHEET = "sheet"
    SLIDES = "slides"
    TEXT = "text"  # plain text of any flavour (TXT, CSV, Markdown)
    WEB = "web"
    EMAIL = "email"
    EBOOK = "ebook"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    ARCHIVE = "archive"  # a container of other files (ZIP, 7z, RAR)
    OTHER = "other"


@dataclass(frozen=True)
class Format:
    kind: str
    mime: str
    label: str  # what a clerk calls it
    extensions: tuple[str, ...]  # usual extensions, the first one preferred on export
    family: Family

    @property
    def extension(self) -> str:
        return self.extensions[0] if self.extensions else ""


_F = Family
FORMATS: tuple[Format, ...] = (
    Format("pdf", "application/pdf", "PDF", (".pdf",), _F.DOCUMENT),
    Format("ofd", "application/ofd", "OFD 版式文件", (".ofd",), _F.DOCUMENT),
    Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "Word 文档（DOCX）", (".docx", ".docm", ".dotx", ".wpsx"), _F.DOCUMENT),
    # Word 97-2003 binary; WPS 文字 writes the same format under .wps
    Format("doc", "application/msword", "Word 97-2003 / WPS 文字", (".doc", ".wps", ".dot", ".wpt"),
           _F.DOCUMENT),
    Format("rtf", "application/rtf", "RTF 文档", (".rtf",), _F.DOCUMENT),
    Format("odt", "application/vnd.oasis.opendocument.text", "ODF 文本（ODT）", (".odt",),
           _F.DOCUMENT),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "Excel 工作簿（XLSX）", (".xlsx", ".xlsm", ".xltx"), _F.SHEET),
    Format("xls", "application/vnd.ms-excel", "Excel 97-2003 / WPS 表格", (".xls", ".et", ".xlt",
                                                                         ".ett"), _F.SHEET),
    Format("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODF 表格（ODS）", (".ods",),
           _F.SHEET),
    Format("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
           "PowerPoint 演示文稿（PPTX）", (".pptx", ".ppsx", ".potx"), _F.SLIDES),
    Format("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97-2003 / WPS 演示",
           (".ppt", ".dps", ".pps", ".pot", ".dpt"), _F.SLIDES),
    Format("odp", "application/vnd.oasis.opendocument.presentation", "ODF 演示（ODP）", (".odp",),
           _F.SLIDES),
    Format("text", "text/plain", "文本", (".txt", ".log", ".text"), _F.TEXT),
    Format("csv", "text/csv", "CSV 表格", (".csv",), _F.TEXT),
    Format("tsv", "text/tab-separated-values", "TSV 表格", (".tsv", ".tab"), _F.TEXT),
    Format("markdown", "text/markdown", "Markdown", (".md", ".markdown"), _F.TEXT),
    Format("html", "text/html", "网页（HTML）", (".html", ".htm", ".xhtml"), _F.WEB),
    Format("eml", "message/rfc822", "电子邮件（EML）", (".eml",), _F.EMAIL),
    Format("msg", "application/vnd.ms-outlook", "Outlook 邮件（MSG）", (".msg",), _F.EMAIL),
    Format("epub", "application/epub+zip", "电子书（EPUB）", (".epub",), _F.EBOOK),
    Format("jpeg", "image/jpeg", "JPG 图片", (".jpg", ".jpeg", ".jpe", ".jfif"), _F.IMAGE),
    Format("png", "image/png", "PNG 图片", (".png",), _F.IMAGE),
    Format("tiff", "image/tiff", "TIFF 图片", (".tif", ".tiff"), _F.IMAGE),
    Format("bmp", "image/bmp", "BMP 图片", (".bmp", ".dib"), _F.IMAGE),
    Format("gif", "image/gif", "GIF 图片", (".gif",), _F.IMAGE),
    Format("webp", "image/webp", "WebP 图片", (".webp",), _F.IMAGE),
    Format("heic", "image/heic", "HEIC 照片", (".heic", ".heif", ".hif"), _F.IMAGE),
    Format("mp4", "video/mp4", "MP4 视频", (".mp4", ".m4v"), _F.VIDEO),
    Format("mov", "video/quicktime", "MOV 视频", (".mov", ".qt"), _F.VIDEO),
    Format("avi", "video/x-msvideo", "AVI 视频", (".avi",), _F.VIDEO),
    Format("mkv", "video/x-matroska", "MKV 视频", (".mkv",), _F.VIDEO),
    Format("webm", "video/webm", "WebM 视频", (".webm",), _F.VIDEO),
    Format("flv", "video/x-flv", "FLV 视频", (".flv",), _F.VIDEO),
    Format("wmv", "video/x-ms-wmv", "WMV 视频", (".wmv", ".asf"), _F.VIDEO),
    Format("mpeg", "video/mpeg", "MPEG 视频", (".mpg", ".mpeg", ".ts", ".m2ts", ".vob"),
           _F.VIDEO),
    Format("3gp", "video/3gpp", "3GP 视频", (".3gp", ".3g2"), _F.VIDEO),
    Format("mp3", "audio/mpeg", "MP3 音频", (".mp3",), _F.AUDIO),
    Format("wav", "audio/wav", "WAV 音频", (".wav",), _F.AUDIO),
    Format("m4a", "audio/mp4", "M4A 音频", (".m4a",), _F.AUDIO),
    Format("aac", "audio/aac", "AAC 音频", (".aac",), _F.AUDIO),
    Format("amr", "audio/amr", "AMR 录音", (".amr",), _F.AUDIO),
    Format("flac", "audio/flac", "FLAC 音频", (".flac",), _F.AUDIO),
    Format("ogg", "audio/ogg", "OGG 音频", (".ogg", ".oga", ".opus"), _F.AUDIO),
    Format("wma", "audio/x-ms-wma", "WMA 音频", (".wma",), _F.AUDIO),
    Format("zip", "application/zip", "ZIP 压缩包", (".zip",), _F.ARCHIVE),
    Format("7z", "application/x-7z-compressed", "7z 压缩包", (".7z",), _F.ARCHIVE),
    Format("rar", "application/vnd.rar", "RAR 压缩包", (".rar",), _F.ARCHIVE),
    Format("other", "application/octet-stream", "其他文件", (), _F.OTHER),
)

BY_KIND: dict[str, Format] = {f.kind: f for f in FORMATS}
KINDS: tuple[str, ...] = tuple(BY_KIND)
_ALIASES = {"jpg": "jpeg", "tif": "tiff", "txt": "text", "heif": "heic", "md": "markdown",
            "wps": "doc", "et": "xls", "dps": "ppt", "htm": "html"}


def format_of(kind: str) -> Format:
    """The row of `kind` (aliases such as jpg, tif, txt, wps accepted); an unknown kind is
    "other", so that a file recorded by a newer version still has a row."""
    return BY_KIND.get(canonical(kind), BY_KIND["other"])


def canonical(kind: str) -> str:
    lowered = kind.lower().lstrip(".")
    return _ALIASES.get(lowered, lowered)


def kinds_of(family: Family) -> frozenset[str]:
    return frozenset(f.kind for f in FORMATS if f.family is family)


def label(kind: str) -> str:
    return format_of(kind).label


def expects(kind: str, suffix: str) -> bool:
    """Whether a file of `kind` is usually named with `suffix` (".WPS" as ".wps")."""
    return suffix.lower() in format_of(kind).extensions


def enable_heif() -> None:
    """Teach Pillow to open HEIC/HEIF photos (pillow-heif); call before opening an image.
    Imported on first use: it costs ~30 ms, paid only where photos are read."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def claimed(suffix: str) -> bool:
    """Whether some kind of the table is usually named with `suffix`."""
    return suffix.lower() in _CLAIMED


_CLAIMED = frozenset(ext for f in FORMATS for ext in f.extensions)
IMAGE_KINDS = kinds_of(Family.IMAGE)
VIDEO_KINDS = kinds_of(Family.VIDEO)
AUDIO_KINDS = kinds_of(Family.AUDIO)
MEDIA_KINDS = VIDEO_KINDS | AUDIO_KINDS
ARCHIVE_KINDS = kinds_of(Family.ARCHIVE)
# images MuPDF opens itself (the others are decoded by Pillow, HEIC through pillow-heif)
MUPDF_IMAGE_KINDS = frozenset({"jpeg", "png", "tiff", "bmp", "gif"})
