#!/usr/bin/env python3
"""Make the ICU data library that Qt's wheels carry (libicudata.so.NN, ~32 MB) hold only what
Zicha uses: the locale data of root, Chinese and English, and all of ICU's non-locale data.

    python3 packaging/icu_data.py BUNDLE      # what build.py does on Linux, logged

libicudata is a single object, `icudtNN_dat`: ICU's common data package (the "CmnD" format
icupkg reads and writes), a table of named items ("icudt73l/zh.res", "icudt73l/coll/zh.res",
"icudt73l/gb18030.cnv", …) followed by the items. Kept: what the four ICU services Qt calls
read (converters, collation, case mapping, time zone names: DROP_ITEMS says how that was found)
for root, Chinese and English: the character properties and normalisation, the root collation
with the Chinese tailoring (pinyin, stroke, zhuyin), the converters offices meet (GBK, GB18030,
GB2312, Big5, Big5-HKSCS, Shift_JIS, EUC-JP, EUC-KR, ISO-2022-*, UTF-*, ISO-8859-*,
windows-125x, KOI8, DOS and Mac code pages) with the whole alias table, the locale, language,
region and time zone names of zh/yue/en, time zone data. Left out: the locale items of the ~700
other locales (names of languages, regions and time zones, collation tailorings, …), the trees
Qt never reads (break iterators and their dictionaries, transliteration, currency and unit
names, spell-out rules, character names, confusables) and the EBCDIC host code pages and X11
compound text (DROP_CONVERTERS). A locale ICU no longer has falls back to root, as it does for
any locale ICU does not know; a converter left out is one QStringDecoder reports invalid, as
for a name ICU does not know. The new library keeps the file name, the soname and the one
exported symbol, so libicuuc loads it as before. Needs binutils' readelf and a C compiler
(cc). Standard library only.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# languages whose locale items stay (root is always kept): the app's two UI languages
KEEP_LANGUAGES = ("zh", "yue", "en")  # yue: zh_Hant_HK falls back to it
# What Qt never reads. Qt 6 calls ICU for exactly four things (the ICU functions libQt6Core
# imports, `readelf --dyn-syms`): converters (ucnv_*: QStringConverter/QStringDecoder for
# encodings other than UTF-8/16/32 and Latin-1), collation (ucol_*: QCollator), case mapping
# (u_strToUpper/u_strToLower: QLocale::toUpper/toLower) and time zone names (ucal_*: QTimeZone).
# Its text boundaries (QTextBoundaryFinder, line breaking in QTextLayout) are Qt's own
# (qunicodetools), so ICU's break iterators and their Chinese/Japanese dictionary are never
# loaded; neither are transliteration, character names (unames: u_charName), the currency,
# unit and spell-out (rbnf) trees of number formatting, or the spoof checker's confusables.
DROP_ITEMS = re.compile(r"^(brkitr|translit|curr|unit|rbnf)/|^unames\.icu$|^confusables\.cfu$"
                        # X11 compound text (x11-compound-text): Qt's xcb clipboard takes
                        # UTF8_STRING, STRING and text/plain;charset=…, never COMPOUND_TEXT
                        r"|^icu-internal-compound-[a-z0-9]+\.cnv$"
                        # EUC-TW's 2014 table (0.55 MB; Taiwan's Unix code, not met in
                        # mainland offices; ibm-964, ibm-eucTW, stays)
                        r"|^euc-tw-2014\.cnv$")
# EBCDIC code pages of IBM mainframes and midrange hosts (no office PC file or ZIP name uses
# them): every ICU 73 converter that decodes bytes 40 C1 F1 as " A1" or is EBCDIC_STATEFUL
# (found with ICU itself: ucnv_toUChars over ucnv_getAvailableName), and ibm-16684, the
# double-byte half of the Japanese host code pages ibm-1390/1399. The ",swaplfnl" variants
# are the same files. GBK, GB18030, GB2312, Big5, Big5-HKSCS, Shift_JIS, EUC-JP, EUC-KR,
# ISO-2022-*, HZ, UTF-*, ISO-8859-*, windows-125x/874, KOI8, DOS and Mac code pages stay.
DROP_CONVERTERS = frozenset({
    "ebcdic-xml-us", "ibm-1025_P100-1995", "ibm-1026_P100-1995", "ibm-1047_P100-1995",
    "ibm-1097_P100-1995", "ibm-1112_P100-1995", "ibm-1122_P100-1999", "ibm-1123_P100-1995",
    "ibm-1130_P100-1997", "ibm-1132_P100-1998", "ibm-1137_P100-1999", "ibm-1140_P100-1997",
    "ibm-1141_P100-1997", "ibm-1142_P100-1997", "ibm-1143_P100-1997", "ibm-1144_P100-1997",
    "ibm-1145_P100-1997", "ibm-1146_P100-1997", "ibm-1147_P100-1997", "ibm-1148_P100-1997",
    "ibm-1149_P100-1997", "ibm-1153_P100-1999", "ibm-1154_P100-1999", "ibm-1155_P100-1999",
    "ibm-1156_P100-1999", "ibm-1157_P100-1999", "ibm-1158_P100-1999", "ibm-1160_P100-1999",
    "ibm-1164_P100-1999", "ibm-12712_P100-1998", "ibm-1364_P110-2007", "ibm-1371_P100-1999",
    "ibm-1388_P103-2001", "ibm-1390_P110-2003", "ibm-1399_P110-2003", "ibm-16684_P110-2003",
    "ibm-16804_X110-1999", "ibm-273_P100-1995", "ibm-277_P100-1995", "ibm-278_P100-1995",
    "ibm-280_P100-1995", "ibm-284_P100-1995", "ibm-285_P100-1995", "ibm-290_P100-1995",
    "ibm-297_P100-1995", "ibm-37_P100-1995", "ibm-420_X120-1999", "ibm-424_P100-1995",
    "ibm-4517_P100-2005", "ibm-4899_P100-1998", "ibm-4971_P100-1999", "ibm-500_P100-1995",
    "ibm-5123_P100-1999", "ibm-803_P100-1999", "ibm-838_P100-1995", "ibm-8482_P100-1999",
    "ibm-870_P100-1995", "ibm-871_P100-1995", "ibm-875_P100-1995", "ibm-9067_X100-2005",
    "ibm-918_P100-1995", "ibm-930_P120-1999", "ibm-933_P110-1995", "ibm-935_P110-1999",
    "ibm-937_P110-1999", "ibm-939_P120-1999",
})
# a locale item: language (2-3 letters, or "root"), then _Script/_REGION/_variant parts
_LOCALE_ITEM = re.compile(r"^(?:[a-z]+/)?([a-z]{2,3})(?:_[A-Za-z0-9]*)*\.res$")


def keep(name: str) -> bool:
    """Whether the item `name` (without the package prefix "icudt73l/") stays."""
    if DROP_ITEMS.search(name):
        return False
    if name.endswith(".cnv") and name[:-4] in DROP_CONVERTERS:
        return False
    m = _LOCALE_ITEM.match(name)
    if m is None or name.rsplit("/", 1)[-1] == "res_index.res":  # a tree's list of locales
        return True  # not a locale's item: properties, rules, converters, supplemental data
    return m.group(1) in KEEP_LANGUAGES


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(item name, item bytes)]) of a little-endian ICU common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package (CmnD)")
    toc = header_size
    (count,) = struct.unpack_from("<I", blob, toc)
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * i) for i in range(count)]
    starts = sorted(off for _, off in entries) + [len(blob) - toc]
    items = []
    for name_off, data_off in entries:
        end = blob.index(b"\0", toc + name_off)
        name = blob[toc + name_off:end].decode("ascii")
        following = starts[starts.index(data_off) + 1]
        items.append((name, blob[toc + data_off:toc + following]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package of `items` (kept in their order: ICU looks names up by binary search),
    laid out as icupkg does: the table, the names, then each item on a 16-byte boundary,
    padded with 0xAA."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table = 4 + 8 * len(items)
    data_start = (table + len(names) + 15) & ~15
    offsets, body, position = [], bytearray(), data_start
    name_position = table
    for name, data in items:
        offsets.append((name_position, position))
        name_position += len(name) + 1
        padded = data + b"\xaa" * (-len(data) % 16)
        body += padded
        position += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(struct.pack("<II", *o) for o in offsets)
    toc += names + b"\xaa" * (data_start - table - len(names))
    return header + toc + bytes(body)


def _symbol(lib: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the icudtNN_dat object in `lib`."""
    syms = subprocess.run(["readelf", "-W", "--dyn-syms", str(lib)], capture_output=True,
                          text=True, check=True).stdout
    m = re.search(r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\w+\s+\d+\s+"
                  r"(icudt\d+_dat)\s*$", syms, re.M)
    if m is None:
        raise ValueError(f"{lib}: no icudtNN_dat symbol")
    address, size, name = int(m.group(1), 16), int(m.group(2), 0), m.group(3)
    sections = subprocess.run(["readelf", "-W", "-S", str(lib)], capture_output=True,
                              text=True, check=True).stdout
    for s in re.finditer(r"\]\s+\S+\s+\w+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", sections):
        start, offset, length = (int(g, 16) for g in s.groups())
        if start <= address < start + length:
            return name, offset + address - start, size
    raise ValueError(f"{lib}: {name} is in no section")


def trim_library(lib: Path, log=print) -> int:  # type: ignore[no-untyped-def]
    """Rewrite `lib` (libicudata.so.NN) with the kept items only; returns the bytes saved."""
    symbol, offset, size = _symbol(lib)
    blob = lib.read_bytes()[offset:offset + size]
    header, items = read_package(blob)
    kept = [(n, d) for n, d in items if keep(n.split("/", 1)[1] if "/" in n else n)]
    package = write_package(header, kept)
    check_header, check_items = read_package(package)  # reads back as what was written
    assert check_header == header and check_items == [(n, d + b"\xaa" * (-len(d) % 16))
                                                      for n, d in kept]
    before = lib.stat().st_size
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "icudata.dat"
        dat.write_bytes(package)
        asm = Path(tmp) / "icudata.S"
        asm.write_text(f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
                       f'\t.balign 16\n{symbol}:\n\t.incbin "{dat}"\n'
                       f'\t.size {symbol}, . - {symbol}\n'
                       '\t.section .note.GNU-stack,"",@progbits\n')
        out = Path(tmp) / "lib.so"
        subprocess.run(["cc", "-shared", "-nostdlib", "-s", "-o", str(out),
                        f"-Wl,-soname,{lib.name}", str(asm)], check=True)
        mode = lib.stat().st_mode
        lib.write_bytes(out.read_bytes())
        lib.chmod(mode)
    log(f"icu: {lib.name}: {len(kept)} of {len(items)} items kept (locales root, "
        f"{', '.join(KEEP_LANGUAGES)}; {before / 1e6:.1f} MB -> "
        f"{lib.stat().st_size / 1e6:.1f} MB)")
    return before - lib.stat().st_size


def trim_bundle(bundle: Path, log=print) -> int:  # type: ignore[no-untyped-def]
    saved = 0
    for lib in sorted(bundle.rglob("libicudata.so.*")):
        if lib.is_file() and not lib.is_symlink():
            saved += trim_library(lib, log)
    return saved


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    saved = trim_bundle(Path(argv[0]))
    print(f"icu: {saved / 1e6:.1f} MB less")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
