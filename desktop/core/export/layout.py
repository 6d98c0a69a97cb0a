"""File and folder names of an export that open on Windows and Linux and keep their Chinese.

Windows refuses `<>:"/\\|?*` and control characters (we also drop bidi and other format
characters, which disguise a name), device names (CON, NUL, COM1 …, with any
extension), and names ending in a dot or space; Explorer and many unzip tools still stop at 260
characters for a whole path. Linux file systems allow 255 bytes per name, which is 85 Chinese
characters in UTF-8. ASCII punctuation that Windows refuses becomes its full-width form, which
reads the same in a Chinese title (《关于…？》 stays a question)."""

from __future__ import annotations

import re
import unicodedata

FULL_WIDTH = str.maketrans({
    "<": "＜", ">": "＞", ":": "：", '"': "＂", "/": "／", "\\": "＼", "|": "｜", "?": "？",
    "*": "＊",
})
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
            *(f"LPT{n}" for n in range(1, 10))}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SPACES = re.compile(r"\s+")

MAX_NAME_CHARS = 80  # one file or folder name, extension included
MAX_NAME_BYTES = 240  # UTF-8, under the 255 of ext4 and friends
# Relative path below the bag's data/ folder. Leaves ~50 characters of the 260 for where the
# user unpacks it (C:\Users\<name>\Desktop\<bag>\data\).
MAX_RELATIVE_PATH = 200


def safe_name(text: str, *, max_chars: int = MAX_NAME_CHARS, suffix: str = "") -> str:
    """`text` + `suffix` as one file or folder name valid on Windows and Linux. The text is
    shortened (never the suffix) to fit; an empty result becomes 未命名."""
    name = unicodedata.normalize("NFC", text).translate(FULL_WIDTH)
    name = _visible(CONTROL.sub("", SPACES.sub(" ", name))).strip()
    budget = max_chars - len(suffix)
    name = name[:max(budget, 1)]
    while len((name + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(". ") or "未命名"
    if name.split(".")[0].upper() in RESERVED:
        name += "_"
    return name + suffix


def _visible(text: str) -> str:
    """`text` without control and format characters (Unicode Cc, Cf) and lone surrogates:
    a right-to-left override (U+202E) would show "报告\u202Efdp.exe" as "报告exe.pdf", and
    zero-width characters make two names that look the same."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name` with （2）, （3）… before the extension, not yet in `taken`
    (compared case-insensitively, as Windows does); adds the result to `taken`."""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}（{n}）{dot}{ext}" if dot else f"{name}（{n}）"
    taken.add(candidate.casefold())
    return candidate


def seq_width(count: int) -> int:
    """Digits of 序号: 3 (001, as archive catalogues number files) unless more are needed."""
    return max(3, len(str(count)))


def fill_template(template: str, values: dict[str, str]) -> str:
    """The naming template with {序号} {材料名称} {文号} {日期} {责任单位} filled in; an unknown
    placeholder is left as written so the preview shows the mistake."""
    return re.sub(r"\{([^{}]+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def check_template(template: str) -> str | None:
    """Why `template` cannot name files, or None."""
    known = {"序号", "材料名称", "文号", "日期", "责任单位"}
    used = set(re.findall(r"\{([^{}]+)\}", template))
    if unknown := used - known:
        return (f"命名模板中有未知的占位符 {{{sorted(unknown)[0]}}}；可用: "
                + "、".join(f"{{{k}}}" for k in sorted(known)))
    if "序号" not in used:
        return "命名模板必须包含 {序号}，否则同一测评内容下的文件名可能重复、顺序也会丢失"
    return None
