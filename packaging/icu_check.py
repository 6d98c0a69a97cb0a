#!/usr/bin/env python3
"""What Qt does with its ICU data, as JSON, to compare the stock library with icu_data.py's.

    PYTHONPATH=SITE python3 packaging/icu_check.py > stock.json      # PySide6 in SITE
    LD_LIBRARY_PATH=DIR PYTHONPATH=SITE python3 packaging/icu_check.py > trimmed.json
    python3 packaging/icu_check.py --diff stock.json trimmed.json

DIR holds the trimmed libicudata.so.NN (e.g. a bundle's _internal/PySide6/Qt/lib: Qt's
libraries find their ICU through RUNPATH $ORIGIN, which LD_LIBRARY_PATH comes before); the
output names the library that was loaded (from /proc/self/maps) and its size. What it records,
with text from a bureau's papers: QCollator's order and sort keys (zh_CN pinyin, zh_TW stroke,
zh_HK, en_US, C, numeric); for each encoding an office file or ZIP name may use, whether
QStringEncoder/QStringDecoder accept the name, the bytes of a sample text and the text decoded
back (through the ICU functions Qt calls: PySide6 6.9 binds no conversion; compared with
Python's codec of the same name where it has one); the whole list of codecs;
QTextBoundaryFinder's line, word, grapheme and sentence boundaries of a mixed Chinese/English
paragraph and a QTextLayout's line breaks; QLocale's toUpper/toLower;
QTimeZone's names. `--diff` prints what differs and exits 1 if anything differs but the codec
list and the encodings left out on purpose (LEFT_OUT).
"""

from __future__ import annotations

import codecs
import json
import sys
from pathlib import Path

NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一", "陈二",
         "文明办", "创文", "材料", "abc", "Zicha", "第10号", "第2号", "第1号", "阿", "澳门",
         "长春", "重庆", "厦门", "銀行", "中國", "臺灣", "香港"]
SAMPLE = "吴州市文明办 2026年创文材料自查：照片说明、会议纪要 No.7 €"
TEXTS = {  # encoding name -> the text it should carry (its script)
    "GBK": SAMPLE, "GB18030": SAMPLE + " 𠀀𪚥", "GB2312": "吴州市文明办 会议纪要",
    "EUC-CN": "会议纪要", "HZ-GB-2312": "会议纪要", "ISO-2022-CN": "会议纪要",
    "ISO-2022-CN-EXT": "会议纪要",
    "Big5": "臺灣銀行 會議紀要", "Big5-HKSCS": "香港 會議紀要", "windows-950": "會議紀要",
    "EUC-TW": "會議紀要", "ibm-eucTW": "會議紀要",
    "Shift_JIS": "会議の議事録", "windows-31j": "会議の議事録", "EUC-JP": "会議の議事録",
    "ISO-2022-JP": "会議の議事録", "ISO-2022-JP-2": "会議の議事録",
    "EUC-KR": "회의록", "windows-949": "회의록", "ISO-2022-KR": "회의록",
    "windows-1252": "café €", "windows-1250": "Łódź", "windows-1251": "Привет",
    "windows-1253": "Ελλάδα", "windows-1254": "İstanbul", "windows-1255": "שלום",
    "windows-1256": "مرحبا", "windows-1257": "Rīga", "windows-1258": "Việt", "windows-874": "ไทย",
    "ISO-8859-1": "café", "ISO-8859-2": "Łódź", "ISO-8859-5": "Привет", "ISO-8859-7": "Ελλάδα",
    "ISO-8859-15": "café €", "KOI8-R": "Привет", "KOI8-U": "Привіт", "IBM437": "café",
    "IBM850": "café", "IBM866": "Привет", "macintosh": "café", "TIS-620": "ไทย",
    "UTF-7": SAMPLE, "UTF-16BE": SAMPLE, "UTF-32LE": SAMPLE, "US-ASCII": "zicha",
    # left out on purpose (icu_data.DROP_CONVERTERS, DROP_ITEMS): expected to differ
    "IBM037": "ZICHA", "IBM-Thai": "ZICHA", "x11-compound-text": "zicha",
}
LEFT_OUT = {"IBM037", "IBM-Thai", "x11-compound-text", "EUC-TW"}
PARAGRAPH = ("吴州市文明办于2026年12月7日召开创文工作会议，会议要求各单位在“材料自查”系统"
             "（Zicha 0.1.0）中上传照片、视频和会议纪要。Each department uploads its evidence; "
             "the review package is signed（审核包）。")


def loaded_icu() -> dict:
    for line in Path("/proc/self/maps").read_text().splitlines():
        if "libicudata" in line:
            path = line.split()[-1]
            return {"path": path, "size": Path(path).stat().st_size}
    return {}


class _IcuConverter:
    """ICU's converter functions from the libicuuc that QtCore loaded."""

    def __init__(self) -> None:
        import ctypes

        path = next(line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines()
                    if "libicuuc" in line)
        self.lib = ctypes.CDLL(path)
        self.suffix = "_" + path.rsplit(".so.", 1)[1].split(".")[0]
        self.ct = ctypes
        self.open = self._fn("ucnv_open", ctypes.c_void_p)
        self.from_u = self._fn("ucnv_fromUChars", ctypes.c_int32)
        self.to_u = self._fn("ucnv_toUChars", ctypes.c_int32)
        self.close = self._fn("ucnv_close", None)

    def _fn(self, name: str, restype):  # type: ignore[no-untyped-def]
        fn = getattr(self.lib, name + self.suffix)
        fn.restype = restype
        return fn

    def _converter(self, name: str):  # type: ignore[no-untyped-def]
        err = self.ct.c_int(0)
        cnv = self.open(name.encode(), self.ct.byref(err))
        if err.value > 0 or not cnv:
            raise ValueError(f"ucnv_open({name}): error {err.value}")
        return self.ct.c_void_p(cnv)

    def encode(self, name: str, text: str) -> bytes:
        cnv = self._converter(name)
        src = text.encode("utf-16-le")
        dest = self.ct.create_string_buffer(4 * len(src) + 16)
        err = self.ct.c_int(0)
        n = self.from_u(cnv, dest, len(dest), src, len(src) // 2, self.ct.byref(err))
        self.close(cnv)
        return dest.raw[:n]

    def decode(self, name: str, data: bytes) -> str:
        cnv = self._converter(name)
        dest = self.ct.create_string_buffer(4 * len(data) + 16)
        err = self.ct.c_int(0)
        n = self.to_u(cnv, dest, len(dest) // 2, data, len(data), self.ct.byref(err))
        self.close(cnv)
        return dest.raw[:2 * n].decode("utf-16-le")


def record() -> dict:
    from PySide6.QtCore import (
        QCollator,
        QLocale,
        QStringConverter,
        QStringDecoder,
        QStringEncoder,
        QTextBoundaryFinder,
        QTimeZone,
    )
    from PySide6.QtGui import QFont, QGuiApplication, QTextLayout

    app = QGuiApplication.instance() or QGuiApplication(["icu_check", "-platform", "offscreen"])
    out: dict = {}
    collation = {}
    for loc in ("zh_CN", "zh_TW", "zh_HK", "en_US", "C"):
        for numeric in (False, True):
            c = QCollator(QLocale(loc))
            c.setNumericMode(numeric)
            order = sorted(NAMES, key=c.sortKey)
            pairwise = [c.compare(a, b) for a, b in zip(NAMES, NAMES[1:], strict=False)]
            collation[f"{loc}{'/numeric' if numeric else ''}"] = {
                "order": order, "compare": pairwise}
    out["collation"] = collation
    codec_results = {}
    icu = _IcuConverter()
    for name, text in TEXTS.items():
        enc = QStringEncoder(name)
        dec = QStringDecoder(name)
        result = {"encoder": enc.isValid(), "decoder": dec.isValid()}
        if enc.isValid() and dec.isValid():
            # PySide6 6.9 does not bind QStringEncoder/QStringDecoder's conversion: the same
            # ICU calls Qt makes (ucnv_open, ucnv_fromUChars, ucnv_toUChars), in the same
            # library Qt loaded
            data = icu.encode(name, text)
            back = icu.decode(name, data)
            result.update(bytes=data.hex(), roundtrip=back == text)
            try:
                python = text.encode(codecs.lookup(name).name)
                result["same_as_python"] = python == data
            except (LookupError, UnicodeEncodeError):  # Python has no such codec: no
                result["same_as_python"] = None  # comparison, which the report shows
        codec_results[name] = result
    out["codecs"] = codec_results
    out["available_codecs"] = sorted(QStringConverter.availableCodecs())
    boundaries = {}
    for kind in ("Line", "Word", "Grapheme", "Sentence"):
        finder = QTextBoundaryFinder(getattr(QTextBoundaryFinder.BoundaryType, kind), PARAGRAPH)
        found = []
        pos = finder.toNextBoundary()
        while pos != -1:
            found.append(pos)
            pos = finder.toNextBoundary()
        boundaries[kind] = found
    out["boundaries"] = boundaries
    layout = QTextLayout(PARAGRAPH, QFont("WenQuanYi Micro Hei", 12))
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(180)
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    out["layout_lines"] = lines
    cases = {}
    for loc in ("zh_CN", "en_US", "tr_TR", "C"):
        q = QLocale(loc)
        cases[loc] = [q.toUpper("zicha istanbul ǆ ß"), q.toLower("ZICHA İSTANBUL Ǆ")]
    out["case"] = cases
    zones = {}
    for zone_id in (b"Asia/Shanghai", b"Asia/Hong_Kong", b"Asia/Taipei", b"UTC", b"Europe/Paris"):
        zone = QTimeZone(zone_id)
        for loc in ("zh_CN", "zh_TW", "en_US"):
            names = []
            for ntype in ("DefaultName", "LongName", "ShortName", "OffsetName"):
                for ttype in ("StandardTime", "DaylightTime", "GenericTime"):
                    names.append(zone.displayName(getattr(QTimeZone.TimeType, ttype),
                                                  getattr(QTimeZone.NameType, ntype), QLocale(loc)))
            zones[f"{zone_id.decode()} {loc}"] = names
    out["timezones"] = zones
    out["icu_library"] = loaded_icu()
    del app
    return out


def diff(a_path: str, b_path: str) -> int:
    a, b = (json.loads(Path(p).read_text("utf-8")) for p in (a_path, b_path))
    print(f"ICU data: {a['icu_library']} / {b['icu_library']}")
    bad = 0
    for section in a:
        if section == "icu_library":
            continue
        if section == "available_codecs":
            gone = sorted(set(a[section]) - set(b[section]))
            new = sorted(set(b[section]) - set(a[section]))
            print(f"codecs listed: {len(a[section])} / {len(b[section])}; not listed any more: "
                  f"{', '.join(gone)}" + (f"; new: {new}" if new else ""))
            bad += bool(new)
            continue
        if a[section] == b[section]:
            print(f"{section}: identical ({len(a[section])} entries)")
            continue
        for key in a[section]:
            if a[section][key] != b[section].get(key):
                expected = section == "codecs" and key in LEFT_OUT
                print(f"{section} {key}: {a[section][key]} -> {b[section].get(key)}"
                      + (" (left out on purpose)" if expected else ""))
                bad += not expected
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--diff"]:
        raise SystemExit(diff(sys.argv[2], sys.argv[3]))
    json.dump(record(), sys.stdout, ensure_ascii=False, indent=1)
    print()
